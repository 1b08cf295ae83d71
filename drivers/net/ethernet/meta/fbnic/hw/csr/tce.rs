// SPDX-License-Identifier: GPL-2.0

//! TX checksum/segmentation engine and TX buffer (TCE/TXB), plus its drop
//! counters.

use super::super::reg::{
    index,
    register,
    RegInfo, //
};
use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x04000;
/// Last dword of the block.
pub const END: u32 = 0x04050;
register! {
    /// `FBNIC_TCE_REG_BASE`.
    pub REG_BASE(Bar0) @ 0x04000 = "FBNIC_TCE_REG_BASE" {}
    /// `FBNIC_TCE_LSO_CTRL`: TCP flags cleared in each kind of LSO segment.
    pub LSO_CTRL(Bar0) @ 0x04000 = "FBNIC_TCE_LSO_CTRL" {
        /// Flags cleared in the first segment (9 TCP flag bits, FIN = bit 0).
        TCPF_CLR_1ST: 8:0 = "FBNIC_TCE_LSO_CTRL_TCPF_CLR_1ST";
        /// Flags cleared in middle segments.
        TCPF_CLR_MID: 17:9 = "FBNIC_TCE_LSO_CTRL_TCPF_CLR_MID";
        /// Flags cleared in the last segment.
        TCPF_CLR_END: 26:18 = "FBNIC_TCE_LSO_CTRL_TCPF_CLR_END";
        /// Increment the IPv4 ID per segment.
        IPID_MODE_INC: 27:27 = "FBNIC_TCE_LSO_CTRL_IPID_MODE_INC";
    }
    /// `FBNIC_TCE_CSO_CTRL`.
    pub CSO_CTRL(Bar0) @ 0x04001 = "FBNIC_TCE_CSO_CTRL" {
        /// Replace a computed TCP checksum of 0 (see C driver usage).
        TCP_ZERO_CSUM: 0:0 = "FBNIC_TCE_CSO_CTRL_TCP_ZERO_CSUM";
    }
    /// `FBNIC_TCE_TXB_CTRL`.
    pub TXB_CTRL(Bar0) @ 0x04002 = "FBNIC_TCE_TXB_CTRL" {
        /// Latch the TXB configuration written so far.
        LOAD: 0:0 = "FBNIC_TCE_TXB_CTRL_LOAD";
        /// Enable the TX TCAM (BMC/FW destination lookup).
        TCAM_ENABLE: 1:1 = "FBNIC_TCE_TXB_CTRL_TCAM_ENABLE";
        /// Disable the TX buffer.
        DISABLE: 2:2 = "FBNIC_TCE_TXB_CTRL_DISABLE";
    }
    /// `FBNIC_TCE_TXB_ENQ_WRR_CTRL`.
    pub TXB_ENQ_WRR_CTRL(Bar0) @ 0x04003 = "FBNIC_TCE_TXB_ENQ_WRR_CTRL" {
        /// Weight of enqueue source 0.
        WEIGHT0: 7:0 = "FBNIC_TCE_TXB_ENQ_WRR_CTRL_WEIGHT0";
        /// Weight of enqueue source 1.
        WEIGHT1: 15:8 = "FBNIC_TCE_TXB_ENQ_WRR_CTRL_WEIGHT1";
        /// Weight of enqueue source 2.
        WEIGHT2: 23:16 = "FBNIC_TCE_TXB_ENQ_WRR_CTRL_WEIGHT2";
    }
    /// `FBNIC_TCE_TXB_TEI_Q0_CTRL`.
    pub TXB_TEI_Q0_CTRL(Bar0) @ 0x04004 = "FBNIC_TCE_TXB_TEI_Q0_CTRL" {}
    /// `FBNIC_TCE_TXB_TEI_Q1_CTRL`.
    pub TXB_TEI_Q1_CTRL(Bar0) @ 0x04005 = "FBNIC_TCE_TXB_TEI_Q1_CTRL" {}
    /// `FBNIC_TCE_TXB_MC_Q_CTRL`.
    pub TXB_MC_Q_CTRL(Bar0) @ 0x04006 = "FBNIC_TCE_TXB_MC_Q_CTRL" {}
    /// `FBNIC_TCE_TXB_RX_TEI_Q_CTRL`.
    pub TXB_RX_TEI_Q_CTRL(Bar0) @ 0x04007 = "FBNIC_TCE_TXB_RX_TEI_Q_CTRL" {}
    /// `FBNIC_TCE_TXB_RX_BMC_Q_CTRL`.
    pub TXB_RX_BMC_Q_CTRL(Bar0) @ 0x04008 = "FBNIC_TCE_TXB_RX_BMC_Q_CTRL" {}
}
/// Start of a TXB queue in the buffer (all `*_Q_CTRL` registers).
pub const TXB_Q_CTRL_START: Field32 = Field32::new(10, 0);
/// Size of a TXB queue in the buffer.
pub const TXB_Q_CTRL_SIZE: Field32 = Field32::new(22, 11);

