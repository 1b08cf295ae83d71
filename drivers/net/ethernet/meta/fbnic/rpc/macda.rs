// SPDX-License-Identifier: GPL-2.0

//! What the MAC DA TCAM should hold: which destination addresses a port
//! receives (the address list sync of `__fbnic_set_rx_mode()`).
//!
//! Entry 4 is broadcast, 5..=23 multicast (filled from the top down),
//! 24..=29 extra unicast addresses (from the bottom up), 30 the
//! interface's own address and 31 a wildcard for promiscuous (every
//! address) or all-multicast (every group address) mode. When the lists do
//! not fit, the wildcard takes over: too many unicast addresses make the
//! port promiscuous, too many multicast ones all-multicast.
//!
//! Entries 0..=3 belong to a BMC sharing the port ([`Bmc`],
//! `fbnic_bmc_rpc_init()`): its unicast addresses, in the order the
//! firmware reported them. Its multicast addresses take the top multicast
//! entries, shared with the host when the host joins the same group, and
//! broadcast stays for it. While the host interface is down only the
//! BMC's entries stay ([`bmc_only`]).
//!
//! A BMC that wants every multicast frame (the firmware's
//! `BMC_ALL_MULTI`) gets the top multicast entry, 23, as an all-multicast
//! wildcard, below the host's groups so that those match first. An action
//! rule sends what hits it to the BMC alone ([`crate::rpc::bmc`]); when
//! the host wants all multicast too, that rule goes and the entry serves
//! both, in place of the wildcard in 31 (`fbnic_bmc_rpc_all_multi_config()`).
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests. Writing the entries that change is
//! [`crate::rpc`]'s.

#![forbid(unsafe_code)]

use crate::hw::{
    csr::rpc_ram,
    fw::BMC_ADDRS,
    tlv::rpc_mac_sync, //
};

/// Bytes of a MAC address (`ETH_ALEN`).
pub(crate) const ETH_ALEN: usize = 6;

/// A MAC DA TCAM entry: an address and the bits of it that do not matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MacEntry {
    /// The address.
    pub(crate) addr: [u8; ETH_ALEN],
    /// A set bit is a don't-care bit.
    pub(crate) dont_care: [u8; ETH_ALEN],
}

impl MacEntry {
    /// Exactly `addr`.
    pub(crate) const fn exact(addr: [u8; ETH_ALEN]) -> Self {
        Self {
            addr,
            dont_care: [0; ETH_ALEN],
        }
    }

    /// Every address.
    pub(crate) const PROMISC: Self = Self {
        addr: [0; ETH_ALEN],
        dont_care: [0xff; ETH_ALEN],
    };

    /// Every group (multicast or broadcast) address: only the group bit,
    /// bit 0 of the first byte, matters.
    pub(crate) const ALLMULTI: Self = Self {
        addr: [1, 0, 0, 0, 0, 0],
        dont_care: [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff],
    };
}

/// Entries of the MAC DA TCAM.
pub(crate) const MACDA_ENTRIES: usize = rpc_ram::TCAM_MACDA_NUM_ENTRIES as usize;
/// The first of the BMC's entries.
const MACDA_BMC: usize = rpc_ram::TCAM_MACDA_BMC_ADDR_IDX as usize;
/// The entry of the broadcast address.
const MACDA_BROADCAST: usize = rpc_ram::TCAM_MACDA_BROADCAST_IDX as usize;
/// The multicast entries, filled from the top down.
const MACDA_MULTICAST: core::ops::Range<usize> =
    rpc_ram::TCAM_MACDA_MULTICAST_IDX as usize..rpc_ram::TCAM_MACDA_DEFAULT_BOUNDARY as usize;
/// The extra unicast entries, filled from the bottom up.
const MACDA_UNICAST: core::ops::Range<usize> =
    rpc_ram::TCAM_MACDA_DEFAULT_BOUNDARY as usize..rpc_ram::TCAM_MACDA_HOST_ADDR_IDX as usize;
