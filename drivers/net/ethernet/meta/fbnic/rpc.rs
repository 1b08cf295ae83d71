// SPDX-License-Identifier: GPL-2.0

//! The RX parser/classifier (RPC): which frames the host receives, and on
//! which queue.
//!
//! The layout is the C driver's without a BMC (`fbnic_rpc.c`):
//!
//! * The MAC DA TCAM says which destination addresses are ours
//!   ([`MacFilter`]): entry 4 broadcast, 5..=23 multicast, 24..=29 extra
//!   unicast addresses, 30 the interface's own address, 31 a wildcard for
//!   promiscuous (every address) or all-multicast (every group address)
//!   mode. Entries 0..=3 belong to a BMC and stay unused. When the lists do
//!   not fit, the wildcard takes over: too many unicast addresses make the
//!   port promiscuous, too many multicast ones all-multicast.
//! * The action TCAM's last seven entries (57..=63, one per
//!   [`FlowClass`]: UDP6, UDP4, TCP6, TCP4, IP6, IP4, other) match frames
//!   whose destination was found in the MAC DA TCAM and spread them over
//!   all queues by receive-side scaling: a Toeplitz hash through
//!   indirection table 0, over the header fields `ethtool -N ...
//!   rx-flow-hash` chose for the class (or drop them, if it chose
//!   `discard`).
//! * Everything else takes the default action, which drops it: frames to
//!   addresses that are not ours never reach a queue.
//!
//! With a BMC sharing the port its addresses take MAC DA entries 0..=3
//! (and broadcast, and the top multicast entries for its groups), and the
//! action TCAM gets the C driver's rules for it ([`bmc`]): its unicast rule
//! in entry 0, and the RSS rules twice, 50..=56 for the host's unicast
//! entries, 57..=63 for the rest to host and BMC. They stay while the
//! interface is down, and the firmware hears the host's addresses
//! ([`HostSync`]).

#![forbid(unsafe_code)]

use crate::hw::reg::RegisterIo;

pub(crate) mod bmc;
mod flow_class;
pub(crate) mod indir;
mod macda;

pub(crate) use self::flow_class::FlowClass;
use self::indir::Indir;
pub(crate) use self::macda::{
    Bmc,
    HostSync, //
};
use self::macda::{
    MacEntry,
    MacTable,
    RxMode,
    ETH_ALEN,
    MACDA_ENTRIES,
    MACDA_HOST, //
};
use crate::{
    hw::{
        csr::{
            rpc,
            rpc_ram, //
        },
        toeplitz, //
    },
    kernel_ext::net::{
        ethtool::{
            flow_type,
            rxh, //
        },
        AddrList,
    },
    regs::Regs, //
};
use kernel::prelude::*;

// The MAC address length of the core-only module is the kernel's.
const _: () = assert!(ETH_ALEN == crate::kernel_ext::net::ETH_ALEN);

/// Entries of an indirection table.
pub(crate) const INDIR_ENTRIES: u32 = indir::ENTRIES as u32;
/// RSS contexts, the default one included: one indirection table each.
pub(crate) const RSS_CONTEXTS: u32 = rpc_ram::RSS_TBL_COUNT;

/// Hash fields any class can use: the destination MAC, or none (drop).
const FIELDS_L2: u32 = rxh::L2DA | rxh::DISCARD;
/// Hash fields of an IPv4 class without ports.
const FIELDS_L3: u32 = FIELDS_L2 | rxh::IP_SRC | rxh::IP_DST;
/// Hash fields of a class with ports.
const FIELDS_L4: u32 = FIELDS_L3 | rxh::L4_B_0_1 | rxh::L4_B_2_3;

