// SPDX-License-Identifier: GPL-2.0

//! The queue engines of one port: TX work queues and their completion
//! queue, RX buffer queues and completion queue, and the completion
//! interrupt moderation that ties them to MSI-X vectors.
//!
//! Guest doorbell writes (TWQ tails, BDQ tails, TCQ/RCQ heads) arrive on the
//! vfio-user thread. They are stored in the register file like any other
//! register; [`Datapath::csr_written`] then only notes which queue needs
//! service and wakes the port's worker thread, which does the DMA. Ring
//! resets are the one thing applied on the spot, under the engine lock, so
//! that a `CTL = RESET` followed at once by `CTL = ENABLE` cannot be missed.
//!
//! Completion interrupts: a completion written to a TCQ or RCQ whose
//! `TIM_MASK`/`RIM_MASK` is clear counts towards the vector in its
//! `TIM_CTL`/`RIM_CTL`; the vector is asserted once `THRESHOLD` completions
//! are pending or the coalescing timeout latched in `INTR_CQ_REARM(v)`
//! (TCQ or RCQ) has passed since the first of them, whichever is first.
//!
//! Received frames (from the peer port's TX, or a TAP) wait in the port's
//! inbox, standing in for the RX packet buffer, until the worker places
//! them. With `RDE_CTL0.DROP_MODE = NEVER` a frame that finds no buffers
//! stays at the head of the inbox, and a full inbox pushes back on the
//! sender, like pause frames on a real link; with `DROP_IMMEDIATE` it is
//! dropped and counted in the queue's RDE drop counters.
//!
//! Ring positions: the engine keeps free-running positions modulo twice the
//! ring size so that the DONE bit of every completion it writes follows
//! [`done_for_position`]: 1 on even laps, 0 on odd laps.
//!
//! Engine groups: a port's queues may be served by more than one worker
//! thread (`fbnic-emu --queue-threads N`). TX queue `q` belongs to group
//! `q % N`, whose worker alone reads its descriptors and writes its
//! completions; group 0's worker also places every received frame, as the
//! inbox is one FIFO (the port's RX packet buffer). Each group keeps its
//! own engine state under its own lock, moderation included: a vector's TX
//! and RX completions count towards its `TIM`/`RIM` thresholds and timers
//! in the group that wrote them. With one group (the default) this is the
//! single worker of before.
//!
//! The pieces: the TX engine (`tx`), the RX engine (`rx`), completion
//! interrupt moderation (`moderation`) and the worker threads with the
//! inbox (`worker`).
//!
//! [`done_for_position`]: fbnic_hw::desc::done_for_position

mod desc_fault;
mod dma_fault;
mod moderation;
mod rx;
mod ts_fault;
mod tx;
mod worker;

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Instant;

use fbnic_hw::csr::{intr, queue};
use fbnic_hw::desc::{bd, rcd, RxCompletion};
use fbnic_hw::reg::RegInfo;

use crate::device::FbnicDevice;
use crate::lso;
use crate::regs::RegisterFile;
use crate::stats::Dir;

use desc_fault::DescFaults;
use dma_fault::DmaFaults;
use moderation::VectorState;
use rx::RxQueue;
use ts_fault::TsFaults;
use tx::{TxQueue, MAX_TX_PACKET};
use worker::Kick;

pub use desc_fault::DescFault;
pub use ts_fault::TsFault;
pub use worker::{InboxLevel, INBOX_HARD_LIMIT, INBOX_SOFT_LIMIT};

/// A descriptor ring as programmed: base address and entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ring {
    base: u64,
    size: u32,
}

impl Ring {
    fn read(csr: &RegisterFile, q: u32, bal: RegInfo, bah: RegInfo, size: RegInfo) -> Self {
        let rd = |off: RegInfo| csr.read(off.dword(q, 0)).unwrap_or(0);
        Ring {
            base: (u64::from(rd(bah)) << 32)
                | u64::from(queue::BAL_MASK.prep(queue::BAL_MASK.get(rd(bal)))),
            size: queue::size_entries(rd(size)),
        }
    }

