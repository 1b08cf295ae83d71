// SPDX-License-Identifier: GPL-2.0

//! The TX engine: TWQ descriptors gathered into packets, handed to the
//! offloads (`lso`) and the wire, and their TX completions.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use fbnic_hw::csr::{qm_tx, queue, tce};
use fbnic_hw::desc::{done_for_position, tcd, twd, TxAddrLen, TxCompletion, TxMeta, MIN_FRAME_LEN};
use fbnic_hw::reg::RegInfo;
use log::error;

use crate::device::FbnicDevice;
use crate::lso::{self, LsoCtrl};
use crate::stats::{self, Dir};

use super::{read_desc, write_desc, Datapath, DescFault, Engine, QueueError, Ring, TsFault};

/// Packets one TX queue sends per service round, so that one busy queue
/// cannot starve the others or the RX side.
const TX_BUDGET: usize = 64;
/// Largest packet accepted from a TWQ (headers plus a 64 KiB TSO payload
/// with room to spare).
pub(super) const MAX_TX_PACKET: usize = 256 * 1024;
/// How soon a queue blocked by a congested link is retried.
const RETRY: Duration = Duration::from_micros(50);

/// Engine state of one TX queue triad (TWQ0, TWQ1, TCQ).
#[derive(Debug, Default)]
pub(super) struct TxQueue {
    pub(super) twq0_head: u32,
    pub(super) twq1_head: u32,
    /// Free-running TCQ write position, modulo twice the ring size.
    pub(super) tcq_tail: u32,
    /// Set when a bad descriptor stopped the queue, until its next reset.
    pub(super) stopped: bool,
}

impl Datapath {
    /// Sends one frame on the wire: statistics, taps, cable. Without
    /// carrier the MAC cannot send: the frame is lost and counted as an
    /// output error. The wire may take the buffer, leaving another (of
    /// any content) in `frame`.
    fn emit(&self, dev: &FbnicDevice, frame: &mut Vec<u8>) {
        if frame.len() < MIN_FRAME_LEN as usize {
            self.tx_runts.fetch_add(1, Ordering::Relaxed);
        }
        // With a BMC on the port, the TX TCAM may send the frame to it
        // instead of (or as well as) the MAC.
        if let Some(bmc) = dev.bmc() {
            let da = frame.get(..6).and_then(|d| <[u8; 6]>::try_from(d).ok());
            if let Some(dest) = da.and_then(|da| crate::bmc::tx_tcam_dest(dev.csr(), &da)) {
                if dest & tce::TCAM_DEST_BMC != 0 {
                    bmc.receive_from_host(frame);
                }
                if dest & tce::TCAM_DEST_MAC == 0 {
                    return;
                }
            }
        }
        if self.mac_out(dev, frame) {
            if let Some(w) = self.wire.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
                w.send_buf(frame);
            }
        }
    }

    /// A frame the BMC sends: out of the port's MAC, as the host's are.
    /// False, and nothing sent, without carrier.
    pub fn bmc_send(&self, dev: &FbnicDevice, frame: &[u8]) -> bool {
        if !dev.link().carrier() {
            return false;
        }
        if self.mac_out(dev, frame) {
            if let Some(w) = self.wire.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
                w.send(frame);
            }
        }
        true
    }

    /// The MAC, before the cable: statistics and taps. False if the frame
    /// does not go out (no carrier).
    fn mac_out(&self, dev: &FbnicDevice, frame: &[u8]) -> bool {
        if !dev.link().carrier() {
            stats::add64(
                dev.csr(),
                fbnic_hw::csr::mac_stat::TX_IFOUTERRORS_L::INDEX,
                1,
            );
            return false;
        }
        stats::count_frame(dev.csr(), Dir::Tx, frame);
        self.tap(Dir::Tx, frame);
        true
    }

    fn wire_congested(&self) -> bool {
        self.wire
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_some_and(|w| w.congested())
    }
}

