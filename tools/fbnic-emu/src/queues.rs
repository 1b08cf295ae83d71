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

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use fbnic_hw::csr::{intr, qm_tx, queue, rpc, tce};
use fbnic_hw::desc::{
    bd, done_for_position, twd, L3Type, L4Type, RxAddrLen, RxBufDesc, RxCompletion, RxMeta,
    RxOptMeta, TxAddrLen, TxCompletion, TxMeta,
};
use log::{debug, error};

use crate::csum;
use crate::device::FbnicDevice;
use crate::lso::{self, LsoCtrl};
use crate::parse::{self, Parsed, IPPROTO_UDP};
use crate::regs::RegisterFile;
use crate::rpc::{classify, DropReason, Verdict};
use crate::stats::{self, Dir, Rde};

/// Frames the inbox holds before the sender is told to wait.
pub const INBOX_SOFT_LIMIT: usize = 512;
/// Frames the inbox holds at most; beyond it frames are dropped.
pub const INBOX_HARD_LIMIT: usize = 4096;
/// Packets one TX queue sends per service round, so that one busy queue
/// cannot starve the others or the RX side.
const TX_BUDGET: usize = 64;
/// Largest packet accepted from a TWQ (headers plus a 64 KiB TSO payload
/// with room to spare).
const MAX_TX_PACKET: usize = 256 * 1024;
/// Most descriptors an RX packet may take (`FBNIC_MAX_RX_PKT_DESC`).
const MAX_RX_PKT_DESC: usize = 7;
/// Bytes of a BDQ fragment.
const FRAG: usize = bd::FRAG_SIZE as usize;
/// How soon a queue blocked by a congested link is retried.
const RETRY: Duration = Duration::from_micros(50);

/// Ring entries for a `*_SIZE` register (log2 in bits 3:0, 0 meaning 64K).
fn ring_entries(size_reg: u32) -> u32 {
    match size_reg & 0xf {
        0 => 1 << 16,
        n => 1 << n,
    }
}

/// A descriptor ring as programmed: base address and entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ring {
    base: u64,
    size: u32,
}

