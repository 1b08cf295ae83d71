// SPDX-License-Identifier: GPL-2.0

//! Link settings for `ethtool <dev>`: speed, duplex, port and link modes
//! (`struct ethtool_link_ksettings`).

use kernel::{
    num::casts::{
        u32_into_u8,
        FromSafeCast, //
    },
    prelude::*, //
};

use crate::kernel_ext::bindings;

/// A link mode, as listed in `supported` and `advertising` link mode masks
/// (`enum ethtool_link_mode_bit_indices`, the modes drivers here report):
/// speeds and media, port types, pause and FEC modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkMode {
    /// 25GBASE-CR, full duplex.
    Base25000CrFull,
    /// 25GBASE-KR, full duplex.
    Base25000KrFull,
    /// 25GBASE-SR, full duplex.
    Base25000SrFull,
    /// 50GBASE-CR2, full duplex.
    Base50000Cr2Full,
    /// 50GBASE-KR2, full duplex.
    Base50000Kr2Full,
    /// 50GBASE-SR2, full duplex.
    Base50000Sr2Full,
    /// 50GBASE-CR, full duplex.
    Base50000CrFull,
    /// 50GBASE-KR, full duplex.
    Base50000KrFull,
    /// 50GBASE-SR, full duplex.
    Base50000SrFull,
    /// 50GBASE-LR/ER/FR, full duplex.
    Base50000LrErFrFull,
    /// 50GBASE-DR, full duplex.
    Base50000DrFull,
    /// 100GBASE-CR2, full duplex.
    Base100000Cr2Full,
    /// 100GBASE-KR2, full duplex.
    Base100000Kr2Full,
    /// 100GBASE-SR2, full duplex.
    Base100000Sr2Full,
    /// 100GBASE-LR2/ER2/FR2, full duplex.
    Base100000Lr2Er2Fr2Full,
    /// 100GBASE-DR2, full duplex.
    Base100000Dr2Full,
    /// A media-independent interface port.
    Mii,
    /// Symmetric pause frames.
    Pause,
    /// Asymmetric pause frames (with [`LinkMode::Pause`]: receive only).
    AsymPause,
    /// No FEC (among the supported FEC modes).
    FecNone,
    /// BASE-R FEC.
    FecBaser,
    /// Reed-Solomon FEC.
    FecRs,
}

impl LinkMode {
    fn bit(self) -> u32 {
        // The names are long; only this match uses them.
        use bindings::*;
        match self {
            Self::Base25000CrFull => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_25000baseCR_Full_BIT
            }
            Self::Base25000KrFull => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_25000baseKR_Full_BIT
            }
            Self::Base25000SrFull => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_25000baseSR_Full_BIT
            }
            Self::Base50000Cr2Full => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseCR2_Full_BIT
            }
            Self::Base50000Kr2Full => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseKR2_Full_BIT
            }
            Self::Base50000Sr2Full => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseSR2_Full_BIT
            }
            Self::Base50000CrFull => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseCR_Full_BIT
            }
            Self::Base50000KrFull => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseKR_Full_BIT
            }
            Self::Base50000SrFull => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseSR_Full_BIT
            }
            Self::Base50000LrErFrFull => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseLR_ER_FR_Full_BIT
            }
            Self::Base50000DrFull => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_50000baseDR_Full_BIT
            }
            Self::Base100000Cr2Full => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100000baseCR2_Full_BIT
            }
            Self::Base100000Kr2Full => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100000baseKR2_Full_BIT
            }
            Self::Base100000Sr2Full => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100000baseSR2_Full_BIT
            }
            Self::Base100000Lr2Er2Fr2Full => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100000baseLR2_ER2_FR2_Full_BIT
            }
            Self::Base100000Dr2Full => {
                ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100000baseDR2_Full_BIT
            }
            Self::Mii => ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_MII_BIT,
            Self::Pause => ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Pause_BIT,
            Self::AsymPause => ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Asym_Pause_BIT,
            Self::FecNone => ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_FEC_NONE_BIT,
            Self::FecBaser => ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_FEC_BASER_BIT,
            Self::FecRs => ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_FEC_RS_BIT,
        }
    }
}

/// Sets `bit` in a link mode bitmap of `unsigned long`s.
fn set_mode(mask: &mut [c_ulong], bit: u32) {
    let bits = c_ulong::BITS;
    if let Some(word) = mask.get_mut(usize::from_safe_cast(bit / bits)) {
        *word |= 1 << (bit % bits);
    }
}

/// Link settings for `ethtool <dev>` (`struct ethtool_link_ksettings`).
///
/// The core passes them in zeroed, that is: no modes, speed 0, duplex
/// half, port TP, autonegotiation off. Drivers report what applies; a link
/// that is down reports [`LinkKsettings::set_unknown_speed`].
#[repr(transparent)]
pub struct LinkKsettings(bindings::ethtool_link_ksettings);

impl LinkKsettings {
    /// Sets the current speed in Mb/s and full duplex.
    pub fn set_speed_full_duplex(&mut self, mbps: u32) {
        self.0.base.speed = mbps;
        self.0.base.duplex = u32_into_u8::<{ bindings::DUPLEX_FULL }>();
    }

    /// Reports speed and duplex as unknown (link down).
    pub fn set_unknown_speed(&mut self) {
        // CAST: `SPEED_UNKNOWN` is -1, which the C field holds as
        // `(u32)-1`.
        self.0.base.speed = bindings::SPEED_UNKNOWN as u32;
        self.0.base.duplex = u32_into_u8::<{ bindings::DUPLEX_UNKNOWN }>();
    }

    /// Sets the port type to a direct-attach copper cable (`PORT_DA`).
    pub fn set_port_direct_attach(&mut self) {
        self.0.base.port = u32_into_u8::<{ bindings::PORT_DA }>();
    }

    /// Sets the number of lanes in use.
    pub fn set_lanes(&mut self, lanes: u32) {
        self.0.lanes = lanes;
    }

    /// Adds `mode` to the supported modes.
    pub fn add_supported(&mut self, mode: LinkMode) {
        set_mode(&mut self.0.link_modes.supported, mode.bit());
    }

    /// Adds `mode` to the advertised modes.
    pub fn add_advertising(&mut self, mode: LinkMode) {
        set_mode(&mut self.0.link_modes.advertising, mode.bit());
    }
}