impl Engine {
    /// Services TWQ0 and TWQ1 of queue `q`. Returns true if work remains.
    pub(super) fn service_tx(&mut self, dp: &Datapath, dev: &FbnicDevice, q: u32) -> bool {
        let csr = dev.csr();
        let rd = |off: RegInfo| csr.read(off.dword(q, 0)).unwrap_or(0);
        if self.tx[q as usize].stopped
            || rd(queue::TCQ_CTL::INFO) & queue::TCQ_CTL::ENABLE.mask() == 0
        {
            return false;
        }
        let mut more = false;
        for twq1 in [false, true] {
            let ctl = rd(if twq1 {
                queue::TWQ1_CTL::INFO
            } else {
                queue::TWQ0_CTL::INFO
            });
            if ctl & queue::TWQ0_CTL::ENABLE.mask() == 0 {
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
                        queue::TWQ1_ERR_CNT::INFO
                    } else {
                        queue::TWQ0_ERR_CNT::INFO
                    };
                    stats::add32(csr, cnt.dword(q, 0), 1);
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
        let rd = |off: RegInfo| csr.read(off.dword(q, 0)).unwrap_or(0);
        let ring = if twq1 {
            Ring::read(
                csr,
                q,
                queue::TWQ1_BAL::INFO,
                queue::TWQ1_BAH::INFO,
                queue::TWQ1_SIZE::INFO,
            )
        } else {
            Ring::read(
                csr,
                q,
                queue::TWQ0_BAL::INFO,
                queue::TWQ0_BAH::INFO,
                queue::TWQ0_SIZE::INFO,
            )
        };
        let tcq = Ring::read(
            csr,
            q,
            queue::TCQ_BAL::INFO,
            queue::TCQ_BAH::INFO,
            queue::TCQ_SIZE::INFO,
        );
        let tail = rd(if twq1 {
            queue::TWQ1_TAIL::INFO
        } else {
            queue::TWQ0_TAIL::INFO
        }) & ring.mask();
        let default_meta = TxMeta::decode(
            (u64::from(csr.read(qm_tx::TWQ_DEFAULT_META_H::INDEX).unwrap_or(0)) << 32)
                | u64::from(csr.read(qm_tx::TWQ_DEFAULT_META_L::INDEX).unwrap_or(0)),
        )
        .unwrap_or_default();
        let lso_ctrl = LsoCtrl::from_reg(csr.read(tce::LSO_CTRL::INDEX).unwrap_or(0));
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
            // A time stamp for the packet if it asks, or an injected one
            // for a packet that does not.
            let stamp = meta.req_ts && !twq1;
            let spurious = !stamp && !twq1 && dp.ts_faults.pending(TsFault::Spurious);
            let needs = usize::from(meta.req_completion) + usize::from(stamp || spurious) + 1;
            if self.tcq_free(dev, q, &tcq) < needs {
                blocked = true;
                break;
            }
            // An IOMMU fault on the buffer reads drops the packet.
            if !dp.dma_faults.take_tx(dev.csr(), self.pkt.len()) {
                self.send_packet(dp, dev, &meta, lso_ctrl)?;
            }
            head = pos;
            sent += 1;
            if stamp && !dp.ts_faults.take(TsFault::Drop) {
                let ts = super::timestamp(dev);
                let status = if dp.ts_faults.take(TsFault::Invalid) {
                    tcd::STATUS_MASK.get(tcd::STATUS_TS_INVALID) as u16
                } else {
                    0
                };
                self.write_tcd(dev, q, &tcq, TxCompletion::Timestamp { ts, status })?;
            } else if spurious && dp.ts_faults.take(TsFault::Spurious) {
                let ts = super::timestamp(dev);
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
            queue::TWQ1_PTRS::INFO
        } else {
            queue::TWQ0_PTRS::INFO
        };
        csr.write(
            ptrs.dword(q, 0),
            queue::TWQ0_PTRS::HEAD.prep(head) | (tail & 0xffff),
        );
        if let Some(h) = completed {
            let fault = dp.desc_faults.take_tx();
            // Halfway into the part of the ring the driver has not posted.
            let h = match fault {
                Some(DescFault::TxPastTail) => {
                    let unposted = ring.size - (tail.wrapping_sub(h) & ring.mask());
                    (tail + unposted / 2) & ring.mask()
                }
                _ => h,
            };
            let c = if twq1 {
                TxCompletion::Head1 { head: h as u16 }
            } else {
                TxCompletion::Head0 { head: h as u16 }
            };
            self.write_tcd(dev, q, &tcq, c)?;
            if fault == Some(DescFault::TxRepeat) {
                self.write_tcd(dev, q, &tcq, c)?;
            }
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
            dp.emit(dev, &mut self.pkt);
        }
        Ok(())
    }

    /// Free TCQ entries, keeping one unused so a full ring is told apart
    /// from an empty one.
    fn tcq_free(&self, dev: &FbnicDevice, q: u32, tcq: &Ring) -> usize {
        let head = dev
            .csr()
            .read(queue::TCQ_HEAD::INFO.dword(q, 0))
            .unwrap_or(0)
            & tcq.mask();
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
            queue::TCQ_PTRS::INFO.dword(q, 0),
            queue::TCQ_PTRS::TAIL.prep(t.tcq_tail & tcq.mask()),
        );
        self.completion(dev, q, false, 1);
        Ok(())
    }
}
