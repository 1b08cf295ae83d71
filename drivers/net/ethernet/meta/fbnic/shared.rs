// SPDX-License-Identifier: GPL-2.0

//! The device state that outlives the probe call: registers and firmware
//! mailbox, shared by the PCI driver data, the network device and the
//! mailbox interrupt handler.
//!
//! It is reference counted and `'static` because the interrupt handler is:
//! the handler may run until the device's resources are released at
//! unbind, after the driver data is gone (see `kernel_ext::irq`).

#![forbid(unsafe_code)]

use kernel::{
    device,
    irq::{
        IrqReturn,
        ThreadedHandler, //
    },
    prelude::*,
    sync::{
        aref::ARef,
        Arc, //
    }, //
};

use crate::hw::reg::RegisterIo;
use crate::{
    fw::Mailbox,
    hw::csr::intr,
    regs::Regs,
    stats::{
        EthMac,
        HwStats,
        PhyStats, //
    }, //
};

/// One fbnic PCI function, as everything after probe sees it.
#[pin_data]
pub(crate) struct Shared {
    /// The PCI function's device, for messages.
    pub(crate) dev: ARef<device::Device>,
    pub(crate) regs: Regs,
    #[pin]
    pub(crate) mbx: Mailbox,
    #[pin]
    pub(crate) mac_stats: EthMac,
    /// The pause, FEC and PCS counters.
    #[pin]
    pub(crate) phy_stats: PhyStats,
    /// The device's other counters, kept in 64 bits.
    #[pin]
    pub(crate) hw_stats: HwStats,
}

impl Shared {
    /// Allocates the state of the device `dev` with registers `regs`.
    ///
    /// Not inlined: the initialisers of its parts take kilobytes of stack,
    /// which the caller (probe) should not keep for its whole run.
    #[inline(never)]
    pub(crate) fn new(dev: &device::Device<device::Bound>, regs: Regs) -> Result<Arc<Self>> {
        let mbx = Mailbox::new(dev)?;
        let mac_stats = EthMac::new(&regs);
        let phy_stats = PhyStats::new(&regs);
        let hw_stats = HwStats::new(&regs)?;
        Arc::pin_init(
            try_pin_init!(Self {
                dev: dev.into(),
                regs,
                mbx <- mbx,
                mac_stats <- mac_stats,
                phy_stats <- phy_stats,
                hw_stats <- hw_stats,
            }? Error),
            GFP_KERNEL,
        )
    }
}

impl Shared {
    /// Unmasks the mailbox interrupt (vector 0), after the mailbox started.
    pub(crate) fn unmask_mailbox(&self) {
        let (word, bit) = intr::vector_bit(intr::FW_VECTOR);
        self.regs.write_raw(intr::MASK_CLEAR::at(word), bit);
    }
}

/// The mailbox interrupt (vector 0): the firmware completed something.
impl ThreadedHandler for Shared {
    fn handle_threaded(&self) -> IrqReturn {
        // The vector masked itself when it fired; open it again, unless
        // the mailbox was stopped meanwhile.
        if self.mbx.poll(&self.regs, &self.dev) {
            self.unmask_mailbox();
        }
        IrqReturn::Handled
    }
}

/// Stops the mailbox when dropped, at unbind, after the network device is
/// gone (`fbnic_fw_free_mbx()`): from then on the firmware no longer writes
/// into the mailbox pages.
pub(crate) struct MailboxGuard(pub(crate) Arc<Shared>);

impl Drop for MailboxGuard {
    fn drop(&mut self) {
        self.0.mbx.stop(&self.0.regs, &self.0.dev);
    }
}