    fn mask(&self) -> u32 {
        self.size - 1
    }

    /// Address of entry `pos` (taken modulo the ring size).
    fn entry(&self, pos: u32) -> u64 {
        self.base + u64::from(pos & self.mask()) * 8
    }
}

/// Why a queue was stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueError {
    /// A descriptor of a type not allowed where it appeared.
    BadType { pos: u32, raw: u64 },
    /// An address/length descriptor of length 0.
    ZeroLength { pos: u32 },
    /// A descriptor or buffer outside guest memory.
    Dma {
        addr: u64,
        len: u64,
        what: &'static str,
    },
    /// A packet larger than any the device accepts.
    TooLong { len: usize },
    /// The META's offload request does not fit the packet.
    Offload(lso::OffloadError),
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueError::BadType { pos, raw } => {
                write!(
                    f,
                    "descriptor {pos} ({raw:#018x}) has a type not allowed there"
                )
            }
            QueueError::ZeroLength { pos } => write!(f, "descriptor {pos} has length 0"),
            QueueError::Dma { addr, len, what } => {
                write!(
                    f,
                    "{what} at {addr:#x} ({len} bytes) is outside guest memory"
                )
            }
            QueueError::TooLong { len } => write!(f, "packet of {len} bytes is too long"),
            QueueError::Offload(e) => write!(f, "offload request: {e}"),
        }
    }
}

impl std::error::Error for QueueError {}

/// Where transmitted frames go: the other end of the port's cable.
pub trait Wire: Send + Sync {
    /// Delivers one frame (no FCS).
    fn send(&self, frame: &[u8]);
    /// Delivers the frame in `frame`, and may take the buffer, leaving
    /// another one (of any content) in its place: a copy saved.
    fn send_buf(&self, frame: &mut Vec<u8>) {
        self.send(frame);
    }
    /// True while the far end asks the sender to hold off.
    fn congested(&self) -> bool {
        false
    }
}

/// A frame tap (packet capture) on a port: sees every frame the port sends
/// and every frame it receives from its wire.
pub trait Tap: Send + Sync {
    fn frame(&self, dir: Dir, frame: &[u8]);
}

/// Mutable engine state, under one lock.
struct Engine {
    tx: Vec<TxQueue>,
    rx: Vec<RxQueue>,
    vectors: Vec<VectorState>,
    /// Gather buffer for one TX packet.
    pkt: Vec<u8>,
    /// Segment buffer for LSO.
    seg: Vec<u8>,
    /// Padding and headers of the RX frame being placed.
    hdr_buf: Vec<u8>,
    /// RX completions of the frame being placed.
    rcds: Vec<RxCompletion>,
    /// Earliest time a blocked TX queue should be retried.
    retry_at: Option<Instant>,
    /// When the current service round started.
    round: Instant,
}

/// The datapath of one port.
pub struct Datapath {
    queues: u16,
    /// The engine of each group of queues (see the module documentation).
    engines: Box<[Mutex<Engine>]>,
    /// The wake-up of each group's worker.
    kicks: Box<[Kick]>,
    /// Each group's TX queues as bits of `dirty_tx`'s words.
    group_bits: Box<[[u64; 2]]>,
    /// TX queues with doorbells not yet serviced, one bit per queue.
    dirty_tx: [AtomicU64; 2],
    /// RX work may be possible (frames arrived or buffers were posted).
    rx_work: AtomicBool,
    inbox: Mutex<worker::Inbox>,
    wire: RwLock<Option<Arc<dyn Wire>>>,
    taps: RwLock<Vec<Arc<dyn Tap>>>,
    /// Set once a tap is added: frames skip the lock of `taps` until then.
    tapped: AtomicBool,
    stop: AtomicBool,
    /// Frames the RX engine placed across header and payload buffers.
    rx_split: AtomicU64,
    /// Writes to the TWQ tail doorbells, all queues.
    tx_doorbells: AtomicU64,
    /// Host frames shorter than `MIN_FRAME_LEN` (see [`Datapath::tx_runts`]).
    tx_runts: AtomicU64,
    /// TX time stamp faults still to inject.
    ts_faults: TsFaults,
    /// Malformed RX and TX completions still to write.
    desc_faults: DescFaults,
    /// Packets whose buffer DMA is to fail (`fault PORT dma fail`).
    dma_faults: DmaFaults,
    /// TX queues hung by the control socket's `fault PORT tx-stall`, one
    /// bit per queue: their engine takes no descriptor and writes no
    /// completion until the queue is reset or the fault cleared.
    tx_stalled: [AtomicU64; 2],
}

