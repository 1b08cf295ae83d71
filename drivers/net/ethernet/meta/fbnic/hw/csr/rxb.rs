// SPDX-License-Identifier: GPL-2.0

//! RX buffer (RXB): packet buffer partitioning, pause/drop/ECN thresholds and
//! the per-FIFO / per-interface counters behind `ethtool -S`.
//!
//! Counter instances are indexed by FIFO (`FIFO_*`), enqueue interface
//! (`ENQUEUE_*`, `INTF_*`) or dequeue port (`DEQUEUE_*`).

use super::super::reg::{
    index,
    register,
    RegInfo, //
};
use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x08000;
/// Last dword of the block.
pub const END: u32 = 0x081b1;

/// FIFO toward the management controller.
pub const FIFO_MC: u32 = 0;
/// FIFO from the network to the BMC.
pub const FIFO_NET_TO_BMC: u32 = 3;
/// FIFO toward the host.
pub const FIFO_HOST: u32 = 4;
/// FIFO from the BMC to the host.
pub const FIFO_BMC_TO_HOST: u32 = 6;
/// Number of FIFOs (some unused).
pub const FIFO_INDICES: u32 = 8;

/// Network interface.
pub const INTF_NET: u32 = 0;
/// RBT (BMC) interface.
pub const INTF_RBT: u32 = 1;
/// Number of interfaces (some unused).
pub const INTF_INDICES: u32 = 4;

/// Dequeue port toward the BMC.
pub const DEQUEUE_BMC: u32 = 2;
/// Dequeue port toward the host.
pub const DEQUEUE_HOST: u32 = 3;
/// Number of dequeue ports (some unused).
pub const DEQUEUE_INDICES: u32 = 4;

/// Enqueue from the network.
pub const ENQUEUE_NET: u32 = 0;
/// Enqueue from the BMC.
pub const ENQUEUE_BMC: u32 = 1;
/// Number of enqueue sources (some unused).
pub const ENQUEUE_INDICES: u32 = 4;

register! {
    /// `FBNIC_RXB_CT_SIZE(n)`: cut-through sizes per FIFO.
    pub CT_SIZE(Bar0) @ 0x08000, [CtSizeIdx * 1] = "FBNIC_RXB_CT_SIZE(n)" {
        /// Header part.
        HEADER: 5:0 = "FBNIC_RXB_CT_SIZE_HEADER";
        /// Payload part.
        PAYLOAD: 11:6 = "FBNIC_RXB_CT_SIZE_PAYLOAD";
        /// Enable cut-through.
        ENABLE: 12:12 = "FBNIC_RXB_CT_SIZE_ENABLE";
    }
}
/// Instances of `CT_SIZE`.
pub const CT_SIZE_CNT: u32 = 8;

