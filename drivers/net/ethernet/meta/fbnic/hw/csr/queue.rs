// SPDX-License-Identifier: GPL-2.0

//! Per-queue register blocks: 128 blocks of 0x400 dwords, one per queue
//! triad (two TX work queues, a TX completion queue, a TX interrupt
//! manager; an RX completion queue, two buffer descriptor queues, an RX DMA
//! engine and an RX interrupt manager).
//!
//! Offsets are relative to [`queue::base`](base); [`queue::reg`](reg) adds
//! them. Ring sizes are programmed as `log2(entries) & 0xf`, where 0 means
//! 64 Ki entries; ring addresses are split into `BAL` (bits 31:7 kept, rings
//! are 128-byte aligned) and `BAH`.

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x40000;
/// Dwords per queue block (`FBNIC_QUEUE_STRIDE`).
pub const STRIDE: u32 = 0x400;
/// Queue blocks (`FBNIC_MAX_QUEUES`).
pub const MAX_QUEUES: u32 = 128;
/// Last dword of the block.
pub const END: u32 = START + STRIDE * MAX_QUEUES - 1;

/// `FBNIC_QUEUE(n)`: first dword of queue `n`'s block.
pub const fn base(n: u32) -> u32 {
    START.wrapping_add(n.wrapping_mul(STRIDE))
}
/// Dword index of register `offset` of queue `n`.
pub const fn reg(n: u32, offset: u32) -> u32 {
    base(n).wrapping_add(offset)
}
/// The queue number and in-block offset of BAR0 dword `index`, or
/// `None` if it lies outside the queue blocks.
pub const fn decode(index: u32) -> Option<(u32, u32)> {
    if index < START || index > END {
        return None;
    }
    let rel = index - START;
    Some((rel / STRIDE, rel % STRIDE))
}

/// `TWQ0_CTL`: TX work queue 0 (normal traffic) control.
pub const TWQ0_CTL: u32 = 0x000;
/// `TWQ1_CTL`: TX work queue 1 (XDP) control.
pub const TWQ1_CTL: u32 = 0x001;
/// Hold the queue in reset (pointers to 0).
pub const TWQ_CTL_RESET: u32 = 1 << 0;
/// Process descriptors.
pub const TWQ_CTL_ENABLE: u32 = 1 << 1;
/// `TWQ0_TAIL`: doorbell, the index one past the last valid descriptor.
pub const TWQ0_TAIL: u32 = 0x002;
/// `TWQ1_TAIL`.
pub const TWQ1_TAIL: u32 = 0x003;
/// `TWQ0_PTRS`: hardware head and tail.
pub const TWQ0_PTRS: u32 = 0x004;
/// `TWQ1_PTRS`.
pub const TWQ1_PTRS: u32 = 0x005;
/// Head field of `TWQ*_PTRS` (the tail is in 15:0).
pub const TWQ_PTRS_HEAD_MASK: Field32 = Field32::new(31, 16);
/// `TWQ0_SIZE`.
pub const TWQ0_SIZE: u32 = 0x00a;
/// `TWQ1_SIZE`.
pub const TWQ1_SIZE: u32 = 0x00b;
/// log2 of the ring size (0 = 64 Ki).
pub const TWQ_SIZE_MASK: Field32 = Field32::new(3, 0);
/// `TWQ0_BAL`.
pub const TWQ0_BAL: u32 = 0x020;
/// Bits of a ring base address kept in any `*_BAL` register.
pub const BAL_MASK: Field32 = Field32::new(31, 7);
/// `TWQ0_BAH`.
pub const TWQ0_BAH: u32 = 0x021;
/// `TWQ1_BAL`.
pub const TWQ1_BAL: u32 = 0x022;
/// `TWQ1_BAH`.
pub const TWQ1_BAH: u32 = 0x023;
/// `TWQ0_PKT_CNT`.
pub const TWQ0_PKT_CNT: u32 = 0x062;
/// `TWQ0_ERR_CNT`.
pub const TWQ0_ERR_CNT: u32 = 0x063;
/// `TWQ1_PKT_CNT`.
pub const TWQ1_PKT_CNT: u32 = 0x072;
/// `TWQ1_ERR_CNT`.
pub const TWQ1_ERR_CNT: u32 = 0x073;

/// `TCQ_CTL`: TX completion queue control.
pub const TCQ_CTL: u32 = 0x080;
/// Hold the queue in reset.
pub const TCQ_CTL_RESET: u32 = 1 << 0;
/// Write completions.
pub const TCQ_CTL_ENABLE: u32 = 1 << 1;
/// `TCQ_HEAD`: software's consumer index; frees space for the device.
pub const TCQ_HEAD: u32 = 0x081;
/// `TCQ_PTRS`: hardware pointers.
pub const TCQ_PTRS: u32 = 0x082;
/// Tail (producer) field of `TCQ_PTRS`.
pub const TCQ_PTRS_TAIL_MASK: Field32 = Field32::new(31, 16);
/// `TCQ_SIZE`.
pub const TCQ_SIZE: u32 = 0x084;
/// log2 of the ring size (0 = 64 Ki).
pub const TCQ_SIZE_MASK: Field32 = Field32::new(3, 0);
/// `TCQ_BAL`.
pub const TCQ_BAL: u32 = 0x0a0;
/// `TCQ_BAH`.
pub const TCQ_BAH: u32 = 0x0a1;

