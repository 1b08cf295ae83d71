// SPDX-License-Identifier: GPL-2.0

//! PTP clock: a free-running nanosecond counter with a fractional adder.

use super::Field32;

/// First dword of the block.
pub const START: u32 = 0x04800;
/// Last dword of the block.
pub const END: u32 = 0x0480d;
/// `FBNIC_PTP_REG_BASE`.
pub const REG_BASE: u32 = 0x04800;

/// `FBNIC_PTP_CTRL`.
pub const CTRL: u32 = 0x04800;
/// Run the clock.
pub const CTRL_EN: u32 = 1 << 0;
/// Keep the monotonic copy running.
pub const CTRL_MONO_EN: u32 = 1 << 4;
/// Feed time to the TX queue scheduler.
pub const CTRL_TQS_OUT_EN: u32 = 1 << 8;
/// Interval of time updates to the MAC.
pub const CTRL_MAC_OUT_IVAL: Field32 = Field32::new(16, 12);
/// Tick interval.
pub const CTRL_TICK_IVAL: Field32 = Field32::new(23, 20);

/// `FBNIC_PTP_ADJUST`: write-1 commands.
pub const ADJUST: u32 = 0x04801;
/// Load the counter from `INIT_HI/LO`.
pub const ADJUST_INIT: u32 = 1 << 0;
/// Subtract the nudge.
pub const ADJUST_SUB_NUDGE: u32 = 1 << 8;
/// Add the nudge.
pub const ADJUST_ADD_NUDGE: u32 = 1 << 16;
/// Load the adder from `ADD_VAL_NS/SUBNS`.
pub const ADJUST_ADDEND_SET: u32 = 1 << 24;

/// `FBNIC_PTP_INIT_HI`.
pub const INIT_HI: u32 = 0x04802;
/// `FBNIC_PTP_INIT_LO`.
pub const INIT_LO: u32 = 0x04803;
/// `FBNIC_PTP_NUDGE_NS`.
pub const NUDGE_NS: u32 = 0x04804;
/// `FBNIC_PTP_NUDGE_SUBNS`.
pub const NUDGE_SUBNS: u32 = 0x04805;
/// `FBNIC_PTP_ADD_VAL_NS`: whole nanoseconds added per tick.
pub const ADD_VAL_NS: u32 = 0x04806;
/// Valid bits of `ADD_VAL_NS`.
pub const ADD_VAL_NS_MASK: Field32 = Field32::new(15, 0);
/// `FBNIC_PTP_ADD_VAL_SUBNS`: fractional nanoseconds per tick.
pub const ADD_VAL_SUBNS: u32 = 0x04807;
/// `FBNIC_PTP_CTR_VAL_HI`: current time, high half (ns).
pub const CTR_VAL_HI: u32 = 0x04808;
/// `FBNIC_PTP_CTR_VAL_LO`: current time, low half (ns).
pub const CTR_VAL_LO: u32 = 0x04809;
/// `FBNIC_PTP_MONO_PTP_CTR_HI`.
pub const MONO_PTP_CTR_HI: u32 = 0x0480a;
/// `FBNIC_PTP_MONO_PTP_CTR_LO`.
pub const MONO_PTP_CTR_LO: u32 = 0x0480b;
/// `FBNIC_PTP_CDC_FIFO_STATUS`.
pub const CDC_FIFO_STATUS: u32 = 0x0480c;
/// `FBNIC_PTP_SPARE`.
pub const SPARE: u32 = 0x0480d;
