// SPDX-License-Identifier: GPL-2.0

//! Flow rules (`ethtool -N DEV flow-type ...`): frames of one flow to one
//! queue, to RSS, or dropped.
//!
//! A rule is an entry of the classifier's action TCAM ahead of the RSS
//! rules ([`crate::rpc`]), at entries 2..=49 for locations 0..=47 as the C
//! driver places them (a lower entry wins). It matches TCP, UDP or any IP
//! over IPv4 or IPv6, by source and destination address and port, each
//! with a mask. Addresses are not in the action TCAM itself: each side has
//! an IP TCAM of eight address/mask entries, and a rule matches the index
//! of the entry a frame's address hit. Rules with the same address share
//! the entry; addresses that could both match one frame (different but
//! overlapping prefixes) cannot coexist, as a frame would only ever hit
//! the first of them.

#![forbid(unsafe_code)]

mod class;
mod ip_tcam;
mod placement;

use kernel::prelude::*;

use self::{
    class::{
        rule_class,
        RuleL4, //
    },
    ip_tcam::{
        IpAddr,
        IpTcam,
        IP_ENTRIES, //
    },
    placement::{
        place,
        PlaceError,
        Wanted, //
    },
};
use crate::{
    hw::{
        csr::{
            rpc,
            rpc_ram, //
        },
        reg::{
            Bar0,
            Io32,
            Loc,
            RegisterIo, //
        },
    },
    kernel_ext::net::ethtool::{
        flow_type,
        nfc::location,
        FlowMatch,
        FlowRule,
        IpMatch,
        Masked,
        RuleAction,
        RuleCount, //
    },
    regs::Regs,
    rpc::{
        rss_enable_bits,
        FlowClass,
        Rss, //
    }, //
};

/// Locations of flow rules.
pub(crate) const RULES: u32 = 48;
/// The action TCAM entry of location 0.
const FIRST_ENTRY: u32 = rpc_ram::ACT_TBL_NFC_OFFSET;

/// Where word `m` of entry `n` of one of the IP TCAMs is.
type IpTcamReg = fn(rpc_ram::IpIdx, rpc_ram::IpWordIdx) -> Loc<Bar0>;
/// The inner source address TCAM.
const IP_SRC: IpTcamReg = |n, m| rpc_ram::TCAM_IPSRC::at(n, m).loc();
/// The inner destination address TCAM.
const IP_DST: IpTcamReg = |n, m| rpc_ram::TCAM_IPDST::at(n, m).loc();

/// Writing the IP TCAMs; their bookkeeping is [`IpTcam`]'s own.
impl IpTcam {
    /// Writes entry `i` (invalidated if free) to the TCAM whose registers
    /// `reg` gives.
    fn write_entry(&self, regs: &Regs, reg: IpTcamReg, i: usize) {
        // CAST: `i` indexes the eight entries.
        let Some(entry) = rpc_ram::IpIdx::new(i as u32) else {
            return;
        };
        let last = rpc_ram::IpWordIdx::new_const::<{ rpc_ram::TCAM_IP_ADDR_WORD_LEN }>();
        // Invalidate first: the words below change one at a time.
        regs.write32(reg(entry, last), 0);
        let Some(a) = self.get(i) else {
            return;
        };
        let dont_care = a.care.map(|b| !b);
        let words = rpc_ram::IpWordIdx::all().zip(rpc_ram::ip_words(a.value, dont_care));
        for (word, tcam) in words {
            regs.write32(reg(entry, word), tcam);
        }
        regs.wrfl();
        regs.write32(reg(entry, last), rpc_ram::ip_validate_word(a.v6));
    }

    /// Writes every entry.
    fn write(&self, regs: &Regs, reg: IpTcamReg) {
        for i in 0..IP_ENTRIES {
            self.write_entry(regs, reg, i);
        }
    }
}

/// The L4 protocol a rule of flow type `ty` names, with the IP protocol
/// match `proto` of `ip4` and `ip6` rules.
fn rule_l4(ty: u32, proto: Masked<u8>) -> RuleL4 {
    match ty {
        flow_type::TCP_V4 | flow_type::TCP_V6 => RuleL4::Tcp,
        flow_type::UDP_V4 | flow_type::UDP_V6 => RuleL4::Udp,
        flow_type::IPV4_USER | flow_type::IPV6_USER => RuleL4::Ip {
            value: proto.value,
            mask: proto.mask,
        },
        _ => RuleL4::Unparsed,
    }
}

/// The location a rule asks for, from ethtool's (`RX_CLS_LOC_*` or a
/// number): "any" is the last free one, as the C driver chooses.
fn wanted_location(location: u32) -> Wanted {
    match location {
        location::ANY | location::LAST => Wanted::Last,
        location::FIRST => Wanted::First,
        l => Wanted::At(l),
    }
}