/// ethtool's view of the flow classes: flow types and hash fields.
impl FlowClass {
    /// The class an ethtool flow type names (`ethtool -N ... rx-flow-hash
    /// TYPE`). IP protocols the parser does not know (SCTP, AH, ESP) are
    /// in the plain IP classes.
    pub(crate) fn of_flow_type(ty: u32) -> Option<Self> {
        use flow_type::*;
        Some(match ty & !FLAGS {
            TCP_V4 => Self::Tcp4,
            UDP_V4 => Self::Udp4,
            TCP_V6 => Self::Tcp6,
            UDP_V6 => Self::Udp6,
            IPV4 | IPV4_USER | SCTP_V4 | AH_ESP_V4 | AH_V4 | ESP_V4 => Self::Ip4,
            IPV6 | IPV6_USER | SCTP_V6 | AH_ESP_V6 | AH_V6 | ESP_V6 => Self::Ip6,
            ETHER => Self::Other,
            _ => return None,
        })
    }

    /// The hash fields (`RXH_*`) the device can take for the class.
    pub(crate) fn supported_fields(self) -> u32 {
        match self {
            Self::Udp6 | Self::Tcp6 => FIELDS_L4 | rxh::IP6_FL,
            Self::Udp4 | Self::Tcp4 => FIELDS_L4,
            Self::Ip6 => FIELDS_L3 | rxh::IP6_FL,
            Self::Ip4 => FIELDS_L3,
            Self::Other => FIELDS_L2,
        }
    }

    /// The hash input out of reset: addresses and, where there are any,
    /// ports; the destination MAC for the rest. (The C driver leaves the
    /// ports of UDP out; the kernel's toeplitz selftest expects them in.)
    const fn default_fields(self) -> u32 {
        match self {
            Self::Udp6 | Self::Udp4 | Self::Tcp6 | Self::Tcp4 => {
                rxh::IP_SRC | rxh::IP_DST | rxh::L4_B_0_1 | rxh::L4_B_2_3
            }
            Self::Ip6 | Self::Ip4 => rxh::IP_SRC | rxh::IP_DST,
            Self::Other => rxh::L2DA,
        }
    }
}

/// The action table's hash input bits (`ACT_TBL1_RSS_ENA_*`) for ethtool's
/// `fields`; the flow label counts for outer and inner IPv6 headers both.
pub(crate) fn rss_enable_bits(fields: u32) -> u32 {
    [
        (rxh::L2DA, rpc::ACT_TBL1_RSS_ENA_L2_DA),
        (rxh::IP_SRC, rpc::ACT_TBL1_RSS_ENA_IP_SRC),
        (rxh::IP_DST, rpc::ACT_TBL1_RSS_ENA_IP_DST),
        (rxh::L4_B_0_1, rpc::ACT_TBL1_RSS_ENA_L4_SRC),
        (rxh::L4_B_2_3, rpc::ACT_TBL1_RSS_ENA_L4_DST),
        (
            rxh::IP6_FL,
            rpc::ACT_TBL1_RSS_ENA_OV6_FL_LBL | rpc::ACT_TBL1_RSS_ENA_IV6_FL_LBL,
        ),
    ]
    .iter()
    .filter(|(field, _)| fields & field != 0)
    .fold(0, |bits, (_, ena)| bits | ena)
}

/// The RSS configuration of a port.
pub(crate) struct Rss {
    /// The hash key.
    pub(crate) key: [u8; toeplitz::KEY_LEN],
    /// Indirection table: entry `i` names the queue of hashes whose low
    /// byte is `i`.
    pub(crate) table: Indir,
    /// The hash input of each flow class (`RXH_*` bits), by
    /// [`FlowClass`] order.
    fields: [u32; FlowClass::ALL.len()],
    /// The indirection table of RSS context 1 (table 1), if the user
    /// created it; it shares the key and hash input of context 0.
    pub(crate) context1: Option<Indir>,
    /// A BMC shares the port: the rules are the C driver's for it.
    pub(crate) bmc: bool,
}

