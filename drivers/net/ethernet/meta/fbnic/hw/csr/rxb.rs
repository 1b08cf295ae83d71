// SPDX-License-Identifier: GPL-2.0

//! RX buffer (RXB): packet buffer partitioning, pause/drop/ECN thresholds and
//! the per-FIFO / per-interface counters behind `ethtool -S`.
//!
//! Counter instances are indexed by FIFO (`FIFO_*`), enqueue interface
//! (`ENQUEUE_*`, `INTF_*`) or dequeue port (`DEQUEUE_*`).

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

/// `FBNIC_RXB_CT_SIZE(n)`: cut-through sizes per FIFO.
pub const fn ct_size(n: u32) -> u32 {
    0x08000u32.wrapping_add(n)
}
/// Instances of `CT_SIZE`.
pub const CT_SIZE_CNT: u32 = 8;
/// Header part.
pub const CT_SIZE_HEADER: Field32 = Field32::new(5, 0);
/// Payload part.
pub const CT_SIZE_PAYLOAD: Field32 = Field32::new(11, 6);
/// Enable cut-through.
pub const CT_SIZE_ENABLE: u32 = 1 << 12;

/// `FBNIC_RXB_PAUSE_DROP_CTRL`: per-FIFO feature enables.
pub const PAUSE_DROP_CTRL: u32 = 0x08008;
/// Drop enable bitmap.
pub const PAUSE_DROP_CTRL_DROP_ENABLE: Field32 = Field32::new(7, 0);
/// Pause enable bitmap.
pub const PAUSE_DROP_CTRL_PAUSE_ENABLE: Field32 = Field32::new(15, 8);
/// ECN enable bitmap.
pub const PAUSE_DROP_CTRL_ECN_ENABLE: Field32 = Field32::new(23, 16);
/// Pause storm protection enable bitmap.
pub const PAUSE_DROP_CTRL_PS_ENABLE: Field32 = Field32::new(27, 24);

/// `FBNIC_RXB_PAUSE_THLD(n)`.
pub const fn pause_thld(n: u32) -> u32 {
    0x08009u32.wrapping_add(n)
}
/// Instances of `PAUSE_THLD`.
pub const PAUSE_THLD_CNT: u32 = 8;
/// Level that starts pausing.
pub const PAUSE_THLD_ON: Field32 = Field32::new(12, 0);
/// Level that stops pausing.
pub const PAUSE_THLD_OFF: Field32 = Field32::new(25, 13);
/// `FBNIC_RXB_DROP_THLD(n)`.
pub const fn drop_thld(n: u32) -> u32 {
    0x08011u32.wrapping_add(n)
}
/// Instances of `DROP_THLD`.
pub const DROP_THLD_CNT: u32 = 8;
/// Level that starts dropping.
pub const DROP_THLD_ON: Field32 = Field32::new(12, 0);
/// Level that stops dropping.
pub const DROP_THLD_OFF: Field32 = Field32::new(25, 13);
/// `FBNIC_RXB_PAUSE_STORM(n)`.
pub const fn pause_storm(n: u32) -> u32 {
    0x08019u32.wrapping_add(n)
}
/// Instances of `PAUSE_STORM`.
pub const PAUSE_STORM_CNT: u32 = 4;
/// Leave the storm state.
pub const PAUSE_STORM_FORCE_NORMAL: u32 = 1 << 20;
/// Continuous pause time (10 us units) that counts as a storm.
pub const PAUSE_STORM_THLD_TIME: Field32 = Field32::new(19, 0);
/// `FBNIC_RXB_PAUSE_STORM_UNIT_WR`: clock divider for the storm timer.
pub const PAUSE_STORM_UNIT_WR: u32 = 0x0801d;
/// Value the driver writes to `PAUSE_STORM_UNIT_WR` for 10 us units at
/// 600 MHz (`FBNIC_RXB_PS_CLK_DIV`, fbnic_mac.h).
pub const PS_CLK_DIV: u32 = 0x1770;
/// `FBNIC_RXB_ECN_THLD(n)`.
pub const fn ecn_thld(n: u32) -> u32 {
    0x0801eu32.wrapping_add(n)
}
/// Instances of `ECN_THLD`.
pub const ECN_THLD_CNT: u32 = 8;
/// Level that starts marking.
pub const ECN_THLD_ON: Field32 = Field32::new(12, 0);
/// Level that stops marking.
pub const ECN_THLD_OFF: Field32 = Field32::new(25, 13);
/// `FBNIC_RXB_PBUF_CFG(n)`: packet buffer partition of a FIFO.
pub const fn pbuf_cfg(n: u32) -> u32 {
    0x08027u32.wrapping_add(n)
}
/// Instances of `PBUF_CFG`.
pub const PBUF_CFG_CNT: u32 = 8;
/// Partition start.
pub const PBUF_BASE_ADDR: Field32 = Field32::new(12, 0);
/// Partition size.
pub const PBUF_SIZE: Field32 = Field32::new(21, 13);
/// `FBNIC_RXB_DWRR_RDE_WEIGHT0`.
pub const DWRR_RDE_WEIGHT0: u32 = 0x0802f;
/// Quantum 0.
pub const DWRR_RDE_WEIGHT0_QUANTUM0: Field32 = Field32::new(7, 0);
/// Quantum 1.
pub const DWRR_RDE_WEIGHT0_QUANTUM1: Field32 = Field32::new(15, 8);
/// Quantum 2.
pub const DWRR_RDE_WEIGHT0_QUANTUM2: Field32 = Field32::new(23, 16);
/// Quantum 3.
pub const DWRR_RDE_WEIGHT0_QUANTUM3: Field32 = Field32::new(31, 24);
/// `FBNIC_RXB_DWRR_RDE_WEIGHT1`.
pub const DWRR_RDE_WEIGHT1: u32 = 0x08030;
/// Quantum 4.
pub const DWRR_RDE_WEIGHT1_QUANTUM4: Field32 = Field32::new(7, 0);
/// `FBNIC_RXB_DWRR_BMC_WEIGHT`.
pub const DWRR_BMC_WEIGHT: u32 = 0x08031;
/// `FBNIC_RXB_CLDR_PRIO_CFG(n)`.
pub const fn cldr_prio_cfg(n: u32) -> u32 {
    0x08034u32.wrapping_add(n)
}
/// Instances of `CLDR_PRIO_CFG`.
pub const CLDR_PRIO_CFG_CNT: u32 = 16;
/// `FBNIC_RXB_ENDIAN_FCS`.
pub const ENDIAN_FCS: u32 = 0x08044;