/// A rule as the device takes it.
struct Rule {
    /// As the user gave it, with its location.
    rule: FlowRule,
    class: FlowClass,
    /// IP TCAM entries of the source and destination addresses.
    src: Option<usize>,
    dst: Option<usize>,
    sport: Masked<u16>,
    dport: Masked<u16>,
}

/// A rule that cannot be installed: the error, and why, for the log.
pub(crate) struct Refused(pub(crate) Error, pub(crate) &'static str);

fn unsupported<T>(why: &'static str) -> Result<T, Refused> {
    Err(Refused(EOPNOTSUPP, why))
}

/// What a rule matches, in the device's terms.
struct Match {
    class: FlowClass,
    src: Option<IpAddr>,
    dst: Option<IpAddr>,
    sport: Masked<u16>,
    dport: Masked<u16>,
}

impl Match {
    fn of(matches: &FlowMatch) -> Result<Self, Refused> {
        match matches {
            FlowMatch::Ip4(ty, m) => Self::ip(*ty, m),
            FlowMatch::Ip6(ty, m) => Self::ip(*ty, m),
            FlowMatch::Other(_) => unsupported("fbnic steers TCP, UDP and IP flows only"),
        }
    }

    /// An IPv4 (`N` = 4) or IPv6 (16) rule of flow type `ty`.
    fn ip<const N: usize>(ty: u32, m: &IpMatch<N>) -> Result<Self, Refused> {
        if m.tos.mask != 0 || m.l4_4_bytes.mask != 0 {
            return unsupported("fbnic matches no TOS, traffic class or raw L4 bytes");
        }
        let class = rule_class(N == 16, rule_l4(ty, m.proto)).or_else(unsupported)?;
        Ok(Self {
            class,
            src: IpAddr::new(&m.src.value, &m.src.mask),
            dst: IpAddr::new(&m.dst.value, &m.dst.mask),
            sport: m.sport,
            dport: m.dport,
        })
    }
}

/// The flow rules of a port.
pub(crate) struct Rules {
    /// By location, [`RULES`] of them. On the heap: the table takes
    /// kilobytes, too much for the stack that builds a port.
    rules: KVec<Option<Rule>>,
    ip_src: IpTcam,
    ip_dst: IpTcam,
}

impl Rules {
    pub(crate) fn new() -> Result<Self> {
        let mut rules = KVec::with_capacity(RULES as usize, GFP_KERNEL)?;
        for _ in 0..RULES {
            rules.push(None, GFP_KERNEL)?;
        }
        Ok(Self {
            rules,
            ip_src: IpTcam::default(),
            ip_dst: IpTcam::default(),
        })
    }

    pub(crate) fn count(&self) -> RuleCount {
        RuleCount {
            // CAST: at most 48.
            rules: self.rules.iter().flatten().count() as u32,
            table_size: RULES,
            special_locations: true,
        }
    }

    pub(crate) fn get(&self, location: u32) -> Result<FlowRule> {
        self.rules
            .get(location as usize)
            .and_then(Option::as_ref)
            .map(|r| r.rule)
            .ok_or(ENOENT)
    }

    pub(crate) fn locations(&self, out: &mut [u32]) -> Result<u32> {
        let mut n = 0;
        for r in self.rules.iter().flatten() {
            *out.get_mut(n).ok_or(EMSGSIZE)? = r.rule.location;
            n += 1;
        }
        // CAST: at most 48.
        Ok(n as u32)
    }

    /// The location a rule asking for `wanted` gets: a free one, the last
    /// (lowest priority) for "any", as the C driver chooses.
    fn place(&self, wanted: u32) -> Result<u32, Refused> {
        place(&self.rules, wanted_location(wanted)).map_err(|e| match e {
            PlaceError::Busy => Refused(EBUSY, "a rule is there; delete it first"),
            PlaceError::NoSuchLocation => Refused(EINVAL, "no such location"),
            PlaceError::Full => Refused(ENOSPC, "the rule table is full"),
        })
    }

    /// Installs `rule` for a port with `rx_queues` queues and the RSS
    /// configuration `rss`, and returns its location; nothing changes if
    /// it fails. The device is written only if `regs` is given (the port is
    /// up); see [`Rules::write`].
    pub(crate) fn insert(
        &mut self,
        rule: &FlowRule,
        rx_queues: u32,
        rss: &Rss,
        regs: Option<&Regs>,
    ) -> Result<u32, Refused> {
        match rule.action {
            RuleAction::Queue(q) if q >= rx_queues => {
                return Err(Refused(EINVAL, "no such queue"));
            }
            RuleAction::Rss { offset, .. } if offset != 0 => {
                return Err(Refused(EINVAL, "no queue offset for RSS contexts"));
            }
            RuleAction::Rss { context: 1, .. } if rss.context1.is_none() => {
                return Err(Refused(EINVAL, "no such RSS context"));
            }
            RuleAction::Rss { context, .. } if context > 1 => {
                return Err(Refused(EINVAL, "no such RSS context"));
            }
            _ => (),
        }
        let m = Match::of(&rule.matches)?;
        let at = self.place(rule.location)?;
        let Some(slot) = self.rules.get_mut(at as usize) else {
            return Err(Refused(EINVAL, "no such location"));
        };
        let busy = |_| {
            Refused(
                EBUSY,
                "no IP TCAM entry for the address (full, or overlapping another)",
            )
        };
        let src = m
            .src
            .map(|a| self.ip_src.take(a))
            .transpose()
            .map_err(busy)?;
        let dst = match m.dst.map(|a| self.ip_dst.take(a)).transpose() {
            Ok(dst) => dst,
            Err(e) => {
                if let Some((i, _)) = src {
                    self.ip_src.put(i);
                }
                return Err(busy(e));
            }
        };
        *slot = Some(Rule {
            rule: FlowRule {
                location: at,
                ..*rule
            },
            class: m.class,
            src: src.map(|(i, _)| i),
            dst: dst.map(|(i, _)| i),
            sport: m.sport,
            dport: m.dport,
        });
        if let Some(regs) = regs {
            // The addresses first, so that the rule never points at a
            // stale one; a new entry changes no other rule's matches, as
            // addresses do not overlap.
            if let Some((i, true)) = src {
                self.ip_src.write_entry(regs, IP_SRC, i);
            }
            if let Some((i, true)) = dst {
                self.ip_dst.write_entry(regs, IP_DST, i);
            }
            self.write_rule(regs, rss, at);
        }
        Ok(at)
    }

    /// Removes the rule at `location` (`ENOENT` if there is none), from the
    /// device too if `regs` is given.
    pub(crate) fn delete(&mut self, location: u32, rss: &Rss, regs: Option<&Regs>) -> Result {
        let r = self
            .rules
            .get_mut(location as usize)
            .and_then(Option::take)
            .ok_or(ENOENT)?;
        let src_freed = r.src.filter(|&i| self.ip_src.put(i));
        let dst_freed = r.dst.filter(|&i| self.ip_dst.put(i));
        if let Some(regs) = regs {
            // The rule first, then the addresses only it used.
            self.write_rule(regs, rss, location);
            if let Some(i) = src_freed {
                self.ip_src.write_entry(regs, IP_SRC, i);
            }
            if let Some(i) = dst_freed {
                self.ip_dst.write_entry(regs, IP_DST, i);
            }
        }
        Ok(())
    }

    /// Writes every rule and both IP TCAMs to the device; free locations
    /// are invalidated.
    pub(crate) fn write(&self, regs: &Regs, rss: &Rss) {
        self.ip_src.write(regs, IP_SRC);
        self.ip_dst.write(regs, IP_DST);
        for at in 0..RULES {
            self.write_rule(regs, rss, at);
        }
    }

    /// Writes the rule at `location` to the device, or invalidates its
    /// entry if there is none. Matching frames carry the RSS hash of the
    /// rule's flow class, as `rss` sets it, and an RSS action spreads them
    /// by it.
    fn write_rule(&self, regs: &Regs, rss: &Rss, location: u32) {
        let Some(entry) = rpc_ram::ActIdx::new(FIRST_ENTRY + location) else {
            return;
        };
        let validate = rpc_ram::ActWordIdx::new_const::<{ rpc_ram::TCAM_ACT_WORD_LEN }>();
        // Invalidate first: the words below change one at a time.
        regs.write_raw(rpc_ram::TCAM_ACT::at(entry, validate), 0);
        let Some(Some(r)) = self.rules.get(location as usize) else {
            return;
        };
        let host = rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_HOST);
        let act0 = match r.rule.action {
            RuleAction::Queue(q) => host | rpc::ACT_TBL0_Q_SEL | rpc::ACT_TBL0_Q_ID.prep(q),
            RuleAction::Drop => rpc::ACT_TBL0_DROP,
            RuleAction::Rss { context: 0, .. } => host,
            RuleAction::Rss { .. } => host | rpc::ACT_TBL0_RSS_CTXT_ID,
        };
        regs.write_raw(rpc_ram::ACT_TBL0::at(entry), act0);
        regs.write_raw(
            rpc_ram::ACT_TBL1::at(entry),
            rpc::ACT_TBL1_RSS_ENA_MASK.prep(rss_enable_bits(rss.fields(r.class))),
        );
        for word in rpc_ram::ActWordIdx::all().take_while(|&w| w != validate) {
            let (value, care) = match word.get() {
                0 => {
                    let (mut value, mut care) = (0, 0);
                    if let Some(i) = r.src {
                        // CAST: below 8.
                        value |= rpc_ram::TCAM_ACT0_IPSRC_VALID
                            | rpc_ram::TCAM_ACT0_IPSRC_IDX.prep(i as u32);
                        care |=
                            rpc_ram::TCAM_ACT0_IPSRC_VALID | rpc_ram::TCAM_ACT0_IPSRC_IDX.mask();
                    }
                    if let Some(i) = r.dst {
                        // CAST: below 8.
                        value |= rpc_ram::TCAM_ACT0_IPDST_VALID
                            | rpc_ram::TCAM_ACT0_IPDST_IDX.prep(i as u32);
                        care |=
                            rpc_ram::TCAM_ACT0_IPDST_VALID | rpc_ram::TCAM_ACT0_IPDST_IDX.mask();
                    }
                    (value, care)
                }
                // A frame to one of our addresses, of the rule's class.
                1 => {
                    let flags = rpc_ram::TCAM_ACT1_L2_MACDA_VALID | r.class.tcam_flags();
                    (flags, flags | r.class.tcam_care())
                }
                rpc_ram::TCAM_ACT_L4_SRC_WORD => (r.sport.value.into(), r.sport.mask.into()),
                rpc_ram::TCAM_ACT_L4_DST_WORD => (r.dport.value.into(), r.dport.mask.into()),
                _ => (0, 0),
            };
            // CAST: the key words are 16 bits wide.
            let tcam = rpc_ram::tcam_word((value & care) as u16, !care as u16);
            regs.write_raw(rpc_ram::TCAM_ACT::at(entry, word), tcam);
        }
        regs.wrfl();
        regs.write_raw(
            rpc_ram::TCAM_ACT::at(entry, validate),
            rpc_ram::TCAM_VALIDATE,
        );
    }

    /// Invalidates every rule and address in the device (the rules stay
    /// here, for the next [`Rules::write`]).
    pub(crate) fn clear(regs: &Regs) {
        for entry in (FIRST_ENTRY..FIRST_ENTRY + RULES).filter_map(rpc_ram::ActIdx::new) {
            for word in rpc_ram::ActWordIdx::all() {
                regs.write_raw(rpc_ram::TCAM_ACT::at(entry, word), 0);
            }
        }
        IpTcam::default().write(regs, IP_SRC);
        IpTcam::default().write(regs, IP_DST);
    }
}

