// SPDX-License-Identifier: GPL-2.0

//! The fbnic device model: the state of one PCI function and the dispatch of
//! guest accesses to it.
//!
//! As in QEMU's igb/e1000e models, the pieces are kept apart: configuration
//! space ([`crate::pci`]), register storage ([`crate::regs`]), guest memory
//! ([`crate::memory`]) and interrupts ([`crate::interrupts`]). This module
//! owns them and decides what a register access *does*: the register blocks
//! with behaviour of their own (interrupt controller, link, PTP clock) get
//! the accesses to the registers they declare ([`crate::regblock`]); the
//! others are storage with their declared access rules, watched by the
//! datapath (doorbells) and the firmware (mailbox).
//!
//! [`FbnicDevice`] is shared as an `Arc`: the vfio-user thread feeds it guest
//! accesses while datapath threads (added later) use the same guest memory,
//! interrupts and registers. Everything in it is therefore `Sync`.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use fbnic_hw::csr::{self, pul};
use log::{debug, info, trace};

use crate::blocks;
use crate::bmc::{Bmc, BmcConfig};
use crate::fw::Firmware;
use crate::hostile::Hostile;
use crate::identity::MacAddr;
use crate::interrupts::Interrupts;
use crate::intr::InterruptController;
use crate::link::{FlapPlan, Link, LinkConfig};
use crate::memory::GuestMemory;
use crate::mmio::{self, MmioCounters};
use crate::pci::{self, Bar, ConfigParams, ConfigSpace};
use crate::ptp::PtpClock;
use crate::queues::Datapath;
use crate::regblock::{Bus, Dispatch, RegisterBlock};
use crate::regs::RegisterFile;

/// vfio region index of the configuration space (VFIO_PCI_CONFIG_REGION_INDEX).
pub const CONFIG_REGION: u32 = 7;

/// The per-port knobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceParams {
    /// PCIe Device Serial Number; the MAC address derives from it.
    pub dsn: u64,
    /// Queue pairs the port offers (sizes the MSI-X table).
    pub queues: u16,
    /// Worker threads that serve the queues (`--queue-threads`, 1 to
    /// `queues`): TX queue `q` is served by thread `q % queue_threads`.
    pub queue_threads: u16,
}

impl DeviceParams {
    /// The driver's `FBNIC_MAX_QUEUES`.
    pub const MAX_QUEUES: u16 = csr::queue::MAX_QUEUES as u16;

    /// MSI-X vectors: 0 for the firmware mailbox, 1 for the PCS/link, and one
    /// per queue from 2 on, plus one spare so that the table never limits
    /// how many NAPI vectors the driver gets (it asks for at most
    /// 2 + min(CPUs, 128)).
    pub fn msix_vectors(&self) -> u16 {
        csr::NON_NAPI_VECTORS as u16 + self.queues + 1
    }

    /// The MAC address the driver will derive from the serial number.
    pub fn mac(&self) -> MacAddr {
        MacAddr::from_dsn(self.dsn)
    }

    /// Checks the parameters describe a function the driver can use.
    pub fn validate(&self) -> Result<(), String> {
        if self.queues == 0 || self.queues > Self::MAX_QUEUES {
            return Err(format!(
                "queue count {} is outside 1..={}",
                self.queues,
                Self::MAX_QUEUES
            ));
        }
        let mac = self.mac();
        if !mac.is_valid_unicast() {
            return Err(format!(
                "serial number {:#018x} gives MAC {mac}, which is not a valid unicast address",
                self.dsn
            ));
        }
        Ok(())
    }
}

/// A guest access the device cannot serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessError {
    /// No such region (BAR1/3/5, ROM, VGA or beyond).
    NoSuchRegion(u32),
    /// The access does not fit inside the region.
    OutOfRange {
        region: u32,
        offset: u64,
        len: usize,
    },
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessError::NoSuchRegion(r) => write!(f, "region {r} is not implemented"),
            AccessError::OutOfRange {
                region,
                offset,
                len,
            } => write!(
                f,
                "access of {len} bytes at {offset:#x} is outside region {region}"
            ),
        }
    }
}

impl std::error::Error for AccessError {}

