// SPDX-License-Identifier: GPL-2.0

//! The datapath of a queue pair: a TX work queue (TWQ0) with its
//! completion queue (TCQ), and RX header and payload buffer queues (HPQ,
//! PPQ) with their completion queue (RCQ), all serviced by one NAPI
//! instance on its own MSI-X vector (queue `n` on vector `n + 2`; 0 and 1
//! are the mailbox and the PCS).
//!
//! TX maps the socket buffer's linear part and page fragments for the
//! device (scatter-gather) and asks it to insert checksums and segment TCP
//! (TSO).
//!
//! RX is zero-copy, with header split. The header buffer queue (HPQ) and
//! the payload buffer queue (PPQ) are fed whole pages from two page pools
//! per queue, created at open and destroyed at stop. The device packs the
//! headers of several packets into one header page, each with head room
//! in front and tail room behind ([`RX_HROOM`], [`RX_TROOM`]), and puts
//! what does not fit below the header-split threshold into payload pages.
//! The completions of a packet (`HDR_AL`, `PAY_AL`s, `META`) become one
//! socket buffer: its head is built around the packet's piece of the
//! header page, payload pieces are attached as page fragments, and every
//! piece carries one page-pool reference taken from the page's budget
//! (`pagecnt_bias` in the C driver). A page is given back once the device
//! has moved on to the next one; it returns to its pool when the stack has
//! freed the last socket buffer using it. Refilling happens in the NAPI
//! poll.
//!
//! A queue pair's slot ([`Rings`]) lives as long as the interface; its
//! descriptor rings (coherent DMA) are allocated separately, as a
//! [`RingMem`], and swapped in. Resizing (`ethtool -G`) or changing the
//! number of queues (`ethtool -L`) allocates the new rings first, then
//! swaps them in while the datapath is stopped, so a failed allocation
//! changes nothing. A slot may have no TX ring or no RX ring (more RX than
//! TX queues or the other way round), or neither (a queue pair beyond the
//! configured count).

#![forbid(unsafe_code)]

mod plan;

use kernel::{
    alloc::flags::__GFP_NOWARN,
    device, new_spinlock,
    prelude::*,
    sync::SpinLock,
    time::{delay::fsleep, Delta, Instant, Monotonic},
};

use self::plan::{plan, TxKind, TxPlan, Unsupported};
use crate::{
    hw::{
        csr::{intr, qm_rx, qm_tx, queue, tce},
        csum,
        desc::{
            self, done_for_position, L3Type, L4Type, RxAddrLen, RxBufDesc, RxCompletion, TxAddrLen,
            TxCompletion,
        },
    },
    kernel_ext::{
        dma::DescRing,
        net::{
            self,
            page_pool::{self, PagePool, Params, RxPage},
            skbuff::{DropReason, SkBuff, TxOffload, TxSkb, MAX_TX_SEGS},
            Napi, NapiContext,
        },
    },
    netdev::Port,
    regs::Regs,
    stats::{RingStats, RxCounters, RxSnapshot, TxSnapshot},
};

/// MSI-X vector of queue pair 0.
pub(crate) const FIRST_VECTOR: u32 = 2;

/// Most descriptors one packet takes: a META and one AL per DMA segment.
const MAX_PKT_DESCS: u32 = 1 + MAX_TX_SEGS as u32;
/// Most completions of one received packet (`FBNIC_MAX_RX_PKT_DESC`).
const MAX_RX_PKT_DESC: u32 = 7;
/// Pages each RX page pool keeps for reuse, in rings' worth of its
/// buffer queue. Pages come back from the stack in bursts (a socket's
/// receive queue read at once); a pool that holds one ring's worth frees
/// most of them and allocates and maps new ones, which stalled
/// single-stream TCP for up to a second at a time in the lab (bench:
/// 1-stream RX 0.04 Gbit/s with one ring's worth, 0.15 with four).
const POOL_RINGS: u32 = 4;
/// Bytes of an RX buffer (a BDQ fragment).
const RX_BUF: u32 = desc::bd::FRAG_SIZE as u32;
/// RX buffers per page (`FBNIC_BD_FRAG_COUNT`): a page is posted as this
/// many consecutive descriptors.
const FRAG_COUNT: u32 = desc::bd::frag_count(page_pool::PAGE_SIZE as u64) as u32;

/// Tail room behind a packet in a header buffer, for the socket buffer's
/// shared info (`FBNIC_RX_TROOM`).
pub(crate) const RX_TROOM: u32 = page_pool::SKB_SHINFO_ROOM;
/// Head room in front of a packet in a header buffer (`FBNIC_RX_HROOM`):
/// at least 128 bytes, sized so that head room plus tail room is a whole
/// number of 128-byte units, the device's placement granule.
pub(crate) const RX_HROOM: u32 = (RX_TROOM + 128).next_multiple_of(128) - RX_TROOM;
/// The device's placement granule in a buffer.
const RX_ALIGN: u32 = 128;
/// Largest header-split threshold: the most a header buffer takes
/// (`FBNIC_HDS_THRESH_MAX`).
pub(crate) const HDS_THRESH_MAX: u32 = RX_BUF - RX_HROOM - RX_TROOM;
/// Default header-split threshold (`FBNIC_HDS_THRESH_DEFAULT`): a
/// standard frame fits a header buffer whole.
pub(crate) const HDS_THRESH_DEFAULT: u32 = 1536;
/// Below this threshold the device splits every frame after its headers
/// (`FBNIC_HDR_BYTES_MIN`); it is also the least it is programmed with.
const HDR_BYTES_MIN: u32 = 256;
/// Interrupt moderation defaults in microseconds
/// (`FBNIC_RX_USECS_DEFAULT`, `FBNIC_TX_USECS_DEFAULT`).
pub(crate) const RX_USECS: u32 = 30;
pub(crate) const TX_USECS: u32 = 35;
/// Largest moderation timeout the re-arm register holds.
pub(crate) const MAX_USECS: u32 = intr::CQ_REARM_RCQ_TIMEOUT.max();