/// The conversions from ethtool's rule locations and flow types, run by
/// KUnit when the module loads (a kernel with KUnit).
#[kunit_tests(fbnic_rs_nfc)]
mod tests {
    use super::*;

    #[test]
    fn special_locations() {
        assert_eq!(wanted_location(location::ANY), Wanted::Last);
        assert_eq!(wanted_location(location::LAST), Wanted::Last);
        assert_eq!(wanted_location(location::FIRST), Wanted::First);
    }

    #[test]
    fn numbered_locations() {
        assert_eq!(wanted_location(0), Wanted::At(0));
        assert_eq!(wanted_location(RULES - 1), Wanted::At(RULES - 1));
        assert_eq!(wanted_location(RULES), Wanted::At(RULES));
    }

    #[test]
    fn flow_types() {
        let any = Masked { value: 0, mask: 0 };
        let tcp = Masked {
            value: 6,
            mask: 0xff,
        };
        for ty in [flow_type::TCP_V4, flow_type::TCP_V6] {
            assert_eq!(rule_l4(ty, any), RuleL4::Tcp);
        }
        for ty in [flow_type::UDP_V4, flow_type::UDP_V6] {
            assert_eq!(rule_l4(ty, any), RuleL4::Udp);
        }
        for ty in [flow_type::IPV4_USER, flow_type::IPV6_USER] {
            assert_eq!(
                rule_l4(ty, tcp),
                RuleL4::Ip {
                    value: 6,
                    mask: 0xff
                }
            );
        }
        for ty in [flow_type::SCTP_V4, flow_type::AH_ESP_V6, flow_type::ETHER] {
            assert_eq!(rule_l4(ty, any), RuleL4::Unparsed);
        }
    }

    #[test]
    fn placement_errors() {
        let rules = Rules::new().unwrap();
        assert!(matches!(rules.place(RULES), Err(Refused(e, _)) if e == EINVAL));
        assert_eq!(rules.place(location::ANY).ok(), Some(RULES - 1));
        assert_eq!(rules.place(location::FIRST).ok(), Some(0));
    }
}
