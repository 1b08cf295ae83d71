// SPDX-License-Identifier: GPL-2.0

//! The physical layer's settings and counters: pause frames (`ethtool
//! -a/-A`, `struct ethtool_pauseparam`), forward error correction
//! (`ethtool --show-fec`, `struct ethtool_fecparam`), and the counters of
//! `ethtool -I -a`, `ethtool -I --show-fec` and `ethtool -S --all-groups`
//! (pause frames, FEC blocks, PHY symbol errors, link down events).

use crate::kernel_ext::bindings;

/// Pause frame settings (`ethtool -a` / `-A`, `struct ethtool_pauseparam`).
///
/// # Examples
///
/// ```ignore
/// fn get_pauseparam(dev: &net::Device<Self>, pause: &mut PauseParam) {
///     // Pause negotiated with the link partner, nothing forced.
///     pause.set(true, false, false);
/// }
/// ```
#[repr(transparent)]
pub struct PauseParam(bindings::ethtool_pauseparam);

impl PauseParam {
    /// Whether pause is negotiated with the link partner.
    pub fn autoneg(&self) -> bool {
        self.0.autoneg != 0
    }

    /// Whether received pause frames are honoured (`rx`).
    pub fn rx(&self) -> bool {
        self.0.rx_pause != 0
    }

    /// Whether pause frames are sent (`tx`).
    pub fn tx(&self) -> bool {
        self.0.tx_pause != 0
    }

    /// Reports the settings: negotiated, and what is used without
    /// negotiation.
    pub fn set(&mut self, autoneg: bool, rx: bool, tx: bool) {
        self.0.autoneg = autoneg.into();
        self.0.rx_pause = rx.into();
        self.0.tx_pause = tx.into();
    }
}

/// The pause frame counters (`ethtool -I -a`, `struct
/// ethtool_pause_stats`). The core presets every counter to "not
/// reported"; the driver sets those it has.
#[repr(transparent)]
pub struct PauseStats(bindings::ethtool_pause_stats);

impl PauseStats {
    /// Sets the pause frames sent.
    pub fn tx_pause_frames(&mut self, value: u64) -> &mut Self {
        // The union's two members are the same counters (a struct group).
        self.0.__bindgen_anon_1.__bindgen_anon_1.tx_pause_frames = value;
        self
    }

    /// Sets the pause frames received.
    pub fn rx_pause_frames(&mut self, value: u64) -> &mut Self {
        self.0.__bindgen_anon_1.__bindgen_anon_1.rx_pause_frames = value;
        self
    }

    /// Sets the pause storms: times the device stopped sending pause
    /// frames because the host did not drain its buffer.
    pub fn tx_pause_storm_events(&mut self, value: u64) -> &mut Self {
        self.0
            .__bindgen_anon_1
            .__bindgen_anon_1
            .tx_pause_storm_events = value;
        self
    }
}

/// FEC modes, as [`FecParam::set`] takes them (`ETHTOOL_FEC_*` in
/// `include/uapi/linux/ethtool.h`).
pub mod fec {
    use crate::kernel_ext::bindings;

    /// The mode the link settles on by itself (configured modes only).
    pub const AUTO: u32 = bindings::ETHTOOL_FEC_AUTO;
    /// No FEC.
    pub const OFF: u32 = bindings::ETHTOOL_FEC_OFF;
    /// Reed-Solomon FEC (Clause 91/134).
    pub const RS: u32 = bindings::ETHTOOL_FEC_RS;
    /// BASE-R (Firecode) FEC (Clause 74).
    pub const BASER: u32 = bindings::ETHTOOL_FEC_BASER;
}

/// FEC settings (`ethtool --show-fec`, `struct ethtool_fecparam`).
#[repr(transparent)]
pub struct FecParam(bindings::ethtool_fecparam);

impl FecParam {
    /// Reports the configured modes (`configured`, a mask of [`fec`]
    /// modes) and the one in use (`active`).
    pub fn set(&mut self, configured: u32, active: u32) {
        self.0.fec = configured;
        self.0.active_fec = active;
    }
}

/// The FEC counters (`ethtool -I --show-fec`, `struct ethtool_fec_stats`):
/// totals over all lanes. The core presets every counter to "not
/// reported".
#[repr(transparent)]
pub struct FecStats(bindings::ethtool_fec_stats);

impl FecStats {
    /// Sets the codewords with errors that FEC corrected.
    pub fn corrected_blocks(&mut self, total: u64) -> &mut Self {
        self.0.corrected_blocks.total = total;
        self
    }

    /// Sets the codewords with errors FEC could not correct.
    pub fn uncorrectable_blocks(&mut self, total: u64) -> &mut Self {
        self.0.uncorrectable_blocks.total = total;
        self
    }
}

/// The IEEE 802.3 PHY counters (`ethtool -S --groups eth-phy`, `struct
/// ethtool_eth_phy_stats`), preset to "not reported" by the core.
#[repr(transparent)]
pub struct EthPhyStats(bindings::ethtool_eth_phy_stats);

impl EthPhyStats {
    /// Sets the symbol errors seen while a carrier was present.
    pub fn symbol_error_during_carrier(&mut self, value: u64) -> &mut Self {
        // The union's two members are the same counter (a struct group).
        self.0
            .__bindgen_anon_1
            .__bindgen_anon_1
            .SymbolErrorDuringCarrier = value;
        self
    }
}

/// The link's own counters (`struct ethtool_link_ext_stats`, shown by
/// `ethtool -I <dev>`), preset to "not reported" by the core.
#[repr(transparent)]
pub struct LinkExtStats(bindings::ethtool_link_ext_stats);

impl LinkExtStats {
    /// Sets the times the link went down.
    pub fn link_down_events(&mut self, value: u64) -> &mut Self {
        self.0.link_down_events = value;
        self
    }
}
