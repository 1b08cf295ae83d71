// SPDX-License-Identifier: GPL-2.0

//! The firmware mailbox's TLV message format: a strict zero-copy parser, a
//! builder into caller-provided buffers, and the message/attribute IDs and
//! attribute schemas of every message the C driver sends or understands.
//!
//! # Wire format
//!
//! Everything is a sequence of little-endian dwords. A message and each of
//! its attributes start with the same 32-bit header ([`Header`]):
//!
//! ```text
//!  31            16 15 14 13 12 11           0
//! +----------------+--+--+-----+--------------+
//! |     length     | M| I| rsv |   type / ID  |
//! +----------------+--+--+-----+--------------+
//! ```
//!
//! - `M` (`is_msg`) is set on the message header only. A message's length
//!   counts **dwords**, header included.
//! - An attribute's length counts **bytes**, header included; the next
//!   attribute starts at the length rounded up to 4. The attributes must
//!   fill the message exactly.
//! - `I` (`cannot_ignore`) asks the receiver to reject the message if it
//!   does not know the attribute; unknown attributes without it are skipped
//!   so that firmware can add fields without breaking old drivers.
//! - Attribute IDs are below [`RESULTS_MAX`] (the C parser's lookup table).
//! - Nested and array attributes carry attributes as their value; an array
//!   repeats a single element ID.
//!
//! # Validation
//!
//! [`Message::parse`] checks the message header and framing;
//! [`Message::attrs`] then walks the attributes and validates each known
//! one against a [`Schema`], with the rules of `fbnic_tlv_attr_validate()`:
//! strings must fit their maximum and end with their NUL, flags carry no
//! value, integers hold 1..=N bytes, binary data 1..=N, MAC addresses
//! exactly 6, nested/array values a multiple of 4 bytes; a duplicate ID is
//! an error. Any failure rejects the whole message, as in C. Malformed input
//! of any kind produces a [`TlvError`]; nothing in this module indexes out
//! of bounds or panics.
//!
//! # Files
//!
//! `parse.rs` holds the header, the schema types and the reader,
//! `build.rs` the builder, `catalogue.rs` the message IDs and schemas and
//! `tests.rs` the unit tests. Everything is re-exported here, so the paths
//! are `tlv::Message`, `tlv::msg::FW_CAP_RESP`, `tlv::cap_resp::SCHEMA`, ...

/// Bytes in a TLV header.
pub const HDR_LEN: usize = 4;

/// Attribute IDs must be below this (`FBNIC_TLV_RESULTS_MAX`).
pub const RESULTS_MAX: usize = 32;

/// Largest payload of a raw-data attribute (`TLV_MAX_DATA` on 4 KiB pages,
/// which is what the firmware assumes: a mailbox page minus room for the
/// headers around it).
// CAST: 3584 fits.
pub const RAW_DATA_MAX: u16 = (super::csr::mbx::PAGE_SIZE - 512) as u16;

/// Largest message ID (12 bits).
pub const MSG_ID_MAX: u16 = 0xfff;

/// Bytes in an Ethernet address.
pub const MAC_LEN: usize = 6;

const fn align4(n: usize) -> usize {
    // Callers pass lengths that came from a u16 or a slice; saturation is
    // only a defence, it cannot change a result that fits.
    n.saturating_add(3) & !3
}

fn read_u32(buf: &[u8], off: usize) -> Option<u32> {
    let bytes = buf.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

mod build;
mod catalogue;
mod parse;
pub mod selftest;
#[cfg(test)]
mod tests;

pub use build::*;
pub use catalogue::*;
pub use parse::*;
