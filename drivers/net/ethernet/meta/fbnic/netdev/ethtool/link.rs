// SPDX-License-Identifier: GPL-2.0

//! The link's ethtool operations: link settings (`ethtool <dev>`), pause
//! frames (`-a`/`-A`), FEC (`--show-fec`) and the counters of the
//! physical layer, answered as the C driver answers them through phylink
//! and its PCS: the link modes of the lane configuration the firmware
//! chose, no autonegotiation, pause and FEC modes as phylink and
//! `fbnic_phylink.c` add them.

#![forbid(unsafe_code)]

use kernel::prelude::*;

use crate::{
    hw::fw::{
        Aui,
        Fec, //
    },
    kernel_ext::net::{
        self,
        ethtool::{
            fec,
            EthPhyStats,
            FecParam,
            FecStats,
            LinkExtStats,
            LinkKsettings,
            LinkMode,
            PauseParam,
            PauseStats, //
        },
    },
    link::{
        Change,
        Pause, //
    },
    netdev::Port, //
};

/// The link modes of an interface: what the PCS supports for it
/// (`xpcs_*_features` for the phylink interface of each AUI).
fn modes(aui: Aui) -> &'static [LinkMode] {
    use LinkMode::*;
    match aui {
        Aui::Gaui25 => &[Base25000CrFull, Base25000KrFull, Base25000SrFull],
        Aui::Laui2 => &[Base50000Cr2Full, Base50000Kr2Full, Base50000Sr2Full],
        Aui::Gaui50x1 => &[
            Base50000KrFull,
            Base50000SrFull,
            Base50000CrFull,
            Base50000LrErFrFull,
            Base50000DrFull,
        ],
        Aui::Gaui100x2 => &[
            Base100000Kr2Full,
            Base100000Sr2Full,
            Base100000Cr2Full,
            Base100000Lr2Er2Fr2Full,
            Base100000Dr2Full,
        ],
    }
}

/// The FEC modes the lane configuration supports: RS only on 50G lanes,
/// none, BASE-R or RS on 25G ones (`fbnic_phylink_get_supported_fec_modes()`).
fn fec_modes(aui: Aui) -> &'static [LinkMode] {
    match aui {
        Aui::Gaui50x1 | Aui::Gaui100x2 => &[LinkMode::FecRs],
        Aui::Gaui25 | Aui::Laui2 => &[LinkMode::FecBaser, LinkMode::FecNone, LinkMode::FecRs],
    }
}

/// Whether the lanes run PAM4 (50G lanes), where the firmware may pick
/// the FEC mode by itself (`FBNIC_AUI_MODE_PAM4`).
fn pam4(aui: Aui) -> bool {
    matches!(aui, Aui::Gaui50x1 | Aui::Gaui100x2)
}

/// The pause modes advertised for the settings of `ethtool -A`: both at
/// first; then symmetric for RX, asymmetric for RX or TX alone
/// (`linkmode_set_pause()`).
fn pause_modes(pause: Pause, initial: bool) -> (bool, bool) {
    if initial {
        (true, true)
    } else {
        (pause.rx, pause.rx != pause.tx)
    }
}

pub(super) fn get_link_ksettings(dev: &net::Device<Port>, settings: &mut LinkKsettings) -> Result {
    let port = dev.data();
    let link = &port.service.link;
    let config = link.config();
    let (pause, pause_set) = (link.pause(), link.pause_set());
    for &mode in modes(config.aui) {
        settings.add_supported(mode);
        settings.add_advertising(mode);
    }
    for mode in [LinkMode::Mii, LinkMode::Pause, LinkMode::AsymPause] {
        settings.add_supported(mode);
    }
    settings.add_advertising(LinkMode::Mii);
    let (sym, asym) = pause_modes(pause, !pause_set);
    if sym {
        settings.add_advertising(LinkMode::Pause);
    }
    if asym {
        settings.add_advertising(LinkMode::AsymPause);
    }
    for &mode in fec_modes(config.aui) {
        settings.add_supported(mode);
    }
    settings.set_port_direct_attach();
    settings.set_lanes(config.lanes());
    if link.is_up() {
        settings.set_speed_full_duplex(config.speed_mbps());
    } else {
        settings.set_unknown_speed();
    }
    Ok(())
}

pub(super) fn get_pauseparam(dev: &net::Device<Port>, param: &mut PauseParam) {
    let pause = dev.data().service.link.pause();
    param.set(pause.autoneg, pause.rx, pause.tx);
}

pub(super) fn set_pauseparam(dev: &net::Device<Port>, param: &PauseParam) -> Result {
    let port = dev.data();
    // Both symmetric and asymmetric pause are supported, so any
    // combination is valid (`phylink_ethtool_set_pauseparam()`).
    let cycled = port.service.link.set_pause(
        &port.shared.regs,
        Pause {
            autoneg: param.autoneg(),
            rx: param.rx(),
            tx: param.tx(),
        },
    );
    if cycled {
        // The link went down and came up with the new settings.
        port.service.set_carrier(dev, Change::Down);
        port.service.set_carrier(dev, Change::Up);
    }
    Ok(())
}

pub(super) fn get_pause_stats(dev: &net::Device<Port>, stats: &mut PauseStats) {
    let shared = &dev.data().shared;
    shared.phy_stats.fill_pause(&shared.regs, stats);
}

pub(super) fn get_fecparam(dev: &net::Device<Port>, param: &mut FecParam) -> Result {
    let config = dev.data().service.link.config();
    let active = match config.fec {
        Fec::Rs => fec::RS,
        Fec::BaseR => fec::BASER,
        Fec::Off => fec::OFF,
    };
    let configured = if pam4(config.aui) {
        active | fec::AUTO
    } else {
        active
    };
    param.set(configured, active);
    Ok(())
}

pub(super) fn get_fec_stats(dev: &net::Device<Port>, stats: &mut FecStats) {
    let shared = &dev.data().shared;
    shared.phy_stats.fill_fec(&shared.regs, stats);
}

pub(super) fn get_eth_phy_stats(dev: &net::Device<Port>, stats: &mut EthPhyStats) {
    let shared = &dev.data().shared;
    shared.phy_stats.fill_phy(&shared.regs, stats);
}

pub(super) fn get_link_ext_stats(dev: &net::Device<Port>, stats: &mut LinkExtStats) {
    stats.link_down_events(dev.data().service.link.down_events());
}
