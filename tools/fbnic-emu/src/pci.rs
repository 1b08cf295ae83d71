// SPDX-License-Identifier: GPL-2.0

//! PCI identity, BAR layout and configuration space of one fbnic function.
//!
//! QEMU's vfio-pci code reads the whole configuration space when it realizes
//! the device, takes the BAR types from the BAR registers and the BAR sizes
//! from the vfio region info, walks the capability lists to find the PCI
//! Express and MSI-X capabilities, and then emulates BARs and MSI-X itself.
//! Guest configuration writes are still forwarded here ("write everything,
//! let the device filter"), so this space keeps the usual hardware rules:
//! each byte has a write mask, status bits are write-one-to-clear and
//! everything else is read-only.

use std::fmt;

use fbnic_hw::csr;

/// Size of the configuration space, including PCI Express extended space.
pub const CONFIG_SPACE_SIZE: usize = 4096;

/// Meta Platforms, Inc.
pub const VENDOR_ID: u16 = csr::PCI_VENDOR_ID_META;
/// The fbnic ASIC.
pub const DEVICE_ID: u16 = csr::PCI_DEVICE_ID_META_FBNIC_ASIC;
/// Ethernet controller: base class 0x02, subclass 0x00, prog-if 0x00.
pub const CLASS_CODE: u32 = 0x02_00_00;
/// The driver does not look at the revision or the subsystem IDs.
pub const REVISION_ID: u8 = 0x00;
pub const SUBSYSTEM_VENDOR_ID: u16 = VENDOR_ID;
pub const SUBSYSTEM_ID: u16 = DEVICE_ID;

// Type 0 header registers (see include/uapi/linux/pci_regs.h).
pub const PCI_VENDOR_ID: usize = 0x00;
pub const PCI_DEVICE_ID: usize = 0x02;
pub const PCI_COMMAND: usize = 0x04;
pub const PCI_STATUS: usize = 0x06;
pub const PCI_REVISION_ID: usize = 0x08;
pub const PCI_CLASS_PROG: usize = 0x09;
pub const PCI_CACHE_LINE_SIZE: usize = 0x0c;
pub const PCI_HEADER_TYPE: usize = 0x0e;
pub const PCI_BASE_ADDRESS_0: usize = 0x10;
pub const PCI_SUBSYSTEM_VENDOR_ID: usize = 0x2c;
pub const PCI_SUBSYSTEM_ID: usize = 0x2e;
pub const PCI_ROM_ADDRESS: usize = 0x30;
pub const PCI_CAPABILITY_LIST: usize = 0x34;
pub const PCI_INTERRUPT_LINE: usize = 0x3c;
pub const PCI_INTERRUPT_PIN: usize = 0x3d;

pub const PCI_COMMAND_MEMORY: u16 = 1 << 1;
pub const PCI_COMMAND_MASTER: u16 = 1 << 2;
const PCI_COMMAND_PARITY: u16 = 1 << 6;
const PCI_COMMAND_SERR: u16 = 1 << 8;
const PCI_COMMAND_INTX_DISABLE: u16 = 1 << 10;
/// Command bits a memory-only endpoint implements. I/O space enable stays 0:
/// the function has no I/O BARs.
const PCI_COMMAND_WRITABLE: u16 = PCI_COMMAND_MEMORY
    | PCI_COMMAND_MASTER
    | PCI_COMMAND_PARITY
    | PCI_COMMAND_SERR
    | PCI_COMMAND_INTX_DISABLE;

pub const PCI_STATUS_CAP_LIST: u16 = 1 << 4;
/// Error bits of the status register, all write-one-to-clear: master data
/// parity error (8), signalled/received target abort (11, 12), received
/// master abort (13), signalled system error (14), detected parity error (15).
const PCI_STATUS_W1C: u16 = 0xf900;

const PCI_BASE_ADDRESS_MEM_TYPE_64: u32 = 0x04;
const PCI_BASE_ADDRESS_MEM_PREFETCH: u32 = 0x08;

