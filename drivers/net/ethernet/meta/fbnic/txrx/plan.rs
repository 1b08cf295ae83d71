// SPDX-License-Identifier: GPL-2.0

//! The TX planner: from what a packet's headers and the stack's offload
//! request say, the TWD META descriptor the device gets, what the packet
//! is counted as and what it makes on the wire, or why the device cannot
//! do it. Plain logic over the packet's bytes: it takes no socket buffer,
//! only the offload request as the kernel_ext layer describes it
//! ([`TxOffload`]).

#![forbid(unsafe_code)]

use crate::{
    hw::desc::{
        L3Type,
        L4Type,
        TxMeta, //
    },
    kernel_ext::net::{
        self,
        skbuff::{
            GsoKind,
            TxOffload, //
        }, //
    }, //
};

/// Why the device cannot do a packet's offloads ([`super::tx::tx_plan`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unsupported {
    /// Its headers do not fit the META descriptor: no checksum either.
    Checksum,
    /// It can have its checksum, but not be segmented (an L4 or tunnel
    /// the device does not parse, a header too long).
    Segmentation,
}

/// How a packet goes out, worked out from the offloads the stack asks for
/// ([`super::tx::tx_plan`]).
pub(crate) struct TxPlan {
    /// The TWD META descriptor.
    pub(super) meta: u64,
    pub(super) kind: TxKind,
    /// Frames on the wire.
    pub(super) packets: u32,
    /// Their bytes: the packet's, plus the headers every segment after the
    /// first repeats.
    pub(super) wire_bytes: u32,
    /// For segmentation: where the L4 checksum field is, and the payload
    /// length to take out of the pseudo-header sum the stack left in it
    /// (the device adds each segment's own).
    pub(super) lso_csum: Option<(usize, u16)>,
}

/// What the device is asked to do with a packet, for the counters.
#[derive(Clone, Copy)]
pub(super) enum TxKind {
    Plain,
    Csum,
    Gso,
}

/// IPv6's fixed header.
const IPV6_HLEN: u32 = 40;
/// IPv6 next-header value of an IPv6 packet (6in6 tunnels).
const IPPROTO_IPV6: u8 = 41;

/// The plan for a packet of `len` bytes whose linear part is `head`, for
/// the offloads the stack asks for (see [`super::tx::tx_plan`]).
pub(super) fn plan(len: u32, head: &[u8], offload: TxOffload) -> Result<TxPlan, Unsupported> {
    let mut meta = TxMeta {
        dest_mac: true,
        req_completion: true,
        ..Default::default()
    };
    let (c, gso) = match offload {
        TxOffload::None => {
            return Ok(TxPlan {
                meta: meta.encode().map_err(|_| Unsupported::Checksum)?,
                kind: TxKind::Plain,
                packets: 1,
                wire_bytes: len,
                lso_csum: None,
            })
        }
        TxOffload::Csum(c) => (c, None),
        TxOffload::Gso(c, g) => (c, Some(g)),
    };
    let unfit = |_| Unsupported::Checksum;
    meta.l2_hlen = u16::try_from(c.network_offset).map_err(unfit)?;
    let l3_len = c.csum_start.checked_sub(c.network_offset);
    meta.l3_ihlen = u16::try_from(l3_len.ok_or(Unsupported::Checksum)?).map_err(unfit)?;
    meta.csum_offset = c.csum_offset;
    meta.req_cso = true;
    let csum_only = meta.encode().map_err(|_| Unsupported::Checksum)?;
    let Some(g) = gso else {
        return Ok(TxPlan {
            meta: csum_only,
            kind: TxKind::Csum,
            packets: 1,
            wire_bytes: len,
            lso_csum: None,
        });
    };

    // Segmentation: the device computes every segment's checksum itself.
    let no = Unsupported::Segmentation;
    meta.req_cso = false;
    let byte = |at: u32| head.get(at as usize).copied().ok_or(no);
    let l4 = c.csum_start;
    (meta.l4_type, meta.l4_hlen) = match g.kind {
        // TCP data offset: high nibble of byte 12, in dwords.
        GsoKind::Tcp4 | GsoKind::Tcp6 => (L4Type::Tcp, u16::from(byte(l4 + 12)? >> 4) * 4),
        GsoKind::Udp => (L4Type::Udp, 8),
        GsoKind::Other => return Err(no),
    };
    let outer = c.network_offset;
    meta.l3_type = match g.inner_network_offset {
        _ if g.partial => L3Type::Other,
        None => match byte(outer)? >> 4 {
            4 => L3Type::Ipv4,
            6 => L3Type::Ipv6,
            _ => return Err(no),
        },
        // A tunnel segmented whole: only IPv6 inside IPv6, after the
        // outer header's extension headers (an ip6tnl device adds an
        // encapsulation limit option by default).
        Some(inner) => {
            if !g.features.intersects(net::Features::GSO_IPXIP6)
                || byte(outer)? >> 4 != 6
                || ipv6_payload(head, outer) != Some((IPPROTO_IPV6, inner))
                || byte(inner)? >> 4 != 6
            {
                return Err(no);
            }
            let ohlen = u16::try_from(inner - outer).map_err(|_| no)?;
            meta.l3_ohlen = ohlen;
            meta.l3_ihlen -= ohlen;
            L3Type::V6InV6
        }
    };
    meta.mss = g.size;
    meta.req_lso = true;
    let hdr_len = l4 + u32::from(meta.l4_hlen);
    let segs = u32::from(g.segs).max(1);
    Ok(TxPlan {
        meta: meta.encode().map_err(|_| no)?,
        kind: TxKind::Gso,
        packets: segs,
        wire_bytes: len + (segs - 1) * hdr_len,
        // The IP length fields are 16 bits: a GSO packet's L4 part fits.
        lso_csum: Some((
            (l4 + u32::from(c.csum_offset)) as usize,
            len.checked_sub(l4).ok_or(no)? as u16,
        )),
    })
}

/// The protocol and offset of what an IPv6 header at `at` carries, past
/// its hop-by-hop, routing and destination options headers
/// (`ipv6_skip_exthdr()` for the cases a tunnel has); `None` if the
/// headers are cut short or include a fragment header.
fn ipv6_payload(head: &[u8], at: u32) -> Option<(u8, u32)> {
    const HOPOPTS: u8 = 0;
    const ROUTING: u8 = 43;
    const DSTOPTS: u8 = 60;
    let at = at as usize;
    let mut next = *head.get(at + 6)?;
    let mut pos = at + IPV6_HLEN as usize;
    // A packet has a handful of these; the bound only keeps a corrupt
    // chain from looping long.
    for _ in 0..8 {
        if !matches!(next, HOPOPTS | ROUTING | DSTOPTS) {
            return Some((next, u32::try_from(pos).ok()?));
        }
        next = *head.get(pos)?;
        pos += (usize::from(*head.get(pos + 1)?) + 1) * 8;
    }
    None
}
