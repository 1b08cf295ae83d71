// SPDX-License-Identifier: GPL-2.0

//! Receive flow classification rules (`ethtool -N/-n DEV flow-type ...`,
//! "ntuple filters", `struct ethtool_rx_flow_spec`).
//!
//! C header: [`include/uapi/linux/ethtool.h`](srctree/include/uapi/linux/ethtool.h)
//!
//! A driver that steers flows implements the rule callbacks of
//! [`Operations`](super::Operations): [`FlowRule`] is a rule as the user
//! gave it, decoded from the C union into the match of its flow type, and
//! encoded back the same way when the core asks for it.

use crate::kernel_ext::bindings;
use kernel::{
    num::casts::u32_into_u8,
    prelude::*, //
};

use super::flow_type;

/// `RX_CLS_FLOW_DISC`: drop matching frames. (Like `RX_CLS_FLOW_WAKE`, a
/// value above `i64::MAX`, which bindgen cannot carry over.)
const RX_CLS_FLOW_DISC: u64 = u64::MAX;
/// `RX_CLS_FLOW_WAKE`: wake the system on matching frames.
const RX_CLS_FLOW_WAKE: u64 = u64::MAX - 1;

/// Rule locations (`RX_CLS_LOC_*`).
pub mod location {
    use crate::kernel_ext::bindings;

    /// Any free location: the driver chooses (and reports it back).
    pub const ANY: u32 = bindings::RX_CLS_LOC_ANY;
    /// The first free location (highest priority).
    pub const FIRST: u32 = bindings::RX_CLS_LOC_FIRST;
    /// The last free location (lowest priority).
    pub const LAST: u32 = bindings::RX_CLS_LOC_LAST;
    /// In the rule count's table size: the driver takes the special
    /// locations above.
    pub const SPECIAL: u32 = bindings::RX_CLS_LOC_SPECIAL;
}

/// A value and the bits of it that matter (a set mask bit must match).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Masked<T> {
    /// The value.
    pub value: T,
    /// The bits that matter.
    pub mask: T,
}

/// The match of an IP flow type, over `N`-byte addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpMatch<const N: usize> {
    /// Source address.
    pub src: Masked<[u8; N]>,
    /// Destination address.
    pub dst: Masked<[u8; N]>,
    /// Type of service (IPv4) or traffic class (IPv6).
    pub tos: Masked<u8>,
    /// Source port (TCP, UDP and SCTP flow types).
    pub sport: Masked<u16>,
    /// Destination port (TCP, UDP and SCTP flow types).
    pub dport: Masked<u16>,
    /// IP protocol or IPv6 next header (`IPV4_USER`, `IPV6_USER`).
    pub proto: Masked<u8>,
    /// The first four bytes of the L4 header (`IPV4_USER`, `IPV6_USER`).
    pub l4_4_bytes: Masked<u32>,
}

impl<const N: usize> Default for IpMatch<N> {
    fn default() -> Self {
        let none = Masked {
            value: [0; N],
            mask: [0; N],
        };
        Self {
            src: none,
            dst: none,
            tos: Masked::default(),
            sport: Masked::default(),
            dport: Masked::default(),
            proto: Masked::default(),
            l4_4_bytes: Masked::default(),
        }
    }
}

/// The match of an IPv4 flow type.
pub type Ip4Match = IpMatch<4>;
/// The match of an IPv6 flow type.
pub type Ip6Match = IpMatch<16>;

/// What a rule matches: its flow type and the fields of that type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowMatch {
    /// `TCP_V4`, `UDP_V4`, `SCTP_V4` or `IPV4_USER` (the [`flow_type`]).
    Ip4(u32, Ip4Match),
    /// `TCP_V6`, `UDP_V6`, `SCTP_V6` or `IPV6_USER`.
    Ip6(u32, Ip6Match),
    /// Another flow type, not decoded here (drivers refuse it).
    Other(u32),
}