register! {
    /// `FBNIC_RXB_PAUSE_DROP_CTRL`: per-FIFO feature enables.
    pub PAUSE_DROP_CTRL(Bar0) @ 0x08008 = "FBNIC_RXB_PAUSE_DROP_CTRL" {
        /// Drop enable bitmap.
        DROP_ENABLE: 7:0 = "FBNIC_RXB_PAUSE_DROP_CTRL_DROP_ENABLE";
        /// Pause enable bitmap.
        PAUSE_ENABLE: 15:8 = "FBNIC_RXB_PAUSE_DROP_CTRL_PAUSE_ENABLE";
        /// ECN enable bitmap.
        ECN_ENABLE: 23:16 = "FBNIC_RXB_PAUSE_DROP_CTRL_ECN_ENABLE";
        /// Pause storm protection enable bitmap.
        PS_ENABLE: 27:24 = "FBNIC_RXB_PAUSE_DROP_CTRL_PS_ENABLE";
    }
    /// `FBNIC_RXB_PAUSE_THLD(n)`.
    pub PAUSE_THLD(Bar0) @ 0x08009, [PauseThldIdx * 1] = "FBNIC_RXB_PAUSE_THLD(n)" {
        /// Level that starts pausing.
        ON: 12:0 = "FBNIC_RXB_PAUSE_THLD_ON";
        /// Level that stops pausing.
        OFF: 25:13 = "FBNIC_RXB_PAUSE_THLD_OFF";
    }
}
/// Instances of `PAUSE_THLD`.
pub const PAUSE_THLD_CNT: u32 = 8;
register! {
    /// `FBNIC_RXB_DROP_THLD(n)`.
    pub DROP_THLD(Bar0) @ 0x08011, [DropThldIdx * 1] = "FBNIC_RXB_DROP_THLD(n)" {
        /// Level that starts dropping.
        ON: 12:0 = "FBNIC_RXB_DROP_THLD_ON";
        /// Level that stops dropping.
        OFF: 25:13 = "FBNIC_RXB_DROP_THLD_OFF";
    }
}
/// Instances of `DROP_THLD`.
pub const DROP_THLD_CNT: u32 = 8;
register! {
    /// `FBNIC_RXB_PAUSE_STORM(n)`.
    pub PAUSE_STORM(Bar0) @ 0x08019, [PauseStormIdx * 1] = "FBNIC_RXB_PAUSE_STORM(n)" {
        /// Leave the storm state.
        FORCE_NORMAL: 20:20 = "FBNIC_RXB_PAUSE_STORM_FORCE_NORMAL";
        /// Continuous pause time (10 us units) that counts as a storm.
        THLD_TIME: 19:0 = "FBNIC_RXB_PAUSE_STORM_THLD_TIME";
    }
}
/// Instances of `PAUSE_STORM`.
pub const PAUSE_STORM_CNT: u32 = 4;
register! {
    /// `FBNIC_RXB_PAUSE_STORM_UNIT_WR`: clock divider for the storm timer.
    pub PAUSE_STORM_UNIT_WR(Bar0) @ 0x0801d = "FBNIC_RXB_PAUSE_STORM_UNIT_WR" {}
}
/// Value the driver writes to `PAUSE_STORM_UNIT_WR` for 10 us units at
/// 600 MHz (`FBNIC_RXB_PS_CLK_DIV`, fbnic_mac.h).
pub const PS_CLK_DIV: u32 = 0x1770;
/// `PAUSE_STORM.THLD_TIME` units per millisecond (10 us units,
/// `FBNIC_MAC_RXB_PS_TO()`).
pub const PS_UNITS_PER_MS: u32 = 100;
/// Pause storm timeout the driver programs by default, in milliseconds
/// (`FBNIC_MAC_PS_TO_DEFAULT_MS`).
pub const PS_TO_DEFAULT_MS: u32 = 500;