// Capability IDs.
pub const PCI_CAP_ID_EXP: u8 = 0x10;
pub const PCI_CAP_ID_MSIX: u8 = 0x11;
pub const PCI_EXT_CAP_ID_DSN: u16 = 0x0003;

/// Offset of the PCI Express capability (version 2, 0x3c bytes).
pub const PCIE_CAP_OFFSET: usize = 0x40;
/// Offset of the MSI-X capability (12 bytes).
pub const MSIX_CAP_OFFSET: usize = 0x80;
/// Extended capabilities start at 0x100; the Device Serial Number comes first.
pub const DSN_ECAP_OFFSET: usize = 0x100;

// PCI Express capability registers, relative to the capability.
const PCI_EXP_FLAGS: usize = 0x02;
const PCI_EXP_DEVCAP: usize = 0x04;
const PCI_EXP_DEVCTL: usize = 0x08;
const PCI_EXP_DEVSTA: usize = 0x0a;
const PCI_EXP_LNKCAP: usize = 0x0c;
const PCI_EXP_LNKCTL: usize = 0x10;
const PCI_EXP_LNKSTA: usize = 0x12;
const PCI_EXP_LNKCAP2: usize = 0x2c;
const PCI_EXP_LNKCTL2: usize = 0x30;
/// Capability version 2, device/port type 0 (PCI Express endpoint).
const PCI_EXP_FLAGS_V2_ENDPOINT: u16 = 0x0002;
/// Function level reset (28), role-based error reporting (15), extended
/// tag field (5), max payload 512 bytes (2:0 = 2). QEMU resets the function
/// through VFIO_DEVICE_RESET; the guest's own function reset (sysfs
/// `reset`, error recovery) is an FLR, see [`initiates_flr`].
const PCI_EXP_DEVCAP_VALUE: u32 = (1 << 28) | (1 << 15) | (1 << 5) | 0x2;
/// Initiate function level reset (15), write-only: reads 0.
const PCI_EXP_DEVCTL_BCR_FLR: u16 = 1 << 15;
/// Error reporting enables (3:0), relaxed ordering (4), max payload (7:5),
/// extended tag (8), no snoop (11), max read request (14:12).
const PCI_EXP_DEVCTL_WRITABLE: u16 = 0x79ff;
/// Correctable/non-fatal/fatal/unsupported-request detected, W1C.
const PCI_EXP_DEVSTA_W1C: u16 = 0x000f;
/// Gen5 (32 GT/s, speed code 5), x16 (width in 9:4).
const PCI_EXP_LNKCAP_VALUE: u32 = (16 << 4) | 5;
/// ASPM control (1:0), read completion boundary (3), common clock (6),
/// extended synch (7).
const PCI_EXP_LNKCTL_WRITABLE: u16 = 0x00cb;
/// Trained at the full capability, slot clock configuration (12).
const PCI_EXP_LNKSTA_VALUE: u16 = (1 << 12) | (16 << 4) | 5;
/// Supported link speeds vector: 2.5, 5, 8, 16 and 32 GT/s (bits 5:1).
const PCI_EXP_LNKCAP2_VALUE: u32 = 0x3e;
/// Target link speed (3:0), reset to the highest supported speed.
const PCI_EXP_LNKCTL2_WRITABLE: u16 = 0x000f;
const PCI_EXP_LNKCTL2_VALUE: u16 = 5;

/// Whether a configuration write of `data` at `offset` sets Device
/// Control's "initiate function level reset" bit. The bit is not stored
/// (it reads 0), so the write itself is the event.
pub fn initiates_flr(offset: u64, data: &[u8]) -> bool {
    let Ok(offset) = usize::try_from(offset) else {
        return false;
    };
    let byte = PCIE_CAP_OFFSET + PCI_EXP_DEVCTL + 1;
    let flr = (PCI_EXP_DEVCTL_BCR_FLR >> 8) as u8;
    byte.checked_sub(offset)
        .and_then(|i| data.get(i))
        .is_some_and(|b| b & flr != 0)
}