/// Where a rule sends matching frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleAction {
    /// To this RX queue.
    Queue(u32),
    /// Nowhere.
    Drop,
    /// Spread by RSS context `context` (of [`Rxnfc::rss_context`]), its
    /// queues counted from `offset`.
    Rss {
        /// The RSS context, 0 for the default one.
        context: u32,
        /// Added to the context's queue numbers.
        offset: u32,
    },
}

/// A flow classification rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowRule {
    /// What it matches.
    pub matches: FlowMatch,
    /// What it does.
    pub action: RuleAction,
    /// Where it sits in the device's rule table, or a [`location`] special
    /// value in a request.
    pub location: u32,
}

/// Why a rule could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// It matches VLAN, user-defined or MAC fields (`FLOW_EXT`,
    /// `FLOW_MAC_EXT`).
    ExtraFields,
    /// Its action is a virtual function's queue or wake-on-LAN.
    Action,
}

impl From<RuleError> for Error {
    fn from(_: RuleError) -> Self {
        EOPNOTSUPP
    }
}

fn be32(v: u32) -> [u8; 4] {
    // `__be32` holds the bytes in network order, whatever the CPU's.
    v.to_ne_bytes()
}

fn be16(v: u16) -> u16 {
    u16::from_be(v)
}

fn ip6(words: &[u32; 4]) -> [u8; 16] {
    let mut a = [0; 16];
    for (dst, w) in a.chunks_exact_mut(4).zip(words) {
        dst.copy_from_slice(&w.to_ne_bytes());
    }
    a
}

fn ip6_words(a: &[u8; 16]) -> [u32; 4] {
    let mut w = [0; 4];
    for (dst, src) in w.iter_mut().zip(a.chunks_exact(4)) {
        *dst = u32::from_ne_bytes([src[0], src[1], src[2], src[3]]);
    }
    w
}

/// A value and its mask, from the two sides of a spec.
fn masked<T>(value: T, mask: T) -> Masked<T> {
    Masked { value, mask }
}

/// The two sides of an IPv4 TCP/UDP/SCTP spec.
fn tcpip4(h: &bindings::ethtool_tcpip4_spec, m: &bindings::ethtool_tcpip4_spec) -> Ip4Match {
    Ip4Match {
        src: masked(be32(h.ip4src), be32(m.ip4src)),
        dst: masked(be32(h.ip4dst), be32(m.ip4dst)),
        tos: masked(h.tos, m.tos),
        sport: masked(be16(h.psrc), be16(m.psrc)),
        dport: masked(be16(h.pdst), be16(m.pdst)),
        ..Default::default()
    }
}

/// The two sides of an IPv6 TCP/UDP/SCTP spec.
fn tcpip6(h: &bindings::ethtool_tcpip6_spec, m: &bindings::ethtool_tcpip6_spec) -> Ip6Match {
    Ip6Match {
        src: masked(ip6(&h.ip6src), ip6(&m.ip6src)),
        dst: masked(ip6(&h.ip6dst), ip6(&m.ip6dst)),
        tos: masked(h.tclass, m.tclass),
        sport: masked(be16(h.psrc), be16(m.psrc)),
        dport: masked(be16(h.pdst), be16(m.pdst)),
        ..Default::default()
    }
}

/// The two sides of an IPv4 user spec (any protocol).
fn usrip4(h: &bindings::ethtool_usrip4_spec, m: &bindings::ethtool_usrip4_spec) -> Ip4Match {
    Ip4Match {
        src: masked(be32(h.ip4src), be32(m.ip4src)),
        dst: masked(be32(h.ip4dst), be32(m.ip4dst)),
        tos: masked(h.tos, m.tos),
        proto: masked(h.proto, m.proto),
        l4_4_bytes: masked(u32::from_be(h.l4_4_bytes), u32::from_be(m.l4_4_bytes)),
        ..Default::default()
    }
}

