// SPDX-License-Identifier: GPL-2.0

//! Host build of the driver's hardware-contract module.
//!
//! The files live with the kernel driver, in
//! `drivers/net/ethernet/meta/fbnic/hw/`, and are compiled twice: into the
//! kernel module as `mod hw`, and here, so that the emulator uses the very
//! same register offsets, descriptor layouts and TLV codec, and `cargo test`
//! can test that pure logic on the host.

#![no_std]

#[cfg(test)]
extern crate std;

#[path = "../../../drivers/net/ethernet/meta/fbnic/hw/mod.rs"]
mod hw;

pub use hw::*;
