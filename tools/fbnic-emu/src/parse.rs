// SPDX-License-Identifier: GPL-2.0

//! The RX parser: where the L2, L3 and L4 headers of a frame are, and the
//! fields the classifier and the RSS hash look at.
//!
//! Only what the device itself understands is parsed: Ethernet with up to
//! two VLAN tags, IPv4 (with options), IPv6 (with hop-by-hop, routing,
//! fragment and destination options extension headers), TCP and UDP.
//! Anything else stops the parse at the last header understood; nothing
//! here fails on a short or malformed frame.

use fbnic_hw::desc::{L3Type, L4Type};

pub const ETH_HLEN: usize = 14;
pub const ETH_P_IPV4: u16 = 0x0800;
pub const ETH_P_IPV6: u16 = 0x86dd;
const ETH_P_8021Q: u16 = 0x8100;
const ETH_P_8021AD: u16 = 0x88a8;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;

/// The IP layer of a parsed frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ip {
    V4 {
        src: [u8; 4],
        dst: [u8; 4],
    },
    V6 {
        src: [u8; 16],
        dst: [u8; 16],
        /// 20-bit flow label.
        flow: u32,
    },
}

/// What the parser found in a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// Ethertype after any VLAN tags (0 for a runt).
    pub ethertype: u16,
    /// Bytes of L2 header (14, 18 or 22).
    pub l2_len: usize,
    pub ip: Option<Ip>,
    /// Offset of the L4 header, when the L3 header was understood.
    pub l4_off: Option<usize>,
    /// The L4 protocol number (IPv4 protocol or last IPv6 next header).
    pub l4_proto: u8,
    /// The packet is an IP fragment (its L4 header is absent or partial).
    pub fragment: bool,
    /// An IPv6 extension header the parser does not know ended the parse.
    pub unknown_ext: bool,
    /// TCP or UDP with its whole header present: (header length, ports).
    pub l4: Option<(usize, u16, u16)>,
    /// Bytes covered by the L3 header's length field, from the L3 header
    /// on (0 when not IP). Anything past it is Ethernet padding.
    pub l3_total: usize,
}

impl Parsed {
    /// The L3 type reported in RX completions.
    pub fn l3_type(&self) -> L3Type {
        match self.ip {
            Some(Ip::V4 { .. }) => L3Type::Ipv4,
            Some(Ip::V6 { .. }) => L3Type::Ipv6,
            None => L3Type::Other,
        }
    }

    /// The L4 type reported in RX completions.
    pub fn l4_type(&self) -> L4Type {
        match (self.l4, self.l4_proto) {
            (Some(_), IPPROTO_TCP) => L4Type::Tcp,
            (Some(_), IPPROTO_UDP) => L4Type::Udp,
            _ => L4Type::Other,
        }
    }

    /// End of all headers the parser understood: where header split cuts.
    pub fn headers_end(&self) -> usize {
        match (self.l4_off, self.l4) {
            (Some(off), Some((len, _, _))) => off + len,
            (Some(off), None) => off,
            _ => self.l2_len,
        }
    }
}

fn be16(f: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*f.get(at)?, *f.get(at + 1)?]))
}

fn array<const N: usize>(f: &[u8], at: usize) -> Option<[u8; N]> {
    f.get(at..at + N)?.try_into().ok()
}

/// Parses `frame` (starting at the destination MAC, no FCS).
pub fn parse(frame: &[u8]) -> Parsed {
    let mut p = Parsed {
        ethertype: 0,
        l2_len: frame.len().min(ETH_HLEN),
        ip: None,
        l4_off: None,
        l4_proto: 0,
        fragment: false,
        unknown_ext: false,
        l4: None,
        l3_total: 0,
    };
    let Some(mut etype) = be16(frame, 12) else {
        return p;
    };
    let mut l2 = ETH_HLEN;
    for _ in 0..2 {
        if etype != ETH_P_8021Q && etype != ETH_P_8021AD {
            break;
        }
        match be16(frame, l2 + 2) {
            Some(t) => {
                etype = t;
                l2 += 4;
            }
            None => break,
        }
    }
    p.ethertype = etype;
    p.l2_len = l2.min(frame.len());
    match etype {
        ETH_P_IPV4 => parse_ipv4(frame, l2, &mut p),
        ETH_P_IPV6 => parse_ipv6(frame, l2, &mut p),
        _ => {}
    }
    if let Some(off) = p.l4_off {
        if !p.fragment {
            let hdr = match p.l4_proto {
                IPPROTO_TCP => frame
                    .get(off + 12)
                    .map(|b| usize::from(b >> 4) * 4)
                    .filter(|&n| n >= 20),
                IPPROTO_UDP => Some(8),
                _ => None,
            };
            if let Some(len) = hdr {
                if let (Some(sp), Some(dp)) = (be16(frame, off), be16(frame, off + 2)) {
                    if off + len <= frame.len() {
                        p.l4 = Some((len, sp, dp));
                    }
                }
            }
        }
    }
    p
}