impl Ring {
    fn read(csr: &RegisterFile, q: u32, bal: u32, bah: u32, size: u32) -> Self {
        let rd = |off| csr.read(queue::reg(q, off)).unwrap_or(0);
        Ring {
            base: (u64::from(rd(bah)) << 32)
                | u64::from(queue::BAL_MASK.prep(queue::BAL_MASK.get(rd(bal)))),
            size: ring_entries(rd(size)),
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

/// Engine state of one TX queue triad (TWQ0, TWQ1, TCQ).
#[derive(Debug, Default)]
struct TxQueue {
    twq0_head: u32,
    twq1_head: u32,
    /// Free-running TCQ write position, modulo twice the ring size.
    tcq_tail: u32,
    /// Set when a bad descriptor stopped the queue, until its next reset.
    stopped: bool,
}

/// The header fragment being filled with packet headers.
#[derive(Clone, Copy, Debug)]
struct HdrFrag {
    buf: RxBufDesc,
    /// Where the next header may go.
    next_off: usize,
}

/// Engine state of one RX queue triad (HPQ, PPQ, RCQ).
#[derive(Debug, Default)]
struct RxQueue {
    hpq_head: u32,
    ppq_head: u32,
    /// Free-running RCQ write position, modulo twice the ring size.
    rcq_tail: u32,
    hdr: Option<HdrFrag>,
    stopped: bool,
}

/// Completion interrupt moderation state of one MSI-X vector.
#[derive(Clone, Copy, Debug, Default)]
struct VectorState {
    /// Completions written since the vector last fired.
    pending: u32,
    /// When the coalescing timer expires, if running.
    deadline: Option<Instant>,
}

/// Where transmitted frames go: the other end of the port's cable.
pub trait Wire: Send + Sync {
    /// Delivers one frame (no FCS).
    fn send(&self, frame: &[u8]);
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

/// Outcome of placing one received frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    /// Delivered or dropped; either way done with it.
    Done,
    /// No room and the queue's drop mode says wait.
    Wait,
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
    /// Earliest time a blocked TX queue should be retried.
    retry_at: Option<Instant>,
}

/// Wakes the worker.
#[derive(Default)]
struct Kick {
    flag: Mutex<bool>,
    cv: Condvar,
}

impl Kick {
    fn kick(&self) {
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
    }
}

/// The datapath of one port.
pub struct Datapath {
    queues: u16,
    engine: Mutex<Engine>,
    kick: Kick,
    /// TX queues with doorbells not yet serviced, one bit per queue.
    dirty_tx: [AtomicU64; 2],
    /// RX work may be possible (frames arrived or buffers were posted).
    rx_work: AtomicBool,
    inbox: Mutex<VecDeque<Vec<u8>>>,
    wire: RwLock<Option<Arc<dyn Wire>>>,
    taps: RwLock<Vec<Arc<dyn Tap>>>,
    stop: AtomicBool,
    /// Origin of the timestamps the engine reports.
    epoch: Instant,
    /// Frames the RX engine placed across header and payload buffers.
    rx_split: AtomicU64,
    /// Writes to the TWQ tail doorbells, all queues.
    tx_doorbells: AtomicU64,
}

impl Datapath {
    /// The engines of a port with `queues` queue triads of each kind.
    pub fn new(queues: u16) -> Self {
        let n = usize::from(queues);
        Datapath {
            queues,
            engine: Mutex::new(Engine {
                tx: (0..n).map(|_| TxQueue::default()).collect(),
                rx: (0..n).map(|_| RxQueue::default()).collect(),
                vectors: vec![VectorState::default(); intr::MAX_MSIX_VECS as usize],
                pkt: Vec::with_capacity(MAX_TX_PACKET),
                seg: Vec::with_capacity(16 * 1024),
                retry_at: None,
            }),
            kick: Kick::default(),
            dirty_tx: [AtomicU64::new(0), AtomicU64::new(0)],
            rx_work: AtomicBool::new(false),
            inbox: Mutex::new(VecDeque::new()),
            wire: RwLock::new(None),
            taps: RwLock::new(Vec::new()),
            stop: AtomicBool::new(false),
            epoch: Instant::now(),
            rx_split: AtomicU64::new(0),
            tx_doorbells: AtomicU64::new(0),
        }
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

    fn engine(&self) -> MutexGuard<'_, Engine> {
        // Engine updates leave consistent state at every await point; a
        // panic in a worker must not wedge the vfio-user thread too.
        self.engine.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn inbox(&self) -> MutexGuard<'_, VecDeque<Vec<u8>>> {
        self.inbox.lock().unwrap_or_else(|e| e.into_inner())
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
    }

    fn tap(&self, dir: Dir, frame: &[u8]) {
        for t in self.taps.read().unwrap_or_else(|e| e.into_inner()).iter() {
            t.frame(dir, frame);
        }
    }

    /// A frame arrived from the wire. Returns false if the inbox was full
    /// and the frame was dropped.
    pub fn receive(&self, dev: &FbnicDevice, frame: &[u8]) -> bool {
        if !dev.link().carrier() {
            // Nothing arrives over a cable without carrier.
            return false;
        }
        let mut f = frame.to_vec();
        // The wire carries at least a minimum-size frame; a TAP hands over
        // unpadded ones.
        if f.len() < 60 {
            f.resize(60, 0);
        }
        let accepted = {
            let mut inbox = self.inbox();
            if inbox.len() >= INBOX_HARD_LIMIT {
                false
            } else {
                inbox.push_back(f);
                true
            }
        };
        if !accepted {
            // The RX packet buffer overflowed: the host FIFO's drop count.
            let csr = dev.csr();
            stats::add32(
                csr,
                fbnic_hw::csr::rxb::drop_frms_sts(fbnic_hw::csr::rxb::FIFO_HOST),
                1,
            );
            return false;
        }
        self.rx_work.store(true, Ordering::Release);
        self.kick.kick();
        true
    }

    /// True while the inbox asks senders to wait.
    pub fn congested(&self) -> bool {
        self.inbox().len() >= INBOX_SOFT_LIMIT
    }

    /// True if a TX doorbell awaits service.
    pub fn has_tx_work(&self) -> bool {
        self.dirty_tx.iter().any(|w| w.load(Ordering::Acquire) != 0)
    }

    /// Frames waiting in the inbox.
    pub fn inbox_len(&self) -> usize {
        self.inbox().len()
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
        if q >= u32::from(self.queues) {
            return;
        }
        let zero = |regs: &[u32]| {
            for r in regs {
                dev.csr().write(queue::reg(q, *r), 0);
            }
        };
        match off {
            queue::TWQ0_TAIL | queue::TWQ1_TAIL => {
                self.tx_doorbells.fetch_add(1, Ordering::Relaxed);
                self.mark_tx(q);
            }
            queue::TCQ_HEAD => self.mark_tx(q),
            queue::BDQ_HPQ_TAIL | queue::BDQ_PPQ_TAIL | queue::RCQ_HEAD => {
                self.rx_work.store(true, Ordering::Release);
            }
            queue::TWQ0_CTL | queue::TWQ1_CTL | queue::TCQ_CTL => {
                let reset = match off {
                    queue::TWQ0_CTL | queue::TWQ1_CTL => val & queue::TWQ_CTL_RESET != 0,
                    _ => val & queue::TCQ_CTL_RESET != 0,
                };
                if reset {
                    let mut eng = self.engine();
                    let t = &mut eng.tx[q as usize];
                    match off {
                        // A reset zeroes both ends of the ring, the
                        // doorbell the driver writes included.
                        queue::TWQ0_CTL => {
                            t.twq0_head = 0;
                            zero(&[queue::TWQ0_PTRS, queue::TWQ0_TAIL]);
                        }
                        queue::TWQ1_CTL => {
                            t.twq1_head = 0;
                            zero(&[queue::TWQ1_PTRS, queue::TWQ1_TAIL]);
                        }
                        _ => {
                            t.tcq_tail = 0;
                            zero(&[queue::TCQ_PTRS, queue::TCQ_HEAD]);
                        }
                    }
                    t.stopped = false;
                }
                self.mark_tx(q);
            }
            queue::RCQ_CTL | queue::BDQ_CTL => {
                let reset = match off {
                    queue::RCQ_CTL => val & queue::RCQ_CTL_RESET != 0,
                    _ => val & queue::BDQ_CTL_RESET != 0,
                };
                if reset {
                    let mut eng = self.engine();
                    let r = &mut eng.rx[q as usize];
                    if off == queue::RCQ_CTL {
                        r.rcq_tail = 0;
                        zero(&[queue::RCQ_PTRS, queue::RCQ_HEAD]);
                    } else {
                        r.hpq_head = 0;
                        r.ppq_head = 0;
                        r.hdr = None;
                        zero(&[
                            queue::BDQ_HPQ_PTRS,
                            queue::BDQ_PPQ_PTRS,
                            queue::BDQ_HPQ_TAIL,
                            queue::BDQ_PPQ_TAIL,
                        ]);
                    }
                    r.stopped = false;
                }
                self.rx_work.store(true, Ordering::Release);
            }
            _ => return,
        }
        self.kick.kick();
    }

    /// Function reset: every ring forgets its position, pending frames and
    /// timers are dropped.
    pub fn reset(&self) {
        let mut eng = self.engine();
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
        drop(eng);
        self.inbox().clear();
        for w in &self.dirty_tx {
            w.store(0, Ordering::Release);
        }
    }

    /// Asks the worker to exit.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::Release);
        self.kick.kick();
    }

    /// Starts the worker thread of `dev`'s port.
    pub fn spawn(dev: Arc<FbnicDevice>, name: String) -> std::io::Result<thread::JoinHandle<()>> {
        thread::Builder::new().name(name).spawn(move || {
            let dp = dev.datapath();
            let mut deadline = None;
            while !dp.stop.load(Ordering::Acquire) {
                dp.kick.wait(deadline);
                deadline = dp.run_once(&dev);
            }
        })
    }

    /// One service round: every dirty TX queue, the inbox, then due
    /// interrupts. Returns when the next round is due even without a kick.
    /// Tests and the benchmark call this directly instead of a worker.
    pub fn run_once(&self, dev: &FbnicDevice) -> Option<Instant> {
        let mut eng = self.engine();
        let now = Instant::now();
        if eng.retry_at.is_some_and(|t| t <= now) {
            eng.retry_at = None;
        }
        for (w, word) in self.dirty_tx.iter().enumerate() {
            let mut bits = word.swap(0, Ordering::AcqRel);
            while bits != 0 {
                let q = w as u32 * 64 + bits.trailing_zeros();
                bits &= bits - 1;
                if q >= u32::from(self.queues) {
                    continue;
                }
                if eng.service_tx(self, dev, q) {
                    // Budget used up or held back: come back for the rest.
                    self.mark_tx(q);
                }
            }
        }
        if self.rx_work.swap(false, Ordering::AcqRel) {
            self.service_rx(&mut eng, dev);
        }
        let next = eng.fire_due(dev, Instant::now());
        let more = self.dirty_tx.iter().any(|w| w.load(Ordering::Acquire) != 0);
        if more && eng.retry_at.is_none() {
            // Budget-limited queues: go again at once.
            self.kick.kick();
        }
        [next, eng.retry_at].into_iter().flatten().min()
    }

    /// Places inbox frames until the inbox is empty or a queue asks to
    /// wait.
    fn service_rx(&self, eng: &mut Engine, dev: &FbnicDevice) {
        loop {
            let Some(frame) = self.inbox().pop_front() else {
                return;
            };
            self.tap(Dir::Rx, &frame);
            if eng.rx_frame(self, dev, &frame) == Placed::Wait {
                self.inbox().push_front(frame);
                return;
            }
        }
    }

    /// Sends one frame on the wire: statistics, taps, cable. Without
    /// carrier the MAC cannot send: the frame is lost and counted as an
    /// output error.
    fn emit(&self, dev: &FbnicDevice, frame: &[u8]) {
        if !dev.link().carrier() {
            stats::add64(dev.csr(), fbnic_hw::csr::mac_stat::TX_IFOUTERRORS_L, 1);
            return;
        }
        stats::count_frame(dev.csr(), Dir::Tx, frame);
        self.tap(Dir::Tx, frame);
        if let Some(w) = self.wire.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            w.send(frame);
        }
    }

    fn wire_congested(&self) -> bool {
        self.wire
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_some_and(|w| w.congested())
    }

    /// The 40-bit timestamp clock of TX and RX timestamps: nanoseconds
    /// since the port was created.
    fn timestamp(&self) -> u64 {
        (self.epoch.elapsed().as_nanos() as u64) & ((1 << 40) - 1)
    }
}

/// Raises vector `v` for queue completions through the interrupt block,
/// which delivers it unless the vector is masked (as it is while NAPI
/// polls) and otherwise holds it pending until `INTR_CQ_REARM` unmasks.
fn raise_queue_vector(dev: &FbnicDevice, v: u16) {
    dev.intr().assert(v);
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

/// Header buffer placement parameters from `RDE_CTL0/1`.
#[derive(Clone, Copy, Debug)]
struct Layout {
    split: bool,
    max_hdr: usize,
    hroom: usize,
    troom: usize,
    pad: usize,
    drop_never: bool,
}

impl Layout {
    fn read(csr: &RegisterFile, q: u32) -> Self {
        let c0 = csr.read(queue::reg(q, queue::RDE_CTL0)).unwrap_or(0);
        let c1 = csr.read(queue::reg(q, queue::RDE_CTL1)).unwrap_or(0);
        Layout {
            split: c0 & queue::RDE_CTL0_EN_HDR_SPLIT != 0,
            max_hdr: queue::RDE_CTL1_MAX_HDR_MASK.get(c1) as usize,
            hroom: queue::RDE_CTL0_MIN_HROOM_MASK.get(c0) as usize,
            troom: queue::RDE_CTL0_MIN_TROOM_MASK.get(c0) as usize,
            pad: queue::RDE_CTL1_PADLEN_MASK.get(c1) as usize,
            drop_never: queue::RDE_CTL0_DROP_MODE_MASK.get(c0) == queue::RDE_CTL0_DROP_NEVER,
        }
    }

    /// Offset of the first header in a fresh fragment: the headroom,
    /// rounded up to the 128-byte granule the driver's
    /// `fbnic_hdr_pg_start()` expects.
    fn first_off(&self) -> usize {
        self.hroom.next_multiple_of(128)
    }

    /// Where the header after one of `len` bytes at `off` may start
    /// (`fbnic_hdr_pg_end()` plus the headroom).
    fn next_off(&self, off: usize, len: usize) -> usize {
        (off + len + self.troom + self.hroom).next_multiple_of(128)
    }

    /// Whether `len` bytes (padding included) fit at `off`.
    fn fits(&self, off: usize, len: usize) -> bool {
        off + len + self.troom <= FRAG
    }
}

/// Where one RX frame goes: how many bytes to the header buffer.
fn header_cut(layout: &Layout, p: &Parsed, len: usize) -> (usize, bool) {
    if !layout.split && len <= layout.max_hdr {
        return (len, false);
    }
    let cut = p.headers_end().min(len);
    if cut > layout.max_hdr {
        (layout.max_hdr, true)
    } else {
        (cut, false)
    }
}

/// The META of a received frame: RSS hash, checksum status and types.
fn rx_meta(frame: &[u8], p: &Parsed, rss_hash: u32) -> RxMeta {
    let mut meta = RxMeta {
        rss_hash,
        l3_type: p.l3_type(),
        l4_type: p.l4_type(),
        ..RxMeta::default()
    };
    if let (Some(off), Some(ip)) = (p.l4_off, p.ip.as_ref()) {
        // Bytes the IP header says the packet has; the rest is padding.
        let l3 = p.l2_len;
        let end = (l3 + p.l3_total).min(frame.len());
        if matches!(meta.l4_type, L4Type::Tcp | L4Type::Udp) && off <= end {
            let l4 = &frame[off..end];
            let (s, d): (&[u8], &[u8]) = match ip {
                parse::Ip::V4 { src, dst } => (src, dst),
                parse::Ip::V6 { src, dst, .. } => (src, dst),
            };
            let udp_no_csum = p.l4_proto == IPPROTO_UDP
                && matches!(ip, parse::Ip::V4 { .. })
                && l4.get(6..8) == Some(&[0, 0]);
            let ok = udp_no_csum
                || csum::fold(csum::add(
                    csum::pseudo(s, d, p.l4_proto, l4.len() as u32),
                    l4,
                )) == 0xffff;
            if ok {
                meta.l4_csum_unnecessary = true;
                return meta;
            }
        }
    }
    // CHECKSUM_COMPLETE: the sum of everything after the Ethernet header,
    // in the form the driver hands to the stack as `skb->csum` unchanged:
    // the kernel's csum_partial() convention, which on the little-endian
    // hosts fbnic lives on adds 16-bit words in memory order, i.e. the
    // byte-swapped network-order sum.
    meta.l2_csum =
        csum::fold(csum::add(0, frame.get(parse::ETH_HLEN..).unwrap_or(&[]))).swap_bytes();
    if meta.l3_type == L3Type::Other {
        meta.l4_type = L4Type::Other;
    }
    meta
}

impl Engine {
    /// Services TWQ0 and TWQ1 of queue `q`. Returns true if work remains.
    fn service_tx(&mut self, dp: &Datapath, dev: &FbnicDevice, q: u32) -> bool {
        let csr = dev.csr();
        let rd = |off| csr.read(queue::reg(q, off)).unwrap_or(0);
        if self.tx[q as usize].stopped || rd(queue::TCQ_CTL) & queue::TCQ_CTL_ENABLE == 0 {
            return false;
        }
        let mut more = false;
        for twq1 in [false, true] {
            let ctl = rd(if twq1 {
                queue::TWQ1_CTL
            } else {
                queue::TWQ0_CTL
            });
            if ctl & queue::TWQ_CTL_ENABLE == 0 {
                continue;
            }
            match self.run_twq(dp, dev, q, twq1) {
                Ok(m) => more |= m,
                Err(e) => {
                    error!(
                        "TX queue {q}{}: {e}; queue stopped until reset",
                        if twq1 { " (TWQ1)" } else { "" }
                    );
                    self.tx[q as usize].stopped = true;
                    let cnt = if twq1 {
                        queue::TWQ1_ERR_CNT
                    } else {
                        queue::TWQ0_ERR_CNT
                    };
                    stats::add32(csr, queue::reg(q, cnt), 1);
                    return false;
                }
            }
        }
        more
    }

    /// Sends packets from one TWQ. Returns whether work remains.
    fn run_twq(
        &mut self,
        dp: &Datapath,
        dev: &FbnicDevice,
        q: u32,
        twq1: bool,
    ) -> Result<bool, QueueError> {
        let csr = dev.csr();
        let rd = |off| csr.read(queue::reg(q, off)).unwrap_or(0);
        let ring = if twq1 {
            Ring::read(csr, q, queue::TWQ1_BAL, queue::TWQ1_BAH, queue::TWQ1_SIZE)
        } else {
            Ring::read(csr, q, queue::TWQ0_BAL, queue::TWQ0_BAH, queue::TWQ0_SIZE)
        };
        let tcq = Ring::read(csr, q, queue::TCQ_BAL, queue::TCQ_BAH, queue::TCQ_SIZE);
        let tail = rd(if twq1 {
            queue::TWQ1_TAIL
        } else {
            queue::TWQ0_TAIL
        }) & ring.mask();
        let default_meta = TxMeta::decode(
            (u64::from(csr.read(qm_tx::TWQ_DEFAULT_META_H).unwrap_or(0)) << 32)
                | u64::from(csr.read(qm_tx::TWQ_DEFAULT_META_L).unwrap_or(0)),
        )
        .unwrap_or_default();
        let lso_ctrl = LsoCtrl::from_reg(csr.read(tce::LSO_CTRL).unwrap_or(0));
        let mut head = {
            let t = &self.tx[q as usize];
            if twq1 {
                t.twq1_head
            } else {
                t.twq0_head
            }
        } & ring.mask();
        let mut sent = 0;
        let mut completed = None;
        let mut blocked = false;
        while head != tail {
            if sent == TX_BUDGET {
                blocked = true;
                break;
            }
            if dp.wire_congested() {
                self.retry_at = Some(Instant::now() + RETRY);
                blocked = true;
                break;
            }
            // Gather one packet: META (TWQ0 only), then AL... LAST_AL.
            let mut pos = head;
            let meta = if twq1 {
                default_meta
            } else {
                let raw = read_desc(dev, ring.entry(pos), "TX descriptor")?;
                let meta = TxMeta::decode(raw).map_err(|_| QueueError::BadType { pos, raw })?;
                pos = (pos + 1) & ring.mask();
                meta
            };
            self.pkt.clear();
            let mut complete = false;
            while pos != tail {
                let raw = read_desc(dev, ring.entry(pos), "TX descriptor")?;
                let al = match twd::TYPE_MASK.get(raw) {
                    twd::TYPE_OPT_META if !twq1 => {
                        pos = (pos + 1) & ring.mask();
                        continue;
                    }
                    twd::TYPE_AL | twd::TYPE_LAST_AL => {
                        TxAddrLen::decode(raw).map_err(|_| QueueError::BadType { pos, raw })?
                    }
                    _ => return Err(QueueError::BadType { pos, raw }),
                };
                if al.len == 0 {
                    return Err(QueueError::ZeroLength { pos });
                }
                let len = usize::from(al.len);
                let at = self.pkt.len();
                if at + len > MAX_TX_PACKET {
                    return Err(QueueError::TooLong { len: at + len });
                }
                self.pkt.resize(at + len, 0);
                dev.memory()
                    .read(al.addr, &mut self.pkt[at..])
                    .map_err(|_| QueueError::Dma {
                        addr: al.addr,
                        len: len as u64,
                        what: "TX buffer",
                    })?;
                pos = (pos + 1) & ring.mask();
                if al.last {
                    complete = true;
                    break;
                }
            }
            if !complete {
                // The driver rings the doorbell only after whole packets;
                // a partial one waits for the rest.
                break;
            }
            let needs = usize::from(meta.req_completion) + usize::from(meta.req_ts && !twq1) + 1;
            if self.tcq_free(dev, q, &tcq) < needs {
                blocked = true;
                break;
            }
            self.send_packet(dp, dev, &meta, lso_ctrl)?;
            head = pos;
            sent += 1;
            if meta.req_ts && !twq1 {
                let ts = dp.timestamp();
                self.write_tcd(dev, q, &tcq, TxCompletion::Timestamp { ts, status: 0 })?;
            }
            if meta.req_completion || twq1 {
                completed = Some(head);
            }
        }
        let t = &mut self.tx[q as usize];
        if twq1 {
            t.twq1_head = head;
        } else {
            t.twq0_head = head;
        }
        let ptrs = if twq1 {
            queue::TWQ1_PTRS
        } else {
            queue::TWQ0_PTRS
        };
        csr.write(
            queue::reg(q, ptrs),
            queue::TWQ_PTRS_HEAD_MASK.prep(head) | (tail & 0xffff),
        );
        if let Some(h) = completed {
            let c = if twq1 {
                TxCompletion::Head1 { head: h as u16 }
            } else {
                TxCompletion::Head0 { head: h as u16 }
            };
            self.write_tcd(dev, q, &tcq, c)?;
        }
        Ok(blocked)
    }

    /// Applies the offloads of the packet in `self.pkt` and sends it.
    fn send_packet(
        &mut self,
        dp: &Datapath,
        dev: &FbnicDevice,
        meta: &TxMeta,
        lso_ctrl: LsoCtrl,
    ) -> Result<(), QueueError> {
        if meta.req_lso {
            let Engine { pkt, seg, .. } = self;
            lso::segment(meta, lso_ctrl, pkt, seg, |frame| dp.emit(dev, frame))
                .map_err(QueueError::Offload)?;
        } else {
            if meta.req_cso {
                lso::checksum_partial(meta, &mut self.pkt).map_err(QueueError::Offload)?;
            }
            dp.emit(dev, &self.pkt);
        }
        Ok(())
    }

    /// Free TCQ entries, keeping one unused so a full ring is told apart
    /// from an empty one.
    fn tcq_free(&self, dev: &FbnicDevice, q: u32, tcq: &Ring) -> usize {
        let head = dev.csr().read(queue::reg(q, queue::TCQ_HEAD)).unwrap_or(0) & tcq.mask();
        let used = self.tx[q as usize].tcq_tail.wrapping_sub(head) & tcq.mask();
        (tcq.size - 1 - used) as usize
    }

    fn write_tcd(
        &mut self,
        dev: &FbnicDevice,
        q: u32,
        tcq: &Ring,
        c: TxCompletion,
    ) -> Result<(), QueueError> {
        let t = &mut self.tx[q as usize];
        let pos = t.tcq_tail;
        let raw = c
            .encode(done_for_position(pos, tcq.size))
            .map_err(|_| QueueError::BadType { pos, raw: 0 })?;
        write_desc(dev, tcq.entry(pos), raw, "TX completion")?;
        t.tcq_tail = (pos + 1) & (2 * tcq.size - 1);
        dev.csr().write(
            queue::reg(q, queue::TCQ_PTRS),
            queue::TCQ_PTRS_TAIL_MASK.prep(t.tcq_tail & tcq.mask()),
        );
        self.completion(dev, q, false, 1);
        Ok(())
    }

    /// Accounts `n` completions written to queue `q`'s TCQ (`rx` false) or
    /// RCQ for interrupt moderation.
    fn completion(&mut self, dev: &FbnicDevice, q: u32, rx: bool, n: u32) {
        let csr = dev.csr();
        let rd = |off| csr.read(queue::reg(q, off)).unwrap_or(0);
        let (ctl, thr, mask) = if rx {
            (queue::RIM_CTL, queue::RIM_THRESHOLD, queue::RIM_MASK)
        } else {
            (queue::TIM_CTL, queue::TIM_THRESHOLD, queue::TIM_MASK)
        };
        if rd(mask) & 1 != 0 {
            return;
        }
        let v = queue::TIM_CTL_MSIX_MASK.get(rd(ctl)) as usize;
        let threshold = rd(thr) & 0x7fff;
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
        let due = Instant::now() + Duration::from_micros(u64::from(usecs));
        if threshold != 0 && vs.pending >= threshold {
            vs.deadline = Some(Instant::now());
        } else if vs.deadline.is_none_or(|d| d > due) {
            vs.deadline = Some(due);
        }
    }

    /// Fires vectors whose moderation timer expired; returns the next
    /// deadline.
    fn fire_due(&mut self, dev: &FbnicDevice, now: Instant) -> Option<Instant> {
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

    /// Free RCQ entries (one kept unused).
    fn rcq_free(&self, dev: &FbnicDevice, q: u32, rcq: &Ring) -> usize {
        let head = dev.csr().read(queue::reg(q, queue::RCQ_HEAD)).unwrap_or(0) & rcq.mask();
        let used = self.rx[q as usize].rcq_tail.wrapping_sub(head) & rcq.mask();
        (rcq.size - 1 - used) as usize
    }

    /// Classifies and places one received frame.
    fn rx_frame(&mut self, dp: &Datapath, dev: &FbnicDevice, frame: &[u8]) -> Placed {
        let csr = dev.csr();
        let p = parse::parse(frame);
        let verdict = classify(csr, frame, &p, dp.queues);
        self.count_parse(csr, &p);
        let (q, rss_hash, ts) = match verdict {
            Verdict::Drop(reason) => {
                if reason == DropReason::Oversize {
                    stats::add32(csr, rpc::CNTR_OVR_SIZE_ERR, 1);
                }
                debug!(
                    "RX frame of {} bytes dropped by the classifier: {reason:?}",
                    frame.len()
                );
                stats::count_frame(csr, Dir::Rx, frame);
                return Placed::Done;
            }
            Verdict::Host {
                queue,
                rss_hash,
                timestamp,
                ..
            } => (
                u32::from(queue),
                rss_hash,
                timestamp.then(|| dp.timestamp()),
            ),
        };
        match self.place(dev, q, frame, &p, rss_hash, ts) {
            Ok(Placed::Wait) => Placed::Wait,
            Ok(Placed::Done) => {
                stats::count_frame(csr, Dir::Rx, frame);
                stats::count_rxb_to_host(csr, frame);
                Placed::Done
            }
            Err(e) => {
                error!("RX queue {q}: {e}; queue stopped until reset");
                self.rx[q as usize].stopped = true;
                stats::count_rde(csr, q as u16, Rde::Error);
                Placed::Done
            }
        }
    }

    fn count_parse(&self, csr: &RegisterFile, p: &Parsed) {
        if p.fragment {
            let reg = match p.ip {
                Some(parse::Ip::V4 { .. }) => rpc::CNTR_IPV4_FRAG,
                _ => rpc::CNTR_IPV6_FRAG,
            };
            stats::add32(csr, reg, 1);
        }
        if p.unknown_ext {
            stats::add32(csr, rpc::CNTR_UNKN_EXT_HDR, 1);
        }
        if p.ip.is_none() && p.ethertype != 0x0806 {
            stats::add32(csr, rpc::CNTR_UNKN_ETYPE, 1);
        }
    }

    /// DMAs `frame` into queue `q`'s buffers and writes its completions.
    fn place(
        &mut self,
        dev: &FbnicDevice,
        q: u32,
        frame: &[u8],
        p: &Parsed,
        rss_hash: u32,
        ts: Option<u64>,
    ) -> Result<Placed, QueueError> {
        let csr = dev.csr();
        let rd = |off| csr.read(queue::reg(q, off)).unwrap_or(0);
        let qi = q as u16;
        let bdq_ctl = rd(queue::BDQ_CTL);
        if self.rx[q as usize].stopped
            || rd(queue::RCQ_CTL) & queue::RCQ_CTL_ENABLE == 0
            || bdq_ctl & queue::BDQ_CTL_ENABLE == 0
        {
            stats::count_rde(csr, qi, Rde::BdqDrop);
            return Ok(Placed::Done);
        }
        let layout = Layout::read(csr, q);
        let hpq = Ring::read(
            csr,
            q,
            queue::BDQ_HPQ_BAL,
            queue::BDQ_HPQ_BAH,
            queue::BDQ_HPQ_SIZE,
        );
        let ppq = Ring::read(
            csr,
            q,
            queue::BDQ_PPQ_BAL,
            queue::BDQ_PPQ_BAH,
            queue::BDQ_PPQ_SIZE,
        );
        let rcq = Ring::read(csr, q, queue::RCQ_BAL, queue::RCQ_BAH, queue::RCQ_SIZE);
        let ppq_on = bdq_ctl & queue::BDQ_CTL_PPQ_ENABLE != 0;

        let (mut cut, mut overflow) = header_cut(&layout, p, frame.len());
        if !ppq_on {
            // Everything must go to the header buffer.
            cut = frame.len();
        }
        // The biggest header a fresh fragment takes.
        let room = FRAG.saturating_sub(layout.first_off() + layout.troom + layout.pad);
        if cut > room {
            if !ppq_on {
                stats::count_rde(csr, qi, Rde::Error);
                return Ok(Placed::Done);
            }
            cut = room;
            overflow = true;
        }
        let payload = &frame[cut..];
        let frags = payload.len().div_ceil(FRAG);
        if frags + 3 > MAX_RX_PKT_DESC {
            stats::count_rde(csr, qi, Rde::Error);
            return Ok(Placed::Done);
        }

        // Resources: a header slot, payload fragments, completions.
        let hlen = cut + layout.pad;
        let r = &self.rx[q as usize];
        let hpq_tail = rd(queue::BDQ_HPQ_TAIL) & hpq.mask();
        let ppq_tail = rd(queue::BDQ_PPQ_TAIL) & ppq.mask();
        let hpq_avail = hpq_tail.wrapping_sub(r.hpq_head) & hpq.mask();
        let ppq_avail = ppq_tail.wrapping_sub(r.ppq_head) & ppq.mask();
        let reuse = r.hdr.filter(|h| layout.fits(h.next_off, hlen));
        let no_bufs = (reuse.is_none() && hpq_avail == 0) || (ppq_avail as usize) < frags;
        let meta_descs = if ts.is_some() { 2 } else { 1 };
        let no_cq = self.rcq_free(dev, q, &rcq) < frags + 1 + meta_descs;
        if no_bufs || no_cq {
            if layout.drop_never {
                return Ok(Placed::Wait);
            }
            stats::count_rde(csr, qi, if no_cq { Rde::CqDrop } else { Rde::BdqDrop });
            return Ok(Placed::Done);
        }

        // Header buffer.
        let (hbuf, off) = match reuse {
            Some(h) => (h.buf, h.next_off),
            None => {
                let r = &mut self.rx[q as usize];
                let raw = read_desc(dev, hpq.entry(r.hpq_head), "header buffer descriptor")?;
                r.hpq_head = (r.hpq_head + 1) & hpq.mask();
                (RxBufDesc::decode(raw), layout.first_off())
            }
        };
        let mut hdr_bytes = vec![0u8; hlen];
        hdr_bytes[layout.pad..].copy_from_slice(&frame[..cut]);
        dev.memory()
            .write(hbuf.addr + off as u64, &hdr_bytes)
            .map_err(|_| QueueError::Dma {
                addr: hbuf.addr + off as u64,
                len: hlen as u64,
                what: "header buffer",
            })?;
        let next_off = layout.next_off(off, hlen);
        // The fragment is finished (and says so with PAGE_FIN) as soon as
        // the largest header this queue may produce no longer fits behind
        // this one, so a fragment is never abandoned without PAGE_FIN:
        // drivers may recycle header pages on PAGE_FIN alone.
        let biggest = if ppq_on {
            room.min(layout.max_hdr)
        } else {
            room
        };
        let page_fin =
            !layout.fits(next_off, biggest + layout.pad) || next_off - layout.hroom > FRAG;
        self.rx[q as usize].hdr = (!page_fin).then_some(HdrFrag {
            buf: hbuf,
            next_off,
        });
        let mut rcds = Vec::with_capacity(frags + 2);
        rcds.push(RxCompletion::HdrAl(RxAddrLen {
            buff_id: hbuf.id,
            len: hlen as u16,
            off: off as u16,
            page_fin,
            overflow,
            dma_hint: 0,
        }));

        // Payload fragments, one packet per fragment, each finished.
        for chunk in payload.chunks(FRAG) {
            let r = &mut self.rx[q as usize];
            let raw = read_desc(dev, ppq.entry(r.ppq_head), "payload buffer descriptor")?;
            r.ppq_head = (r.ppq_head + 1) & ppq.mask();
            let buf = RxBufDesc::decode(raw);
            dev.memory()
                .write(buf.addr, chunk)
                .map_err(|_| QueueError::Dma {
                    addr: buf.addr,
                    len: chunk.len() as u64,
                    what: "payload buffer",
                })?;
            rcds.push(RxCompletion::PayAl(RxAddrLen {
                buff_id: buf.id,
                len: chunk.len() as u16,
                off: 0,
                page_fin: true,
                overflow: false,
                dma_hint: 0,
            }));
        }
        if ts.is_some() {
            rcds.push(RxCompletion::OptMeta(RxOptMeta {
                ts,
                action: None,
                opt_type: 0,
            }));
        }
        rcds.push(RxCompletion::Meta(rx_meta(frame, p, rss_hash)));

        let n = rcds.len() as u32;
        for c in rcds {
            let r = &mut self.rx[q as usize];
            let pos = r.rcq_tail;
            let raw = c
                .encode(done_for_position(pos, rcq.size))
                .map_err(|_| QueueError::BadType { pos, raw: 0 })?;
            write_desc(dev, rcq.entry(pos), raw, "RX completion")?;
            r.rcq_tail = (pos + 1) & (2 * rcq.size - 1);
        }
        let r = &self.rx[q as usize];
        csr.write(
            queue::reg(q, queue::RCQ_PTRS),
            queue::RCQ_PTRS_TAIL_MASK.prep(r.rcq_tail & rcq.mask())
                | queue::RCQ_PTRS_HEAD_MASK.prep(rd(queue::RCQ_HEAD) & rcq.mask()),
        );
        csr.write(
            queue::reg(q, queue::BDQ_HPQ_PTRS),
            queue::BDQ_PTRS_HEAD_MASK.prep(r.hpq_head) | (hpq_tail & 0xffff),
        );
        csr.write(
            queue::reg(q, queue::BDQ_PPQ_PTRS),
            queue::BDQ_PTRS_HEAD_MASK.prep(r.ppq_head) | (ppq_tail & 0xffff),
        );
        stats::count_rde(csr, qi, Rde::Packet);
        if !payload.is_empty() {
            dev.datapath().rx_split.fetch_add(1, Ordering::Relaxed);
        }
        self.completion(dev, q, true, n);
        Ok(Placed::Done)
    }
}