// MSI-X capability registers, relative to the capability.
const PCI_MSIX_FLAGS: usize = 0x02;
const PCI_MSIX_TABLE: usize = 0x04;
const PCI_MSIX_PBA: usize = 0x08;
pub const PCI_MSIX_FLAGS_ENABLE: u16 = 1 << 15;
pub const PCI_MSIX_FLAGS_MASKALL: u16 = 1 << 14;

/// A memory BAR of the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bar {
    /// BAR number, which is also the vfio region index.
    pub index: u32,
    /// Size in bytes, a power of two.
    pub size: u64,
    /// True for a 64-bit BAR, which occupies BAR `index` and `index + 1`.
    pub mem64: bool,
    pub prefetchable: bool,
}

impl Bar {
    /// The read-only type bits in the low dword of the BAR register.
    pub fn type_bits(&self) -> u32 {
        (if self.mem64 {
            PCI_BASE_ADDRESS_MEM_TYPE_64
        } else {
            0
        }) | if self.prefetchable {
            PCI_BASE_ADDRESS_MEM_PREFETCH
        } else {
            0
        }
    }
}

/// BAR0: the CSR space. The driver's highest register is the end of the
/// per-queue blocks at byte 0x17fffc; the other blocks all sit below it.
pub const BAR_CSR: Bar = Bar {
    index: csr::CSR_BAR,
    size: 4 << 20,
    mem64: true,
    prefetchable: false,
};

/// BAR2: MSI-X table and PBA. QEMU emulates both on top of this BAR, so guest
/// accesses to it normally never reach the device.
pub const BAR_MSIX: Bar = Bar {
    index: 2,
    size: 8 << 10,
    mem64: true,
    prefetchable: false,
};

/// BAR4: the firmware window. The driver uses the IPC mailbox at bytes
/// 0x18000-0x180ff and the OTP status registers at 0x874/0x878.
pub const BAR_FW: Bar = Bar {
    index: csr::FW_BAR,
    size: 128 << 10,
    mem64: true,
    prefetchable: false,
};

// Every register the driver uses must fit in its BAR.
const _: () = assert!(csr::byte_offset(csr::queue::END) < BAR_CSR.size);
const _: () = assert!(csr::byte_offset(csr::mbx::END) < BAR_FW.size);

/// Every BAR the function implements; BARs 1, 3 and 5 are upper halves.
pub const BARS: [Bar; 3] = [BAR_CSR, BAR_MSIX, BAR_FW];

/// Byte offset of the MSI-X table in [`BAR_MSIX`].
pub const MSIX_TABLE_OFFSET: u32 = 0x0000;
/// Byte offset of the MSI-X pending bit array in [`BAR_MSIX`]: the table
/// of up to [`MAX_MSIX_VECTORS`] 16-byte entries fits below it.
pub const MSIX_PBA_OFFSET: u32 = 0x1000;
/// Largest table: every vector the device addresses
/// (`csr::intr::MAX_MSIX_VECS`). The driver asks for at most 2 + 128.
pub const MAX_MSIX_VECTORS: u16 = {
    let n = csr::intr::MAX_MSIX_VECS;
    assert!(n <= u16::MAX as u32);
    // The table's 16-byte entries fit below the PBA.
    assert!(MSIX_TABLE_OFFSET + 16 * n <= MSIX_PBA_OFFSET);
    n as u16
};

/// What makes one function's configuration space differ from another's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigParams {
    /// Device Serial Number reported in the DSN extended capability.
    pub dsn: u64,
    /// Number of MSI-X vectors, 1..=[`MAX_MSIX_VECTORS`].
    pub msix_vectors: u16,
}