/// One emulated fbnic PCI function.
pub struct FbnicDevice {
    params: DeviceParams,
    config: Mutex<ConfigSpace>,
    /// BAR0 registers.
    csr: RegisterFile,
    /// BAR4 registers (firmware mailbox window).
    fw: RegisterFile,
    memory: GuestMemory,
    intr: InterruptController,
    datapath: Datapath,
    firmware: Firmware,
    link: Link,
    ptp: PtpClock,
    /// Which block answers for which BAR0 dwords.
    dispatch: Dispatch,
    /// The guest's BAR accesses, counted.
    mmio: MmioCounters,
    /// The BMC sharing the port, if any (set once, before the port serves).
    bmc: OnceLock<Bmc>,
    /// Function resets (VFIO_DEVICE_RESET or FLR) so far.
    resets: AtomicU64,
    /// Faults of the device as a whole (gone from the bus, interrupts).
    hostile: Hostile,
}

impl FbnicDevice {
    /// A function in its power-on state. `params` should have passed
    /// [`DeviceParams::validate`].
    pub fn new(params: DeviceParams) -> Self {
        Self::with_link(params, LinkConfig::default(), None)
    }

    /// A function whose port runs `link` (speed and FEC, also reported by
    /// the firmware) and, if `flap` is given, loses carrier once as planned
    /// after the host first opens it.
    pub fn with_link(params: DeviceParams, link: LinkConfig, flap: Option<FlapPlan>) -> Self {
        let intr = InterruptController::new(Interrupts::new(params.msix_vectors()));
        let link = Link::new(link, flap);
        let ptp = PtpClock::new();
        let dispatch = Dispatch::new(&[&intr, &link, &ptp]);
        let dev = FbnicDevice {
            params,
            config: Mutex::new(ConfigSpace::new(ConfigParams {
                dsn: params.dsn,
                msix_vectors: params.msix_vectors(),
            })),
            csr: RegisterFile::new((pci::BAR_CSR.size / 4) as usize),
            fw: RegisterFile::new((pci::BAR_FW.size / 4) as usize),
            memory: GuestMemory::new(),
            intr,
            datapath: Datapath::new(params.queues, params.queue_threads),
            firmware: Firmware::new(),
            link,
            ptp,
            dispatch,
            mmio: MmioCounters::new(),
            bmc: OnceLock::new(),
            resets: AtomicU64::new(0),
            hostile: Hostile::default(),
        };
        blocks::apply_resets(&dev.csr);
        dev
    }

    /// The register blocks, in the order [`Dispatch`] numbers them.
    fn blocks(&self) -> [&dyn RegisterBlock; 3] {
        [&self.intr, &self.link, &self.ptp]
    }

