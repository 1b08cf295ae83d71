// SPDX-License-Identifier: GPL-2.0

//! The fbnic register map (BAR0 CSRs and the BAR4 mailbox window).
//!
//! # Units
//!
//! Every register is a type declared with
//! [`register!`](super::reg::register) (see [`super::reg`]): its location is
//! a **dword index**, exactly like the C `FBNIC_*` macros in `fbnic_csr.h`,
//! and the register lives at byte offset `index * 4` of its BAR (see
//! [`byte_offset`] and [`dword_index`]). All registers are 32 bits wide and
//! little endian; 64-bit counters are split into `_L`/`_H` (or
//! `_31_0`/`_63_32`) halves, declared as two registers.
//!
//! # Layout
//!
//! One sub-module per hardware block, each in a file of its own and named
//! after the C prefix it replaces (`FBNIC_INTR_*` is [`intr`],
//! `FBNIC_QUEUE_*` is [`queue`], ...). Inside a block the C prefix is
//! dropped, so `FBNIC_RPC_RMI_CONFIG_ENABLE` is the field
//! `rpc::RMI_CONFIG::ENABLE`. Registers that repeat are arrays indexed by a
//! bounded index type (`intr::STATUS::at(intr::BitmapIdx)`), which cannot
//! hold a number past the array. Fields shared by several registers (the
//! action table layout, say) stay [`Field32`] constants.
//!
//! Each block also exports its `START`/`END` section delimiters (inclusive
//! dword indices), which the register dump (`ethtool -d`) walks and which
//! tell an emulator whether an access hits a known block; [`SECTIONS`] lists
//! them in dump order, which is address order.
//!
//! Nothing here is invented: values come from `fbnic_csr.h` (and, where
//! noted, from `fbnic.h`, `fbnic_mac.h`, `fbnic_mdio.c` or the generic MDIO
//! headers the driver relies on).

use super::field::Field32;
use super::reg::RegInfo;

/// Byte offset within its BAR of the register with dword index `index`.
pub const fn byte_offset(index: u32) -> u64 {
    index as u64 * 4
}

/// Dword index of the register at byte `offset`, or `None` for an offset
/// that is not 4-byte aligned or lies beyond the 32-bit index space.
pub const fn dword_index(offset: u64) -> Option<u32> {
    if offset % 4 != 0 || offset / 4 > u32::MAX as u64 {
        return None;
    }
    Some((offset / 4) as u32)
}

/// PCI vendor ID of Meta Platforms (`PCI_VENDOR_ID_META`, pci_ids.h).
pub const PCI_VENDOR_ID_META: u16 = 0x1d9b;
/// PCI device ID of the fbnic ASIC (`PCI_DEVICE_ID_META_FBNIC_ASIC`).
pub const PCI_DEVICE_ID_META_FBNIC_ASIC: u16 = 0x0013;

/// The port's MAC address in its PCIe Device Serial Number
/// (`fbnic_dsn_to_mac_addr()`): DSN bytes 7, 6, 5, 2, 1, 0, most
/// significant first, an EUI-64 with its middle two bytes left out. The
/// caller still checks that it is a valid unicast address.
pub const fn mac_from_dsn(dsn: u64) -> [u8; 6] {
    let b = dsn.to_be_bytes();
    [b[0], b[1], b[2], b[5], b[6], b[7]]
}

/// BAR holding the CSRs described by every block below except [`mbx`].
pub const CSR_BAR: u32 = 0;
/// BAR holding the firmware mailbox and the OTP status ([`mbx`]).
pub const FW_BAR: u32 = 4;

/// Core clock of the ASIC in Hz; the coalescing tick counters run on it.
pub const CLOCK_FREQ: u32 = 600 * 1000 * 1000;

/// MSI-X vector the firmware mailbox interrupts on (`FBNIC_FW_MSIX_ENTRY`).
pub const FW_MSIX_ENTRY: u32 = 0;
/// MSI-X vector for PCS link events (`FBNIC_PCS_MSIX_ENTRY`).
pub const PCS_MSIX_ENTRY: u32 = 1;
/// Vectors before the first NAPI vector (`FBNIC_NON_NAPI_VECTORS`).
pub const NON_NAPI_VECTORS: u32 = 2;

/// MSI-X vector of queue pair `q`: the queues' vectors follow the
/// [`NON_NAPI_VECTORS`] (`FBNIC_NON_NAPI_VECTORS + q`); saturates instead of
/// wrapping, so a queue past any real count maps past every vector.
pub const fn queue_vector(q: u32) -> u32 {
    NON_NAPI_VECTORS.saturating_add(q)
}

/// Largest frame the MAC and parser accept (`FBNIC_MAX_JUMBO_FRAME_SIZE`).
pub const MAX_JUMBO_FRAME_SIZE: u32 = 9742;

/// Fields of the register-dump version word (`ethtool -d` `regs_version`).
pub mod regs_version {
    use super::Field32;
    /// `FBNIC_REGS_VERSION`.
    pub const VERSION: Field32 = Field32::new(31, 16);
    /// `FBNIC_REGS_HW_TYPE`.
    pub const HW_TYPE: Field32 = Field32::new(15, 8);
    /// `FBNIC_CSR_VERSION_V1_0_ASIC`.
    pub const CSR_VERSION_V1_0_ASIC: u32 = 1;
}

