// SPDX-License-Identifier: GPL-2.0

//! MAC PCS: two 1 KiB pages of DesignWare XPCS registers reached through the
//! driver's software MDIO bus.
//!
//! The driver maps an MMD 3 (PCS) access at PHY address `addr` and register
//! `regnum` to dword [`PCS`]`(addr, regnum)`, after swapping the DesignWare
//! vendor bit (15) for fbnic's (9); see
//! [`pcs::mdio_pcs_index`](mdio_pcs_index). MMD 8 (separated PMA) registers
//! 200..=206 map onto [`pcs::rsfec_control`](rsfec_control).

use super::super::reg::{
    index,
    register,
    At,
    RegInfo, //
};

/// First dword of the PCS pages.
pub const START: u32 = 0x10000;
/// Last dword of the PCS pages.
pub const END: u32 = 0x10668;

register! {
    /// `FBNIC_PCS(reg, n)`: register `m` of PCS instance `n` (the C macro
    /// takes them the other way round).
    pub PCS(Bar0) @ 0x10000, [PcsIdx * 0x400, PcsRegIdx * 1] = "FBNIC_PCS(m, n)" {}
}
/// PCS instances the MDIO bus exposes (addresses 0 and 1).
pub const MDIO_ADDRS: u32 = 2;
/// DesignWare vendor-specific register bit in an MDIO register number
/// (`DW_VENDOR`, fbnic_mdio.c).
pub const MDIO_DW_VENDOR: u32 = 1 << 15;
/// Where fbnic places the vendor registers (`FBNIC_PCS_VENDOR`).
pub const MDIO_PCS_VENDOR: u32 = 1 << 9;
/// Register-number bits that name no register: reads give 0, writes
/// are dropped (`FBNIC_PCS_ZERO_MASK`).
pub const MDIO_ZERO_MASK: u32 = MDIO_DW_VENDOR - MDIO_PCS_VENDOR;

/// BAR0 dword the driver accesses for an MMD 3 (PCS) register, or
/// `None` where the driver reads 0 / drops the write (address >= 2 or a
/// reserved register number). The driver additionally synthesises
/// `DEVID1/2` and ORs presence bits into `DEVS1`; those reads do not
/// come from here.
pub const fn mdio_pcs_index(addr: u32, regnum: u32) -> Option<At<PCS>> {
    if regnum & MDIO_ZERO_MASK != 0 || regnum > 0xffff {
        return None;
    }
    let regnum = if regnum & MDIO_DW_VENDOR != 0 {
        regnum ^ (MDIO_DW_VENDOR | MDIO_PCS_VENDOR)
    } else {
        regnum
    };
    match (PcsIdx::new(addr), PcsRegIdx::new(regnum)) {
        (Some(n), Some(r)) => Some(PCS::at(n, r)),
        _ => None,
    }
}

/// First dword of the RS-FEC block.
pub const RSFEC_START: u32 = 0x10800;
/// Last dword of the RS-FEC block.
pub const RSFEC_END: u32 = 0x108c8;
register! {
    /// Register `m` of RS-FEC engine `n`: the window MMD 8 registers
    /// 200..=206 map onto.
    pub RSFEC(Bar0) @ 0x10800, [RsfecIdx * 8, RsfecRegIdx * 1] = "FBNIC_RSFEC_CONTROL(n) + (m)" {}
    /// `FBNIC_RSFEC_CONTROL(n)`: RS-FEC engine `n` (only 0 is used); its
    /// registers mirror IEEE MMD 1/8 registers 200..=206.
    pub RSFEC_CONTROL(Bar0) @ 0x10800, [RsfecIdx * 8] = "FBNIC_RSFEC_CONTROL(n)" {}
    /// `FBNIC_RSFEC_CCW_LO(n)`: corrected codewords (clear on read).
    pub RSFEC_CCW_LO(Bar0) @ 0x10802, [RsfecIdx * 8] = "FBNIC_RSFEC_CCW_LO(n)" {}
    /// `FBNIC_RSFEC_CCW_HI(n)`.
    pub RSFEC_CCW_HI(Bar0) @ 0x10803, [RsfecIdx * 8] = "FBNIC_RSFEC_CCW_HI(n)" {}
    /// `FBNIC_RSFEC_NCCW_LO(n)`: uncorrectable codewords (clear on read).
    pub RSFEC_NCCW_LO(Bar0) @ 0x10804, [RsfecIdx * 8] = "FBNIC_RSFEC_NCCW_LO(n)" {}
    /// `FBNIC_RSFEC_NCCW_HI(n)`.
    pub RSFEC_NCCW_HI(Bar0) @ 0x10805, [RsfecIdx * 8] = "FBNIC_RSFEC_NCCW_HI(n)" {}
}
/// PCS lanes (`FBNIC_PCS_MAX_LANES`).
pub const MAX_LANES: u32 = 4;
register! {
    /// `FBNIC_PCS_SYMBLERR_LO(n)`: symbol errors of lane `n` (clear on read).
    pub SYMBLERR_LO(Bar0) @ 0x10880, [LaneIdx * 2] = "FBNIC_PCS_SYMBLERR_LO(n)" {}
    /// `FBNIC_PCS_SYMBLERR_HI(n)`.
    pub SYMBLERR_HI(Bar0) @ 0x10881, [LaneIdx * 2] = "FBNIC_PCS_SYMBLERR_HI(n)" {}
}
/// BAR0 dword the driver reads for an MMD 8 (separated PMA) register,
/// or `None` for registers it synthesises (everything but the RS-FEC
/// range `MDIO_PMA_RSFEC_CTRL..=MDIO_PMA_RSFEC_LANE_MAP`) or addresses
/// >= 2.
pub const fn mdio_rsfec_index(addr: u32, regnum: u32) -> Option<At<RSFEC>> {
    if addr >= MDIO_ADDRS || regnum < super::mdio::PMA_RSFEC_CTRL {
        return None;
    }
    match (
        RsfecIdx::new(addr),
        RsfecRegIdx::new(regnum - super::mdio::PMA_RSFEC_CTRL),
    ) {
        (Some(n), Some(r)) => Some(RSFEC::at(n, r)),
        _ => None,
    }
}

/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    PCS::INFO,
    RSFEC::INFO,
    RSFEC_CONTROL::INFO,
    RSFEC_CCW_LO::INFO,
    RSFEC_CCW_HI::INFO,
    RSFEC_NCCW_LO::INFO,
    RSFEC_NCCW_HI::INFO,
    SYMBLERR_LO::INFO,
    SYMBLERR_HI::INFO,
];

index! {
    /// A PCS instance: an MDIO PHY address below `MDIO_ADDRS`.
    pub PcsIdx < MDIO_ADDRS;
}
index! {
    /// A register number within a PCS page.
    pub PcsRegIdx < 0x400;
}
index! {
    /// A register of the RS-FEC window: MMD 8 registers
    /// `PMA_RSFEC_CTRL..=PMA_RSFEC_LANE_MAP`.
    pub RsfecRegIdx < super::mdio::PMA_RSFEC_LANE_MAP - super::mdio::PMA_RSFEC_CTRL + 1;
}
index! {
    /// An RS-FEC engine.
    pub RsfecIdx < MAX_LANES;
}
index! {
    /// A PCS lane.
    pub LaneIdx < MAX_LANES;
}
