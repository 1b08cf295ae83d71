// SPDX-License-Identifier: GPL-2.0

//! Malformed completions, injected through the control socket
//! (`fault PORT rx-cmpl KIND [N]`, `fault PORT tx-cmpl KIND [N]`) to show
//! how a driver copes with a device it must not trust. The engine does
//! its work as usual (the frame is placed, the packet is sent); only what
//! it reports to the driver is wrong:
//!
//! * `rx-cmpl bad-id`: the header completion names buffer id 0xffff, past
//!   the end of any buffer queue of 4 KiB pages;
//! * `rx-cmpl stale-id`: it names the header buffer of the queue's
//!   previous frame again, which the driver may already have released;
//! * `rx-cmpl long`: it reports the largest length the field holds
//!   (8191 bytes), beyond the buffer;
//! * `rx-cmpl bad-type`: the frame's first completion is a payload
//!   completion instead of a header completion;
//! * `tx-cmpl past-tail`: a TWQ head completion points half a ring past
//!   the head it should report, beyond what the driver posted;
//! * `tx-cmpl repeat`: a TWQ head completion is written twice.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

/// A kind of malformed completion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescFault {
    /// RX: an unknown header buffer id.
    RxBadId,
    /// RX: the previous frame's header buffer id.
    RxStaleId,
    /// RX: a length beyond the buffer.
    RxLong,
    /// RX: a frame starting with a payload completion.
    RxBadType,
    /// TX: a head beyond the tail.
    TxPastTail,
    /// TX: the same head completion twice.
    TxRepeat,
}

impl DescFault {
    const COUNT: usize = 6;

    /// Parses `KIND` of `fault PORT rx-cmpl KIND` (`rx` true) or
    /// `fault PORT tx-cmpl KIND`.
    pub fn parse(rx: bool, kind: &str) -> Result<Self, String> {
        let fault = kind.parse::<Self>()?;
        if fault.is_rx() == rx {
            Ok(fault)
        } else if rx {
            Err(format!(
                "rx-cmpl {kind}: want bad-id, stale-id, long or bad-type"
            ))
        } else {
            Err(format!("tx-cmpl {kind}: want past-tail or repeat"))
        }
    }

    /// Whether the fault is one of the RX completions.
    pub fn is_rx(self) -> bool {
        matches!(
            self,
            Self::RxBadId | Self::RxStaleId | Self::RxLong | Self::RxBadType
        )
    }
}

impl FromStr for DescFault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "bad-id" => Ok(Self::RxBadId),
            "stale-id" => Ok(Self::RxStaleId),
            "long" => Ok(Self::RxLong),
            "bad-type" => Ok(Self::RxBadType),
            "past-tail" => Ok(Self::TxPastTail),
            "repeat" => Ok(Self::TxRepeat),
            other => Err(format!(
                "'{other}': want bad-id, stale-id, long, bad-type (rx-cmpl) or past-tail, repeat (tx-cmpl)"
            )),
        }
    }
}

/// How many of each malformed completion are still to come, and how many
/// were written.
#[derive(Debug, Default)]
pub(super) struct DescFaults {
    pending: [AtomicU32; DescFault::COUNT],
    done: [AtomicU32; DescFault::COUNT],
}

impl DescFaults {
    /// The next `n` chances of `fault` take it (replacing what was left).
    pub(super) fn set(&self, fault: DescFault, n: u32) {
        self.pending[fault as usize].store(n, Ordering::Relaxed);
    }

    /// No more faults (what was written stays counted).
    pub(super) fn clear(&self) {
        for n in &self.pending {
            n.store(0, Ordering::Relaxed);
        }
    }

    /// Uses up one `fault` if any is left; whether it did.
    pub(super) fn take(&self, fault: DescFault) -> bool {
        let taken = self.pending[fault as usize]
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok();
        if taken {
            self.done[fault as usize].fetch_add(1, Ordering::Relaxed);
        }
        taken
    }

    /// The first RX fault still to come, used up; `stale` says whether a
    /// previous header buffer id exists (without one, `stale-id` waits).
    pub(super) fn take_rx(&self, stale: bool) -> Option<DescFault> {
        [
            DescFault::RxBadId,
            DescFault::RxStaleId,
            DescFault::RxLong,
            DescFault::RxBadType,
        ]
        .into_iter()
        .filter(|&f| f != DescFault::RxStaleId || stale)
        .find(|&f| self.take(f))
    }

    /// The TX head fault still to come, used up.
    pub(super) fn take_tx(&self) -> Option<DescFault> {
        [DescFault::TxPastTail, DescFault::TxRepeat]
            .into_iter()
            .find(|&f| self.take(f))
    }

    /// `left` and `written` counts of every fault, for `fault PORT cmpl`.
    pub(super) fn report(&self) -> String {
        const NAMES: [&str; DescFault::COUNT] = [
            "rx-bad-id",
            "rx-stale-id",
            "rx-long",
            "rx-bad-type",
            "tx-past-tail",
            "tx-repeat",
        ];
        NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| {
                format!(
                    "{name} {}/{}",
                    self.done[i].load(Ordering::Relaxed),
                    self.pending[i].load(Ordering::Relaxed)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_belong_to_their_direction() {
        assert_eq!(DescFault::parse(true, "bad-id"), Ok(DescFault::RxBadId));
        assert_eq!(DescFault::parse(false, "repeat"), Ok(DescFault::TxRepeat));
        assert!(DescFault::parse(true, "repeat")
            .unwrap_err()
            .contains("rx-cmpl"));
        assert!(DescFault::parse(false, "long")
            .unwrap_err()
            .contains("tx-cmpl"));
        assert!(DescFault::parse(true, "late").is_err());
    }

    #[test]
    fn faults_are_used_up_and_counted() {
        let f = DescFaults::default();
        assert_eq!(f.take_rx(true), None);
        f.set(DescFault::RxStaleId, 1);
        f.set(DescFault::RxLong, 2);
        // Without a previous buffer the stale id waits; the long one goes.
        assert_eq!(f.take_rx(false), Some(DescFault::RxLong));
        assert_eq!(f.take_rx(true), Some(DescFault::RxStaleId));
        assert_eq!(f.take_rx(true), Some(DescFault::RxLong));
        assert_eq!(f.take_rx(true), None);
        assert_eq!(f.take_tx(), None);
        f.set(DescFault::TxRepeat, 5);
        f.clear();
        assert_eq!(f.take_tx(), None);
        assert!(f
            .report()
            .starts_with("rx-bad-id 0/0 rx-stale-id 1/0 rx-long 2/0"));
    }
}
