// SPDX-License-Identifier: GPL-2.0

//! fbnic-emu: an emulated Meta fbnic NIC for QEMU, served over vfio-user.
//!
//! Each port is one PCI function (1d9b:0013) on its own unix socket, served
//! by its own thread. The pieces:
//!
//! - [`pci`]: PCI identity, BAR layout, configuration space with its
//!   capabilities (PCI Express, MSI-X, Device Serial Number).
//! - [`regs`]: lock-free dword register storage for BAR0 and BAR4.
//! - [`memory`]: guest RAM mapped from the client's DMA_MAP descriptors.
//! - [`interrupts`]: MSI-X vectors as eventfds.
//! - [`intr`]: the interrupt block (status, mask, auto-clear, cause
//!   routing, CQ rearm) in front of them.
//! - [`device`]: the fbnic device model tying these together and deciding
//!   what each register access does.
//! - [`vfio`]: the vfio-user server glue (regions, SET_IRQS, DMA_MAP, the
//!   socket and the per-port loop).
//! - [`fw`]: the management firmware behind the BAR4 mailbox.
//! - [`link`]: PCS/MAC/SIG link registers and the carrier.
//! - [`blocks`]: idle bitmaps and ring-register write masks.
//! - [`bmc`]: a BMC sharing a port (`--bmc`).
//! - [`ptp`]: the PTP counter.
//! - [`identity`]: serial number to MAC address.
//! - [`mmio`]: counts of the guest's register accesses.
//! - [`rss`]: the classifier's RSS hash, table-driven.
//! - [`control`]: link/sensor/fault options and the control socket.
//! - [`hostile`]: a device gone from the bus, interrupt storms, lost
//!   interrupts; [`hotplug`]: QEMU unplugging and plugging a port.
//! - [`cli`], [`logger`]: the program around it.

pub mod backend;
pub mod bench;
pub mod blocks;
pub mod bmc;
pub mod cli;
pub mod control;
pub mod csum;
#[cfg(test)]
mod datapath_tests;
pub mod device;
pub mod fw;
pub mod hostile;
pub mod hotplug;
pub mod identity;
pub mod interrupts;
pub mod intr;
pub mod link;
pub mod logger;
pub mod lso;
pub mod memory;
pub mod mmio;
pub mod parse;
pub mod pci;
pub mod ptp;
pub mod qmp;
pub mod queues;
pub mod regblock;
pub mod regs;
pub mod rpc;
pub mod rss;
pub mod stats;
pub mod testbed;
pub mod vfio;
