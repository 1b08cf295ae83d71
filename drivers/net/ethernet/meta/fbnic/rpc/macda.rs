// SPDX-License-Identifier: GPL-2.0

//! What the MAC DA TCAM should hold: which destination addresses a port
//! receives (the address list sync of `__fbnic_set_rx_mode()`).
//!
//! Entry 4 is broadcast, 5..=23 multicast (filled from the top down),
//! 24..=29 extra unicast addresses (from the bottom up), 30 the
//! interface's own address and 31 a wildcard for promiscuous (every
//! address) or all-multicast (every group address) mode; 0..=3 belong to a
//! BMC and stay unused. When the lists do not fit, the wildcard takes
//! over: too many unicast addresses make the port promiscuous, too many
//! multicast ones all-multicast.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests. Writing the entries that change is
//! [`crate::rpc`]'s.

#![forbid(unsafe_code)]

use crate::hw::csr::rpc_ram;

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
/// The entry of the broadcast address.
const MACDA_BROADCAST: usize = rpc_ram::TCAM_MACDA_BROADCAST_IDX as usize;
/// The multicast entries, filled from the top down.
const MACDA_MULTICAST: core::ops::Range<usize> =
    rpc_ram::TCAM_MACDA_MULTICAST_IDX as usize..rpc_ram::TCAM_MACDA_DEFAULT_BOUNDARY as usize;
/// The extra unicast entries, filled from the bottom up.
const MACDA_UNICAST: core::ops::Range<usize> =
    rpc_ram::TCAM_MACDA_DEFAULT_BOUNDARY as usize..rpc_ram::TCAM_MACDA_HOST_ADDR_IDX as usize;
/// The entry of the interface's own address.
pub(crate) const MACDA_HOST: usize = rpc_ram::TCAM_MACDA_HOST_ADDR_IDX as usize;
/// The promiscuous / all-multicast wildcard.
const MACDA_WILDCARD: usize = rpc_ram::TCAM_MACDA_PROMISC_IDX as usize;

/// What each entry holds; `None` for an invalid entry.
pub(crate) type MacTable = [Option<MacEntry>; MACDA_ENTRIES];

/// How a port's receive filter ended up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RxMode {
    /// Every frame is received (asked for, or too many unicast addresses).
    pub(crate) promisc: bool,
    /// Every multicast frame is received (asked for, or too many groups).
    pub(crate) allmulti: bool,
}

/// Frames to `host` and broadcast only.
pub(crate) fn base(host: &[u8; ETH_ALEN]) -> MacTable {
    let mut want = [None; MACDA_ENTRIES];
    want[MACDA_BROADCAST] = Some(MacEntry::exact([0xff; ETH_ALEN]));
    want[MACDA_HOST] = Some(MacEntry::exact(*host));
    want
}

/// The table for frames to `host`, to broadcast, to the addresses in `uc`
/// and `mc`, or per `promisc` and `allmulti`, and the mode that takes,
/// which includes the overflows.
pub(crate) fn table<'a>(
    host: &[u8; ETH_ALEN],
    uc: impl IntoIterator<Item = &'a [u8; ETH_ALEN]>,
    mc: impl IntoIterator<Item = &'a [u8; ETH_ALEN]>,
    promisc: bool,
    allmulti: bool,
) -> (MacTable, RxMode) {
    let mut want = base(host);
    let mut mode = RxMode { promisc, allmulti };
    let mut slots = MACDA_UNICAST;
    for addr in uc {
        match slots.next() {
            Some(i) => want[i] = Some(MacEntry::exact(*addr)),
            None => mode.promisc = true,
        }
    }
    let mut slots = MACDA_MULTICAST.rev();
    for addr in mc {
        match slots.next() {
            Some(i) => want[i] = Some(MacEntry::exact(*addr)),
            None => mode.allmulti = true,
        }
    }
    if mode.promisc {
        mode.allmulti = true;
        want[MACDA_WILDCARD] = Some(MacEntry::PROMISC);
    } else if mode.allmulti {
        want[MACDA_WILDCARD] = Some(MacEntry::ALLMULTI);
    }
    (want, mode)
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
        let t = base(&HOST);
        assert_eq!(used(&t), [4, 30]);
        assert_eq!(t[4], Some(MacEntry::exact([0xff; 6])));
        assert_eq!(t[30], Some(MacEntry::exact(HOST)));
        let (t2, mode) = table(&HOST, &[], &[], false, false);
        assert_eq!(t2, t);
        assert_eq!(mode, RxMode::default());
    }

    #[test]
    fn unicast_from_the_bottom_multicast_from_the_top() {
        let uc = addrs(2, 2);
        let mc = addrs(1, 2);
        let (t, mode) = table(&HOST, &uc, &mc, false, false);
        assert_eq!(mode, RxMode::default());
        assert_eq!(used(&t), [4, 22, 23, 24, 25, 30]);
        assert_eq!(t[24], Some(MacEntry::exact(uc[0])));
        assert_eq!(t[25], Some(MacEntry::exact(uc[1])));
        assert_eq!(t[23], Some(MacEntry::exact(mc[0])));
        assert_eq!(t[22], Some(MacEntry::exact(mc[1])));
    }

    #[test]
    fn unicast_overflow_is_promiscuous() {
        let (t, mode) = table(&HOST, &addrs(2, 6), &[], false, false);
        assert_eq!(mode, RxMode::default());
        assert_eq!(t[31], None);
        let (t, mode) = table(&HOST, &addrs(2, 7), &[], false, false);
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
        let (t, mode) = table(&HOST, &[], &addrs(1, 19), false, false);
        assert_eq!(mode, RxMode::default());
        assert!((5..24).all(|i| t[i].is_some()));
        let (t, mode) = table(&HOST, &[], &addrs(1, 20), false, false);
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
        let (t, mode) = table(&HOST, &[], &[], false, true);
        assert!(!mode.promisc);
        assert_eq!(t[31], Some(MacEntry::ALLMULTI));
        // Promiscuous includes all-multicast, and wins the wildcard.
        let (t, mode) = table(&HOST, &[], &addrs(1, 30), true, false);
        assert!(mode.promisc && mode.allmulti);
        assert_eq!(t[31], Some(MacEntry::PROMISC));
    }
}
