// SPDX-License-Identifier: GPL-2.0

//! A software stand-in for the driver's side of the rings, for unit tests
//! and the benchmark: a port backed by an in-process memfd as guest memory,
//! its queues and classifier programmed through guest register writes the
//! way `fbnic_txrx.c` and `fbnic_rpc.c` program them, and helpers that post
//! TX packets and RX buffers and reap completions with the driver's DONE
//! bit logic. The engine is driven with [`Datapath::run_once`] on the
//! caller's thread, so results are deterministic.

use std::fs::File;
use std::io;
use std::sync::Arc;

use fbnic_hw::csr::{self, queue, rpc, rpc_ram, tce};
use fbnic_hw::desc::{
    bd, done_for_position, rcd, L3Type, RxAddrLen, RxBufDesc, RxCompletion, RxMeta, TxAddrLen,
    TxCompletion, TxMeta,
};
use fbnic_hw::reg::RegInfo;
use fbnic_hw::toeplitz;

use crate::device::{DeviceParams, FbnicDevice};
use crate::memory::Access;
use crate::queues::Datapath;

/// TWQ, TCQ and RCQ entries (the driver's defaults).
pub const RING: u32 = 1024;
/// HPQ and PPQ entries (the driver's defaults, 4 KiB pages).
pub const BDQ: u32 = 256;
/// Guest memory set aside per queue.
const QUEUE_SPAN: u64 = 4 << 20;
/// Bytes of TX buffer space per queue.
pub const TX_BUF: u64 = 256 << 10;

/// The RSS key the testbed programs (any 52 bytes do).
pub const RSS_KEY: [u8; toeplitz::KEY_LEN] = {
    let mut k = [0u8; toeplitz::KEY_LEN];
    let mut i = 0;
    while i < k.len() {
        k[i] = (i as u8).wrapping_mul(37).wrapping_add(0x6d);
        i += 1;
    }
    k
};