/// The BMC's all-multicast wildcard, the top multicast entry
/// (`mac_addr_boundary - 1`).
pub(crate) const MACDA_BMC_ALL_MULTI: usize = MACDA_MULTICAST.end - 1;
/// The entry of the interface's own address.
pub(crate) const MACDA_HOST: usize = rpc_ram::TCAM_MACDA_HOST_ADDR_IDX as usize;
/// The promiscuous / all-multicast wildcard.
const MACDA_WILDCARD: usize = rpc_ram::TCAM_MACDA_PROMISC_IDX as usize;

/// What each entry holds; `None` for an invalid entry.
pub(crate) type MacTable = [Option<MacEntry>; MACDA_ENTRIES];

/// The addresses of a BMC sharing the port, as the firmware reported them
/// (all-zero ones left out).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bmc {
    addrs: [[u8; ETH_ALEN]; BMC_ADDRS],
    count: usize,
    all_multi: bool,
}

impl Bmc {
    /// The BMC with `addrs` (at most [`BMC_ADDRS`] taken; all-zero ones
    /// skipped, as `fbnic_bmc_rpc_init()` does), receiving every multicast
    /// frame if `all_multi`.
    pub(crate) fn new(addrs: &[[u8; ETH_ALEN]], all_multi: bool) -> Self {
        let mut bmc = Self {
            all_multi,
            ..Self::default()
        };
        for a in addrs
            .iter()
            .take(BMC_ADDRS)
            .filter(|a| **a != [0; ETH_ALEN])
        {
            bmc.addrs[bmc.count] = *a;
            bmc.count += 1;
        }
        bmc
    }

    /// Whether it receives every multicast frame.
    pub(crate) fn all_multi(&self) -> bool {
        self.all_multi
    }

    fn addrs(&self) -> impl Iterator<Item = &[u8; ETH_ALEN]> + '_ {
        self.addrs.iter().take(self.count)
    }

    fn unicast(&self) -> impl Iterator<Item = &[u8; ETH_ALEN]> + '_ {
        self.addrs().filter(|a| !is_group(a))
    }

    fn multicast(&self) -> impl Iterator<Item = &[u8; ETH_ALEN]> + '_ {
        self.addrs().filter(|a| is_group(a))
    }

    /// The destinations the TX TCAM sends to the BMC, in MAC DA entry
    /// order as `fbnic_write_tce_tcam()` takes them: its unicast
    /// addresses, broadcast, its multicast addresses; each with whether
    /// the frame also goes to the wire (group addresses do).
    pub(crate) fn tx_tcam(&self) -> impl Iterator<Item = ([u8; ETH_ALEN], bool)> + '_ {
        self.unicast()
            .map(|a| (*a, false))
            .chain(core::iter::once(([0xff; ETH_ALEN], true)))
            .chain(self.multicast().map(|a| (*a, true)))
    }
}

/// Whether `addr` is a group (multicast or broadcast) address.
fn is_group(addr: &[u8; ETH_ALEN]) -> bool {
    addr[0] & 1 != 0
}

/// The entries of `bmc` alone: its unicast addresses in 0..=3, broadcast,
/// its all-multicast wildcard and its multicast addresses from the top of
/// the multicast range. Returns the table and the multicast entries left
/// to the host (from the top).
fn with_bmc(bmc: Option<&Bmc>) -> (MacTable, core::ops::Range<usize>) {
    let mut want = [None; MACDA_ENTRIES];
    let mut multicast = MACDA_MULTICAST;
    if let Some(bmc) = bmc {
        for (i, a) in (MACDA_BMC..).zip(bmc.unicast()) {
            want[i] = Some(MacEntry::exact(*a));
        }
        want[MACDA_BROADCAST] = Some(MacEntry::exact([0xff; ETH_ALEN]));
        if bmc.all_multi {
            if let Some(i) = multicast.next_back() {
                want[i] = Some(MacEntry::ALLMULTI);
            }
        }
        for a in bmc.multicast() {
            if let Some(i) = multicast.next_back() {
                want[i] = Some(MacEntry::exact(*a));
            }
        }
    }
    (want, multicast)
}