/// The number of descriptors of each ring of a queue pair, as `ethtool -G`
/// sets them: `tx` the TWQ (and its TCQ, the same size, as in the C
/// driver), `rx` the RCQ, `rx-mini` the HPQ and `rx-jumbo` the PPQ. Each is
/// a power of two from [`RingSizes::MIN`] to [`RingSizes::MAX`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct RingSizes {
    pub(crate) twq: u32,
    pub(crate) hpq: u32,
    pub(crate) ppq: u32,
    pub(crate) rcq: u32,
}

impl RingSizes {
    /// Sizes at probe (`FBNIC_*_SIZE_DEFAULT`).
    pub(crate) const DEFAULT: Self = Self {
        twq: 1024,
        hpq: 256,
        ppq: 256,
        rcq: 1024,
    };
    /// Smallest ring (`FBNIC_QUEUE_SIZE_MIN`); it also holds the largest
    /// TX packet twice and the largest received packet's completions
    /// twice, the C driver's other lower bounds, and a page's descriptors.
    pub(crate) const MIN: u32 = 64;
    /// Largest ring (`FBNIC_QUEUE_SIZE_MAX`): the `*_SIZE` registers encode
    /// 64K as 0.
    pub(crate) const MAX: u32 = 65536;
}

const _: () = assert!(RingSizes::MIN >= 2 * MAX_PKT_DESCS);
const _: () = assert!(RingSizes::MIN >= 2 * MAX_RX_PKT_DESC);
const _: () = assert!(RingSizes::MIN >= 2 * FRAG_COUNT);

/// TCP header flags (`TCPHDR_*`).
const TCP_FIN: u32 = 0x01;
const TCP_PSH: u32 = 0x08;
const TCP_CWR: u32 = 0x80;

/// Sets up the TX engine's offload behaviour, once at probe (the TCE part
/// of `fbnic_mac_init_regs()`): when segmenting, only the last segment
/// keeps FIN and PSH and only the first keeps CWR, IPv4 IDs increment, and
/// checksum insertion works as the stack expects.
pub(crate) fn init_tx_engine(regs: &Regs) {
    regs.wr32(
        tce::LSO_CTRL,
        tce::LSO_CTRL_IPID_MODE_INC
            | tce::LSO_CTRL_TCPF_CLR_1ST.prep(TCP_PSH | TCP_FIN)
            | tce::LSO_CTRL_TCPF_CLR_MID.prep(TCP_PSH | TCP_CWR | TCP_FIN)
            | tce::LSO_CTRL_TCPF_CLR_END.prep(TCP_CWR),
    );
    regs.wr32(tce::CSO_CTRL, 0);
}

/// How long the queue managers get to finish with disabled rings
/// (`fbnic_wait_all_queues_idle()`: 500 ms).
const IDLE_TIMEOUT: Delta = Delta::from_millis(500);

/// Waits until the TX and RX queue managers report every queue idle (each
/// `*_IDLE` bitmap all ones), after the rings were disabled and before
/// their memory is given back (`fbnic_wait_all_queues_idle()`). Fails with
/// `ETIMEDOUT` if they do not within [`IDLE_TIMEOUT`].
pub(crate) fn wait_all_idle(regs: &Regs) -> Result {
    // Each bitmap: its n-th register, and how many there are.
    type IdleRegs = (fn(u32) -> u32, u32);
    let groups: [IdleRegs; 7] = [
        (qm_tx::twq_idle, qm_tx::TWQ_IDLE_CNT),
        (qm_tx::tqs_idle, qm_tx::TQS_IDLE_CNT),
        (qm_tx::tde_idle, qm_tx::TDE_IDLE_CNT),
        (qm_tx::tcq_idle, qm_tx::TCQ_IDLE_CNT),
        (qm_rx::hpq_idle, qm_rx::HPQ_IDLE_CNT),
        (qm_rx::ppq_idle, qm_rx::PPQ_IDLE_CNT),
        (qm_rx::rcq_idle, qm_rx::RCQ_IDLE_CNT),
    ];
    let idle = || {
        groups
            .iter()
            .all(|&(reg, count)| (0..count).all(|n| regs.rd32(reg(n)) == u32::MAX))
    };
    let start = Instant::<Monotonic>::now();
    while !idle() {
        if start.elapsed() > IDLE_TIMEOUT {
            return Err(ETIMEDOUT);
        }
        fsleep(Delta::from_micros(20));
    }
    Ok(())
}

/// `log2(entries)` as the `*_SIZE` registers take it (0 means 64K).
const fn log_size(entries: u32) -> u32 {
    (u32::BITS - (entries - 1).leading_zeros()) & 0xf
}

/// Works out the META descriptor and accounting of `skb`
/// (`fbnic_tx_offloads()`, `fbnic_tx_lso()`), reading its headers only.
///
/// The device segments TCP and UDP (`SKB_GSO_UDP_L4`) over IPv4 and IPv6,
/// IPv6 tunnelled directly in IPv6 with both headers given, and any tunnel
/// the stack prepared as `SKB_GSO_PARTIAL`, whose headers up to the inner
/// L4 it copies as they are. [`features_check`] makes the same plan
/// before the stack segments and sends anything else to software, so the
/// transmit path drops what still fails here (it should not happen). The
/// headers are thus read twice per packet, as the C driver does too.
pub(crate) fn tx_plan(skb: &SkBuff) -> Result<TxPlan, Unsupported> {
    plan(skb.len(), skb.head(), skb.tx_offload())
}