register! {
    /// `FBNIC_TCE_TXB_TEI_DWRR_CTRL`.
    pub TXB_TEI_DWRR_CTRL(Bar0) @ 0x04009 = "FBNIC_TCE_TXB_TEI_DWRR_CTRL" {
        /// Quantum 0.
        QUANTUM0: 7:0 = "FBNIC_TCE_TXB_TEI_DWRR_CTRL_QUANTUM0";
        /// Quantum 1.
        QUANTUM1: 15:8 = "FBNIC_TCE_TXB_TEI_DWRR_CTRL_QUANTUM1";
    }
    /// `FBNIC_TCE_TXB_NTWRK_DWRR_CTRL`.
    pub TXB_NTWRK_DWRR_CTRL(Bar0) @ 0x0400a = "FBNIC_TCE_TXB_NTWRK_DWRR_CTRL" {
        /// Quantum 0.
        QUANTUM0: 7:0 = "FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_QUANTUM0";
        /// Quantum 1.
        QUANTUM1: 15:8 = "FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_QUANTUM1";
        /// Quantum 2.
        QUANTUM2: 23:16 = "FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_QUANTUM2";
    }
    /// `FBNIC_TCE_TXB_CLDR_CFG`: calendar length.
    pub TXB_CLDR_CFG(Bar0) @ 0x0400b = "FBNIC_TCE_TXB_CLDR_CFG" {
        /// Number of calendar slots in use.
        NUM_SLOT: 5:0 = "FBNIC_TCE_TXB_CLDR_CFG_NUM_SLOT";
    }
    /// `FBNIC_TCE_TXB_CLDR_SLOT_CFG(n)`: 16 slot words, each holding sixteen
    /// 2-bit destination IDs (`DEST_ID_i_j` at bits `8i+2j+1 : 8i+2j`).
    pub TXB_CLDR_SLOT_CFG(Bar0) @ 0x0400c, [TxbCldrSlotCfgIdx * 1]
        = "FBNIC_TCE_TXB_CLDR_SLOT_CFG(n)" {}
}
/// Instances of `TXB_CLDR_SLOT_CFG`.
pub const TXB_CLDR_SLOT_CFG_CNT: u32 = 16;
/// Destination ID `j` (0..4) of group `i` (0..4) in a calendar slot word
/// (`FBNIC_TCE_TXB_CLDR_SLOT_CFG_DEST_ID_i_j`).
pub const fn txb_cldr_slot_dest_id(i: u32, j: u32) -> Field32 {
    let lo = (i % 4) * 8 + (j % 4) * 2;
    Field32::new(lo + 1, lo)
}

