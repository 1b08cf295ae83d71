// SPDX-License-Identifier: GPL-2.0

//! The TX planner: from what a packet's headers and the stack's offload
//! request say, the TWD META descriptor the device gets, what the packet
//! is counted as and what it makes on the wire, or why the device cannot
//! do it. Plain logic over the packet's bytes: it takes no socket buffer,
//! only its own description of the offload request ([`Offload`]), which
//! the transmit path makes from the socket buffer's.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests.

#![forbid(unsafe_code)]

use crate::hw::desc::{
    L3Type,
    L4Type,
    TxMeta, //
};

/// Checksum insertion the stack asks for (`CHECKSUM_PARTIAL`). Offsets are
/// from the start of the packet's data (the Ethernet header).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Csum {
    /// Where the network (L3) header starts.
    pub(crate) network_offset: u32,
    /// Where the checksummed data (the L4 header) starts.
    pub(crate) csum_start: u32,
    /// Where the checksum field is, relative to `csum_start`.
    pub(crate) csum_offset: u16,
}

/// The L4 protocol a packet to segment carries (its innermost one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SegL4 {
    /// TCP, over IPv4 or IPv6.
    Tcp,
    /// UDP, segmented by payload (`SKB_GSO_UDP_L4`).
    Udp,
    /// Anything else: the device cannot segment it.
    Other,
}

/// Segmentation the stack asks for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Seg {
    /// Payload bytes per segment.
    pub(crate) size: u16,
    /// Number of segments (0 counts as 1).
    pub(crate) segs: u16,
    /// What to segment.
    pub(crate) l4: SegL4,
    /// The stack prepared the headers before the innermost L4 header for
    /// every segment (`SKB_GSO_PARTIAL`): the device copies them as they
    /// are.
    pub(crate) partial: bool,
    /// Where the inner network header starts, for a tunnelled packet.
    pub(crate) inner_network_offset: Option<u32>,
    /// The packet is an IP-in-IPv6 tunnel (`NETIF_F_GSO_IPXIP6`).
    pub(crate) ipxip6: bool,
}

/// A packet's transmit offloads, as the planner takes them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Offload {
    /// None: the packet is complete as it is.
    None,
    /// Insert the L4 checksum.
    Csum(Csum),
    /// Segment, inserting every segment's checksum.
    Gso(Csum, Seg),
}

/// Why the device cannot do a packet's offloads ([`plan`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unsupported {
    /// Its headers do not fit the META descriptor: no checksum either.
    Checksum,
    /// It can have its checksum, but not be segmented (an L4 or tunnel
    /// the device does not parse, a header too long).
    Segmentation,
}

/// How a packet goes out, worked out from the offloads the stack asks for
/// ([`plan`]).
#[derive(Debug)]
pub(crate) struct TxPlan {
    /// The TWD META descriptor.
    pub(crate) meta: u64,
    pub(crate) kind: TxKind,
    /// Frames on the wire.
    pub(crate) packets: u32,
    /// Their bytes: the packet's, plus the headers every segment after the
    /// first repeats.
    pub(crate) wire_bytes: u32,
    /// For segmentation: where the L4 checksum field is, and the payload
    /// length to take out of the pseudo-header sum the stack left in it
    /// (the device adds each segment's own).
    pub(crate) lso_csum: Option<(usize, u16)>,
}

/// What the device is asked to do with a packet, for the counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TxKind {
    /// No offload.
    Plain,
    /// Checksum insertion.
    Csum,
    /// Segmentation.
    Gso,
}

/// IPv6's fixed header.
const IPV6_HLEN: u32 = 40;
/// IPv6 next-header value of an IPv6 packet (6in6 tunnels).
const IPPROTO_IPV6: u8 = 41;

/// The plan for a packet of `len` bytes whose linear part is `head`, for
/// the offloads the stack asks for (`fbnic_tx_offloads()`,
/// `fbnic_tx_lso()`). Offsets that point outside `head`, or headers that do
/// not fit the META descriptor, give an error, never a panic.
pub(crate) fn plan(len: u32, head: &[u8], offload: Offload) -> Result<TxPlan, Unsupported> {
    plan_as::<true>(len, head, offload)
}

