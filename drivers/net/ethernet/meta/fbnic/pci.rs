// SPDX-License-Identifier: GPL-2.0

//! PCI probe and removal.
//!
//! Probe follows the C driver's `fbnic_probe()`: memory space enabled, DMA
//! limited to the 46 address bits the device drives (32 as the fallback),
//! both register BARs mapped and checked, MSI-X vectors allocated, the
//! firmware mailbox brought up and the firmware's capabilities read; then
//! the network interface, with the MAC address from the PCIe Device Serial
//! Number and the link the firmware configured.
//!
//! Everything probe acquires lives in [`Fbnic`], the driver data, and is
//! released when it is dropped at unbind (which module removal also goes
//! through), in the reverse order: interface, devlink, mailbox, device.

#![forbid(unsafe_code)]

use kernel::{
    device::Core,
    dma::DmaMask,
    pci,
    prelude::*,
    sync::Arc, //
};

use crate::hw::reg::RegisterIo;
use crate::{
    debugfs,
    devlink::{
        FbnicDevlink,
        Health, //
    },
    hw::{
        csr::{
            self,
            intr, //
        },
        desc,
    },
    hwmon,
    kernel_ext::{
        self,
        irq::{
            self,
            IrqName, //
        },
        net::{
            self,
            devlink,
            xdp,
            QueueType, //
        },
        pci::{
            alloc_irq_vectors,
            serial_number,
            DmaDriver,
            EnabledDevice,
            IrqVectors, //
        }, //
    },
    netdev::{
        Layout,
        NapiIrq,
        Port,
        QueueConfig,
        Service, //
    },
    regs::Regs,
    shared::{
        MailboxGuard,
        Shared, //
    },
    time,
    txrx::{
        self,
        QueuePair,
        RingSizes, //
    }, //
};

/// Largest MTU: the largest frame the MAC takes
/// (`FBNIC_MAX_JUMBO_FRAME_SIZE`) less the Ethernet header (14 bytes).
const MAX_MTU: u32 = csr::MAX_JUMBO_FRAME_SIZE - 14;
/// Smallest MTU: IPv6's minimum, as in the C driver.
const MIN_MTU: u32 = 1280;

/// Per-device state, from a successful probe until unbind. Fields drop in
/// declaration order.
pub(crate) struct Fbnic<'bound> {
    /// The network interface, unregistered first. `None` when the device
    /// has no usable MAC address or link (the C driver's "init failure
    /// mode": the firmware is up, the interface is not).
    pub(crate) netdev: Option<net::Registration<'bound, Port>>,
    /// The sensors, read through the mailbox: removed before it stops.
    /// `None` if registering failed (not fatal, as in the C driver).
    _hwmon: Option<kernel_ext::hwmon::Registration<Shared>>,
    /// The debugfs directory, removed before devlink goes.
    _debugfs: kernel_ext::debugfs::Dir,
    /// Where the firmware reports OTP errors, checked again after a
    /// resume.
    pub(crate) health: Health,
    /// The devlink instance, unregistered after the interface and before
    /// the mailbox stops, which its callbacks use.
    _devlink: devlink::Registration<'bound, FbnicDevlink>,
    /// Stops the firmware mailbox; its [`Shared`] is the device's, for
    /// suspend and resume (see `pm`).
    pub(crate) mailbox: MailboxGuard,
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
        // For error recovery to restore after a reset (`slot_reset`).
        kernel_ext::pci::save_state(pdev);

        // A queue vector per CPU, as far as vectors go (`fbnic_alloc_irqs()`);
        // the queues share them. The queue vectors follow the others, so
        // `n` NAPI instances take the vectors below `FIRST_VECTOR + n`.
        let want = txrx::FIRST_VECTOR + net::num_online_cpus().clamp(1, csr::queue::MAX_QUEUES);
        let vectors = alloc_irq_vectors(pdev, txrx::FIRST_VECTOR + 1, want)
            .inspect_err(|e| dev_err!(pdev, "MSI-X allocation failed: {:?}\n", e))?;
        if vectors.len() < want {
            dev_warn!(
                pdev,
                "Allocated {} IRQs, expected {}\n",
                vectors.len(),
                want
            );
        }
        let napis = vectors.len() - csr::NON_NAPI_VECTORS;

        txrx::init_tx_engine(&regs);
        crate::link::init_rxb(&regs);
        let shared = Shared::new(pdev.as_ref(), regs)?;
        let caps = shared.mbx.start(&shared.regs, pdev.as_ref())?;
        let mailbox = MailboxGuard(shared.clone());
        irq::request_threaded(
            vectors.index(csr::FW_MSIX_ENTRY)?,
            c"fbnic-fw",
            shared.clone(),
        )?;
        let (word, bit) = intr::vector_bit(intr::FW_VECTOR);
        shared.regs.write_raw(intr::MASK_CLEAR::at(word), bit);
        dev_info!(pdev, "firmware {}\n", format_args!("{}", caps.running));
        // Its lines come through the interrupt, from here on.
        shared.mbx.enable_log(&shared.regs, pdev.as_ref(), true);

        let hwmon = kernel_ext::hwmon::Registration::new(
            pdev.as_ref(),
            hwmon::NAME,
            shared.clone(),
            hwmon::CHANNELS,
        )
        .inspect_err(|e| dev_notice!(pdev, "failed to register hwmon device: {:?}\n", e))
        .ok();
        let mut devlink = devlink::Builder::new(
            pdev.as_ref(),
            FbnicDevlink::new(shared.clone(), serial_number(pdev)),
        )?;
        let health = Health::new(&mut devlink, &shared)?;
        let devlink = devlink.register();
        health.otp_check(c"error detected during probe");
        let debugfs = debugfs::create(pdev.as_ref(), &shared);

        let netdev = match register_netdev(pdev, &shared, &vectors, napis, health.clone()) {
            Ok(netdev) => Some(netdev),
            Err(e) => {
                dev_err!(pdev, "no network interface: {:?}\n", e);
                None
            }
        };

        Ok(Fbnic {
            netdev,
            _hwmon: hwmon,
            _debugfs: debugfs,
            _devlink: devlink,
            health,
            mailbox,
            _enabled: enabled,
        })
    }
}

