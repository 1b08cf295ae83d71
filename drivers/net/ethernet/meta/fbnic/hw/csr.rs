// SPDX-License-Identifier: GPL-2.0

//! The fbnic register map (BAR0 CSRs and the BAR4 mailbox window).
//!
//! # Units
//!
//! Every register number here is a **dword index**, exactly like the C
//! `FBNIC_*` macros in `fbnic_csr.h`: the register lives at byte offset
//! `index * 4` of its BAR (see [`byte_offset`] and [`dword_index`]). All
//! registers are 32 bits wide and little endian; 64-bit counters are split
//! into `_L`/`_H` (or `_31_0`/`_63_32`) halves.
//!
//! # Layout
//!
//! One sub-module per hardware block, in address order, each named after the
//! C prefix it replaces (`FBNIC_INTR_*` is [`intr`], `FBNIC_QUEUE_*` is
//! [`queue`], ...). Inside a block the C prefix is dropped, so
//! `FBNIC_RPC_RMI_CONFIG_ENABLE` is `rpc::RMI_CONFIG_ENABLE`. Registers that
//! repeat take their instance number as an argument of a small `const fn`
//! (`intr::status(n)`), next to a `*_CNT` constant giving the number of
//! instances; the arithmetic wraps instead of panicking, so an index outside
//! `0..CNT` yields a register outside the array rather than a crash.
//! Multi-bit fields are [`Field32`]s; single-bit flags are `u32` masks.
//!
//! Each block also exports its `START`/`END` section delimiters (inclusive
//! dword indices), which the register dump (`ethtool -d`) walks and which
//! tell an emulator whether an access hits a known block; [`SECTIONS`] lists
//! them in dump order.
//!
//! Nothing here is invented: values come from `fbnic_csr.h` (and, where
//! noted, from `fbnic.h`, `fbnic_mac.h`, `fbnic_mdio.c` or the generic MDIO
//! headers the driver relies on).

use super::field::Field32;

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

/// Interrupt controller: per-cause status/mask bitmaps and MSI-X routing.
///
/// Each bitmap is 8 dwords: bit `v % 32` of dword `v / 32` stands for MSI-X
/// vector `v` (up to 256). A cause raised in `STATUS` fires its vector's
/// MSI-X message only while the vector is unmasked; firing masks the vector
/// again (auto-mask) and, for vectors whose `SW_AC_MODE` bit is set, clears
/// the status bit (auto-clear). Software unmasks through `MASK_CLEAR` or the
/// `INTR_UNMASK` bit of [`intr::cq_rearm`].
pub mod intr {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x00000;
    /// Last dword of the block.
    pub const END: u32 = 0x0005f;

    /// Dwords in each of the vector bitmaps below.
    pub const BITMAP_CNT: u32 = 8;

    /// `FBNIC_INTR_STATUS(n)`: pending causes; read to learn what fired.
    pub const fn status(n: u32) -> u32 {
        0x00000u32.wrapping_add(n)
    }
    /// `FBNIC_INTR_MASK(n)`: current masks (1 = masked); read only.
    pub const fn mask(n: u32) -> u32 {
        0x00008u32.wrapping_add(n)
    }
    /// `FBNIC_INTR_SET(n)`: write 1 to raise a cause (software trigger).
    pub const fn set(n: u32) -> u32 {
        0x00010u32.wrapping_add(n)
    }
    /// `FBNIC_INTR_CLEAR(n)`: write 1 to clear a pending cause.
    pub const fn clear(n: u32) -> u32 {
        0x00018u32.wrapping_add(n)
    }
    /// `FBNIC_INTR_SW_STATUS(n)`.
    pub const fn sw_status(n: u32) -> u32 {
        0x00020u32.wrapping_add(n)
    }
    /// `FBNIC_INTR_SW_AC_MODE(n)`: 1 = status auto-clears when it fires.
    /// The driver clears bit 0 so the mailbox cause stays until handled.
    pub const fn sw_ac_mode(n: u32) -> u32 {
        0x00028u32.wrapping_add(n)
    }
    /// `FBNIC_INTR_MASK_SET(n)`: write 1 to mask a vector.
    pub const fn mask_set(n: u32) -> u32 {
        0x00030u32.wrapping_add(n)
    }
    /// `FBNIC_INTR_MASK_CLEAR(n)`: write 1 to unmask a vector.
    pub const fn mask_clear(n: u32) -> u32 {
        0x00038u32.wrapping_add(n)
    }

    /// Number of MSI-X vectors the block can address (`FBNIC_MAX_MSIX_VECS`).
    pub const MAX_MSIX_VECS: u32 = 256;

    /// `FBNIC_INTR_MSIX_CTRL(n)`: routes internal interrupt source `n` (not a
    /// vector) to an MSI-X vector.
    pub const fn msix_ctrl(n: u32) -> u32 {
        0x00040u32.wrapping_add(n)
    }
    /// Number of `MSIX_CTRL` registers.
    pub const MSIX_CTRL_CNT: u32 = 256;
    /// Target vector of an `MSIX_CTRL` source.
    pub const MSIX_CTRL_VECTOR: Field32 = Field32::new(7, 0);
    /// The source is routed (and may fire) only while this bit is set.
    pub const MSIX_CTRL_ENABLE: u32 = 1 << 31;
    /// Source number of the RX buffer (pause storm) interrupt.
    pub const MSIX_CTRL_RXB_IDX: u32 = 7;
    /// Source number of the PCS link-change interrupt.
    pub const MSIX_CTRL_PCS_IDX: u32 = 34;

    /// First dword of the completion-queue rearm block.
    pub const CQ_START: u32 = 0x00400;
    /// Last dword of the completion-queue rearm block.
    pub const CQ_END: u32 = 0x007fe;
    /// Number of vectors with a rearm register set.
    pub const CQ_REARM_CNT: u32 = 256;

    /// `FBNIC_INTR_CQ_REARM(n)`: per-vector rearm; note the stride of 4
    /// dwords (one register set of 16 bytes per vector).
    pub const fn cq_rearm(n: u32) -> u32 {
        0x00400u32.wrapping_add(n.wrapping_mul(4))
    }
    /// RX completion coalescing timeout in microseconds.
    pub const CQ_REARM_RCQ_TIMEOUT: Field32 = Field32::new(13, 0);
    /// Apply `RCQ_TIMEOUT` from this write.
    pub const CQ_REARM_RCQ_TIMEOUT_UPD_EN: u32 = 1 << 14;
    /// TX completion coalescing timeout in microseconds.
    pub const CQ_REARM_TCQ_TIMEOUT: Field32 = Field32::new(28, 15);
    /// Apply `TCQ_TIMEOUT` from this write.
    pub const CQ_REARM_TCQ_TIMEOUT_UPD_EN: u32 = 1 << 29;
    /// Reload the coalescing timers.
    pub const CQ_REARM_INTR_RELOAD: u32 = 1 << 30;
    /// Unmask the vector (the NAPI poll's final re-enable).
    pub const CQ_REARM_INTR_UNMASK: u32 = 1 << 31;

    /// `FBNIC_INTR_RCQ_TIMEOUT(n)`.
    pub const fn rcq_timeout(n: u32) -> u32 {
        0x00401u32.wrapping_add(n.wrapping_mul(4))
    }
    /// `FBNIC_INTR_TCQ_TIMEOUT(n)`.
    pub const fn tcq_timeout(n: u32) -> u32 {
        0x00402u32.wrapping_add(n.wrapping_mul(4))
    }
}

/// Global TX queue manager: idle bitmaps, default metadata and DMA tuning.
///
/// The `*_IDLE` registers are bitmaps with one bit per queue (bit `q % 32`
/// of instance `q / 32`); the driver waits for all of them to read all-ones
/// before it tears down rings.
pub mod qm_tx {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x00800;
    /// Last dword of the block.
    pub const END: u32 = 0x00873;

    /// `FBNIC_QM_TWQ_IDLE(n)`: TX work queues with nothing in flight.
    pub const fn twq_idle(n: u32) -> u32 {
        0x00800u32.wrapping_add(n)
    }
    /// Instances of `TWQ_IDLE`.
    pub const TWQ_IDLE_CNT: u32 = 8;
    /// `FBNIC_QM_TWQ_DEFAULT_META_L`: low half of the metadata used for TWQ1
    /// (XDP) frames, which carry no META descriptor of their own.
    pub const TWQ_DEFAULT_META_L: u32 = 0x00818;
    /// `FBNIC_QM_TWQ_DEFAULT_META_H`: high half of the default metadata.
    pub const TWQ_DEFAULT_META_H: u32 = 0x00819;

    /// `FBNIC_QM_TQS_CTL0`.
    pub const TQS_CTL0: u32 = 0x0081b;
    /// Which LSO segment carries the TX timestamp (see `TQS_CTL0_LSO_TS_*`).
    pub const TQS_CTL0_LSO_TS_MASK: u32 = 1 << 0;
    /// Timestamp the first LSO segment.
    pub const TQS_CTL0_LSO_TS_FIRST: u32 = 0;
    /// Timestamp the last LSO segment.
    pub const TQS_CTL0_LSO_TS_LAST: u32 = 1;
    /// Descriptor prefetch threshold.
    pub const TQS_CTL0_PREFETCH_THRESH: Field32 = Field32::new(7, 1);
    /// Smallest prefetch threshold the driver programs.
    pub const TQS_CTL0_PREFETCH_THRESH_MIN: u32 = 16;

    /// `FBNIC_QM_TQS_CTL1`.
    pub const TQS_CTL1: u32 = 0x0081c;
    /// Credits for the management-controller path.
    pub const TQS_CTL1_MC_MAX_CREDITS: Field32 = Field32::new(7, 0);
    /// Credits for the bulk (host) path.
    pub const TQS_CTL1_BULK_MAX_CREDITS: Field32 = Field32::new(15, 8);
    /// `FBNIC_QM_TQS_MTU_CTL0`.
    pub const TQS_MTU_CTL0: u32 = 0x0081d;
    /// `FBNIC_QM_TQS_MTU_CTL1`.
    pub const TQS_MTU_CTL1: u32 = 0x0081e;
    /// Largest bulk frame.
    pub const TQS_MTU_CTL1_BULK: Field32 = Field32::new(13, 0);

    /// `FBNIC_QM_TCQ_IDLE(n)`: TX completion queues with nothing pending.
    pub const fn tcq_idle(n: u32) -> u32 {
        0x00821u32.wrapping_add(n)
    }
    /// Instances of `TCQ_IDLE`.
    pub const TCQ_IDLE_CNT: u32 = 4;

    /// `FBNIC_QM_TCQ_CTL0`: TX completion write coalescing.
    pub const TCQ_CTL0: u32 = 0x0082d;
    /// Ticks to wait before writing out a partial completion batch.
    pub const TCQ_CTL0_COAL_WAIT: Field32 = Field32::new(15, 0);
    /// Core clock cycles per tick.
    pub const TCQ_CTL0_TICK_CYCLES: Field32 = Field32::new(26, 16);

    /// `FBNIC_QM_TQS_IDLE(n)`: TX queue schedulers idle.
    pub const fn tqs_idle(n: u32) -> u32 {
        0x00830u32.wrapping_add(n)
    }
    /// Instances of `TQS_IDLE`.
    pub const TQS_IDLE_CNT: u32 = 8;
    /// `FBNIC_QM_TQS_EDT_TS_RANGE`: earliest-departure-time horizon.
    pub const TQS_EDT_TS_RANGE: u32 = 0x00849;

    /// `FBNIC_QM_TDE_IDLE(n)`: TX DMA engines idle.
    pub const fn tde_idle(n: u32) -> u32 {
        0x00853u32.wrapping_add(n)
    }
    /// Instances of `TDE_IDLE`.
    pub const TDE_IDLE_CNT: u32 = 8;

    /// `FBNIC_QM_TNI_TDF_CTL`: descriptor fetch read requests.
    pub const TNI_TDF_CTL: u32 = 0x0086c;
    /// Max read request size code.
    pub const TNI_TDF_CTL_MRRS: Field32 = Field32::new(1, 0);
    /// Cache line size code.
    pub const TNI_TDF_CTL_CLS: Field32 = Field32::new(3, 2);
    /// Max outstanding transactions.
    pub const TNI_TDF_CTL_MAX_OT: Field32 = Field32::new(11, 4);
    /// Max outstanding bytes.
    pub const TNI_TDF_CTL_MAX_OB: Field32 = Field32::new(23, 12);
    /// `FBNIC_QM_TNI_TDE_CTL`: TX data read requests.
    pub const TNI_TDE_CTL: u32 = 0x0086d;
    /// Max read request size code.
    pub const TNI_TDE_CTL_MRRS: Field32 = Field32::new(1, 0);
    /// Cache line size code.
    pub const TNI_TDE_CTL_CLS: Field32 = Field32::new(3, 2);
    /// Max outstanding transactions.
    pub const TNI_TDE_CTL_MAX_OT: Field32 = Field32::new(11, 4);
    /// Max outstanding bytes.
    pub const TNI_TDE_CTL_MAX_OB: Field32 = Field32::new(24, 12);
    /// Cap read requests at 1 KiB.
    pub const TNI_TDE_CTL_MRRS_1K: u32 = 1 << 25;
    /// `FBNIC_QM_TNI_TCM_CTL`: TX completion writes.
    pub const TNI_TCM_CTL: u32 = 0x0086e;
    /// Max payload size code.
    pub const TNI_TCM_CTL_MPS: Field32 = Field32::new(1, 0);
    /// Cache line size code.
    pub const TNI_TCM_CTL_CLS: Field32 = Field32::new(3, 2);
    /// Max outstanding transactions.
    pub const TNI_TCM_CTL_MAX_OT: Field32 = Field32::new(11, 4);
    /// Max outstanding bytes.
    pub const TNI_TCM_CTL_MAX_OB: Field32 = Field32::new(23, 12);
}

/// Global RX queue manager: idle bitmaps, completion coalescing, DMA tuning.
pub mod qm_rx {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x00c00;
    /// Last dword of the block.
    pub const END: u32 = 0x00c34;

    /// `FBNIC_QM_RCQ_IDLE(n)`: RX completion queues idle (bit per queue).
    pub const fn rcq_idle(n: u32) -> u32 {
        0x00c00u32.wrapping_add(n)
    }
    /// Instances of `RCQ_IDLE`.
    pub const RCQ_IDLE_CNT: u32 = 4;
    /// `FBNIC_QM_RCQ_CTL0`: RX completion write coalescing.
    pub const RCQ_CTL0: u32 = 0x00c0c;
    /// Ticks to wait before writing out a partial completion batch.
    pub const RCQ_CTL0_COAL_WAIT: Field32 = Field32::new(15, 0);
    /// Core clock cycles per tick.
    pub const RCQ_CTL0_TICK_CYCLES: Field32 = Field32::new(26, 16);
    /// `FBNIC_QM_HPQ_IDLE(n)`: header page queues idle.
    pub const fn hpq_idle(n: u32) -> u32 {
        0x00c0fu32.wrapping_add(n)
    }
    /// Instances of `HPQ_IDLE`.
    pub const HPQ_IDLE_CNT: u32 = 4;
    /// `FBNIC_QM_PPQ_IDLE(n)`: payload page queues idle.
    pub const fn ppq_idle(n: u32) -> u32 {
        0x00c13u32.wrapping_add(n)
    }
    /// Instances of `PPQ_IDLE`.
    pub const PPQ_IDLE_CNT: u32 = 4;

