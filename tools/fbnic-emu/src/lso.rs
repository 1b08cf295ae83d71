// SPDX-License-Identifier: GPL-2.0

//! TX offloads: checksum insertion (CSO) and segmentation (LSO) of one
//! packet gathered from a TWQ, as the TX checksum engine (TCE) does them.
//!
//! The contract is the driver's `fbnic_tx_offloads()`/`fbnic_tx_lso()`:
//!
//! - CSO follows CHECKSUM_PARTIAL: the checksum covers everything from
//!   `csum_start` (L2 + outer L3 + inner L3 header lengths from the META) to
//!   the end of the packet, and the field at `csum_start + csum_offset`
//!   already holds the folded pseudo-header sum, so the device only sums and
//!   stores the complement.
//! - LSO cuts the payload after `csum_start + L4_HLEN` into MSS-sized
//!   pieces and replicates the headers. The driver removed the length from
//!   the pseudo-header sum in the checksum field (`csum_replace_by_diff()`
//!   with the whole L4 length), so the device adds each segment's own L4
//!   length back before summing. Per segment it also rewrites the IPv4
//!   total length, identification (incrementing when `TCE_LSO_CTRL` asks
//!   for it) and header checksum, or the IPv6 payload length, of both the
//!   outer and the inner IP header; the TCP sequence number, and the TCP
//!   flags cleared per `TCE_LSO_CTRL` (first, middle, last segment); or the
//!   UDP length. With L3 type OTHER (the driver's GSO_PARTIAL for
//!   tunnels, where the stack has sized every header for a full segment)
//!   the IP headers are copied unchanged.

use std::fmt;

use fbnic_hw::csr::tce;
use fbnic_hw::desc::{L3Type, L4Type, TxMeta};

use crate::csum;

/// Why a packet's offload request cannot be carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffloadError {
    /// The checksum field lies beyond the packet.
    CsumOutOfRange {
        start: usize,
        offset: usize,
        len: usize,
    },
    /// LSO with an MSS of 0.
    ZeroMss,
    /// LSO headers longer than the packet, or not IP where IP is needed.
    BadHeaders { hdr_len: usize, len: usize },
}

impl fmt::Display for OffloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OffloadError::CsumOutOfRange { start, offset, len } => write!(
                f,
                "checksum at {start}+{offset} is outside the {len}-byte packet"
            ),
            OffloadError::ZeroMss => f.write_str("LSO requested with MSS 0"),
            OffloadError::BadHeaders { hdr_len, len } => write!(
                f,
                "LSO headers of {hdr_len} bytes do not describe the {len}-byte packet"
            ),
        }
    }
}

impl std::error::Error for OffloadError {}

fn get16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// Inserts the checksum for a CSO request in place.
pub fn checksum_partial(meta: &TxMeta, pkt: &mut [u8]) -> Result<(), OffloadError> {
    let start = meta.csum_start() as usize;
    let field = start + usize::from(meta.csum_offset);
    if field + 2 > pkt.len() {
        return Err(OffloadError::CsumOutOfRange {
            start,
            offset: usize::from(meta.csum_offset),
            len: pkt.len(),
        });
    }
    let sum = csum::add(0, &pkt[start..]);
    put16(pkt, field, nonzero(csum::finish(sum)));
    Ok(())
}

/// A computed checksum of 0 goes on the wire as 0xffff: the same value in
/// ones' complement, and for UDP the only legal spelling (0 means "none").
fn nonzero(c: u16) -> u16 {
    if c == 0 {
        0xffff
    } else {
        c
    }
}

/// Which TCP flags `TCE_LSO_CTRL` clears on the first, middle and last
/// segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LsoCtrl {
    pub clr_first: u8,
    pub clr_mid: u8,
    pub clr_last: u8,
    pub ipid_inc: bool,
}

impl LsoCtrl {
    /// Decodes the register value. The masks are nine bits wide (the TCP
    /// flag byte plus NS); only the byte is used.
    pub fn from_reg(v: u32) -> Self {
        LsoCtrl {
            clr_first: tce::LSO_CTRL::TCPF_CLR_1ST.get(v) as u8,
            clr_mid: tce::LSO_CTRL::TCPF_CLR_MID.get(v) as u8,
            clr_last: tce::LSO_CTRL::TCPF_CLR_END.get(v) as u8,
            ipid_inc: v & tce::LSO_CTRL::IPID_MODE_INC.mask() != 0,
        }
    }
}

/// Fixes the length fields of the IP header at `off` for a segment of
/// `seg_len` bytes, and bumps the IPv4 ID by `id_step`. Returns false if
/// there is no IPv4/IPv6 header there that ends within the headers
/// (`hdr_len` bytes): one that reaches into the payload is refused, not
/// written into it (found by fuzzing).
fn fix_ip(seg: &mut [u8], off: usize, hdr_len: usize, seg_len: usize, id_step: u16) -> bool {
    match seg.get(off).map(|b| b >> 4) {
        Some(4) => {
            let ihl = usize::from(seg[off] & 0xf) * 4;
            if ihl < 20 || off + ihl > hdr_len {
                return false;
            }
            put16(seg, off + 2, (seg_len - off) as u16);
            let id = get16(seg, off + 4).wrapping_add(id_step);
            put16(seg, off + 4, id);
            put16(seg, off + 10, 0);
            let c = csum::finish(csum::add(0, &seg[off..off + ihl]));
            put16(seg, off + 10, c);
            true
        }
        Some(6) if off + 40 <= hdr_len => {
            put16(seg, off + 4, (seg_len - off - 40) as u16);
            true
        }
        _ => false,
    }
}