/// `FBNIC_RXB_PBUF_CREDIT(n)`.
pub const fn pbuf_credit(n: u32) -> u32 {
    0x08047u32.wrapping_add(n)
}
/// Instances of `PBUF_CREDIT`.
pub const PBUF_CREDIT_CNT: u32 = 8;
/// Credit value.
pub const PBUF_CREDIT_MASK: Field32 = Field32::new(13, 0);
/// `FBNIC_RXB_INTF_CREDIT`.
pub const INTF_CREDIT: u32 = 0x0804f;
/// Credits of interface 0.
pub const INTF_CREDIT_MASK0: Field32 = Field32::new(3, 0);
/// Credits of interface 1.
pub const INTF_CREDIT_MASK1: Field32 = Field32::new(7, 4);
/// Credits of interface 2.
pub const INTF_CREDIT_MASK2: Field32 = Field32::new(11, 8);
/// Credits of interface 3.
pub const INTF_CREDIT_MASK3: Field32 = Field32::new(15, 12);

/// `FBNIC_RXB_ERR_INTR_STS`.
pub const ERR_INTR_STS: u32 = 0x08050;
/// Pause storm events, one bit per enqueue source.
pub const ERR_INTR_STS_PS: Field32 = Field32::new(15, 12);
/// `FBNIC_RXB_ERR_INTR_MASK`.
pub const ERR_INTR_MASK: u32 = 0x08052;