    /// `FBNIC_QM_RNI_RBP_CTL`: buffer descriptor fetch reads.
    pub const RNI_RBP_CTL: u32 = 0x00c2d;
    /// Max read request size code.
    pub const RNI_RBP_CTL_MRRS: Field32 = Field32::new(1, 0);
    /// Cache line size code.
    pub const RNI_RBP_CTL_CLS: Field32 = Field32::new(3, 2);
    /// Max outstanding transactions.
    pub const RNI_RBP_CTL_MAX_OT: Field32 = Field32::new(11, 4);
    /// Max outstanding bytes.
    pub const RNI_RBP_CTL_MAX_OB: Field32 = Field32::new(23, 12);
    /// `FBNIC_QM_RNI_RDE_CTL`: packet data writes.
    pub const RNI_RDE_CTL: u32 = 0x00c2e;
    /// Max payload size code.
    pub const RNI_RDE_CTL_MPS: Field32 = Field32::new(1, 0);
    /// Cache line size code.
    pub const RNI_RDE_CTL_CLS: Field32 = Field32::new(3, 2);
    /// Max outstanding transactions.
    pub const RNI_RDE_CTL_MAX_OT: Field32 = Field32::new(11, 4);
    /// Max outstanding bytes.
    pub const RNI_RDE_CTL_MAX_OB: Field32 = Field32::new(23, 12);
    /// `FBNIC_QM_RNI_RCM_CTL`: RX completion writes.
    pub const RNI_RCM_CTL: u32 = 0x00c2f;
    /// Max payload size code.
    pub const RNI_RCM_CTL_MPS: Field32 = Field32::new(1, 0);
    /// Cache line size code.
    pub const RNI_RCM_CTL_CLS: Field32 = Field32::new(3, 2);
    /// Max outstanding transactions.
    pub const RNI_RCM_CTL_MAX_OT: Field32 = Field32::new(11, 4);
    /// Max outstanding bytes.
    pub const RNI_RCM_CTL_MAX_OB: Field32 = Field32::new(23, 12);
}

/// TX checksum/segmentation engine and TX buffer (TCE/TXB), plus its drop
/// counters.
pub mod tce {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x04000;
    /// Last dword of the block.
    pub const END: u32 = 0x04050;
    /// `FBNIC_TCE_REG_BASE`.
    pub const REG_BASE: u32 = 0x04000;

    /// `FBNIC_TCE_LSO_CTRL`: TCP flags cleared in each kind of LSO segment.
    pub const LSO_CTRL: u32 = 0x04000;
    /// Flags cleared in the first segment (9 TCP flag bits, FIN = bit 0).
    pub const LSO_CTRL_TCPF_CLR_1ST: Field32 = Field32::new(8, 0);
    /// Flags cleared in middle segments.
    pub const LSO_CTRL_TCPF_CLR_MID: Field32 = Field32::new(17, 9);
    /// Flags cleared in the last segment.
    pub const LSO_CTRL_TCPF_CLR_END: Field32 = Field32::new(26, 18);
    /// Increment the IPv4 ID per segment.
    pub const LSO_CTRL_IPID_MODE_INC: u32 = 1 << 27;

    /// `FBNIC_TCE_CSO_CTRL`.
    pub const CSO_CTRL: u32 = 0x04001;
    /// Replace a computed TCP checksum of 0 (see C driver usage).
    pub const CSO_CTRL_TCP_ZERO_CSUM: u32 = 1 << 0;

    /// `FBNIC_TCE_TXB_CTRL`.
    pub const TXB_CTRL: u32 = 0x04002;
    /// Latch the TXB configuration written so far.
    pub const TXB_CTRL_LOAD: u32 = 1 << 0;
    /// Enable the TX TCAM (BMC/FW destination lookup).
    pub const TXB_CTRL_TCAM_ENABLE: u32 = 1 << 1;
    /// Disable the TX buffer.
    pub const TXB_CTRL_DISABLE: u32 = 1 << 2;

    /// `FBNIC_TCE_TXB_ENQ_WRR_CTRL`.
    pub const TXB_ENQ_WRR_CTRL: u32 = 0x04003;
    /// Weight of enqueue source 0.
    pub const TXB_ENQ_WRR_CTRL_WEIGHT0: Field32 = Field32::new(7, 0);
    /// Weight of enqueue source 1.
    pub const TXB_ENQ_WRR_CTRL_WEIGHT1: Field32 = Field32::new(15, 8);
    /// Weight of enqueue source 2.
    pub const TXB_ENQ_WRR_CTRL_WEIGHT2: Field32 = Field32::new(23, 16);

    /// `FBNIC_TCE_TXB_TEI_Q0_CTRL`.
    pub const TXB_TEI_Q0_CTRL: u32 = 0x04004;
    /// `FBNIC_TCE_TXB_TEI_Q1_CTRL`.
    pub const TXB_TEI_Q1_CTRL: u32 = 0x04005;
    /// `FBNIC_TCE_TXB_MC_Q_CTRL`.
    pub const TXB_MC_Q_CTRL: u32 = 0x04006;
    /// `FBNIC_TCE_TXB_RX_TEI_Q_CTRL`.
    pub const TXB_RX_TEI_Q_CTRL: u32 = 0x04007;
    /// `FBNIC_TCE_TXB_RX_BMC_Q_CTRL`.
    pub const TXB_RX_BMC_Q_CTRL: u32 = 0x04008;
    /// Start of a TXB queue in the buffer (all `*_Q_CTRL` registers).
    pub const TXB_Q_CTRL_START: Field32 = Field32::new(10, 0);
    /// Size of a TXB queue in the buffer.
    pub const TXB_Q_CTRL_SIZE: Field32 = Field32::new(22, 11);

    /// `FBNIC_TCE_TXB_TEI_DWRR_CTRL`.
    pub const TXB_TEI_DWRR_CTRL: u32 = 0x04009;
    /// Quantum 0.
    pub const TXB_TEI_DWRR_CTRL_QUANTUM0: Field32 = Field32::new(7, 0);
    /// Quantum 1.
    pub const TXB_TEI_DWRR_CTRL_QUANTUM1: Field32 = Field32::new(15, 8);
    /// `FBNIC_TCE_TXB_NTWRK_DWRR_CTRL`.
    pub const TXB_NTWRK_DWRR_CTRL: u32 = 0x0400a;
    /// Quantum 0.
    pub const TXB_NTWRK_DWRR_CTRL_QUANTUM0: Field32 = Field32::new(7, 0);
    /// Quantum 1.
    pub const TXB_NTWRK_DWRR_CTRL_QUANTUM1: Field32 = Field32::new(15, 8);
    /// Quantum 2.
    pub const TXB_NTWRK_DWRR_CTRL_QUANTUM2: Field32 = Field32::new(23, 16);

    /// `FBNIC_TCE_TXB_CLDR_CFG`: calendar length.
    pub const TXB_CLDR_CFG: u32 = 0x0400b;
    /// Number of calendar slots in use.
    pub const TXB_CLDR_CFG_NUM_SLOT: Field32 = Field32::new(5, 0);
    /// `FBNIC_TCE_TXB_CLDR_SLOT_CFG(n)`: 16 slot words, each holding sixteen
    /// 2-bit destination IDs (`DEST_ID_i_j` at bits `8i+2j+1 : 8i+2j`).
    pub const fn txb_cldr_slot_cfg(n: u32) -> u32 {
        0x0400cu32.wrapping_add(n)
    }
    /// Instances of `TXB_CLDR_SLOT_CFG`.
    pub const TXB_CLDR_SLOT_CFG_CNT: u32 = 16;
    /// Destination ID `j` (0..4) of group `i` (0..4) in a calendar slot word
    /// (`FBNIC_TCE_TXB_CLDR_SLOT_CFG_DEST_ID_i_j`).
    pub const fn txb_cldr_slot_dest_id(i: u32, j: u32) -> Field32 {
        let lo = (i % 4) * 8 + (j % 4) * 2;
        Field32::new(lo + 1, lo)
    }

    /// `FBNIC_TCE_BMC_MAX_PKTSZ`.
    pub const BMC_MAX_PKTSZ: u32 = 0x0403a;
    /// Largest frame towards the BMC from the host.
    pub const BMC_MAX_PKTSZ_TX: Field32 = Field32::new(13, 0);
    /// Largest frame from the BMC.
    pub const BMC_MAX_PKTSZ_RX: Field32 = Field32::new(27, 14);
    /// `FBNIC_TCE_MC_MAX_PKTSZ`.
    pub const MC_MAX_PKTSZ: u32 = 0x0403b;
    /// Largest frame to the management controller.
    pub const MC_MAX_PKTSZ_TMI: Field32 = Field32::new(13, 0);

    /// `FBNIC_TCE_SOP_PROT_CTRL`: start-of-packet protection thresholds.
    pub const SOP_PROT_CTRL: u32 = 0x0403c;
    /// TBI threshold.
    pub const SOP_PROT_CTRL_TBI: Field32 = Field32::new(7, 0);
    /// TTI frame threshold.
    pub const SOP_PROT_CTRL_TTI_FRM: Field32 = Field32::new(14, 8);
    /// TTI control-message threshold.
    pub const SOP_PROT_CTRL_TTI_CM: Field32 = Field32::new(18, 15);

    /// `FBNIC_TCE_DROP_CTRL`.
    pub const DROP_CTRL: u32 = 0x0403d;
    /// Drop control messages on TTI overflow.
    pub const DROP_CTRL_TTI_CM_DROP_EN: u32 = 1 << 0;
    /// Drop frames on TTI overflow.
    pub const DROP_CTRL_TTI_FRM_DROP_EN: u32 = 1 << 1;
    /// Drop frames on TBI overflow.
    pub const DROP_CTRL_TTI_TBI_DROP_EN: u32 = 1 << 2;

    /// `FBNIC_TCE_TTI_CM_DROP_PKTS` (32-bit counter; rtnl `tx_dropped`).
    pub const TTI_CM_DROP_PKTS: u32 = 0x0403e;
    /// `FBNIC_TCE_TTI_CM_DROP_BYTE_L` (64-bit counter, high half at +1).
    pub const TTI_CM_DROP_BYTE_L: u32 = 0x0403f;
    /// `FBNIC_TCE_TTI_CM_DROP_BYTE_H`.
    pub const TTI_CM_DROP_BYTE_H: u32 = 0x04040;
    /// `FBNIC_TCE_TTI_FRAME_DROP_PKTS`.
    pub const TTI_FRAME_DROP_PKTS: u32 = 0x04041;
    /// `FBNIC_TCE_TTI_FRAME_DROP_BYTE_L`.
    pub const TTI_FRAME_DROP_BYTE_L: u32 = 0x04042;
    /// `FBNIC_TCE_TTI_FRAME_DROP_BYTE_H`.
    pub const TTI_FRAME_DROP_BYTE_H: u32 = 0x04043;
    /// `FBNIC_TCE_TBI_DROP_PKTS`.
    pub const TBI_DROP_PKTS: u32 = 0x04044;
    /// `FBNIC_TCE_TBI_DROP_BYTE_L` (high half at +1).
    pub const TBI_DROP_BYTE_L: u32 = 0x04045;

    /// `FBNIC_TCE_TCAM_IDX2DEST_MAP`: 4-bit destination set per TX TCAM entry.
    pub const TCAM_IDX2DEST_MAP: u32 = 0x0404a;
    /// Destination set of entry 0; entry `i` is this shifted by `4 * i`.
    pub const TCAM_IDX2DEST_MAP_DEST_ID_0: Field32 = Field32::new(3, 0);
    /// Destination: network (MAC).
    pub const TCAM_DEST_MAC: u32 = 1;
    /// Destination: BMC.
    pub const TCAM_DEST_BMC: u32 = 2;
    /// Destination: firmware.
    pub const TCAM_DEST_FW: u32 = 4;

    /// `FBNIC_TCE_TXB_TX_BMC_Q_CTRL`.
    pub const TXB_TX_BMC_Q_CTRL: u32 = 0x0404b;
    /// `FBNIC_TCE_TXB_BMC_DWRR_CTRL`.
    pub const TXB_BMC_DWRR_CTRL: u32 = 0x0404c;
    /// Quantum 0.
    pub const TXB_BMC_DWRR_CTRL_QUANTUM0: Field32 = Field32::new(7, 0);
    /// Quantum 1.
    pub const TXB_BMC_DWRR_CTRL_QUANTUM1: Field32 = Field32::new(15, 8);
    /// `FBNIC_TCE_TXB_TEI_DWRR_CTRL_EXT`.
    pub const TXB_TEI_DWRR_CTRL_EXT: u32 = 0x0404d;
    /// `FBNIC_TCE_TXB_NTWRK_DWRR_CTRL_EXT`.
    pub const TXB_NTWRK_DWRR_CTRL_EXT: u32 = 0x0404e;
    /// `FBNIC_TCE_TXB_BMC_DWRR_CTRL_EXT`.
    pub const TXB_BMC_DWRR_CTRL_EXT: u32 = 0x0404f;
}

/// TX TCAM (RAM part of the TCE): steers host frames addressed to the BMC.
///
/// Unlike the RX TCAMs, the **mask is in the low half** and the value in the
/// high half of each word.
pub mod tce_ram {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x04200;
    /// Last dword of the block.
    pub const END: u32 = 0x0421f;
    /// Entries in the TX TCAM (`FBNIC_TCE_TCAM_NUM_ENTRIES`).
    pub const TCAM_NUM_ENTRIES: u32 = 8;
    /// Match words per entry (`FBNIC_TCE_TCAM_WORD_LEN`): the MAC address as
    /// three big-endian u16s, word 0 holding bytes 4..6.
    pub const TCAM_WORD_LEN: u32 = 3;

    /// `FBNIC_TCE_RAM_TCAM(m, n)`: word `word` of entry `entry`.
    pub const fn tcam(entry: u32, word: u32) -> u32 {
        0x04200u32
            .wrapping_add(word.wrapping_mul(8))
            .wrapping_add(entry)
    }
    /// Don't-care bits of a TX TCAM word.
    pub const TCAM_MASK: Field32 = Field32::new(15, 0);
    /// Value of a TX TCAM word.
    pub const TCAM_VALUE: Field32 = Field32::new(31, 16);
    /// `FBNIC_TCE_RAM_TCAM3(n)`: control word of entry `n`.
    pub const fn tcam3(n: u32) -> u32 {
        0x04218u32.wrapping_add(n)
    }
    /// Destination mask bits of the control word.
    pub const TCAM3_DEST_MASK: Field32 = Field32::new(5, 3);
    /// Multicast-queue mask bit.
    pub const TCAM3_MCQ_MASK: u32 = 1 << 7;
    /// Entry valid.
    pub const TCAM3_VALIDATE: u32 = 1 << 31;
}