pub mod dump;
pub mod fab;
pub mod intr;
pub mod mac;
pub mod mac_stat;
pub mod master;
pub mod mbx;
pub mod mdio;
pub mod pcie_ss_comphy;
pub mod pcs;
pub mod ptp;
pub mod pul;
pub mod qm_rx;
pub mod qm_tx;
pub mod queue;
pub mod reg_test;
pub mod rpc;
pub mod rpc_ram;
pub mod rxb;
pub mod sig;
pub mod tce;
pub mod tce_ram;
pub mod tmi;

/// A contiguous BAR0 register section, as dumped by `ethtool -d`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// Block name (the C `FBNIC_CSR_START_<name>` suffix).
    pub name: &'static str,
    /// First dword.
    pub start: u32,
    /// Last dword, inclusive.
    pub end: u32,
}

impl Section {
    /// Whether dword `index` lies in this section.
    pub const fn contains(&self, index: u32) -> bool {
        index >= self.start && index <= self.end
    }

    /// Number of dwords in the section (0 if `end` precedes `start`).
    pub const fn dwords(&self) -> u32 {
        if self.end < self.start {
            0
        } else {
            self.end - self.start + 1
        }
    }
}

const fn section(name: &'static str, start: u32, end: u32) -> Section {
    Section { name, start, end }
}

/// BAR0 sections in the order the C register dump emits them; the last one
/// (RPC RAM) is dumped table by table rather than linearly.
pub const SECTIONS: [Section; 20] = [
    section("INTR", intr::START, intr::END),
    section("INTR_CQ", intr::CQ_START, intr::CQ_END),
    section("QM_TX", qm_tx::START, qm_tx::END),
    section("QM_RX", qm_rx::START, qm_rx::END),
    section("TCE", tce::START, tce::END),
    section("TCE_RAM", tce_ram::START, tce_ram::END),
    section("TMI", tmi::START, tmi::END),
    section("PTP", ptp::START, ptp::END),
    section("RXB", rxb::START, rxb::END),
    section("RPC", rpc::START, rpc::END),
    section("FAB", fab::START, fab::END),
    section("MASTER", master::START, master::END),
    section("PCS", pcs::START, pcs::END),
    section("RSFEC", pcs::RSFEC_START, pcs::RSFEC_END),
    section("MAC_MAC", mac::START, mac::END),
    section("SIG", sig::START, sig::END),
    section("PCIE_SS_COMPHY", pcie_ss_comphy::START, pcie_ss_comphy::END),
    section("PUL_USER", pul::START, pul::END),
    section("QUEUE", queue::START, queue::END),
    section("RPC_RAM", rpc_ram::START, rpc_ram::END),
];

/// Every block's register table, in [`SECTIONS`] order, then BAR4.
pub const BLOCKS: [&[RegInfo]; 19] = [
    intr::REGISTERS,
    qm_tx::REGISTERS,
    qm_rx::REGISTERS,
    tce::REGISTERS,
    tce_ram::REGISTERS,
    tmi::REGISTERS,
    ptp::REGISTERS,
    rxb::REGISTERS,
    rpc::REGISTERS,
    fab::REGISTERS,
    master::REGISTERS,
    pcs::REGISTERS,
    mac::REGISTERS,
    sig::REGISTERS,
    mac_stat::REGISTERS,
    pul::REGISTERS,
    queue::REGISTERS,
    rpc_ram::REGISTERS,
    mbx::REGISTERS,
];

/// Every declared register.
pub fn registers() -> impl Iterator<Item = &'static RegInfo> {
    BLOCKS.iter().flat_map(|b| b.iter())
}

/// The first and last dword any register of `block` covers.
const fn extent(block: &[RegInfo]) -> (u32, u32) {
    let (mut lo, mut hi) = (u32::MAX, 0);
    let mut i = 0;
    while i < block.len() {
        let r = &block[i];
        if r.base < lo {
            lo = r.base;
        }
        if let Some(last) = r.index_of(r.dims[0].0 - 1, r.dims[1].0 - 1) {
            if last > hi {
                hi = last;
            }
        }
        i += 1;
    }
    (lo, hi)
}

/// [`extent`] of each of [`BLOCKS`], so that a lookup only searches the
/// blocks whose span holds the dword.
const EXTENTS: [(u32, u32); 19] = {
    let mut e = [(0, 0); 19];
    let mut i = 0;
    while i < BLOCKS.len() {
        e[i] = extent(BLOCKS[i]);
        i += 1;
    }
    e
};

/// The register declared at dword `index` of BAR `bar`, with the instance
/// there. Where two declarations cover one dword (a register and the
/// window it sits in), the first in [`BLOCKS`] order wins.
pub fn lookup(bar: u32, index: u32) -> Option<(&'static RegInfo, u32, u32)> {
    BLOCKS
        .iter()
        .zip(EXTENTS.iter())
        .filter(|(_, &(lo, hi))| index >= lo && index <= hi)
        .flat_map(|(block, _)| block.iter())
        .filter(|r| r.bar == bar)
        .find_map(|r| r.instance(index).map(|(n, m)| (r, n, m)))
}

/// The section holding BAR0 dword `index`, if any.
pub fn section_of(index: u32) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.contains(index))
}

#[cfg(test)]
mod tests;
