// SPDX-License-Identifier: GPL-2.0

//! The worker thread of a port: its inbox of received frames (the RX
//! packet buffer), the kick that wakes it, and its service loop.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Instant;

use crate::device::FbnicDevice;
use crate::stats::{self, Dir};

use super::rx::Placed;
use super::{Datapath, Engine};

/// Frames the inbox holds before the sender is told to wait.
pub const INBOX_SOFT_LIMIT: usize = 512;
/// Frames the inbox holds at most; beyond it frames are dropped.
pub const INBOX_HARD_LIMIT: usize = 4096;

/// Buffers the inbox keeps for reuse, so that a frame costs no
/// allocation once traffic runs.
const SPARE_BUFFERS: usize = 64;

/// Frames received and not yet placed, and the buffers of placed ones.
#[derive(Default)]
pub(super) struct Inbox {
    frames: VecDeque<Vec<u8>>,
    spare: Vec<Vec<u8>>,
    /// `frames.len()`, for senders to read without the lock.
    level: InboxLevel,
}

/// How many frames an inbox holds, readable without its lock.
///
/// A sender asks before every frame whether the far end is congested;
/// asking the inbox itself took the far port (an upgrade of its weak
/// reference) and its inbox lock per frame. The level is written only
/// under the inbox lock, so it is exact there and elsewhere at most the
/// frames in flight behind, which the soft limit (holding senders back,
/// with [`INBOX_HARD_LIMIT`] far above it) tolerates.
#[derive(Clone, Default)]
pub struct InboxLevel(Arc<AtomicUsize>);

impl InboxLevel {
    /// True while the inbox asks senders to wait.
    pub fn congested(&self) -> bool {
        self.0.load(Ordering::Relaxed) >= INBOX_SOFT_LIMIT
    }
}

impl Inbox {
    pub(super) fn len(&self) -> usize {
        self.frames.len()
    }

    fn update_level(&self) {
        self.level.0.store(self.frames.len(), Ordering::Relaxed);
    }

    pub(super) fn clear(&mut self) {
        self.frames.clear();
        self.update_level();
    }

    fn push_back(&mut self, frame: Vec<u8>) {
        self.frames.push_back(frame);
        self.update_level();
    }

    fn push_front(&mut self, frame: Vec<u8>) {
        self.frames.push_front(frame);
        self.update_level();
    }

    fn pop_front(&mut self) -> Option<Vec<u8>> {
        let frame = self.frames.pop_front();
        self.update_level();
        frame
    }

    /// Keeps `buf` for a later frame, unless enough are kept.
    fn recycle(&mut self, buf: Vec<u8>) {
        if self.spare.len() < SPARE_BUFFERS {
            self.spare.push(buf);
        }
    }
}

/// Wakes the worker.
#[derive(Default)]
pub(super) struct Kick {
    /// Set from the first kick until the worker takes it: later kicks in
    /// between need neither the lock nor a notification.
    pending: AtomicBool,
    flag: Mutex<bool>,
    cv: Condvar,
}

impl Kick {
    pub(super) fn kick(&self) {
        if self.pending.swap(true, Ordering::AcqRel) {
            return;
        }
        let mut f = self.flag.lock().unwrap_or_else(|e| e.into_inner());
        if !*f {
            *f = true;
            self.cv.notify_one();
        }
    }

