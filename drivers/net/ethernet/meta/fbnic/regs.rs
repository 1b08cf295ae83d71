// SPDX-License-Identifier: GPL-2.0

//! The register BARs: BAR0 holds the device's CSRs, BAR4 the firmware
//! mailbox.
//!
//! Register numbers in [`csr`] are dword indices, as in the C driver; they
//! turn into byte offsets here and nowhere else.

#![forbid(unsafe_code)]

use kernel::{device::Bound, io::Io, pci, prelude::*};

use crate::hw::csr;

/// Byte offset of the register with dword index `index`.
const fn offset(index: u32) -> usize {
    // CAST: a dword index times four fits in 34 bits, and this driver only
    // builds for 64-bit kernels.
    csr::byte_offset(index) as usize
}

/// How much of BAR0 the driver needs: everything up to the last per-queue
/// register, the highest CSR. (The emulator's BAR0 is 4 MiB.)
const BAR0_SIZE: usize = offset(csr::queue::END + 1);

/// How much of BAR4 the driver needs: up to the end of the two mailbox
/// rings.
const BAR4_SIZE: usize = offset(csr::mbx::END + 1);

/// The two mapped register BARs of a bound device.
pub(crate) struct Regs<'bound> {
    bar0: pci::Bar<'bound, BAR0_SIZE>,
    bar4: pci::Bar<'bound, BAR4_SIZE>,
}

impl<'bound> Regs<'bound> {
    /// Requests and maps BAR0 and BAR4. Fails if either is smaller than what
    /// the driver accesses.
    pub(crate) fn map(pdev: &'bound pci::Device<Bound>) -> Result<Self> {
        let bar0 = pdev
            .iomap_region_sized::<BAR0_SIZE>(csr::CSR_BAR, c"fbnic/bar0")
            .inspect_err(|e| dev_err!(pdev, "mapping BAR0 failed: {:?}\n", e))?;
        let bar4 = pdev
            .iomap_region_sized::<BAR4_SIZE>(csr::FW_BAR, c"fbnic/bar4")
            .inspect_err(|e| dev_err!(pdev, "mapping BAR4 failed: {:?}\n", e))?;

        Ok(Self { bar0, bar4 })
    }

    /// Checks that both BARs answer, and logs their sizes and what was read
    /// to find out. A device that fell off the bus reads all ones
    /// everywhere, and these two registers read all ones only then.
    pub(crate) fn probe_present(&self, pdev: &pci::Device<Bound>) -> Result {
        let spare = (&self.bar0).read32(offset(csr::master::SPARE_0));
        let fw_zero = (&self.bar4).read32(offset(csr::mbx::FW_ZERO_REG));

        dev_info!(
            pdev,
            "BAR0 {} KiB, BAR4 {} KiB; MASTER_SPARE_0 {:#010x}, FW_ZERO_REG {:#010x}\n",
            (&self.bar0).size() / 1024,
            (&self.bar4).size() / 1024,
            spare,
            fw_zero
        );

        if spare == u32::MAX || fw_zero == u32::MAX {
            dev_err!(pdev, "device does not answer register reads\n");
            return Err(ENODEV);
        }
        Ok(())
    }
}
