// SPDX-License-Identifier: GPL-2.0

//! The fbnic hardware contract: register map, descriptor formats, the
//! firmware mailbox's TLV codec and the RSS hash.
//!
//! Pure `core` code with no dependency on the `kernel` crate, no allocation,
//! no `unsafe` and no floating point, so that the very same files compile
//! into the kernel module (as `mod hw`) and into the host crate `fbnic-hw`
//! that the emulator and the unit tests use (see `tools/fbnic-hw`). Nothing
//! here touches hardware: it only knows where things are and how they are
//! encoded. Every function is total; malformed input yields an error value,
//! never a panic.
//!
//! - [`field`]: the `GENMASK`/`FIELD_PREP` idea as `Field32`/`Field64`.
//! - [`csr`]: BAR0 register indices and fields, block by block, and the
//!   BAR4 mailbox window (`fbnic_csr.h`).
//! - [`csum`]: ones'-complement arithmetic on packet headers.
//! - [`desc`]: TX/RX work and completion descriptors and mailbox
//!   descriptors, with typed encode/decode.
//! - [`tlv`]: the firmware mailbox's TLV message codec and the IDs and
//!   schemas of every message (`fbnic_tlv.[ch]`, `fbnic_fw.[ch]`).
//! - [`fw`]: what the host makes of firmware messages: capabilities,
//!   link configuration, mailbox ring indices.
//! - [`toeplitz`]: the RSS hash and the `RSS_KEY` register layout.
//!
//! The authority for every value is the upstream C driver
//! (`drivers/net/ethernet/meta/fbnic/fbnic_*.[ch]`).

#![forbid(unsafe_code)]

pub mod csr;
pub mod csum;
pub mod desc;
pub mod field;
pub mod flash;
pub mod fw;
pub mod reg;
pub mod tlv;
pub mod toeplitz;