impl Rss {
    /// The default configuration for `queues` queues (at least one): the
    /// system's RSS key, the table spread round-robin over all queues
    /// (`ethtool_rxfh_indir_default()`), each class's default hash input.
    pub(crate) fn new(queues: u32) -> Self {
        let mut key = [0; toeplitz::KEY_LEN];
        crate::kernel_ext::net::rss_key_fill(&mut key);
        let mut rss = Self {
            key,
            table: [0; INDIR_ENTRIES as usize],
            fields: FlowClass::ALL.map(FlowClass::default_fields),
            context1: None,
            bmc: false,
        };
        rss.spread(queues);
        rss
    }

    /// Spreads the indirection table round-robin over `queues` queues (at
    /// least one), keeping the key (`fbnic_reset_indir_tbl()`).
    pub(crate) fn spread(&mut self, queues: u32) {
        self.table = indir::spread(queues);
    }

    /// The hash input of `class` (`RXH_*` bits).
    pub(crate) fn fields(&self, class: FlowClass) -> u32 {
        self.fields[class as usize]
    }

    /// Sets the hash input of `class`; `EINVAL`, and no change, for fields
    /// the device cannot hash for it.
    pub(crate) fn set_fields(&mut self, class: FlowClass, fields: u32) -> Result {
        if fields & !class.supported_fields() != 0 {
            return Err(EINVAL);
        }
        self.fields[class as usize] = fields;
        Ok(())
    }
}

/// Writes the RSS key and indirection table to the device.
pub(crate) fn write_rss(regs: &Regs, rss: &Rss) {
    for (n, word) in rpc::RssKeyIdx::all().zip(toeplitz::key_to_regs(&rss.key).iter()) {
        regs.write_raw(rpc::RSS_KEY::at(n), *word);
    }
    let write_table = |t, table: &[u8]| {
        for (e, queue) in rpc_ram::RssEntryIdx::all().zip(table.iter()) {
            regs.write_raw(rpc_ram::RSS_TBL::at(t, e), u32::from(*queue));
        }
    };
    write_table(rpc_ram::RssTblIdx::new_const::<0>(), &rss.table[..]);
    if let Some(table) = &rss.context1 {
        write_table(rpc_ram::RssTblIdx::new_const::<1>(), &table[..]);
    }
}

/// Writes the RSS rules into the action TCAM and table
/// (`fbnic_rss_reinit()`, `fbnic_write_rules()`); frames of the classes in
/// `ts_classes` (bit `class as usize`) get a receive time stamp. With a
/// BMC, also its unicast rule, and each class twice (see [`bmc`]).
pub(crate) fn write_rss_rules(regs: &Regs, rss: &Rss, ts_classes: u32) {
    if rss.bmc {
        bmc::write_unicast_rule(regs);
    }
    for (i, class) in FlowClass::ALL.into_iter().enumerate() {
        let fields = rss.fields(class);
        // A class whose frames are discarded goes nowhere.
        let act0 = if fields & rxh::DISCARD != 0 {
            rpc::ACT_TBL0_DROP
        } else if ts_classes & 1 << class as usize != 0 {
            rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_HOST) | rpc::ACT_TBL0_TS_ENA
        } else {
            rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_HOST)
        };
        let act1 = rpc::ACT_TBL1_RSS_ENA_MASK.prep(rss_enable_bits(fields));
        // CAST: seven rules.
        let entry = rpc_ram::RSS_RULES_FIRST + i as u32;
        let word1 = class.rss_rule().tcam_word1();
        if rss.bmc {
            let unicast = bmc::unicast_word1(class.tcam_flags());
            bmc::write_rule(regs, entry - RSS_CLASSES, unicast, act0, act1);
            bmc::write_rule(regs, entry, word1, bmc::with_bmc(act0), act1);
        } else {
            bmc::write_rule(regs, entry, word1, act0, act1);
        }
    }
}

/// The flow classes, one RSS rule each.
// CAST: seven classes.
const RSS_CLASSES: u32 = FlowClass::ALL.len() as u32;

