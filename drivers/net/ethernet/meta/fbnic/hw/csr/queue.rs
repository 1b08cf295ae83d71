// SPDX-License-Identifier: GPL-2.0

//! Per-queue register blocks: 128 blocks of 0x400 dwords, one per queue
//! triad (two TX work queues, a TX completion queue, a TX interrupt
//! manager; an RX completion queue, two buffer descriptor queues, an RX DMA
//! engine and an RX interrupt manager).
//!
//! Every register here is an array over [`QueueIdx`]: `TWQ0_TAIL::at(q)`.
//! Ring sizes are programmed as `log2(entries) & 0xf`, where 0 means
//! 64 Ki entries; ring addresses are split into `BAL` (bits 31:7 kept, rings
//! are 128-byte aligned) and `BAH`.

use super::super::reg::{
    index,
    register,
    RegInfo, //
};
use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x40000;
/// Dwords per queue block (`FBNIC_QUEUE_STRIDE`).
pub const STRIDE: u32 = 0x400;
/// Queue blocks (`FBNIC_MAX_QUEUES`).
pub const MAX_QUEUES: u32 = 128;
/// Last dword of the block.
pub const END: u32 = START + STRIDE * MAX_QUEUES - 1;

/// Smallest ring in entries (`FBNIC_QUEUE_SIZE_MIN`).
pub const SIZE_MIN: u32 = 64;
/// Largest ring in entries (`FBNIC_QUEUE_SIZE_MAX`), which the `*_SIZE`
/// registers encode as 0.
pub const SIZE_MAX: u32 = 1 << 16;

/// What a `*_SIZE` register takes for a ring of `entries`, a power of two
/// up to [`SIZE_MAX`]: `fls(entries - 1) & 0xf`, as the C driver writes it
/// (`fbnic_enable_twq0()` and the others).
pub const fn size_reg(entries: u32) -> u32 {
    TWQ0_SIZE::SIZE.prep(u32::BITS - entries.saturating_sub(1).leading_zeros())
}

/// Entries of a ring whose `*_SIZE` register holds `reg`: `2^SIZE`, with 0
/// meaning [`SIZE_MAX`].
pub const fn size_entries(reg: u32) -> u32 {
    match TWQ0_SIZE::SIZE.get(reg) {
        0 => SIZE_MAX,
        n => 1 << n,
    }
}

index! {
    /// A queue (triad) number below `MAX_QUEUES`.
    pub QueueIdx < MAX_QUEUES;
}

/// The queue and the dword offset within its block of BAR0 dword `index`,
/// or `None` if it lies outside the queue blocks.
pub const fn decode(index: u32) -> Option<(QueueIdx, u32)> {
    if index < START || index > END {
        return None;
    }
    let rel = index - START;
    match QueueIdx::new(rel / STRIDE) {
        Some(q) => Some((q, rel % STRIDE)),
        None => None,
    }
}

/// The dword offset of a per-queue register within its queue's block (the
/// C `FBNIC_QUEUE_*` value): what tables of per-queue registers list.
pub const fn offset(info: &RegInfo) -> u32 {
    info.base.wrapping_sub(START)
}