/// What stays in the table while the host interface is down: the BMC's
/// entries (`fbnic_clear_macda()` keeps those), nothing without a BMC.
pub(crate) fn bmc_only(bmc: Option<&Bmc>) -> MacTable {
    with_bmc(bmc).0
}

/// What the host tells the firmware about its filters when a BMC shares
/// the port (`RPC_MAC_SYNC_REQ`, `fbnic_fw_xmit_rpc_macda_sync()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HostSync {
    /// The host's unicast addresses: its own first.
    pub(crate) uc: [[u8; ETH_ALEN]; rpc_mac_sync::UC_ARRAY_SIZE],
    pub(crate) uc_len: usize,
    /// The multicast groups the host joined, in entry order.
    pub(crate) mc: [[u8; ETH_ALEN]; rpc_mac_sync::MC_ARRAY_SIZE],
    pub(crate) mc_len: usize,
    /// `RX_FLAGS_*`.
    pub(crate) flags: u32,
}

impl HostSync {
    /// No addresses, no flags.
    pub(crate) const NONE: Self = Self {
        uc: [[0; ETH_ALEN]; rpc_mac_sync::UC_ARRAY_SIZE],
        uc_len: 0,
        mc: [[0; ETH_ALEN]; rpc_mac_sync::MC_ARRAY_SIZE],
        mc_len: 0,
        flags: 0,
    };
}

/// How a port's receive filter ended up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RxMode {
    /// Every frame is received (asked for, or too many unicast addresses).
    pub(crate) promisc: bool,
    /// Every multicast frame is received (asked for, or too many groups).
    pub(crate) allmulti: bool,
}

/// A table for the host's address lists, and what it took.
pub(crate) struct Table {
    /// The entries.
    pub(crate) entries: MacTable,
    /// The mode it took, overflows included.
    pub(crate) mode: RxMode,
    /// The multicast entries the host joined (a bit per entry).
    host_mc: u32,
    /// The BMC's all-multicast rule is to send what hits its wildcard to
    /// the BMC alone (the host does not want all multicast).
    pub(crate) bmc_all_multi_rule: bool,
}

/// The table for frames to `host`, to broadcast, to the addresses in `uc`
/// and `mc`, or per `promisc` and `allmulti`, and the mode that takes,
/// which includes the overflows; with the entries of `bmc`.
pub(crate) fn table<'a>(
    host: &[u8; ETH_ALEN],
    uc: impl IntoIterator<Item = &'a [u8; ETH_ALEN]>,
    mc: impl IntoIterator<Item = &'a [u8; ETH_ALEN]>,
    promisc: bool,
    allmulti: bool,
    bmc: Option<&Bmc>,
) -> Table {
    let (mut want, mut free_mc) = with_bmc(bmc);
    want[MACDA_BROADCAST] = Some(MacEntry::exact([0xff; ETH_ALEN]));
    want[MACDA_HOST] = Some(MacEntry::exact(*host));
    let mut mode = RxMode { promisc, allmulti };
    let mut slots = MACDA_UNICAST;
    for addr in uc {
        match slots.next() {
            Some(i) => want[i] = Some(MacEntry::exact(*addr)),
            None => mode.promisc = true,
        }
    }
    let mut host_mc = 0u32;
    for addr in mc {
        // A group the BMC is in already has its entry: shared.
        let shared = MACDA_MULTICAST
            .rev()
            .find(|&i| want[i] == Some(MacEntry::exact(*addr)) && host_mc & (1 << i) == 0);
        match shared.or_else(|| free_mc.next_back()) {
            Some(i) => {
                want[i] = Some(MacEntry::exact(*addr));
                host_mc |= 1 << i;
            }
            None => mode.allmulti = true,
        }
    }
    let bmc_all_multi = bmc.is_some_and(Bmc::all_multi);
    if mode.promisc {
        mode.allmulti = true;
        want[MACDA_WILDCARD] = Some(MacEntry::PROMISC);
    } else if mode.allmulti && !bmc_all_multi {
        // With a BMC's wildcard, its entry serves the host too.
        want[MACDA_WILDCARD] = Some(MacEntry::ALLMULTI);
    }
    Table {
        entries: want,
        mode,
        host_mc,
        bmc_all_multi_rule: bmc_all_multi && !mode.allmulti,
    }
}