impl Datapath {
    /// The engines of a port with `queues` queue triads of each kind, in
    /// `groups` groups (at least one, at most one per queue), each for a
    /// worker thread of its own.
    pub fn new(queues: u16, groups: u16) -> Self {
        let n = usize::from(queues);
        let groups = usize::from(groups.clamp(1, queues.max(1)));
        let engine = || {
            Mutex::new(Engine {
                tx: (0..n).map(|_| TxQueue::default()).collect(),
                rx: (0..n).map(|_| RxQueue::default()).collect(),
                vectors: vec![VectorState::default(); intr::MAX_MSIX_VECS as usize],
                pkt: Vec::with_capacity(MAX_TX_PACKET),
                seg: Vec::with_capacity(16 * 1024),
                hdr_buf: Vec::with_capacity(bd::FRAG_SIZE as usize),
                rcds: Vec::with_capacity(rcd::MAX_PKT_DESC as usize),
                retry_at: None,
                round: Instant::now(),
            })
        };
        let group_bits = (0..groups)
            .map(|g| {
                let mut words = [0u64; 2];
                for q in (g..n).step_by(groups) {
                    words[q / 64] |= 1 << (q % 64);
                }
                // Bits past the last queue are nobody's work: group 0
                // clears them.
                if g == 0 {
                    for q in n..128 {
                        words[q / 64] |= 1 << (q % 64);
                    }
                }
                words
            })
            .collect();
        Datapath {
            queues,
            engines: (0..groups).map(|_| engine()).collect(),
            kicks: (0..groups).map(|_| Kick::default()).collect(),
            group_bits,
            dirty_tx: [AtomicU64::new(0), AtomicU64::new(0)],
            rx_work: AtomicBool::new(false),
            inbox: Mutex::new(worker::Inbox::default()),
            wire: RwLock::new(None),
            taps: RwLock::new(Vec::new()),
            tapped: AtomicBool::new(false),
            stop: AtomicBool::new(false),
            rx_split: AtomicU64::new(0),
            tx_doorbells: AtomicU64::new(0),
            tx_runts: AtomicU64::new(0),
            ts_faults: TsFaults::default(),
            desc_faults: DescFaults::default(),
            dma_faults: DmaFaults::default(),
            tx_stalled: [AtomicU64::new(0), AtomicU64::new(0)],
        }
    }

    /// Injects `fault` into the next `n` TX time stamps it applies to, on
    /// any queue; 0 cancels it.
    pub fn set_ts_fault(&self, fault: TsFault, n: u32) {
        self.ts_faults.set(fault, n);
    }

    /// Cancels every TX time stamp fault still to happen.
    pub fn clear_ts_faults(&self) {
        self.ts_faults.clear();
    }

    /// Makes the next `n` completions that `fault` applies to malformed,
    /// on any queue; 0 cancels it.
    pub fn set_desc_fault(&self, fault: DescFault, n: u32) {
        self.desc_faults.set(fault, n);
    }

    /// Cancels every malformed completion still to come.
    pub fn clear_desc_faults(&self) {
        self.desc_faults.clear();
    }

    /// Makes the buffer DMA of the next `n` packets fail, RX or TX
    /// ([`dma_fault`]); 0 cancels it.
    pub fn set_dma_fault(&self, n: u32) {
        self.dma_faults.set(n);
    }

