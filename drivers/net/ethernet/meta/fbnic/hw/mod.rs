// SPDX-License-Identifier: GPL-2.0

//! The fbnic hardware contract: register map, descriptor formats and the
//! firmware mailbox's TLV codec.
//!
//! Pure `core` code with no dependency on the `kernel` crate, shared by the
//! driver and the emulator (see `tools/fbnic-hw`).
