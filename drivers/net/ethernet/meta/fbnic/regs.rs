// SPDX-License-Identifier: GPL-2.0

//! The register BARs: BAR0 holds the device's CSRs, BAR4 the firmware
//! mailbox.
//!
//! Registers are the typed declarations of [`csr`]: [`Regs`] implements
//! [`Io32`] for both BARs, and the typed accessors of [`RegisterIo`]
//! (`read`, `write`, `read_raw`, `write_raw`, `update`) pick the BAR from
//! the register's declaration. A location is an [`At`](crate::hw::reg::At)
//! that only a declaration makes; there is no accessor that takes a number.
//! Dword indices turn into byte offsets here and nowhere else.
//!
//! The mappings are device-managed (`DevresBar`): the interrupt handlers and
//! the service task that use them are `'static`, and may still run briefly
//! while the device unbinds. Once the device is gone every access fails, and
//! reads then return all ones, which is what a device that dropped off the
//! bus reads as and what the rest of the driver already treats as "gone".
//!
//! The same holds while the driver has taken the device offline
//! ([`Regs::set_online`]) for system sleep or error recovery, as the C
//! driver clears its BAR pointers then: nothing reaches a device that is
//! powered down or whose link failed.

#![forbid(unsafe_code)]

use kernel::{
    device::Bound,
    io::Io,
    pci::{self, DevresBar},
    prelude::*,
    sync::atomic::{
        Acquire,
        Atomic,
        Release, //
    },
};

use crate::hw::{
    csr::{
        self,
        master,
        mbx, //
    },
    reg::{
        Bar0,
        Bar4,
        Io32,
        Loc,
        RegisterIo, //
    },
};

/// Byte offset of the register with dword index `index`.
const fn offset(index: u32) -> usize {
    // CAST: a dword index times four fits in 34 bits, and this driver only
    // builds for 64-bit kernels.
    csr::byte_offset(index) as usize
}

/// Byte offset of register location `loc`.
const fn loc_offset<B: crate::hw::reg::Bar>(loc: Loc<B>) -> usize {
    offset(loc.index())
}

/// How much of BAR0 the driver needs: everything up to the last per-queue
/// register, the highest CSR. (The emulator's BAR0 is 4 MiB.)
const BAR0_SIZE: usize = offset(csr::queue::END + 1);

/// How much of BAR4 the driver needs: up to the end of the two mailbox
/// rings.
const BAR4_SIZE: usize = offset(csr::mbx::END + 1);

/// The two mapped register BARs of a device.
pub(crate) struct Regs {
    bar0: DevresBar<BAR0_SIZE>,
    bar4: DevresBar<BAR4_SIZE>,
    /// Whether register accesses reach the device (see [`Regs::set_online`]).
    online: Atomic<bool>,
}

impl Regs {
    /// Requests and maps BAR0 and BAR4. Fails if either is smaller than what
    /// the driver accesses.
    pub(crate) fn map(pdev: &pci::Device<Bound>) -> Result<Self> {
        let bar0 = pdev
            .iomap_region_sized::<BAR0_SIZE>(csr::CSR_BAR, c"fbnic/bar0")
            .inspect_err(|e| dev_err!(pdev, "mapping BAR0 failed: {:?}\n", e))?
            .into_devres()?;
        let bar4 = pdev
            .iomap_region_sized::<BAR4_SIZE>(csr::FW_BAR, c"fbnic/bar4")
            .inspect_err(|e| dev_err!(pdev, "mapping BAR4 failed: {:?}\n", e))?
            .into_devres()?;

        Ok(Self {
            bar0,
            bar4,
            online: Atomic::new(true),
        })
    }

    /// Lets register accesses reach the device, or not: while offline,
    /// reads return all ones and writes are dropped, as if the device were
    /// gone (`fbnic_pm_suspend()` clears the BAR pointers). For system
    /// sleep and error recovery, between quiescing the device and bringing
    /// it back.
    pub(crate) fn set_online(&self, online: bool) {
        self.online.store(online, Release);
    }

    /// Whether register accesses reach the device.
    fn is_online(&self) -> bool {
        self.online.load(Acquire)
    }

    /// Flushes posted CSR writes (`wrfl()`).
    pub(crate) fn wrfl(&self) {
        self.read_raw(master::SPARE_0::AT);
    }

    /// Flushes posted BAR4 writes (`fw_wrfl()`).
    pub(crate) fn fw_wrfl(&self) {
        self.read_raw(mbx::FW_ZERO_REG::AT);
    }

    /// Whether the device is still there (`fbnic_present()`): its register
    /// mapping is revoked when it goes away.
    pub(crate) fn present(&self) -> bool {
        self.is_online() && self.bar0.try_access().is_some()
    }

    /// Whether the firmware BAR still answers (`fbnic_fw_present()`): a
    /// device that fell off the bus reads all ones everywhere, and
    /// `FW_ZERO_REG` reads all ones only then.
    pub(crate) fn fw_present(&self) -> bool {
        self.read_raw(mbx::FW_ZERO_REG::AT) != u32::MAX
    }

    /// Checks that both BARs answer, and logs their sizes and what was read
    /// to find out. A device that fell off the bus reads all ones
    /// everywhere, and these two registers read all ones only then.
    pub(crate) fn probe_present(&self, pdev: &pci::Device<Bound>) -> Result {
        let spare = self.read_raw(master::SPARE_0::AT);
        let fw_zero = self.read_raw(mbx::FW_ZERO_REG::AT);

        dev_info!(
            pdev,
            "BAR0 {} KiB, BAR4 {} KiB; MASTER_SPARE_0 {:#010x}, FW_ZERO_REG {:#010x}\n",
            pdev.resource_len(csr::CSR_BAR)? / 1024,
            pdev.resource_len(csr::FW_BAR)? / 1024,
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

impl Io32<Bar0> for Regs {
    /// Reads a CSR (`rd32()`); all ones once the device is gone.
    fn read32(&self, loc: Loc<Bar0>) -> u32 {
        if !self.is_online() {
            return u32::MAX;
        }
        self.bar0
            .try_access()
            .and_then(|bar| (&*bar).try_read32(loc_offset(loc)).ok())
            .unwrap_or(u32::MAX)
    }

    /// Writes a CSR (`wr32()`); does nothing once the device is gone.
    fn write32(&self, loc: Loc<Bar0>, value: u32) {
        if !self.is_online() {
            return;
        }
        if let Some(bar) = self.bar0.try_access() {
            // Every declared BAR0 register lies below BAR0_SIZE (the queue
            // blocks end the map); a failed bounds check would be a wrong
            // declaration, and it only loses this write.
            let _ = (&*bar).try_write32(value, loc_offset(loc));
        }
    }
}

impl Io32<Bar4> for Regs {
    /// Reads a mailbox register (`fw_rd32()`).
    fn read32(&self, loc: Loc<Bar4>) -> u32 {
        if !self.is_online() {
            return u32::MAX;
        }
        self.bar4
            .try_access()
            .and_then(|bar| (&*bar).try_read32(loc_offset(loc)).ok())
            .unwrap_or(u32::MAX)
    }

    /// Writes a mailbox register (`fw_wr32()`).
    fn write32(&self, loc: Loc<Bar4>, value: u32) {
        if !self.is_online() {
            return;
        }
        if let Some(bar) = self.bar4.try_access() {
            // As for BAR0: the mailbox rings end below BAR4_SIZE.
            let _ = (&*bar).try_write32(value, loc_offset(loc));
        }
    }
}
