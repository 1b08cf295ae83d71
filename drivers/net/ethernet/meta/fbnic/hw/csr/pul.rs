// SPDX-License-Identifier: GPL-2.0

//! PCIe user logic (PUL): outbound DMA enables and TLP counters.
//!
//! The mailbox reset and bring-up sequence works through these: writing
//! `AW_CFG` without `BME` (but with `FLUSH | FLUSH_MODE`) stops device
//! writes to the host and drops the ones in flight; `AR_CFG` likewise for
//! reads. Setting `BME` allows the DMA again.

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x31000;
/// Last dword of the block.
pub const END: u32 = 0x310ea;

/// `FBNIC_PUL_OB_TLP_HDR_AW_CFG`: outbound write (device to host) setup.
pub const OB_TLP_HDR_AW_CFG: u32 = 0x3103d;
/// With `FLUSH`: drain queued writes without landing them on the host.
pub const OB_TLP_HDR_AW_CFG_FLUSH_MODE: u32 = 1 << 20;
/// Flush queued writes.
pub const OB_TLP_HDR_AW_CFG_FLUSH: u32 = 1 << 19;
/// Bus master enable for writes.
pub const OB_TLP_HDR_AW_CFG_BME: u32 = 1 << 18;
/// TLP attributes of RX data writes (`TLP_ATTR_*`).
pub const OB_TLP_HDR_AW_CFG_RDE_ATTR: Field32 = Field32::new(17, 15);
/// TLP attributes of RX queue manager writes.
pub const OB_TLP_HDR_AW_CFG_RQM_ATTR: Field32 = Field32::new(14, 12);
/// TLP attributes of TX queue manager writes.
pub const OB_TLP_HDR_AW_CFG_TQM_ATTR: Field32 = Field32::new(11, 9);
/// TLP attribute: no snoop.
pub const TLP_ATTR_NS: u32 = 1;
/// TLP attribute: relaxed ordering.
pub const TLP_ATTR_RO: u32 = 2;
/// TLP attribute: ID-based ordering.
pub const TLP_ATTR_IDO: u32 = 4;

/// `FBNIC_PUL_OB_TLP_HDR_AR_CFG`: outbound read (device from host) setup.
pub const OB_TLP_HDR_AR_CFG: u32 = 0x3103e;
/// Flush queued reads.
pub const OB_TLP_HDR_AR_CFG_FLUSH: u32 = 1 << 19;
/// Bus master enable for reads.
pub const OB_TLP_HDR_AR_CFG_BME: u32 = 1 << 18;
/// TLP attributes of TX data reads.
pub const OB_TLP_HDR_AR_CFG_TDE_ATTR: Field32 = Field32::new(17, 15);
/// TLP attributes of RX queue manager reads.
pub const OB_TLP_HDR_AR_CFG_RQM_ATTR: Field32 = Field32::new(14, 12);
/// TLP attributes of TX queue manager reads.
pub const OB_TLP_HDR_AR_CFG_TQM_ATTR: Field32 = Field32::new(11, 9);

/// `FBNIC_PUL_USER_OB_RD_TLP_CNT_31_0` (64-bit counter, high half at +1).
pub const USER_OB_RD_TLP_CNT_31_0: u32 = 0x3106e;
/// `FBNIC_PUL_USER_OB_RD_DWORD_CNT_31_0`.
pub const USER_OB_RD_DWORD_CNT_31_0: u32 = 0x31070;
/// `FBNIC_PUL_USER_OB_RD_DWORD_CNT_63_32`.
pub const USER_OB_RD_DWORD_CNT_63_32: u32 = 0x31071;
/// `FBNIC_PUL_USER_OB_WR_TLP_CNT_31_0`.
pub const USER_OB_WR_TLP_CNT_31_0: u32 = 0x31072;
/// `FBNIC_PUL_USER_OB_WR_TLP_CNT_63_32`.
pub const USER_OB_WR_TLP_CNT_63_32: u32 = 0x31073;
/// `FBNIC_PUL_USER_OB_WR_DWORD_CNT_31_0`.
pub const USER_OB_WR_DWORD_CNT_31_0: u32 = 0x31074;
/// `FBNIC_PUL_USER_OB_WR_DWORD_CNT_63_32`.
pub const USER_OB_WR_DWORD_CNT_63_32: u32 = 0x31075;
/// `FBNIC_PUL_USER_OB_CPL_TLP_CNT_31_0`.
pub const USER_OB_CPL_TLP_CNT_31_0: u32 = 0x31076;
/// `FBNIC_PUL_USER_OB_CPL_TLP_CNT_63_32`.
pub const USER_OB_CPL_TLP_CNT_63_32: u32 = 0x31077;
/// `FBNIC_PUL_USER_OB_CPL_DWORD_CNT_31_0`.
pub const USER_OB_CPL_DWORD_CNT_31_0: u32 = 0x31078;
/// `FBNIC_PUL_USER_OB_CPL_DWORD_CNT_63_32`.
pub const USER_OB_CPL_DWORD_CNT_63_32: u32 = 0x31079;
/// `FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_31_0`.
pub const USER_OB_RD_DBG_CNT_CPL_CRED_31_0: u32 = 0x3107a;
/// `FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_63_32`.
pub const USER_OB_RD_DBG_CNT_CPL_CRED_63_32: u32 = 0x3107b;
/// `FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_31_0`.
pub const USER_OB_RD_DBG_CNT_TAG_31_0: u32 = 0x3107c;
/// `FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_63_32`.
pub const USER_OB_RD_DBG_CNT_TAG_63_32: u32 = 0x3107d;
/// `FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_31_0`.
pub const USER_OB_RD_DBG_CNT_NP_CRED_31_0: u32 = 0x3107e;
/// `FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_63_32`.
pub const USER_OB_RD_DBG_CNT_NP_CRED_63_32: u32 = 0x3107f;