/// The offloads `features` the device can do for `skb`
/// (`fbnic_features_check()`): [`tx_plan`] must succeed for the packet as
/// it will reach the transmit path, or the stack does the part that fails
/// in software.
///
/// The stack asks before it segments: a tunnel other than 6in6 reaches
/// the transmit path as `SKB_GSO_PARTIAL`, with the same header layout,
/// so it is judged as such.
pub(crate) fn features_check(skb: &SkBuff, features: net::Features) -> net::Features {
    let mut features = features;
    let mut offload = skb.tx_offload();
    if let TxOffload::Gso(_, g) = &mut offload {
        if g.inner_network_offset.is_some() && !g.partial {
            // GSO_PARTIAL leaves the inner IPv4 ID the same in every
            // segment; the stack allows that only with MANGLEID.
            if !features.contains(net::Features::TSO_MANGLEID) {
                features = features.without(net::Features::TSO);
            }
            g.partial = !g.features.intersects(net::Features::GSO_IPXIP6);
        }
    }
    match plan(skb.len(), skb.head(), offload) {
        Ok(_) => features,
        Err(Unsupported::Segmentation) => features.without(net::Features::GSO_MASK),
        Err(Unsupported::Checksum) => {
            features.without(net::Features::GSO_MASK | net::Features::CSUM_MASK)
        }
    }
}

/// Takes `payload` out of the pseudo-header checksum at `field` of a
/// packet to segment (see [`TxPlan::lso_csum`]).
fn fix_lso_csum(skb: &mut SkBuff, (field, payload): (usize, u16)) -> Result {
    let head = skb.writable_head()?;
    let check = head.get_mut(field..field + 2).ok_or(EINVAL)?;
    let fixed = csum::remove_from_sum(u16::from_be_bytes([check[0], check[1]]), payload);
    check.copy_from_slice(&fixed.to_be_bytes());
    Ok(())
}

/// Which buffer queue.
#[derive(Clone, Copy)]
enum Bdq {
    Header,
    Payload,
}

/// How received frames are split between header and payload buffers
/// (`ethtool -G ... tcp-data-split ... hds-thresh ...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeaderSplit {
    /// Split frames after their headers (`tcp-data-split on` or `auto`);
    /// otherwise frames go to the header buffer whole as far as they fit.
    pub(crate) enabled: bool,
    /// Frames up to this many bytes are not split (`hds-thresh`).
    pub(crate) thresh: u32,
}

impl Default for HeaderSplit {
    fn default() -> Self {
        Self {
            enabled: true,
            thresh: HDS_THRESH_DEFAULT,
        }
    }
}

impl HeaderSplit {
    /// `RDE_CTL0.EN_HDR_SPLIT` and `RDE_CTL1.MAX_HDR` for this setting.
    /// As in the C driver, a threshold below [`HDR_BYTES_MIN`] makes the
    /// device split every frame after its headers, and the header limit
    /// never goes below that; without split the whole header buffer may
    /// be used.
    fn registers(&self) -> (bool, u32) {
        if !self.enabled {
            return (false, HDS_THRESH_MAX);
        }
        (
            self.thresh < HDR_BYTES_MIN,
            self.thresh.clamp(HDR_BYTES_MIN, HDS_THRESH_MAX),
        )
    }
}

/// A buffer queue's pages, by page slot, and its positions in slots.
struct BufRing {
    /// The page posted at each slot, until the device is done with it.
    pages: KVec<Option<RxPage>>,
    /// Oldest slot still posted.
    head: u32,
    /// Next slot to post.
    tail: u32,
}

impl BufRing {
    fn new(slots: u32) -> Result<Self> {
        let mut pages = KVec::with_capacity(slots as usize, GFP_KERNEL | __GFP_NOWARN)?;
        for _ in 0..slots {
            pages.push(None, GFP_KERNEL)?;
        }
        Ok(Self {
            pages,
            head: 0,
            tail: 0,
        })
    }

    fn mask(&self) -> u32 {
        // CAST: a power of two of at most 64K slots.
        self.pages.len() as u32 - 1
    }

    /// Gives back the pages of the slots before `to`, which the device has
    /// moved past (`fbnic_clean_bdq()`): into `pool`'s cache when it is
    /// theirs, as from the NAPI poll.
    fn release_until(&mut self, to: u32, pool: Option<&mut PagePool>, napi: &NapiContext<'_>) {
        let mask = self.mask();
        let to = to & mask;
        let mut pool = pool;
        while self.head != to {
            if let Some(slot) = self.pages.get_mut(self.head as usize) {
                match pool.as_deref_mut() {
                    Some(pool) => RxPage::release_slot(slot, pool, napi),
                    None => *slot = None,
                }
            }
            self.head = (self.head + 1) & mask;
        }
    }

    /// Gives back every page and starts over from slot 0.
    fn clear(&mut self) {
        for slot in self.pages.iter_mut() {
            *slot = None;
        }
        self.head = 0;
        self.tail = 0;
    }
}

/// What one poll received, for the queue's counters: adding it once per
/// poll keeps the per-packet work to plain arithmetic.
#[derive(Default)]
struct RxCount {
    packets: u64,
    bytes: u64,
    csum_unnecessary: u64,
    csum_none: u64,
    dropped: u64,
}

impl RxCount {
    fn add_to(&self, stats: &RxCounters) {
        for (counter, n) in [
            (&stats.packets, self.packets),
            (&stats.bytes, self.bytes),
            (&stats.csum_unnecessary, self.csum_unnecessary),
            (&stats.csum_none, self.csum_none),
            (&stats.dropped, self.dropped),
        ] {
            if n != 0 {
                counter.add(n);
            }
        }
    }
}

/// The packet being received: its socket buffer, built from the header
/// piece and extended by each payload piece until the META completion.
enum RxPacket {
    None,
    Building(SkBuff),
    /// A piece could not be used: drop the packet at its META.
    Failed,
}

/// A packet on the TX ring.
struct InFlight {
    skb: TxSkb,
    /// Descriptors it took.
    descs: u32,
    /// Frames it makes on the wire.
    packets: u32,
    /// Their bytes, as accounted to the byte queue limits.
    bytes: u32,
}