    /// `dma rx-failed N tx-failed M left K`.
    pub fn dma_fault_report(&self) -> String {
        self.dma_faults.report()
    }

    /// Each malformed completion kind: written/still to come.
    pub fn desc_fault_report(&self) -> String {
        self.desc_faults.report()
    }

    /// Hangs TX queue `q` (`None`: every queue) until it is reset or
    /// [`Datapath::clear_tx_stalls`]. Returns false for a queue the port
    /// does not have.
    pub fn stall_tx(&self, q: Option<u32>) -> bool {
        match q {
            Some(q) if q < u32::from(self.queues) => {
                self.tx_stalled[q as usize / 64].fetch_or(1 << (q % 64), Ordering::AcqRel);
            }
            Some(_) => return false,
            None => {
                for q in 0..u32::from(self.queues) {
                    self.tx_stalled[q as usize / 64].fetch_or(1 << (q % 64), Ordering::AcqRel);
                }
            }
        }
        true
    }

    /// Ends every TX hang; the queues resume where they stopped.
    pub fn clear_tx_stalls(&self) {
        for (w, word) in self.tx_stalled.iter().enumerate() {
            let mut bits = word.swap(0, Ordering::AcqRel);
            while bits != 0 {
                self.mark_tx(w as u32 * 64 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
        self.kick_all();
    }

    /// The TX queues hung now, in order.
    pub fn tx_stalled(&self) -> Vec<u32> {
        (0..u32::from(self.queues))
            .filter(|&q| self.is_tx_stalled(q))
            .collect()
    }

    fn is_tx_stalled(&self, q: u32) -> bool {
        self.tx_stalled
            .get(q as usize / 64)
            .is_some_and(|w| w.load(Ordering::Acquire) & (1 << (q % 64)) != 0)
    }

    /// Frames received so far that went partly into payload buffers: split
    /// after their headers (or at the header limit), as the queue's
    /// `RDE_CTL0/1` asked. What the control socket's `status` reports as
    /// `rx-split`.
    pub fn rx_split(&self) -> u64 {
        self.rx_split.load(Ordering::Relaxed)
    }

    /// Writes the driver made to a TWQ tail doorbell, on all queues: fewer
    /// than the packets sent when it batches them. What the control
    /// socket's `status` reports as `tx-doorbells`.
    pub fn tx_doorbells(&self) -> u64 {
        self.tx_doorbells.load(Ordering::Relaxed)
    }

    /// Frames the host handed the device shorter than
    /// [`MIN_FRAME_LEN`](fbnic_hw::desc::MIN_FRAME_LEN): the driver is to
    /// pad them and the device does not, so each one went out as a runt.
    /// What the control socket's `status` reports as `tx-runts`.
    pub fn tx_runts(&self) -> u64 {
        self.tx_runts.load(Ordering::Relaxed)
    }

    /// How many TX and RX queues are enabled now (`TCQ_CTL` and `RCQ_CTL`
    /// `ENABLE`), as the control socket's `status` and the disconnect log
    /// report them.
    pub fn enabled_queues(&self, csr: &RegisterFile) -> (u32, u32) {
        let on =
            |info: RegInfo, bit: u32, q: u32| csr.read(info.dword(q, 0)).unwrap_or(0) & bit != 0;
        (0..u32::from(self.queues)).fold((0, 0), |(tx, rx), q| {
            (
                tx + u32::from(on(queue::TCQ_CTL::INFO, queue::TCQ_CTL::ENABLE.mask(), q)),
                rx + u32::from(on(queue::RCQ_CTL::INFO, queue::RCQ_CTL::ENABLE.mask(), q)),
            )
        })
    }

    /// The engine of group `g`, which is below the number of groups.
    fn engine(&self, g: usize) -> MutexGuard<'_, Engine> {
        // Engine updates leave consistent state at every await point; a
        // panic in a worker must not wedge the vfio-user thread too.
        self.engines[g].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many engine groups (worker threads) serve the queues.
    pub fn groups(&self) -> usize {
        self.engines.len()
    }

    /// The group serving TX queue `q`.
    fn tx_group(&self, q: u32) -> usize {
        q as usize % self.engines.len()
    }

    /// Wakes every group's worker.
    fn kick_all(&self) {
        for k in self.kicks.iter() {
            k.kick();
        }
    }

    /// Connects the port's cable.
    pub fn set_wire(&self, wire: Option<Arc<dyn Wire>>) {
        *self.wire.write().unwrap_or_else(|e| e.into_inner()) = wire;
    }

    /// Adds a frame tap.
    pub fn add_tap(&self, tap: Arc<dyn Tap>) {
        self.taps
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(tap);
        self.tapped.store(true, Ordering::Release);
    }

    fn tap(&self, dir: Dir, frame: &[u8]) {
        if !self.tapped.load(Ordering::Acquire) {
            return;
        }
        for t in self.taps.read().unwrap_or_else(|e| e.into_inner()).iter() {
            t.frame(dir, frame);
        }
    }

    /// True if a TX doorbell awaits service.
    pub fn has_tx_work(&self) -> bool {
        self.dirty_tx.iter().any(|w| w.load(Ordering::Acquire) != 0)
    }

    fn mark_tx(&self, q: u32) {
        if let Some(word) = self.dirty_tx.get(q as usize / 64) {
            word.fetch_or(1 << (q % 64), Ordering::AcqRel);
        }
    }

    /// Called after the guest wrote `val` to BAR0 register `reg` (already
    /// stored): doorbells wake the worker, ring resets apply at once.
    pub fn csr_written(&self, dev: &FbnicDevice, reg: u32, val: u32) {
        let Some((q, off)) = queue::decode(reg) else {
            return;
        };
        let q = q.get();
        if q >= u32::from(self.queues) {
            return;
        }
        let zero = |regs: &[RegInfo]| {
            for r in regs {
                dev.csr().write(r.dword(q, 0), 0);
            }
        };
        // TX work is for the queue's group, RX work for group 0.
        let group = match off {
            off::TWQ0_TAIL | off::TWQ1_TAIL => {
                self.tx_doorbells.fetch_add(1, Ordering::Relaxed);
                self.mark_tx(q);
                self.tx_group(q)
            }
            off::TCQ_HEAD => {
                self.mark_tx(q);
                self.tx_group(q)
            }
            off::BDQ_HPQ_TAIL | off::BDQ_PPQ_TAIL | off::RCQ_HEAD => {
                self.rx_work.store(true, Ordering::Release);
                0
            }
            off::TWQ0_CTL | off::TWQ1_CTL | off::TCQ_CTL => {
                let reset = match off {
                    off::TWQ0_CTL | off::TWQ1_CTL => val & queue::TWQ0_CTL::RESET.mask() != 0,
                    _ => val & queue::TCQ_CTL::RESET.mask() != 0,
                };
                if reset {
                    let mut eng = self.engine(self.tx_group(q));
                    let t = &mut eng.tx[q as usize];
                    match off {
                        // A reset zeroes both ends of the ring, the
                        // doorbell the driver writes included.
                        off::TWQ0_CTL => {
                            t.twq0_head = 0;
                            zero(&[queue::TWQ0_PTRS::INFO, queue::TWQ0_TAIL::INFO]);
                        }
                        off::TWQ1_CTL => {
                            t.twq1_head = 0;
                            zero(&[queue::TWQ1_PTRS::INFO, queue::TWQ1_TAIL::INFO]);
                        }
                        _ => {
                            t.tcq_tail = 0;
                            zero(&[queue::TCQ_PTRS::INFO, queue::TCQ_HEAD::INFO]);
                        }
                    }
                    t.stopped = false;
                    // A queue reset ends a hang of the queue's engine.
                    self.tx_stalled[q as usize / 64].fetch_and(!(1 << (q % 64)), Ordering::AcqRel);
                }
                self.mark_tx(q);
                self.tx_group(q)
            }
            off::RCQ_CTL | off::BDQ_CTL => {
                let reset = match off {
                    off::RCQ_CTL => val & queue::RCQ_CTL::RESET.mask() != 0,
                    _ => val & queue::BDQ_CTL::RESET.mask() != 0,
                };
                if reset {
                    let mut eng = self.engine(0);
                    let r = &mut eng.rx[q as usize];
                    if off == off::RCQ_CTL {
                        r.rcq_tail = 0;
                        zero(&[queue::RCQ_PTRS::INFO, queue::RCQ_HEAD::INFO]);
                    } else {
                        r.hpq_head = 0;
                        r.ppq_head = 0;
                        r.hdr = None;
                        zero(&[
                            queue::BDQ_HPQ_PTRS::INFO,
                            queue::BDQ_PPQ_PTRS::INFO,
                            queue::BDQ_HPQ_TAIL::INFO,
                            queue::BDQ_PPQ_TAIL::INFO,
                        ]);
                    }
                    r.stopped = false;
                }
                self.rx_work.store(true, Ordering::Release);
                0
            }
            _ => return,
        };
        self.kicks[group].kick();
    }

    /// Function reset: every ring forgets its position, pending frames and
    /// timers are dropped.
    pub fn reset(&self) {
        for g in 0..self.groups() {
            let mut eng = self.engine(g);
            for t in eng.tx.iter_mut() {
                *t = TxQueue::default();
            }
            for r in eng.rx.iter_mut() {
                *r = RxQueue::default();
            }
            for v in eng.vectors.iter_mut() {
                *v = VectorState::default();
            }
            eng.retry_at = None;
        }
        self.inbox().clear();
        for w in &self.dirty_tx {
            w.store(0, Ordering::Release);
        }
    }

    /// Asks the workers to exit.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::Release);
        self.kick_all();
    }
}

/// The 40-bit timestamp of TX and RX timestamps: the low bits of the
/// device's PTP counter now, which the driver extends to the clock's time.
fn timestamp(dev: &FbnicDevice) -> u64 {
    dev.ptp().now_ns() & ((1 << 40) - 1)
}

/// Reads the 8-byte descriptor at `addr`.
fn read_desc(dev: &FbnicDevice, addr: u64, what: &'static str) -> Result<u64, QueueError> {
    dev.memory()
        .read_u64(addr)
        .map_err(|_| QueueError::Dma { addr, len: 8, what })
}

fn write_desc(
    dev: &FbnicDevice,
    addr: u64,
    val: u64,
    what: &'static str,
) -> Result<(), QueueError> {
    dev.memory()
        .write_u64(addr, val)
        .map_err(|_| QueueError::Dma { addr, len: 8, what })
}

/// In-block offsets of the per-queue registers the doorbell dispatch
/// matches on, taken from their declarations.
mod off {
    use fbnic_hw::csr::queue;

    pub const BDQ_CTL: u32 = queue::offset(&queue::BDQ_CTL::INFO);
    pub const BDQ_HPQ_TAIL: u32 = queue::offset(&queue::BDQ_HPQ_TAIL::INFO);
    pub const BDQ_PPQ_TAIL: u32 = queue::offset(&queue::BDQ_PPQ_TAIL::INFO);
    pub const RCQ_CTL: u32 = queue::offset(&queue::RCQ_CTL::INFO);
    pub const RCQ_HEAD: u32 = queue::offset(&queue::RCQ_HEAD::INFO);
    pub const TCQ_CTL: u32 = queue::offset(&queue::TCQ_CTL::INFO);
    pub const TCQ_HEAD: u32 = queue::offset(&queue::TCQ_HEAD::INFO);
    pub const TWQ0_CTL: u32 = queue::offset(&queue::TWQ0_CTL::INFO);
    pub const TWQ0_TAIL: u32 = queue::offset(&queue::TWQ0_TAIL::INFO);
    pub const TWQ1_CTL: u32 = queue::offset(&queue::TWQ1_CTL::INFO);
    pub const TWQ1_TAIL: u32 = queue::offset(&queue::TWQ1_TAIL::INFO);
}