fn memfd(size: u64) -> io::Result<File> {
    // SAFETY: memfd_create with a valid NUL-terminated name.
    let fd = unsafe { libc::memfd_create(c"fbnic-testbed".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh fd owned by nobody else.
    let f = unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(fd) };
    f.set_len(size)?;
    Ok(f)
}

/// A received packet as the driver would assemble it.
#[derive(Debug, Clone)]
pub struct RxPacket {
    pub data: Vec<u8>,
    pub hdr: RxAddrLen,
    pub pay: Vec<RxAddrLen>,
    pub meta: RxMeta,
    /// The RX timestamp of an OPT_META, if one came.
    pub ts: Option<u64>,
}

/// Guest addresses of one queue's rings and buffers.
#[derive(Clone, Copy, Debug)]
struct Layout {
    twq: u64,
    tcq: u64,
    rcq: u64,
    hpq: u64,
    ppq: u64,
    hpages: u64,
    ppages: u64,
    txbuf: u64,
}

impl Layout {
    fn of(q: u16) -> Self {
        let base = u64::from(q) * QUEUE_SPAN;
        Layout {
            twq: base,
            tcq: base + 0x2000,
            rcq: base + 0x4000,
            hpq: base + 0x6000,
            ppq: base + 0x6800,
            hpages: base + 0x10_0000,
            ppages: base + 0x20_0000,
            txbuf: base + 0x30_0000,
        }
    }
}

/// Driver-side state of one queue triad.
#[derive(Default, Clone, Copy)]
struct SwQueue {
    twq_tail: u32,
    tcq_head: u32,
    rcq_head: u32,
    /// Next free byte of the TX buffer area.
    tx_off: u64,
}

/// The TX metadata of an Ethernet, IPv4 (no options) and TCP frame whose
/// TCP checksum the device is to fill in.
pub fn cso_meta() -> TxMeta {
    TxMeta {
        l2_hlen: 14,
        l3_type: L3Type::Ipv4,
        l3_ihlen: 20,
        csum_offset: 16,
        req_cso: true,
        ..TxMeta::default()
    }
}

/// A port and its driver-side ring state.
pub struct Testbed {
    pub dev: Arc<FbnicDevice>,
    _mem: File,
    sw: Vec<SwQueue>,
    /// The packet being assembled on each queue (its META not seen yet):
    /// with the engines on worker threads a poll may find a packet's first
    /// completions before its last.
    pending: Vec<Option<RxPacket>>,
}

impl Testbed {
    /// A port with `queues` triads, set up as the driver's open does.
    pub fn new(queues: u16, dsn: u64) -> io::Result<Self> {
        Self::with_threads(queues, 1, dsn)
    }

    /// [`Testbed::new`] with the queues in `threads` engine groups
    /// (`--queue-threads`).
    pub fn with_threads(queues: u16, threads: u16, dsn: u64) -> io::Result<Self> {
        let dev = Arc::new(FbnicDevice::new(DeviceParams {
            dsn,
            queues,
            queue_threads: threads,
        }));
        let size = u64::from(queues) * QUEUE_SPAN;
        let mem = memfd(size)?;
        dev.memory()
            .map(0, size, &mem, 0, Access::READ_WRITE)
            .map_err(|e| io::Error::other(e.to_string()))?;
        let mut tb = Testbed {
            dev,
            _mem: mem,
            sw: vec![SwQueue::default(); usize::from(queues)],
            pending: (0..queues).map(|_| None).collect(),
        };
        tb.dev.csr_write(
            tce::LSO_CTRL::INDEX,
            tce::LSO_CTRL::IPID_MODE_INC.mask()
                | tce::LSO_CTRL::TCPF_CLR_1ST.prep(0x08 | 0x01)
                | tce::LSO_CTRL::TCPF_CLR_MID.prep(0x08 | 0x80 | 0x01)
                | tce::LSO_CTRL::TCPF_CLR_END.prep(0x80),
        );
        for q in 0..queues {
            tb.enable_queue(q, false);
        }
        program_rpc(&tb.dev, queues);
        Ok(tb)
    }

    pub fn datapath(&self) -> &Datapath {
        self.dev.datapath()
    }

    fn wr(&self, q: u16, off: RegInfo, v: u32) {
        self.dev.csr_write(off.dword(u32::from(q), 0), v);
    }

    fn rd(&self, q: u16, off: RegInfo) -> u32 {
        self.dev.csr_read(off.dword(u32::from(q), 0))
    }

    /// Programs and enables queue `q`'s rings (`fbnic_enable_twq0/tcq/bdq/
    /// rcq`), with header split on or off, and posts every RX buffer.
    pub fn enable_queue(&mut self, q: u16, hdr_split: bool) {
        let l = Layout::of(q);
        let v = csr::queue_vector(u32::from(q));
        self.wr(q, queue::TWQ0_CTL::INFO, queue::TWQ0_CTL::RESET.mask());
        self.wr(q, queue::TWQ0_BAL::INFO, l.twq as u32);
        self.wr(q, queue::TWQ0_BAH::INFO, (l.twq >> 32) as u32);
        self.wr(q, queue::TWQ0_SIZE::INFO, queue::size_reg(RING));
        self.wr(q, queue::TWQ0_CTL::INFO, queue::TWQ0_CTL::ENABLE.mask());
        self.wr(q, queue::TCQ_CTL::INFO, queue::TCQ_CTL::RESET.mask());
        self.wr(q, queue::TCQ_BAL::INFO, l.tcq as u32);
        self.wr(q, queue::TCQ_BAH::INFO, (l.tcq >> 32) as u32);
        self.wr(q, queue::TCQ_SIZE::INFO, queue::size_reg(RING));
        self.wr(q, queue::TIM_CTL::INFO, v);
        self.wr(q, queue::TIM_THRESHOLD::INFO, (RING - 1) / 2);
        self.wr(q, queue::TIM_MASK::INFO, 0);
        self.wr(q, queue::TCQ_CTL::INFO, queue::TCQ_CTL::ENABLE.mask());

        self.wr(q, queue::BDQ_CTL::INFO, queue::BDQ_CTL::RESET.mask());
        self.wr(q, queue::BDQ_HPQ_BAL::INFO, l.hpq as u32);
        self.wr(q, queue::BDQ_HPQ_BAH::INFO, (l.hpq >> 32) as u32);
        self.wr(q, queue::BDQ_HPQ_SIZE::INFO, queue::size_reg(BDQ));
        self.wr(q, queue::BDQ_PPQ_BAL::INFO, l.ppq as u32);
        self.wr(q, queue::BDQ_PPQ_BAH::INFO, (l.ppq >> 32) as u32);
        self.wr(q, queue::BDQ_PPQ_SIZE::INFO, queue::size_reg(BDQ));
        self.wr(
            q,
            queue::BDQ_CTL::INFO,
            queue::BDQ_CTL::ENABLE.mask() | queue::BDQ_CTL::PPQ_ENABLE.mask(),
        );
        let c0 = queue::RDE_CTL0::DROP_MODE.prep(queue::RDE_CTL0_DROP_IMMEDIATE)
            | queue::RDE_CTL0::MIN_HROOM.prep(192)
            | queue::RDE_CTL0::MIN_TROOM.prep(320)
            | if hdr_split {
                queue::RDE_CTL0::EN_HDR_SPLIT.mask()
            } else {
                0
            };
        self.wr(q, queue::RDE_CTL0::INFO, c0);
        self.wr(
            q,
            queue::RDE_CTL1::INFO,
            queue::RDE_CTL1::MAX_HDR.prep(if hdr_split { 256 } else { 1536 }),
        );
        self.wr(q, queue::RCQ_CTL::INFO, queue::RCQ_CTL::RESET.mask());
        self.wr(q, queue::RCQ_BAL::INFO, l.rcq as u32);
        self.wr(q, queue::RCQ_BAH::INFO, (l.rcq >> 32) as u32);
        self.wr(q, queue::RCQ_SIZE::INFO, queue::size_reg(RING));
        self.wr(q, queue::RIM_CTL::INFO, v);
        self.wr(q, queue::RIM_THRESHOLD::INFO, (RING - 1) / 2);
        self.wr(q, queue::RIM_MASK::INFO, 0);
        self.wr(q, queue::RCQ_CTL::INFO, queue::RCQ_CTL::ENABLE.mask());
        self.sw[usize::from(q)] = SwQueue::default();
        // Buffer i is page i of the queue's page area, ID i.
        let mem = self.dev.memory();
        for i in 0..BDQ {
            let h = RxBufDesc {
                addr: l.hpages + u64::from(i) * bd::FRAG_SIZE,
                id: i as u16,
            };
            let p = RxBufDesc {
                addr: l.ppages + u64::from(i) * bd::FRAG_SIZE,
                id: i as u16,
            };
            mem.write_u64(l.hpq + u64::from(i) * 8, h.encode().unwrap_or(0))
                .ok();
            mem.write_u64(l.ppq + u64::from(i) * 8, p.encode().unwrap_or(0))
                .ok();
        }
        self.wr(q, queue::BDQ_HPQ_TAIL::INFO, BDQ - 1);
        self.wr(q, queue::BDQ_PPQ_TAIL::INFO, BDQ - 1);
    }

    /// Sets RDE_CTL0's drop mode of queue `q`.
    pub fn set_drop_never(&self, q: u16, never: bool) {
        let c0 = self.rd(q, queue::RDE_CTL0::INFO);
        let mode = if never {
            queue::RDE_CTL0_DROP_NEVER
        } else {
            queue::RDE_CTL0_DROP_IMMEDIATE
        };
        let c0 = (c0 & !queue::RDE_CTL0::DROP_MODE.mask()) | queue::RDE_CTL0::DROP_MODE.prep(mode);
        self.wr(q, queue::RDE_CTL0::INFO, c0);
    }

    /// Guest address of queue `q`'s TX buffer area.
    pub fn tx_buf(&self, q: u16) -> u64 {
        Layout::of(q).txbuf
    }

    /// Guest address of TWQ entry `i` of queue `q`.
    pub fn twq_entry(&self, q: u16, i: u32) -> u64 {
        Layout::of(q).twq + u64::from(i % RING) * 8
    }

    /// Writes raw descriptors at the TWQ tail and rings the doorbell.
    pub fn post_raw(&mut self, q: u16, descs: &[u64]) {
        let mem = self.dev.memory();
        let sw = &mut self.sw[usize::from(q)];
        for d in descs {
            mem.write_u64(Layout::of(q).twq + u64::from(sw.twq_tail) * 8, *d)
                .ok();
            sw.twq_tail = (sw.twq_tail + 1) % RING;
        }
        let tail = sw.twq_tail;
        self.wr(q, queue::TWQ0_TAIL::INFO, tail);
    }

    /// Queues `pkt` on queue `q` with `meta` (completion requested),
    /// split into buffers of at most `chunk` bytes.
    pub fn send(&mut self, q: u16, meta: TxMeta, pkt: &[u8], chunk: usize) {
        let sw = &mut self.sw[usize::from(q)];
        // Packets in flight must not share buffer bytes.
        if sw.tx_off + pkt.len() as u64 > TX_BUF {
            sw.tx_off = 0;
        }
        let base = Layout::of(q).txbuf + sw.tx_off;
        sw.tx_off = (sw.tx_off + pkt.len() as u64).next_multiple_of(64);
        self.dev.memory().write(base, pkt).ok();
        let mut descs = vec![TxMeta {
            req_completion: true,
            dest_mac: true,
            ..meta
        }
        .encode()
        .unwrap_or(0)];
        let n = pkt.len().div_ceil(chunk).max(1);
        for i in 0..n {
            let off = i * chunk;
            let len = chunk.min(pkt.len() - off);
            descs.push(
                TxAddrLen {
                    addr: base + off as u64,
                    len: len as u16,
                    last: i + 1 == n,
                }
                .encode()
                .unwrap_or(0),
            );
        }
        self.post_raw(q, &descs);
    }

    /// Reaps queue `q`'s TX completions (`fbnic_clean_tcq`).
    pub fn poll_tx(&mut self, q: u16) -> Vec<TxCompletion> {
        let l = Layout::of(q);
        let mem = self.dev.memory();
        let sw = &mut self.sw[usize::from(q)];
        let mut out = Vec::new();
        loop {
            let raw = mem
                .read_u64(l.tcq + u64::from(sw.tcq_head % RING) * 8)
                .unwrap_or(0);
            if TxCompletion::done(raw) != done_for_position(sw.tcq_head, RING) {
                break;
            }
            if let Ok(c) = TxCompletion::decode(raw) {
                out.push(c);
            }
            sw.tcq_head = (sw.tcq_head + 1) % (2 * RING);
        }
        let head = sw.tcq_head % RING;
        self.wr(q, queue::TCQ_HEAD::INFO, head);
        out
    }

    /// Reaps queue `q`'s received packets (`fbnic_clean_rcq`), copies
    /// their data out of the buffers and gives the buffers back.
    pub fn poll_rx(&mut self, q: u16) -> Vec<RxPacket> {
        let l = Layout::of(q);
        let mem = self.dev.memory();
        let mut out = Vec::new();
        loop {
            let sw = &mut self.sw[usize::from(q)];
            let raw = mem
                .read_u64(l.rcq + u64::from(sw.rcq_head % RING) * 8)
                .unwrap_or(0);
            if RxCompletion::done(raw) != done_for_position(sw.rcq_head, RING) {
                break;
            }
            sw.rcq_head = (sw.rcq_head + 1) % (2 * RING);
            match RxCompletion::decode(raw) {
                RxCompletion::HdrAl(al) => {
                    let mut d = vec![0u8; usize::from(al.len)];
                    let addr = l.hpages + u64::from(al.buff_id) * bd::FRAG_SIZE + u64::from(al.off);
                    mem.read(addr, &mut d).ok();
                    self.pending[usize::from(q)] = Some(RxPacket {
                        data: d,
                        hdr: al,
                        pay: Vec::new(),
                        meta: RxMeta::default(),
                        ts: None,
                    });
                }
                RxCompletion::PayAl(al) => {
                    if let Some(p) = self.pending[usize::from(q)].as_mut() {
                        let at = p.data.len();
                        p.data.resize(at + usize::from(al.len), 0);
                        let addr =
                            l.ppages + u64::from(al.buff_id) * bd::FRAG_SIZE + u64::from(al.off);
                        mem.read(addr, &mut p.data[at..]).ok();
                        p.pay.push(al);
                    }
                }
                RxCompletion::OptMeta(m) => {
                    if let Some(p) = self.pending[usize::from(q)].as_mut() {
                        p.ts = m.ts;
                    }
                }
                RxCompletion::Meta(meta) => {
                    if let Some(mut p) = self.pending[usize::from(q)].take() {
                        p.meta = meta;
                        out.push(p);
                    }
                }
            }
        }
        let head = self.sw[usize::from(q)].rcq_head % RING;
        self.wr(q, queue::RCQ_HEAD::INFO, head);
        // Give back every buffer but the one the device may still fill.
        for (ptrs, tail) in [
            (queue::BDQ_HPQ_PTRS::INFO, queue::BDQ_HPQ_TAIL::INFO),
            (queue::BDQ_PPQ_PTRS::INFO, queue::BDQ_PPQ_TAIL::INFO),
        ] {
            let head = queue::BDQ_HPQ_PTRS::HEAD.get(self.rd(q, ptrs));
            self.wr(q, tail, head.wrapping_sub(1) & (BDQ - 1));
        }
        out
    }

    /// Raw RCD at RCQ position `i` of queue `q`.
    pub fn rcd(&self, q: u16, i: u32) -> u64 {
        self.dev
            .memory()
            .read_u64(Layout::of(q).rcq + u64::from(i % RING) * 8)
            .unwrap_or(0)
    }

    /// Runs the engine until it has nothing left to do right now.
    pub fn run(&self) {
        for _ in 0..1000 {
            self.datapath().run_once(&self.dev);
            if self.datapath().inbox_len() == 0 && !self.datapath().has_tx_work() {
                return;
            }
        }
    }
}

/// Whether an RCD type is one that ends a packet.
pub fn ends_packet(raw: u64) -> bool {
    rcd::TYPE_MASK.get(raw) == rcd::TYPE_META
}

/// Writes MAC DA TCAM entry `idx` (`fbnic_write_macda_entry`).
pub fn write_macda(dev: &FbnicDevice, idx: u32, addr: [u8; 6], mask: [u8; 6]) {
    for (w, word) in (0..).zip(rpc_ram::macda_words(addr, mask)) {
        dev.csr_write(rpc_ram::TCAM_MACDA::INFO.dword(idx, w), word);
    }
    dev.csr_write(
        rpc_ram::TCAM_MACDA::INFO.dword(idx, rpc_ram::TCAM_MACDA_WORD_LEN),
        rpc_ram::TCAM_VALIDATE,
    );
}

/// Writes action TCAM entry `idx` with its action (`fbnic_update_act_tcam`).
pub fn write_act(
    dev: &FbnicDevice,
    idx: u32,
    value: [u16; 11],
    mask: [u16; 11],
    act0: u32,
    act1: u32,
) {
    dev.csr_write(rpc_ram::ACT_TBL0::INFO.dword(idx, 0), act0);
    dev.csr_write(rpc_ram::ACT_TBL1::INFO.dword(idx, 0), act1);
    for (w, (v, m)) in (0..).zip(value.into_iter().zip(mask)) {
        dev.csr_write(
            rpc_ram::TCAM_ACT::INFO.dword(idx, w),
            rpc_ram::tcam_word(v, m),
        );
    }
    dev.csr_write(
        rpc_ram::TCAM_ACT::INFO.dword(idx, rpc_ram::TCAM_ACT_WORD_LEN),
        rpc_ram::TCAM_VALIDATE,
    );
}

/// Programs the classifier as the driver does without a BMC: own address
/// and broadcast in the MAC DA TCAM, the seven RSS rules at 57-63
/// (`fbnic_rss_reinit` with the default hash fields), a spread
/// indirection table, [`RSS_KEY`], drop by default, RPC enabled.
pub fn program_rpc(dev: &FbnicDevice, queues: u16) {
    let mac = dev.params().mac().0;
    write_macda(dev, rpc_ram::TCAM_MACDA_HOST_ADDR_IDX, mac, [0; 6]);
    write_macda(dev, rpc_ram::TCAM_MACDA_BROADCAST_IDX, [0xff; 6], [0; 6]);
    for (entry, rule) in (rpc_ram::RSS_RULES_FIRST..).zip(rpc_ram::RSS_RULES) {
        let w1 = rule.tcam_word1();
        let mut value = [0u16; rpc_ram::TCAM_ACT_WORD_LEN as usize];
        let mut mask = [0xffffu16; rpc_ram::TCAM_ACT_WORD_LEN as usize];
        value[1] = rpc_ram::TCAM_ACT::VALUE.get(w1) as u16;
        mask[1] = rpc_ram::TCAM_ACT::MASK.get(w1) as u16;
        let act0 = rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_HOST)
            | rpc::ACT_TBL0_DMA_HINT.prep(rcd::HDR_AL_DMA_HINT_L4 as u32);
        write_act(dev, entry, value, mask, act0, rule.default_hash);
    }
    for i in 0..rpc_ram::RSS_TBL_SIZE {
        dev.csr_write(rpc_ram::RSS_TBL::INFO.dword(0, i), i % u32::from(queues));
        dev.csr_write(rpc_ram::RSS_TBL::INFO.dword(1, i), i % u32::from(queues));
    }
    for (i, w) in toeplitz::key_to_regs(&RSS_KEY).iter().enumerate() {
        dev.csr_write(rpc::RSS_KEY::INFO.dword(i as u32, 0), *w);
    }
    dev.csr_write(rpc::ACT_TBL0_DEFAULT::INDEX, rpc::ACT_TBL0_DROP);
    dev.csr_write(rpc::ACT_TBL1_DEFAULT::INDEX, 0);
    dev.csr_write(rpc::RMI_CONFIG::INDEX, rpc::RMI_CONFIG::host(true).raw());
}