/// `FBNIC_RXB_PAUSE_EVENT_CNT(n)`.
pub const fn pause_event_cnt(n: u32) -> u32 {
    0x08053u32.wrapping_add(n)
}
/// `FBNIC_RXB_DROP_FRMS_STS(n)`: frames dropped, per FIFO.
pub const fn drop_frms_sts(n: u32) -> u32 {
    0x08057u32.wrapping_add(n)
}
/// `FBNIC_RXB_DROP_BYTES_STS_L(n)`: bytes dropped, per FIFO; each
/// instance is an L/H pair (stride 2).
pub const fn drop_bytes_sts_l(n: u32) -> u32 {
    0x08080u32.wrapping_add(n.wrapping_mul(2))
}
/// `FBNIC_RXB_DROP_BYTES_STS_H(n)`.
pub const fn drop_bytes_sts_h(n: u32) -> u32 {
    0x08081u32.wrapping_add(n.wrapping_mul(2))
}
/// `FBNIC_RXB_TRUN_FRMS_STS(n)`: frames truncated, per FIFO.
pub const fn trun_frms_sts(n: u32) -> u32 {
    0x08091u32.wrapping_add(n)
}
/// `FBNIC_RXB_TRUN_BYTES_STS_L(n)` (L/H pairs, stride 2).
pub const fn trun_bytes_sts_l(n: u32) -> u32 {
    0x080c0u32.wrapping_add(n.wrapping_mul(2))
}
/// `FBNIC_RXB_TRUN_BYTES_STS_H(n)`.
pub const fn trun_bytes_sts_h(n: u32) -> u32 {
    0x080c1u32.wrapping_add(n.wrapping_mul(2))
}
/// `FBNIC_RXB_TRANS_PAUSE_STS(n)`.
pub const fn trans_pause_sts(n: u32) -> u32 {
    0x080d1u32.wrapping_add(n)
}
/// `FBNIC_RXB_TRANS_DROP_STS(n)`.
pub const fn trans_drop_sts(n: u32) -> u32 {
    0x080d9u32.wrapping_add(n)
}
/// `FBNIC_RXB_TRANS_ECN_STS(n)`.
pub const fn trans_ecn_sts(n: u32) -> u32 {
    0x080e1u32.wrapping_add(n)
}
/// `FBNIC_RXB_INTR_PS_COUNT(n)`: pause storm events per enqueue source.
pub const fn intr_ps_count(n: u32) -> u32 {
    0x080e9u32.wrapping_add(n)
}
/// `FBNIC_RXB_DRBO_FRM_CNT_SRC(n)`: frames in, per enqueue source.
pub const fn drbo_frm_cnt_src(n: u32) -> u32 {
    0x080f9u32.wrapping_add(n)
}
/// `FBNIC_RXB_DRBO_BYTE_CNT_SRC_L(n)`; its high half is at +4, not +1.
pub const fn drbo_byte_cnt_src_l(n: u32) -> u32 {
    0x080fdu32.wrapping_add(n)
}
/// `FBNIC_RXB_DRBO_BYTE_CNT_SRC_H(n)`.
pub const fn drbo_byte_cnt_src_h(n: u32) -> u32 {
    0x08101u32.wrapping_add(n)
}
/// `FBNIC_RXB_INTF_FRM_CNT_DST(n)`: frames out, per dequeue port.
pub const fn intf_frm_cnt_dst(n: u32) -> u32 {
    0x08105u32.wrapping_add(n)
}
/// `FBNIC_RXB_INTF_BYTE_CNT_DST_L(n)`; high half at +4.
pub const fn intf_byte_cnt_dst_l(n: u32) -> u32 {
    0x08109u32.wrapping_add(n)
}
/// `FBNIC_RXB_INTF_BYTE_CNT_DST_H(n)`.
pub const fn intf_byte_cnt_dst_h(n: u32) -> u32 {
    0x0810du32.wrapping_add(n)
}
/// `FBNIC_RXB_PBUF_FRM_CNT_DST(n)`: frames out, per packet buffer port.
pub const fn pbuf_frm_cnt_dst(n: u32) -> u32 {
    0x08111u32.wrapping_add(n)
}
/// `FBNIC_RXB_PBUF_BYTE_CNT_DST_L(n)`; high half at +4.
pub const fn pbuf_byte_cnt_dst_l(n: u32) -> u32 {
    0x08115u32.wrapping_add(n)
}
/// `FBNIC_RXB_PBUF_BYTE_CNT_DST_H(n)`.
pub const fn pbuf_byte_cnt_dst_h(n: u32) -> u32 {
    0x08119u32.wrapping_add(n)
}
/// `FBNIC_RXB_PBUF_FIFO_LEVEL(n)`: current fill level per FIFO.
pub const fn pbuf_fifo_level(n: u32) -> u32 {
    0x0811du32.wrapping_add(n)
}
/// `FBNIC_RXB_PAUSE_STORM_UNIT_RD`.
pub const PAUSE_STORM_UNIT_RD: u32 = 0x08125;
/// `FBNIC_RXB_INTEGRITY_ERR(n)`, per enqueue source.
pub const fn integrity_err(n: u32) -> u32 {
    0x0812fu32.wrapping_add(n)
}
/// `FBNIC_RXB_MAC_ERR(n)`.
pub const fn mac_err(n: u32) -> u32 {
    0x08133u32.wrapping_add(n)
}
/// `FBNIC_RXB_PARSER_ERR(n)`.
pub const fn parser_err(n: u32) -> u32 {
    0x08137u32.wrapping_add(n)
}
/// `FBNIC_RXB_FRM_ERR(n)`.
pub const fn frm_err(n: u32) -> u32 {
    0x0813bu32.wrapping_add(n)
}
/// `FBNIC_RXB_DWRR_RDE_WEIGHT0_EXT`.
pub const DWRR_RDE_WEIGHT0_EXT: u32 = 0x08143;
/// `FBNIC_RXB_DWRR_RDE_WEIGHT1_EXT`.
pub const DWRR_RDE_WEIGHT1_EXT: u32 = 0x08144;