/// Invalidates the RSS rules. With a BMC (`keep_bmc`) its unicast rule
/// stays, and the last rule stays too, for the BMC alone (the BMC branch
/// of `fbnic_clear_rules()`).
pub(crate) fn clear_rss_rules(regs: &Regs, keep_bmc: bool) {
    let last = rpc_ram::TCAM_ACT_NUM_ENTRIES - 1;
    for entry in rpc_ram::RSS_RULES_FIRST - RSS_CLASSES..=last {
        if keep_bmc && entry == last {
            bmc::keep_for_bmc(regs);
        } else {
            bmc::clear_rule(regs, entry);
        }
    }
    if !keep_bmc {
        bmc::clear_rule(regs, rpc_ram::ACT_TBL_BMC_OFFSET);
    }
}

/// Lets frames reach the host: unmatched frames are dropped, matched ones
/// go where their action says (the RMI part of `fbnic_rss_reinit_hw()`).
/// The tables must be written first ([`crate::classifier::enable`]).
pub(crate) fn open_rmi(regs: &Regs) {
    regs.write_raw(rpc::ACT_TBL1_DEFAULT::AT, 0);
    regs.write_raw(rpc::ACT_TBL0_DEFAULT::AT, rpc::ACT_TBL0_DROP);
    regs.write(rpc::RMI_CONFIG::AT, rpc::RMI_CONFIG::host(true));
    regs.wrfl();
}

/// Stops delivering frames to the host (the RMI disable of
/// `fbnic_rss_disable_hw()`), before the tables are cleared.
pub(crate) fn close_rmi(regs: &Regs) {
    regs.write(rpc::RMI_CONFIG::AT, rpc::RMI_CONFIG::host(false));
    regs.write_raw(rpc::ACT_TBL0_DEFAULT::AT, rpc::ACT_TBL0_DROP);
}

/// The MAC DA TCAM: the destination addresses the port receives
/// (`fbnic_write_macda()` and the address list sync of
/// `__fbnic_set_rx_mode()`), with a BMC's entries if one shares the port.
///
/// It keeps a copy of what the device holds and writes only the entries
/// that change, with plain register writes: nothing in here sleeps. What
/// the firmware must hear of a change (with a BMC) waits in it for the
/// service task ([`MacFilter::take_sync`]).
pub(crate) struct MacFilter {
    /// What each entry of the device holds; `None` for an invalid entry.
    hw: MacTable,
    /// The BMC sharing the port, if any.
    bmc: Option<Bmc>,
    /// The host's addresses as last written, for the firmware.
    host: HostSync,
    /// The firmware has not heard of the last change yet.
    sync_due: bool,
    /// The BMC's all-multicast rule is in the action TCAM.
    all_multi_rule: bool,
}

impl MacFilter {
    /// An empty filter, as the device starts.
    pub(crate) const fn new() -> Self {
        Self {
            hw: [None; MACDA_ENTRIES],
            bmc: None,
            host: HostSync::NONE,
            sync_due: false,
            all_multi_rule: false,
        }
    }

    /// Takes the BMC the firmware reported (`None`: no BMC), at open
    /// (`fbnic_bmc_rpc_init()`); with one, programs the TX TCAM for it.
    pub(crate) fn set_bmc(&mut self, regs: &Regs, bmc: Option<Bmc>) {
        self.bmc = bmc;
        if let Some(bmc) = &self.bmc {
            bmc::write_tx_tcam(regs, bmc);
        }
    }

    /// Whether a BMC shares the port.
    pub(crate) fn has_bmc(&self) -> bool {
        self.bmc.is_some()
    }

    /// Makes the device receive frames to `host`, to broadcast, to the
    /// addresses in `uc` and `mc`, or per `promisc` and `allmulti`;
    /// returns the mode that took, which includes the overflows.
    pub(crate) fn sync(
        &mut self,
        regs: &Regs,
        host: &[u8; ETH_ALEN],
        uc: &AddrList,
        mc: &AddrList,
        promisc: bool,
        allmulti: bool,
    ) -> RxMode {
        let t = macda::table(
            host,
            uc.iter(),
            mc.iter(),
            promisc,
            allmulti,
            self.bmc.as_ref(),
        );
        self.write(regs, &t.entries);
        self.set_all_multi_rule(regs, t.bmc_all_multi_rule);
        self.note_host(t.host_sync());
        t.mode
    }

