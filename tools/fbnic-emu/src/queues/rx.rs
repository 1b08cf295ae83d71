// SPDX-License-Identifier: GPL-2.0

//! The RX engine: classifying a received frame, placing it into header
//! and payload buffers (header split, header packing), and its RX
//! completions.

use std::sync::atomic::Ordering;

use fbnic_hw::csr::{queue, rpc};
use fbnic_hw::desc::{
    bd, done_for_position, rcd, L3Type, L4Type, RxAddrLen, RxBufDesc, RxCompletion, RxMeta,
    RxOptMeta,
};
use fbnic_hw::reg::RegInfo;
use log::{debug, error};

use crate::csum;
use crate::device::FbnicDevice;
use crate::parse::{self, Parsed, IPPROTO_UDP};
use crate::regs::RegisterFile;
use crate::rpc::{classify, classify_dest, DropReason, Verdict};
use crate::stats::{self, Dir, Rde};

use super::desc_fault::DescFault;
use super::{read_desc, write_desc, Datapath, Engine, QueueError, Ring};

/// Most descriptors an RX packet may take (`FBNIC_MAX_RX_PKT_DESC`).
const MAX_RX_PKT_DESC: usize = rcd::MAX_PKT_DESC as usize;
/// Bytes of a BDQ fragment.
const FRAG: usize = bd::FRAG_SIZE as usize;

/// The header fragment being filled with packet headers.
#[derive(Clone, Copy, Debug)]
pub(super) struct HdrFrag {
    buf: RxBufDesc,
    /// Where the next header may go.
    next_off: usize,
}

/// Engine state of one RX queue triad (HPQ, PPQ, RCQ).
#[derive(Debug, Default)]
pub(super) struct RxQueue {
    pub(super) hpq_head: u32,
    pub(super) ppq_head: u32,
    /// Free-running RCQ write position, modulo twice the ring size.
    pub(super) rcq_tail: u32,
    pub(super) hdr: Option<HdrFrag>,
    pub(super) stopped: bool,
    /// The id of the last header buffer completed with `PAGE_FIN`: the
    /// driver may have released it (for `fault PORT rx-cmpl stale-id`).
    pub(super) last_fin_id: Option<u16>,
}