register! {
    /// `FBNIC_TCE_BMC_MAX_PKTSZ`.
    pub BMC_MAX_PKTSZ(Bar0) @ 0x0403a = "FBNIC_TCE_BMC_MAX_PKTSZ" {
        /// Largest frame towards the BMC from the host.
        TX: 13:0 = "FBNIC_TCE_BMC_MAX_PKTSZ_TX";
        /// Largest frame from the BMC.
        RX: 27:14 = "FBNIC_TCE_BMC_MAX_PKTSZ_RX";
    }
    /// `FBNIC_TCE_MC_MAX_PKTSZ`.
    pub MC_MAX_PKTSZ(Bar0) @ 0x0403b = "FBNIC_TCE_MC_MAX_PKTSZ" {
        /// Largest frame to the management controller.
        TMI: 13:0 = "FBNIC_TCE_MC_MAX_PKTSZ_TMI";
    }
    /// `FBNIC_TCE_SOP_PROT_CTRL`: start-of-packet protection thresholds.
    pub SOP_PROT_CTRL(Bar0) @ 0x0403c = "FBNIC_TCE_SOP_PROT_CTRL" {
        /// TBI threshold.
        TBI: 7:0 = "FBNIC_TCE_SOP_PROT_CTRL_TBI";
        /// TTI frame threshold.
        TTI_FRM: 14:8 = "FBNIC_TCE_SOP_PROT_CTRL_TTI_FRM";
        /// TTI control-message threshold.
        TTI_CM: 18:15 = "FBNIC_TCE_SOP_PROT_CTRL_TTI_CM";
    }
    /// `FBNIC_TCE_DROP_CTRL`.
    pub DROP_CTRL(Bar0) @ 0x0403d = "FBNIC_TCE_DROP_CTRL" {
        /// Drop control messages on TTI overflow.
        TTI_CM_DROP_EN: 0:0 = "FBNIC_TCE_DROP_CTRL_TTI_CM_DROP_EN";
        /// Drop frames on TTI overflow.
        TTI_FRM_DROP_EN: 1:1 = "FBNIC_TCE_DROP_CTRL_TTI_FRM_DROP_EN";
        /// Drop frames on TBI overflow.
        TTI_TBI_DROP_EN: 2:2 = "FBNIC_TCE_DROP_CTRL_TTI_TBI_DROP_EN";
    }
    /// `FBNIC_TCE_TTI_CM_DROP_PKTS` (32-bit counter; rtnl `tx_dropped`).
    pub TTI_CM_DROP_PKTS(Bar0) @ 0x0403e = "FBNIC_TCE_TTI_CM_DROP_PKTS" {}
    /// `FBNIC_TCE_TTI_CM_DROP_BYTE_L` (64-bit counter, high half at +1).
    pub TTI_CM_DROP_BYTE_L(Bar0) @ 0x0403f = "FBNIC_TCE_TTI_CM_DROP_BYTE_L" {}
    /// `FBNIC_TCE_TTI_CM_DROP_BYTE_H`.
    pub TTI_CM_DROP_BYTE_H(Bar0) @ 0x04040 = "FBNIC_TCE_TTI_CM_DROP_BYTE_H" {}
    /// `FBNIC_TCE_TTI_FRAME_DROP_PKTS`.
    pub TTI_FRAME_DROP_PKTS(Bar0) @ 0x04041 = "FBNIC_TCE_TTI_FRAME_DROP_PKTS" {}
    /// `FBNIC_TCE_TTI_FRAME_DROP_BYTE_L`.
    pub TTI_FRAME_DROP_BYTE_L(Bar0) @ 0x04042 = "FBNIC_TCE_TTI_FRAME_DROP_BYTE_L" {}
    /// `FBNIC_TCE_TTI_FRAME_DROP_BYTE_H`.
    pub TTI_FRAME_DROP_BYTE_H(Bar0) @ 0x04043 = "FBNIC_TCE_TTI_FRAME_DROP_BYTE_H" {}
    /// `FBNIC_TCE_TBI_DROP_PKTS`.
    pub TBI_DROP_PKTS(Bar0) @ 0x04044 = "FBNIC_TCE_TBI_DROP_PKTS" {}
    /// `FBNIC_TCE_TBI_DROP_BYTE_L` (high half at +1).
    pub TBI_DROP_BYTE_L(Bar0) @ 0x04045 = "FBNIC_TCE_TBI_DROP_BYTE_L" {}
    /// The high half of `TBI_DROP_BYTE_L` (no C macro of its own).
    pub TBI_DROP_BYTE_H(Bar0) @ 0x04046 = "FBNIC_TCE_TBI_DROP_BYTE_L + 1" {}
    /// `FBNIC_TCE_TCAM_IDX2DEST_MAP`: 4-bit destination set per TX TCAM entry.
    pub TCAM_IDX2DEST_MAP(Bar0) @ 0x0404a = "FBNIC_TCE_TCAM_IDX2DEST_MAP" {
        /// Destination set of entry 0; entry `i` is this shifted by `4 * i`.
        DEST_ID_0: 3:0 = "FBNIC_TCE_TCAM_IDX2DEST_MAP_DEST_ID_0";
    }
}
/// Destination: network (MAC).
pub const TCAM_DEST_MAC: u32 = 1;
/// Destination: BMC.
pub const TCAM_DEST_BMC: u32 = 2;
/// Destination: firmware.
pub const TCAM_DEST_FW: u32 = 4;