/// Creates and registers the network interface.
fn register_netdev<'bound>(
    pdev: &'bound pci::Device<Core<'_>>,
    shared: &Arc<Shared>,
    vectors: &IrqVectors<'_>,
    napis: u32,
    health: Health,
) -> Result<net::Registration<'bound, Port>> {
    let caps = shared.mbx.caps().ok_or(ENODEV)?;
    let Some(link) = caps.link else {
        dev_err!(
            pdev,
            "firmware reports unknown link mode {}\n",
            caps.link_speed_raw
        );
        return Err(EINVAL);
    };
    let Some(dsn) = serial_number(pdev) else {
        dev_err!(
            pdev,
            "no PCIe Device Serial Number to take the MAC address from\n"
        );
        return Err(EINVAL);
    };
    let mac = csr::mac_from_dsn(dsn);

    let clock = time::Clock::register(pdev.as_ref(), shared)?;
    let service = Service::new(shared.clone(), link, health)?;
    irq::request_threaded(
        vectors.index(csr::PCS_MSIX_ENTRY)?,
        c"fbnic-pcs",
        service.clone(),
    )?;

    // A queue pair for every queue the device has, as the C driver
    // allocates the interface with 128 queues each way; the first `napis`
    // pairs also hold the NAPI instances of the queue vectors.
    let max = csr::queue::MAX_QUEUES;
    let mut pairs = KVec::with_capacity(max as usize, GFP_KERNEL)?;
    for i in 0..max {
        pairs.push(QueuePair::new(i)?, GFP_KERNEL)?;
    }
    // The kernel's default RSS queue count, one vector each
    // (`fbnic_reset_queues()`).
    let layout = Layout::initial(net::num_default_rss_queues(), max, napis);
    let config = QueueConfig {
        sizes: RingSizes::DEFAULT,
        rx: layout.rx,
        tx: layout.tx,
        napis: layout.napis,
    };
    let mut names = KVec::with_capacity(napis as usize, GFP_KERNEL)?;
    let mut irq_names = KVec::with_capacity(napis as usize, GFP_KERNEL)?;
    for _ in 0..napis {
        let name = IrqName::new(c"fbnic-napi")?;
        irq_names.push(name.clone(), GFP_KERNEL)?;
        names.push(name, GFP_KERNEL)?;
    }
    let mut builder = net::Builder::new(
        pdev.as_ref(),
        max,
        max,
        Port::new(
            shared.clone(),
            service.clone(),
            clock,
            pairs,
            names,
            config,
            napis,
        ),
    )?;
    builder.set_real_num_queues(layout.tx, layout.rx)?;
    let port = builder.device().data();
    let mut mems = port.alloc_rings(pdev.as_ref(), &config)?;
    port.swap_rings(&mut mems);
    for i in 0..napis as usize {
        // CAST: at most 128 vectors.
        let index = i as u32;
        builder.add_napi(index, |port| &port.queues[i].napi)?;
        let napi = &builder.device().data().queues[i].napi;
        napi.set_irq(&vectors.index(txrx::FIRST_VECTOR + index)?);
    }
    for q in 0..layout.tx {
        let napi = &builder.device().data().queues[layout.tx_napi(q) as usize].napi;
        builder.set_queue_napi(q, QueueType::Tx, Some(napi));
    }
    for q in 0..layout.rx {
        let napi = &builder.device().data().queues[layout.rx_napi(q) as usize].napi;
        builder.set_queue_napi(q, QueueType::Rx, Some(napi));
    }
    // Tunnels: IPv6 in IPv6 segmented whole, the others through
    // GSO_PARTIAL (see txrx::tx::tx_plan); inner checksums like outer ones.
    let offloads = net::Features::SG
        | net::Features::HW_CSUM
        | net::Features::TSO
        | net::Features::TSO6
        | net::Features::TSO_ECN
        | net::Features::GSO_UDP_L4
        | net::Features::GSO_IPXIP6
        | net::Features::RXCSUM
        | net::Features::RXHASH;
    let partial = net::Features::GSO_GRE
        | net::Features::GSO_GRE_CSUM
        | net::Features::GSO_IPXIP4
        | net::Features::GSO_UDP_TUNNEL
        | net::Features::GSO_UDP_TUNNEL_CSUM;
    builder.set_features(offloads);
    builder.set_gso_partial_features(partial);
    builder.set_encap_features(offloads | partial | net::Features::GSO_PARTIAL);
    // Flow rules are always on, as with the C driver.
    builder.set_fixed_features(net::Features::NTUPLE);
    builder
        .set_mac_address(&mac)
        .inspect_err(|_| dev_err!(pdev, "invalid MAC address {:02x?} from the DSN\n", mac))?;
    builder.set_mtu_range(MIN_MTU, MAX_MTU)?;
    builder.set_hds_thresh(txrx::HDS_THRESH_DEFAULT);
    builder.set_ethtool_ops();
    builder.set_stat_ops();
    // Memory providers (devmem, io_uring zero-copy receive) on RX queues.
    // The core then runs every callback under the instance lock.
    builder.set_queue_mgmt_ops();
    // devmem TX: fragments in a dma-buf bound for TX, as the C driver.
    builder.set_netmem_tx();
    builder.set_unicast_filtering();
    // XDP programs run on received frames, in one buffer or several, and
    // may send them back out (XDP_TX, part of the basic set) or redirect
    // them; frames in one buffer redirected here are sent (neither of
    // which the C driver does).
    builder.device().set_xdp_features(
        xdp::Features::BASIC
            | xdp::Features::REDIRECT
            | xdp::Features::RX_SG
            | xdp::Features::NDO_XMIT,
    );
    for (i, name) in (0..napis).zip(irq_names) {
        let handler = NapiIrq {
            service: service.clone(),
            queue: i as usize,
        };
        irq::request_named(
            vectors.index(csr::queue_vector(i))?,
            name,
            Arc::new(handler, GFP_KERNEL)?,
        )?;
    }
    let registration = builder.register()?;
    service.set_netdev(registration.handle());
    Ok(registration)
}

impl DmaDriver for FbnicDriver {
    /// The device drives 46 address bits; platforms that cannot give it
    /// that much address space get a 32-bit mask.
    const DMA_MASKS: &'static [DmaMask] = &[
        DmaMask::new::<{ desc::DMA_ADDR_BITS }>(),
        DmaMask::new::<32>(),
    ];
}