/// A configuration access outside the 4 KiB space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange {
    pub offset: u64,
    pub len: usize,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "config access of {} bytes at {:#x} is outside the {:#x}-byte space",
            self.len, self.offset, CONFIG_SPACE_SIZE
        )
    }
}

impl std::error::Error for OutOfRange {}

/// The configuration space: contents plus per-byte write and
/// write-one-to-clear masks, as in QEMU's own `PCIDevice`.
pub struct ConfigSpace {
    params: ConfigParams,
    data: Box<[u8; CONFIG_SPACE_SIZE]>,
    wmask: Box<[u8; CONFIG_SPACE_SIZE]>,
    w1cmask: Box<[u8; CONFIG_SPACE_SIZE]>,
}

impl ConfigSpace {
    /// Builds the power-on configuration space.
    ///
    /// `params.msix_vectors` is clamped to 1..=[`MAX_MSIX_VECTORS`]; callers
    /// validate it first (see [`crate::device::DeviceParams`]).
    pub fn new(params: ConfigParams) -> Self {
        let mut cs = ConfigSpace {
            params,
            data: Box::new([0; CONFIG_SPACE_SIZE]),
            wmask: Box::new([0; CONFIG_SPACE_SIZE]),
            w1cmask: Box::new([0; CONFIG_SPACE_SIZE]),
        };
        cs.build();
        cs
    }

    /// Function-level reset: back to the power-on contents.
    pub fn reset(&mut self) {
        self.data.fill(0);
        self.wmask.fill(0);
        self.w1cmask.fill(0);
        self.build();
    }

    fn build(&mut self) {
        let vectors = self.params.msix_vectors.clamp(1, MAX_MSIX_VECTORS);

        self.set16(PCI_VENDOR_ID, VENDOR_ID);
        self.set16(PCI_DEVICE_ID, DEVICE_ID);
        self.set16(PCI_STATUS, PCI_STATUS_CAP_LIST);
        self.data[PCI_REVISION_ID] = REVISION_ID;
        self.data[PCI_CLASS_PROG..PCI_CLASS_PROG + 3]
            .copy_from_slice(&CLASS_CODE.to_le_bytes()[..3]);
        // Single-function type 0 header.
        self.data[PCI_HEADER_TYPE] = 0x00;
        self.set16(PCI_SUBSYSTEM_VENDOR_ID, SUBSYSTEM_VENDOR_ID);
        self.set16(PCI_SUBSYSTEM_ID, SUBSYSTEM_ID);
        self.data[PCI_CAPABILITY_LIST] = PCIE_CAP_OFFSET as u8;
        // No INTx: the driver only uses MSI-X, and QEMU then sets up no
        // legacy interrupt routing for the function.
        self.data[PCI_INTERRUPT_PIN] = 0;

        self.set_wmask16(PCI_COMMAND, PCI_COMMAND_WRITABLE);
        self.set_w1cmask16(PCI_STATUS, PCI_STATUS_W1C);
        self.wmask[PCI_CACHE_LINE_SIZE] = 0xff;
        self.wmask[PCI_INTERRUPT_LINE] = 0xff;

        for bar in BARS {
            let reg = PCI_BASE_ADDRESS_0 + 4 * bar.index as usize;
            self.set32(reg, bar.type_bits());
            // Address bits below the size read back as zero: that is how
            // software sizes a BAR. BAR sizes are below 4 GiB, so the upper
            // dword of a 64-bit BAR is fully writable.
            let size_mask = !(bar.size - 1);
            self.set_wmask32(reg, (size_mask as u32) & !0xf);
            if bar.mem64 {
                self.set_wmask32(reg + 4, (size_mask >> 32) as u32);
            }
        }
        // The expansion ROM BAR stays zero and read-only: no ROM.

        self.build_pcie_cap(MSIX_CAP_OFFSET as u8);
        self.build_msix_cap(vectors, 0);
        self.build_dsn_ecap();
    }

