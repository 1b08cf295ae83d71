// SPDX-License-Identifier: GPL-2.0

//! DMA that fails, as when an IOMMU faults the device's accesses
//! (`fault PORT dma fail [N]`): the next N packets the engines handle, in
//! either direction, lose their buffer DMA.
//!
//! * RX: the frame's header and payload writes do not reach host memory.
//!   The buffers are used and completed as usual, and the frame's
//!   metadata completion carries `ERR_TRUNCATED_FRAME` (an uncorrectable
//!   error: the driver drops the frame); the queue's `RDE_PKT_ERR_CNT`
//!   counts it instead of `RDE_PKT_CNT`.
//! * TX: the read of the packet's buffers fails: the packet is not sent,
//!   its descriptors are completed as usual (the ring goes on), and the
//!   TX interface counts it in `TTI_FRAME_DROP_PKTS`/`_BYTE`.
//!
//! `fault PORT dma` reports `dma rx-failed N tx-failed M left K`.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use fbnic_hw::csr::tce;

use crate::regs::RegisterFile;
use crate::stats;

/// Failed DMA still to come, and what failed so far.
#[derive(Debug, Default)]
pub(super) struct DmaFaults {
    left: AtomicU32,
    rx_failed: AtomicU64,
    tx_failed: AtomicU64,
}

impl DmaFaults {
    pub(super) fn set(&self, n: u32) {
        self.left.store(n, Ordering::Release);
    }

    /// Whether this packet's DMA fails; uses up one fault if so.
    fn take(&self) -> bool {
        self.left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
            .is_ok()
    }

    /// Whether the RX frame being placed loses its writes (counted).
    pub(super) fn take_rx(&self) -> bool {
        let hit = self.take();
        if hit {
            self.rx_failed.fetch_add(1, Ordering::Relaxed);
        }
        hit
    }

    /// Whether the TX packet of `len` bytes loses its reads; counted by
    /// the device's TX interface if so.
    pub(super) fn take_tx(&self, csr: &RegisterFile, len: usize) -> bool {
        let hit = self.take();
        if hit {
            self.tx_failed.fetch_add(1, Ordering::Relaxed);
            stats::add32(csr, tce::TTI_FRAME_DROP_PKTS::INDEX, 1);
            stats::add64(csr, tce::TTI_FRAME_DROP_BYTE_L::INDEX, len as u64);
        }
        hit
    }

    pub(super) fn report(&self) -> String {
        format!(
            "dma rx-failed {} tx-failed {} left {}",
            self.rx_failed.load(Ordering::Relaxed),
            self.tx_failed.load(Ordering::Relaxed),
            self.left.load(Ordering::Acquire)
        )
    }
}
