// SPDX-License-Identifier: GPL-2.0

//! PCI probe and removal.
//!
//! Probe brings the function up the way the C driver's `fbnic_probe()`
//! starts: memory space enabled, DMA limited to the 46 address bits the
//! device drives (32 as the fallback), both register BARs mapped, and a first
//! register read to see that the device answers. Everything probe acquires
//! lives in [`Fbnic`], the driver data, and is released when it is dropped at
//! unbind (which module removal also goes through).

#![forbid(unsafe_code)]

use kernel::{device::Core, dma::DmaMask, pci, prelude::*};

use crate::{
    hw::csr,
    kernel_ext::pci::{DmaDriver, EnabledDevice},
    regs::Regs,
};

/// Per-device state, from a successful probe until unbind.
pub(crate) struct Fbnic<'bound> {
    /// The register BARs, unmapped and released when dropped.
    _regs: Regs<'bound>,
    /// Disables the device when dropped. Declared last so that it drops
    /// after everything that may still touch the device.
    _enabled: EnabledDevice<'bound>,
}

/// The fbnic PCI driver.
pub(crate) struct FbnicDriver;

kernel::pci_device_table!(
    PCI_TABLE,
    <FbnicDriver as pci::Driver>::IdInfo,
    [(
        pci::DeviceId::from_id(pci::Vendor::META, csr::PCI_DEVICE_ID_META_FBNIC_ASIC as u32),
        ()
    )]
);

impl pci::Driver for FbnicDriver {
    type IdInfo = ();
    type Data<'bound> = Fbnic<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _id_info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        let enabled = EnabledDevice::new(pdev)
            .inspect_err(|e| dev_err!(pdev, "PCI enable device failed: {:?}\n", e))?;

        let regs = Regs::map(pdev)?;
        regs.probe_present(pdev)?;

        pdev.set_master();

        Ok(Fbnic {
            _regs: regs,
            _enabled: enabled,
        })
    }
}

impl DmaDriver for FbnicDriver {
    /// The device drives 46 address bits; platforms that cannot give it
    /// that much address space get a 32-bit mask.
    const DMA_MASKS: &'static [DmaMask] = &[DmaMask::new::<46>(), DmaMask::new::<32>()];
}