/// A TX work queue (TWQ0) and its completion queue (TCQ), with the
/// positions on them.
struct TxRing {
    twq: DescRing,
    tcq: DescRing,
    /// Descriptors of each of the two.
    size: u32,
    /// Next TWQ descriptor to fill (free running).
    tail: u32,
    /// The tail last written to the device's doorbell (free running):
    /// behind `tail` while the stack says more packets follow.
    rung: u32,
    /// Oldest TWQ descriptor the device has not completed (free running).
    head: u32,
    /// Next TCQ entry, modulo twice its size (for the DONE phase).
    tcq_head: u32,
    /// The packet whose META descriptor is at each ring position.
    pending: KVVec<Option<InFlight>>,
}

impl TxRing {
    fn new(dev: &device::Device<device::Bound>, size: u32) -> Result<Self> {
        let mut pending = KVVec::with_capacity(size as usize, GFP_KERNEL | __GFP_NOWARN)?;
        for _ in 0..size {
            pending.push(None, GFP_KERNEL)?;
        }
        Ok(Self {
            twq: ring(dev, size)?,
            tcq: ring(dev, size)?,
            size,
            tail: 0,
            rung: 0,
            head: 0,
            tcq_head: 0,
            pending,
        })
    }

    fn free(&self) -> u32 {
        self.size
            .saturating_sub(1)
            .saturating_sub(self.tail.wrapping_sub(self.head))
    }
}

/// The RX buffer queues (HPQ, PPQ) and completion queue (RCQ), with the
/// positions on them, the pages posted, the page pools while the
/// interface is up, and the packet being received.
struct RxRing {
    hpq_descs: DescRing,
    ppq_descs: DescRing,
    rcq: DescRing,
    /// Descriptors of the HPQ, the PPQ and the RCQ.
    hpq_size: u32,
    ppq_size: u32,
    rcq_size: u32,
    /// Next RCQ entry, modulo twice its size.
    rcq_head: u32,
    hpq: BufRing,
    ppq: BufRing,
    /// Header pages and payload pages, between enable and flush.
    hpq_pool: Option<PagePool>,
    ppq_pool: Option<PagePool>,
    pkt: RxPacket,
}

impl RxRing {
    fn new(dev: &device::Device<device::Bound>, sizes: RingSizes) -> Result<Self> {
        Ok(Self {
            hpq_descs: ring(dev, sizes.hpq)?,
            ppq_descs: ring(dev, sizes.ppq)?,
            rcq: ring(dev, sizes.rcq)?,
            hpq_size: sizes.hpq,
            ppq_size: sizes.ppq,
            rcq_size: sizes.rcq,
            rcq_head: 0,
            hpq: BufRing::new(sizes.hpq / FRAG_COUNT)?,
            ppq: BufRing::new(sizes.ppq / FRAG_COUNT)?,
            hpq_pool: None,
            ppq_pool: None,
            pkt: RxPacket::None,
        })
    }

    /// Gives back every page and the packet being received, and destroys
    /// the page pools.
    fn flush(&mut self) {
        self.pkt = RxPacket::None;
        self.hpq.clear();
        self.ppq.clear();
        self.hpq_pool = None;
        self.ppq_pool = None;
    }
}

/// Ring memory for a queue pair's slot, allocated before it is swapped in
/// with [`Rings::replace`] and freed when dropped (after it was swapped
/// out).
#[derive(Default)]
pub(crate) struct RingMem {
    tx: Option<TxRing>,
    rx: Option<RxRing>,
}

impl RingMem {
    /// Allocates a TX ring if `tx` and an RX ring if `rx`, of the given
    /// sizes.
    pub(crate) fn new(
        dev: &device::Device<device::Bound>,
        sizes: RingSizes,
        tx: bool,
        rx: bool,
    ) -> Result<Self> {
        Ok(Self {
            tx: if tx {
                Some(TxRing::new(dev, sizes.twq)?)
            } else {
                None
            },
            rx: if rx {
                Some(RxRing::new(dev, sizes)?)
            } else {
                None
            },
        })
    }
}

/// Position `pos` on a ring of `size` entries, a power of two.
fn wrap(pos: u32, size: u32) -> u32 {
    pos & size.wrapping_sub(1)
}

/// A ring of `n` zeroed 8-byte descriptors, `n` a power of two.
fn ring(dev: &device::Device<device::Bound>, n: u32) -> Result<DescRing> {
    DescRing::zeroed(dev, n, GFP_KERNEL | __GFP_NOWARN)
}

/// A queue pair and the NAPI instance that services it.
#[pin_data]
pub(crate) struct QueuePair {
    // The rings come first so that their page pools, bound to `napi`,
    // are dropped before it.
    #[pin]
    pub(crate) rings: Rings,
    #[pin]
    pub(crate) napi: Napi,
}

impl QueuePair {
    /// Allocates queue pair `index`, without rings.
    pub(crate) fn new(index: u32) -> Result<Pin<KBox<Self>>> {
        KBox::pin_init(
            pin_init!(Self {
                rings <- Rings::new(index),
                napi <- Napi::new(),
            }),
            GFP_KERNEL,
        )
    }
}

/// A queue pair's slot: its hardware queue number, its counters (which
/// outlive the rings), and the rings in use, if any.
///
/// The rings are reached under the `tx` and `rx` locks, from the datapath
/// (transmit, with bottom halves off, and the NAPI poll) and, with the
/// datapath stopped, from process context.
#[pin_data]
pub(crate) struct Rings {
    /// Queue pair number.
    index: u32,
    /// Its counters, which outlive the rings.
    pub(crate) stats: RingStats,
    #[pin]
    tx: SpinLock<Option<TxRing>>,
    #[pin]
    rx: SpinLock<Option<RxRing>>,
}

impl Rings {
    /// An empty slot for queue pair `index`.
    fn new(index: u32) -> impl PinInit<Self> {
        pin_init!(Self {
            index,
            stats: RingStats::new(),
            tx <- new_spinlock!(None),
            rx <- new_spinlock!(None),
        })
    }