/// The packet buffer partition of each FIFO, in 2 KiB units, as the
/// driver lays it out (`fifo_config` in fbnic_mac.c): network to
/// host/BMC 64K, network to BMC 32K, network to host 384K, BMC to host
/// 32K; the others unused.
pub const FIFO_SIZE: [u32; FIFO_INDICES as usize] = [0x20, 0, 0, 0x10, 0xc0, 0, 0x10, 0];
/// FIFOs that drop when full (`FBNIC_DROP_EN_MASK`), a `DROP_ENABLE`
/// bitmap.
pub const DROP_EN_MASK: u32 = 0x7d;
/// FIFOs that generate pause frames when pause is on
/// (`FBNIC_PAUSE_EN_MASK`): network to host (bit 2 is an unused FIFO).
pub const PAUSE_EN_MASK: u32 = 0x14;
/// FIFOs that mark ECN (`FBNIC_ECN_EN_MASK`): network to host.
pub const ECN_EN_MASK: u32 = 0x10;
/// Enqueue sources with pause storm protection (`FBNIC_PS_EN_MASK`):
/// the network.
pub const PS_EN_MASK: u32 = 0x01;
/// Hysteresis of the pause thresholds, in 64-byte credits: pausing starts
/// this far below a full FIFO and stops once it has drained to this level
/// (56 KiB of skid).
pub const PAUSE_SKID: u32 = 0x380;
/// `PAUSE_THLD` of a FIFO that never pauses.
pub const PAUSE_THLD_NEVER: u32 = 0x1fff;
register! {
    /// `FBNIC_RXB_ECN_THLD(n)`.
    pub ECN_THLD(Bar0) @ 0x0801e, [EcnThldIdx * 1] = "FBNIC_RXB_ECN_THLD(n)" {
        /// Level that starts marking.
        ON: 12:0 = "FBNIC_RXB_ECN_THLD_ON";
        /// Level that stops marking.
        OFF: 25:13 = "FBNIC_RXB_ECN_THLD_OFF";
    }
}
/// Instances of `ECN_THLD`.
pub const ECN_THLD_CNT: u32 = 8;
register! {
    /// `FBNIC_RXB_PBUF_CFG(n)`: packet buffer partition of a FIFO.
    pub PBUF_CFG(Bar0) @ 0x08027, [PbufCfgIdx * 1] = "FBNIC_RXB_PBUF_CFG(n)" {}
}
/// Instances of `PBUF_CFG`.
pub const PBUF_CFG_CNT: u32 = 8;
/// Partition start.
pub const PBUF_BASE_ADDR: Field32 = Field32::new(12, 0);
/// Partition size.
pub const PBUF_SIZE: Field32 = Field32::new(21, 13);
register! {
    /// `FBNIC_RXB_DWRR_RDE_WEIGHT0`.
    pub DWRR_RDE_WEIGHT0(Bar0) @ 0x0802f = "FBNIC_RXB_DWRR_RDE_WEIGHT0" {
        /// Quantum 0.
        QUANTUM0: 7:0 = "FBNIC_RXB_DWRR_RDE_WEIGHT0_QUANTUM0";
        /// Quantum 1.
        QUANTUM1: 15:8 = "FBNIC_RXB_DWRR_RDE_WEIGHT0_QUANTUM1";
        /// Quantum 2.
        QUANTUM2: 23:16 = "FBNIC_RXB_DWRR_RDE_WEIGHT0_QUANTUM2";
        /// Quantum 3.
        QUANTUM3: 31:24 = "FBNIC_RXB_DWRR_RDE_WEIGHT0_QUANTUM3";
    }
    /// `FBNIC_RXB_DWRR_RDE_WEIGHT1`.
    pub DWRR_RDE_WEIGHT1(Bar0) @ 0x08030 = "FBNIC_RXB_DWRR_RDE_WEIGHT1" {
        /// Quantum 4.
        QUANTUM4: 7:0 = "FBNIC_RXB_DWRR_RDE_WEIGHT1_QUANTUM4";
    }
    /// `FBNIC_RXB_DWRR_BMC_WEIGHT`.
    pub DWRR_BMC_WEIGHT(Bar0) @ 0x08031 = "FBNIC_RXB_DWRR_BMC_WEIGHT" {}
    /// `FBNIC_RXB_CLDR_PRIO_CFG(n)`.
    pub CLDR_PRIO_CFG(Bar0) @ 0x08034, [CldrPrioCfgIdx * 1] = "FBNIC_RXB_CLDR_PRIO_CFG(n)" {}
}
/// Instances of `CLDR_PRIO_CFG`.
pub const CLDR_PRIO_CFG_CNT: u32 = 16;
register! {
    /// `FBNIC_RXB_ENDIAN_FCS`.
    pub ENDIAN_FCS(Bar0) @ 0x08044 = "FBNIC_RXB_ENDIAN_FCS" {}
    /// `FBNIC_RXB_PBUF_CREDIT(n)`.
    pub PBUF_CREDIT(Bar0) @ 0x08047, [PbufCreditIdx * 1] = "FBNIC_RXB_PBUF_CREDIT(n)" {
        /// Credit value.
        MASK: 13:0 = "FBNIC_RXB_PBUF_CREDIT_MASK";
    }
}
/// Instances of `PBUF_CREDIT`.
pub const PBUF_CREDIT_CNT: u32 = 8;
register! {
    /// `FBNIC_RXB_INTF_CREDIT`.
    pub INTF_CREDIT(Bar0) @ 0x0804f = "FBNIC_RXB_INTF_CREDIT" {
        /// Credits of interface 0.
        MASK0: 3:0 = "FBNIC_RXB_INTF_CREDIT_MASK0";
        /// Credits of interface 1.
        MASK1: 7:4 = "FBNIC_RXB_INTF_CREDIT_MASK1";
        /// Credits of interface 2.
        MASK2: 11:8 = "FBNIC_RXB_INTF_CREDIT_MASK2";
        /// Credits of interface 3.
        MASK3: 15:12 = "FBNIC_RXB_INTF_CREDIT_MASK3";
    }
    /// `FBNIC_RXB_ERR_INTR_STS`.
    pub ERR_INTR_STS(Bar0) @ 0x08050 = "FBNIC_RXB_ERR_INTR_STS", w1c() {
        /// Pause storm events, one bit per enqueue source.
        PS: 15:12 = "FBNIC_RXB_ERR_INTR_STS_PS";
    }
    /// `FBNIC_RXB_ERR_INTR_MASK`.
    pub ERR_INTR_MASK(Bar0) @ 0x08052 = "FBNIC_RXB_ERR_INTR_MASK" {}
    /// `FBNIC_RXB_PAUSE_EVENT_CNT(n)`.
    pub PAUSE_EVENT_CNT(Bar0) @ 0x08053, [EnqueueIdx * 1] = "FBNIC_RXB_PAUSE_EVENT_CNT(n)" {}
    /// `FBNIC_RXB_DROP_FRMS_STS(n)`: frames dropped, per FIFO.
    pub DROP_FRMS_STS(Bar0) @ 0x08057, [FifoIdx * 1] = "FBNIC_RXB_DROP_FRMS_STS(n)" {}
    /// `FBNIC_RXB_DROP_BYTES_STS_L(n)`: bytes dropped, per FIFO; each
    /// instance is an L/H pair (stride 2).
    pub DROP_BYTES_STS_L(Bar0) @ 0x08080, [FifoIdx * 2] = "FBNIC_RXB_DROP_BYTES_STS_L(n)" {}
    /// `FBNIC_RXB_DROP_BYTES_STS_H(n)`.
    pub DROP_BYTES_STS_H(Bar0) @ 0x08081, [FifoIdx * 2] = "FBNIC_RXB_DROP_BYTES_STS_H(n)" {}
    /// `FBNIC_RXB_TRUN_FRMS_STS(n)`: frames truncated, per FIFO.
    pub TRUN_FRMS_STS(Bar0) @ 0x08091, [FifoIdx * 1] = "FBNIC_RXB_TRUN_FRMS_STS(n)" {}
    /// `FBNIC_RXB_TRUN_BYTES_STS_L(n)` (L/H pairs, stride 2).
    pub TRUN_BYTES_STS_L(Bar0) @ 0x080c0, [FifoIdx * 2] = "FBNIC_RXB_TRUN_BYTES_STS_L(n)" {}
    /// `FBNIC_RXB_TRUN_BYTES_STS_H(n)`.
    pub TRUN_BYTES_STS_H(Bar0) @ 0x080c1, [FifoIdx * 2] = "FBNIC_RXB_TRUN_BYTES_STS_H(n)" {}
    /// `FBNIC_RXB_TRANS_PAUSE_STS(n)`.
    pub TRANS_PAUSE_STS(Bar0) @ 0x080d1, [FifoIdx * 1] = "FBNIC_RXB_TRANS_PAUSE_STS(n)" {}
    /// `FBNIC_RXB_TRANS_DROP_STS(n)`.
    pub TRANS_DROP_STS(Bar0) @ 0x080d9, [FifoIdx * 1] = "FBNIC_RXB_TRANS_DROP_STS(n)" {}
    /// `FBNIC_RXB_TRANS_ECN_STS(n)`.
    pub TRANS_ECN_STS(Bar0) @ 0x080e1, [FifoIdx * 1] = "FBNIC_RXB_TRANS_ECN_STS(n)" {}
    /// `FBNIC_RXB_INTR_PS_COUNT(n)`: pause storm events per enqueue source.
    pub INTR_PS_COUNT(Bar0) @ 0x080e9, [EnqueueIdx * 1] = "FBNIC_RXB_INTR_PS_COUNT(n)" {}
    /// `FBNIC_RXB_DRBO_FRM_CNT_SRC(n)`: frames in, per enqueue source.
    pub DRBO_FRM_CNT_SRC(Bar0) @ 0x080f9, [EnqueueIdx * 1] = "FBNIC_RXB_DRBO_FRM_CNT_SRC(n)" {}
    /// `FBNIC_RXB_DRBO_BYTE_CNT_SRC_L(n)`; its high half is at +4, not +1.
    pub DRBO_BYTE_CNT_SRC_L(Bar0) @ 0x080fd, [EnqueueIdx * 1]
        = "FBNIC_RXB_DRBO_BYTE_CNT_SRC_L(n)" {}
    /// `FBNIC_RXB_DRBO_BYTE_CNT_SRC_H(n)`.
    pub DRBO_BYTE_CNT_SRC_H(Bar0) @ 0x08101, [EnqueueIdx * 1]
        = "FBNIC_RXB_DRBO_BYTE_CNT_SRC_H(n)" {}
    /// `FBNIC_RXB_INTF_FRM_CNT_DST(n)`: frames out, per dequeue port.
    pub INTF_FRM_CNT_DST(Bar0) @ 0x08105, [DequeueIdx * 1] = "FBNIC_RXB_INTF_FRM_CNT_DST(n)" {}
    /// `FBNIC_RXB_INTF_BYTE_CNT_DST_L(n)`; high half at +4.
    pub INTF_BYTE_CNT_DST_L(Bar0) @ 0x08109, [DequeueIdx * 1]
        = "FBNIC_RXB_INTF_BYTE_CNT_DST_L(n)" {}
    /// `FBNIC_RXB_INTF_BYTE_CNT_DST_H(n)`.
    pub INTF_BYTE_CNT_DST_H(Bar0) @ 0x0810d, [DequeueIdx * 1]
        = "FBNIC_RXB_INTF_BYTE_CNT_DST_H(n)" {}
    /// `FBNIC_RXB_PBUF_FRM_CNT_DST(n)`: frames out, per packet buffer port.
    pub PBUF_FRM_CNT_DST(Bar0) @ 0x08111, [DequeueIdx * 1] = "FBNIC_RXB_PBUF_FRM_CNT_DST(n)" {}
    /// `FBNIC_RXB_PBUF_BYTE_CNT_DST_L(n)`; high half at +4.
    pub PBUF_BYTE_CNT_DST_L(Bar0) @ 0x08115, [DequeueIdx * 1]
        = "FBNIC_RXB_PBUF_BYTE_CNT_DST_L(n)" {}
    /// `FBNIC_RXB_PBUF_BYTE_CNT_DST_H(n)`.
    pub PBUF_BYTE_CNT_DST_H(Bar0) @ 0x08119, [DequeueIdx * 1]
        = "FBNIC_RXB_PBUF_BYTE_CNT_DST_H(n)" {}
    /// `FBNIC_RXB_PBUF_FIFO_LEVEL(n)`: current fill level per FIFO.
    pub PBUF_FIFO_LEVEL(Bar0) @ 0x0811d, [FifoIdx * 1] = "FBNIC_RXB_PBUF_FIFO_LEVEL(n)" {}
    /// `FBNIC_RXB_PAUSE_STORM_UNIT_RD`.
    pub PAUSE_STORM_UNIT_RD(Bar0) @ 0x08125 = "FBNIC_RXB_PAUSE_STORM_UNIT_RD" {}
    /// `FBNIC_RXB_INTEGRITY_ERR(n)`, per enqueue source.
    pub INTEGRITY_ERR(Bar0) @ 0x0812f, [EnqueueIdx * 1] = "FBNIC_RXB_INTEGRITY_ERR(n)" {}
    /// `FBNIC_RXB_MAC_ERR(n)`.
    pub MAC_ERR(Bar0) @ 0x08133, [EnqueueIdx * 1] = "FBNIC_RXB_MAC_ERR(n)" {}
    /// `FBNIC_RXB_PARSER_ERR(n)`.
    pub PARSER_ERR(Bar0) @ 0x08137, [EnqueueIdx * 1] = "FBNIC_RXB_PARSER_ERR(n)" {}
    /// `FBNIC_RXB_FRM_ERR(n)`.
    pub FRM_ERR(Bar0) @ 0x0813b, [EnqueueIdx * 1] = "FBNIC_RXB_FRM_ERR(n)" {}
    /// `FBNIC_RXB_DWRR_RDE_WEIGHT0_EXT`.
    pub DWRR_RDE_WEIGHT0_EXT(Bar0) @ 0x08143 = "FBNIC_RXB_DWRR_RDE_WEIGHT0_EXT" {}
    /// `FBNIC_RXB_DWRR_RDE_WEIGHT1_EXT`.
    pub DWRR_RDE_WEIGHT1_EXT(Bar0) @ 0x08144 = "FBNIC_RXB_DWRR_RDE_WEIGHT1_EXT" {}
}
index! {
    /// A packet buffer FIFO (`FIFO_*`).
    pub FifoIdx < FIFO_INDICES;
}
index! {
    /// An enqueue interface (`INTF_*`, `FBNIC_RXB_ENQUEUE_*`).
    pub EnqueueIdx < ENQUEUE_INDICES;
}
index! {
    /// A dequeue port (`FBNIC_RXB_DEQUEUE_*`).
    pub DequeueIdx < DEQUEUE_INDICES;
}

