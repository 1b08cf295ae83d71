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

use kernel::prelude::*;

mod classifier;
mod debugfs;
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

/// The module: the PCI driver, and the debugfs directory its devices put
/// theirs in (`fbnic_dbg_init()`). Fields drop in declaration order: the
/// driver's devices, with their directories, before the module's.
#[pin_data]
struct FbnicModule {
    #[pin]
    _driver: kernel::driver::Registration<
        kernel_ext::pci::Adapter<kernel_ext::pci::DmaMasked<pci::FbnicDriver>>,
    >,
    _debugfs: kernel_ext::debugfs::ModuleDir,
}

impl kernel::InPlaceModule for FbnicModule {
    fn init(module: &'static kernel::ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            // Made first: probe, which runs as the driver registers, puts
            // the devices' directories into it.
            _debugfs: kernel_ext::debugfs::ModuleDir::new(debugfs::ROOT),
            _driver <- kernel::driver::Registration::new(
                <Self as kernel::ModuleMetadata>::NAME,
                module,
            ),
        })
    }
}

kernel::prelude::module! {
    type: FbnicModule,
    name: "fbnic",
    authors: ["The fbnic-rs authors"],
    description: "Meta Platforms Host Network Interface (Rust)",
    license: "GPL",
}