    /// Puts `mem` in use and returns the rings it replaces.
    ///
    /// The datapath must be stopped: NAPI disabled, TX queues disabled,
    /// rings disabled ([`Rings::disable`]) and flushed, or never started.
    pub(crate) fn replace(&self, mut mem: RingMem) -> RingMem {
        core::mem::swap(&mut *self.tx.lock(), &mut mem.tx);
        core::mem::swap(&mut *self.rx.lock(), &mut mem.rx);
        mem
    }

    /// The receive counters so far.
    pub(crate) fn rx_stats(&self) -> RxSnapshot {
        self.stats.rx.snapshot()
    }

    /// The transmit counters so far.
    pub(crate) fn tx_stats(&self) -> TxSnapshot {
        self.stats.tx.snapshot()
    }

    fn qreg(&self, offset: u32) -> u32 {
        queue::reg(self.index, offset)
    }

    /// The queue pair's MSI-X vector.
    pub(crate) fn vector(&self) -> u32 {
        FIRST_VECTOR + self.index
    }

    /// Creates the RX page pools, programs and enables the rings in use
    /// and gives the device its RX buffers (`fbnic_alloc_qt_page_pools()`,
    /// `fbnic_enable()`, `fbnic_fill()`), with NAPI still disabled.
    /// Interrupts stay off until [`Rings::arm`].
    pub(crate) fn enable(
        &self,
        regs: &Regs,
        dev: &net::Device<Port>,
        split: HeaderSplit,
        napi: &NapiContext<'_>,
    ) -> Result {
        let wr = |offset: u32, value: u32| regs.wr32(self.qreg(offset), value);
        let lo = |addr: u64| addr as u32;
        let hi = |addr: u64| (addr >> 32) as u32;

        if let Some(tx) = (*self.tx.lock()).as_mut() {
            // Every ring starts from position 0 with zeroed completions.
            tx.tcq.clear();
            tx.tail = 0;
            tx.rung = 0;
            tx.head = 0;
            tx.tcq_head = 0;

            wr(queue::TWQ0_CTL, queue::TWQ_CTL_RESET);
            wr(queue::TWQ0_BAL, lo(tx.twq.dma_address()));
            wr(queue::TWQ0_BAH, hi(tx.twq.dma_address()));
            wr(queue::TWQ0_SIZE, log_size(tx.size));
            wr(queue::TWQ0_CTL, queue::TWQ_CTL_ENABLE);

            wr(queue::TCQ_CTL, queue::TCQ_CTL_RESET);
            wr(queue::TCQ_BAL, lo(tx.tcq.dma_address()));
            wr(queue::TCQ_BAH, hi(tx.tcq.dma_address()));
            wr(queue::TCQ_SIZE, log_size(tx.size));
            wr(queue::TIM_CTL, self.vector());
            wr(queue::TIM_THRESHOLD, tx.size.saturating_sub(1) / 2);
            wr(queue::TIM_MASK, 0);
            wr(queue::TCQ_CTL, queue::TCQ_CTL_ENABLE);
        }

        let mut guard = self.rx.lock();
        if let Some(rx) = (*guard).as_mut() {
            rx.rcq.clear();

            wr(queue::BDQ_CTL, queue::BDQ_CTL_RESET);
            wr(queue::BDQ_HPQ_BAL, lo(rx.hpq_descs.dma_address()));
            wr(queue::BDQ_HPQ_BAH, hi(rx.hpq_descs.dma_address()));
            wr(queue::BDQ_HPQ_SIZE, log_size(rx.hpq_size));
            wr(queue::BDQ_PPQ_BAL, lo(rx.ppq_descs.dma_address()));
            wr(queue::BDQ_PPQ_BAH, hi(rx.ppq_descs.dma_address()));
            wr(queue::BDQ_PPQ_SIZE, log_size(rx.ppq_size));
            wr(
                queue::BDQ_CTL,
                queue::BDQ_CTL_ENABLE | queue::BDQ_CTL_PPQ_ENABLE,
            );

            self.set_header_split(regs, split);
            wr(queue::RCQ_CTL, queue::RCQ_CTL_RESET);
            wr(queue::RCQ_BAL, lo(rx.rcq.dma_address()));
            wr(queue::RCQ_BAH, hi(rx.rcq.dma_address()));
            wr(queue::RCQ_SIZE, log_size(rx.rcq_size));
            wr(queue::RIM_CTL, self.vector());
            wr(queue::RIM_THRESHOLD, rx.rcq_size.saturating_sub(1) / 2);
            wr(queue::RIM_MASK, 0);
            wr(queue::RCQ_CTL, queue::RCQ_CTL_ENABLE);

            // Page pools, and pages for every buffer to the device.
            rx.rcq_head = 0;
            rx.pkt = RxPacket::None;
            rx.hpq.clear();
            rx.ppq.clear();
            // Bound to the queue's NAPI instance, so that pages the stack
            // frees during the poll go straight back to the pools' caches.
            rx.hpq_pool = Some(PagePool::new_for_napi(
                dev,
                &Params::new(POOL_RINGS * rx.hpq_size, self.index),
                napi,
            )?);
            rx.ppq_pool = Some(PagePool::new_for_napi(
                dev,
                &Params::new(POOL_RINGS * rx.ppq_size, self.index),
                napi,
            )?);
            if !self.fill(
                regs,
                Bdq::Header,
                &rx.hpq_descs,
                &mut rx.hpq,
                rx.hpq_pool.as_mut(),
                napi,
            ) || !self.fill(
                regs,
                Bdq::Payload,
                &rx.ppq_descs,
                &mut rx.ppq,
                rx.ppq_pool.as_mut(),
                napi,
            ) {
                rx.flush();
                return Err(ENOMEM);
            }
        }

        regs.wrfl();
        Ok(())
    }

