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
//! A device can also drop off the bus while bound (a surprise removal, a
//! PCIe link that went down): its reads then return all ones. A read of
//! all ones is taken for that when `MASTER_SPARE_0` (or, for BAR4,
//! `FW_ZERO_REG`), which reads zero on a device that is there, reads all
//! ones too (`fbnic_rd32()`): the driver then stops accessing the device
//! ([`Regs::gone`]) until a reset brings it back ([`Regs::set_online`]).
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
        Full,
        Relaxed,
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
    /// Whether the device read all ones where it reads zero: it is gone,
    /// and nothing reaches it any more until [`Regs::set_online`].
    gone: Atomic<bool>,
    /// Where the read that found it gone was, a BAR4 location with bit 31
    /// set, until [`Regs::take_gone_report`] took it.
    gone_at: Atomic<u32>,
}

/// [`Regs::gone_at`] while there is nothing to report.
const NO_REPORT: u32 = u32::MAX;

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
            gone: Atomic::new(false),
            gone_at: Atomic::new(NO_REPORT),
        })
    }

    /// Lets register accesses reach the device, or not: while offline,
    /// reads return all ones and writes are dropped, as if the device were
    /// gone (`fbnic_pm_suspend()` clears the BAR pointers). For system
    /// sleep and error recovery, between quiescing the device and bringing
    /// it back.
    /// Bringing it online also ends a [`Regs::gone`] state: a reset
    /// brought the device back (or it reads all ones again and is found
    /// gone again).
    pub(crate) fn set_online(&self, online: bool) {
        if online {
            self.gone.store(false, Release);
        }
        self.online.store(online, Release);
    }

    /// Whether register accesses reach the device.
    fn is_online(&self) -> bool {
        self.online.load(Acquire) && !self.gone.load(Acquire)
    }

    /// Whether the driver took the device offline ([`Regs::set_online`]);
    /// a device found [`Regs::gone`] is still online in this sense, for a
    /// reset to take it offline and back.
    pub(crate) fn taken_offline(&self) -> bool {
        !self.online.load(Acquire)
    }

    /// Whether the device was found gone from the bus: a register and the
    /// register that reads zero both read all ones.
    pub(crate) fn gone(&self) -> bool {
        self.gone.load(Acquire)
    }

    /// Once after the device was found gone: the location of the read
    /// that found it, as `(bar, dword index)`.
    pub(crate) fn take_gone_report(&self) -> Option<(u32, u32)> {
        match self.gone_at.xchg(NO_REPORT, Relaxed) {
            NO_REPORT => None,
            at => Some((if at & (1 << 31) != 0 { 4 } else { 0 }, at & !(1 << 31))),
        }
    }

    /// After dword `index` of BAR `bar` read all ones: the device is gone
    /// if the register of that BAR that reads zero while it is there
    /// (`MASTER_SPARE_0`, `FW_ZERO_REG`) reads all ones too
    /// (`fbnic_rd32()`, `fbnic_fw_rd32()`).
    fn check_gone(&self, bar: u32, index: u32) {
        let zero = if bar == 4 {
            mbx::FW_ZERO_REG::AT.index()
        } else {
            master::SPARE_0::AT.index()
        };
        if index != zero {
            let again = if bar == 4 {
                self.read_bar4_raw(zero)
            } else {
                self.read_bar0_raw(zero)
            };
            if again != u32::MAX {
                return;
            }
        }
        if !self.gone.xchg(true, Full) {
            let tag = if bar == 4 { 1 << 31 } else { 0 };
            self.gone_at.store(index | tag, Relaxed);
        }
    }

    /// A BAR0 dword as the device answers it, all ones if it cannot.
    fn read_bar0_raw(&self, index: u32) -> u32 {
        self.bar0
            .try_access()
            .and_then(|bar| (&*bar).try_read32(offset(index)).ok())
            .unwrap_or(u32::MAX)
    }

    /// A BAR4 dword as the device answers it, all ones if it cannot.
    fn read_bar4_raw(&self, index: u32) -> u32 {
        self.bar4
            .try_access()
            .and_then(|bar| (&*bar).try_read32(offset(index)).ok())
            .unwrap_or(u32::MAX)
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
        let value = self.read_bar0_raw(loc.index());
        if value == u32::MAX {
            self.check_gone(0, loc.index());
        }
        value
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
        let value = self.read_bar4_raw(loc.index());
        if value == u32::MAX {
            self.check_gone(4, loc.index());
        }
        value
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