/// Segments `pkt` per its LSO META, calling `emit` with each finished
/// segment (built in `scratch`, which `emit` may swap for another buffer).
/// Returns the number of segments.
pub fn segment(
    meta: &TxMeta,
    ctrl: LsoCtrl,
    pkt: &[u8],
    scratch: &mut Vec<u8>,
    mut emit: impl FnMut(&mut Vec<u8>),
) -> Result<usize, OffloadError> {
    let l2 = usize::from(meta.l2_hlen);
    let outer = usize::from(meta.l3_ohlen);
    let start = meta.csum_start() as usize;
    let hdr_len = start + usize::from(meta.l4_hlen);
    let field = start + usize::from(meta.csum_offset);
    let mss = usize::from(meta.mss);
    if mss == 0 {
        return Err(OffloadError::ZeroMss);
    }
    let bad = || OffloadError::BadHeaders {
        hdr_len,
        len: pkt.len(),
    };
    if hdr_len > pkt.len() || field + 2 > hdr_len || meta.l4_hlen == 0 {
        return Err(bad());
    }
    let tcp = meta.l4_type == L4Type::Tcp;
    // The fields rewritten per segment must lie in the L4 header, not in
    // the payload (or past a packet that has none): TCP's sequence number
    // and flags, UDP's length.
    if meta.l4_hlen < if tcp { 20 } else { 8 } {
        return Err(bad());
    }
    let (hdr, payload) = pkt.split_at(hdr_len);
    let segs = payload.len().div_ceil(mss).max(1);
    let seq = if tcp {
        u32::from_be_bytes([
            hdr[start + 4],
            hdr[start + 5],
            hdr[start + 6],
            hdr[start + 7],
        ])
    } else {
        0
    };
    // The pseudo-header sum without the length, as the driver left it.
    let pseudo = get16(hdr, field);
    for i in 0..segs {
        let chunk = payload
            .get(i * mss..((i + 1) * mss).min(payload.len()))
            .unwrap_or(&[]);
        scratch.clear();
        scratch.extend_from_slice(hdr);
        scratch.extend_from_slice(chunk);
        let seg_len = scratch.len();
        let id_step = if ctrl.ipid_inc { i as u16 } else { 0 };
        // L3 type OTHER is the driver's GSO_PARTIAL (tunnels): the stack
        // already wrote every IP header for a full-size segment and the
        // device leaves them alone.
        if meta.l3_type != L3Type::Other {
            if outer > 0 && !fix_ip(scratch, l2, hdr_len, seg_len, id_step) {
                return Err(bad());
            }
            if !fix_ip(scratch, l2 + outer, hdr_len, seg_len, id_step) {
                return Err(bad());
            }
        }
        let l4_len = seg_len - start;
        if tcp {
            let s = seq.wrapping_add((i * mss) as u32);
            scratch[start + 4..start + 8].copy_from_slice(&s.to_be_bytes());
            // A packet that fits one segment keeps its flags: it is both
            // the first and the last, and the two masks contradict.
            let clear = match (i, segs) {
                (_, 1) => 0,
                (0, _) => ctrl.clr_first,
                (i, n) if i + 1 == n => ctrl.clr_last,
                _ => ctrl.clr_mid,
            };
            scratch[start + 13] &= !clear;
        } else {
            put16(scratch, start + 4, l4_len as u16);
        }
        put16(scratch, field, csum::add16(pseudo, l4_len as u16));
        let c = csum::finish(csum::add(0, &scratch[start..]));
        put16(scratch, field, nonzero(c));
        emit(scratch);
    }
    Ok(segs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the fuzz target emu_tx: UDP segmentation with a 4-byte L4
    /// header wrote the UDP length into the payload, and with no payload
    /// past the 4 bytes indexed out of the segment (a panic of the port's
    /// thread, from any guest); an IPv4 header longer than the META's L3
    /// length had its fields rewritten in the payload.
    #[test]
    fn headers_must_hold_what_is_rewritten() {
        let meta = TxMeta {
            l2_hlen: 14,
            l3_ihlen: 20,
            l4_hlen: 4,
            l4_type: L4Type::Udp,
            req_lso: true,
            mss: 100,
            ..TxMeta::default()
        };
        let ctrl = LsoCtrl::from_reg(0);
        let mut scratch = Vec::new();
        for payload in [0, 1, 2, 40] {
            let pkt = vec![0x45u8; 38 + payload];
            let mut emitted = 0;
            let r = segment(&meta, ctrl, &pkt, &mut scratch, |_| emitted += 1);
            assert!(
                matches!(r, Err(OffloadError::BadHeaders { hdr_len: 38, .. })),
                "{payload}-byte payload: {r:?}"
            );
            assert_eq!(emitted, 0);
        }
        // An IPv4 header whose IHL (60 bytes) runs past the headers the
        // META declares (38 with the L4 header) is refused, not written
        // into the payload.
        let long_ihl = TxMeta {
            l3_type: L3Type::Ipv4,
            l4_hlen: 8,
            ..meta
        };
        let mut pkt = vec![0u8; 42 + 40];
        pkt[14] = 0x4f;
        let r = segment(&long_ihl, ctrl, &pkt, &mut scratch, |_| {});
        assert!(matches!(r, Err(OffloadError::BadHeaders { .. })), "{r:?}");
        // An 8-byte UDP header is fine.
        let meta = TxMeta { l4_hlen: 8, ..meta };
        let pkt = vec![0u8; 42 + 10];
        let r = segment(&meta, ctrl, &pkt, &mut scratch, |seg| {
            assert_eq!(seg[42..], [0u8; 10]);
        });
        assert_eq!(r, Ok(1));
    }
}
