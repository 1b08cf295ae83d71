// SPDX-License-Identifier: GPL-2.0

//! TX checksum/segmentation engine and TX buffer (TCE/TXB), plus its drop
//! counters.

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x04000;
/// Last dword of the block.
pub const END: u32 = 0x04050;
/// `FBNIC_TCE_REG_BASE`.
pub const REG_BASE: u32 = 0x04000;

/// `FBNIC_TCE_LSO_CTRL`: TCP flags cleared in each kind of LSO segment.
pub const LSO_CTRL: u32 = 0x04000;
/// Flags cleared in the first segment (9 TCP flag bits, FIN = bit 0).
pub const LSO_CTRL_TCPF_CLR_1ST: Field32 = Field32::new(8, 0);
/// Flags cleared in middle segments.
pub const LSO_CTRL_TCPF_CLR_MID: Field32 = Field32::new(17, 9);
/// Flags cleared in the last segment.
pub const LSO_CTRL_TCPF_CLR_END: Field32 = Field32::new(26, 18);
/// Increment the IPv4 ID per segment.
pub const LSO_CTRL_IPID_MODE_INC: u32 = 1 << 27;

/// `FBNIC_TCE_CSO_CTRL`.
pub const CSO_CTRL: u32 = 0x04001;
/// Replace a computed TCP checksum of 0 (see C driver usage).
pub const CSO_CTRL_TCP_ZERO_CSUM: u32 = 1 << 0;

/// `FBNIC_TCE_TXB_CTRL`.
pub const TXB_CTRL: u32 = 0x04002;
/// Latch the TXB configuration written so far.
pub const TXB_CTRL_LOAD: u32 = 1 << 0;
/// Enable the TX TCAM (BMC/FW destination lookup).
pub const TXB_CTRL_TCAM_ENABLE: u32 = 1 << 1;
/// Disable the TX buffer.
pub const TXB_CTRL_DISABLE: u32 = 1 << 2;

/// `FBNIC_TCE_TXB_ENQ_WRR_CTRL`.
pub const TXB_ENQ_WRR_CTRL: u32 = 0x04003;
/// Weight of enqueue source 0.
pub const TXB_ENQ_WRR_CTRL_WEIGHT0: Field32 = Field32::new(7, 0);
/// Weight of enqueue source 1.
pub const TXB_ENQ_WRR_CTRL_WEIGHT1: Field32 = Field32::new(15, 8);
/// Weight of enqueue source 2.
pub const TXB_ENQ_WRR_CTRL_WEIGHT2: Field32 = Field32::new(23, 16);

/// `FBNIC_TCE_TXB_TEI_Q0_CTRL`.
pub const TXB_TEI_Q0_CTRL: u32 = 0x04004;
/// `FBNIC_TCE_TXB_TEI_Q1_CTRL`.
pub const TXB_TEI_Q1_CTRL: u32 = 0x04005;
/// `FBNIC_TCE_TXB_MC_Q_CTRL`.
pub const TXB_MC_Q_CTRL: u32 = 0x04006;
/// `FBNIC_TCE_TXB_RX_TEI_Q_CTRL`.
pub const TXB_RX_TEI_Q_CTRL: u32 = 0x04007;
/// `FBNIC_TCE_TXB_RX_BMC_Q_CTRL`.
pub const TXB_RX_BMC_Q_CTRL: u32 = 0x04008;
/// Start of a TXB queue in the buffer (all `*_Q_CTRL` registers).
pub const TXB_Q_CTRL_START: Field32 = Field32::new(10, 0);
/// Size of a TXB queue in the buffer.
pub const TXB_Q_CTRL_SIZE: Field32 = Field32::new(22, 11);

/// `FBNIC_TCE_TXB_TEI_DWRR_CTRL`.
pub const TXB_TEI_DWRR_CTRL: u32 = 0x04009;
/// Quantum 0.
pub const TXB_TEI_DWRR_CTRL_QUANTUM0: Field32 = Field32::new(7, 0);
/// Quantum 1.
pub const TXB_TEI_DWRR_CTRL_QUANTUM1: Field32 = Field32::new(15, 8);
/// `FBNIC_TCE_TXB_NTWRK_DWRR_CTRL`.
pub const TXB_NTWRK_DWRR_CTRL: u32 = 0x0400a;
/// Quantum 0.
pub const TXB_NTWRK_DWRR_CTRL_QUANTUM0: Field32 = Field32::new(7, 0);
/// Quantum 1.
pub const TXB_NTWRK_DWRR_CTRL_QUANTUM1: Field32 = Field32::new(15, 8);
/// Quantum 2.
pub const TXB_NTWRK_DWRR_CTRL_QUANTUM2: Field32 = Field32::new(23, 16);

/// `FBNIC_TCE_TXB_CLDR_CFG`: calendar length.
pub const TXB_CLDR_CFG: u32 = 0x0400b;
/// Number of calendar slots in use.
pub const TXB_CLDR_CFG_NUM_SLOT: Field32 = Field32::new(5, 0);
/// `FBNIC_TCE_TXB_CLDR_SLOT_CFG(n)`: 16 slot words, each holding sixteen
/// 2-bit destination IDs (`DEST_ID_i_j` at bits `8i+2j+1 : 8i+2j`).
pub const fn txb_cldr_slot_cfg(n: u32) -> u32 {
    0x0400cu32.wrapping_add(n)
}
/// Instances of `TXB_CLDR_SLOT_CFG`.
pub const TXB_CLDR_SLOT_CFG_CNT: u32 = 16;
/// Destination ID `j` (0..4) of group `i` (0..4) in a calendar slot word
/// (`FBNIC_TCE_TXB_CLDR_SLOT_CFG_DEST_ID_i_j`).
pub const fn txb_cldr_slot_dest_id(i: u32, j: u32) -> Field32 {
    let lo = (i % 4) * 8 + (j % 4) * 2;
    Field32::new(lo + 1, lo)
}