    /// What the register blocks may touch of the device.
    fn bus(&self) -> Bus<'_> {
        Bus {
            csr: &self.csr,
            intr: &self.intr,
        }
    }

    /// Puts a BMC on the port; false if it already has one.
    pub fn set_bmc(&self, config: BmcConfig) -> bool {
        self.bmc.set(Bmc::new(config)).is_ok()
    }

    /// The BMC sharing the port, if any.
    pub fn bmc(&self) -> Option<&Bmc> {
        self.bmc.get()
    }

    pub fn params(&self) -> &DeviceParams {
        &self.params
    }

    /// Guest memory as mapped by the current client.
    pub fn memory(&self) -> &GuestMemory {
        &self.memory
    }

    /// The function's MSI-X vectors.
    pub fn interrupts(&self) -> &Interrupts {
        self.intr.msix()
    }

    /// The interrupt block (status/mask bitmaps, cause routing, CQ rearm)
    /// in front of the MSI-X vectors: device blocks raise interrupts
    /// through it ([`InterruptController::assert`]), not through
    /// [`interrupts`](Self::interrupts) directly.
    pub fn intr(&self) -> &InterruptController {
        &self.intr
    }

    /// The device-level faults.
    pub fn hostile(&self) -> &Hostile {
        &self.hostile
    }

    /// The guest's BAR accesses so far.
    pub fn mmio(&self) -> &MmioCounters {
        &self.mmio
    }

    /// The queue engines.
    pub fn datapath(&self) -> &Datapath {
        &self.datapath
    }

    /// The management firmware behind the BAR4 mailbox.
    pub fn firmware(&self) -> &Firmware {
        &self.firmware
    }

    /// The port's link (PCS, SIG status, carrier).
    pub fn link(&self) -> &Link {
        &self.link
    }

    /// The PTP counter, the device's time base for timestamps.
    pub fn ptp(&self) -> &PtpClock {
        &self.ptp
    }

    /// BAR0 storage, for device-side updates that bypass guest semantics
    /// (a block setting a status bit, say).
    pub fn csr(&self) -> &RegisterFile {
        &self.csr
    }

    /// BAR4 storage, as [`csr`](Self::csr).
    pub fn fw(&self) -> &RegisterFile {
        &self.fw
    }

    /// The configuration space, locked.
    pub fn config(&self) -> MutexGuard<'_, ConfigSpace> {
        // Config updates are byte-wise and complete; a poisoned lock still
        // guards a consistent space.
        self.config.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Function-level reset (VFIO_DEVICE_RESET): configuration space and
    /// registers return to power-on values. DMA mappings and interrupt
    /// eventfds belong to the client and survive, as with VFIO.
    pub fn reset(&self) {
        self.resets.fetch_add(1, Ordering::Relaxed);
        self.config().reset();
        self.csr.reset();
        blocks::apply_resets(&self.csr);
        self.fw.reset();
        self.intr.reset();
        self.datapath.reset();
        self.firmware.reset();
        self.link.reset();
        self.ptp.reset();
    }

    /// What the host left running, on one line: the firmware mailbox (up
    /// while both of its DMA paths have bus mastering on) and how often
    /// the host reset its request ring, PCI bus mastering and MSI-X, the
    /// interrupt vectors left unmasked and the queues left enabled. The
    /// control socket's `status` ends with it; the log gets it when the
    /// client goes, e.g. after the guest shut down.
    pub fn activity(&self) -> String {
        let aw = self.csr.read(pul::OB_TLP_HDR_AW_CFG::INDEX).unwrap_or(0);
        let ar = self.csr.read(pul::OB_TLP_HDR_AR_CFG::INDEX).unwrap_or(0);
        let mailbox_up = aw & pul::OB_TLP_HDR_AW_CFG::BME.mask() != 0
            && ar & pul::OB_TLP_HDR_AR_CFG::BME.mask() != 0;
        let cs = self.config();
        let (cmd, msix) = (cs.command(), cs.msix_control());
        drop(cs);
        let (tx, rx) = self.datapath.enabled_queues(&self.csr);
        format!(
            "function-resets {} mailbox-up {} mailbox-resets {} bus-master {} msix {} unmasked-vectors {} tx-queues-on {tx} rx-queues-on {rx}",
            self.resets.load(Ordering::Relaxed),
            u8::from(mailbox_up),
            self.firmware.stats().resets,
            u8::from(cmd & pci::PCI_COMMAND_MASTER != 0),
            u8::from(msix & pci::PCI_MSIX_FLAGS_ENABLE != 0),
            self.intr.unmasked_vectors(),
        )
    }

    /// The client went away: forget its memory and eventfds and reset, so
    /// the next client finds a freshly powered-on function.
    pub fn disconnect(&self) {
        info!("client gone; it left: {}", self.activity());
        let maps = self.memory.unmap_all();
        self.intr.msix().detach_all();
        self.reset();
        debug!("dropped {maps} DMA mappings and all interrupt eventfds");
    }

    /// Guest read of BAR0 register `reg` (a dword index).
    pub fn csr_read(&self, reg: u32) -> u32 {
        let block = self.dispatch.block_of(reg).map(|i| self.blocks()[i]);
        if let Some(val) = block.and_then(|b| b.read(reg)) {
            return val;
        }
        // The "device still there" register the driver checks after an
        // all-ones read, `master::SPARE_0`, is declared read-only with reset
        // value 0, like the other read-only registers.
        self.csr.read(reg).unwrap_or(0)
    }

    /// Guest write of BAR0 register `reg`.
    pub fn csr_write(&self, reg: u32, val: u32) {
        let block = self.dispatch.block_of(reg).map(|i| self.blocks()[i]);
        if block.is_some_and(|b| b.write(&self.bus(), reg, val)) {
            return;
        }
        match reg {
            pul::OB_TLP_HDR_AR_CFG::INDEX | pul::OB_TLP_HDR_AW_CFG::INDEX => {
                self.pul_write(reg, val)
            }
            _ => {
                let current = self.csr.read(reg).unwrap_or(0);
                if let Some(stored) = blocks::write_filter(reg, val, current) {
                    self.csr.write(reg, stored);
                }
                self.datapath.csr_written(self, reg, val);
            }
        }
    }

    /// The outbound TLP controls gate the firmware's DMA; a flush resets
    /// the matching mailbox ring.
    fn pul_write(&self, reg: u32, val: u32) {
        self.csr.write(reg, val);
        if reg == pul::OB_TLP_HDR_AR_CFG::INDEX && val & pul::OB_TLP_HDR_AR_CFG::FLUSH.mask() != 0 {
            self.firmware.reset_request_ring(self);
        }
        if reg == pul::OB_TLP_HDR_AW_CFG::INDEX && val & pul::OB_TLP_HDR_AW_CFG::FLUSH.mask() != 0 {
            self.firmware.reset_buffer_ring();
        }
        self.firmware.ring_doorbell();
    }

    /// Guest read of BAR4 register `reg`.
    ///
    /// [`FW_ZERO_REG`](csr::mbx::FW_ZERO_REG::INDEX) needs no case here: it is the
    /// low dword of mailbox RX
    /// descriptor 0, which resets to 0 and which the driver itself writes
    /// (to 0, or to a posted buffer with page-aligned address and flag bits),
    /// so it never reads back all-ones. Hardwiring it to zero would break the
    /// mailbox ring.
    pub fn fw_read(&self, reg: u32) -> u32 {
        self.fw.read(reg).unwrap_or(0)
    }

    /// Guest write of BAR4 register `reg`.
    pub fn fw_write(&self, reg: u32, val: u32) {
        self.fw.write(reg, val);
        // A descriptor's low dword commits it: let the firmware look.
        if matches!(csr::mbx::decode(reg), Some((_, _, false))) {
            self.firmware.ring_doorbell();
        }
    }

    /// Serves a vfio-user REGION_READ.
    pub fn region_read(
        &self,
        region: u32,
        offset: u64,
        data: &mut [u8],
    ) -> Result<(), AccessError> {
        let len = data.len();
        let out_of_range = || AccessError::OutOfRange {
            region,
            offset,
            len,
        };
        match region {
            CONFIG_REGION => self.config().read(offset, data).map_err(|_| out_of_range()),
            r if (r == pci::BAR_CSR.index || r == pci::BAR_FW.index)
                && self.hostile.gone_read() =>
            {
                // Gone from the bus: all ones, as the root port answers.
                let bar = if r == pci::BAR_CSR.index {
                    pci::BAR_CSR
                } else {
                    pci::BAR_FW
                };
                check_range(bar, offset, len).ok_or_else(out_of_range)?;
                data.fill(0xff);
                Ok(())
            }
            r if r == pci::BAR_CSR.index => {
                self.mmio
                    .count(mmio::Bar::Csr, mmio::Dir::Read, (offset / 4) as u32);
                dword_read(pci::BAR_CSR, offset, data, |reg| self.csr_read(reg))
                    .ok_or_else(out_of_range)?;
                trace!("BAR0 read  {offset:#08x} {len}B -> {data:02x?}");
                Ok(())
            }
            r if r == pci::BAR_FW.index => {
                self.mmio
                    .count(mmio::Bar::Fw, mmio::Dir::Read, (offset / 4) as u32);
                dword_read(pci::BAR_FW, offset, data, |reg| self.fw_read(reg))
                    .ok_or_else(out_of_range)?;
                trace!("BAR4 read  {offset:#08x} {len}B -> {data:02x?}");
                Ok(())
            }
            r if r == pci::BAR_MSIX.index => {
                // QEMU overlays its own MSI-X table and PBA on this BAR; only
                // a client that does not would get here. Nothing else lives
                // in the BAR.
                check_range(pci::BAR_MSIX, offset, len).ok_or_else(out_of_range)?;
                debug!("read of MSI-X BAR at {offset:#x}: not emulated here, returning 0");
                data.fill(0);
                Ok(())
            }
            r => Err(AccessError::NoSuchRegion(r)),
        }
    }

    /// Serves a vfio-user REGION_WRITE.
    pub fn region_write(&self, region: u32, offset: u64, data: &[u8]) -> Result<(), AccessError> {
        let len = data.len();
        let out_of_range = || AccessError::OutOfRange {
            region,
            offset,
            len,
        };
        match region {
            CONFIG_REGION => self.config_write(offset, data).map_err(|_| out_of_range()),
            r if (r == pci::BAR_CSR.index || r == pci::BAR_FW.index) && self.hostile.gone() => {
                // Gone from the bus: the write is lost.
                let bar = if r == pci::BAR_CSR.index {
                    pci::BAR_CSR
                } else {
                    pci::BAR_FW
                };
                check_range(bar, offset, len).ok_or_else(out_of_range)
            }
            r if r == pci::BAR_CSR.index => {
                self.mmio
                    .count(mmio::Bar::Csr, mmio::Dir::Write, (offset / 4) as u32);
                trace!("BAR0 write {offset:#08x} {len}B <- {data:02x?}");
                dword_write(
                    pci::BAR_CSR,
                    offset,
                    data,
                    |reg| self.csr_read(reg),
                    |reg, val| self.csr_write(reg, val),
                )
                .ok_or_else(out_of_range)
            }
            r if r == pci::BAR_FW.index => {
                self.mmio
                    .count(mmio::Bar::Fw, mmio::Dir::Write, (offset / 4) as u32);
                trace!("BAR4 write {offset:#08x} {len}B <- {data:02x?}");
                dword_write(
                    pci::BAR_FW,
                    offset,
                    data,
                    |reg| self.fw_read(reg),
                    |reg, val| self.fw_write(reg, val),
                )
                .ok_or_else(out_of_range)
            }
            r if r == pci::BAR_MSIX.index => {
                check_range(pci::BAR_MSIX, offset, len).ok_or_else(out_of_range)?;
                debug!("write to MSI-X BAR at {offset:#x}: not emulated here, ignored");
                Ok(())
            }
            r => Err(AccessError::NoSuchRegion(r)),
        }
    }

    fn config_write(&self, offset: u64, data: &[u8]) -> Result<(), pci::OutOfRange> {
        let mut cs = self.config();
        let (cmd, msix) = (cs.command(), cs.msix_control());
        cs.write(offset, data)?;
        let (new_cmd, new_msix) = (cs.command(), cs.msix_control());
        drop(cs);
        if pci::initiates_flr(offset, data) {
            info!("function level reset");
            self.reset();
            return Ok(());
        }
        if new_cmd != cmd {
            debug!(
                "command {cmd:#06x} -> {new_cmd:#06x} (memory {}, bus master {})",
                on_off(new_cmd & pci::PCI_COMMAND_MEMORY != 0),
                on_off(new_cmd & pci::PCI_COMMAND_MASTER != 0)
            );
        }
        let flags = pci::PCI_MSIX_FLAGS_ENABLE | pci::PCI_MSIX_FLAGS_MASKALL;
        if (new_msix ^ msix) & flags != 0 {
            info!(
                "MSI-X {}{}",
                if new_msix & pci::PCI_MSIX_FLAGS_ENABLE != 0 {
                    "enabled"
                } else {
                    "disabled"
                },
                if new_msix & pci::PCI_MSIX_FLAGS_MASKALL != 0 {
                    ", function masked"
                } else {
                    ""
                }
            );
        }
        Ok(())
    }
}

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