/// What [`plan`] says of a packet, without encoding its META descriptor:
/// whether the device can do its offloads, or why not
/// (`fbnic_features_check()`: the stack asks it of every packet with
/// offloads before it may segment it, and the transmit path plans the
/// packet again).
#[inline]
pub(crate) fn check(len: u32, head: &[u8], offload: Offload) -> Result<(), Unsupported> {
    plan_as::<false>(len, head, offload).map(|_| ())
}

/// The META descriptor `meta` as [`plan`] gives it (`ENCODE`), or, for
/// [`check`], 0 if it would encode: the same answer either way.
#[inline(always)]
fn encode<const ENCODE: bool>(meta: &TxMeta) -> Option<u64> {
    if ENCODE {
        meta.encode().ok()
    } else {
        meta.fits().then_some(0)
    }
}

/// [`plan`], which encodes the META descriptor, and [`check`], which only
/// sees that it would: one decision for both.
#[inline(always)]
fn plan_as<const ENCODE: bool>(
    len: u32,
    head: &[u8],
    offload: Offload,
) -> Result<TxPlan, Unsupported> {
    let mut meta = TxMeta {
        dest_mac: true,
        req_completion: true,
        ..Default::default()
    };
    let (c, gso) = match offload {
        Offload::None => {
            return Ok(TxPlan {
                meta: encode::<ENCODE>(&meta).ok_or(Unsupported::Checksum)?,
                kind: TxKind::Plain,
                packets: 1,
                wire_bytes: len,
                lso_csum: None,
            })
        }
        Offload::Csum(c) => (c, None),
        Offload::Gso(c, g) => (c, Some(g)),
    };
    csum_meta(&mut meta, c)?;
    let csum_only = meta;
    let Some(g) = gso else {
        return Ok(TxPlan {
            meta: encode::<ENCODE>(&csum_only).ok_or(Unsupported::Checksum)?,
            kind: TxKind::Csum,
            packets: 1,
            wire_bytes: len,
            lso_csum: None,
        });
    };
    // The META descriptor of a packet to segment is encoded once, at the
    // end. A packet that cannot be segmented is told apart from one whose
    // checksum cannot be offloaded either only then: the stack must do
    // both in software if the checksum part does not fit.
    plan_gso::<ENCODE>(len, head, c, g, meta).map_err(|e| {
        if csum_only.fits() {
            e
        } else {
            Unsupported::Checksum
        }
    })
}

/// Sets up `meta` for the device to insert the checksum `c` asks for: the
/// L2 and L3 header lengths and the checksum's offset.
#[inline]
fn csum_meta(meta: &mut TxMeta, c: Csum) -> Result<(), Unsupported> {
    let unfit = |_| Unsupported::Checksum;
    meta.l2_hlen = u16::try_from(c.network_offset).map_err(unfit)?;
    let l3_len = c.csum_start.checked_sub(c.network_offset);
    meta.l3_ihlen = u16::try_from(l3_len.ok_or(Unsupported::Checksum)?).map_err(unfit)?;
    meta.csum_offset = c.csum_offset;
    meta.req_cso = true;
    Ok(())
}

/// Whether the device can insert the checksum `c` asks for: the answer
/// [`plan`] gives for [`Offload::Csum`], without working out the plan
/// (`fbnic_features_check()` asks it of every such packet, an ACK for
/// one, and the transmit path plans it again).
#[inline]
pub(crate) fn csum_fits(c: Csum) -> bool {
    let mut meta = TxMeta::default();
    csum_meta(&mut meta, c).is_ok()
        && TxMeta::csum_fits(meta.l2_hlen, meta.l3_ihlen, meta.csum_offset)
}

