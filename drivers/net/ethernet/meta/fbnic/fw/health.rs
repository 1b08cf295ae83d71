// SPDX-License-Identifier: GPL-2.0

//! What the mailbox counts of a firmware that misbehaves (issue 17), shown
//! by `ethtool -S` after the device's counters:
//!
//! - `fw_mbx_malformed`: messages dropped because their TLVs broke the
//!   format or their schema (a length running past the message or past a
//!   nest, a bad attribute);
//! - `fw_mbx_unexpected`: well-formed messages nobody asked for (late
//!   answers, or a firmware flooding the host);
//! - `fw_mbx_errors`: descriptors the firmware completed with `FW_ERR`;
//! - `fw_heartbeat_lost`: heartbeats the firmware did not answer in time
//!   (or answered with its uptime gone backwards: it restarted);
//! - `fw_recoveries`: ownership taken again after a lost heartbeat, once
//!   the firmware read everything sent to it;
//! - `fw_flash_errors`: firmware updates that failed on the device's side
//!   (an error answer, a request out of sequence, or no request in time).
//!
//! Each of those is also logged, rate-limited ([`ratelimit`]), so that a
//! firmware sending garbage without end cannot flood the kernel log.
//! The mailbox interrupt handles at most one ring of messages per call
//! (`Mailbox::poll`): a flood costs a bounded slice of a threaded
//! interrupt at a time, never a CPU.

#![forbid(unsafe_code)]

pub(crate) use crate::kernel_ext::net::ratelimit;

/// Names of the counters in `ethtool -S`, in the order of
/// [`FwCounters::values`].
pub(crate) const NAMES: [&str; 6] = [
    "fw_mbx_malformed",
    "fw_mbx_unexpected",
    "fw_mbx_errors",
    "fw_heartbeat_lost",
    "fw_recoveries",
    "fw_flash_errors",
];

/// The counters, under the mailbox lock.
#[derive(Clone, Copy, Default)]
pub(crate) struct FwCounters {
    pub(crate) malformed: u64,
    pub(crate) unexpected: u64,
    pub(crate) errors: u64,
    pub(crate) heartbeat_lost: u64,
    pub(crate) recoveries: u64,
    pub(crate) flash_errors: u64,
}

impl FwCounters {
    /// The values, in the order of [`NAMES`].
    pub(crate) fn values(&self) -> [u64; NAMES.len()] {
        [
            self.malformed,
            self.unexpected,
            self.errors,
            self.heartbeat_lost,
            self.recoveries,
            self.flash_errors,
        ]
    }
}

/// What became of one message from the firmware.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Used (and it completed no waiter).
    Taken,
    /// It completed a waiter.
    Completed,
    /// Dropped: its TLVs are malformed.
    Malformed,
    /// Dropped: nobody waits for it.
    Unexpected,
}

impl Verdict {
    /// Counts the verdict in `c`; returns whether a waiter completed.
    pub(super) fn count(self, c: &mut FwCounters) -> bool {
        match self {
            Verdict::Taken => {}
            Verdict::Completed => return true,
            Verdict::Malformed => c.malformed += 1,
            Verdict::Unexpected => c.unexpected += 1,
        }
        false
    }
}