/// Returns `Some(())` if `len` bytes at `offset` fit inside `bar`.
fn check_range(bar: Bar, offset: u64, len: usize) -> Option<()> {
    let end = offset.checked_add(u64::try_from(len).ok()?)?;
    (end <= bar.size).then_some(())
}

/// Splits an access into per-dword pieces: (register, first byte, byte count).
fn dword_pieces(offset: u64, len: usize) -> impl Iterator<Item = (u32, usize, usize)> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        if pos >= len {
            return None;
        }
        let addr = offset + pos as u64;
        let byte = (addr % 4) as usize;
        let n = (4 - byte).min(len - pos);
        pos += n;
        // Callers check the range first, so the index fits in u32.
        Some(((addr / 4) as u32, byte, n))
    })
}

/// Reads any access (the driver uses aligned dwords; QEMU may pass 1, 2 or
/// 8 bytes) through the dword register read `read`. `None` if out of range.
fn dword_read(bar: Bar, offset: u64, data: &mut [u8], read: impl Fn(u32) -> u32) -> Option<()> {
    check_range(bar, offset, data.len())?;
    let mut pos = 0;
    for (reg, byte, n) in dword_pieces(offset, data.len()) {
        let val = read(reg).to_le_bytes();
        data[pos..pos + n].copy_from_slice(&val[byte..byte + n]);
        pos += n;
    }
    Some(())
}

