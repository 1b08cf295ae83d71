// SPDX-License-Identifier: GPL-2.0

//! The generic clause-45 MDIO numbers the PCS path depends on, from
//! `include/uapi/linux/mdio.h` and the DesignWare XPCS driver. They are
//! register numbers *within* a PCS page, not BAR0 indices.

/// MMD of the PMA/PMD (`MDIO_MMD_PMAPMD`).
pub const MMD_PMAPMD: u32 = 1;
/// MMD of the PCS (`MDIO_MMD_PCS`).
pub const MMD_PCS: u32 = 3;
/// MMD of the separated PMA (`MDIO_MMD_SEP_PMA1`).
pub const MMD_SEP_PMA1: u32 = 8;
/// `MDIO_CTRL1`.
pub const CTRL1: u32 = 0;
/// Soft reset, self-clearing (`MDIO_CTRL1_RESET`).
pub const CTRL1_RESET: u32 = 0x8000;
/// Speed selection bits of `CTRL1` (`MDIO_CTRL1_SPEEDSEL`).
pub const CTRL1_SPEEDSEL: u32 = 0x2040 | 0x003c;
/// `MDIO_PCS_CTRL1_SPEED25G`.
pub const PCS_CTRL1_SPEED25G: u32 = 0x2054;
/// `MDIO_PCS_CTRL1_SPEED50G`.
pub const PCS_CTRL1_SPEED50G: u32 = 0x2058;
/// `MDIO_PCS_CTRL1_SPEED100G`.
pub const PCS_CTRL1_SPEED100G: u32 = 0x2050;
/// `MDIO_STAT1`.
pub const STAT1: u32 = 1;
/// Link up, latched low (`MDIO_STAT1_LSTATUS`).
pub const STAT1_LSTATUS: u32 = 0x0004;
/// Fault (`MDIO_STAT1_FAULT`).
pub const STAT1_FAULT: u32 = 0x0080;
/// `MDIO_DEVID1`.
pub const DEVID1: u32 = 2;
/// `MDIO_DEVID2`.
pub const DEVID2: u32 = 3;
/// `MDIO_DEVS1`.
pub const DEVS1: u32 = 5;
/// `MDIO_DEVS2`.
pub const DEVS2: u32 = 6;
/// `MDIO_STAT2`.
pub const STAT2: u32 = 8;
/// `MDIO_PMA_RXDET`.
pub const PMA_RXDET: u32 = 10;
/// `MDIO_PCS_10GBRT_STAT1`: BASE-R status 1.
pub const PCS_BASER_STAT1: u32 = 32;
/// Block lock (`MDIO_PCS_10GBRT_STAT1_BLKLK`).
pub const PCS_BASER_STAT1_BLKLK: u32 = 0x0001;
/// `MDIO_PCS_10GBRT_STAT2`: BASE-R status 2.
pub const PCS_BASER_STAT2: u32 = 33;
/// `MDIO_PMA_RSFEC_CTRL`.
pub const PMA_RSFEC_CTRL: u32 = 200;
/// `MDIO_PMA_RSFEC_LANE_MAP`.
pub const PMA_RSFEC_LANE_MAP: u32 = 206;
/// DesignWare vendor digital control 1 (`DW_VENDOR | DW_VR_XS_PCS_DIG_CTRL1`).
pub const DW_VR_XS_PCS_DIG_CTRL1: u32 = 0x8000;
/// Vendor soft reset, self-clearing (`DW_VR_RST`).
pub const DW_VR_RST: u32 = 1 << 15;
/// DesignWare vendor digital status (`DW_VENDOR | DW_VR_XS_PCS_DIG_STS`).
pub const DW_VR_XS_PCS_DIG_STS: u32 = 0x8010;
