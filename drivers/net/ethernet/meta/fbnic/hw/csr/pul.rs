// SPDX-License-Identifier: GPL-2.0

//! PCIe user logic (PUL): outbound DMA enables and TLP counters.
//!
//! The mailbox reset and bring-up sequence works through these: writing
//! `AW_CFG` without `BME` (but with `FLUSH | FLUSH_MODE`) stops device
//! writes to the host and drops the ones in flight; `AR_CFG` likewise for
//! reads. Setting `BME` allows the DMA again.

use super::super::reg::{
    register,
    RegInfo, //
};

/// First dword of the block.
pub const START: u32 = 0x31000;
/// Last dword of the block.
pub const END: u32 = 0x310ea;

register! {
    /// `FBNIC_PUL_OB_TLP_HDR_AW_CFG`: outbound write (device to host) setup.
    pub OB_TLP_HDR_AW_CFG(Bar0) @ 0x3103d = "FBNIC_PUL_OB_TLP_HDR_AW_CFG" {
        /// With `FLUSH`: drain queued writes without landing them on the host.
        FLUSH_MODE: 20:20 = "FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH_MODE";
        /// Flush queued writes.
        FLUSH: 19:19 = "FBNIC_PUL_OB_TLP_HDR_AW_CFG_FLUSH";
        /// Bus master enable for writes.
        BME: 18:18 = "FBNIC_PUL_OB_TLP_HDR_AW_CFG_BME";
        /// TLP attributes of RX data writes (`TLP_ATTR_*`).
        RDE_ATTR: 17:15 = "FBNIC_PUL_OB_TLP_HDR_AW_CFG_RDE_ATTR";
        /// TLP attributes of RX queue manager writes.
        RQM_ATTR: 14:12 = "FBNIC_PUL_OB_TLP_HDR_AW_CFG_RQM_ATTR";
        /// TLP attributes of TX queue manager writes.
        TQM_ATTR: 11:9 = "FBNIC_PUL_OB_TLP_HDR_AW_CFG_TQM_ATTR";
    }
}
/// TLP attribute: no snoop.
pub const TLP_ATTR_NS: u32 = 1;
/// TLP attribute: relaxed ordering.
pub const TLP_ATTR_RO: u32 = 2;
/// TLP attribute: ID-based ordering.
pub const TLP_ATTR_IDO: u32 = 4;