    /// Programs how the RX DMA engine places frames (`RDE_CTL0/1`, as in
    /// `fbnic_enable_rcq()`): head and tail room in header buffers, the
    /// header-split setting, never dropping for want of buffers. May be
    /// called while the queue runs: it applies from the next frame on, and
    /// the header page layout the driver relies on does not change.
    pub(crate) fn set_header_split(&self, regs: &Regs, split: HeaderSplit) {
        let (hdr_split, max_hdr) = split.registers();
        regs.wr32(
            self.qreg(queue::RDE_CTL0),
            queue::RDE_CTL0_DROP_MODE_MASK.prep(queue::RDE_CTL0_DROP_NEVER)
                | queue::RDE_CTL0_MIN_HROOM_MASK.prep(RX_HROOM)
                | queue::RDE_CTL0_MIN_TROOM_MASK.prep(RX_TROOM)
                | if hdr_split {
                    queue::RDE_CTL0_EN_HDR_SPLIT
                } else {
                    0
                },
        );
        regs.wr32(
            self.qreg(queue::RDE_CTL1),
            queue::RDE_CTL1_MAX_HDR_MASK.prep(max_hdr),
        );
    }

    /// Stops all rings of the slot, in use or not (`fbnic_disable()`).
    pub(crate) fn disable(&self, regs: &Regs) {
        let wr = |offset: u32, value: u32| regs.wr32(self.qreg(offset), value);

        regs.rmw32(self.qreg(queue::TWQ0_CTL), queue::TWQ_CTL_ENABLE, 0);
        wr(queue::TCQ_CTL, 0);
        wr(queue::TIM_MASK, queue::TIM_MASK_MASK);
        regs.rmw32(self.qreg(queue::BDQ_CTL), queue::BDQ_CTL_ENABLE, 0);
        wr(queue::RCQ_CTL, 0);
        wr(queue::RIM_MASK, queue::RIM_MASK_MASK);
        regs.wrfl();
    }

    /// Unmasks the queue pair's interrupt, with the given moderation
    /// timeouts in microseconds (`fbnic_config_txrx_usecs()`).
    pub(crate) fn arm(&self, regs: &Regs, rx_usecs: u32, tx_usecs: u32) {
        regs.wr32(
            intr::cq_rearm(self.vector()),
            intr::CQ_REARM_INTR_UNMASK
                | intr::CQ_REARM_RCQ_TIMEOUT.prep(rx_usecs)
                | intr::CQ_REARM_RCQ_TIMEOUT_UPD_EN
                | intr::CQ_REARM_TCQ_TIMEOUT.prep(tx_usecs)
                | intr::CQ_REARM_TCQ_TIMEOUT_UPD_EN,
        );
    }

    /// Fires the queue pair's interrupt once, so that anything that
    /// arrived during bring-up is seen (`fbnic_napi_enable()`).
    pub(crate) fn kick(&self, regs: &Regs) {
        let v = self.vector();
        regs.wr32(intr::set(v / 32), 1 << (v % 32));
        regs.wrfl();
    }

    /// Gives back every RX page and destroys the page pools, after
    /// [`Rings::disable`] with NAPI disabled (the RX part of
    /// `fbnic_flush()`, `fbnic_free_qt_page_pools()`). Pages still in
    /// socket buffers go back to the destroyed pools' memory as the stack
    /// frees them.
    pub(crate) fn flush_rx(&self) {
        if let Some(rx) = (*self.rx.lock()).as_mut() {
            rx.flush();
        }
    }

    /// Drops the packets still on the TX ring after [`Rings::disable`]
    /// (`fbnic_flush()`).
    pub(crate) fn flush(&self, txq: &net::TxQueue) {
        if let Some(tx) = (*self.tx.lock()).as_mut() {
            for slot in tx.pending.iter_mut() {
                if slot.take().is_some() {
                    self.stats.tx.dropped.inc();
                }
            }
            tx.head = tx.tail;
        }
        txq.reset();
    }

    /// Queues `skb` for transmission (`fbnic_xmit_frame()`). The TWQ tail
    /// doorbell is deferred while the stack says `more` packets follow and
    /// the queue is running; a packet that is dropped or requeued instead
    /// rings it for those queued before, so none waits for a doorbell
    /// that never comes.
    pub(crate) fn xmit(
        &self,
        regs: &Regs,
        dev: &net::Device<Port>,
        txq: &net::TxQueue,
        mut skb: SkBuff,
        more: bool,
    ) -> net::TxResult {
        let mut guard = self.tx.lock();
        let Some(tx) = (*guard).as_mut() else {
            // A queue the stack should not use: no TX ring behind it.
            self.stats.tx.dropped.inc();
            skb.drop_with_reason(DropReason::DevReady);
            return net::TxResult::Ok;
        };
        if tx.free() < MAX_PKT_DESCS {
            // Stopped too late: the stack requeues the packet.
            txq.stop();
            self.ring_tx(regs, tx);
            self.stats.tx.stop.inc();
            return net::TxResult::Busy(skb);
        }

        let plan = tx_plan(&skb).map_err(|_| EINVAL).and_then(|plan| {
            if let Some(at) = plan.lso_csum {
                fix_lso_csum(&mut skb, at)?;
            }
            Ok(plan)
        });
        let Ok(plan) = plan else {
            self.stats.tx.dropped.inc();
            self.ring_tx(regs, tx);
            skb.drop_with_reason(DropReason::NotSpecified);
            return net::TxResult::Ok;
        };
        let bytes = plan.wire_bytes;
        let pkt = match skb.map_for_tx(dev) {
            Ok(pkt) => pkt,
            Err(skb) => {
                self.stats.tx.dropped.inc();
                self.ring_tx(regs, tx);
                skb.drop_with_reason(DropReason::NoMem);
                return net::TxResult::Ok;
            }
        };

        let size = tx.size;
        let first = tx.tail;
        let segs = pkt.segments();
        let written = (|| -> Result {
            for (i, seg) in segs.iter().enumerate() {
                let al = TxAddrLen {
                    addr: seg.addr,
                    len: u16::try_from(seg.len)?,
                    last: i + 1 == segs.len(),
                }
                .encode()
                .map_err(|_| EINVAL)?;
                // CAST: `i` is below MAX_TX_SEGS.
                tx.twq.write(first.wrapping_add(1 + i as u32), al);
            }
            tx.twq.write(first, plan.meta);
            Ok(())
        })();
        if written.is_err() || segs.is_empty() {
            // Nothing was handed to the device: `pkt` unmaps and frees.
            self.stats.tx.dropped.inc();
            self.ring_tx(regs, tx);
            return net::TxResult::Ok;
        }

        // CAST: at most MAX_TX_SEGS + 1.
        let descs = 1 + segs.len() as u32;
        tx.pending[wrap(first, size) as usize] = Some(InFlight {
            skb: pkt,
            descs,
            packets: plan.packets,
            bytes,
        });
        tx.tail = first.wrapping_add(descs);
        // Stop before accounting, so that `sent_more` sees the stop and
        // asks for the doorbell: no packet may come after this one.
        if tx.free() < MAX_PKT_DESCS {
            txq.stop();
            self.stats.tx.stop.inc();
        }
        if txq.sent_more(bytes, more) {
            self.ring_tx(regs, tx);
        }
        let counters = &self.stats.tx;
        match plan.kind {
            TxKind::Plain => counters.csum_none.inc(),
            TxKind::Csum => counters.csum_partial.inc(),
            TxKind::Gso => {
                counters.gso_packets.inc();
                counters.gso_wire_packets.add(u64::from(plan.packets));
                counters.gso_bytes.add(u64::from(bytes));
            }
        }
        net::TxResult::Ok
    }