/// `FBNIC_TCE_BMC_MAX_PKTSZ`.
pub const BMC_MAX_PKTSZ: u32 = 0x0403a;
/// Largest frame towards the BMC from the host.
pub const BMC_MAX_PKTSZ_TX: Field32 = Field32::new(13, 0);
/// Largest frame from the BMC.
pub const BMC_MAX_PKTSZ_RX: Field32 = Field32::new(27, 14);
/// `FBNIC_TCE_MC_MAX_PKTSZ`.
pub const MC_MAX_PKTSZ: u32 = 0x0403b;
/// Largest frame to the management controller.
pub const MC_MAX_PKTSZ_TMI: Field32 = Field32::new(13, 0);

/// `FBNIC_TCE_SOP_PROT_CTRL`: start-of-packet protection thresholds.
pub const SOP_PROT_CTRL: u32 = 0x0403c;
/// TBI threshold.
pub const SOP_PROT_CTRL_TBI: Field32 = Field32::new(7, 0);
/// TTI frame threshold.
pub const SOP_PROT_CTRL_TTI_FRM: Field32 = Field32::new(14, 8);
/// TTI control-message threshold.
pub const SOP_PROT_CTRL_TTI_CM: Field32 = Field32::new(18, 15);

/// `FBNIC_TCE_DROP_CTRL`.
pub const DROP_CTRL: u32 = 0x0403d;
/// Drop control messages on TTI overflow.
pub const DROP_CTRL_TTI_CM_DROP_EN: u32 = 1 << 0;
/// Drop frames on TTI overflow.
pub const DROP_CTRL_TTI_FRM_DROP_EN: u32 = 1 << 1;
/// Drop frames on TBI overflow.
pub const DROP_CTRL_TTI_TBI_DROP_EN: u32 = 1 << 2;

/// `FBNIC_TCE_TTI_CM_DROP_PKTS` (32-bit counter; rtnl `tx_dropped`).
pub const TTI_CM_DROP_PKTS: u32 = 0x0403e;
/// `FBNIC_TCE_TTI_CM_DROP_BYTE_L` (64-bit counter, high half at +1).
pub const TTI_CM_DROP_BYTE_L: u32 = 0x0403f;
/// `FBNIC_TCE_TTI_CM_DROP_BYTE_H`.
pub const TTI_CM_DROP_BYTE_H: u32 = 0x04040;
/// `FBNIC_TCE_TTI_FRAME_DROP_PKTS`.
pub const TTI_FRAME_DROP_PKTS: u32 = 0x04041;
/// `FBNIC_TCE_TTI_FRAME_DROP_BYTE_L`.
pub const TTI_FRAME_DROP_BYTE_L: u32 = 0x04042;
/// `FBNIC_TCE_TTI_FRAME_DROP_BYTE_H`.
pub const TTI_FRAME_DROP_BYTE_H: u32 = 0x04043;
/// `FBNIC_TCE_TBI_DROP_PKTS`.
pub const TBI_DROP_PKTS: u32 = 0x04044;
/// `FBNIC_TCE_TBI_DROP_BYTE_L` (high half at +1).
pub const TBI_DROP_BYTE_L: u32 = 0x04045;

/// `FBNIC_TCE_TCAM_IDX2DEST_MAP`: 4-bit destination set per TX TCAM entry.
pub const TCAM_IDX2DEST_MAP: u32 = 0x0404a;
/// Destination set of entry 0; entry `i` is this shifted by `4 * i`.
pub const TCAM_IDX2DEST_MAP_DEST_ID_0: Field32 = Field32::new(3, 0);
/// Destination: network (MAC).
pub const TCAM_DEST_MAC: u32 = 1;
/// Destination: BMC.
pub const TCAM_DEST_BMC: u32 = 2;
/// Destination: firmware.
pub const TCAM_DEST_FW: u32 = 4;

/// `FBNIC_TCE_TXB_TX_BMC_Q_CTRL`.
pub const TXB_TX_BMC_Q_CTRL: u32 = 0x0404b;
/// `FBNIC_TCE_TXB_BMC_DWRR_CTRL`.
pub const TXB_BMC_DWRR_CTRL: u32 = 0x0404c;
/// Quantum 0.
pub const TXB_BMC_DWRR_CTRL_QUANTUM0: Field32 = Field32::new(7, 0);
/// Quantum 1.
pub const TXB_BMC_DWRR_CTRL_QUANTUM1: Field32 = Field32::new(15, 8);
/// `FBNIC_TCE_TXB_TEI_DWRR_CTRL_EXT`.
pub const TXB_TEI_DWRR_CTRL_EXT: u32 = 0x0404d;
/// `FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_EXT`.
pub const TXB_NTWRK_DWRR_CTRL_EXT: u32 = 0x0404e;
/// `FBNIC_TCE_TXB_BMC_DWRR_CTRL_EXT`.
pub const TXB_BMC_DWRR_CTRL_EXT: u32 = 0x0404f;