/// `TIM_CTL`: TX interrupt manager, routes TCQ events to a vector.
pub const TIM_CTL: u32 = 0x0c0;
/// MSI-X vector for this queue's TX completions.
pub const TIM_CTL_MSIX_MASK: Field32 = Field32::new(7, 0);
/// `TIM_THRESHOLD`: completions that trigger an interrupt.
pub const TIM_THRESHOLD: u32 = 0x0c1;
/// Threshold value.
pub const TIM_THRESHOLD_TWD_MASK: Field32 = Field32::new(14, 0);
/// `TIM_CLEAR`.
pub const TIM_CLEAR: u32 = 0x0c2;
/// Clear the pending event.
pub const TIM_CLEAR_MASK: u32 = 1 << 0;
/// `TIM_SET`.
pub const TIM_SET: u32 = 0x0c3;
/// Raise an event.
pub const TIM_SET_MASK: u32 = 1 << 0;
/// `TIM_MASK`: 1 = events do not reach the vector.
pub const TIM_MASK: u32 = 0x0c4;
/// Mask bit.
pub const TIM_MASK_MASK: u32 = 1 << 0;
/// `TIM_TIMER`.
pub const TIM_TIMER: u32 = 0x0c5;
/// `TIM_COUNTS`.
pub const TIM_COUNTS: u32 = 0x0c6;
/// Count 1.
pub const TIM_COUNTS_CNT1_MASK: Field32 = Field32::new(30, 16);
/// Count 0.
pub const TIM_COUNTS_CNT0_MASK: Field32 = Field32::new(14, 0);

/// `RCQ_CTL`: RX completion queue control.
pub const RCQ_CTL: u32 = 0x200;
/// Hold the queue in reset.
pub const RCQ_CTL_RESET: u32 = 1 << 0;
/// Write completions.
pub const RCQ_CTL_ENABLE: u32 = 1 << 1;
/// `RCQ_HEAD`: software's consumer index.
pub const RCQ_HEAD: u32 = 0x201;
/// `RCQ_PTRS`: hardware pointers.
pub const RCQ_PTRS: u32 = 0x202;
/// Tail (producer) field.
pub const RCQ_PTRS_TAIL_MASK: Field32 = Field32::new(31, 16);
/// Head field.
pub const RCQ_PTRS_HEAD_MASK: Field32 = Field32::new(15, 0);
/// `RCQ_SIZE`.
pub const RCQ_SIZE: u32 = 0x204;
/// log2 of the ring size (0 = 64 Ki).
pub const RCQ_SIZE_MASK: Field32 = Field32::new(3, 0);
/// `RCQ_BAL`.
pub const RCQ_BAL: u32 = 0x220;
/// `RCQ_BAH`.
pub const RCQ_BAH: u32 = 0x221;

/// `BDQ_CTL`: control of both buffer queues (header HPQ, payload PPQ).
pub const BDQ_CTL: u32 = 0x240;
/// Hold both queues in reset.
pub const BDQ_CTL_RESET: u32 = 1 << 0;
/// Consume buffers.
pub const BDQ_CTL_ENABLE: u32 = 1 << 1;
/// Use the payload page queue (header split / large frames).
pub const BDQ_CTL_PPQ_ENABLE: u32 = 1 << 30;
/// `BDQ_HPQ_TAIL`: doorbell, in descriptors (page index x `FRAG_COUNT`).
pub const BDQ_HPQ_TAIL: u32 = 0x241;
/// `BDQ_PPQ_TAIL`.
pub const BDQ_PPQ_TAIL: u32 = 0x242;
/// `BDQ_HPQ_PTRS`.
pub const BDQ_HPQ_PTRS: u32 = 0x243;
/// `BDQ_PPQ_PTRS`.
pub const BDQ_PPQ_PTRS: u32 = 0x244;
/// Head field of `BDQ_*_PTRS`.
pub const BDQ_PTRS_HEAD_MASK: Field32 = Field32::new(31, 16);
/// Tail field of `BDQ_*_PTRS`.
pub const BDQ_PTRS_TAIL_MASK: Field32 = Field32::new(15, 0);
/// `BDQ_HPQ_SIZE`.
pub const BDQ_HPQ_SIZE: u32 = 0x247;
/// `BDQ_PPQ_SIZE`.
pub const BDQ_PPQ_SIZE: u32 = 0x248;
/// log2 of the ring size in descriptors (0 = 64 Ki).
pub const BDQ_SIZE_MASK: Field32 = Field32::new(3, 0);
/// `BDQ_HPQ_BAL`.
pub const BDQ_HPQ_BAL: u32 = 0x260;
/// `BDQ_HPQ_BAH`.
pub const BDQ_HPQ_BAH: u32 = 0x261;
/// `BDQ_PPQ_BAL`.
pub const BDQ_PPQ_BAL: u32 = 0x262;
/// `BDQ_PPQ_BAH`.
pub const BDQ_PPQ_BAH: u32 = 0x263;