/// Writes any access through the dword register write `write`; an 8-byte
/// access becomes two dword writes, low then high, as on a PCIe link that
/// splits a QWORD. Partial dwords are merged with the current value.
fn dword_write(
    bar: Bar,
    offset: u64,
    data: &[u8],
    read: impl Fn(u32) -> u32,
    write: impl Fn(u32, u32),
) -> Option<()> {
    check_range(bar, offset, data.len())?;
    let mut pos = 0;
    for (reg, byte, n) in dword_pieces(offset, data.len()) {
        let val = if n == 4 {
            u32::from_le_bytes(data[pos..pos + 4].try_into().ok()?)
        } else {
            debug!(
                "BAR{} sub-dword write of {n} bytes at {:#x}: merged into the register",
                bar.index,
                u64::from(reg) * 4 + byte as u64
            );
            let mut cur = read(reg).to_le_bytes();
            cur[byte..byte + n].copy_from_slice(&data[pos..pos + n]);
            u32::from_le_bytes(cur)
        };
        write(reg, val);
        pos += n;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::DEFAULT_DSN;
    use fbnic_hw::csr::master;

    fn device() -> FbnicDevice {
        FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 8,
            queue_threads: 1,
        })
    }

    fn rd32(dev: &FbnicDevice, region: u32, off: u64) -> u32 {
        let mut b = [0u8; 4];
        dev.region_read(region, off, &mut b).unwrap();
        u32::from_le_bytes(b)
    }

    fn wr32(dev: &FbnicDevice, region: u32, off: u64, v: u32) {
        dev.region_write(region, off, &v.to_le_bytes()).unwrap();
    }

    #[test]
    fn params_validation() {
        let ok = DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 8,
            queue_threads: 1,
        };
        assert!(ok.validate().is_ok());
        assert_eq!(ok.msix_vectors(), 11);
        assert!(DeviceParams { queues: 0, ..ok }.validate().is_err());
        assert!(DeviceParams { queues: 129, ..ok }.validate().is_err());
        assert!(DeviceParams { queues: 128, ..ok }.validate().is_ok());
        let multicast = DeviceParams {
            dsn: 0x0300_00ff_fe00_0001,
            ..ok
        };
        assert!(multicast.validate().is_err());
    }

    #[test]
    fn bar_registers_hold_written_values() {
        let dev = device();
        // RPC_RMI_CONFIG (0x8400) resets with ENABLE clear.
        assert_eq!(rd32(&dev, 0, 0x8400 * 4), 0);
        wr32(&dev, 0, 0x8400 * 4, 0x1234_5678);
        assert_eq!(rd32(&dev, 0, 0x8400 * 4), 0x1234_5678);
        assert_eq!(dev.csr_read(0x8400), 0x1234_5678);
        wr32(&dev, 4, 0x874, 0xabcd);
        assert_eq!(dev.fw_read(0x21d), 0xabcd);
        // The last register of each BAR is reachable.
        wr32(&dev, 0, pci::BAR_CSR.size - 4, 7);
        assert_eq!(rd32(&dev, 0, pci::BAR_CSR.size - 4), 7);
        wr32(&dev, 4, pci::BAR_FW.size - 4, 9);
        assert_eq!(rd32(&dev, 4, pci::BAR_FW.size - 4), 9);
    }

    #[test]
    fn zero_registers_read_zero() {
        let dev = device();
        let spare = u64::from(master::SPARE_0::INDEX) * 4;
        wr32(&dev, 0, spare, 0xffff_ffff);
        assert_eq!(rd32(&dev, 0, spare), 0);
        // FW_ZERO_REG reads 0 out of reset and is ordinary mailbox storage.
        let zero = u64::from(csr::mbx::FW_ZERO_REG::INDEX) * 4;
        assert_eq!(rd32(&dev, 4, zero), 0);
        wr32(&dev, 4, zero, 0x0000_1003);
        assert_eq!(rd32(&dev, 4, zero), 0x0000_1003);
        dev.reset();
        assert_eq!(rd32(&dev, 4, zero), 0);
    }

    #[test]
    fn wide_and_narrow_accesses_map_onto_dwords() {
        let dev = device();
        dev.region_write(0, 0x100, &0x1122_3344_5566_7788u64.to_le_bytes())
            .unwrap();
        assert_eq!(dev.csr_read(0x40), 0x5566_7788);
        assert_eq!(dev.csr_read(0x41), 0x1122_3344);
        let mut q = [0u8; 8];
        dev.region_read(0, 0x100, &mut q).unwrap();
        assert_eq!(u64::from_le_bytes(q), 0x1122_3344_5566_7788);
        // A byte write merges into its register.
        dev.region_write(0, 0x101, &[0xee]).unwrap();
        assert_eq!(dev.csr_read(0x40), 0x5566_ee88);
        let mut w = [0u8; 2];
        dev.region_read(0, 0x102, &mut w).unwrap();
        assert_eq!(u16::from_le_bytes(w), 0x5566);
        // Unaligned dword access straddling two registers.
        dev.region_write(0, 0x102, &[1, 2, 3, 4]).unwrap();
        assert_eq!(dev.csr_read(0x40), 0x0201_ee88);
        assert_eq!(dev.csr_read(0x41), 0x1122_0403);
    }

    #[test]
    fn bad_accesses_are_errors() {
        let dev = device();
        let mut b = [0u8; 4];
        assert_eq!(
            dev.region_read(1, 0, &mut b),
            Err(AccessError::NoSuchRegion(1))
        );
        assert!(dev.region_read(9, 0, &mut b).is_err());
        assert!(matches!(
            dev.region_read(0, pci::BAR_CSR.size - 2, &mut b),
            Err(AccessError::OutOfRange { .. })
        ));
        assert!(dev.region_write(4, pci::BAR_FW.size, &b).is_err());
        assert!(dev.region_write(0, u64::MAX - 1, &b).is_err());
        assert!(dev.region_read(CONFIG_REGION, 4094, &mut b).is_err());
        assert!(dev.region_read(2, pci::BAR_MSIX.size, &mut b).is_err());
        assert!(dev.region_read(2, 0, &mut b).is_ok());
    }

    #[test]
    fn config_region_is_the_config_space() {
        let dev = device();
        assert_eq!(rd32(&dev, CONFIG_REGION, 0), 0x0013_1d9b);
        wr32(&dev, CONFIG_REGION, 0, 0);
        assert_eq!(rd32(&dev, CONFIG_REGION, 0), 0x0013_1d9b);
        wr32(&dev, CONFIG_REGION, 4, 0x6);
        assert_eq!(dev.config().command(), 0x6);
        dev.reset();
        assert_eq!(dev.config().command(), 0);
        assert_eq!(
            rd32(&dev, CONFIG_REGION, 0x104) as u64,
            DEFAULT_DSN & 0xffff_ffff
        );
    }

    #[test]
    fn reset_keeps_client_state_disconnect_drops_it() {
        let dev = device();
        dev.csr_write(0x10, 1);
        dev.reset();
        assert_eq!(dev.csr_read(0x10), 0);
        assert_eq!(dev.interrupts().count(), 11);
        dev.disconnect();
        assert!(dev.memory().ranges().is_empty());
        assert!(!dev.interrupts().is_connected(0));
    }

    #[test]
    fn flr_resets_the_function_and_is_counted() {
        let dev = device();
        // Plain mailbox storage, zero out of reset.
        let reg = csr::mbx::FW_ZERO_REG::INDEX;
        dev.fw_write(reg, 0x1000);
        assert!(dev.activity().starts_with("function-resets 0 "));
        // Device Control is at 0x48: the FLR bit is bit 7 of its high byte.
        let devctl = (pci::PCIE_CAP_OFFSET + 8) as u64;
        dev.config_write(devctl, &0x2810u16.to_le_bytes()).unwrap();
        assert_eq!(dev.fw_read(reg), 0x1000, "no reset without the FLR bit");
        dev.config_write(devctl, &0xa810u16.to_le_bytes()).unwrap();
        assert_eq!(dev.fw_read(reg), 0);
        assert!(
            dev.activity().starts_with("function-resets 1 "),
            "{}",
            dev.activity()
        );
    }
}