/// The two sides of an IPv6 user spec (any next header).
fn usrip6(h: &bindings::ethtool_usrip6_spec, m: &bindings::ethtool_usrip6_spec) -> Ip6Match {
    Ip6Match {
        src: masked(ip6(&h.ip6src), ip6(&m.ip6src)),
        dst: masked(ip6(&h.ip6dst), ip6(&m.ip6dst)),
        tos: masked(h.tclass, m.tclass),
        proto: masked(h.l4_proto, m.l4_proto),
        l4_4_bytes: masked(u32::from_be(h.l4_4_bytes), u32::from_be(m.l4_4_bytes)),
        ..Default::default()
    }
}

/// Whether any byte of `ext` is set.
fn ext_used(ext: &bindings::ethtool_flow_ext) -> bool {
    ext.h_dest.iter().any(|&b| b != 0)
        || ext.vlan_etype != 0
        || ext.vlan_tci != 0
        || ext.data.iter().any(|&d| d != 0)
}

impl FlowRule {
    /// Decodes the rule of `fs`, whose action is an RSS context (of
    /// `rss_context`) if `FLOW_RSS` is set.
    pub(super) fn decode(
        fs: &bindings::ethtool_rx_flow_spec,
        rss_context: u32,
    ) -> Result<Self, RuleError> {
        // The extension fields count only if some of their mask is set.
        if fs.flow_type & (bindings::FLOW_EXT | bindings::FLOW_MAC_EXT) != 0 && ext_used(&fs.m_ext)
        {
            return Err(RuleError::ExtraFields);
        }
        let ty = fs.flow_type & !flow_type::FLAGS;
        let (h, m) = (&fs.h_u, &fs.m_u);
        let matches = match ty {
            flow_type::TCP_V4 | flow_type::UDP_V4 | flow_type::SCTP_V4 => {
                // SAFETY: Every member of `ethtool_flow_union` is plain
                // integers, so any bytes are a valid value of any member;
                // the flow type says which one the user meant.
                let (h, m) = unsafe { (&h.tcp_ip4_spec, &m.tcp_ip4_spec) };
                FlowMatch::Ip4(ty, tcpip4(h, m))
            }
            flow_type::IPV4_USER => {
                // SAFETY: As for TCP_V4.
                let (h, m) = unsafe { (&h.usr_ip4_spec, &m.usr_ip4_spec) };
                FlowMatch::Ip4(ty, usrip4(h, m))
            }
            flow_type::TCP_V6 | flow_type::UDP_V6 | flow_type::SCTP_V6 => {
                // SAFETY: As for TCP_V4.
                let (h, m) = unsafe { (&h.tcp_ip6_spec, &m.tcp_ip6_spec) };
                FlowMatch::Ip6(ty, tcpip6(h, m))
            }
            flow_type::IPV6_USER => {
                // SAFETY: As for TCP_V4.
                let (h, m) = unsafe { (&h.usr_ip6_spec, &m.usr_ip6_spec) };
                FlowMatch::Ip6(ty, usrip6(h, m))
            }
            other => FlowMatch::Other(other),
        };
        let action = match fs.ring_cookie {
            RX_CLS_FLOW_DISC => RuleAction::Drop,
            RX_CLS_FLOW_WAKE => return Err(RuleError::Action),
            c if c & bindings::ETHTOOL_RX_FLOW_SPEC_RING_VF != 0 => return Err(RuleError::Action),
            // CAST: the VF bits are clear, the queue is the low 32 bits.
            c if fs.flow_type & bindings::FLOW_RSS != 0 => RuleAction::Rss {
                context: rss_context,
                offset: c as u32,
            },
            // CAST: as above.
            c => RuleAction::Queue(c as u32),
        };
        Ok(Self {
            matches,
            action,
            location: fs.location,
        })
    }