/// `RDE_CTL0`: RX DMA engine, buffer layout and drop policy.
pub const RDE_CTL0: u32 = 0x2a0;
/// Split headers into the header buffer and payload into PPQ pages.
pub const RDE_CTL0_EN_HDR_SPLIT: u32 = 1 << 31;
/// What to do when no buffer is available (`RDE_CTL0_DROP_*`).
pub const RDE_CTL0_DROP_MODE_MASK: Field32 = Field32::new(30, 29);
/// Drop at once.
pub const RDE_CTL0_DROP_IMMEDIATE: u32 = 0;
/// Wait for buffers, then drop.
pub const RDE_CTL0_DROP_WAIT: u32 = 1;
/// Never drop (back-pressure).
pub const RDE_CTL0_DROP_NEVER: u32 = 2;
/// Headroom left before a frame in the header buffer.
pub const RDE_CTL0_MIN_HROOM_MASK: Field32 = Field32::new(28, 20);
/// Tailroom left after a frame in the header buffer.
pub const RDE_CTL0_MIN_TROOM_MASK: Field32 = Field32::new(19, 11);
/// `RDE_CTL1`.
pub const RDE_CTL1: u32 = 0x2a1;
/// Most bytes placed in the header buffer.
pub const RDE_CTL1_MAX_HDR_MASK: Field32 = Field32::new(24, 12);
/// Payload offset in a payload page.
pub const RDE_CTL1_PAYLD_OFF_MASK: Field32 = Field32::new(11, 9);
/// Payload page cache-line setting.
pub const RDE_CTL1_PAYLD_PG_CL_MASK: Field32 = Field32::new(8, 6);
/// Padding.
pub const RDE_CTL1_PADLEN_MASK: Field32 = Field32::new(5, 2);
/// Payload packing (`RDE_CTL1_PAYLD_PACK_*`).
pub const RDE_CTL1_PAYLD_PACK_MASK: Field32 = Field32::new(1, 0);
/// No packing: one payload per page fragment.
pub const RDE_CTL1_PAYLD_PACK_NONE: u32 = 0;
/// Pack all payloads.
pub const RDE_CTL1_PAYLD_PACK_ALL: u32 = 1;
/// Pack by RSS.
pub const RDE_CTL1_PAYLD_PACK_RSS: u32 = 2;
/// `RDE_PKT_CNT`.
pub const RDE_PKT_CNT: u32 = 0x2a2;
/// `RDE_PKT_ERR_CNT`: frames received with errors.
pub const RDE_PKT_ERR_CNT: u32 = 0x2a3;
/// `RDE_CQ_DROP_CNT`: frames dropped for lack of completion space.
pub const RDE_CQ_DROP_CNT: u32 = 0x2a4;
/// `RDE_BDQ_DROP_CNT`: frames dropped for lack of buffers.
pub const RDE_BDQ_DROP_CNT: u32 = 0x2a5;

/// `RIM_CTL`: RX interrupt manager, routes RCQ events to a vector.
pub const RIM_CTL: u32 = 0x2c0;
/// MSI-X vector for this queue's RX completions.
pub const RIM_CTL_MSIX_MASK: Field32 = Field32::new(7, 0);
/// `RIM_THRESHOLD`.
pub const RIM_THRESHOLD: u32 = 0x2c1;
/// Completions that trigger an interrupt.
pub const RIM_THRESHOLD_RCD_MASK: Field32 = Field32::new(14, 0);
/// `RIM_CLEAR`.
pub const RIM_CLEAR: u32 = 0x2c2;
/// Clear the pending event.
pub const RIM_CLEAR_MASK: u32 = 1 << 0;
/// `RIM_SET`.
pub const RIM_SET: u32 = 0x2c3;
/// Raise an event.
pub const RIM_SET_MASK: u32 = 1 << 0;
/// `RIM_MASK`: 1 = events do not reach the vector.
pub const RIM_MASK: u32 = 0x2c4;
/// Mask bit.
pub const RIM_MASK_MASK: u32 = 1 << 0;
/// `RIM_COAL_STATUS`.
pub const RIM_COAL_STATUS: u32 = 0x2c5;
/// Completions counted.
pub const RIM_RCD_COUNT_MASK: Field32 = Field32::new(30, 16);
/// Coalescing timer.
pub const RIM_TIMER_MASK: Field32 = Field32::new(13, 0);