    /// Writes the TWQ tail doorbell if descriptors were queued since it
    /// was last written.
    fn ring_tx(&self, regs: &Regs, tx: &mut TxRing) {
        if tx.rung != tx.tail {
            regs.wr32(self.qreg(queue::TWQ0_TAIL), wrap(tx.tail, tx.size));
            tx.rung = tx.tail;
        }
    }

    /// Retires what the device sent (`fbnic_clean_tcq()`), from the poll
    /// function.
    pub(crate) fn clean_tx(&self, regs: &Regs, txq: &net::TxQueue, budget: i32) {
        let mut guard = self.tx.lock();
        let Some(tx) = (*guard).as_mut() else {
            return;
        };
        let size = tx.size;
        let (mut packets, mut bytes) = (0u32, 0u32);
        let mut seen = false;

        loop {
            let raw = tx.tcq.read(tx.tcq_head);
            if TxCompletion::done(raw) != done_for_position(tx.tcq_head, size) {
                break;
            }
            tx.tcq_head = wrap(tx.tcq_head.wrapping_add(1), size << 1);
            seen = true;

            let Ok(TxCompletion::Head0 { head }) = TxCompletion::decode(raw) else {
                continue;
            };
            // Retire whole packets up to the device's new head.
            let head = wrap(u32::from(head), size);
            while wrap(tx.head, size) != head && tx.head != tx.tail {
                let pos = wrap(tx.head, size) as usize;
                let Some(done) = tx.pending[pos].take() else {
                    // Not a packet boundary: the device misreported.
                    tx.head = tx.tail;
                    break;
                };
                packets += done.packets;
                bytes += done.bytes;
                tx.head = tx.head.wrapping_add(done.descs);
                done.skb.complete(budget);
            }
        }

        if seen {
            regs.wr32(self.qreg(queue::TCQ_HEAD), wrap(tx.tcq_head, size));
        }
        if packets > 0 {
            self.stats.tx.packets.add(u64::from(packets));
            self.stats.tx.bytes.add(u64::from(bytes));
            txq.completed(packets, bytes);
            if txq.is_stopped() {
                txq.wake();
                self.stats.tx.wake.inc();
            }
        }
    }

    /// Posts fresh pages at the free slots of a buffer queue and tells the
    /// device (`fbnic_fill_bdq()`). Returns whether the queue is full (the
    /// pool may be short of memory; the next poll tries again).
    fn fill(
        &self,
        regs: &Regs,
        which: Bdq,
        descs: &DescRing,
        ring: &mut BufRing,
        pool: Option<&mut PagePool>,
        napi: &NapiContext<'_>,
    ) -> bool {
        let Some(pool) = pool else {
            return false;
        };
        let tail_reg = match which {
            Bdq::Header => queue::BDQ_HPQ_TAIL,
            Bdq::Payload => queue::BDQ_PPQ_TAIL,
        };
        let mask = ring.mask();
        let start = ring.tail;
        let mut full = true;
        while (ring.head.wrapping_sub(ring.tail).wrapping_sub(1) & mask) != 0 {
            let Some(page) = pool.alloc(napi) else {
                self.stats.rx.alloc_fail.inc();
                full = false;
                break;
            };
            let slot = ring.tail;
            let posted = (0..FRAG_COUNT).all(|frag| {
                // CAST: slots and fragments number below 2^16.
                let desc = RxBufDesc::fragment(
                    page.dma_addr(),
                    slot as u16,
                    frag as u16,
                    FRAG_COUNT as u16,
                );
                desc.encode()
                    .map(|raw| descs.write(slot * FRAG_COUNT + frag, raw))
                    .is_ok()
            });
            if !posted {
                full = false;
                break;
            }
            ring.pages[slot as usize] = Some(page);
            ring.tail = (slot + 1) & mask;
        }
        if ring.tail != start {
            regs.wr32(self.qreg(tail_reg), ring.tail * FRAG_COUNT);
        }
        full
    }