impl Table {
    /// What the host tells the firmware about this table: its unicast
    /// entries from the top down (own address first), the multicast
    /// groups it joined from the bottom up, broadcast, and promiscuous or
    /// all-multicast when asked for or when the arrays overflow.
    pub(crate) fn host_sync(&self) -> HostSync {
        let mut sync = HostSync {
            flags: rpc_mac_sync::RX_FLAGS_BROADCAST,
            ..HostSync::NONE
        };
        if self.mode.promisc {
            sync.flags |= rpc_mac_sync::RX_FLAGS_PROMISC;
        } else if self.mode.allmulti {
            sync.flags |= rpc_mac_sync::RX_FLAGS_ALLMULTI;
        }
        let uc = (MACDA_UNICAST.start..=MACDA_HOST).rev();
        for e in uc.filter_map(|i| self.entries[i]) {
            match sync.uc.get_mut(sync.uc_len) {
                Some(slot) => {
                    *slot = e.addr;
                    sync.uc_len += 1;
                }
                None => sync.flags |= rpc_mac_sync::RX_FLAGS_PROMISC,
            }
        }
        let mc = MACDA_MULTICAST.filter(|&i| self.host_mc & (1 << i) != 0);
        for e in mc.filter_map(|i| self.entries[i]) {
            match sync.mc.get_mut(sync.mc_len) {
                Some(slot) => {
                    *slot = e.addr;
                    sync.mc_len += 1;
                }
                None => sync.flags |= rpc_mac_sync::RX_FLAGS_ALLMULTI,
            }
        }
        sync
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: [u8; ETH_ALEN] = [2, 0, 0, 0, 0, 1];

    /// `n` distinct addresses with the first byte `first`.
    fn addrs(first: u8, n: usize) -> std::vec::Vec<[u8; ETH_ALEN]> {
        // CAST: tests use fewer than 256.
        (0..n).map(|i| [first, 0, 0, 0, 0, i as u8]).collect()
    }

    fn used(t: &MacTable) -> std::vec::Vec<usize> {
        (0..MACDA_ENTRIES).filter(|&i| t[i].is_some()).collect()
    }

    #[test]
    fn own_address_and_broadcast() {
        let t = table(&HOST, &[], &[], false, false, None);
        assert_eq!(used(&t.entries), [4, 30]);
        assert_eq!(t.entries[4], Some(MacEntry::exact([0xff; 6])));
        assert_eq!(t.entries[30], Some(MacEntry::exact(HOST)));
        assert_eq!(t.mode, RxMode::default());
    }

    #[test]
    fn unicast_from_the_bottom_multicast_from_the_top() {
        let uc = addrs(2, 2);
        let mc = addrs(1, 2);
        let Table {
            entries: t, mode, ..
        } = table(&HOST, &uc, &mc, false, false, None);
        assert_eq!(mode, RxMode::default());
        assert_eq!(used(&t), [4, 22, 23, 24, 25, 30]);
        assert_eq!(t[24], Some(MacEntry::exact(uc[0])));
        assert_eq!(t[25], Some(MacEntry::exact(uc[1])));
        assert_eq!(t[23], Some(MacEntry::exact(mc[0])));
        assert_eq!(t[22], Some(MacEntry::exact(mc[1])));
    }

    #[test]
    fn unicast_overflow_is_promiscuous() {
        let Table {
            entries: t, mode, ..
        } = table(&HOST, &addrs(2, 6), &[], false, false, None);
        assert_eq!(mode, RxMode::default());
        assert_eq!(t[31], None);
        let Table {
            entries: t, mode, ..
        } = table(&HOST, &addrs(2, 7), &[], false, false, None);
        assert_eq!(
            mode,
            RxMode {
                promisc: true,
                allmulti: true
            }
        );
        assert_eq!(t[31], Some(MacEntry::PROMISC));
        // The six that fit are still there; the BMC's entries stay free.
        assert!((24..30).all(|i| t[i].is_some()));
        assert!((0..4).all(|i| t[i].is_none()));
    }

    #[test]
    fn multicast_overflow_is_allmulti() {
        let Table {
            entries: t, mode, ..
        } = table(&HOST, &[], &addrs(1, 19), false, false, None);
        assert_eq!(mode, RxMode::default());
        assert!((5..24).all(|i| t[i].is_some()));
        let Table {
            entries: t, mode, ..
        } = table(&HOST, &[], &addrs(1, 20), false, false, None);
        assert_eq!(
            mode,
            RxMode {
                promisc: false,
                allmulti: true
            }
        );
        assert_eq!(t[31], Some(MacEntry::ALLMULTI));
        assert!((0..4).all(|i| t[i].is_none()));
    }

    #[test]
    fn modes_asked_for() {
        let Table {
            entries: t, mode, ..
        } = table(&HOST, &[], &[], false, true, None);
        assert!(!mode.promisc);
        assert_eq!(t[31], Some(MacEntry::ALLMULTI));
        // Promiscuous includes all-multicast, and wins the wildcard.
        let Table {
            entries: t, mode, ..
        } = table(&HOST, &[], &addrs(1, 30), true, false, None);
        assert!(mode.promisc && mode.allmulti);
        assert_eq!(t[31], Some(MacEntry::PROMISC));
    }

    const BMC_UC: [u8; ETH_ALEN] = [2, 0, 0x5e, 0, 0xb0, 0];
    const BMC_MC: [u8; ETH_ALEN] = [0x33, 0x33, 0, 0, 0, 1];

    #[test]
    fn bmc_entries_first_and_kept_while_down() {
        let bmc = Bmc::new(&[[0; 6], BMC_UC, BMC_MC], false);
        // Without the host: its unicast address in 0, broadcast, its group
        // at the top of the multicast range.
        let down = bmc_only(Some(&bmc));
        assert_eq!(used(&down), [0, 4, 23]);
        assert_eq!(down[0], Some(MacEntry::exact(BMC_UC)));
        assert_eq!(down[23], Some(MacEntry::exact(BMC_MC)));
        assert_eq!(bmc_only(None), [None; MACDA_ENTRIES]);
        // With the host: the same entries and the host's around them; the
        // host joining the BMC's group shares its entry.
        let mc = [BMC_MC, [1, 0, 0x5e, 0, 0, 1]];
        let t = table(&HOST, &[], &mc, false, false, Some(&bmc));
        assert_eq!(used(&t.entries), [0, 4, 22, 23, 30]);
        assert_eq!(t.entries[22], Some(MacEntry::exact(mc[1])));
        assert_eq!(table(&HOST, &[], &[], false, false, Some(&bmc)).entries, {
            let mut b = down;
            b[30] = Some(MacEntry::exact(HOST));
            b
        });
        // The TX TCAM's view: unicast to the BMC alone, groups also out.
        let tx: std::vec::Vec<_> = bmc.tx_tcam().collect();
        assert_eq!(tx, [(BMC_UC, false), ([0xff; 6], true), (BMC_MC, true)]);
    }

    #[test]
    fn bmc_group_leaves_less_room() {
        let bmc = Bmc::new(&[BMC_MC], false);
        let t = table(&HOST, &[], &addrs(1, 18), false, false, Some(&bmc));
        assert_eq!(t.mode, RxMode::default());
        let t = table(&HOST, &[], &addrs(1, 19), false, false, Some(&bmc));
        assert!(t.mode.allmulti);
    }

    #[test]
    fn host_sync_lists_the_hosts_addresses() {
        let bmc = Bmc::new(&[BMC_UC, BMC_MC], false);
        let uc = addrs(2, 2);
        let mc = [BMC_MC, [1, 0, 0x5e, 0, 0, 1]];
        let sync = table(&HOST, &uc, &mc, false, false, Some(&bmc)).host_sync();
        assert_eq!(&sync.uc[..sync.uc_len], &[HOST, uc[1], uc[0]]);
        // The shared group is the host's too; the BMC's own address is not.
        assert_eq!(&sync.mc[..sync.mc_len], &[mc[1], mc[0]]);
        assert_eq!(sync.flags, rpc_mac_sync::RX_FLAGS_BROADCAST);
        // More groups than the array holds: all-multicast.
        let sync = table(&HOST, &[], &addrs(1, 9), false, false, Some(&bmc)).host_sync();
        assert_eq!(sync.mc_len, 8);
        assert_eq!(
            sync.flags,
            rpc_mac_sync::RX_FLAGS_BROADCAST | rpc_mac_sync::RX_FLAGS_ALLMULTI
        );
        let sync = table(&HOST, &[], &[], true, false, Some(&bmc)).host_sync();
        assert_eq!(
            sync.flags,
            rpc_mac_sync::RX_FLAGS_BROADCAST | rpc_mac_sync::RX_FLAGS_PROMISC
        );
    }

    #[test]
    fn bmc_all_multicast() {
        let bmc = Bmc::new(&[BMC_UC, BMC_MC], true);
        // Down: the wildcard in 23 below the BMC's group, rule on.
        let down = bmc_only(Some(&bmc));
        assert_eq!(used(&down), [0, 4, 22, 23]);
        assert_eq!(down[MACDA_BMC_ALL_MULTI], Some(MacEntry::ALLMULTI));
        assert_eq!(down[22], Some(MacEntry::exact(BMC_MC)));
        // Up: the host's groups below the BMC's, no wildcard of the host's.
        let mc = [[1, 0, 0x5e, 0, 0, 1]];
        let t = table(&HOST, &[], &mc, false, false, Some(&bmc));
        assert_eq!(used(&t.entries), [0, 4, 21, 22, 23, 30]);
        assert_eq!(t.entries[21], Some(MacEntry::exact(mc[0])));
        assert!(t.bmc_all_multi_rule);
        // The host wants all multicast: the BMC's entry serves both, the
        // rule goes, 31 stays free; promiscuous still takes 31.
        let t = table(&HOST, &[], &[], false, true, Some(&bmc));
        assert!(t.mode.allmulti && !t.bmc_all_multi_rule);
        assert_eq!(t.entries[MACDA_BMC_ALL_MULTI], Some(MacEntry::ALLMULTI));
        assert_eq!(t.entries[31], None);
        let t = table(&HOST, &[], &[], true, false, Some(&bmc));
        assert!(!t.bmc_all_multi_rule);
        assert_eq!(t.entries[31], Some(MacEntry::PROMISC));
        // One entry less for the host's groups: 17 fit, 18 overflow.
        let t = table(&HOST, &[], &addrs(1, 17), false, false, Some(&bmc));
        assert!(!t.mode.allmulti && t.bmc_all_multi_rule);
        let t = table(&HOST, &[], &addrs(1, 18), false, false, Some(&bmc));
        assert!(t.mode.allmulti && !t.bmc_all_multi_rule);
        // Without all-multicast no rule, and a BMC-less port has none.
        let plain = Bmc::new(&[BMC_UC], false);
        assert!(!table(&HOST, &[], &[], false, false, Some(&plain)).bmc_all_multi_rule);
        assert!(!table(&HOST, &[], &[], false, false, None).bmc_all_multi_rule);
    }
}