/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    CT_SIZE::INFO,
    PAUSE_DROP_CTRL::INFO,
    PAUSE_THLD::INFO,
    DROP_THLD::INFO,
    PAUSE_STORM::INFO,
    PAUSE_STORM_UNIT_WR::INFO,
    ECN_THLD::INFO,
    PBUF_CFG::INFO,
    DWRR_RDE_WEIGHT0::INFO,
    DWRR_RDE_WEIGHT1::INFO,
    DWRR_BMC_WEIGHT::INFO,
    CLDR_PRIO_CFG::INFO,
    ENDIAN_FCS::INFO,
    PBUF_CREDIT::INFO,
    INTF_CREDIT::INFO,
    ERR_INTR_STS::INFO,
    ERR_INTR_MASK::INFO,
    PAUSE_EVENT_CNT::INFO,
    DROP_FRMS_STS::INFO,
    DROP_BYTES_STS_L::INFO,
    DROP_BYTES_STS_H::INFO,
    TRUN_FRMS_STS::INFO,
    TRUN_BYTES_STS_L::INFO,
    TRUN_BYTES_STS_H::INFO,
    TRANS_PAUSE_STS::INFO,
    TRANS_DROP_STS::INFO,
    TRANS_ECN_STS::INFO,
    INTR_PS_COUNT::INFO,
    DRBO_FRM_CNT_SRC::INFO,
    DRBO_BYTE_CNT_SRC_L::INFO,
    DRBO_BYTE_CNT_SRC_H::INFO,
    INTF_FRM_CNT_DST::INFO,
    INTF_BYTE_CNT_DST_L::INFO,
    INTF_BYTE_CNT_DST_H::INFO,
    PBUF_FRM_CNT_DST::INFO,
    PBUF_BYTE_CNT_DST_L::INFO,
    PBUF_BYTE_CNT_DST_H::INFO,
    PBUF_FIFO_LEVEL::INFO,
    PAUSE_STORM_UNIT_RD::INFO,
    INTEGRITY_ERR::INFO,
    MAC_ERR::INFO,
    PARSER_ERR::INFO,
    FRM_ERR::INFO,
    DWRR_RDE_WEIGHT0_EXT::INFO,
    DWRR_RDE_WEIGHT1_EXT::INFO,
];

index! {
    /// An index below `CT_SIZE_CNT`.
    pub CtSizeIdx < CT_SIZE_CNT;
}
index! {
    /// An index below `PAUSE_THLD_CNT`.
    pub PauseThldIdx < PAUSE_THLD_CNT;
}
index! {
    /// An index below `DROP_THLD_CNT`.
    pub DropThldIdx < DROP_THLD_CNT;
}
index! {
    /// An index below `PAUSE_STORM_CNT`.
    pub PauseStormIdx < PAUSE_STORM_CNT;
}
index! {
    /// An index below `ECN_THLD_CNT`.
    pub EcnThldIdx < ECN_THLD_CNT;
}
index! {
    /// An index below `PBUF_CFG_CNT`.
    pub PbufCfgIdx < PBUF_CFG_CNT;
}
index! {
    /// An index below `CLDR_PRIO_CFG_CNT`.
    pub CldrPrioCfgIdx < CLDR_PRIO_CFG_CNT;
}
index! {
    /// An index below `PBUF_CREDIT_CNT`.
    pub PbufCreditIdx < PBUF_CREDIT_CNT;
}