    /// Waits for a kick or `deadline`; returns with the flag cleared.
    fn wait(&self, deadline: Option<Instant>) {
        let mut f = self.flag.lock().unwrap_or_else(|e| e.into_inner());
        while !*f {
            match deadline {
                None => f = self.cv.wait(f).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if d <= now {
                        break;
                    }
                    f = self
                        .cv
                        .wait_timeout(f, d - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
        *f = false;
        // Under the lock, before the round: a kick that found `pending`
        // set made its change before this, so the round sees it.
        self.pending.swap(false, Ordering::AcqRel);
    }
}

impl Datapath {
    pub(super) fn inbox(&self) -> MutexGuard<'_, Inbox> {
        self.inbox.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A frame arrived from the wire. Returns false if the inbox was full
    /// and the frame was dropped.
    pub fn receive(&self, dev: &FbnicDevice, frame: &[u8]) -> bool {
        self.accept(dev, |f| f.extend_from_slice(frame))
    }

    /// A frame arrived from a port of this process, in `frame`: the inbox
    /// keeps that buffer and leaves a spare one (of any content) in its
    /// place. Returns false if the frame was dropped.
    pub fn receive_buf(&self, dev: &FbnicDevice, frame: &mut Vec<u8>) -> bool {
        self.accept(dev, |f| std::mem::swap(f, frame))
    }

    /// Puts the frame `fill` puts into an empty buffer into the inbox.
    fn accept(&self, dev: &FbnicDevice, fill: impl FnOnce(&mut Vec<u8>)) -> bool {
        if !dev.link().carrier() {
            // Nothing arrives over a cable without carrier.
            return false;
        }
        let accepted = {
            let mut inbox = self.inbox();
            if inbox.len() >= INBOX_HARD_LIMIT {
                false
            } else {
                let mut f = inbox.spare.pop().unwrap_or_default();
                f.clear();
                fill(&mut f);
                // The wire carries at least a minimum-size frame; a TAP
                // hands over unpadded ones.
                if f.len() < 60 {
                    f.resize(60, 0);
                }
                inbox.push_back(f);
                true
            }
        };
        if !accepted {
            // The RX packet buffer overflowed: the host FIFO's drop count.
            let csr = dev.csr();
            stats::add32(
                csr,
                fbnic_hw::csr::rxb::DROP_FRMS_STS::INFO.dword(fbnic_hw::csr::rxb::FIFO_HOST, 0),
                1,
            );
            return false;
        }
        self.rx_work.store(true, Ordering::Release);
        // Group 0 places received frames.
        self.kicks[0].kick();
        true
    }

    /// True while the inbox asks senders to wait.
    pub fn congested(&self) -> bool {
        self.inbox().len() >= INBOX_SOFT_LIMIT
    }

    /// The inbox's fill level, for a sender to watch ([`InboxLevel`]).
    pub fn inbox_level(&self) -> InboxLevel {
        self.inbox().level.clone()
    }

    /// Frames waiting in the inbox.
    pub fn inbox_len(&self) -> usize {
        self.inbox().len()
    }

    /// Starts the worker threads of `dev`'s port, one per engine group:
    /// `name`, then `name.1`, `name.2` and so on.
    pub fn spawn(
        dev: Arc<FbnicDevice>,
        name: String,
    ) -> std::io::Result<Vec<thread::JoinHandle<()>>> {
        (0..dev.datapath().groups())
            .map(|g| {
                let dev = Arc::clone(&dev);
                let name = if g == 0 {
                    name.clone()
                } else {
                    format!("{name}.{g}")
                };
                thread::Builder::new().name(name).spawn(move || {
                    let dp = dev.datapath();
                    let mut deadline = None;
                    while !dp.stop.load(Ordering::Acquire) {
                        dp.kicks[g].wait(deadline);
                        deadline = dp.run_group(&dev, g);
                    }
                })
            })
            .collect()
    }

    /// One service round of every group in turn (see
    /// [`Datapath::run_group`]); returns when the next round is due even
    /// without a kick. Tests and the benchmark call this directly instead
    /// of running workers.
    pub fn run_once(&self, dev: &FbnicDevice) -> Option<Instant> {
        (0..self.groups())
            .filter_map(|g| self.run_group(dev, g))
            .min()
    }

    /// One service round of group `g`: each of its dirty TX queues, for
    /// group 0 the inbox, then the group's due interrupts. Returns when
    /// the group's next round is due even without a kick.
    pub fn run_group(&self, dev: &FbnicDevice, g: usize) -> Option<Instant> {
        let mine = self.group_bits.get(g)?;
        let mut eng = self.engine(g);
        let now = Instant::now();
        eng.round = now;
        if eng.retry_at.is_some_and(|t| t <= now) {
            eng.retry_at = None;
        }
        for ((w, word), &mask) in self.dirty_tx.iter().enumerate().zip(mine) {
            let mut bits = word.fetch_and(!mask, Ordering::AcqRel) & mask;
            while bits != 0 {
                let q = w as u32 * 64 + bits.trailing_zeros();
                bits &= bits - 1;
                if q >= u32::from(self.queues) {
                    continue;
                }
                if self.is_tx_stalled(q) {
                    // Hung: the doorbell waits until the hang ends (which
                    // marks the queue again).
                    continue;
                }
                if eng.service_tx(self, dev, q) {
                    // Budget used up or held back: come back for the rest.
                    self.mark_tx(q);
                }
            }
        }
        if g == 0 && self.rx_work.swap(false, Ordering::AcqRel) {
            self.service_rx(&mut eng, dev);
        }
        let next = eng.fire_due(dev, Instant::now());
        let more = self
            .dirty_tx
            .iter()
            .zip(mine)
            .any(|(w, &mask)| w.load(Ordering::Acquire) & mask != 0);
        if more && eng.retry_at.is_none() {
            // Budget-limited queues: go again at once.
            self.kicks[g].kick();
        }
        [next, eng.retry_at].into_iter().flatten().min()
    }

    /// Places inbox frames until the inbox is empty or a queue asks to
    /// wait.
    fn service_rx(&self, eng: &mut Engine, dev: &FbnicDevice) {
        let mut done: Option<Vec<u8>> = None;
        loop {
            let frame = {
                let mut inbox = self.inbox();
                if let Some(buf) = done.take() {
                    inbox.recycle(buf);
                }
                match inbox.pop_front() {
                    Some(f) => f,
                    None => return,
                }
            };
            self.tap(Dir::Rx, &frame);
            if eng.rx_frame(self, dev, &frame) == Placed::Wait {
                self.inbox().push_front(frame);
                return;
            }
            done = Some(frame);
        }
    }
}
