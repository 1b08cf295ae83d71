// SPDX-License-Identifier: GPL-2.0

//! Who a port is: its PCIe Device Serial Number and the MAC address the
//! driver derives from it.
//!
//! fbnic has no MAC address register. The driver reads the 64-bit serial
//! number from the DSN extended capability and takes the MAC from it the way
//! an EUI-64 embeds an EUI-48: bytes 7, 6, 5 (the OUI part) followed by bytes
//! 2, 1, 0, skipping the two `ff:fe` filler bytes in the middle. A serial that
//! yields a multicast or all-zero address leaves the driver without a netdev,
//! so the emulator refuses such serials up front.

use std::fmt;

/// Default base serial number: `02:00:5e` + `ff:fe` + `00:10:00`, which gives
/// port 0 the locally administered unicast MAC `02:00:5e:00:10:00` and port
/// `i` the address ending in `i`.
pub const DEFAULT_DSN: u64 = 0x0200_5eff_fe00_1000;

/// A 48-bit Ethernet address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// The address the fbnic driver derives from a Device Serial Number.
    pub fn from_dsn(dsn: u64) -> Self {
        MacAddr(fbnic_hw::csr::mac_from_dsn(dsn))
    }

    /// True for a unicast address that is not all zeroes: what the driver's
    /// `is_valid_ether_addr()` check accepts.
    pub fn is_valid_unicast(&self) -> bool {
        self.0[0] & 0x01 == 0 && self.0 != [0; 6]
    }

    /// True when the locally administered bit is set.
    pub fn is_local(&self) -> bool {
        self.0[0] & 0x02 != 0
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

/// The serial number of port `index` given the base serial, or `None` if it
/// would overflow 64 bits.
pub fn port_dsn(base: u64, index: usize) -> Option<u64> {
    base.checked_add(u64::try_from(index).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_takes_dsn_bytes_7_6_5_2_1_0() {
        let mac = MacAddr::from_dsn(0x1122_3344_5566_7788);
        assert_eq!(mac.0, [0x11, 0x22, 0x33, 0x66, 0x77, 0x88]);
        assert_eq!(mac.to_string(), "11:22:33:66:77:88");
    }

    #[test]
    fn default_dsn_gives_local_unicast_per_port() {
        for i in 0..4u8 {
            let mac = MacAddr::from_dsn(port_dsn(DEFAULT_DSN, i.into()).unwrap());
            assert_eq!(mac.0, [0x02, 0x00, 0x5e, 0x00, 0x10, i]);
            assert!(mac.is_valid_unicast());
            assert!(mac.is_local());
        }
    }

    #[test]
    fn multicast_and_zero_addresses_are_invalid() {
        assert!(!MacAddr::from_dsn(0x0100_00ff_fe00_0001).is_valid_unicast());
        assert!(!MacAddr::from_dsn(0x0000_00ff_fe00_0000).is_valid_unicast());
        // Bytes 4 and 3 do not take part in the address.
        assert_eq!(
            MacAddr::from_dsn(0x0000_0012_3400_0000).0,
            [0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn port_dsn_overflow_is_reported() {
        assert_eq!(port_dsn(u64::MAX, 0), Some(u64::MAX));
        assert_eq!(port_dsn(u64::MAX, 1), None);
    }
}
