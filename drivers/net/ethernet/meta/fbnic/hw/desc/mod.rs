// SPDX-License-Identifier: GPL-2.0

//! DMA descriptor formats: TX work (TWD), TX completion (TCD), RX buffer
//! (BD), RX completion (RCD) and firmware mailbox descriptors.
//!
//! Every descriptor is one little-endian `u64` in host memory (the mailbox
//! descriptor is a pair of BAR4 dwords instead). Each format has its raw
//! fields as [`Field64`] constants, named after the C `FBNIC_*_MASK` macros,
//! plus a typed view with `encode`/`decode`:
//!
//! - `decode` is total: every 64-bit pattern decodes to *something* (2-bit
//!   type codes have a variant for each value), so a device or driver fed
//!   garbage never panics; values that are undefined rather than merely
//!   unusual surface as [`DescError`].
//! - `encode` checks that lengths and addresses fit their fields and are
//!   suitably aligned and returns [`DescError`] otherwise, rather than
//!   silently truncating a DMA address.
//!
//! Lengths in the typed views are in bytes even where the hardware counts
//! 2- or 4-byte units; the conversion (and its alignment rule) lives here.
//!
//! # Files
//!
//! This file holds what the formats share: [`DescError`], the field
//! helpers, the DONE phase and the L3/L4 type codes. `tx.rs` holds the TX
//! work and completion descriptors, `rx.rs` the RX buffer and completion
//! descriptors, `mbx.rs` the mailbox descriptor and `tests.rs` the unit
//! tests. Everything is re-exported here, so the paths are
//! `desc::TxMeta`, `desc::twd::MSS_MASK`, `desc::RxCompletion`, ...

use super::field::Field64;

/// Why a descriptor could not be encoded or decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescError {
    /// A value does not fit in its field.
    Overflow {
        /// Field name, as in the C mask macro without prefix.
        field: &'static str,
        /// The value that was rejected.
        value: u64,
    },
    /// A value is not a multiple of the unit its field counts in.
    Misaligned {
        /// Field name.
        field: &'static str,
        /// The value that was rejected.
        value: u64,
        /// Required alignment in bytes.
        align: u64,
    },
    /// The descriptor's type field says it is another kind of descriptor.
    WrongType {
        /// Type code found in the descriptor.
        found: u8,
    },
}

impl core::fmt::Display for DescError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::Overflow { field, value } => write!(f, "{field} value {value:#x} does not fit"),
            Self::Misaligned {
                field,
                value,
                align,
            } => {
                write!(f, "{field} value {value:#x} is not a multiple of {align}")
            }
            Self::WrongType { found } => write!(f, "descriptor has type {found}"),
        }
    }
}

/// Places `value` (already in field units) into `field`, or reports
/// overflow.
#[inline]
const fn put(field: Field64, name: &'static str, value: u64) -> Result<u64, DescError> {
    if field.fits(value) {
        Ok(field.prep(value))
    } else {
        Err(DescError::Overflow { field: name, value })
    }
}

/// Places a byte count into a field that counts `unit`-byte units.
#[inline]
const fn put_units(
    field: Field64,
    name: &'static str,
    bytes: u64,
    unit: u64,
) -> Result<u64, DescError> {
    // checked_* rather than `%` and `/`: no panic path for a zero unit, which
    // the kernel's objtool would otherwise flag as unreachable code.
    match (bytes.checked_rem(unit), bytes.checked_div(unit)) {
        (Some(0), Some(units)) => put(field, name, units),
        _ => Err(DescError::Misaligned {
            field: name,
            value: bytes,
            align: unit,
        }),
    }
}

/// Places an address into a field that keeps bits `hi:lo` of it in place.
const fn put_addr(field: Field64, name: &'static str, addr: u64) -> Result<u64, DescError> {
    let align = 1u64 << field.shift();
    if addr % align != 0 {
        return Err(DescError::Misaligned {
            field: name,
            value: addr,
            align,
        });
    }
    if addr & !field.mask() != 0 {
        return Err(DescError::Overflow {
            field: name,
            value: addr,
        });
    }
    Ok(addr)
}

const fn flag(raw: u64, bit: u64) -> bool {
    raw & bit != 0
}

const fn set_if(cond: bool, bit: u64) -> u64 {
    if cond {
        bit
    } else {
        0
    }
}

/// The DONE bit a completion written on ring position `head` carries.
///
/// Completion rings are zeroed before use and the device flips the DONE
/// bit it writes on every lap, so software can tell fresh entries from
/// stale ones without clearing them: DONE is 1 on even laps and 0 on odd
/// laps. `head` is a free-running position counted modulo `2 * ring_size`
/// and `ring_size` is a power of two.
pub const fn done_for_position(head: u32, ring_size: u32) -> bool {
    head & ring_size == 0
}

/// L3 header kind, as used by TX metadata and RX completions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum L3Type {
    /// Not IP, or not parsed.
    #[default]
    Other = 0,
    /// IPv4.
    Ipv4 = 1,
    /// IPv6.
    Ipv6 = 2,
    /// IPv6 tunnelled in IPv6 (outer and inner headers).
    V6InV6 = 3,
}

impl L3Type {
    /// The type for a 2-bit code (higher bits ignored).
    pub const fn from_bits(bits: u64) -> Self {
        match bits & 3 {
            0 => Self::Other,
            1 => Self::Ipv4,
            2 => Self::Ipv6,
            _ => Self::V6InV6,
        }
    }
}

/// L4 header kind, as used by TX metadata and RX completions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum L4Type {
    /// Neither TCP nor UDP.
    #[default]
    Other = 0,
    /// TCP.
    Tcp = 1,
    /// UDP.
    Udp = 2,
    /// Code 3, which the C driver never uses.
    Reserved = 3,
}

impl L4Type {
    /// The type for a 2-bit code (higher bits ignored).
    pub const fn from_bits(bits: u64) -> Self {
        match bits & 3 {
            0 => Self::Other,
            1 => Self::Tcp,
            2 => Self::Udp,
            _ => Self::Reserved,
        }
    }
}

/// Bits of a DMA address the device drives: every descriptor's address
/// field ends at bit 45 (the driver's DMA mask, `DMA_BIT_MASK(46)` of
/// `fbnic_probe()`).
pub const DMA_ADDR_BITS: u32 = 46;

const _: () = {
    let top = 1u64 << (DMA_ADDR_BITS - 1);
    assert!(twd::ADDR_MASK.mask() & top != 0 && twd::ADDR_MASK.mask() >> DMA_ADDR_BITS == 0);
    assert!(bd::DESC_ADDR_MASK.mask() & top != 0);
    assert!(bd::DESC_ADDR_MASK.mask() >> DMA_ADDR_BITS == 0);
    assert!(mbx_desc::ADDR_MASK.mask() & top != 0);
    assert!(mbx_desc::ADDR_MASK.mask() >> DMA_ADDR_BITS == 0);
};

mod mbx;
mod rx;
#[cfg(test)]
mod tests;
mod tx;

pub use mbx::*;
pub use rx::*;
pub use tx::*;
