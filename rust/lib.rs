// SPDX-License-Identifier: GPL-2.0

//! `kernel_ext`: safe abstractions that a network driver needs and Linux
//! 7.3's `kernel` crate does not provide yet.
//!
//! Everything here is written the way `rust/kernel` is: small types over C
//! objects with `# Invariants`, a `// SAFETY:` comment on every `unsafe`
//! block, and no driver-specific knowledge, so each piece could move into
//! the `kernel` crate (`kernel::pci`, `kernel::net`) as it is. Until then it
//! is compiled into the driver's crate as the `kernel_ext` module, because an
//! out-of-tree module build has no way to share a crate between modules.
//!
//! Drivers use this layer and the `kernel` crate and contain no `unsafe`
//! code; all raw C access lives here. The C declarations it needs beyond
//! `kernel::bindings` come from this project's own bindgen step, see
//! [`bindings`].

// The layer is a private module of the driver's crate, so that the linter
// sees what the driver does not use. Its items are `pub` as they would be
// in the `kernel` crate, where `unreachable_pub` has nothing to say.
#![allow(unreachable_pub)]

// Built as a crate of its own for its doc examples (see the driver's
// Kbuild), the layer still reaches itself as `crate::kernel_ext`.
#[cfg(kernel_ext_crate)]
use crate as kernel_ext;

pub mod bh;
pub mod bindings;
pub mod bpf;
pub mod debugfs;
pub mod dma;
pub mod firmware;
pub mod hwmon;
pub mod irq;
pub mod net;
pub mod pci;
pub mod pldmfw;
pub mod ptp;
pub mod str;
pub mod workqueue;