    /// Changes the interface's own address, keeping the rest.
    pub(crate) fn set_host(&mut self, regs: &Regs, host: &[u8; ETH_ALEN]) {
        let mut want = self.hw;
        want[MACDA_HOST] = Some(MacEntry::exact(*host));
        self.write(regs, &want);
        // The own address leads the unicast list.
        let mut sync = self.host;
        sync.uc[0] = *host;
        sync.uc_len = sync.uc_len.max(1);
        self.note_host(sync);
    }

    /// Receives frames to `host`, broadcast and the BMC's only, until the
    /// next [`MacFilter::sync`] brings the address lists (at open).
    ///
    /// Every entry and the BMC's rule are written, not only those that
    /// changed since the stop: a reset or sleep in between may have
    /// cleared the device's tables (`fbnic_rpc_reset_valid_entries()`).
    pub(crate) fn reset(&mut self, regs: &Regs, host: &[u8; ETH_ALEN]) {
        let t = macda::table(host, [], [], false, false, self.bmc.as_ref());
        self.write_all(regs, &t.entries);
        bmc::write_all_multi_rule(regs, t.bmc_all_multi_rule);
        self.all_multi_rule = t.bmc_all_multi_rule;
        self.note_host(t.host_sync());
    }

    /// Invalidates every entry but the BMC's (at stop).
    pub(crate) fn clear(&mut self, regs: &Regs) {
        self.write(regs, &macda::bmc_only(self.bmc.as_ref()));
        // The host wants nothing now: the BMC's group frames are its own.
        let all_multi = self.bmc.as_ref().is_some_and(Bmc::all_multi);
        self.set_all_multi_rule(regs, all_multi);
        // The host's entries went: the next open's are news again.
        self.host = HostSync::NONE;
        self.sync_due = false;
    }

    /// Puts the BMC's all-multicast rule in place (`on`) or takes it away,
    /// if that changes anything.
    fn set_all_multi_rule(&mut self, regs: &Regs, on: bool) {
        if self.all_multi_rule != on {
            bmc::write_all_multi_rule(regs, on);
            self.all_multi_rule = on;
        }
    }

    /// Notes what the host receives now; with a BMC, the firmware is to
    /// hear of a change (`need_bmc_macda_sync`).
    fn note_host(&mut self, sync: HostSync) {
        if self.bmc.is_some() && sync != self.host {
            self.sync_due = true;
        }
        self.host = sync;
    }

    /// What the firmware has yet to hear of the host's addresses
    /// (`fbnic_bmc_rpc_check()`): `Some` once per change, and only with a
    /// BMC.
    pub(crate) fn take_sync(&mut self) -> Option<HostSync> {
        if !core::mem::take(&mut self.sync_due) {
            return None;
        }
        Some(self.host)
    }

    /// Writes the entries of `want` that differ from the device's.
    fn write(&mut self, regs: &Regs, want: &MacTable) {
        self.write_entries(regs, want, false);
    }

    /// Writes every entry of `want`, whatever the device is thought to
    /// hold.
    fn write_all(&mut self, regs: &Regs, want: &MacTable) {
        self.write_entries(regs, want, true);
    }

