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
//! The authority for every value is the upstream C driver
//! (`drivers/net/ethernet/meta/fbnic/fbnic_*.[ch]`).

pub mod field;

/// BAR0/BAR4 register indices and fields (`fbnic_csr.h`).
pub mod csr;

/// TX/RX work and completion descriptors and mailbox descriptors.
pub mod desc;

/// The firmware mailbox's TLV message codec and message definitions.
pub mod tlv;

/// The Toeplitz RSS hash and the RSS key register layout.
pub mod toeplitz;