register! {
    /// `TWQ0_CTL`: TX work queue 0 (normal traffic) control.
    pub TWQ0_CTL(Bar0) @ 0x40000, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ0_CTL" {
        /// Hold the queue in reset (pointers to 0).
        RESET: 0:0 = "FBNIC_QUEUE_TWQ_CTL_RESET";
        /// Process descriptors.
        ENABLE: 1:1 = "FBNIC_QUEUE_TWQ_CTL_ENABLE";
    }
    /// `TWQ1_CTL`: TX work queue 1 (XDP) control.
    pub TWQ1_CTL(Bar0) @ 0x40001, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ1_CTL" {
        /// Hold the queue in reset (pointers to 0).
        RESET: 0:0 = "FBNIC_QUEUE_TWQ_CTL_RESET";
        /// Process descriptors.
        ENABLE: 1:1 = "FBNIC_QUEUE_TWQ_CTL_ENABLE";
    }
}
register! {
    /// `TWQ0_TAIL`: doorbell, the index one past the last valid descriptor.
    pub TWQ0_TAIL(Bar0) @ 0x40002, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ0_TAIL" {}
    /// `TWQ1_TAIL`.
    pub TWQ1_TAIL(Bar0) @ 0x40003, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ1_TAIL" {}
    /// `TWQ0_PTRS`: hardware head and tail.
    pub TWQ0_PTRS(Bar0) @ 0x40004, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ0_PTRS", read_only() {
        /// Hardware head.
        HEAD: 31:16 = "FBNIC_QUEUE_TWQ_PTRS_HEAD_MASK";
    }
    /// `TWQ1_PTRS`.
    pub TWQ1_PTRS(Bar0) @ 0x40005, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ1_PTRS", read_only() {
        /// Hardware head.
        HEAD: 31:16 = "FBNIC_QUEUE_TWQ_PTRS_HEAD_MASK";
    }
}
register! {
    /// `TWQ0_SIZE`.
    pub TWQ0_SIZE(Bar0) @ 0x4000a, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ0_SIZE", writable(0xf) {
        /// log2 of the ring size (0 = 64 Ki).
        SIZE: 3:0 = "FBNIC_QUEUE_TWQ_SIZE_MASK";
    }
    /// `TWQ1_SIZE`.
    pub TWQ1_SIZE(Bar0) @ 0x4000b, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ1_SIZE", writable(0xf) {
        /// log2 of the ring size (0 = 64 Ki).
        SIZE: 3:0 = "FBNIC_QUEUE_TWQ_SIZE_MASK";
    }
}
register! {
    /// `TWQ0_BAL`.
    pub TWQ0_BAL(Bar0) @ 0x40020, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ0_BAL",
        writable(BAL_MASK.mask()) {}
}
/// Bits of a ring base address kept in any `*_BAL` register.
pub const BAL_MASK: Field32 = Field32::new(31, 7);
register! {
    /// `TWQ0_BAH`.
    pub TWQ0_BAH(Bar0) @ 0x40021, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ0_BAH" {}
    /// `TWQ1_BAL`.
    pub TWQ1_BAL(Bar0) @ 0x40022, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ1_BAL",
        writable(BAL_MASK.mask()) {}
    /// `TWQ1_BAH`.
    pub TWQ1_BAH(Bar0) @ 0x40023, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ1_BAH" {}
    /// `TWQ0_PKT_CNT`.
    pub TWQ0_PKT_CNT(Bar0) @ 0x40062, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ0_PKT_CNT" {}
    /// `TWQ0_ERR_CNT`.
    pub TWQ0_ERR_CNT(Bar0) @ 0x40063, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ0_ERR_CNT" {}
    /// `TWQ1_PKT_CNT`.
    pub TWQ1_PKT_CNT(Bar0) @ 0x40072, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ1_PKT_CNT" {}
    /// `TWQ1_ERR_CNT`.
    pub TWQ1_ERR_CNT(Bar0) @ 0x40073, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TWQ1_ERR_CNT" {}
    /// `TCQ_CTL`: TX completion queue control.
    pub TCQ_CTL(Bar0) @ 0x40080, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TCQ_CTL" {
        /// Hold the queue in reset.
        RESET: 0:0 = "FBNIC_QUEUE_TCQ_CTL_RESET";
        /// Write completions.
        ENABLE: 1:1 = "FBNIC_QUEUE_TCQ_CTL_ENABLE";
    }
    /// `TCQ_HEAD`: software's consumer index; frees space for the device.
    pub TCQ_HEAD(Bar0) @ 0x40081, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TCQ_HEAD" {}
    /// `TCQ_PTRS`: hardware pointers.
    pub TCQ_PTRS(Bar0) @ 0x40082, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TCQ_PTRS", read_only() {
        /// Tail (producer) field of `TCQ_PTRS`.
        TAIL: 31:16 = "FBNIC_QUEUE_TCQ_PTRS_TAIL_MASK";
    }
    /// `TCQ_SIZE`.
    pub TCQ_SIZE(Bar0) @ 0x40084, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TCQ_SIZE", writable(0xf) {
        /// log2 of the ring size (0 = 64 Ki).
        SIZE: 3:0 = "FBNIC_QUEUE_TCQ_SIZE_MASK";
    }
    /// `TCQ_BAL`.
    pub TCQ_BAL(Bar0) @ 0x400a0, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TCQ_BAL",
        writable(BAL_MASK.mask()) {}
    /// `TCQ_BAH`.
    pub TCQ_BAH(Bar0) @ 0x400a1, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TCQ_BAH" {}
    /// `TIM_CTL`: TX interrupt manager, routes TCQ events to a vector.
    pub TIM_CTL(Bar0) @ 0x400c0, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TIM_CTL" {
        /// MSI-X vector for this queue's TX completions.
        MSIX: 7:0 = "FBNIC_QUEUE_TIM_CTL_MSIX_MASK";
    }
    /// `TIM_THRESHOLD`: completions that trigger an interrupt.
    pub TIM_THRESHOLD(Bar0) @ 0x400c1, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TIM_THRESHOLD" {
        /// Threshold value.
        TWD: 14:0 = "FBNIC_QUEUE_TIM_THRESHOLD_TWD_MASK";
    }
    /// `TIM_CLEAR`.
    pub TIM_CLEAR(Bar0) @ 0x400c2, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TIM_CLEAR" {
        /// Clear the pending event.
        MASK: 0:0 = "FBNIC_QUEUE_TIM_CLEAR_MASK";
    }
    /// `TIM_SET`.
    pub TIM_SET(Bar0) @ 0x400c3, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TIM_SET" {
        /// Raise an event.
        MASK: 0:0 = "FBNIC_QUEUE_TIM_SET_MASK";
    }
    /// `TIM_MASK`: 1 = events do not reach the vector.
    pub TIM_MASK(Bar0) @ 0x400c4, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TIM_MASK" {
        /// Mask bit.
        MASK: 0:0 = "FBNIC_QUEUE_TIM_MASK_MASK";
    }
    /// `TIM_TIMER`.
    pub TIM_TIMER(Bar0) @ 0x400c5, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TIM_TIMER" {}
    /// `TIM_COUNTS`.
    pub TIM_COUNTS(Bar0) @ 0x400c6, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_TIM_COUNTS" {
        /// Count 1.
        CNT1: 30:16 = "FBNIC_QUEUE_TIM_COUNTS_CNT1_MASK";
        /// Count 0.
        CNT0: 14:0 = "FBNIC_QUEUE_TIM_COUNTS_CNT0_MASK";
    }
    /// `RCQ_CTL`: RX completion queue control.
    pub RCQ_CTL(Bar0) @ 0x40200, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RCQ_CTL" {
        /// Hold the queue in reset.
        RESET: 0:0 = "FBNIC_QUEUE_RCQ_CTL_RESET";
        /// Write completions.
        ENABLE: 1:1 = "FBNIC_QUEUE_RCQ_CTL_ENABLE";
    }
    /// `RCQ_HEAD`: software's consumer index.
    pub RCQ_HEAD(Bar0) @ 0x40201, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RCQ_HEAD" {}
    /// `RCQ_PTRS`: hardware pointers.
    pub RCQ_PTRS(Bar0) @ 0x40202, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RCQ_PTRS", read_only() {
        /// Tail (producer) field.
        TAIL: 31:16 = "FBNIC_QUEUE_RCQ_PTRS_TAIL_MASK";
        /// Head field.
        HEAD: 15:0 = "FBNIC_QUEUE_RCQ_PTRS_HEAD_MASK";
    }
    /// `RCQ_SIZE`.
    pub RCQ_SIZE(Bar0) @ 0x40204, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RCQ_SIZE", writable(0xf) {
        /// log2 of the ring size (0 = 64 Ki).
        SIZE: 3:0 = "FBNIC_QUEUE_RCQ_SIZE_MASK";
    }
    /// `RCQ_BAL`.
    pub RCQ_BAL(Bar0) @ 0x40220, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RCQ_BAL",
        writable(BAL_MASK.mask()) {}
    /// `RCQ_BAH`.
    pub RCQ_BAH(Bar0) @ 0x40221, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RCQ_BAH" {}
    /// `BDQ_CTL`: control of both buffer queues (header HPQ, payload PPQ).
    pub BDQ_CTL(Bar0) @ 0x40240, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_CTL" {
        /// Hold both queues in reset.
        RESET: 0:0 = "FBNIC_QUEUE_BDQ_CTL_RESET";
        /// Consume buffers.
        ENABLE: 1:1 = "FBNIC_QUEUE_BDQ_CTL_ENABLE";
        /// Use the payload page queue (header split / large frames).
        PPQ_ENABLE: 30:30 = "FBNIC_QUEUE_BDQ_CTL_PPQ_ENABLE";
    }
    /// `BDQ_HPQ_TAIL`: doorbell, in descriptors (page index x `FRAG_COUNT`).
    pub BDQ_HPQ_TAIL(Bar0) @ 0x40241, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_HPQ_TAIL" {}
    /// `BDQ_PPQ_TAIL`.
    pub BDQ_PPQ_TAIL(Bar0) @ 0x40242, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_PPQ_TAIL" {}
    /// `BDQ_HPQ_PTRS`.
    pub BDQ_HPQ_PTRS(Bar0) @ 0x40243, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_HPQ_PTRS", read_only() {
        /// Hardware head.
        HEAD: 31:16 = "FBNIC_QUEUE_BDQ_PTRS_HEAD_MASK";
        /// Hardware tail.
        TAIL: 15:0 = "FBNIC_QUEUE_BDQ_PTRS_TAIL_MASK";
    }
    /// `BDQ_PPQ_PTRS`.
    pub BDQ_PPQ_PTRS(Bar0) @ 0x40244, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_PPQ_PTRS", read_only() {
        /// Hardware head.
        HEAD: 31:16 = "FBNIC_QUEUE_BDQ_PTRS_HEAD_MASK";
        /// Hardware tail.
        TAIL: 15:0 = "FBNIC_QUEUE_BDQ_PTRS_TAIL_MASK";
    }
}
register! {
    /// `BDQ_HPQ_SIZE`.
    pub BDQ_HPQ_SIZE(Bar0) @ 0x40247, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_HPQ_SIZE", writable(0xf) {
        /// log2 of the ring size (0 = 64 Ki).
        SIZE: 3:0 = "FBNIC_QUEUE_BDQ_SIZE_MASK";
    }
    /// `BDQ_PPQ_SIZE`.
    pub BDQ_PPQ_SIZE(Bar0) @ 0x40248, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_PPQ_SIZE", writable(0xf) {
        /// log2 of the ring size (0 = 64 Ki).
        SIZE: 3:0 = "FBNIC_QUEUE_BDQ_SIZE_MASK";
    }
}
register! {
    /// `BDQ_HPQ_BAL`.
    pub BDQ_HPQ_BAL(Bar0) @ 0x40260, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_HPQ_BAL",
        writable(BAL_MASK.mask()) {}
    /// `BDQ_HPQ_BAH`.
    pub BDQ_HPQ_BAH(Bar0) @ 0x40261, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_HPQ_BAH" {}
    /// `BDQ_PPQ_BAL`.
    pub BDQ_PPQ_BAL(Bar0) @ 0x40262, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_PPQ_BAL",
        writable(BAL_MASK.mask()) {}
    /// `BDQ_PPQ_BAH`.
    pub BDQ_PPQ_BAH(Bar0) @ 0x40263, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_BDQ_PPQ_BAH" {}
    /// `RDE_CTL0`: RX DMA engine, buffer layout and drop policy.
    pub RDE_CTL0(Bar0) @ 0x402a0, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RDE_CTL0" {
        /// Split headers into the header buffer and payload into PPQ pages.
        EN_HDR_SPLIT: 31:31 = "FBNIC_QUEUE_RDE_CTL0_EN_HDR_SPLIT";
        /// What to do when no buffer is available (`RDE_CTL0_DROP_*`).
        DROP_MODE: 30:29 = "FBNIC_QUEUE_RDE_CTL0_DROP_MODE_MASK";
        /// Headroom left before a frame in the header buffer.
        MIN_HROOM: 28:20 = "FBNIC_QUEUE_RDE_CTL0_MIN_HROOM_MASK";
        /// Tailroom left after a frame in the header buffer.
        MIN_TROOM: 19:11 = "FBNIC_QUEUE_RDE_CTL0_MIN_TROOM_MASK";
    }
}
/// Drop at once.
pub const RDE_CTL0_DROP_IMMEDIATE: u32 = 0;
/// Wait for buffers, then drop.
pub const RDE_CTL0_DROP_WAIT: u32 = 1;
/// Never drop (back-pressure).
pub const RDE_CTL0_DROP_NEVER: u32 = 2;
register! {
    /// `RDE_CTL1`.
    pub RDE_CTL1(Bar0) @ 0x402a1, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RDE_CTL1" {
        /// Most bytes placed in the header buffer.
        MAX_HDR: 24:12 = "FBNIC_QUEUE_RDE_CTL1_MAX_HDR_MASK";
        /// Payload offset in a payload page.
        PAYLD_OFF: 11:9 = "FBNIC_QUEUE_RDE_CTL1_PAYLD_OFF_MASK";
        /// Payload page cache-line setting.
        PAYLD_PG_CL: 8:6 = "FBNIC_QUEUE_RDE_CTL1_PAYLD_PG_CL_MASK";
        /// Padding.
        PADLEN: 5:2 = "FBNIC_QUEUE_RDE_CTL1_PADLEN_MASK";
        /// Payload packing (`RDE_CTL1_PAYLD_PACK_*`).
        PAYLD_PACK: 1:0 = "FBNIC_QUEUE_RDE_CTL1_PAYLD_PACK_MASK";
    }
}
/// No packing: one payload per page fragment.
pub const RDE_CTL1_PAYLD_PACK_NONE: u32 = 0;
/// Pack all payloads.
pub const RDE_CTL1_PAYLD_PACK_ALL: u32 = 1;
/// Pack by RSS.
pub const RDE_CTL1_PAYLD_PACK_RSS: u32 = 2;
register! {
    /// `RDE_PKT_CNT`.
    pub RDE_PKT_CNT(Bar0) @ 0x402a2, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RDE_PKT_CNT" {}
    /// `RDE_PKT_ERR_CNT`: frames received with errors.
    pub RDE_PKT_ERR_CNT(Bar0) @ 0x402a3, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RDE_PKT_ERR_CNT" {}
    /// `RDE_CQ_DROP_CNT`: frames dropped for lack of completion space.
    pub RDE_CQ_DROP_CNT(Bar0) @ 0x402a4, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RDE_CQ_DROP_CNT" {}
    /// `RDE_BDQ_DROP_CNT`: frames dropped for lack of buffers.
    pub RDE_BDQ_DROP_CNT(Bar0) @ 0x402a5, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RDE_BDQ_DROP_CNT" {}
    /// `RIM_CTL`: RX interrupt manager, routes RCQ events to a vector.
    pub RIM_CTL(Bar0) @ 0x402c0, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RIM_CTL" {
        /// MSI-X vector for this queue's RX completions.
        MSIX: 7:0 = "FBNIC_QUEUE_RIM_CTL_MSIX_MASK";
    }
    /// `RIM_THRESHOLD`.
    pub RIM_THRESHOLD(Bar0) @ 0x402c1, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RIM_THRESHOLD" {
        /// Completions that trigger an interrupt.
        RCD: 14:0 = "FBNIC_QUEUE_RIM_THRESHOLD_RCD_MASK";
    }
    /// `RIM_CLEAR`.
    pub RIM_CLEAR(Bar0) @ 0x402c2, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RIM_CLEAR" {
        /// Clear the pending event.
        MASK: 0:0 = "FBNIC_QUEUE_RIM_CLEAR_MASK";
    }
    /// `RIM_SET`.
    pub RIM_SET(Bar0) @ 0x402c3, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RIM_SET" {
        /// Raise an event.
        MASK: 0:0 = "FBNIC_QUEUE_RIM_SET_MASK";
    }
    /// `RIM_MASK`: 1 = events do not reach the vector.
    pub RIM_MASK(Bar0) @ 0x402c4, [QueueIdx * 0x400] = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RIM_MASK" {
        /// Mask bit.
        MASK: 0:0 = "FBNIC_QUEUE_RIM_MASK_MASK";
    }
    /// `RIM_COAL_STATUS`.
    pub RIM_COAL_STATUS(Bar0) @ 0x402c5, [QueueIdx * 0x400]
        = "FBNIC_QUEUE(n) + FBNIC_QUEUE_RIM_COAL_STATUS" {
        /// Completions counted towards the threshold.
        RCD_COUNT: 30:16 = "FBNIC_QUEUE_RIM_RCD_COUNT_MASK";
        /// Coalescing timer.
        TIMER: 13:0 = "FBNIC_QUEUE_RIM_TIMER_MASK";
    }
}