/// TX MAC interface (TMI): drop and PTP counters, large-frame histograms.
pub mod tmi {
    /// First dword of the block.
    pub const START: u32 = 0x04400;
    /// Last dword of the block.
    pub const END: u32 = 0x0443f;
    /// `FBNIC_TMI_SOP_PROT_CTRL`.
    pub const SOP_PROT_CTRL: u32 = 0x04400;
    /// `FBNIC_TMI_DROP_CTRL`.
    pub const DROP_CTRL: u32 = 0x04401;
    /// Enable drops.
    pub const DROP_CTRL_EN: u32 = 1 << 0;
    /// `FBNIC_TMI_DROP_PKTS` (32-bit counter; rtnl `tx_dropped`).
    pub const DROP_PKTS: u32 = 0x04402;
    /// `FBNIC_TMI_DROP_BYTE_L` (64-bit counter, high half at +1).
    pub const DROP_BYTE_L: u32 = 0x04403;
    /// `FBNIC_TMI_ILLEGAL_PTP_REQS`.
    pub const ILLEGAL_PTP_REQS: u32 = 0x04409;
    /// `FBNIC_TMI_GOOD_PTP_TS`.
    pub const GOOD_PTP_TS: u32 = 0x0440a;
    /// `FBNIC_TMI_BAD_PTP_TS`.
    pub const BAD_PTP_TS: u32 = 0x0440b;
    /// `FBNIC_TMI_STAT_TX_PACKET_1519_2047_BYTES_L` (high half at +1).
    pub const STAT_TX_PACKET_1519_2047_BYTES_L: u32 = 0x04433;
    /// `FBNIC_TMI_STAT_TX_PACKET_2048_4095_BYTES_L`.
    pub const STAT_TX_PACKET_2048_4095_BYTES_L: u32 = 0x04435;
    /// `FBNIC_TMI_STAT_TX_PACKET_4096_8191_BYTES_L`.
    pub const STAT_TX_PACKET_4096_8191_BYTES_L: u32 = 0x04437;
    /// `FBNIC_TMI_STAT_TX_PACKET_8192_9216_BYTES_L`.
    pub const STAT_TX_PACKET_8192_9216_BYTES_L: u32 = 0x04439;
    /// `FBNIC_TMI_STAT_TX_PACKET_9217_MAX_BYTES_L`.
    pub const STAT_TX_PACKET_9217_MAX_BYTES_L: u32 = 0x0443b;
}

/// PTP clock: a free-running nanosecond counter with a fractional adder.
pub mod ptp {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x04800;
    /// Last dword of the block.
    pub const END: u32 = 0x0480d;
    /// `FBNIC_PTP_REG_BASE`.
    pub const REG_BASE: u32 = 0x04800;

    /// `FBNIC_PTP_CTRL`.
    pub const CTRL: u32 = 0x04800;
    /// Run the clock.
    pub const CTRL_EN: u32 = 1 << 0;
    /// Keep the monotonic copy running.
    pub const CTRL_MONO_EN: u32 = 1 << 4;
    /// Feed time to the TX queue scheduler.
    pub const CTRL_TQS_OUT_EN: u32 = 1 << 8;
    /// Interval of time updates to the MAC.
    pub const CTRL_MAC_OUT_IVAL: Field32 = Field32::new(16, 12);
    /// Tick interval.
    pub const CTRL_TICK_IVAL: Field32 = Field32::new(23, 20);

    /// `FBNIC_PTP_ADJUST`: write-1 commands.
    pub const ADJUST: u32 = 0x04801;
    /// Load the counter from `INIT_HI/LO`.
    pub const ADJUST_INIT: u32 = 1 << 0;
    /// Subtract the nudge.
    pub const ADJUST_SUB_NUDGE: u32 = 1 << 8;
    /// Add the nudge.
    pub const ADJUST_ADD_NUDGE: u32 = 1 << 16;
    /// Load the adder from `ADD_VAL_NS/SUBNS`.
    pub const ADJUST_ADDEND_SET: u32 = 1 << 24;

    /// `FBNIC_PTP_INIT_HI`.
    pub const INIT_HI: u32 = 0x04802;
    /// `FBNIC_PTP_INIT_LO`.
    pub const INIT_LO: u32 = 0x04803;
    /// `FBNIC_PTP_NUDGE_NS`.
    pub const NUDGE_NS: u32 = 0x04804;
    /// `FBNIC_PTP_NUDGE_SUBNS`.
    pub const NUDGE_SUBNS: u32 = 0x04805;
    /// `FBNIC_PTP_ADD_VAL_NS`: whole nanoseconds added per tick.
    pub const ADD_VAL_NS: u32 = 0x04806;
    /// Valid bits of `ADD_VAL_NS`.
    pub const ADD_VAL_NS_MASK: Field32 = Field32::new(15, 0);
    /// `FBNIC_PTP_ADD_VAL_SUBNS`: fractional nanoseconds per tick.
    pub const ADD_VAL_SUBNS: u32 = 0x04807;
    /// `FBNIC_PTP_CTR_VAL_HI`: current time, high half (ns).
    pub const CTR_VAL_HI: u32 = 0x04808;
    /// `FBNIC_PTP_CTR_VAL_LO`: current time, low half (ns).
    pub const CTR_VAL_LO: u32 = 0x04809;
    /// `FBNIC_PTP_MONO_PTP_CTR_HI`.
    pub const MONO_PTP_CTR_HI: u32 = 0x0480a;
    /// `FBNIC_PTP_MONO_PTP_CTR_LO`.
    pub const MONO_PTP_CTR_LO: u32 = 0x0480b;
    /// `FBNIC_PTP_CDC_FIFO_STATUS`.
    pub const CDC_FIFO_STATUS: u32 = 0x0480c;
    /// `FBNIC_PTP_SPARE`.
    pub const SPARE: u32 = 0x0480d;
}

/// RX buffer (RXB): packet buffer partitioning, pause/drop/ECN thresholds and
/// the per-FIFO / per-interface counters behind `ethtool -S`.
///
/// Counter instances are indexed by FIFO (`FIFO_*`), enqueue interface
/// (`ENQUEUE_*`, `INTF_*`) or dequeue port (`DEQUEUE_*`).
pub mod rxb {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x08000;
    /// Last dword of the block.
    pub const END: u32 = 0x081b1;

    /// FIFO toward the management controller.
    pub const FIFO_MC: u32 = 0;
    /// FIFO from the network to the BMC.
    pub const FIFO_NET_TO_BMC: u32 = 3;
    /// FIFO toward the host.
    pub const FIFO_HOST: u32 = 4;
    /// FIFO from the BMC to the host.
    pub const FIFO_BMC_TO_HOST: u32 = 6;
    /// Number of FIFOs (some unused).
    pub const FIFO_INDICES: u32 = 8;

    /// Network interface.
    pub const INTF_NET: u32 = 0;
    /// RBT (BMC) interface.
    pub const INTF_RBT: u32 = 1;
    /// Number of interfaces (some unused).
    pub const INTF_INDICES: u32 = 4;

    /// Dequeue port toward the BMC.
    pub const DEQUEUE_BMC: u32 = 2;
    /// Dequeue port toward the host.
    pub const DEQUEUE_HOST: u32 = 3;
    /// Number of dequeue ports (some unused).
    pub const DEQUEUE_INDICES: u32 = 4;

    /// Enqueue from the network.
    pub const ENQUEUE_NET: u32 = 0;
    /// Enqueue from the BMC.
    pub const ENQUEUE_BMC: u32 = 1;
    /// Number of enqueue sources (some unused).
    pub const ENQUEUE_INDICES: u32 = 4;

    /// `FBNIC_RXB_CT_SIZE(n)`: cut-through sizes per FIFO.
    pub const fn ct_size(n: u32) -> u32 {
        0x08000u32.wrapping_add(n)
    }
    /// Instances of `CT_SIZE`.
    pub const CT_SIZE_CNT: u32 = 8;
    /// Header part.
    pub const CT_SIZE_HEADER: Field32 = Field32::new(5, 0);
    /// Payload part.
    pub const CT_SIZE_PAYLOAD: Field32 = Field32::new(11, 6);
    /// Enable cut-through.
    pub const CT_SIZE_ENABLE: u32 = 1 << 12;

    /// `FBNIC_RXB_PAUSE_DROP_CTRL`: per-FIFO feature enables.
    pub const PAUSE_DROP_CTRL: u32 = 0x08008;
    /// Drop enable bitmap.
    pub const PAUSE_DROP_CTRL_DROP_ENABLE: Field32 = Field32::new(7, 0);
    /// Pause enable bitmap.
    pub const PAUSE_DROP_CTRL_PAUSE_ENABLE: Field32 = Field32::new(15, 8);
    /// ECN enable bitmap.
    pub const PAUSE_DROP_CTRL_ECN_ENABLE: Field32 = Field32::new(23, 16);
    /// Pause storm protection enable bitmap.
    pub const PAUSE_DROP_CTRL_PS_ENABLE: Field32 = Field32::new(27, 24);

    /// `FBNIC_RXB_PAUSE_THLD(n)`.
    pub const fn pause_thld(n: u32) -> u32 {
        0x08009u32.wrapping_add(n)
    }
    /// Instances of `PAUSE_THLD`.
    pub const PAUSE_THLD_CNT: u32 = 8;
    /// Level that starts pausing.
    pub const PAUSE_THLD_ON: Field32 = Field32::new(12, 0);
    /// Level that stops pausing.
    pub const PAUSE_THLD_OFF: Field32 = Field32::new(25, 13);
    /// `FBNIC_RXB_DROP_THLD(n)`.
    pub const fn drop_thld(n: u32) -> u32 {
        0x08011u32.wrapping_add(n)
    }
    /// Instances of `DROP_THLD`.
    pub const DROP_THLD_CNT: u32 = 8;
    /// Level that starts dropping.
    pub const DROP_THLD_ON: Field32 = Field32::new(12, 0);
    /// Level that stops dropping.
    pub const DROP_THLD_OFF: Field32 = Field32::new(25, 13);
    /// `FBNIC_RXB_PAUSE_STORM(n)`.
    pub const fn pause_storm(n: u32) -> u32 {
        0x08019u32.wrapping_add(n)
    }
    /// Instances of `PAUSE_STORM`.
    pub const PAUSE_STORM_CNT: u32 = 4;
    /// Leave the storm state.
    pub const PAUSE_STORM_FORCE_NORMAL: u32 = 1 << 20;
    /// Continuous pause time (10 us units) that counts as a storm.
    pub const PAUSE_STORM_THLD_TIME: Field32 = Field32::new(19, 0);
    /// `FBNIC_RXB_PAUSE_STORM_UNIT_WR`: clock divider for the storm timer.
    pub const PAUSE_STORM_UNIT_WR: u32 = 0x0801d;
    /// Value the driver writes to `PAUSE_STORM_UNIT_WR` for 10 us units at
    /// 600 MHz (`FBNIC_RXB_PS_CLK_DIV`, fbnic_mac.h).
    pub const PS_CLK_DIV: u32 = 0x1770;
    /// `FBNIC_RXB_ECN_THLD(n)`.
    pub const fn ecn_thld(n: u32) -> u32 {
        0x0801eu32.wrapping_add(n)
    }
    /// Instances of `ECN_THLD`.
    pub const ECN_THLD_CNT: u32 = 8;
    /// Level that starts marking.
    pub const ECN_THLD_ON: Field32 = Field32::new(12, 0);
    /// Level that stops marking.
    pub const ECN_THLD_OFF: Field32 = Field32::new(25, 13);
    /// `FBNIC_RXB_PBUF_CFG(n)`: packet buffer partition of a FIFO.
    pub const fn pbuf_cfg(n: u32) -> u32 {
        0x08027u32.wrapping_add(n)
    }
    /// Instances of `PBUF_CFG`.
    pub const PBUF_CFG_CNT: u32 = 8;
    /// Partition start.
    pub const PBUF_BASE_ADDR: Field32 = Field32::new(12, 0);
    /// Partition size.
    pub const PBUF_SIZE: Field32 = Field32::new(21, 13);
    /// `FBNIC_RXB_DWRR_RDE_WEIGHT0`.
    pub const DWRR_RDE_WEIGHT0: u32 = 0x0802f;
    /// Quantum 0.
    pub const DWRR_RDE_WEIGHT0_QUANTUM0: Field32 = Field32::new(7, 0);
    /// Quantum 1.
    pub const DWRR_RDE_WEIGHT0_QUANTUM1: Field32 = Field32::new(15, 8);
    /// Quantum 2.
    pub const DWRR_RDE_WEIGHT0_QUANTUM2: Field32 = Field32::new(23, 16);
    /// Quantum 3.
    pub const DWRR_RDE_WEIGHT0_QUANTUM3: Field32 = Field32::new(31, 24);
    /// `FBNIC_RXB_DWRR_RDE_WEIGHT1`.
    pub const DWRR_RDE_WEIGHT1: u32 = 0x08030;
    /// Quantum 4.
    pub const DWRR_RDE_WEIGHT1_QUANTUM4: Field32 = Field32::new(7, 0);
    /// `FBNIC_RXB_DWRR_BMC_WEIGHT`.
    pub const DWRR_BMC_WEIGHT: u32 = 0x08031;
    /// `FBNIC_RXB_CLDR_PRIO_CFG(n)`.
    pub const fn cldr_prio_cfg(n: u32) -> u32 {
        0x08034u32.wrapping_add(n)
    }
    /// Instances of `CLDR_PRIO_CFG`.
    pub const CLDR_PRIO_CFG_CNT: u32 = 16;
    /// `FBNIC_RXB_ENDIAN_FCS`.
    pub const ENDIAN_FCS: u32 = 0x08044;

    /// `FBNIC_RXB_PBUF_CREDIT(n)`.
    pub const fn pbuf_credit(n: u32) -> u32 {
        0x08047u32.wrapping_add(n)
    }
    /// Instances of `PBUF_CREDIT`.
    pub const PBUF_CREDIT_CNT: u32 = 8;
    /// Credit value.
    pub const PBUF_CREDIT_MASK: Field32 = Field32::new(13, 0);
    /// `FBNIC_RXB_INTF_CREDIT`.
    pub const INTF_CREDIT: u32 = 0x0804f;
    /// Credits of interface 0.
    pub const INTF_CREDIT_MASK0: Field32 = Field32::new(3, 0);
    /// Credits of interface 1.
    pub const INTF_CREDIT_MASK1: Field32 = Field32::new(7, 4);
    /// Credits of interface 2.
    pub const INTF_CREDIT_MASK2: Field32 = Field32::new(11, 8);
    /// Credits of interface 3.
    pub const INTF_CREDIT_MASK3: Field32 = Field32::new(15, 12);

    /// `FBNIC_RXB_ERR_INTR_STS`.
    pub const ERR_INTR_STS: u32 = 0x08050;
    /// Pause storm events, one bit per enqueue source.
    pub const ERR_INTR_STS_PS: Field32 = Field32::new(15, 12);
    /// `FBNIC_RXB_ERR_INTR_MASK`.
    pub const ERR_INTR_MASK: u32 = 0x08052;