register! {
    /// `FBNIC_PUL_OB_TLP_HDR_AR_CFG`: outbound read (device from host) setup.
    pub OB_TLP_HDR_AR_CFG(Bar0) @ 0x3103e = "FBNIC_PUL_OB_TLP_HDR_AR_CFG" {
        /// Flush queued reads.
        FLUSH: 19:19 = "FBNIC_PUL_OB_TLP_HDR_AR_CFG_FLUSH";
        /// Bus master enable for reads.
        BME: 18:18 = "FBNIC_PUL_OB_TLP_HDR_AR_CFG_BME";
        /// TLP attributes of TX data reads.
        TDE_ATTR: 17:15 = "FBNIC_PUL_OB_TLP_HDR_AR_CFG_TDE_ATTR";
        /// TLP attributes of RX queue manager reads.
        RQM_ATTR: 14:12 = "FBNIC_PUL_OB_TLP_HDR_AR_CFG_RQM_ATTR";
        /// TLP attributes of TX queue manager reads.
        TQM_ATTR: 11:9 = "FBNIC_PUL_OB_TLP_HDR_AR_CFG_TQM_ATTR";
    }
    /// `FBNIC_PUL_USER_OB_RD_TLP_CNT_31_0` (64-bit counter, high half at +1).
    pub USER_OB_RD_TLP_CNT_31_0(Bar0) @ 0x3106e = "FBNIC_PUL_USER_OB_RD_TLP_CNT_31_0" {}
    /// The high half of `USER_OB_RD_TLP_CNT_31_0` (no C macro of its own).
    pub USER_OB_RD_TLP_CNT_63_32(Bar0) @ 0x3106f = "FBNIC_PUL_USER_OB_RD_TLP_CNT_31_0 + 1" {}
    /// `FBNIC_PUL_USER_OB_RD_DWORD_CNT_31_0`.
    pub USER_OB_RD_DWORD_CNT_31_0(Bar0) @ 0x31070 = "FBNIC_PUL_USER_OB_RD_DWORD_CNT_31_0" {}
    /// `FBNIC_PUL_USER_OB_RD_DWORD_CNT_63_32`.
    pub USER_OB_RD_DWORD_CNT_63_32(Bar0) @ 0x31071 = "FBNIC_PUL_USER_OB_RD_DWORD_CNT_63_32" {}
    /// `FBNIC_PUL_USER_OB_WR_TLP_CNT_31_0`.
    pub USER_OB_WR_TLP_CNT_31_0(Bar0) @ 0x31072 = "FBNIC_PUL_USER_OB_WR_TLP_CNT_31_0" {}
    /// `FBNIC_PUL_USER_OB_WR_TLP_CNT_63_32`.
    pub USER_OB_WR_TLP_CNT_63_32(Bar0) @ 0x31073 = "FBNIC_PUL_USER_OB_WR_TLP_CNT_63_32" {}
    /// `FBNIC_PUL_USER_OB_WR_DWORD_CNT_31_0`.
    pub USER_OB_WR_DWORD_CNT_31_0(Bar0) @ 0x31074 = "FBNIC_PUL_USER_OB_WR_DWORD_CNT_31_0" {}
    /// `FBNIC_PUL_USER_OB_WR_DWORD_CNT_63_32`.
    pub USER_OB_WR_DWORD_CNT_63_32(Bar0) @ 0x31075 = "FBNIC_PUL_USER_OB_WR_DWORD_CNT_63_32" {}
    /// `FBNIC_PUL_USER_OB_CPL_TLP_CNT_31_0`.
    pub USER_OB_CPL_TLP_CNT_31_0(Bar0) @ 0x31076 = "FBNIC_PUL_USER_OB_CPL_TLP_CNT_31_0" {}
    /// `FBNIC_PUL_USER_OB_CPL_TLP_CNT_63_32`.
    pub USER_OB_CPL_TLP_CNT_63_32(Bar0) @ 0x31077 = "FBNIC_PUL_USER_OB_CPL_TLP_CNT_63_32" {}
    /// `FBNIC_PUL_USER_OB_CPL_DWORD_CNT_31_0`.
    pub USER_OB_CPL_DWORD_CNT_31_0(Bar0) @ 0x31078 = "FBNIC_PUL_USER_OB_CPL_DWORD_CNT_31_0" {}
    /// `FBNIC_PUL_USER_OB_CPL_DWORD_CNT_63_32`.
    pub USER_OB_CPL_DWORD_CNT_63_32(Bar0) @ 0x31079 = "FBNIC_PUL_USER_OB_CPL_DWORD_CNT_63_32" {}
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_31_0`.
    pub USER_OB_RD_DBG_CNT_CPL_CRED_31_0(Bar0) @ 0x3107a
        = "FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_31_0" {}
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_63_32`.
    pub USER_OB_RD_DBG_CNT_CPL_CRED_63_32(Bar0) @ 0x3107b
        = "FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_63_32" {}
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_31_0`.
    pub USER_OB_RD_DBG_CNT_TAG_31_0(Bar0) @ 0x3107c = "FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_31_0" {}
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_63_32`.
    pub USER_OB_RD_DBG_CNT_TAG_63_32(Bar0) @ 0x3107d = "FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_63_32" {}
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_31_0`.
    pub USER_OB_RD_DBG_CNT_NP_CRED_31_0(Bar0) @ 0x3107e
        = "FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_31_0" {}
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_63_32`.
    pub USER_OB_RD_DBG_CNT_NP_CRED_63_32(Bar0) @ 0x3107f
        = "FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_63_32" {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    OB_TLP_HDR_AW_CFG::INFO,
    OB_TLP_HDR_AR_CFG::INFO,
    USER_OB_RD_TLP_CNT_31_0::INFO,
    USER_OB_RD_TLP_CNT_63_32::INFO,
    USER_OB_RD_DWORD_CNT_31_0::INFO,
    USER_OB_RD_DWORD_CNT_63_32::INFO,
    USER_OB_WR_TLP_CNT_31_0::INFO,
    USER_OB_WR_TLP_CNT_63_32::INFO,
    USER_OB_WR_DWORD_CNT_31_0::INFO,
    USER_OB_WR_DWORD_CNT_63_32::INFO,
    USER_OB_CPL_TLP_CNT_31_0::INFO,
    USER_OB_CPL_TLP_CNT_63_32::INFO,
    USER_OB_CPL_DWORD_CNT_31_0::INFO,
    USER_OB_CPL_DWORD_CNT_63_32::INFO,
    USER_OB_RD_DBG_CNT_CPL_CRED_31_0::INFO,
    USER_OB_RD_DBG_CNT_CPL_CRED_63_32::INFO,
    USER_OB_RD_DBG_CNT_TAG_31_0::INFO,
    USER_OB_RD_DBG_CNT_TAG_63_32::INFO,
    USER_OB_RD_DBG_CNT_NP_CRED_31_0::INFO,
    USER_OB_RD_DBG_CNT_NP_CRED_63_32::INFO,
];