    /// Writes the rule into `fs` (zeroed), as
    /// [`decode`](Self::decode) would read it back, and returns its RSS
    /// context, if its action is one.
    pub(super) fn encode(&self, fs: &mut bindings::ethtool_rx_flow_spec) -> Option<u32> {
        let mut ty = match self.matches {
            FlowMatch::Ip4(ty, _) | FlowMatch::Ip6(ty, _) | FlowMatch::Other(ty) => ty,
        };
        let (h, m) = (&mut fs.h_u, &mut fs.m_u);
        match &self.matches {
            FlowMatch::Ip4(flow_type::IPV4_USER, x) => {
                let spec = |pick: fn(&Masked<[u8; 4]>) -> [u8; 4], tos, proto, l4: u32, ver| {
                    bindings::ethtool_usrip4_spec {
                        ip4src: u32::from_ne_bytes(pick(&x.src)),
                        ip4dst: u32::from_ne_bytes(pick(&x.dst)),
                        l4_4_bytes: l4.to_be(),
                        tos,
                        ip_ver: ver,
                        proto,
                    }
                };
                h.usr_ip4_spec = spec(
                    |f| f.value,
                    x.tos.value,
                    x.proto.value,
                    x.l4_4_bytes.value,
                    u32_into_u8::<{ bindings::ETH_RX_NFC_IP4 }>(),
                );
                m.usr_ip4_spec = spec(|f| f.mask, x.tos.mask, x.proto.mask, x.l4_4_bytes.mask, 0);
            }
            FlowMatch::Ip4(_, x) => {
                let spec = |pick: fn(&Masked<[u8; 4]>) -> [u8; 4], tos, sport: u16, dport: u16| {
                    bindings::ethtool_tcpip4_spec {
                        ip4src: u32::from_ne_bytes(pick(&x.src)),
                        ip4dst: u32::from_ne_bytes(pick(&x.dst)),
                        psrc: sport.to_be(),
                        pdst: dport.to_be(),
                        tos,
                    }
                };
                h.tcp_ip4_spec = spec(|f| f.value, x.tos.value, x.sport.value, x.dport.value);
                m.tcp_ip4_spec = spec(|f| f.mask, x.tos.mask, x.sport.mask, x.dport.mask);
            }
            FlowMatch::Ip6(flow_type::IPV6_USER, x) => {
                let spec = |pick: fn(&Masked<[u8; 16]>) -> [u8; 16], tclass, proto, l4: u32| {
                    bindings::ethtool_usrip6_spec {
                        ip6src: ip6_words(&pick(&x.src)),
                        ip6dst: ip6_words(&pick(&x.dst)),
                        l4_4_bytes: l4.to_be(),
                        tclass,
                        l4_proto: proto,
                    }
                };
                h.usr_ip6_spec = spec(|f| f.value, x.tos.value, x.proto.value, x.l4_4_bytes.value);
                m.usr_ip6_spec = spec(|f| f.mask, x.tos.mask, x.proto.mask, x.l4_4_bytes.mask);
            }
            FlowMatch::Ip6(_, x) => {
                let spec =
                    |pick: fn(&Masked<[u8; 16]>) -> [u8; 16], tclass, sport: u16, dport: u16| {
                        bindings::ethtool_tcpip6_spec {
                            ip6src: ip6_words(&pick(&x.src)),
                            ip6dst: ip6_words(&pick(&x.dst)),
                            psrc: sport.to_be(),
                            pdst: dport.to_be(),
                            tclass,
                        }
                    };
                h.tcp_ip6_spec = spec(|f| f.value, x.tos.value, x.sport.value, x.dport.value);
                m.tcp_ip6_spec = spec(|f| f.mask, x.tos.mask, x.sport.mask, x.dport.mask);
            }
            FlowMatch::Other(_) => {}
        }
        let context = match self.action {
            RuleAction::Queue(q) => {
                fs.ring_cookie = u64::from(q);
                None
            }
            RuleAction::Drop => {
                fs.ring_cookie = RX_CLS_FLOW_DISC;
                None
            }
            RuleAction::Rss { context, offset } => {
                ty |= bindings::FLOW_RSS;
                fs.ring_cookie = u64::from(offset);
                Some(context)
            }
        };
        fs.flow_type = ty;
        fs.location = self.location;
        context
    }
}