    /// `FBNIC_RXB_PAUSE_EVENT_CNT(n)`.
    pub const fn pause_event_cnt(n: u32) -> u32 {
        0x08053u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_DROP_FRMS_STS(n)`: frames dropped, per FIFO.
    pub const fn drop_frms_sts(n: u32) -> u32 {
        0x08057u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_DROP_BYTES_STS_L(n)`: bytes dropped, per FIFO; each
    /// instance is an L/H pair (stride 2).
    pub const fn drop_bytes_sts_l(n: u32) -> u32 {
        0x08080u32.wrapping_add(n.wrapping_mul(2))
    }
    /// `FBNIC_RXB_DROP_BYTES_STS_H(n)`.
    pub const fn drop_bytes_sts_h(n: u32) -> u32 {
        0x08081u32.wrapping_add(n.wrapping_mul(2))
    }
    /// `FBNIC_RXB_TRUN_FRMS_STS(n)`: frames truncated, per FIFO.
    pub const fn trun_frms_sts(n: u32) -> u32 {
        0x08091u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_TRUN_BYTES_STS_L(n)` (L/H pairs, stride 2).
    pub const fn trun_bytes_sts_l(n: u32) -> u32 {
        0x080c0u32.wrapping_add(n.wrapping_mul(2))
    }
    /// `FBNIC_RXB_TRUN_BYTES_STS_H(n)`.
    pub const fn trun_bytes_sts_h(n: u32) -> u32 {
        0x080c1u32.wrapping_add(n.wrapping_mul(2))
    }
    /// `FBNIC_RXB_TRANS_PAUSE_STS(n)`.
    pub const fn trans_pause_sts(n: u32) -> u32 {
        0x080d1u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_TRANS_DROP_STS(n)`.
    pub const fn trans_drop_sts(n: u32) -> u32 {
        0x080d9u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_TRANS_ECN_STS(n)`.
    pub const fn trans_ecn_sts(n: u32) -> u32 {
        0x080e1u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_INTR_PS_COUNT(n)`: pause storm events per enqueue source.
    pub const fn intr_ps_count(n: u32) -> u32 {
        0x080e9u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_DRBO_FRM_CNT_SRC(n)`: frames in, per enqueue source.
    pub const fn drbo_frm_cnt_src(n: u32) -> u32 {
        0x080f9u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_DRBO_BYTE_CNT_SRC_L(n)`; its high half is at +4, not +1.
    pub const fn drbo_byte_cnt_src_l(n: u32) -> u32 {
        0x080fdu32.wrapping_add(n)
    }
    /// `FBNIC_RXB_DRBO_BYTE_CNT_SRC_H(n)`.
    pub const fn drbo_byte_cnt_src_h(n: u32) -> u32 {
        0x08101u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_INTF_FRM_CNT_DST(n)`: frames out, per dequeue port.
    pub const fn intf_frm_cnt_dst(n: u32) -> u32 {
        0x08105u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_INTF_BYTE_CNT_DST_L(n)`; high half at +4.
    pub const fn intf_byte_cnt_dst_l(n: u32) -> u32 {
        0x08109u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_INTF_BYTE_CNT_DST_H(n)`.
    pub const fn intf_byte_cnt_dst_h(n: u32) -> u32 {
        0x0810du32.wrapping_add(n)
    }
    /// `FBNIC_RXB_PBUF_FRM_CNT_DST(n)`: frames out, per packet buffer port.
    pub const fn pbuf_frm_cnt_dst(n: u32) -> u32 {
        0x08111u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_PBUF_BYTE_CNT_DST_L(n)`; high half at +4.
    pub const fn pbuf_byte_cnt_dst_l(n: u32) -> u32 {
        0x08115u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_PBUF_BYTE_CNT_DST_H(n)`.
    pub const fn pbuf_byte_cnt_dst_h(n: u32) -> u32 {
        0x08119u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_PBUF_FIFO_LEVEL(n)`: current fill level per FIFO.
    pub const fn pbuf_fifo_level(n: u32) -> u32 {
        0x0811du32.wrapping_add(n)
    }
    /// `FBNIC_RXB_PAUSE_STORM_UNIT_RD`.
    pub const PAUSE_STORM_UNIT_RD: u32 = 0x08125;
    /// `FBNIC_RXB_INTEGRITY_ERR(n)`, per enqueue source.
    pub const fn integrity_err(n: u32) -> u32 {
        0x0812fu32.wrapping_add(n)
    }
    /// `FBNIC_RXB_MAC_ERR(n)`.
    pub const fn mac_err(n: u32) -> u32 {
        0x08133u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_PARSER_ERR(n)`.
    pub const fn parser_err(n: u32) -> u32 {
        0x08137u32.wrapping_add(n)
    }
    /// `FBNIC_RXB_FRM_ERR(n)`.
    pub const fn frm_err(n: u32) -> u32 {
        0x0813bu32.wrapping_add(n)
    }
    /// `FBNIC_RXB_DWRR_RDE_WEIGHT0_EXT`.
    pub const DWRR_RDE_WEIGHT0_EXT: u32 = 0x08143;
    /// `FBNIC_RXB_DWRR_RDE_WEIGHT1_EXT`.
    pub const DWRR_RDE_WEIGHT1_EXT: u32 = 0x08144;
}

/// RX parser and classifier (RPC): enable, default action, RSS key and the
/// parser error counters. The TCAMs and tables are in [`rpc_ram`].
pub mod rpc {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x08400;
    /// Last dword of the block.
    pub const END: u32 = 0x0856b;

    /// `FBNIC_RPC_RMI_CONFIG`: frames reach the host only while `ENABLE` is
    /// set (it must reset to 0).
    pub const RMI_CONFIG: u32 = 0x08400;
    /// Bytes of per-frame overhead (the driver uses 20).
    pub const RMI_CONFIG_OH_BYTES: Field32 = Field32::new(4, 0);
    /// Frames arrive with their FCS.
    pub const RMI_CONFIG_FCS_PRESENT: u32 = 1 << 8;
    /// Deliver frames to the host.
    pub const RMI_CONFIG_ENABLE: u32 = 1 << 12;
    /// Largest frame.
    pub const RMI_CONFIG_MTU: Field32 = Field32::new(31, 16);

    /// `FBNIC_RPC_ACT_TBL0_DEFAULT`: action for frames no TCAM entry matches
    /// (layout as [`rpc_ram::act_tbl0`](super::rpc_ram::act_tbl0)).
    pub const ACT_TBL0_DEFAULT: u32 = 0x0840a;
    /// Drop the frame.
    pub const ACT_TBL0_DROP: u32 = 1 << 0;
    /// Destination set (`ACT_TBL0_DEST_*`).
    pub const ACT_TBL0_DEST_MASK: Field32 = Field32::new(3, 1);
    /// Destination: host.
    pub const ACT_TBL0_DEST_HOST: u32 = 1;
    /// Destination: BMC.
    pub const ACT_TBL0_DEST_BMC: u32 = 2;
    /// Destination: EI.
    pub const ACT_TBL0_DEST_EI: u32 = 4;
    /// Use `Q_ID` instead of RSS.
    pub const ACT_TBL0_Q_SEL: u32 = 1 << 4;
    /// Fixed RX queue.
    pub const ACT_TBL0_Q_ID: Field32 = Field32::new(15, 8);
    /// DMA hint reported in the RCD.
    pub const ACT_TBL0_DMA_HINT: Field32 = Field32::new(24, 16);
    /// Timestamp the frame.
    pub const ACT_TBL0_TS_ENA: u32 = 1 << 28;
    /// Action table index.
    pub const ACT_TBL0_ACT_TBL_IDX: u32 = 1 << 29;
    /// RSS context: indirection table 0 or 1.
    pub const ACT_TBL0_RSS_CTXT_ID: u32 = 1 << 30;

    /// `FBNIC_RPC_ACT_TBL1_DEFAULT`: RSS field selection for unmatched frames.
    pub const ACT_TBL1_DEFAULT: u32 = 0x0840b;
    /// RSS hash input selection (`ACT_TBL1_RSS_ENA_*` bits).
    pub const ACT_TBL1_RSS_ENA_MASK: Field32 = Field32::new(15, 0);
    /// Hash the IP source address.
    pub const ACT_TBL1_RSS_ENA_IP_SRC: u32 = 1;
    /// Hash the IP destination address.
    pub const ACT_TBL1_RSS_ENA_IP_DST: u32 = 2;
    /// Hash the L4 source port.
    pub const ACT_TBL1_RSS_ENA_L4_SRC: u32 = 4;
    /// Hash the L4 destination port.
    pub const ACT_TBL1_RSS_ENA_L4_DST: u32 = 8;
    /// Hash the destination MAC.
    pub const ACT_TBL1_RSS_ENA_L2_DA: u32 = 16;
    /// Hash the L4 RSS byte.
    pub const ACT_TBL1_RSS_ENA_L4_RSS_BYTE: u32 = 32;
    /// Hash the inner IPv6 flow label.
    pub const ACT_TBL1_RSS_ENA_IV6_FL_LBL: u32 = 64;
    /// Hash the outer IPv6 flow label.
    pub const ACT_TBL1_RSS_ENA_OV6_FL_LBL: u32 = 128;
    /// Hash the DSCP.
    pub const ACT_TBL1_RSS_ENA_DSCP: u32 = 256;
    /// Hash the L3 protocol.
    pub const ACT_TBL1_RSS_ENA_L3_PROT: u32 = 512;
    /// Hash the L4 protocol.
    pub const ACT_TBL1_RSS_ENA_L4_PROT: u32 = 1024;

    /// `FBNIC_RPC_RSS_KEY(n)`: Toeplitz key, big-endian within each dword
    /// (key byte `i` is bits `31 - 8 * (i % 4)` down of dword `i / 4`); see
    /// [`super::super::toeplitz::key_from_regs`].
    pub const fn rss_key(n: u32) -> u32 {
        0x0840cu32.wrapping_add(n)
    }
    /// Key length in bits (`FBNIC_RPC_RSS_KEY_BIT_LEN`).
    pub const RSS_KEY_BIT_LEN: u32 = 425;
    /// Key length in bytes, rounded up.
    pub const RSS_KEY_BYTE_LEN: u32 = RSS_KEY_BIT_LEN.div_ceil(8);
    /// Key length in dwords, rounded up.
    pub const RSS_KEY_DWORD_LEN: u32 = RSS_KEY_BIT_LEN.div_ceil(32);
    /// Index of the last, partial key dword.
    pub const RSS_KEY_LAST_IDX: u32 = RSS_KEY_DWORD_LEN - 1;
    /// Bits of the last key dword that belong to the key.
    pub const RSS_KEY_LAST_MASK: u32 =
        Field32::new(31, RSS_KEY_DWORD_LEN * 32 - RSS_KEY_BIT_LEN).mask();

    /// `FBNIC_RPC_CNTR_TCP_OPT_ERR`.
    pub const CNTR_TCP_OPT_ERR: u32 = 0x0849e;
    /// `FBNIC_RPC_CNTR_UNKN_ETYPE`.
    pub const CNTR_UNKN_ETYPE: u32 = 0x0849f;
    /// `FBNIC_RPC_CNTR_IPV4_FRAG`.
    pub const CNTR_IPV4_FRAG: u32 = 0x084a0;
    /// `FBNIC_RPC_CNTR_IPV6_FRAG`.
    pub const CNTR_IPV6_FRAG: u32 = 0x084a1;
    /// `FBNIC_RPC_CNTR_IPV4_ESP`.
    pub const CNTR_IPV4_ESP: u32 = 0x084a2;
    /// `FBNIC_RPC_CNTR_IPV6_ESP`.
    pub const CNTR_IPV6_ESP: u32 = 0x084a3;
    /// `FBNIC_RPC_CNTR_UNKN_EXT_HDR`.
    pub const CNTR_UNKN_EXT_HDR: u32 = 0x084a4;
    /// `FBNIC_RPC_CNTR_OUT_OF_HDR_ERR`.
    pub const CNTR_OUT_OF_HDR_ERR: u32 = 0x084a5;
    /// `FBNIC_RPC_CNTR_OVR_SIZE_ERR`.
    pub const CNTR_OVR_SIZE_ERR: u32 = 0x084a6;

    /// `FBNIC_RPC_TCAM_MACDA_VALIDATE`.
    pub const TCAM_MACDA_VALIDATE: u32 = 0x0852d;
    /// `FBNIC_RPC_STAT_RX_PACKET_1519_2047_BYTES_L` (high half at +1).
    pub const STAT_RX_PACKET_1519_2047_BYTES_L: u32 = 0x0855f;
    /// `FBNIC_RPC_STAT_RX_PACKET_2048_4095_BYTES_L`.
    pub const STAT_RX_PACKET_2048_4095_BYTES_L: u32 = 0x08561;
    /// `FBNIC_RPC_STAT_RX_PACKET_4096_8191_BYTES_L`.
    pub const STAT_RX_PACKET_4096_8191_BYTES_L: u32 = 0x08563;
    /// `FBNIC_RPC_STAT_RX_PACKET_8192_9216_BYTES_L`.
    pub const STAT_RX_PACKET_8192_9216_BYTES_L: u32 = 0x08565;
    /// `FBNIC_RPC_STAT_RX_PACKET_9217_MAX_BYTES_L`.
    pub const STAT_RX_PACKET_9217_MAX_BYTES_L: u32 = 0x08567;
}

/// RPC tables: action TCAM and table, MAC DA TCAM, IP address TCAMs and the
/// RSS indirection tables.
///
/// TCAM words hold a 16-bit value in bits 15:0 and a 16-bit mask in 31:16
/// whose set bits are "don't care". The word after an entry's match words
/// holds [`TCAM_VALIDATE`](rpc_ram::TCAM_VALIDATE); the driver writes the
/// match words, flushes, then sets it. Addresses are written as big-endian
/// u16s **last half first**: word 0 holds the least significant 16 bits.
pub mod rpc_ram {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x08800;
    /// Last dword of the block.
    pub const END: u32 = 0x08f1f;

    /// `FBNIC_RPC_ACT_TBL0(n)`: action of action TCAM entry `n` (layout as
    /// [`super::rpc::ACT_TBL0_DEFAULT`]).
    pub const fn act_tbl0(n: u32) -> u32 {
        0x08800u32.wrapping_add(n)
    }
    /// `FBNIC_RPC_ACT_TBL1(n)`: RSS field selection of entry `n`.
    pub const fn act_tbl1(n: u32) -> u32 {
        0x08840u32.wrapping_add(n)
    }
    /// Entries in the action table and action TCAM.
    pub const ACT_TBL_NUM_ENTRIES: u32 = 64;

    /// Entry valid (last word of every RX TCAM entry).
    pub const TCAM_VALIDATE: u32 = 1 << 31;

    /// Match words per action TCAM entry; word 11 is the validate word.
    pub const TCAM_ACT_WORD_LEN: u32 = 11;
    /// Entries in the action TCAM.
    pub const TCAM_ACT_NUM_ENTRIES: u32 = 64;
    /// `FBNIC_RPC_TCAM_ACT(m, n)`: word `word` of action TCAM entry `entry`.
    pub const fn tcam_act(entry: u32, word: u32) -> u32 {
        0x08880u32
            .wrapping_add(word.wrapping_mul(0x40))
            .wrapping_add(entry)
    }
    /// Value bits of an action TCAM word.
    pub const TCAM_ACT_VALUE: Field32 = Field32::new(15, 0);
    /// Don't-care bits of an action TCAM word.
    pub const TCAM_ACT_MASK: Field32 = Field32::new(31, 16);

    /// Word 0: index of the matching inner source IP TCAM entry.
    pub const TCAM_ACT0_IPSRC_IDX: Field32 = Field32::new(2, 0);
    /// Word 0: an inner source IP entry matched.
    pub const TCAM_ACT0_IPSRC_VALID: u32 = 1 << 3;
    /// Word 0: index of the matching inner destination IP entry.
    pub const TCAM_ACT0_IPDST_IDX: Field32 = Field32::new(6, 4);
    /// Word 0: an inner destination IP entry matched.
    pub const TCAM_ACT0_IPDST_VALID: u32 = 1 << 7;
    /// Word 0: index of the matching outer source IP entry.
    pub const TCAM_ACT0_OUTER_IPSRC_IDX: Field32 = Field32::new(10, 8);
    /// Word 0: an outer source IP entry matched.
    pub const TCAM_ACT0_OUTER_IPSRC_VALID: u32 = 1 << 11;
    /// Word 0: index of the matching outer destination IP entry.
    pub const TCAM_ACT0_OUTER_IPDST_IDX: Field32 = Field32::new(14, 12);
    /// Word 0: an outer destination IP entry matched.
    pub const TCAM_ACT0_OUTER_IPDST_VALID: u32 = 1 << 15;
    /// Word 1: index of the matching MAC DA TCAM entry.
    pub const TCAM_ACT1_L2_MACDA_IDX: Field32 = Field32::new(9, 5);
    /// Word 1: a MAC DA entry matched.
    pub const TCAM_ACT1_L2_MACDA_VALID: u32 = 1 << 10;
    /// Word 1: the (inner) IP header is IPv6.
    pub const TCAM_ACT1_IP_IS_V6: u32 = 1 << 11;
    /// Word 1: there is an IP header.
    pub const TCAM_ACT1_IP_VALID: u32 = 1 << 12;
    /// Word 1: there is an outer IP header (tunnel).
    pub const TCAM_ACT1_OUTER_IP_VALID: u32 = 1 << 13;
    /// Word 1: the L4 header is UDP (else TCP).
    pub const TCAM_ACT1_L4_IS_UDP: u32 = 1 << 14;
    /// Word 1: there is a TCP or UDP header.
    pub const TCAM_ACT1_L4_VALID: u32 = 1 << 15;
    /// Word holding the L4 source port.
    pub const TCAM_ACT_L4_SRC_WORD: u32 = 3;
    /// Word holding the L4 destination port.
    pub const TCAM_ACT_L4_DST_WORD: u32 = 4;

    /// Action TCAM entries reserved for BMC unicast.
    pub const ACT_TBL_BMC_OFFSET: u32 = 0;
    /// Action TCAM entry for BMC all-multicast.
    pub const ACT_TBL_BMC_ALL_MULTI_OFFSET: u32 = 1;
    /// First action TCAM entry for ethtool ntuple rules.
    pub const ACT_TBL_NFC_OFFSET: u32 = 2;
    /// RSS rule kinds at the end of the action TCAM (`FBNIC_RSS_EN_NUM_ENTRIES`).
    pub const RSS_EN_NUM_ENTRIES: u32 = 14;
    /// First action TCAM entry used for RSS rules.
    pub const ACT_TBL_RSS_OFFSET: u32 = ACT_TBL_NUM_ENTRIES - RSS_EN_NUM_ENTRIES;

    /// Match words per MAC DA TCAM entry; word 3 is the validate word. Word
    /// `w` holds DA bytes `4 - 2w` and `5 - 2w` as a big-endian u16.
    pub const TCAM_MACDA_WORD_LEN: u32 = 3;
    /// Entries in the MAC DA TCAM.
    pub const TCAM_MACDA_NUM_ENTRIES: u32 = 32;
    /// `FBNIC_RPC_TCAM_MACDA(m, n)`: word `word` of MAC DA entry `entry`.
    pub const fn tcam_macda(entry: u32, word: u32) -> u32 {
        0x08b80u32
            .wrapping_add(word.wrapping_mul(0x20))
            .wrapping_add(entry)
    }
    /// Value bits of a MAC DA TCAM word.
    pub const TCAM_MACDA_VALUE: Field32 = Field32::new(15, 0);
    /// Don't-care bits of a MAC DA TCAM word.
    pub const TCAM_MACDA_MASK: Field32 = Field32::new(31, 16);
    /// MAC DA entries 0..4: BMC addresses.
    pub const TCAM_MACDA_BMC_ADDR_IDX: u32 = 0;
    /// MAC DA entry for broadcast.
    pub const TCAM_MACDA_BROADCAST_IDX: u32 = 4;
    /// First MAC DA entry for multicast (growing up).
    pub const TCAM_MACDA_MULTICAST_IDX: u32 = 5;
    /// Default first unicast entry (unicast grows down from `HOST_ADDR_IDX`).
    pub const TCAM_MACDA_DEFAULT_BOUNDARY: u32 = 24;
    /// MAC DA entry of the device's own address.
    pub const TCAM_MACDA_HOST_ADDR_IDX: u32 = 30;
    /// MAC DA entry for promiscuous / all-multicast.
    pub const TCAM_MACDA_PROMISC_IDX: u32 = 31;

    /// Match words per IP TCAM entry; word 8 is the validate word, whose bit
    /// 0 says the entry is IPv6. Word `w` holds `s6_addr16[7 - w]`, so an
    /// IPv4 address sits in words 0 and 1.
    pub const TCAM_IP_ADDR_WORD_LEN: u32 = 8;
    /// Entries in each IP TCAM.
    pub const TCAM_IP_ADDR_NUM_ENTRIES: u32 = 8;
    /// Bit 0 of an IP TCAM validate word: the entry matches IPv6.
    pub const TCAM_IP_IS_V6: u32 = 1 << 0;
    /// Value bits of an IP TCAM word.
    pub const TCAM_IP_ADDR_VALUE: Field32 = Field32::new(15, 0);
    /// Don't-care bits of an IP TCAM word.
    pub const TCAM_IP_ADDR_MASK: Field32 = Field32::new(31, 16);
    /// `FBNIC_RPC_TCAM_OUTER_IPSRC(m, n)`.
    pub const fn tcam_outer_ipsrc(entry: u32, word: u32) -> u32 {
        0x08c00u32
            .wrapping_add(word.wrapping_mul(8))
            .wrapping_add(entry)
    }
    /// `FBNIC_RPC_TCAM_OUTER_IPDST(m, n)`.
    pub const fn tcam_outer_ipdst(entry: u32, word: u32) -> u32 {
        0x08c48u32
            .wrapping_add(word.wrapping_mul(8))
            .wrapping_add(entry)
    }
    /// `FBNIC_RPC_TCAM_IPSRC(m, n)`.
    pub const fn tcam_ipsrc(entry: u32, word: u32) -> u32 {
        0x08c90u32
            .wrapping_add(word.wrapping_mul(8))
            .wrapping_add(entry)
    }
    /// `FBNIC_RPC_TCAM_IPDST(m, n)`.
    pub const fn tcam_ipdst(entry: u32, word: u32) -> u32 {
        0x08cd8u32
            .wrapping_add(word.wrapping_mul(8))
            .wrapping_add(entry)
    }

    /// `FBNIC_RPC_RSS_TBL(n, m)`: entry `entry` of indirection table `table`;
    /// each entry holds an RX queue number.
    pub const fn rss_tbl(table: u32, entry: u32) -> u32 {
        0x08d20u32
            .wrapping_add(table.wrapping_mul(0x100))
            .wrapping_add(entry)
    }
    /// Indirection tables (RSS contexts).
    pub const RSS_TBL_COUNT: u32 = 2;
    /// Entries per indirection table.
    pub const RSS_TBL_SIZE: u32 = 256;
}

/// Fabric (AXI) tuning.
pub mod fab {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x0c000;
    /// Last dword of the block.
    pub const END: u32 = 0x0c020;
    /// `FBNIC_FAB_AXI4_AR_SPACER_2_CFG`.
    pub const AXI4_AR_SPACER_2_CFG: u32 = 0x0c005;
    /// Enable the read spacer.
    pub const AXI4_AR_SPACER_MASK: u32 = 1 << 16;
    /// Spacer threshold (C: `..._THREADSHOLD`).
    pub const AXI4_AR_SPACER_THRESHOLD: Field32 = Field32::new(15, 0);
}

/// Master block.
pub mod master {
    /// First dword of the block.
    pub const START: u32 = 0x0c400;
    /// Last dword of the block.
    pub const END: u32 = 0x0c452;
    /// `FBNIC_MASTER_SPARE_0`: read to flush posted writes, and read back
    /// when a BAR0 read returned all-ones to tell "device gone" (this reads
    /// all-ones too) from a register that really holds `0xffffffff`.
    pub const SPARE_0: u32 = 0x0c41b;
}

/// MAC PCS: two 1 KiB pages of DesignWare XPCS registers reached through the
/// driver's software MDIO bus.
///
/// The driver maps an MMD 3 (PCS) access at PHY address `addr` and register
/// `regnum` to dword `page(addr) + regnum`, after swapping the DesignWare
/// vendor bit (15) for fbnic's (9); see [`pcs::mdio_pcs_index`]. MMD 8
/// (separated PMA) registers 200..=206 map onto [`pcs::rsfec_control`].
pub mod pcs {
    /// First dword of the PCS pages.
    pub const START: u32 = 0x10000;
    /// Last dword of the PCS pages.
    pub const END: u32 = 0x10668;

    /// `FBNIC_PCS_PAGE(n)`: first dword of PCS instance `n` (0 or 1).
    pub const fn page(n: u32) -> u32 {
        0x10000u32.wrapping_add(n.wrapping_mul(0x400))
    }
    /// `FBNIC_PCS(reg, n)`: register `reg` of PCS instance `n`.
    pub const fn reg(reg: u32, n: u32) -> u32 {
        page(n).wrapping_add(reg)
    }
    /// PCS instances the MDIO bus exposes (addresses 0 and 1).
    pub const MDIO_ADDRS: u32 = 2;
    /// DesignWare vendor-specific register bit in an MDIO register number
    /// (`DW_VENDOR`, fbnic_mdio.c).
    pub const MDIO_DW_VENDOR: u32 = 1 << 15;
    /// Where fbnic places the vendor registers (`FBNIC_PCS_VENDOR`).
    pub const MDIO_PCS_VENDOR: u32 = 1 << 9;
    /// Register-number bits that name no register: reads give 0, writes
    /// are dropped (`FBNIC_PCS_ZERO_MASK`).
    pub const MDIO_ZERO_MASK: u32 = MDIO_DW_VENDOR - MDIO_PCS_VENDOR;

    /// BAR0 dword the driver accesses for an MMD 3 (PCS) register, or
    /// `None` where the driver reads 0 / drops the write (address >= 2 or a
    /// reserved register number). The driver additionally synthesises
    /// `DEVID1/2` and ORs presence bits into `DEVS1`; those reads do not
    /// come from here.
    pub const fn mdio_pcs_index(addr: u32, regnum: u32) -> Option<u32> {
        if addr >= MDIO_ADDRS || regnum & MDIO_ZERO_MASK != 0 || regnum > 0xffff {
            return None;
        }
        let regnum = if regnum & MDIO_DW_VENDOR != 0 {
            regnum ^ (MDIO_DW_VENDOR | MDIO_PCS_VENDOR)
        } else {
            regnum
        };
        Some(reg(regnum, addr))
    }

    /// First dword of the RS-FEC block.
    pub const RSFEC_START: u32 = 0x10800;
    /// Last dword of the RS-FEC block.
    pub const RSFEC_END: u32 = 0x108c8;
    /// `FBNIC_RSFEC_CONTROL(n)`: RS-FEC engine `n` (only 0 is used); its
    /// registers mirror IEEE MMD 1/8 registers 200..=206.
    pub const fn rsfec_control(n: u32) -> u32 {
        0x10800u32.wrapping_add(n.wrapping_mul(8))
    }
    /// `FBNIC_RSFEC_CCW_LO(n)`: corrected codewords (clear on read).
    pub const fn rsfec_ccw_lo(n: u32) -> u32 {
        0x10802u32.wrapping_add(n.wrapping_mul(8))
    }
    /// `FBNIC_RSFEC_CCW_HI(n)`.
    pub const fn rsfec_ccw_hi(n: u32) -> u32 {
        0x10803u32.wrapping_add(n.wrapping_mul(8))
    }
    /// `FBNIC_RSFEC_NCCW_LO(n)`: uncorrectable codewords (clear on read).
    pub const fn rsfec_nccw_lo(n: u32) -> u32 {
        0x10804u32.wrapping_add(n.wrapping_mul(8))
    }
    /// `FBNIC_RSFEC_NCCW_HI(n)`.
    pub const fn rsfec_nccw_hi(n: u32) -> u32 {
        0x10805u32.wrapping_add(n.wrapping_mul(8))
    }
    /// PCS lanes (`FBNIC_PCS_MAX_LANES`).
    pub const MAX_LANES: u32 = 4;
    /// `FBNIC_PCS_SYMBLERR_LO(n)`: symbol errors of lane `n` (clear on read).
    pub const fn symblerr_lo(n: u32) -> u32 {
        0x10880u32.wrapping_add(n.wrapping_mul(2))
    }
    /// `FBNIC_PCS_SYMBLERR_HI(n)`.
    pub const fn symblerr_hi(n: u32) -> u32 {
        0x10881u32.wrapping_add(n.wrapping_mul(2))
    }

    /// BAR0 dword the driver reads for an MMD 8 (separated PMA) register,
    /// or `None` for registers it synthesises (everything but the RS-FEC
    /// range `MDIO_PMA_RSFEC_CTRL..=MDIO_PMA_RSFEC_LANE_MAP`) or addresses
    /// >= 2.
    pub const fn mdio_rsfec_index(addr: u32, regnum: u32) -> Option<u32> {
        if addr >= MDIO_ADDRS
            || regnum < super::mdio::PMA_RSFEC_CTRL
            || regnum > super::mdio::PMA_RSFEC_LANE_MAP
        {
            return None;
        }
        Some(rsfec_control(addr).wrapping_add(regnum - super::mdio::PMA_RSFEC_CTRL))
    }
}

/// The generic clause-45 MDIO numbers the PCS path depends on, from
/// `include/uapi/linux/mdio.h` and the DesignWare XPCS driver. They are
/// register numbers *within* a PCS page, not BAR0 indices.
pub mod mdio {
    /// MMD of the PMA/PMD (`MDIO_MMD_PMAPMD`).
    pub const MMD_PMAPMD: u32 = 1;
    /// MMD of the PCS (`MDIO_MMD_PCS`).
    pub const MMD_PCS: u32 = 3;
    /// MMD of the separated PMA (`MDIO_MMD_SEP_PMA1`).
    pub const MMD_SEP_PMA1: u32 = 8;
    /// `MDIO_CTRL1`.
    pub const CTRL1: u32 = 0;
    /// Soft reset, self-clearing (`MDIO_CTRL1_RESET`).
    pub const CTRL1_RESET: u32 = 0x8000;
    /// Speed selection bits of `CTRL1` (`MDIO_CTRL1_SPEEDSEL`).
    pub const CTRL1_SPEEDSEL: u32 = 0x2040 | 0x003c;
    /// `MDIO_PCS_CTRL1_SPEED25G`.
    pub const PCS_CTRL1_SPEED25G: u32 = 0x2054;
    /// `MDIO_PCS_CTRL1_SPEED50G`.
    pub const PCS_CTRL1_SPEED50G: u32 = 0x2058;
    /// `MDIO_PCS_CTRL1_SPEED100G`.
    pub const PCS_CTRL1_SPEED100G: u32 = 0x2050;
    /// `MDIO_STAT1`.
    pub const STAT1: u32 = 1;
    /// Link up, latched low (`MDIO_STAT1_LSTATUS`).
    pub const STAT1_LSTATUS: u32 = 0x0004;
    /// Fault (`MDIO_STAT1_FAULT`).
    pub const STAT1_FAULT: u32 = 0x0080;
    /// `MDIO_DEVID1`.
    pub const DEVID1: u32 = 2;
    /// `MDIO_DEVID2`.
    pub const DEVID2: u32 = 3;
    /// `MDIO_DEVS1`.
    pub const DEVS1: u32 = 5;
    /// `MDIO_DEVS2`.
    pub const DEVS2: u32 = 6;
    /// `MDIO_STAT2`.
    pub const STAT2: u32 = 8;
    /// `MDIO_PMA_RXDET`.
    pub const PMA_RXDET: u32 = 10;
    /// `MDIO_PCS_10GBRT_STAT1`: BASE-R status 1.
    pub const PCS_BASER_STAT1: u32 = 32;
    /// Block lock (`MDIO_PCS_10GBRT_STAT1_BLKLK`).
    pub const PCS_BASER_STAT1_BLKLK: u32 = 0x0001;
    /// `MDIO_PCS_10GBRT_STAT2`: BASE-R status 2.
    pub const PCS_BASER_STAT2: u32 = 33;
    /// `MDIO_PMA_RSFEC_CTRL`.
    pub const PMA_RSFEC_CTRL: u32 = 200;
    /// `MDIO_PMA_RSFEC_LANE_MAP`.
    pub const PMA_RSFEC_LANE_MAP: u32 = 206;
    /// DesignWare vendor digital control 1 (`DW_VENDOR | DW_VR_XS_PCS_DIG_CTRL1`).
    pub const DW_VR_XS_PCS_DIG_CTRL1: u32 = 0x8000;
    /// Vendor soft reset, self-clearing (`DW_VR_RST`).
    pub const DW_VR_RST: u32 = 1 << 15;
    /// DesignWare vendor digital status (`DW_VENDOR | DW_VR_XS_PCS_DIG_STS`).
    pub const DW_VR_XS_PCS_DIG_STS: u32 = 0x8010;
}

/// MAC configuration (ASIC only).
pub mod mac {
    /// First dword of the block.
    pub const START: u32 = 0x11000;
    /// Last dword of the block.
    pub const END: u32 = 0x11028;
    /// `FBNIC_MAC_COMMAND_CONFIG`.
    pub const COMMAND_CONFIG: u32 = 0x11002;
    /// Ignore received pause frames.
    pub const COMMAND_CONFIG_RX_PAUSE_DIS: u32 = 1 << 29;
    /// Do not send pause frames.
    pub const COMMAND_CONFIG_TX_PAUSE_DIS: u32 = 1 << 28;
    /// Disable fault handling.
    pub const COMMAND_CONFIG_FLT_HDL_DIS: u32 = 1 << 27;
    /// Pad short frames on transmit.
    pub const COMMAND_CONFIG_TX_PAD_EN: u32 = 1 << 11;
    /// MAC loopback.
    pub const COMMAND_CONFIG_LOOPBACK_EN: u32 = 1 << 10;
    /// Accept all destination addresses.
    pub const COMMAND_CONFIG_PROMISC_EN: u32 = 1 << 4;
    /// Receive enable.
    pub const COMMAND_CONFIG_RX_ENA: u32 = 1 << 1;
    /// Transmit enable.
    pub const COMMAND_CONFIG_TX_ENA: u32 = 1 << 0;
    /// `FBNIC_MAC_CL01_PAUSE_QUANTA`.
    pub const CL01_PAUSE_QUANTA: u32 = 0x11015;
    /// `FBNIC_MAC_CL01_QUANTA_THRESH`.
    pub const CL01_QUANTA_THRESH: u32 = 0x11019;
}

/// Signals between the MAC, PCS and the rest of the chip (ASIC only): MAC
/// resets, PCS lock status and the link-change interrupt.
pub mod sig {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x11800;
    /// Last dword of the block.
    pub const END: u32 = 0x1184e;
    /// `FBNIC_SIG_MAC_IN0`: MAC reset and mode inputs.
    pub const MAC_IN0: u32 = 0x11800;
    /// Hold the TX FIFO clock domain in reset.
    pub const MAC_IN0_RESET_FF_TX_CLK: u32 = 1 << 14;
    /// Hold the RX FIFO clock domain in reset.
    pub const MAC_IN0_RESET_FF_RX_CLK: u32 = 1 << 13;
    /// Hold the TX clock domain in reset.
    pub const MAC_IN0_RESET_TX_CLK: u32 = 1 << 12;
    /// Hold the RX clock domain in reset.
    pub const MAC_IN0_RESET_RX_CLK: u32 = 1 << 11;
    /// 128-bit MAC datapath.
    pub const MAC_IN0_CFG_MODE128: u32 = 1 << 10;
    /// MAC appends the FCS.
    pub const MAC_IN0_TX_CRC: u32 = 1 << 8;
    /// `FBNIC_SIG_PCS_OUT0`: PCS status; a write latches fresh values.
    pub const PCS_OUT0: u32 = 0x11808;
    /// PCS reports link.
    pub const PCS_OUT0_LINK: u32 = 1 << 27;
    /// Per-lane BASE-R block lock (no FEC).
    pub const PCS_OUT0_BLOCK_LOCK: Field32 = Field32::new(24, 5);
    /// Per-lane alignment marker lock (RS-FEC).
    pub const PCS_OUT0_AMPS_LOCK: Field32 = Field32::new(4, 1);
    /// `FBNIC_SIG_PCS_OUT1`.
    pub const PCS_OUT1: u32 = 0x11809;
    /// Per-lane FC-FEC (BASE-R FEC) lock.
    pub const PCS_OUT1_FCFEC_LOCK: Field32 = Field32::new(11, 8);
    /// `FBNIC_SIG_PCS_INTR_STS`: link-change causes, write 1 to clear.
    pub const PCS_INTR_STS: u32 = 0x11814;
    /// Link went down.
    pub const PCS_INTR_LINK_DOWN: u32 = 1 << 1;
    /// Link came up.
    pub const PCS_INTR_LINK_UP: u32 = 1 << 0;
    /// `FBNIC_SIG_PCS_INTR_MASK`: 1 = cause masked.
    pub const PCS_INTR_MASK: u32 = 0x11816;
}

/// MAC statistics (IEEE 802.3 / RMON counters), each a 64-bit counter with
/// the low half at the listed dword and the high half at +1.
pub mod mac_stat {
    /// First dword of the block.
    pub const START: u32 = 0x11a00;
    /// Last dword the driver reads (the high half of `TX_CONTROL_FRAMES`);
    /// fbnic_csr.h has no end delimiter for this block.
    pub const END: u32 = 0x11a5f;

    /// `FBNIC_MAC_STAT_RX_XOFF_STB_L`: pause frames received.
    pub const RX_XOFF_STB_L: u32 = 0x11a00;
    /// `FBNIC_MAC_STAT_TX_XOFF_STB_L`: pause frames sent.
    pub const TX_XOFF_STB_L: u32 = 0x11a04;
    /// `FBNIC_MAC_STAT_RX_BYTE_COUNT_L`.
    pub const RX_BYTE_COUNT_L: u32 = 0x11a08;
    /// `FBNIC_MAC_STAT_RX_ALIGN_ERROR_L`.
    pub const RX_ALIGN_ERROR_L: u32 = 0x11a0a;
    /// `FBNIC_MAC_STAT_RX_TOOLONG_L`.
    pub const RX_TOOLONG_L: u32 = 0x11a0e;
    /// `FBNIC_MAC_STAT_RX_RECEIVED_OK_L`.
    pub const RX_RECEIVED_OK_L: u32 = 0x11a12;
    /// `FBNIC_MAC_STAT_RX_PACKET_BAD_FCS_L`.
    pub const RX_PACKET_BAD_FCS_L: u32 = 0x11a14;
    /// `FBNIC_MAC_STAT_RX_IFINERRORS_L`.
    pub const RX_IFINERRORS_L: u32 = 0x11a18;
    /// `FBNIC_MAC_STAT_RX_MULTICAST_L`.
    pub const RX_MULTICAST_L: u32 = 0x11a1c;
    /// `FBNIC_MAC_STAT_RX_BROADCAST_L`.
    pub const RX_BROADCAST_L: u32 = 0x11a1e;
    /// `FBNIC_MAC_STAT_RX_UNDERSIZE_L`.
    pub const RX_UNDERSIZE_L: u32 = 0x11a24;
    /// `FBNIC_MAC_STAT_RX_PACKET_64_BYTES_L`.
    pub const RX_PACKET_64_BYTES_L: u32 = 0x11a26;
    /// `FBNIC_MAC_STAT_RX_PACKET_65_127_BYTES_L`.
    pub const RX_PACKET_65_127_BYTES_L: u32 = 0x11a28;
    /// `FBNIC_MAC_STAT_RX_PACKET_128_255_BYTES_L`.
    pub const RX_PACKET_128_255_BYTES_L: u32 = 0x11a2a;
    /// `FBNIC_MAC_STAT_RX_PACKET_256_511_BYTES_L`.
    pub const RX_PACKET_256_511_BYTES_L: u32 = 0x11a2c;
    /// `FBNIC_MAC_STAT_RX_PACKET_512_1023_BYTES_L`.
    pub const RX_PACKET_512_1023_BYTES_L: u32 = 0x11a2e;
    /// `FBNIC_MAC_STAT_RX_PACKET_1024_1518_BYTES_L`.
    pub const RX_PACKET_1024_1518_BYTES_L: u32 = 0x11a30;
    /// `FBNIC_MAC_STAT_RX_PACKET_1519_MAX_BYTES_L`.
    pub const RX_PACKET_1519_MAX_BYTES_L: u32 = 0x11a32;
    /// `FBNIC_MAC_STAT_RX_OVERSIZE_L` (the C high half is spelled
    /// `..._OVERSSIZE_H`).
    pub const RX_OVERSIZE_L: u32 = 0x11a34;
    /// `FBNIC_MAC_STAT_RX_JABBER_L`.
    pub const RX_JABBER_L: u32 = 0x11a36;
    /// `FBNIC_MAC_STAT_RX_FRAGMENT_L`.
    pub const RX_FRAGMENT_L: u32 = 0x11a38;
    /// `FBNIC_MAC_STAT_RX_CONTROL_FRAMES_L`.
    pub const RX_CONTROL_FRAMES_L: u32 = 0x11a3c;
    /// `FBNIC_MAC_STAT_TX_BYTE_COUNT_L`.
    pub const TX_BYTE_COUNT_L: u32 = 0x11a3e;
    /// `FBNIC_MAC_STAT_TX_TRANSMITTED_OK_L`.
    pub const TX_TRANSMITTED_OK_L: u32 = 0x11a42;
    /// `FBNIC_MAC_STAT_TX_IFOUTERRORS_L`.
    pub const TX_IFOUTERRORS_L: u32 = 0x11a46;
    /// `FBNIC_MAC_STAT_TX_MULTICAST_L`.
    pub const TX_MULTICAST_L: u32 = 0x11a4a;
    /// `FBNIC_MAC_STAT_TX_BROADCAST_L`.
    pub const TX_BROADCAST_L: u32 = 0x11a4c;
    /// `FBNIC_MAC_STAT_TX_PACKET_64_BYTES_L`.
    pub const TX_PACKET_64_BYTES_L: u32 = 0x11a4e;
    /// `FBNIC_MAC_STAT_TX_PACKET_65_127_BYTES_L`.
    pub const TX_PACKET_65_127_BYTES_L: u32 = 0x11a50;
    /// `FBNIC_MAC_STAT_TX_PACKET_128_255_BYTES_L`.
    pub const TX_PACKET_128_255_BYTES_L: u32 = 0x11a52;
    /// `FBNIC_MAC_STAT_TX_PACKET_256_511_BYTES_L`.
    pub const TX_PACKET_256_511_BYTES_L: u32 = 0x11a54;
    /// `FBNIC_MAC_STAT_TX_PACKET_512_1023_BYTES_L`.
    pub const TX_PACKET_512_1023_BYTES_L: u32 = 0x11a56;
    /// `FBNIC_MAC_STAT_TX_PACKET_1024_1518_BYTES_L`.
    pub const TX_PACKET_1024_1518_BYTES_L: u32 = 0x11a58;
    /// `FBNIC_MAC_STAT_TX_PACKET_1519_MAX_BYTES_L`.
    pub const TX_PACKET_1519_MAX_BYTES_L: u32 = 0x11a5a;
    /// `FBNIC_MAC_STAT_TX_CONTROL_FRAMES_L`.
    pub const TX_CONTROL_FRAMES_L: u32 = 0x11a5e;
}

/// PCIe SerDes (comphy) window; the driver only dumps it.
pub mod pcie_ss_comphy {
    /// First dword of the block.
    pub const START: u32 = 0x2442e;
    /// Last dword of the block.
    pub const END: u32 = 0x279d7;
}

/// PCIe user logic (PUL): outbound DMA enables and TLP counters.
///
/// The mailbox reset and bring-up sequence works through these: writing
/// `AW_CFG` without `BME` (but with `FLUSH | FLUSH_MODE`) stops device
/// writes to the host and drops the ones in flight; `AR_CFG` likewise for
/// reads. Setting `BME` allows the DMA again.
pub mod pul {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x31000;
    /// Last dword of the block.
    pub const END: u32 = 0x310ea;

    /// `FBNIC_PUL_OB_TLP_HDR_AW_CFG`: outbound write (device to host) setup.
    pub const OB_TLP_HDR_AW_CFG: u32 = 0x3103d;
    /// With `FLUSH`: drain queued writes without landing them on the host.
    pub const OB_TLP_HDR_AW_CFG_FLUSH_MODE: u32 = 1 << 20;
    /// Flush queued writes.
    pub const OB_TLP_HDR_AW_CFG_FLUSH: u32 = 1 << 19;
    /// Bus master enable for writes.
    pub const OB_TLP_HDR_AW_CFG_BME: u32 = 1 << 18;
    /// TLP attributes of RX data writes (`TLP_ATTR_*`).
    pub const OB_TLP_HDR_AW_CFG_RDE_ATTR: Field32 = Field32::new(17, 15);
    /// TLP attributes of RX queue manager writes.
    pub const OB_TLP_HDR_AW_CFG_RQM_ATTR: Field32 = Field32::new(14, 12);
    /// TLP attributes of TX queue manager writes.
    pub const OB_TLP_HDR_AW_CFG_TQM_ATTR: Field32 = Field32::new(11, 9);
    /// TLP attribute: no snoop.
    pub const TLP_ATTR_NS: u32 = 1;
    /// TLP attribute: relaxed ordering.
    pub const TLP_ATTR_RO: u32 = 2;
    /// TLP attribute: ID-based ordering.
    pub const TLP_ATTR_IDO: u32 = 4;

    /// `FBNIC_PUL_OB_TLP_HDR_AR_CFG`: outbound read (device from host) setup.
    pub const OB_TLP_HDR_AR_CFG: u32 = 0x3103e;
    /// Flush queued reads.
    pub const OB_TLP_HDR_AR_CFG_FLUSH: u32 = 1 << 19;
    /// Bus master enable for reads.
    pub const OB_TLP_HDR_AR_CFG_BME: u32 = 1 << 18;
    /// TLP attributes of TX data reads.
    pub const OB_TLP_HDR_AR_CFG_TDE_ATTR: Field32 = Field32::new(17, 15);
    /// TLP attributes of RX queue manager reads.
    pub const OB_TLP_HDR_AR_CFG_RQM_ATTR: Field32 = Field32::new(14, 12);
    /// TLP attributes of TX queue manager reads.
    pub const OB_TLP_HDR_AR_CFG_TQM_ATTR: Field32 = Field32::new(11, 9);

    /// `FBNIC_PUL_USER_OB_RD_TLP_CNT_31_0` (64-bit counter, high half at +1).
    pub const USER_OB_RD_TLP_CNT_31_0: u32 = 0x3106e;
    /// `FBNIC_PUL_USER_OB_RD_DWORD_CNT_31_0`.
    pub const USER_OB_RD_DWORD_CNT_31_0: u32 = 0x31070;
    /// `FBNIC_PUL_USER_OB_RD_DWORD_CNT_63_32`.
    pub const USER_OB_RD_DWORD_CNT_63_32: u32 = 0x31071;
    /// `FBNIC_PUL_USER_OB_WR_TLP_CNT_31_0`.
    pub const USER_OB_WR_TLP_CNT_31_0: u32 = 0x31072;
    /// `FBNIC_PUL_USER_OB_WR_TLP_CNT_63_32`.
    pub const USER_OB_WR_TLP_CNT_63_32: u32 = 0x31073;
    /// `FBNIC_PUL_USER_OB_WR_DWORD_CNT_31_0`.
    pub const USER_OB_WR_DWORD_CNT_31_0: u32 = 0x31074;
    /// `FBNIC_PUL_USER_OB_WR_DWORD_CNT_63_32`.
    pub const USER_OB_WR_DWORD_CNT_63_32: u32 = 0x31075;
    /// `FBNIC_PUL_USER_OB_CPL_TLP_CNT_31_0`.
    pub const USER_OB_CPL_TLP_CNT_31_0: u32 = 0x31076;
    /// `FBNIC_PUL_USER_OB_CPL_TLP_CNT_63_32`.
    pub const USER_OB_CPL_TLP_CNT_63_32: u32 = 0x31077;
    /// `FBNIC_PUL_USER_OB_CPL_DWORD_CNT_31_0`.
    pub const USER_OB_CPL_DWORD_CNT_31_0: u32 = 0x31078;
    /// `FBNIC_PUL_USER_OB_CPL_DWORD_CNT_63_32`.
    pub const USER_OB_CPL_DWORD_CNT_63_32: u32 = 0x31079;
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_31_0`.
    pub const USER_OB_RD_DBG_CNT_CPL_CRED_31_0: u32 = 0x3107a;
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_CPL_CRED_63_32`.
    pub const USER_OB_RD_DBG_CNT_CPL_CRED_63_32: u32 = 0x3107b;
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_31_0`.
    pub const USER_OB_RD_DBG_CNT_TAG_31_0: u32 = 0x3107c;
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_TAG_63_32`.
    pub const USER_OB_RD_DBG_CNT_TAG_63_32: u32 = 0x3107d;
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_31_0`.
    pub const USER_OB_RD_DBG_CNT_NP_CRED_31_0: u32 = 0x3107e;
    /// `FBNIC_PUL_USER_OB_RD_DBG_CNT_NP_CRED_63_32`.
    pub const USER_OB_RD_DBG_CNT_NP_CRED_63_32: u32 = 0x3107f;
}

/// Per-queue register blocks: 128 blocks of 0x400 dwords, one per queue
/// triad (two TX work queues, a TX completion queue, a TX interrupt
/// manager; an RX completion queue, two buffer descriptor queues, an RX DMA
/// engine and an RX interrupt manager).
///
/// Offsets are relative to [`queue::base`]; [`queue::reg`] adds them.
/// Ring sizes are programmed as `log2(entries) & 0xf`, where 0 means 64 Ki
/// entries; ring addresses are split into `BAL` (bits 31:7 kept, rings are
/// 128-byte aligned) and `BAH`.
pub mod queue {
    use super::Field32;

    /// First dword of the block.
    pub const START: u32 = 0x40000;
    /// Dwords per queue block (`FBNIC_QUEUE_STRIDE`).
    pub const STRIDE: u32 = 0x400;
    /// Queue blocks (`FBNIC_MAX_QUEUES`).
    pub const MAX_QUEUES: u32 = 128;
    /// Last dword of the block.
    pub const END: u32 = START + STRIDE * MAX_QUEUES - 1;

    /// `FBNIC_QUEUE(n)`: first dword of queue `n`'s block.
    pub const fn base(n: u32) -> u32 {
        START.wrapping_add(n.wrapping_mul(STRIDE))
    }
    /// Dword index of register `offset` of queue `n`.
    pub const fn reg(n: u32, offset: u32) -> u32 {
        base(n).wrapping_add(offset)
    }
    /// The queue number and in-block offset of BAR0 dword `index`, or
    /// `None` if it lies outside the queue blocks.
    pub const fn decode(index: u32) -> Option<(u32, u32)> {
        if index < START || index > END {
            return None;
        }
        let rel = index - START;
        Some((rel / STRIDE, rel % STRIDE))
    }

    /// `TWQ0_CTL`: TX work queue 0 (normal traffic) control.
    pub const TWQ0_CTL: u32 = 0x000;
    /// `TWQ1_CTL`: TX work queue 1 (XDP) control.
    pub const TWQ1_CTL: u32 = 0x001;
    /// Hold the queue in reset (pointers to 0).
    pub const TWQ_CTL_RESET: u32 = 1 << 0;
    /// Process descriptors.
    pub const TWQ_CTL_ENABLE: u32 = 1 << 1;
    /// `TWQ0_TAIL`: doorbell, the index one past the last valid descriptor.
    pub const TWQ0_TAIL: u32 = 0x002;
    /// `TWQ1_TAIL`.
    pub const TWQ1_TAIL: u32 = 0x003;
    /// `TWQ0_PTRS`: hardware head and tail.
    pub const TWQ0_PTRS: u32 = 0x004;
    /// `TWQ1_PTRS`.
    pub const TWQ1_PTRS: u32 = 0x005;
    /// Head field of `TWQ*_PTRS` (the tail is in 15:0).
    pub const TWQ_PTRS_HEAD_MASK: Field32 = Field32::new(31, 16);
    /// `TWQ0_SIZE`.
    pub const TWQ0_SIZE: u32 = 0x00a;
    /// `TWQ1_SIZE`.
    pub const TWQ1_SIZE: u32 = 0x00b;
    /// log2 of the ring size (0 = 64 Ki).
    pub const TWQ_SIZE_MASK: Field32 = Field32::new(3, 0);
    /// `TWQ0_BAL`.
    pub const TWQ0_BAL: u32 = 0x020;
    /// Bits of a ring base address kept in any `*_BAL` register.
    pub const BAL_MASK: Field32 = Field32::new(31, 7);
    /// `TWQ0_BAH`.
    pub const TWQ0_BAH: u32 = 0x021;
    /// `TWQ1_BAL`.
    pub const TWQ1_BAL: u32 = 0x022;
    /// `TWQ1_BAH`.
    pub const TWQ1_BAH: u32 = 0x023;
    /// `TWQ0_PKT_CNT`.
    pub const TWQ0_PKT_CNT: u32 = 0x062;
    /// `TWQ0_ERR_CNT`.
    pub const TWQ0_ERR_CNT: u32 = 0x063;
    /// `TWQ1_PKT_CNT`.
    pub const TWQ1_PKT_CNT: u32 = 0x072;
    /// `TWQ1_ERR_CNT`.
    pub const TWQ1_ERR_CNT: u32 = 0x073;

    /// `TCQ_CTL`: TX completion queue control.
    pub const TCQ_CTL: u32 = 0x080;
    /// Hold the queue in reset.
    pub const TCQ_CTL_RESET: u32 = 1 << 0;
    /// Write completions.
    pub const TCQ_CTL_ENABLE: u32 = 1 << 1;
    /// `TCQ_HEAD`: software's consumer index; frees space for the device.
    pub const TCQ_HEAD: u32 = 0x081;
    /// `TCQ_PTRS`: hardware pointers.
    pub const TCQ_PTRS: u32 = 0x082;
    /// Tail (producer) field of `TCQ_PTRS`.
    pub const TCQ_PTRS_TAIL_MASK: Field32 = Field32::new(31, 16);
    /// `TCQ_SIZE`.
    pub const TCQ_SIZE: u32 = 0x084;
    /// log2 of the ring size (0 = 64 Ki).
    pub const TCQ_SIZE_MASK: Field32 = Field32::new(3, 0);
    /// `TCQ_BAL`.
    pub const TCQ_BAL: u32 = 0x0a0;
    /// `TCQ_BAH`.
    pub const TCQ_BAH: u32 = 0x0a1;

    /// `TIM_CTL`: TX interrupt manager, routes TCQ events to a vector.
    pub const TIM_CTL: u32 = 0x0c0;
    /// MSI-X vector for this queue's TX completions.
    pub const TIM_CTL_MSIX_MASK: Field32 = Field32::new(7, 0);
    /// `TIM_THRESHOLD`: completions that trigger an interrupt.
    pub const TIM_THRESHOLD: u32 = 0x0c1;
    /// Threshold value.
    pub const TIM_THRESHOLD_TWD_MASK: Field32 = Field32::new(14, 0);
    /// `TIM_CLEAR`.
    pub const TIM_CLEAR: u32 = 0x0c2;
    /// Clear the pending event.
    pub const TIM_CLEAR_MASK: u32 = 1 << 0;
    /// `TIM_SET`.
    pub const TIM_SET: u32 = 0x0c3;
    /// Raise an event.
    pub const TIM_SET_MASK: u32 = 1 << 0;
    /// `TIM_MASK`: 1 = events do not reach the vector.
    pub const TIM_MASK: u32 = 0x0c4;
    /// Mask bit.
    pub const TIM_MASK_MASK: u32 = 1 << 0;
    /// `TIM_TIMER`.
    pub const TIM_TIMER: u32 = 0x0c5;
    /// `TIM_COUNTS`.
    pub const TIM_COUNTS: u32 = 0x0c6;
    /// Count 1.
    pub const TIM_COUNTS_CNT1_MASK: Field32 = Field32::new(30, 16);
    /// Count 0.
    pub const TIM_COUNTS_CNT0_MASK: Field32 = Field32::new(14, 0);

    /// `RCQ_CTL`: RX completion queue control.
    pub const RCQ_CTL: u32 = 0x200;
    /// Hold the queue in reset.
    pub const RCQ_CTL_RESET: u32 = 1 << 0;
    /// Write completions.
    pub const RCQ_CTL_ENABLE: u32 = 1 << 1;
    /// `RCQ_HEAD`: software's consumer index.
    pub const RCQ_HEAD: u32 = 0x201;
    /// `RCQ_PTRS`: hardware pointers.
    pub const RCQ_PTRS: u32 = 0x202;
    /// Tail (producer) field.
    pub const RCQ_PTRS_TAIL_MASK: Field32 = Field32::new(31, 16);
    /// Head field.
    pub const RCQ_PTRS_HEAD_MASK: Field32 = Field32::new(15, 0);
    /// `RCQ_SIZE`.
    pub const RCQ_SIZE: u32 = 0x204;
    /// log2 of the ring size (0 = 64 Ki).
    pub const RCQ_SIZE_MASK: Field32 = Field32::new(3, 0);
    /// `RCQ_BAL`.
    pub const RCQ_BAL: u32 = 0x220;
    /// `RCQ_BAH`.
    pub const RCQ_BAH: u32 = 0x221;

    /// `BDQ_CTL`: control of both buffer queues (header HPQ, payload PPQ).
    pub const BDQ_CTL: u32 = 0x240;
    /// Hold both queues in reset.
    pub const BDQ_CTL_RESET: u32 = 1 << 0;
    /// Consume buffers.
    pub const BDQ_CTL_ENABLE: u32 = 1 << 1;
    /// Use the payload page queue (header split / large frames).
    pub const BDQ_CTL_PPQ_ENABLE: u32 = 1 << 30;
    /// `BDQ_HPQ_TAIL`: doorbell, in descriptors (page index x `FRAG_COUNT`).
    pub const BDQ_HPQ_TAIL: u32 = 0x241;
    /// `BDQ_PPQ_TAIL`.
    pub const BDQ_PPQ_TAIL: u32 = 0x242;
    /// `BDQ_HPQ_PTRS`.
    pub const BDQ_HPQ_PTRS: u32 = 0x243;
    /// `BDQ_PPQ_PTRS`.
    pub const BDQ_PPQ_PTRS: u32 = 0x244;
    /// Head field of `BDQ_*_PTRS`.
    pub const BDQ_PTRS_HEAD_MASK: Field32 = Field32::new(31, 16);
    /// Tail field of `BDQ_*_PTRS`.
    pub const BDQ_PTRS_TAIL_MASK: Field32 = Field32::new(15, 0);
    /// `BDQ_HPQ_SIZE`.
    pub const BDQ_HPQ_SIZE: u32 = 0x247;
    /// `BDQ_PPQ_SIZE`.
    pub const BDQ_PPQ_SIZE: u32 = 0x248;
    /// log2 of the ring size in descriptors (0 = 64 Ki).
    pub const BDQ_SIZE_MASK: Field32 = Field32::new(3, 0);
    /// `BDQ_HPQ_BAL`.
    pub const BDQ_HPQ_BAL: u32 = 0x260;
    /// `BDQ_HPQ_BAH`.
    pub const BDQ_HPQ_BAH: u32 = 0x261;
    /// `BDQ_PPQ_BAL`.
    pub const BDQ_PPQ_BAL: u32 = 0x262;
    /// `BDQ_PPQ_BAH`.
    pub const BDQ_PPQ_BAH: u32 = 0x263;

    /// `RDE_CTL0`: RX DMA engine, buffer layout and drop policy.
    pub const RDE_CTL0: u32 = 0x2a0;
    /// Split headers into the header buffer and payload into PPQ pages.
    pub const RDE_CTL0_EN_HDR_SPLIT: u32 = 1 << 31;
    /// What to do when no buffer is available (`RDE_CTL0_DROP_*`).
    pub const RDE_CTL0_DROP_MODE_MASK: Field32 = Field32::new(30, 29);
    /// Drop at once.
    pub const RDE_CTL0_DROP_IMMEDIATE: u32 = 0;
    /// Wait for buffers, then drop.
    pub const RDE_CTL0_DROP_WAIT: u32 = 1;
    /// Never drop (back-pressure).
    pub const RDE_CTL0_DROP_NEVER: u32 = 2;
    /// Headroom left before a frame in the header buffer.
    pub const RDE_CTL0_MIN_HROOM_MASK: Field32 = Field32::new(28, 20);
    /// Tailroom left after a frame in the header buffer.
    pub const RDE_CTL0_MIN_TROOM_MASK: Field32 = Field32::new(19, 11);
    /// `RDE_CTL1`.
    pub const RDE_CTL1: u32 = 0x2a1;
    /// Most bytes placed in the header buffer.
    pub const RDE_CTL1_MAX_HDR_MASK: Field32 = Field32::new(24, 12);
    /// Payload offset in a payload page.
    pub const RDE_CTL1_PAYLD_OFF_MASK: Field32 = Field32::new(11, 9);
    /// Payload page cache-line setting.
    pub const RDE_CTL1_PAYLD_PG_CL_MASK: Field32 = Field32::new(8, 6);
    /// Padding.
    pub const RDE_CTL1_PADLEN_MASK: Field32 = Field32::new(5, 2);
    /// Payload packing (`RDE_CTL1_PAYLD_PACK_*`).
    pub const RDE_CTL1_PAYLD_PACK_MASK: Field32 = Field32::new(1, 0);
    /// No packing: one payload per page fragment.
    pub const RDE_CTL1_PAYLD_PACK_NONE: u32 = 0;
    /// Pack all payloads.
    pub const RDE_CTL1_PAYLD_PACK_ALL: u32 = 1;
    /// Pack by RSS.
    pub const RDE_CTL1_PAYLD_PACK_RSS: u32 = 2;
    /// `RDE_PKT_CNT`.
    pub const RDE_PKT_CNT: u32 = 0x2a2;
    /// `RDE_PKT_ERR_CNT`: frames received with errors.
    pub const RDE_PKT_ERR_CNT: u32 = 0x2a3;
    /// `RDE_CQ_DROP_CNT`: frames dropped for lack of completion space.
    pub const RDE_CQ_DROP_CNT: u32 = 0x2a4;
    /// `RDE_BDQ_DROP_CNT`: frames dropped for lack of buffers.
    pub const RDE_BDQ_DROP_CNT: u32 = 0x2a5;

    /// `RIM_CTL`: RX interrupt manager, routes RCQ events to a vector.
    pub const RIM_CTL: u32 = 0x2c0;
    /// MSI-X vector for this queue's RX completions.
    pub const RIM_CTL_MSIX_MASK: Field32 = Field32::new(7, 0);
    /// `RIM_THRESHOLD`.
    pub const RIM_THRESHOLD: u32 = 0x2c1;
    /// Completions that trigger an interrupt.
    pub const RIM_THRESHOLD_RCD_MASK: Field32 = Field32::new(14, 0);
    /// `RIM_CLEAR`.
    pub const RIM_CLEAR: u32 = 0x2c2;
    /// Clear the pending event.
    pub const RIM_CLEAR_MASK: u32 = 1 << 0;
    /// `RIM_SET`.
    pub const RIM_SET: u32 = 0x2c3;
    /// Raise an event.
    pub const RIM_SET_MASK: u32 = 1 << 0;
    /// `RIM_MASK`: 1 = events do not reach the vector.
    pub const RIM_MASK: u32 = 0x2c4;
    /// Mask bit.
    pub const RIM_MASK_MASK: u32 = 1 << 0;
    /// `RIM_COAL_STATUS`.
    pub const RIM_COAL_STATUS: u32 = 0x2c5;
    /// Completions counted.
    pub const RIM_RCD_COUNT_MASK: Field32 = Field32::new(30, 16);
    /// Coalescing timer.
    pub const RIM_TIMER_MASK: Field32 = Field32::new(13, 0);
}

/// BAR4: the firmware mailbox window and OTP status.
///
/// The window holds 32 mailboxes of 32 dwords from dword 0x6000; fbnic uses
/// two of them as rings of 16 descriptors of 64 bits (two dwords, low dword
/// first): mailbox [`mbx::RX_IDX`] carries firmware-to-host messages and
/// [`mbx::TX_IDX`] host-to-firmware ones. The descriptor format is
/// [`MbxDesc`](super::super::desc::MbxDesc).
pub mod mbx {
    use super::Field32;

    /// Descriptors per mailbox ring (`FBNIC_IPC_MBX_DESC_LEN`).
    pub const DESC_LEN: u32 = 16;
    /// Mailbox of firmware-to-host messages (`FBNIC_IPC_MBX_RX_IDX`).
    pub const RX_IDX: u32 = 0;
    /// Mailbox of host-to-firmware messages (`FBNIC_IPC_MBX_TX_IDX`).
    pub const TX_IDX: u32 = 1;
    /// Mailboxes in use (`FBNIC_IPC_MBX_INDICES`).
    pub const INDICES: u32 = 2;
    /// First dword of the mailbox window.
    pub const START: u32 = 0x6000;

    /// `FBNIC_IPC_MBX(mbx, desc)`: low dword of descriptor `desc` of
    /// mailbox `mbx`; the high dword follows at +1. The host writes the
    /// high dword, flushes, then the low dword, which holds the ownership
    /// bits and so commits the descriptor.
    pub const fn ipc_mbx(mbx: u32, desc: u32) -> u32 {
        mbx.wrapping_mul(DESC_LEN)
            .wrapping_add(desc)
            .wrapping_mul(2)
            .wrapping_add(START)
    }
    /// Last dword of the two rings in use.
    pub const END: u32 = START + INDICES * DESC_LEN * 2 - 1;

    /// The mailbox and descriptor number, and whether the dword is the high
    /// half, of BAR4 dword `index`, or `None` outside the two rings.
    pub const fn decode(index: u32) -> Option<(u32, u32, bool)> {
        if index < START || index > END {
            return None;
        }
        let rel = index - START;
        Some((rel / (DESC_LEN * 2), (rel / 2) % DESC_LEN, rel % 2 == 1))
    }

    /// `FBNIC_FW_ZERO_REG`: read to flush BAR4 writes and to tell "device
    /// gone" from a real all-ones value, like [`super::master::SPARE_0`].
    pub const FW_ZERO_REG: u32 = ipc_mbx(0, 0);

    /// `FBNIC_NS_OTP_STATUS`: OTP status written by the CMRT at boot; the
    /// driver reports a nonzero value.
    pub const NS_OTP_STATUS: u32 = 0x0021d;
    /// `FBNIC_NS_OTP_WRITE_STATUS`.
    pub const NS_OTP_WRITE_STATUS: u32 = 0x0021e;
    /// OTP write data status.
    pub const NS_OTP_WRITE_DATA_STATUS_MASK: Field32 = Field32::new(31, 16);
    /// OTP write ECC status.
    pub const NS_OTP_WRITE_ECC_STATUS_MASK: Field32 = Field32::new(15, 0);
}

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

/// The section holding BAR0 dword `index`, if any.
pub fn section_of(index: u32) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.contains(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_are_four_times_the_index() {
        assert_eq!(byte_offset(intr::mask(0)), 0x20);
        assert_eq!(byte_offset(intr::cq_rearm(1)), 0x1010);
        assert_eq!(byte_offset(master::SPARE_0), 0x3106c);
        assert_eq!(byte_offset(pul::OB_TLP_HDR_AW_CFG), 0xc40f4);
        assert_eq!(byte_offset(queue::base(1)), 0x101000);
        assert_eq!(byte_offset(queue::END), 0x17fffc);
        assert_eq!(byte_offset(u32::MAX), 0x3_ffff_fffc);
        assert_eq!(dword_index(0x3106c), Some(master::SPARE_0));
        assert_eq!(dword_index(0x3106d), None);
        assert_eq!(dword_index(u64::MAX - 3), None);
    }

    #[test]
    fn indexed_registers_match_the_c_comments() {
        // The byte addresses here are the ones fbnic_csr.h writes next to
        // each macro.
        assert_eq!(byte_offset(intr::sw_ac_mode(2)), 0xa0 + 8);
        assert_eq!(
            byte_offset(intr::msix_ctrl(intr::MSIX_CTRL_PCS_IDX)),
            0x100 + 4 * 34
        );
        assert_eq!(byte_offset(intr::tcq_timeout(3)), 0x1008 + 16 * 3);
        assert_eq!(
            byte_offset(rpc_ram::tcam_act(5, 11)),
            0x22200 + 256 * 11 + 4 * 5
        );
        assert_eq!(
            byte_offset(rpc_ram::tcam_macda(31, 3)),
            0x22e00 + 128 * 3 + 4 * 31
        );
        assert_eq!(
            byte_offset(rpc_ram::tcam_outer_ipdst(7, 8)),
            0x23120 + 32 * 8 + 4 * 7
        );
        assert_eq!(byte_offset(rpc_ram::tcam_ipdst(0, 8)), 0x23360 + 32 * 8);
        assert_eq!(
            byte_offset(rpc_ram::rss_tbl(1, 255)),
            0x23480 + 1024 + 4 * 255
        );
        assert_eq!(rpc_ram::rss_tbl(1, 255), rpc_ram::END);
        assert_eq!(byte_offset(tce_ram::tcam(7, 2)), 0x10800 + 32 * 2 + 4 * 7);
        assert_eq!(byte_offset(rxb::drop_bytes_sts_h(4)), 0x20204 + 8 * 4);
        assert_eq!(byte_offset(pcs::symblerr_hi(3)), 0x42204 + 8 * 3);
        assert_eq!(byte_offset(mbx::ipc_mbx(mbx::TX_IDX, 0)), 0x18080);
        assert_eq!(mbx::FW_ZERO_REG, 0x6000);
    }

    #[test]
    fn rss_key_geometry() {
        assert_eq!(rpc::RSS_KEY_BYTE_LEN, 54);
        assert_eq!(rpc::RSS_KEY_DWORD_LEN, 14);
        assert_eq!(rpc::RSS_KEY_LAST_IDX, 13);
        assert_eq!(rpc::RSS_KEY_LAST_MASK, 0xff80_0000);
        assert_eq!(rpc_ram::ACT_TBL_RSS_OFFSET, 50);
    }

    #[test]
    fn queue_decode_inverts_reg() {
        for q in [0, 1, 77, queue::MAX_QUEUES - 1] {
            for off in [queue::TWQ0_CTL, queue::BDQ_PPQ_BAH, queue::RIM_COAL_STATUS] {
                assert_eq!(queue::decode(queue::reg(q, off)), Some((q, off)));
            }
        }
        assert_eq!(queue::decode(queue::START - 1), None);
        assert_eq!(queue::decode(queue::END + 1), None);
        // Out-of-range queue numbers wrap instead of panicking.
        let _ = queue::reg(u32::MAX, u32::MAX);
    }

    #[test]
    fn mailbox_decode_inverts_ipc_mbx() {
        for m in 0..mbx::INDICES {
            for d in 0..mbx::DESC_LEN {
                let lo = mbx::ipc_mbx(m, d);
                assert_eq!(mbx::decode(lo), Some((m, d, false)));
                assert_eq!(mbx::decode(lo + 1), Some((m, d, true)));
            }
        }
        assert_eq!(mbx::END, 0x603f);
        assert_eq!(mbx::decode(0x6040), None);
        assert_eq!(mbx::decode(mbx::NS_OTP_STATUS), None);
    }

    #[test]
    fn pcs_mdio_mapping() {
        // Standard registers map straight into the page.
        assert_eq!(pcs::mdio_pcs_index(0, mdio::CTRL1), Some(0x10000));
        assert_eq!(pcs::mdio_pcs_index(1, mdio::STAT1), Some(0x10401));
        assert_eq!(pcs::mdio_pcs_index(0, mdio::PCS_BASER_STAT1), Some(0x10020));
        // DesignWare vendor registers move from bit 15 to bit 9.
        assert_eq!(
            pcs::mdio_pcs_index(0, mdio::DW_VR_XS_PCS_DIG_STS),
            Some(0x10210)
        );
        assert_eq!(
            pcs::mdio_pcs_index(0, mdio::DW_VR_XS_PCS_DIG_CTRL1),
            Some(0x10200)
        );
        // Reserved register numbers and third PCS instance read as 0.
        assert_eq!(pcs::mdio_pcs_index(0, 0x0200), None);
        assert_eq!(pcs::mdio_pcs_index(2, mdio::STAT1), None);
        assert_eq!(pcs::mdio_pcs_index(0, 0x1_0000), None);
        assert_eq!(pcs::mdio_rsfec_index(0, 200), Some(0x10800));
        assert_eq!(pcs::mdio_rsfec_index(1, 206), Some(0x10808 + 6));
        assert_eq!(pcs::mdio_rsfec_index(0, 207), None);
        assert_eq!(pcs::mdio_rsfec_index(0, 199), None);
    }

    #[test]
    fn sections_are_ordered_and_disjoint() {
        assert_eq!(section_of(0x5f).map(|s| s.name), Some("INTR"));
        assert_eq!(section_of(0x60), None);
        assert_eq!(section_of(rpc::RMI_CONFIG).map(|s| s.name), Some("RPC"));
        assert_eq!(
            section_of(queue::reg(3, queue::RCQ_HEAD)).map(|s| s.name),
            Some("QUEUE")
        );
        for pair in SECTIONS.windows(2) {
            assert!(pair[0].start <= pair[0].end);
            // Only RPC_RAM (dumped last) sits out of address order.
            if pair[1].name != "RPC_RAM" {
                assert!(
                    pair[0].end < pair[1].start,
                    "{} overlaps {}",
                    pair[0].name,
                    pair[1].name
                );
            }
        }
        assert_eq!(SECTIONS[0].dwords(), 0x60);
        assert_eq!(section("BAD", 2, 1).dwords(), 0);
    }

    #[test]
    fn link_fields() {
        // 100G RS-FEC link as the map documents it: LINK + 4 AM locks.
        let out0 = sig::PCS_OUT0_LINK | sig::PCS_OUT0_AMPS_LOCK.prep(0xf);
        assert_eq!(out0, 0x0800_001e);
        assert_eq!(sig::PCS_OUT0_BLOCK_LOCK.mask(), 0x01ff_ffe0);
        assert_eq!(tce::txb_cldr_slot_dest_id(3, 3).mask(), 0xc000_0000);
        assert_eq!(tce::txb_cldr_slot_dest_id(1, 2).mask(), 0x3000);
    }
}
