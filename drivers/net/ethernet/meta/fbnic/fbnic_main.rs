// SPDX-License-Identifier: GPL-2.0

//! Meta Platforms Host Network Interface (fbnic), PCI 1d9b:0013.
//!
//! The crate root only declares the driver's modules and registers the PCI
//! driver. See `README` in this directory for how the pieces fit together.

// Public so that its whole API counts as used: `hw` is shared with the
// emulator, which uses what the driver does not.
pub mod hw;
// Out of tree, the layer is the repository's top-level rust/ directory.
// scripts/intree.sh, which turns the driver into a patch series against
// a kernel tree, rewrites this path to "kernel_ext/lib.rs" (and drops this
// comment): there the layer is the kernel_ext/ subdirectory.
#[path = "../../../../../rust/lib.rs"]
mod kernel_ext;

mod classifier;
mod devlink;
mod fw;
mod hwmon;
mod link;
mod netdev;
mod nfc;
mod pci;
mod pm;
mod regs;
mod rpc;
mod shared;
mod stats;
mod time;
mod txrx;

// `kernel::module_pci_driver!` with the adapter that also registers the
// power management, shutdown and error recovery callbacks (`pm`).
kernel::module_driver! {
    <T>, kernel_ext::pci::Adapter<T>, {
    type: kernel_ext::pci::DmaMasked<pci::FbnicDriver>,
    name: "fbnic",
    authors: ["The fbnic-rs authors"],
    description: "Meta Platforms Host Network Interface (Rust)",
    license: "GPL",
    }
}
