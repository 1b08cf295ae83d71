// SPDX-License-Identifier: GPL-2.0

//! The firmware mailbox descriptor: a pair of BAR4 dwords that hands a
//! host buffer to the firmware and back.

use super::{flag, put_addr, set_if, DescError, Field64};

/// Firmware mailbox descriptors (BAR4, see
/// [`csr::mbx`](super::super::csr::mbx)).
///
/// Ownership moves with two bits: the host sets `HOST_CMPL` when it posts a
/// buffer and the firmware sets `FW_CMPL` when it is done with it. A
/// descriptor with both bits set and no buffer is a "skip" the firmware
/// steps over after a ring reset; an all-zero descriptor stops it.
pub mod mbx_desc {
    use super::Field64;

    /// Buffer length in bytes (host to FW: the message; FW to host: the
    /// buffer size when posted, the message size when completed).
    pub const LEN_MASK: Field64 = Field64::new(63, 48);
    /// End of message: set on every host-to-FW descriptor.
    pub const EOM: u64 = 1 << 46;
    /// Buffer bus address bits (8-byte aligned; the driver uses pages).
    pub const ADDR_MASK: Field64 = Field64::new(45, 3);
    /// With `FW_CMPL`: the firmware failed to process the descriptor and
    /// the buffer holds no valid data.
    pub const FW_ERR: u64 = 1 << 2;
    /// The firmware is done with the descriptor.
    pub const FW_CMPL: u64 = 1 << 1;
    /// The host posted the descriptor.
    pub const HOST_CMPL: u64 = 1 << 0;
    /// Low dword of a skip descriptor, written on ring reset to every slot
    /// but the first.
    pub const SKIP: u64 = FW_CMPL | HOST_CMPL;
}

/// A firmware mailbox descriptor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MbxDesc {
    /// Buffer or message length in bytes.
    pub len: u16,
    /// End of message.
    pub eom: bool,
    /// Buffer bus address (8-byte aligned, below 2^46).
    pub addr: u64,
    /// The firmware reports an error.
    pub fw_err: bool,
    /// The firmware completed the descriptor.
    pub fw_cmpl: bool,
    /// The host posted the descriptor.
    pub host_cmpl: bool,
}

impl MbxDesc {
    /// The raw descriptor.
    pub const fn encode(&self) -> Result<u64, DescError> {
        match put_addr(mbx_desc::ADDR_MASK, "ADDR", self.addr) {
            Ok(addr) => Ok(addr
                | mbx_desc::LEN_MASK.prep(self.len as u64)
                | set_if(self.eom, mbx_desc::EOM)
                | set_if(self.fw_err, mbx_desc::FW_ERR)
                | set_if(self.fw_cmpl, mbx_desc::FW_CMPL)
                | set_if(self.host_cmpl, mbx_desc::HOST_CMPL)),
            Err(e) => Err(e),
        }
    }

    /// The descriptor in `raw` (reserved bits ignored).
    pub const fn decode(raw: u64) -> Self {
        Self {
            len: mbx_desc::LEN_MASK.get(raw) as u16,
            eom: flag(raw, mbx_desc::EOM),
            addr: raw & mbx_desc::ADDR_MASK.mask(),
            fw_err: flag(raw, mbx_desc::FW_ERR),
            fw_cmpl: flag(raw, mbx_desc::FW_CMPL),
            host_cmpl: flag(raw, mbx_desc::HOST_CMPL),
        }
    }

    /// Joins the two BAR4 dwords of a descriptor.
    pub const fn join(low: u32, high: u32) -> u64 {
        (high as u64) << 32 | low as u64
    }

    /// Splits a raw descriptor into its (low, high) BAR4 dwords.
    pub const fn split(raw: u64) -> (u32, u32) {
        (raw as u32, (raw >> 32) as u32)
    }
}