    fn build_pcie_cap(&mut self, next: u8) {
        let c = PCIE_CAP_OFFSET;
        self.data[c] = PCI_CAP_ID_EXP;
        self.data[c + 1] = next;
        self.set16(c + PCI_EXP_FLAGS, PCI_EXP_FLAGS_V2_ENDPOINT);
        self.set32(c + PCI_EXP_DEVCAP, PCI_EXP_DEVCAP_VALUE);
        self.set_wmask16(c + PCI_EXP_DEVCTL, PCI_EXP_DEVCTL_WRITABLE);
        // Device Control reset value: max read request 512 bytes (14:12 = 2),
        // no snoop and relaxed ordering enabled, as the spec prescribes.
        self.set16(c + PCI_EXP_DEVCTL, (2 << 12) | (1 << 11) | (1 << 4));
        self.set_w1cmask16(c + PCI_EXP_DEVSTA, PCI_EXP_DEVSTA_W1C);
        self.set32(c + PCI_EXP_LNKCAP, PCI_EXP_LNKCAP_VALUE);
        self.set_wmask16(c + PCI_EXP_LNKCTL, PCI_EXP_LNKCTL_WRITABLE);
        self.set16(c + PCI_EXP_LNKSTA, PCI_EXP_LNKSTA_VALUE);
        self.set32(c + PCI_EXP_LNKCAP2, PCI_EXP_LNKCAP2_VALUE);
        self.set16(c + PCI_EXP_LNKCTL2, PCI_EXP_LNKCTL2_VALUE);
        self.set_wmask16(c + PCI_EXP_LNKCTL2, PCI_EXP_LNKCTL2_WRITABLE);
    }

    fn build_msix_cap(&mut self, vectors: u16, next: u8) {
        let c = MSIX_CAP_OFFSET;
        self.data[c] = PCI_CAP_ID_MSIX;
        self.data[c + 1] = next;
        // Table size is encoded as N - 1.
        self.set16(c + PCI_MSIX_FLAGS, vectors - 1);
        self.set_wmask16(
            c + PCI_MSIX_FLAGS,
            PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL,
        );
        self.set32(c + PCI_MSIX_TABLE, MSIX_TABLE_OFFSET | BAR_MSIX.index);
        self.set32(c + PCI_MSIX_PBA, MSIX_PBA_OFFSET | BAR_MSIX.index);
    }

    fn build_dsn_ecap(&mut self) {
        let c = DSN_ECAP_OFFSET;
        // ID 15:0, version 19:16, next capability offset 31:20 (none).
        self.set32(c, u32::from(PCI_EXT_CAP_ID_DSN) | (1 << 16));
        self.set32(c + 4, self.params.dsn as u32);
        self.set32(c + 8, (self.params.dsn >> 32) as u32);
    }