/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    TWQ0_CTL::INFO,
    TWQ1_CTL::INFO,
    TWQ0_TAIL::INFO,
    TWQ1_TAIL::INFO,
    TWQ0_PTRS::INFO,
    TWQ1_PTRS::INFO,
    TWQ0_SIZE::INFO,
    TWQ1_SIZE::INFO,
    TWQ0_BAL::INFO,
    TWQ0_BAH::INFO,
    TWQ1_BAL::INFO,
    TWQ1_BAH::INFO,
    TWQ0_PKT_CNT::INFO,
    TWQ0_ERR_CNT::INFO,
    TWQ1_PKT_CNT::INFO,
    TWQ1_ERR_CNT::INFO,
    TCQ_CTL::INFO,
    TCQ_HEAD::INFO,
    TCQ_PTRS::INFO,
    TCQ_SIZE::INFO,
    TCQ_BAL::INFO,
    TCQ_BAH::INFO,
    TIM_CTL::INFO,
    TIM_THRESHOLD::INFO,
    TIM_CLEAR::INFO,
    TIM_SET::INFO,
    TIM_MASK::INFO,
    TIM_TIMER::INFO,
    TIM_COUNTS::INFO,
    RCQ_CTL::INFO,
    RCQ_HEAD::INFO,
    RCQ_PTRS::INFO,
    RCQ_SIZE::INFO,
    RCQ_BAL::INFO,
    RCQ_BAH::INFO,
    BDQ_CTL::INFO,
    BDQ_HPQ_TAIL::INFO,
    BDQ_PPQ_TAIL::INFO,
    BDQ_HPQ_PTRS::INFO,
    BDQ_PPQ_PTRS::INFO,
    BDQ_HPQ_SIZE::INFO,
    BDQ_PPQ_SIZE::INFO,
    BDQ_HPQ_BAL::INFO,
    BDQ_HPQ_BAH::INFO,
    BDQ_PPQ_BAL::INFO,
    BDQ_PPQ_BAH::INFO,
    RDE_CTL0::INFO,
    RDE_CTL1::INFO,
    RDE_PKT_CNT::INFO,
    RDE_PKT_ERR_CNT::INFO,
    RDE_CQ_DROP_CNT::INFO,
    RDE_BDQ_DROP_CNT::INFO,
    RIM_CTL::INFO,
    RIM_THRESHOLD::INFO,
    RIM_CLEAR::INFO,
    RIM_SET::INFO,
    RIM_MASK::INFO,
    RIM_COAL_STATUS::INFO,
];
