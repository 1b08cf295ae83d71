// SPDX-License-Identifier: GPL-2.0

//! Faults of the TX time stamps, injected through the control socket
//! (`fault PORT tx-ts drop|invalid|spurious [N]`) to show how a driver
//! copes: a time stamp that never comes, one flagged invalid
//! (`STATUS_TS_INVALID`), and one for a packet that did not ask.

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

/// A kind of TX time stamp fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TsFault {
    /// The next packet that asks gets no time stamp completion.
    Drop,
    /// The next packet that asks gets its time stamp flagged invalid.
    Invalid,
    /// The next packet that does not ask gets a time stamp completion.
    Spurious,
}

impl FromStr for TsFault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "drop" => Ok(Self::Drop),
            "invalid" => Ok(Self::Invalid),
            "spurious" => Ok(Self::Spurious),
            other => Err(format!("tx-ts {other}: want drop, invalid or spurious")),
        }
    }
}

/// How many of each fault are still to happen.
#[derive(Debug, Default)]
pub(super) struct TsFaults([AtomicU32; 3]);

impl TsFaults {
    fn slot(&self, fault: TsFault) -> &AtomicU32 {
        &self.0[fault as usize]
    }

    /// The next `n` chances of `fault` take it (replacing what was left).
    pub(super) fn set(&self, fault: TsFault, n: u32) {
        self.slot(fault).store(n, Ordering::Relaxed);
    }

    /// No more faults.
    pub(super) fn clear(&self) {
        for n in &self.0 {
            n.store(0, Ordering::Relaxed);
        }
    }

    /// Whether `fault` is still to happen, without using it up.
    pub(super) fn pending(&self, fault: TsFault) -> bool {
        self.slot(fault).load(Ordering::Relaxed) > 0
    }

    /// Uses up one `fault` if any is left; whether it did.
    pub(super) fn take(&self, fault: TsFault) -> bool {
        self.slot(fault)
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_up_one_by_one() {
        let f = TsFaults::default();
        assert!(!f.take(TsFault::Drop));
        f.set(TsFault::Drop, 2);
        assert!(f.pending(TsFault::Drop) && !f.pending(TsFault::Invalid));
        assert!(f.take(TsFault::Drop) && f.take(TsFault::Drop));
        assert!(!f.take(TsFault::Drop));
        f.set(TsFault::Spurious, 1);
        f.clear();
        assert!(!f.pending(TsFault::Spurious));
        assert_eq!("invalid".parse(), Ok(TsFault::Invalid));
        assert!("late".parse::<TsFault>().is_err());
    }
}