    /// Copies `buf.len()` bytes starting at `offset` into `buf`.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), OutOfRange> {
        let start = Self::check(offset, buf.len())?;
        buf.copy_from_slice(&self.data[start..start + buf.len()]);
        Ok(())
    }

    /// Applies a write of `bytes` at `offset`: read-only bits keep their
    /// value, write-one-to-clear bits clear where a one is written.
    pub fn write(&mut self, offset: u64, bytes: &[u8]) -> Result<(), OutOfRange> {
        let start = Self::check(offset, bytes.len())?;
        for (i, &val) in bytes.iter().enumerate() {
            let a = start + i;
            let wmask = self.wmask[a];
            let w1c = self.w1cmask[a];
            self.data[a] = ((self.data[a] & !wmask) | (val & wmask)) & !(val & w1c);
        }
        Ok(())
    }

    fn check(offset: u64, len: usize) -> Result<usize, OutOfRange> {
        let err = OutOfRange { offset, len };
        let start = usize::try_from(offset).map_err(|_| err)?;
        match start.checked_add(len) {
            Some(end) if end <= CONFIG_SPACE_SIZE => Ok(start),
            _ => Err(err),
        }
    }

    /// The Device Serial Number this space reports.
    pub fn dsn(&self) -> u64 {
        self.params.dsn
    }

    /// Current value of the command register.
    pub fn command(&self) -> u16 {
        self.get16(PCI_COMMAND)
    }

    /// Current value of the MSI-X message control register.
    pub fn msix_control(&self) -> u16 {
        self.get16(MSIX_CAP_OFFSET + PCI_MSIX_FLAGS)
    }

    /// Reads a little-endian 16-bit field at a fixed offset of this
    /// layout; panics past the end, so never use it with guest offsets.
    pub(crate) fn get16(&self, at: usize) -> u16 {
        u16::from_le_bytes([self.data[at], self.data[at + 1]])
    }

    /// Reads a little-endian 32-bit field, like [`get16`](Self::get16).
    #[cfg(test)]
    pub(crate) fn get32(&self, at: usize) -> u32 {
        let d = &self.data;
        u32::from_le_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]])
    }

    fn set16(&mut self, at: usize, v: u16) {
        self.data[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }

    fn set32(&mut self, at: usize, v: u32) {
        self.data[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn set_wmask16(&mut self, at: usize, m: u16) {
        self.wmask[at..at + 2].copy_from_slice(&m.to_le_bytes());
    }

    fn set_wmask32(&mut self, at: usize, m: u32) {
        self.wmask[at..at + 4].copy_from_slice(&m.to_le_bytes());
    }

    fn set_w1cmask16(&mut self, at: usize, m: u16) {
        self.w1cmask[at..at + 2].copy_from_slice(&m.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DSN: u64 = 0x0200_5eff_fe00_1003;

    fn space(vectors: u16) -> ConfigSpace {
        ConfigSpace::new(ConfigParams {
            dsn: DSN,
            msix_vectors: vectors,
        })
    }

    fn read32(cs: &ConfigSpace, at: u64) -> u32 {
        let mut b = [0u8; 4];
        cs.read(at, &mut b).unwrap();
        u32::from_le_bytes(b)
    }

    fn write32(cs: &mut ConfigSpace, at: u64, v: u32) {
        cs.write(at, &v.to_le_bytes()).unwrap();
    }

    #[test]
    fn flr_bit_of_device_control() {
        let devctl = (PCIE_CAP_OFFSET + PCI_EXP_DEVCTL) as u64;
        assert!(initiates_flr(devctl, &0x8000u16.to_le_bytes()));
        assert!(initiates_flr(devctl + 1, &[0x80]));
        assert!(initiates_flr(
            devctl - 8,
            &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]
        ));
        assert!(!initiates_flr(devctl, &0x7fffu16.to_le_bytes()));
        assert!(!initiates_flr(devctl, &[0x80]));
        assert!(!initiates_flr(devctl + 2, &[0xff, 0xff]));
        let devcap = (PCIE_CAP_OFFSET + PCI_EXP_DEVCAP) as u64;
        assert_ne!(read32(&space(4), devcap) & (1 << 28), 0, "FLR capable");
    }

    /// Walks the standard capability list the way Linux does, returning
    /// (id, offset) pairs; stops on a loop or a pointer into the header.
    fn walk_caps(cs: &ConfigSpace) -> Vec<(u8, usize)> {
        let mut caps = Vec::new();
        let mut pos = cs.data[PCI_CAPABILITY_LIST] as usize & !3;
        while pos >= 0x40 && caps.len() < 48 {
            caps.push((cs.data[pos], pos));
            pos = cs.data[pos + 1] as usize & !3;
        }
        caps
    }

    #[test]
    fn identity_registers() {
        let cs = space(11);
        assert_eq!(read32(&cs, 0x00), 0x0013_1d9b);
        // Class code in the top three bytes, revision in the low one.
        assert_eq!(read32(&cs, 0x08) >> 8, 0x020000);
        assert_eq!(read32(&cs, 0x2c), 0x0013_1d9b);
        assert_ne!(cs.get16(PCI_STATUS) & PCI_STATUS_CAP_LIST, 0);
        assert_eq!(cs.data[PCI_INTERRUPT_PIN], 0);
    }

    #[test]
    fn capability_chain_has_pcie_endpoint_and_msix() {
        let cs = space(11);
        let caps = walk_caps(&cs);
        assert_eq!(
            caps,
            vec![
                (PCI_CAP_ID_EXP, PCIE_CAP_OFFSET),
                (PCI_CAP_ID_MSIX, MSIX_CAP_OFFSET)
            ]
        );
        // Version 2, device/port type 0: PCI Express endpoint.
        let flags = cs.get16(PCIE_CAP_OFFSET + PCI_EXP_FLAGS);
        assert_eq!(flags & 0xf, 2);
        assert_eq!((flags >> 4) & 0xf, 0);
    }

    #[test]
    fn msix_capability_points_into_bar2() {
        let cs = space(11);
        let ctrl = cs.msix_control();
        assert_eq!((ctrl & 0x7ff) + 1, 11);
        assert_eq!(ctrl & (PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL), 0);
        let table = read32(&cs, (MSIX_CAP_OFFSET + PCI_MSIX_TABLE) as u64);
        let pba = read32(&cs, (MSIX_CAP_OFFSET + PCI_MSIX_PBA) as u64);
        assert_eq!(table & 7, BAR_MSIX.index);
        assert_eq!(pba & 7, BAR_MSIX.index);
        // Table and PBA fit in the BAR without overlapping, even at the
        // largest vector count.
        let table_end = u64::from(table & !7) + 16 * u64::from(MAX_MSIX_VECTORS);
        assert!(table_end <= u64::from(pba & !7));
        let pba_end = u64::from(pba & !7) + u64::from(MAX_MSIX_VECTORS).div_ceil(64) * 8;
        assert!(pba_end <= BAR_MSIX.size);
    }

    #[test]
    fn extended_space_starts_with_dsn() {
        let cs = space(11);
        let hdr = read32(&cs, DSN_ECAP_OFFSET as u64);
        assert_eq!(hdr & 0xffff, u32::from(PCI_EXT_CAP_ID_DSN));
        assert_eq!((hdr >> 16) & 0xf, 1, "capability version");
        assert_eq!(hdr >> 20, 0, "last extended capability");
        let lo = read32(&cs, DSN_ECAP_OFFSET as u64 + 4);
        let hi = read32(&cs, DSN_ECAP_OFFSET as u64 + 8);
        assert_eq!(u64::from(hi) << 32 | u64::from(lo), DSN);
        assert_eq!(cs.dsn(), DSN);
    }

    #[test]
    fn read_only_fields_ignore_writes() {
        let mut cs = space(11);
        let before: Vec<u8> = cs.data.to_vec();
        for at in [
            0x00u64, 0x08, 0x2c, 0x34, 0x40, 0x44, 0x4c, 0x84, 0x88, 0x100, 0x104, 0x108,
        ] {
            write32(&mut cs, at, 0xffff_ffff);
            write32(&mut cs, at, 0);
        }
        assert_eq!(cs.data.to_vec(), before);
        // Byte-sized writes are masked the same way.
        cs.write(PCI_INTERRUPT_PIN as u64, &[1]).unwrap();
        assert_eq!(cs.data[PCI_INTERRUPT_PIN], 0);
    }

    #[test]
    fn command_register_keeps_only_implemented_bits() {
        let mut cs = space(11);
        cs.write(PCI_COMMAND as u64, &0xffffu16.to_le_bytes())
            .unwrap();
        assert_eq!(cs.command(), PCI_COMMAND_WRITABLE);
        assert_eq!(cs.command() & 1, 0, "no I/O space");
        cs.write(PCI_COMMAND as u64, &PCI_COMMAND_MEMORY.to_le_bytes())
            .unwrap();
        assert_eq!(cs.command(), PCI_COMMAND_MEMORY);
    }

    #[test]
    fn status_error_bits_are_write_one_to_clear() {
        let mut cs = space(11);
        cs.data[PCI_STATUS + 1] |= 0x20; // received master abort
        cs.write(PCI_STATUS as u64, &0x0010u16.to_le_bytes())
            .unwrap();
        assert_eq!(cs.get16(PCI_STATUS), 0x2010, "writing 0 keeps it");
        cs.write(PCI_STATUS as u64, &0xffffu16.to_le_bytes())
            .unwrap();
        assert_eq!(cs.get16(PCI_STATUS), PCI_STATUS_CAP_LIST);
    }

    #[test]
    fn bar_sizing_reports_sizes_and_64bit_type() {
        let mut cs = space(11);
        for bar in BARS {
            let reg = (PCI_BASE_ADDRESS_0 + 4 * bar.index as usize) as u64;
            assert_eq!(read32(&cs, reg) & 0xf, 0x4, "64-bit, non-prefetchable");
            write32(&mut cs, reg, 0xffff_ffff);
            write32(&mut cs, reg + 4, 0xffff_ffff);
            let lo = read32(&cs, reg);
            let hi = read32(&cs, reg + 4);
            let mask = (u64::from(hi) << 32) | u64::from(lo & !0xf);
            assert_eq!(!mask + 1, bar.size, "BAR{}", bar.index);
            // Programming an address keeps it, with the type bits intact.
            write32(&mut cs, reg, 0xfe00_0000);
            write32(&mut cs, reg + 4, 0x1);
            assert_eq!(read32(&cs, reg), 0xfe00_0004);
            assert_eq!(read32(&cs, reg + 4), 0x1);
        }
        // No expansion ROM: its BAR sizes to zero.
        write32(&mut cs, PCI_ROM_ADDRESS as u64, 0xffff_ffff);
        assert_eq!(read32(&cs, PCI_ROM_ADDRESS as u64), 0);
    }

    #[test]
    fn msix_enable_and_mask_are_writable_table_size_is_not() {
        let mut cs = space(11);
        let at = (MSIX_CAP_OFFSET + PCI_MSIX_FLAGS) as u64;
        cs.write(at, &0xffffu16.to_le_bytes()).unwrap();
        assert_eq!(
            cs.msix_control(),
            PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL | 10
        );
        cs.reset();
        assert_eq!(cs.msix_control(), 10);
    }

    #[test]
    fn pcie_control_and_status() {
        let mut cs = space(11);
        let devctl = (PCIE_CAP_OFFSET + PCI_EXP_DEVCTL) as u64;
        cs.write(devctl, &0xffffu16.to_le_bytes()).unwrap();
        assert_eq!(cs.get16(devctl as usize), PCI_EXP_DEVCTL_WRITABLE);
        let devsta = PCIE_CAP_OFFSET + PCI_EXP_DEVSTA;
        cs.data[devsta] = 0x05;
        cs.write(devsta as u64, &[0x01, 0]).unwrap();
        assert_eq!(cs.data[devsta], 0x04);
    }

    #[test]
    fn accesses_outside_the_space_fail() {
        let mut cs = space(11);
        let mut b = [0u8; 4];
        assert!(cs.read(4094, &mut b).is_err());
        assert!(cs.read(u64::MAX, &mut b).is_err());
        assert!(cs.write(4096, &[0]).is_err());
        assert!(cs.read(4092, &mut b).is_ok());
        let mut all = vec![0u8; CONFIG_SPACE_SIZE];
        assert!(cs.read(0, &mut all).is_ok());
    }

    #[test]
    fn vector_count_is_clamped() {
        assert_eq!(space(0).msix_control() & 0x7ff, 0);
        assert_eq!(space(1000).msix_control() & 0x7ff, MAX_MSIX_VECTORS - 1);
    }
}