    fn write_entries(&mut self, regs: &Regs, want: &MacTable, all: bool) {
        for (i, (have, want)) in self.hw.iter_mut().zip(want.iter()).enumerate() {
            if have == want && !all {
                continue;
            }
            // CAST: 32 entries.
            let Some(entry) = rpc_ram::MacdaIdx::new(i as u32) else {
                continue;
            };
            let validate = rpc_ram::MacdaWordIdx::new_const::<{ rpc_ram::TCAM_MACDA_WORD_LEN }>();
            match want {
                None => {
                    for word in rpc_ram::MacdaWordIdx::all() {
                        regs.write_raw(rpc_ram::TCAM_MACDA::at(entry, word), 0);
                    }
                }
                Some(e) => {
                    // Invalid while it changes, then valid.
                    regs.write_raw(rpc_ram::TCAM_MACDA::at(entry, validate), 0);
                    let words = rpc_ram::macda_words(e.addr, e.dont_care);
                    for (word, tcam) in rpc_ram::MacdaWordIdx::all().zip(words) {
                        regs.write_raw(rpc_ram::TCAM_MACDA::at(entry, word), tcam);
                    }
                    regs.wrfl();
                    regs.write_raw(
                        rpc_ram::TCAM_MACDA::at(entry, validate),
                        rpc_ram::TCAM_VALIDATE,
                    );
                }
            }
            *have = *want;
        }
        regs.wrfl();
    }
}

/// ethtool's flow types and hash fields in the classifier's terms, run by
/// KUnit when the module loads (a kernel with KUnit).
#[kunit_tests(fbnic_rs_rpc)]
mod tests {
    use super::*;

    #[test]
    fn flow_types() {
        use flow_type::*;
        let cases = [
            (TCP_V4, FlowClass::Tcp4),
            (UDP_V6, FlowClass::Udp6),
            (SCTP_V4, FlowClass::Ip4),
            (ESP_V6, FlowClass::Ip6),
            (IPV4_USER, FlowClass::Ip4),
            (ETHER, FlowClass::Other),
            // The flags ethtool may add do not change the class.
            (TCP_V6 | FLAGS, FlowClass::Tcp6),
        ];
        for (ty, class) in cases {
            assert_eq!(FlowClass::of_flow_type(ty), Some(class));
        }
        assert_eq!(FlowClass::of_flow_type(0x7f), None);
    }

    #[test]
    fn hash_fields() {
        let mut rss = Rss::new(4);
        let ports = rxh::IP_SRC | rxh::IP_DST | rxh::L4_B_0_1 | rxh::L4_B_2_3;
        assert_eq!(rss.set_fields(FlowClass::Udp4, ports), Ok(()));
        assert_eq!(rss.fields(FlowClass::Udp4), ports);
        // Ports of plain IP, the flow label of IPv4, a VLAN tag: refused,
        // and nothing changes.
        for (class, fields) in [
            (FlowClass::Ip4, ports),
            (FlowClass::Tcp4, rxh::IP6_FL),
            (FlowClass::Other, rxh::VLAN),
        ] {
            let before = rss.fields(class);
            assert_eq!(rss.set_fields(class, fields), Err(EINVAL));
            assert_eq!(rss.fields(class), before);
        }
        assert_eq!(rss.set_fields(FlowClass::Tcp6, rxh::IP6_FL), Ok(()));
        assert_eq!(rss.set_fields(FlowClass::Other, rxh::DISCARD), Ok(()));
    }

    #[test]
    fn enable_bits() {
        assert_eq!(rss_enable_bits(0), 0);
        assert_eq!(
            rss_enable_bits(rxh::IP_SRC | rxh::L4_B_2_3),
            rpc::ACT_TBL1_RSS_ENA_IP_SRC | rpc::ACT_TBL1_RSS_ENA_L4_DST
        );
        // The flow label of the outer and the inner IPv6 header both.
        assert_eq!(
            rss_enable_bits(rxh::IP6_FL),
            rpc::ACT_TBL1_RSS_ENA_OV6_FL_LBL | rpc::ACT_TBL1_RSS_ENA_IV6_FL_LBL
        );
        // Discarding is an action, not a hash input.
        assert_eq!(rss_enable_bits(rxh::DISCARD), 0);
    }

    #[test]
    fn default_spread() {
        let rss = Rss::new(3);
        assert_eq!(rss.table[..4], [0, 1, 2, 0]);
        assert!(rss.context1.is_none());
    }
}
