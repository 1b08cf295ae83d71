// SPDX-License-Identifier: GPL-2.0

//! PTP clock: a free-running nanosecond counter with a fractional adder.

use super::super::reg::{
    register,
    RegInfo, //
};

/// Nanoseconds per tick of the [`CLOCK_FREQ`](super::CLOCK_FREQ) clock in
/// Q32.32 fixed point: the addend of a clock at nominal rate, written as
/// its `ADD_VAL_NS` (high) and `ADD_VAL_SUBNS` (low) halves (`dclk_period`
/// of `fbnic_ptp_reset()`).
// CAST: u32 to u64 widens.
pub const DCLK_PERIOD: u64 = (1_000_000_000u64 << 32) / super::CLOCK_FREQ as u64;

/// First dword of the block.
pub const START: u32 = 0x04800;
/// Last dword of the block.
pub const END: u32 = 0x0480d;
register! {
    /// `FBNIC_PTP_REG_BASE`.
    pub REG_BASE(Bar0) @ 0x04800 = "FBNIC_PTP_REG_BASE" {}
    /// `FBNIC_PTP_CTRL`.
    pub CTRL(Bar0) @ 0x04800 = "FBNIC_PTP_CTRL" {
        /// Run the clock.
        EN: 0:0 = "FBNIC_PTP_CTRL_EN";
        /// Keep the monotonic copy running.
        MONO_EN: 4:4 = "FBNIC_PTP_CTRL_MONO_EN";
        /// Feed time to the TX queue scheduler.
        TQS_OUT_EN: 8:8 = "FBNIC_PTP_CTRL_TQS_OUT_EN";
        /// Interval of time updates to the MAC.
        MAC_OUT_IVAL: 16:12 = "FBNIC_PTP_CTRL_MAC_OUT_IVAL";
        /// Tick interval.
        TICK_IVAL: 23:20 = "FBNIC_PTP_CTRL_TICK_IVAL";
    }
    /// `FBNIC_PTP_ADJUST`: write-1 commands.
    pub ADJUST(Bar0) @ 0x04801 = "FBNIC_PTP_ADJUST" {
        /// Load the counter from `INIT_HI/LO`.
        INIT: 0:0 = "FBNIC_PTP_ADJUST_INIT";
        /// Subtract the nudge.
        SUB_NUDGE: 8:8 = "FBNIC_PTP_ADJUST_SUB_NUDGE";
        /// Add the nudge.
        ADD_NUDGE: 16:16 = "FBNIC_PTP_ADJUST_ADD_NUDGE";
        /// Load the adder from `ADD_VAL_NS/SUBNS`.
        ADDEND_SET: 24:24 = "FBNIC_PTP_ADJUST_ADDEND_SET";
    }
    /// `FBNIC_PTP_INIT_HI`.
    pub INIT_HI(Bar0) @ 0x04802 = "FBNIC_PTP_INIT_HI" {}
    /// `FBNIC_PTP_INIT_LO`.
    pub INIT_LO(Bar0) @ 0x04803 = "FBNIC_PTP_INIT_LO" {}
    /// `FBNIC_PTP_NUDGE_NS`.
    pub NUDGE_NS(Bar0) @ 0x04804 = "FBNIC_PTP_NUDGE_NS" {}
    /// `FBNIC_PTP_NUDGE_SUBNS`.
    pub NUDGE_SUBNS(Bar0) @ 0x04805 = "FBNIC_PTP_NUDGE_SUBNS" {}
    /// `FBNIC_PTP_ADD_VAL_NS`: whole nanoseconds added per tick.
    pub ADD_VAL_NS(Bar0) @ 0x04806 = "FBNIC_PTP_ADD_VAL_NS" {
        /// Valid bits of `ADD_VAL_NS`.
        MASK: 15:0 = "FBNIC_PTP_ADD_VAL_NS_MASK";
    }
    /// `FBNIC_PTP_ADD_VAL_SUBNS`: fractional nanoseconds per tick.
    pub ADD_VAL_SUBNS(Bar0) @ 0x04807 = "FBNIC_PTP_ADD_VAL_SUBNS" {}
    /// `FBNIC_PTP_CTR_VAL_HI`: current time, high half (ns).
    pub CTR_VAL_HI(Bar0) @ 0x04808 = "FBNIC_PTP_CTR_VAL_HI" {}
    /// `FBNIC_PTP_CTR_VAL_LO`: current time, low half (ns).
    pub CTR_VAL_LO(Bar0) @ 0x04809 = "FBNIC_PTP_CTR_VAL_LO" {}
    /// `FBNIC_PTP_MONO_PTP_CTR_HI`.
    pub MONO_PTP_CTR_HI(Bar0) @ 0x0480a = "FBNIC_PTP_MONO_PTP_CTR_HI" {}
    /// `FBNIC_PTP_MONO_PTP_CTR_LO`.
    pub MONO_PTP_CTR_LO(Bar0) @ 0x0480b = "FBNIC_PTP_MONO_PTP_CTR_LO" {}
    /// `FBNIC_PTP_CDC_FIFO_STATUS`.
    pub CDC_FIFO_STATUS(Bar0) @ 0x0480c = "FBNIC_PTP_CDC_FIFO_STATUS" {}
    /// `FBNIC_PTP_SPARE`.
    pub SPARE(Bar0) @ 0x0480d = "FBNIC_PTP_SPARE" {}
}
/// Every register of the block, in address order of declaration.
pub const REGISTERS: &[RegInfo] = &[
    REG_BASE::INFO,
    CTRL::INFO,
    ADJUST::INFO,
    INIT_HI::INFO,
    INIT_LO::INFO,
    NUDGE_NS::INFO,
    NUDGE_SUBNS::INFO,
    ADD_VAL_NS::INFO,
    ADD_VAL_SUBNS::INFO,
    CTR_VAL_HI::INFO,
    CTR_VAL_LO::INFO,
    MONO_PTP_CTR_HI::INFO,
    MONO_PTP_CTR_LO::INFO,
    CDC_FIFO_STATUS::INFO,
    SPARE::INFO,
];
