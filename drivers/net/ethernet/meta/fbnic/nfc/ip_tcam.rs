// SPDX-License-Identifier: GPL-2.0

//! The bookkeeping of the IP TCAMs that flow rules match addresses
//! through: one per side (source, destination), eight address/mask entries
//! each. Rules with the same address share an entry, counted; an address
//! that overlaps another one but is not the same (a different prefix that
//! could match the same frame) is refused, as the device would only ever
//! match the first of the two.
//!
//! `core` only, like `hw/`: the host crate `fbnic-logic` compiles this file
//! too and runs its unit tests. Writing the entries to the device is
//! [`crate::nfc`]'s.

#![forbid(unsafe_code)]

use crate::hw::csr::rpc_ram;

/// Entries of each IP TCAM.
pub(crate) const IP_ENTRIES: usize = rpc_ram::TCAM_IP_ADDR_NUM_ENTRIES as usize;

/// An address of an IP TCAM: the bits that matter and their value (16
/// bytes; IPv4 in the last 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IpAddr {
    /// The address, with the bits that do not matter cleared.
    pub(crate) value: [u8; 16],
    /// The bits that matter.
    pub(crate) care: [u8; 16],
    /// An IPv6 address (else IPv4).
    pub(crate) v6: bool,
}

impl IpAddr {
    /// An IPv4 (`N` = 4) or IPv6 (16) address `value` of which the bits
    /// set in `mask` matter; `None` if none does (no match on the
    /// address).
    pub(crate) fn new<const N: usize>(value: &[u8; N], mask: &[u8; N]) -> Option<Self> {
        const { assert!(N == 4 || N == 16) };
        let mut a = Self {
            value: [0; 16],
            care: [0; 16],
            v6: N == 16,
        };
        a.value[16 - N..].copy_from_slice(value);
        a.care[16 - N..].copy_from_slice(mask);
        a.normalized()
    }

    /// The address with the bits that do not matter cleared; `None` if no
    /// bit matters.
    fn normalized(mut self) -> Option<Self> {
        for (v, c) in self.value.iter_mut().zip(self.care) {
            *v &= c;
        }
        self.care.iter().any(|&c| c != 0).then_some(self)
    }

    /// Whether some address matches both.
    pub(crate) fn overlaps(&self, other: &Self) -> bool {
        self.v6 == other.v6
            && (0..16).all(|i| (self.value[i] ^ other.value[i]) & self.care[i] & other.care[i] == 0)
    }
}

/// Why an address gets no IP TCAM entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TakeError {
    /// Every entry holds another address.
    Full,
    /// An entry holds an address that overlaps this one.
    Overlap,
}

/// One side's IP TCAM: its addresses and how many rules use each.
#[derive(Default)]
pub(crate) struct IpTcam {
    entries: [Option<(IpAddr, u32)>; IP_ENTRIES],
}

impl IpTcam {
    /// The entry for `addr`, shared if it is there, new otherwise (then
    /// `true`, for the caller to write).
    pub(crate) fn take(&mut self, addr: IpAddr) -> Result<(usize, bool), TakeError> {
        for (i, e) in self.entries.iter_mut().enumerate() {
            match e {
                Some((a, users)) if *a == addr => {
                    *users = users.checked_add(1).ok_or(TakeError::Full)?;
                    return Ok((i, false));
                }
                Some((a, _)) if a.overlaps(&addr) => return Err(TakeError::Overlap),
                _ => (),
            }
        }
        let (i, free) = self
            .entries
            .iter_mut()
            .enumerate()
            .find(|(_, e)| e.is_none())
            .ok_or(TakeError::Full)?;
        *free = Some((addr, 1));
        Ok((i, true))
    }

    /// Gives back a use of entry `i`; `true` if that was the last (the
    /// entry is free, for the caller to clear). A free or unknown entry
    /// stays as it is (`false`).
    pub(crate) fn put(&mut self, i: usize) -> bool {
        let Some(e) = self.entries.get_mut(i) else {
            return false;
        };
        if let Some((_, users)) = e {
            *users = users.saturating_sub(1);
            if *users == 0 {
                *e = None;
                return true;
            }
        }
        false
    }

    /// The address of entry `i`, `None` if it is free.
    pub(crate) fn get(&self, i: usize) -> Option<&IpAddr> {
        self.entries.get(i)?.as_ref().map(|(a, _)| a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(a: [u8; 4], prefix: u32) -> IpAddr {
        let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0).to_be_bytes();
        IpAddr::new(&a, &mask).unwrap()
    }

    #[test]
    fn address_is_normalized() {
        let a = IpAddr::new(&[10, 1, 2, 3], &[255, 255, 0, 0]).unwrap();
        assert_eq!(a.value[12..], [10, 1, 0, 0]);
        assert_eq!(a.care[..12], [0; 12]);
        assert!(!a.v6);
        // The same prefix however the host bits are given.
        assert_eq!(a, v4([10, 1, 9, 9], 16));
        // No bit that matters: no address match at all.
        assert_eq!(IpAddr::new(&[10, 1, 2, 3], &[0; 4]), None);
        let b = IpAddr::new(&[0x20; 16], &[0xff; 16]).unwrap();
        assert!(b.v6);
    }

    #[test]
    fn overlapping_prefixes() {
        assert!(v4([10, 0, 0, 0], 8).overlaps(&v4([10, 1, 0, 0], 16)));
        assert!(!v4([10, 0, 0, 0], 8).overlaps(&v4([11, 1, 0, 0], 16)));
        // IPv4 and IPv6 never overlap, even with the same bytes.
        let v6 = IpAddr::new(&[0; 16], &[0xff; 16]).unwrap();
        let v4 = IpAddr::new(&[0; 4], &[0xff; 4]).unwrap();
        assert!(!v6.overlaps(&v4));
    }

    #[test]
    fn same_address_shares_an_entry() {
        let mut t = IpTcam::default();
        let a = v4([10, 0, 0, 1], 32);
        assert_eq!(t.take(a), Ok((0, true)));
        assert_eq!(t.take(a), Ok((0, false)));
        assert_eq!(t.get(0), Some(&a));
        // Freed after the last user only.
        assert!(!t.put(0));
        assert_eq!(t.get(0), Some(&a));
        assert!(t.put(0));
        assert_eq!(t.get(0), None);
        // A free or unknown entry stays as it is.
        assert!(!t.put(0));
        assert!(!t.put(IP_ENTRIES));
        assert!(!t.put(usize::MAX));
    }

    #[test]
    fn overlapping_address_refused() {
        let mut t = IpTcam::default();
        t.take(v4([10, 0, 0, 0], 8)).unwrap();
        assert_eq!(t.take(v4([10, 0, 0, 1], 32)), Err(TakeError::Overlap));
        assert_eq!(t.take(v4([11, 0, 0, 1], 32)), Ok((1, true)));
    }

    #[test]
    fn full() {
        let mut t = IpTcam::default();
        for i in 0..IP_ENTRIES {
            // CAST: eight entries.
            assert_eq!(t.take(v4([10, 0, 0, i as u8], 32)), Ok((i, true)));
        }
        assert_eq!(t.take(v4([10, 0, 1, 0], 32)), Err(TakeError::Full));
        // An address already there is still shared.
        assert_eq!(t.take(v4([10, 0, 0, 3], 32)), Ok((3, false)));
        // A freed entry is taken again, lowest first.
        assert!(t.put(5));
        assert_eq!(t.take(v4([10, 0, 1, 0], 32)), Ok((5, true)));
    }
}