    /// Starts a packet at its header piece (`fbnic_pkt_prepare()`): the
    /// socket buffer's head is the packet's part of the header page, with
    /// the head room the device left in front and the tail room behind.
    fn rx_header(rx: &mut RxRing, al: &RxAddrLen, napi: &Napi) -> RxPacket {
        let (slot, frag) = al.page_and_frag(FRAG_COUNT as u16);
        let Some(page) = rx
            .hpq
            .pages
            .get_mut(usize::from(slot))
            .and_then(Option::as_mut)
        else {
            return RxPacket::Failed;
        };
        let (off, len) = (u32::from(al.off), u32::from(al.len));
        // The first header of a buffer starts at the head room rounded up
        // to the granule: its buffer starts at 0. The others start a head
        // room before their data.
        let start = if off == RX_HROOM.next_multiple_of(RX_ALIGN) {
            0
        } else {
            off.saturating_sub(RX_HROOM)
        };
        // The buffer ends where the next header's would start (minus its
        // head room), or at the end of the buffer once it is finished.
        let end = if al.page_fin {
            RX_BUF
        } else {
            (off + len + RX_TROOM + RX_HROOM).next_multiple_of(RX_ALIGN) - RX_HROOM
        };
        let Some(size) = end.checked_sub(start) else {
            return RxPacket::Failed;
        };
        let headroom = off - start;
        let start = start + u32::from(frag) * RX_BUF;
        page.sync_for_cpu(start, size);
        let Some(head) = page.take_ref() else {
            return RxPacket::Failed;
        };
        match napi.build_skb(head, start, size, headroom, len) {
            Some(skb) => RxPacket::Building(skb),
            None => RxPacket::Failed,
        }
    }

    /// Adds a payload piece to the packet (`fbnic_add_rx_frag()`). A piece
    /// that finishes its buffer owns the rest of it; otherwise it takes
    /// whole granules.
    fn rx_payload(rx: &mut RxRing, al: &RxAddrLen) {
        let RxPacket::Building(skb) = &mut rx.pkt else {
            return;
        };
        let (slot, frag) = al.page_and_frag(FRAG_COUNT as u16);
        let (off, len) = (u32::from(al.off), u32::from(al.len));
        let truesize = if al.page_fin {
            RX_BUF.saturating_sub(off)
        } else {
            len.next_multiple_of(RX_ALIGN)
        };
        let off = off + u32::from(frag) * RX_BUF;
        let added = match rx
            .ppq
            .pages
            .get_mut(usize::from(slot))
            .and_then(Option::as_mut)
        {
            Some(page) => {
                page.sync_for_cpu(off, truesize);
                page.take_ref()
                    .is_some_and(|r| skb.add_rx_frag(r, off, len, truesize).is_ok())
            }
            None => false,
        };
        if !added {
            rx.pkt = RxPacket::Failed;
        }
    }

    /// Receives up to `budget` packets (`fbnic_clean_rcq()`), from the poll
    /// function, then gives back the pages the device is done with and
    /// refills both buffer queues. Returns how many packets.
    pub(crate) fn clean_rx(
        &self,
        regs: &Regs,
        dev: &net::Device<Port>,
        napi: &NapiContext<'_>,
        budget: i32,
    ) -> i32 {
        let mut guard = self.rx.lock();
        let Some(rx) = (*guard).as_mut() else {
            return 0;
        };
        let size = rx.rcq_size;
        let mut done = 0;
        let mut seen = false;
        // Buffer slots of the latest header and payload pieces.
        let (mut hpq_at, mut ppq_at) = (None, None);
        let features = dev.features();
        // Counted here and added to the queue's counters once per poll.
        let mut count = RxCount::default();

        while done < budget {
            let raw = rx.rcq.read(rx.rcq_head);
            if RxCompletion::done(raw) != done_for_position(rx.rcq_head, size) {
                break;
            }
            rx.rcq_head = wrap(rx.rcq_head.wrapping_add(1), size << 1);
            seen = true;

            match RxCompletion::decode(raw) {
                RxCompletion::HdrAl(al) => {
                    // A header starts a packet; a previous one without its
                    // META is dropped (with its pages) here.
                    hpq_at = Some(al.page_and_frag(FRAG_COUNT as u16).0);
                    if !matches!(rx.pkt, RxPacket::None) {
                        count.dropped += 1;
                    }
                    rx.pkt = RxPacket::None;
                    rx.pkt = Self::rx_header(rx, &al, napi);
                }
                RxCompletion::PayAl(al) => {
                    ppq_at = Some(al.page_and_frag(FRAG_COUNT as u16).0);
                    Self::rx_payload(rx, &al);
                }
                RxCompletion::OptMeta(_) => (),
                RxCompletion::Meta(meta) => {
                    match core::mem::replace(&mut rx.pkt, RxPacket::None) {
                        RxPacket::Building(mut skb) if !meta.uncorrectable() => {
                            count.packets += 1;
                            count.bytes += u64::from(skb.len());
                            if features.contains(net::Features::RXCSUM) && meta.l4_csum_unnecessary
                            {
                                skb.set_checksum_unnecessary();
                                count.csum_unnecessary += 1;
                            } else {
                                count.csum_none += 1;
                            }
                            if features.contains(net::Features::RXHASH)
                                && meta.l3_type != L3Type::Other
                            {
                                skb.set_hash(meta.rss_hash, meta.l4_type != L4Type::Other);
                            }
                            // CAST: at most 128 queues.
                            skb.record_rx_queue(self.index as u16);
                            dev.eth_type_trans(&mut skb);
                            napi.gro_receive(skb);
                        }
                        _ => count.dropped += 1,
                    }
                    done += 1;
                }
            }
        }
        count.add_to(&self.stats.rx);

        if seen {
            regs.wr32(self.qreg(queue::RCQ_HEAD), wrap(rx.rcq_head, size));
        }
        // Pages before the latest piece's are finished: the device moved on.
        if let Some(at) = hpq_at {
            rx.hpq
                .release_until(u32::from(at), rx.hpq_pool.as_mut(), napi);
        }
        self.fill(
            regs,
            Bdq::Header,
            &rx.hpq_descs,
            &mut rx.hpq,
            rx.hpq_pool.as_mut(),
            napi,
        );
        if let Some(at) = ppq_at {
            rx.ppq
                .release_until(u32::from(at), rx.ppq_pool.as_mut(), napi);
        }
        self.fill(
            regs,
            Bdq::Payload,
            &rx.ppq_descs,
            &mut rx.ppq,
            rx.ppq_pool.as_mut(),
            napi,
        );
        done
    }
}
