// SPDX-License-Identifier: GPL-2.0

//! Completion interrupt moderation: completions counted per MSI-X vector,
//! the vector raised at the threshold or when the coalescing timeout
//! latched through `INTR_CQ_REARM` runs out.

use std::time::{Duration, Instant};

use fbnic_hw::csr::queue;
use fbnic_hw::reg::RegInfo;

use crate::device::FbnicDevice;

use super::Engine;

/// Completion interrupt moderation state of one MSI-X vector.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct VectorState {
    /// Completions written since the vector last fired.
    pending: u32,
    /// When the coalescing timer expires, if running.
    deadline: Option<Instant>,
    /// The timeout (us) the running timer was started with.
    timeout: u16,
}

/// Raises vector `v` for queue completions through the interrupt block,
/// which delivers it unless the vector is masked (as it is while NAPI
/// polls) and otherwise holds it pending until `INTR_CQ_REARM` unmasks.
fn raise_queue_vector(dev: &FbnicDevice, v: u16) {
    dev.intr().assert(v);
}

// One code path serves both completion queues: their mask and threshold
// registers share a layout.
const _: () = assert!(queue::TIM_MASK::MASK.mask() == queue::RIM_MASK::MASK.mask());
const _: () = assert!(queue::TIM_THRESHOLD::TWD.mask() == queue::RIM_THRESHOLD::RCD.mask());

impl Engine {
    /// Accounts `n` completions written to queue `q`'s TCQ (`rx` false) or
    /// RCQ for interrupt moderation.
    pub(super) fn completion(&mut self, dev: &FbnicDevice, q: u32, rx: bool, n: u32) {
        let csr = dev.csr();
        let rd = |off: RegInfo| csr.read(off.dword(q, 0)).unwrap_or(0);
        let (ctl, thr, mask) = if rx {
            (
                queue::RIM_CTL::INFO,
                queue::RIM_THRESHOLD::INFO,
                queue::RIM_MASK::INFO,
            )
        } else {
            (
                queue::TIM_CTL::INFO,
                queue::TIM_THRESHOLD::INFO,
                queue::TIM_MASK::INFO,
            )
        };
        if queue::TIM_MASK::MASK.get(rd(mask)) != 0 {
            return;
        }
        let v = queue::TIM_CTL::MSIX.get(rd(ctl)) as usize;
        let threshold = queue::TIM_THRESHOLD::TWD.get(rd(thr));
        let Some(vs) = self.vectors.get_mut(v) else {
            return;
        };
        vs.pending += n;
        // The coalescing timeouts the driver latched through
        // INTR_CQ_REARM (30/35 us by default).
        let usecs = dev.intr().rearm_state(v as u16).map_or(0, |r| {
            if rx {
                r.rcq_timeout
            } else {
                r.tcq_timeout
            }
        });
        if threshold != 0 && vs.pending >= threshold {
            // Due at once: the start of this service round is past.
            vs.deadline = Some(self.round);
        } else if vs.deadline.is_none() || usecs < vs.timeout {
            // A running timer ends before one started now unless the
            // driver shortened the timeout since: the clock is read only
            // to start a timer, not for every completion.
            let due = Instant::now() + Duration::from_micros(u64::from(usecs));
            if vs.deadline.is_none_or(|d| d > due) {
                vs.deadline = Some(due);
                vs.timeout = usecs;
            }
        }
    }

    /// Fires vectors whose moderation timer expired; returns the next
    /// deadline.
    pub(super) fn fire_due(&mut self, dev: &FbnicDevice, now: Instant) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        for (v, vs) in self.vectors.iter_mut().enumerate() {
            match vs.deadline {
                Some(d) if d <= now => {
                    vs.deadline = None;
                    vs.pending = 0;
                    raise_queue_vector(dev, v as u16);
                }
                Some(d) => next = Some(next.map_or(d, |n| n.min(d))),
                None => {}
            }
        }
        next
    }
}
