// SPDX-License-Identifier: GPL-2.0

//! MAC PCS: two 1 KiB pages of DesignWare XPCS registers reached through the
//! driver's software MDIO bus.
//!
//! The driver maps an MMD 3 (PCS) access at PHY address `addr` and register
//! `regnum` to dword `page(addr) + regnum`, after swapping the DesignWare
//! vendor bit (15) for fbnic's (9); see
//! [`pcs::mdio_pcs_index`](mdio_pcs_index). MMD 8 (separated PMA) registers
//! 200..=206 map onto [`pcs::rsfec_control`](rsfec_control).

/// First dword of the PCS pages.
pub const START: u32 = 0x10000;
/// Last dword of the PCS pages.
pub const END: u32 = 0x10668;

/// `FBNIC_PCS_PAGE(n)`: first dword of PCS instance `n` (0 or 1).
pub const fn page(n: u32) -> u32 {
    0x10000u32.wrapping_add(n.wrapping_mul(0x400))
}
/// `FBNIC_PCS(reg, n)`: register `reg` of PCS instance `n`.
pub const fn reg(reg: u32, n: u32) -> u32 {
    page(n).wrapping_add(reg)
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
pub const fn mdio_pcs_index(addr: u32, regnum: u32) -> Option<u32> {
    if addr >= MDIO_ADDRS || regnum & MDIO_ZERO_MASK != 0 || regnum > 0xffff {
        return None;
    }
    let regnum = if regnum & MDIO_DW_VENDOR != 0 {
        regnum ^ (MDIO_DW_VENDOR | MDIO_PCS_VENDOR)
    } else {
        regnum
    };
    Some(reg(regnum, addr))
}

/// First dword of the RS-FEC block.
pub const RSFEC_START: u32 = 0x10800;
/// Last dword of the RS-FEC block.
pub const RSFEC_END: u32 = 0x108c8;
/// `FBNIC_RSFEC_CONTROL(n)`: RS-FEC engine `n` (only 0 is used); its
/// registers mirror IEEE MMD 1/8 registers 200..=206.
pub const fn rsfec_control(n: u32) -> u32 {
    0x10800u32.wrapping_add(n.wrapping_mul(8))
}
/// `FBNIC_RSFEC_CCW_LO(n)`: corrected codewords (clear on read).
pub const fn rsfec_ccw_lo(n: u32) -> u32 {
    0x10802u32.wrapping_add(n.wrapping_mul(8))
}
/// `FBNIC_RSFEC_CCW_HI(n)`.
pub const fn rsfec_ccw_hi(n: u32) -> u32 {
    0x10803u32.wrapping_add(n.wrapping_mul(8))
}
/// `FBNIC_RSFEC_NCCW_LO(n)`: uncorrectable codewords (clear on read).
pub const fn rsfec_nccw_lo(n: u32) -> u32 {
    0x10804u32.wrapping_add(n.wrapping_mul(8))
}
/// `FBNIC_RSFEC_NCCW_HI(n)`.
pub const fn rsfec_nccw_hi(n: u32) -> u32 {
    0x10805u32.wrapping_add(n.wrapping_mul(8))
}
/// PCS lanes (`FBNIC_PCS_MAX_LANES`).
pub const MAX_LANES: u32 = 4;
/// `FBNIC_PCS_SYMBLERR_LO(n)`: symbol errors of lane `n` (clear on read).
pub const fn symblerr_lo(n: u32) -> u32 {
    0x10880u32.wrapping_add(n.wrapping_mul(2))
}
/// `FBNIC_PCS_SYMBLERR_HI(n)`.
pub const fn symblerr_hi(n: u32) -> u32 {
    0x10881u32.wrapping_add(n.wrapping_mul(2))
}

/// BAR0 dword the driver reads for an MMD 8 (separated PMA) register,
/// or `None` for registers it synthesises (everything but the RS-FEC
/// range `MDIO_PMA_RSFEC_CTRL..=MDIO_PMA_RSFEC_LANE_MAP`) or addresses
/// >= 2.
pub const fn mdio_rsfec_index(addr: u32, regnum: u32) -> Option<u32> {
    if addr >= MDIO_ADDRS
        || regnum < super::mdio::PMA_RSFEC_CTRL
        || regnum > super::mdio::PMA_RSFEC_LANE_MAP
    {
        return None;
    }
    Some(rsfec_control(addr).wrapping_add(regnum - super::mdio::PMA_RSFEC_CTRL))
}