fn parse_ipv4(f: &[u8], l3: usize, p: &mut Parsed) {
    let Some(&vihl) = f.get(l3) else { return };
    let ihl = usize::from(vihl & 0xf) * 4;
    if vihl >> 4 != 4 || ihl < 20 || f.len() < l3 + ihl {
        return;
    }
    let (Some(src), Some(dst), Some(total), Some(frag)) = (
        array::<4>(f, l3 + 12),
        array::<4>(f, l3 + 16),
        be16(f, l3 + 2),
        be16(f, l3 + 6),
    ) else {
        return;
    };
    p.ip = Some(Ip::V4 { src, dst });
    p.l3_total = usize::from(total);
    p.l4_proto = f[l3 + 9];
    // MF set or a nonzero offset.
    p.fragment = frag & 0x3fff != 0;
    p.l4_off = Some(l3 + ihl);
}

fn parse_ipv6(f: &[u8], l3: usize, p: &mut Parsed) {
    let (Some(vtcfl), Some(plen), Some(src), Some(dst)) = (
        f.get(l3..l3 + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        be16(f, l3 + 4),
        array::<16>(f, l3 + 8),
        array::<16>(f, l3 + 24),
    ) else {
        return;
    };
    if vtcfl >> 28 != 6 {
        return;
    }
    p.ip = Some(Ip::V6 {
        src,
        dst,
        flow: vtcfl & 0xf_ffff,
    });
    p.l3_total = 40 + usize::from(plen);
    let mut next = f[l3 + 6];
    let mut off = l3 + 40;
    // A bounded walk: a chain longer than this is not something the
    // device parses either.
    for _ in 0..8 {
        match next {
            // Hop-by-hop, routing, destination options.
            0 | 43 | 60 => {
                let (Some(&nh), Some(&len)) = (f.get(off), f.get(off + 1)) else {
                    return;
                };
                next = nh;
                off += (usize::from(len) + 1) * 8;
            }
            // Fragment header.
            44 => {
                let (Some(&nh), Some(fo)) = (f.get(off), be16(f, off + 2)) else {
                    return;
                };
                next = nh;
                off += 8;
                // Offset nonzero or more fragments follow.
                if fo & 0xfff9 != 0 {
                    p.fragment = true;
                }
            }
            _ => break,
        }
    }
    if matches!(next, 0 | 43 | 44 | 60) {
        p.unknown_ext = true;
        return;
    }
    if off > f.len() {
        return;
    }
    p.l4_proto = next;
    p.l4_off = Some(off);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds Ethernet + IPv4 + TCP/UDP with `payload`, checksums left 0.
    pub fn ipv4_frame(proto: u8, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![
            0x02, 0, 0x5e, 0, 0x10, 1, 0x02, 0, 0x5e, 0, 0x10, 0, 0x08, 0x00,
        ];
        let l4_len = if proto == IPPROTO_TCP { 20 } else { 8 } + payload.len();
        let total = (20 + l4_len) as u16;
        f.extend_from_slice(&[
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            0x12,
            0x34,
            0x40,
            0,
        ]);
        f.extend_from_slice(&[64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        if proto == IPPROTO_TCP {
            f.extend_from_slice(&[0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18]);
            f.extend_from_slice(&[0xff, 0xff, 0, 0, 0, 0]);
        } else {
            let l = l4_len as u16;
            f.extend_from_slice(&[0x30, 0x39, 0x00, 0x35, (l >> 8) as u8, l as u8, 0, 0]);
        }
        f.extend_from_slice(payload);
        f
    }

    #[test]
    fn parses_ipv4_tcp() {
        let f = ipv4_frame(IPPROTO_TCP, b"hello");
        let p = parse(&f);
        assert_eq!(p.ethertype, ETH_P_IPV4);
        assert_eq!(p.l2_len, 14);
        assert_eq!(p.l4_off, Some(34));
        assert_eq!(p.l4, Some((20, 12345, 80)));
        assert_eq!(p.l4_type(), L4Type::Tcp);
        assert_eq!(p.headers_end(), 54);
        assert_eq!(p.l3_total, 45);
    }

    #[test]
    fn vlan_and_ipv6_extension_headers() {
        let mut f = vec![0xff; 12];
        f.extend_from_slice(&[0x81, 0x00, 0x00, 0x05, 0x86, 0xdd]);
        f.extend_from_slice(&[0x60, 0x01, 0x23, 0x45, 0, 16, 0, 64]);
        f.extend_from_slice(&[0x11; 16]);
        f.extend_from_slice(&[0x22; 16]);
        // Hop-by-hop (8 bytes) then UDP.
        f.extend_from_slice(&[17, 0, 0, 0, 0, 0, 0, 0]);
        f.extend_from_slice(&[0, 1, 0, 2, 0, 8, 0, 0]);
        let p = parse(&f);
        assert_eq!(p.l2_len, 18);
        assert_eq!(p.l4_off, Some(18 + 48));
        assert_eq!(p.l4, Some((8, 1, 2)));
        assert!(matches!(p.ip, Some(Ip::V6 { flow: 0x12345, .. })));
    }

    #[test]
    fn truncated_and_fragmented_frames_do_not_panic() {
        let f = ipv4_frame(IPPROTO_UDP, b"x");
        for n in 0..f.len() {
            let _ = parse(&f[..n]);
        }
        let mut frag = f.clone();
        frag[20] = 0x20; // MF
        let p = parse(&frag);
        assert!(p.fragment);
        assert_eq!(p.l4, None);
        assert_eq!(p.l4_type(), L4Type::Other);
    }
}