/// The segmentation part of [`plan`] and [`check`], from `meta` as set up
/// for checksum insertion. Fails with [`Unsupported::Segmentation`] only.
#[inline(always)]
fn plan_gso<const ENCODE: bool>(
    len: u32,
    head: &[u8],
    c: Csum,
    g: Seg,
    mut meta: TxMeta,
) -> Result<TxPlan, Unsupported> {
    // Segmentation: the device computes every segment's checksum itself.
    let no = Unsupported::Segmentation;
    meta.req_cso = false;
    let byte = |at: u32| head.get(at as usize).copied().ok_or(no);
    let l4 = c.csum_start;
    (meta.l4_type, meta.l4_hlen) = match g.l4 {
        // TCP data offset: high nibble of byte 12, in dwords.
        SegL4::Tcp => (
            L4Type::Tcp,
            u16::from(byte(l4.checked_add(12).ok_or(no)?)? >> 4) * 4,
        ),
        SegL4::Udp => (L4Type::Udp, 8),
        SegL4::Other => return Err(no),
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
            if !g.ipxip6
                || byte(outer)? >> 4 != 6
                || ipv6_payload(head, outer) != Some((IPPROTO_IPV6, inner))
                || byte(inner)? >> 4 != 6
            {
                return Err(no);
            }
            // The checksum part, with the inner and outer L3 headers in
            // one, must fit before the outer ones are split off.
            if !meta.fits() {
                return Err(no);
            }
            let ohlen = u16::try_from(inner.checked_sub(outer).ok_or(no)?).map_err(|_| no)?;
            meta.l3_ohlen = ohlen;
            meta.l3_ihlen = meta.l3_ihlen.checked_sub(ohlen).ok_or(no)?;
            L3Type::V6InV6
        }
    };
    meta.mss = g.size;
    meta.req_lso = true;
    let hdr_len = l4 + u32::from(meta.l4_hlen);
    let segs = u32::from(g.segs).max(1);
    let wire_bytes = (segs - 1)
        .checked_mul(hdr_len)
        .and_then(|repeated| repeated.checked_add(len))
        .ok_or(no)?;
    // The IP length fields are 16 bits: a GSO packet's L4 part fits.
    let payload = u16::try_from(len.checked_sub(l4).ok_or(no)?).map_err(|_| no)?;
    Ok(TxPlan {
        meta: encode::<ENCODE>(&meta).ok_or(no)?,
        kind: TxKind::Gso,
        packets: segs,
        wire_bytes,
        lso_csum: Some(((l4 + u32::from(c.csum_offset)) as usize, payload)),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Ethernet header length.
    const ETH: u32 = 14;

    /// A frame: Ethernet, then `l3` (whose first byte's high nibble is the
    /// IP version), then a TCP header of `tcp_hlen` bytes.
    fn frame(l3: &[u8], tcp_hlen: u8) -> std::vec::Vec<u8> {
        let mut f = std::vec![0u8; ETH as usize];
        f.extend_from_slice(l3);
        let mut tcp = std::vec![0u8; usize::from(tcp_hlen)];
        tcp[12] = (tcp_hlen / 4) << 4;
        f.extend_from_slice(&tcp);
        f
    }

    fn ipv4() -> [u8; 20] {
        let mut h = [0; 20];
        h[0] = 0x45;
        h
    }

    /// An IPv6 header carrying `next`.
    fn ipv6(next: u8) -> [u8; 40] {
        let mut h = [0; 40];
        h[0] = 0x60;
        h[6] = next;
        h
    }

    fn csum(l3_len: u32) -> Csum {
        Csum {
            network_offset: ETH,
            csum_start: ETH + l3_len,
            csum_offset: 16,
        }
    }

    fn tcp(segs: u16) -> Seg {
        Seg {
            size: 1448,
            segs,
            l4: SegL4::Tcp,
            partial: false,
            inner_network_offset: None,
            ipxip6: false,
        }
    }

    fn meta(p: &TxPlan) -> TxMeta {
        TxMeta::decode(p.meta).unwrap()
    }

    #[test]
    fn plain() {
        let p = plan(60, &[], Offload::None).unwrap();
        assert_eq!(p.kind, TxKind::Plain);
        assert_eq!((p.packets, p.wire_bytes, p.lso_csum), (1, 60, None));
        let m = meta(&p);
        assert!(m.dest_mac && m.req_completion && !m.req_cso && !m.req_lso);
    }

    /// [`csum_fits`] says what [`plan`] does, for offsets that fit the
    /// META descriptor and ones that do not (odd, too long, reversed).
    #[test]
    fn checksum_fits_as_planned() {
        for network_offset in [0u32, 1, 13, 14, 15, 16, 254, 255, 256, 257, 510, 512, 65536] {
            for l3_len in [0u32, 1, 20, 21, 40, 254, 255, 256, 510, 511, 512] {
                for back in [false, true] {
                    for csum_offset in [0, 1, 6, 16, 17, 254, 255, 256, 65535] {
                        let csum_start = if back {
                            network_offset.wrapping_sub(l3_len + 1)
                        } else {
                            network_offset + l3_len
                        };
                        let c = Csum {
                            network_offset,
                            csum_start,
                            csum_offset,
                        };
                        assert_eq!(csum_fits(c), plan(100, &[], Offload::Csum(c)).is_ok());
                    }
                }
            }
        }
    }

    /// [`check`] gives [`plan`]'s answer, success or which error, over
    /// packets the device can segment and every way one can fail: the
    /// headers, the offsets, the MSS, the packet's length, the tunnels.
    #[test]
    fn check_agrees_with_plan() {
        let mut bad_version = frame(&ipv4(), 20);
        bad_version[14] = 0x55;
        let v4 = frame(&ipv4(), 32);
        let heads = [
            v4.clone(),
            v4[..40].to_vec(),
            frame(&ipv6(6), 20),
            bad_version,
            six_in_six(),
            std::vec::Vec::new(),
        ];
        let csums = [
            csum(20),
            csum(40),
            csum(88),
            csum(21),
            csum(512),
            Csum {
                network_offset: 128,
                ..csum(20)
            },
            Csum {
                csum_offset: 31,
                ..csum(20)
            },
            Csum {
                network_offset: 34,
                csum_start: 14,
                csum_offset: 16,
            },
        ];
        // Planned without and with segmentation, refused for it, refused
        // for the checksum.
        let mut outcomes = [0usize; 4];
        for head in &heads {
            for c in csums {
                for len in [20u32, 200, 3000, 65_000, 70_000] {
                    let mut offloads = std::vec![Offload::None, Offload::Csum(c)];
                    for l4 in [SegL4::Tcp, SegL4::Udp, SegL4::Other] {
                        for size in [0u16, 1448, 16383, 16384, u16::MAX] {
                            for segs in [0u16, 1, 45, u16::MAX] {
                                for (partial, inner, ipxip6) in [
                                    (false, None, false),
                                    (true, Some(14 + 24), false),
                                    (false, Some(14 + 48), true),
                                    (false, Some(14 + 48), false),
                                    (false, Some(14 + 40), true),
                                    (false, Some(u32::MAX), true),
                                ] {
                                    let g = Seg {
                                        size,
                                        segs,
                                        l4,
                                        partial,
                                        inner_network_offset: inner,
                                        ipxip6,
                                    };
                                    offloads.push(Offload::Gso(c, g));
                                }
                            }
                        }
                    }
                    for o in offloads {
                        let planned = plan(len, head, o).map(|_| ());
                        assert_eq!(check(len, head, o), planned, "{len} {o:?}");
                        outcomes[match (planned, o) {
                            (Ok(()), Offload::Gso(..)) => 1,
                            (Ok(()), _) => 0,
                            (Err(Unsupported::Segmentation), _) => 2,
                            (Err(Unsupported::Checksum), _) => 3,
                        }] += 1;
                    }
                }
            }
        }
        // Every outcome was seen.
        assert!(outcomes.iter().all(|&n| n > 0), "{outcomes:?}");
    }

    #[test]
    fn checksum() {
        let p = plan(100, &[], Offload::Csum(csum(20))).unwrap();
        assert_eq!(p.kind, TxKind::Csum);
        assert_eq!((p.packets, p.wire_bytes, p.lso_csum), (1, 100, None));
        let m = meta(&p);
        assert_eq!((m.l2_hlen, m.l3_ihlen, m.csum_offset), (14, 20, 16));
        assert!(m.req_cso && !m.req_lso);
    }

    #[test]
    fn checksum_start_before_network_header() {
        let c = Csum {
            network_offset: 34,
            csum_start: 14,
            csum_offset: 16,
        };
        assert_eq!(
            plan(100, &[], Offload::Csum(c)).unwrap_err(),
            Unsupported::Checksum
        );
    }

    #[test]
    fn headers_too_long_for_the_meta() {
        // L2 up to 126 bytes, L3 up to 510, even lengths only.
        for (network_offset, csum_start) in [(128, 148), (14, 14 + 512), (15, 35), (u32::MAX, 0)] {
            let c = Csum {
                network_offset,
                csum_start,
                csum_offset: 16,
            };
            assert_eq!(
                plan(1000, &[], Offload::Csum(c)).unwrap_err(),
                Unsupported::Checksum,
                "{network_offset} {csum_start}"
            );
        }
        // 126 bytes of L2 header still fit.
        let c = Csum {
            network_offset: 126,
            csum_start: 146,
            csum_offset: 16,
        };
        assert!(plan(1000, &[], Offload::Csum(c)).is_ok());
    }

    #[test]
    fn tso_over_ipv4() {
        let head = frame(&ipv4(), 32);
        let len = 14 + 20 + 32 + 3 * 1448;
        let p = plan(len, &head, Offload::Gso(csum(20), tcp(3))).unwrap();
        assert_eq!(p.kind, TxKind::Gso);
        assert_eq!(p.packets, 3);
        // Every segment after the first repeats the 66 bytes of headers.
        assert_eq!(p.wire_bytes, len + 2 * 66);
        assert_eq!(p.lso_csum, Some((14 + 20 + 16, 32 + 3 * 1448)));
        let m = meta(&p);
        assert_eq!(m.l3_type, L3Type::Ipv4);
        assert_eq!(m.l4_type, L4Type::Tcp);
        assert_eq!((m.l4_hlen, m.mss), (32, 1448));
        assert!(m.req_lso && !m.req_cso);
    }

    #[test]
    fn tso_over_ipv6_and_udp() {
        let head = frame(&ipv6(6), 20);
        let p = plan(3000, &head, Offload::Gso(csum(40), tcp(2))).unwrap();
        assert_eq!(meta(&p).l3_type, L3Type::Ipv6);
        assert_eq!(p.wire_bytes, 3000 + 74);

        let udp = Seg {
            l4: SegL4::Udp,
            ..tcp(4)
        };
        let p = plan(3000, &head, Offload::Gso(csum(40), udp)).unwrap();
        let m = meta(&p);
        assert_eq!((m.l4_type, m.l4_hlen), (L4Type::Udp, 8));
        assert_eq!(p.wire_bytes, 3000 + 3 * (14 + 40 + 8));
    }

    #[test]
    fn zero_segments_count_as_one() {
        let head = frame(&ipv4(), 20);
        let p = plan(200, &head, Offload::Gso(csum(20), tcp(0))).unwrap();
        assert_eq!((p.packets, p.wire_bytes), (1, 200));
    }

    #[test]
    fn segmentation_the_device_cannot_do() {
        let head = frame(&ipv4(), 20);
        let other = Seg {
            l4: SegL4::Other,
            ..tcp(2)
        };
        // An L4 the device does not segment: the checksum is still fine.
        assert_eq!(
            plan(2000, &head, Offload::Gso(csum(20), other)).unwrap_err(),
            Unsupported::Segmentation
        );
        // The TCP header is not in the linear part.
        assert_eq!(
            plan(2000, &head[..40], Offload::Gso(csum(20), tcp(2))).unwrap_err(),
            Unsupported::Segmentation
        );
        // Neither IPv4 nor IPv6.
        let mut bad = head.clone();
        bad[14] = 0x55;
        assert_eq!(
            plan(2000, &bad, Offload::Gso(csum(20), tcp(2))).unwrap_err(),
            Unsupported::Segmentation
        );
        // A packet shorter than its headers.
        assert_eq!(
            plan(20, &head, Offload::Gso(csum(20), tcp(2))).unwrap_err(),
            Unsupported::Segmentation
        );
        // An L4 part longer than an IP length field takes.
        assert_eq!(
            plan(70_000, &head, Offload::Gso(csum(20), tcp(2))).unwrap_err(),
            Unsupported::Segmentation
        );
    }

    #[test]
    fn partial_tunnel_copies_outer_headers() {
        // GRE over IPv4 with inner IPv4 TCP, prepared by GSO_PARTIAL: the
        // META says "other L3" and everything up to the inner TCP header
        // is the L3 header.
        let mut l3 = std::vec::Vec::new();
        l3.extend_from_slice(&ipv4());
        l3.extend_from_slice(&[0; 4]);
        l3.extend_from_slice(&ipv4());
        let head = frame(&l3, 20);
        let g = Seg {
            partial: true,
            inner_network_offset: Some(14 + 24),
            ..tcp(2)
        };
        let p = plan(2000, &head, Offload::Gso(csum(44), g)).unwrap();
        let m = meta(&p);
        assert_eq!((m.l3_type, m.l3_ohlen, m.l3_ihlen), (L3Type::Other, 0, 44));
    }

    /// IPv6 in IPv6 with an encapsulation limit option (8 bytes of
    /// destination options) in the outer header.
    fn six_in_six() -> std::vec::Vec<u8> {
        let mut l3 = std::vec::Vec::new();
        l3.extend_from_slice(&ipv6(60));
        l3.extend_from_slice(&[41, 0, 4, 1, 0, 1, 0, 0]);
        l3.extend_from_slice(&ipv6(6));
        frame(&l3, 20)
    }

    #[test]
    fn ipv6_in_ipv6_whole() {
        let head = six_in_six();
        let g = Seg {
            inner_network_offset: Some(14 + 48),
            ipxip6: true,
            ..tcp(2)
        };
        let p = plan(3000, &head, Offload::Gso(csum(88), g)).unwrap();
        let m = meta(&p);
        assert_eq!(
            (m.l3_type, m.l3_ohlen, m.l3_ihlen),
            (L3Type::V6InV6, 48, 40)
        );
        // Not announced as IPXIP6, or the inner header elsewhere: refused.
        let no_feature = Seg { ipxip6: false, ..g };
        let elsewhere = Seg {
            inner_network_offset: Some(14 + 40),
            ..g
        };
        for g in [no_feature, elsewhere] {
            assert_eq!(
                plan(3000, &head, Offload::Gso(csum(88), g)).unwrap_err(),
                Unsupported::Segmentation
            );
        }
    }

    #[test]
    fn inner_header_past_the_l4_header() {
        // The stack's offsets disagree: the inner network header is after
        // the checksummed part. An error, not an underflow.
        let head = six_in_six();
        let g = Seg {
            inner_network_offset: Some(14 + 48),
            ipxip6: true,
            ..tcp(2)
        };
        assert_eq!(
            plan(3000, &head, Offload::Gso(csum(20), g)).unwrap_err(),
            Unsupported::Segmentation
        );
    }

    #[test]
    fn ipv6_extension_headers() {
        let head = six_in_six();
        assert_eq!(ipv6_payload(&head, 14), Some((41, 14 + 48)));
        // Cut short before the options header's length.
        assert_eq!(ipv6_payload(&head[..55], 14), None);
        assert_eq!(ipv6_payload(&head[..20], 14), None);
        // A chain of more than eight options headers is given up on.
        let mut long = std::vec::Vec::from(ipv6(60));
        for _ in 0..9 {
            long.extend_from_slice(&[60, 0, 0, 0, 0, 0, 0, 0]);
        }
        assert_eq!(ipv6_payload(&long, 0), None);
        // An offset beyond the packet.
        assert_eq!(ipv6_payload(&head, u32::MAX), None);
    }
}
