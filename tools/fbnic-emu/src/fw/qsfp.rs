// SPDX-License-Identifier: GPL-2.0

//! The module EEPROM behind `QSFP_READ_REQ` (`ethtool -m`): an SFF-8636
//! (QSFP28) memory map of a passive copper cable matching the port speed.
//!
//! SFF-8636 memory is 256 bytes per page as the host addresses it: bytes
//! 0-127 are the lower page (always the same), bytes 128-255 the selected
//! upper page. The module is paged (not flat), with upper pages 00h-03h, one
//! bank. Reads must stay inside one 256-byte page view and inside the
//! implemented pages; anything else is an error, as a module NAKs it.

use std::fmt;

/// Upper pages the module implements.
const PAGES: u32 = 4;
/// Bytes in the host's view of one page (lower + upper half).
const PAGE_VIEW: u32 = 256;

/// Why a module read was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QsfpError {
    /// Only bank 0 exists.
    Bank(u32),
    /// Upper page not implemented.
    Page(u32),
    /// Empty, too long or past the end of the 256-byte view.
    Range { offset: u32, length: u32 },
    /// Upper pages other than 00h are only reachable at offsets >= 128.
    LowerOfUpper { page: u32, offset: u32 },
}

impl fmt::Display for QsfpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QsfpError::Bank(b) => write!(f, "bank {b} does not exist (module has bank 0 only)"),
            QsfpError::Page(p) => write!(f, "page {p:#x} is not implemented (00h-03h)"),
            QsfpError::Range { offset, length } => {
                write!(
                    f,
                    "{length} bytes at offset {offset} leave the 256-byte page"
                )
            }
            QsfpError::LowerOfUpper { page, offset } => write!(
                f,
                "offset {offset} of page {page:#x} is lower memory; read it from page 0"
            ),
        }
    }
}

/// Module kinds the emulator can present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Module {
    /// QSFP28 100G passive copper (100GBASE-CR4 class, 4 x 25G).
    Copper100G,
    /// QSFP28 50G passive copper (used at 25G/50G port speeds).
    Copper50G,
}

impl Module {
    /// The module a port of `speed` carries.
    pub fn for_speed(speed: crate::link::LinkSpeed) -> Self {
        match speed {
            crate::link::LinkSpeed::G100 => Module::Copper100G,
            _ => Module::Copper50G,
        }
    }

    /// The module's full memory: lower page then upper pages 00h-03h,
    /// 128 bytes each.
    pub fn image(self) -> Vec<u8> {
        let mut m = vec![0u8; 128 * (1 + PAGES as usize)];
        // Lower page.
        m[0] = 0x11; // identifier: QSFP28 (SFF-8024)
        m[1] = 0x07; // revision: SFF-8636 rev 2.5+
        m[2] = 0x00; // status: paged memory, data ready
                     // Free-side monitors: 35.5 C, 3.30 V.
        m[22..24].copy_from_slice(&(35 * 256 + 128u16).to_be_bytes());
        m[26..28].copy_from_slice(&33_000u16.to_be_bytes());
        // Upper page 00h (bytes 128-255 of the view).
        let u = &mut m[128..256];
        u[0] = 0x11; // identifier again
        u[1] = 0x00; // extended identifier: power class 1
        u[2] = 0x23; // connector: no separable connector (DAC)
        u[3] = 0x00; // 10/40G compliance: see extended
        u[3] |= 0x80; // extended compliance code present
        u[11] = 0x05; // encoding: 64B/66B
        let ext = match self {
            Module::Copper100G => 0x0b, // 100GBASE-CR4
            Module::Copper50G => 0x40,  // 50GBASE-CR
        };
        u[12] = 0xff; // nominal rate: see byte 222
        u[18] = 2; // copper length: 2 m
        u[19] = 0xa0; // device technology: copper, unequalized
        u[20..36].copy_from_slice(b"FBNIC-EMU       ");
        u[37..40].copy_from_slice(&[0x00, 0x1d, 0x9b]); // vendor OUI
        let pn: &[u8; 16] = match self {
            Module::Copper100G => b"EMU-QSFP28-100G ",
            Module::Copper50G => b"EMU-QSFP28-50G  ",
        };
        u[40..56].copy_from_slice(pn);
        u[56..58].copy_from_slice(b"A0");
        u[64] = ext; // extended specification compliance (SFF-8024)
        u[68..84].copy_from_slice(b"EMU0000000000001");
        u[84..92].copy_from_slice(b"260101  ");
        // Per-lane signalling rate in 250 MBd units (byte 222): 25.78 GBd
        // NRZ lanes, 26.56 GBd PAM4 lanes.
        u[94] = match self {
            Module::Copper100G => 103,
            Module::Copper50G => 106,
        };
        u[63] = checksum(&u[0..63]); // CC_BASE over 128-190
        u[95] = checksum(&u[64..95]); // CC_EXT over 192-222
                                      // Page 03h: temperature thresholds (high alarm 75 C, low -5 C).
        let p3 = &mut m[128 * 4..128 * 5];
        p3[0..2].copy_from_slice(&(75u16 * 256).to_be_bytes());
        p3[2..4].copy_from_slice(&(-5i16 * 256).to_be_bytes());
        m
    }
}

fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |s, &b| s.wrapping_add(b))
}

/// Reads `length` bytes at `offset` of `page` in `bank`, as the firmware
/// answers `QSFP_READ_REQ`.
pub fn read(
    speed: crate::link::LinkSpeed,
    bank: u32,
    page: u32,
    offset: u32,
    length: u32,
) -> Result<Vec<u8>, QsfpError> {
    if bank != 0 {
        return Err(QsfpError::Bank(bank));
    }
    if page >= PAGES {
        return Err(QsfpError::Page(page));
    }
    let end = offset.checked_add(length);
    if length == 0 || end.is_none_or(|e| e > PAGE_VIEW) {
        return Err(QsfpError::Range { offset, length });
    }
    if page != 0 && offset < 128 {
        return Err(QsfpError::LowerOfUpper { page, offset });
    }
    let img = Module::for_speed(speed).image();
    let map = |o: u32| -> usize {
        if o < 128 {
            o as usize
        } else {
            (128 * (1 + page) + (o - 128)) as usize
        }
    };
    Ok((offset..offset + length).map(|o| img[map(o)]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::LinkSpeed;

    #[test]
    fn identifier_and_checksums() {
        for speed in [LinkSpeed::G100, LinkSpeed::G50] {
            let lower = read(speed, 0, 0, 0, 128).unwrap();
            assert_eq!(lower[0], 0x11, "QSFP28");
            let upper = read(speed, 0, 0, 128, 128).unwrap();
            assert_eq!(upper[0], 0x11);
            assert_eq!(checksum(&upper[0..63]), upper[63]);
            assert_eq!(checksum(&upper[64..95]), upper[95]);
            assert_eq!(&upper[20..29], b"FBNIC-EMU");
        }
        let p100 = read(LinkSpeed::G100, 0, 0, 128 + 64, 1).unwrap();
        let p50 = read(LinkSpeed::G25, 0, 0, 128 + 64, 1).unwrap();
        assert_eq!((p100[0], p50[0]), (0x0b, 0x40));
    }

    #[test]
    fn bounds_are_checked() {
        let s = LinkSpeed::G100;
        assert_eq!(read(s, 1, 0, 0, 1), Err(QsfpError::Bank(1)));
        assert_eq!(read(s, 0, 4, 128, 1), Err(QsfpError::Page(4)));
        assert!(matches!(read(s, 0, 0, 0, 0), Err(QsfpError::Range { .. })));
        assert!(matches!(
            read(s, 0, 0, 255, 2),
            Err(QsfpError::Range { .. })
        ));
        assert!(matches!(
            read(s, 0, 0, u32::MAX, 2),
            Err(QsfpError::Range { .. })
        ));
        assert!(matches!(
            read(s, 0, 3, 0, 1),
            Err(QsfpError::LowerOfUpper { .. })
        ));
        assert_eq!(read(s, 0, 0, 255, 1).unwrap().len(), 1);
        // Upper page 03h carries the temperature high alarm.
        assert_eq!(read(s, 0, 3, 128, 2).unwrap(), vec![75, 0]);
        // Lower memory is the same whatever page is selected.
        assert_eq!(read(s, 0, 0, 0, 64), read(s, 0, 0, 0, 64));
    }
}