register! {
    /// `FBNIC_TCE_TXB_TX_BMC_Q_CTRL`.
    pub TXB_TX_BMC_Q_CTRL(Bar0) @ 0x0404b = "FBNIC_TCE_TXB_TX_BMC_Q_CTRL" {}
    /// `FBNIC_TCE_TXB_BMC_DWRR_CTRL`.
    pub TXB_BMC_DWRR_CTRL(Bar0) @ 0x0404c = "FBNIC_TCE_TXB_BMC_DWRR_CTRL" {
        /// Quantum 0.
        QUANTUM0: 7:0 = "FBNIC_TCE_TXB_BMC_DWRR_CTRL_QUANTUM0";
        /// Quantum 1.
        QUANTUM1: 15:8 = "FBNIC_TCE_TXB_BMC_DWRR_CTRL_QUANTUM1";
    }
    /// `FBNIC_TCE_TXB_TEI_DWRR_CTRL_EXT`.
    pub TXB_TEI_DWRR_CTRL_EXT(Bar0) @ 0x0404d = "FBNIC_TCE_TXB_TEI_DWRR_CTRL_EXT" {}
    /// `FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_EXT`.
    pub TXB_NTWRK_DWRR_CTRL_EXT(Bar0) @ 0x0404e = "FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_EXT" {}
    /// `FBNIC_TCE_TXB_BMC_DWRR_CTRL_EXT`.
    pub TXB_BMC_DWRR_CTRL_EXT(Bar0) @ 0x0404f = "FBNIC_TCE_TXB_BMC_DWRR_CTRL_EXT" {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    REG_BASE::INFO,
    LSO_CTRL::INFO,
    CSO_CTRL::INFO,
    TXB_CTRL::INFO,
    TXB_ENQ_WRR_CTRL::INFO,
    TXB_TEI_Q0_CTRL::INFO,
    TXB_TEI_Q1_CTRL::INFO,
    TXB_MC_Q_CTRL::INFO,
    TXB_RX_TEI_Q_CTRL::INFO,
    TXB_RX_BMC_Q_CTRL::INFO,
    TXB_TEI_DWRR_CTRL::INFO,
    TXB_NTWRK_DWRR_CTRL::INFO,
    TXB_CLDR_CFG::INFO,
    TXB_CLDR_SLOT_CFG::INFO,
    BMC_MAX_PKTSZ::INFO,
    MC_MAX_PKTSZ::INFO,
    SOP_PROT_CTRL::INFO,
    DROP_CTRL::INFO,
    TTI_CM_DROP_PKTS::INFO,
    TTI_CM_DROP_BYTE_L::INFO,
    TTI_CM_DROP_BYTE_H::INFO,
    TTI_FRAME_DROP_PKTS::INFO,
    TTI_FRAME_DROP_BYTE_L::INFO,
    TTI_FRAME_DROP_BYTE_H::INFO,
    TBI_DROP_PKTS::INFO,
    TBI_DROP_BYTE_L::INFO,
    TBI_DROP_BYTE_H::INFO,
    TCAM_IDX2DEST_MAP::INFO,
    TXB_TX_BMC_Q_CTRL::INFO,
    TXB_BMC_DWRR_CTRL::INFO,
    TXB_TEI_DWRR_CTRL_EXT::INFO,
    TXB_NTWRK_DWRR_CTRL_EXT::INFO,
    TXB_BMC_DWRR_CTRL_EXT::INFO,
];

index! {
    /// An index below `TXB_CLDR_SLOT_CFG_CNT`.
    pub TxbCldrSlotCfgIdx < TXB_CLDR_SLOT_CFG_CNT;
}