/// Outcome of placing one received frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Placed {
    /// Delivered or dropped; either way done with it.
    Done,
    /// No room and the queue's drop mode says wait.
    Wait,
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
        let c0 = csr.read(queue::RDE_CTL0::INFO.dword(q, 0)).unwrap_or(0);
        let c1 = csr.read(queue::RDE_CTL1::INFO.dword(q, 0)).unwrap_or(0);
        Layout {
            split: c0 & queue::RDE_CTL0::EN_HDR_SPLIT.mask() != 0,
            max_hdr: queue::RDE_CTL1::MAX_HDR.get(c1) as usize,
            hroom: queue::RDE_CTL0::MIN_HROOM.get(c0) as usize,
            troom: queue::RDE_CTL0::MIN_TROOM.get(c0) as usize,
            pad: queue::RDE_CTL1::PADLEN.get(c1) as usize,
            drop_never: queue::RDE_CTL0::DROP_MODE.get(c0) == queue::RDE_CTL0_DROP_NEVER,
        }
    }

    /// Offset of the first header in a fresh fragment
    /// ([`bd::hdr_first_off`]).
    fn first_off(&self) -> usize {
        bd::hdr_first_off(self.hroom as u32) as usize
    }

    /// Where the header after one of `len` bytes at `off` may start
    /// ([`bd::hdr_next_off`]).
    fn next_off(&self, off: usize, len: usize) -> usize {
        // Offsets and lengths lie within one 4 KiB fragment.
        bd::hdr_next_off(off as u32, len as u32, self.hroom as u32, self.troom as u32) as usize
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
    /// Free RCQ entries (one kept unused).
    fn rcq_free(&self, dev: &FbnicDevice, q: u32, rcq: &Ring) -> usize {
        let head = dev
            .csr()
            .read(queue::RCQ_HEAD::INFO.dword(q, 0))
            .unwrap_or(0)
            & rcq.mask();
        let used = self.rx[q as usize].rcq_tail.wrapping_sub(head) & rcq.mask();
        (rcq.size - 1 - used) as usize
    }

    /// Classifies and places one received frame.
    pub(super) fn rx_frame(&mut self, dp: &Datapath, dev: &FbnicDevice, frame: &[u8]) -> Placed {
        let csr = dev.csr();
        let p = parse::parse(frame);
        let (verdict, to_bmc) = match dev.bmc() {
            Some(_) => classify_dest(csr, frame, &p, dp.queues),
            None => (classify(csr, frame, &p, dp.queues), false),
        };
        self.count_parse(csr, &p);
        // The BMC gets its copy once, when the host's is placed or dropped
        // (a frame waiting for host buffers is classified again).
        let bmc_copy = || {
            if let (true, Some(bmc)) = (to_bmc, dev.bmc()) {
                bmc.receive_from_net(frame);
            }
        };
        let (q, rss_hash, ts) = match verdict {
            Verdict::Drop(reason) => {
                bmc_copy();
                if reason == DropReason::Oversize {
                    stats::add32(csr, rpc::CNTR_OVR_SIZE_ERR::INDEX, 1);
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
                timestamp.then(|| super::timestamp(dev)),
            ),
        };
        let placed = self.place(dev, q, frame, &p, rss_hash, ts);
        if !matches!(placed, Ok(Placed::Wait)) {
            bmc_copy();
        }
        match placed {
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
                Some(parse::Ip::V4 { .. }) => rpc::CNTR_IPV4_FRAG::INDEX,
                _ => rpc::CNTR_IPV6_FRAG::INDEX,
            };
            stats::add32(csr, reg, 1);
        }
        if p.unknown_ext {
            stats::add32(csr, rpc::CNTR_UNKN_EXT_HDR::INDEX, 1);
        }
        if p.ip.is_none() && p.ethertype != 0x0806 {
            stats::add32(csr, rpc::CNTR_UNKN_ETYPE::INDEX, 1);
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
        let rd = |off: RegInfo| csr.read(off.dword(q, 0)).unwrap_or(0);
        let qi = q as u16;
        let bdq_ctl = rd(queue::BDQ_CTL::INFO);
        if self.rx[q as usize].stopped
            || rd(queue::RCQ_CTL::INFO) & queue::RCQ_CTL::ENABLE.mask() == 0
            || bdq_ctl & queue::BDQ_CTL::ENABLE.mask() == 0
        {
            stats::count_rde(csr, qi, Rde::BdqDrop);
            return Ok(Placed::Done);
        }
        let layout = Layout::read(csr, q);
        let hpq = Ring::read(
            csr,
            q,
            queue::BDQ_HPQ_BAL::INFO,
            queue::BDQ_HPQ_BAH::INFO,
            queue::BDQ_HPQ_SIZE::INFO,
        );
        let ppq = Ring::read(
            csr,
            q,
            queue::BDQ_PPQ_BAL::INFO,
            queue::BDQ_PPQ_BAH::INFO,
            queue::BDQ_PPQ_SIZE::INFO,
        );
        let rcq = Ring::read(
            csr,
            q,
            queue::RCQ_BAL::INFO,
            queue::RCQ_BAH::INFO,
            queue::RCQ_SIZE::INFO,
        );
        let ppq_on = bdq_ctl & queue::BDQ_CTL::PPQ_ENABLE.mask() != 0;

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
        let hpq_tail = rd(queue::BDQ_HPQ_TAIL::INFO) & hpq.mask();
        let ppq_tail = rd(queue::BDQ_PPQ_TAIL::INFO) & ppq.mask();
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
        // The padding and the headers, in one DMA write from a buffer the
        // engine keeps (no allocation per frame).
        let mut hdr_bytes = std::mem::take(&mut self.hdr_buf);
        hdr_bytes.clear();
        hdr_bytes.resize(layout.pad, 0);
        hdr_bytes.extend_from_slice(&frame[..cut]);
        // An IOMMU fault: the writes do not land (see `dma_fault`).
        let dma_failed = dev.datapath().dma_faults.take_rx();
        let written = if dma_failed {
            Ok(())
        } else {
            dev.memory().write(hbuf.addr + off as u64, &hdr_bytes)
        };
        self.hdr_buf = hdr_bytes;
        written.map_err(|_| QueueError::Dma {
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
        let mut rcds = std::mem::take(&mut self.rcds);
        rcds.clear();
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
            let written = if dma_failed {
                Ok(())
            } else {
                dev.memory().write(buf.addr, chunk)
            };
            written.map_err(|_| QueueError::Dma {
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
        let mut meta = rx_meta(frame, p, rss_hash);
        meta.err_truncated |= dma_failed;
        rcds.push(RxCompletion::Meta(meta));
        let r = &mut self.rx[q as usize];
        let stale = r.last_fin_id;
        if page_fin {
            r.last_fin_id = Some(hbuf.id);
        }
        malform(
            &mut rcds,
            dev.datapath().desc_faults.take_rx(stale.is_some()),
            stale,
        );

        let n = rcds.len() as u32;
        let r = &mut self.rx[q as usize];
        let written = rcds.iter().try_for_each(|c| {
            let pos = r.rcq_tail;
            let raw = c
                .encode(done_for_position(pos, rcq.size))
                .map_err(|_| QueueError::BadType { pos, raw: 0 })?;
            write_desc(dev, rcq.entry(pos), raw, "RX completion")?;
            r.rcq_tail = (pos + 1) & (2 * rcq.size - 1);
            Ok(())
        });
        self.rcds = rcds;
        written?;
        let r = &self.rx[q as usize];
        csr.write(
            queue::RCQ_PTRS::INFO.dword(q, 0),
            queue::RCQ_PTRS::TAIL.prep(r.rcq_tail & rcq.mask())
                | queue::RCQ_PTRS::HEAD.prep(rd(queue::RCQ_HEAD::INFO) & rcq.mask()),
        );
        csr.write(
            queue::BDQ_HPQ_PTRS::INFO.dword(q, 0),
            queue::BDQ_HPQ_PTRS::HEAD.prep(r.hpq_head) | queue::BDQ_HPQ_PTRS::TAIL.prep(hpq_tail),
        );
        csr.write(
            queue::BDQ_PPQ_PTRS::INFO.dword(q, 0),
            queue::BDQ_PPQ_PTRS::HEAD.prep(r.ppq_head) | queue::BDQ_PPQ_PTRS::TAIL.prep(ppq_tail),
        );
        stats::count_rde(csr, qi, if dma_failed { Rde::Error } else { Rde::Packet });
        if !payload.is_empty() {
            dev.datapath().rx_split.fetch_add(1, Ordering::Relaxed);
        }
        self.completion(dev, q, true, n);
        Ok(Placed::Done)
    }
}

/// Makes the frame's first completion (its header completion) what
/// `fault` says (see [`super::desc_fault`]); `stale` is the header buffer
/// id for [`DescFault::RxStaleId`].
fn malform(rcds: &mut [RxCompletion], fault: Option<DescFault>, stale: Option<u16>) {
    let Some(RxCompletion::HdrAl(al)) = rcds.first_mut() else {
        return;
    };
    match fault {
        Some(DescFault::RxBadId) => al.buff_id = u16::MAX,
        Some(DescFault::RxStaleId) => al.buff_id = stale.unwrap_or(al.buff_id),
        Some(DescFault::RxLong) => {
            // CAST: the field is 13 bits wide.
            al.len = rcd::AL_BUFF_LEN_MASK.max() as u16;
        }
        Some(DescFault::RxBadType) => rcds[0] = RxCompletion::PayAl(*al),
        _ => {}
    }
}
