// SPDX-License-Identifier: GPL-2.0

//! Mailbox ring and page access: descriptors in BAR4, message pages in
//! coherent DMA memory.

#![forbid(unsafe_code)]

use kernel::{
    dma::{
        Coherent,
        DmaAddress, //
    },
    io::{
        io_read,
        io_write, //
    },
    prelude::*, //
};

use super::PAGE;
use crate::hw::reg::RegisterIo;
use crate::{
    hw::{
        csr::{
            intr,
            mbx,
            pul, //
        },
        desc::{
            mbx_desc,
            MbxDesc, //
        }, //
    },
    regs::Regs, //
};

/// Reads dword `index` of a ring's pages.
pub(super) fn read_page_word(pages: &Coherent<[u32]>, index: usize) -> Result<u32> {
    Ok(io_read!(pages, [try: index]))
}

/// Writes dword `index` of a ring's pages.
pub(super) fn write_page_word(pages: &Coherent<[u32]>, index: usize, value: u32) -> Result {
    io_write!(pages, [try: index], value);
    Ok(())
}

/// Bus address of page `slot` of a ring's pages.
pub(super) fn page_addr(base: DmaAddress, slot: u32) -> u64 {
    base + u64::from(slot) * PAGE as u64
}

/// Reads descriptor `desc` of mailbox `mbx_idx`.
pub(super) fn rd_desc(regs: &Regs, mbx_idx: mbx::MbxIdx, desc: u32) -> u64 {
    let desc = mbx::DescIdx::wrapping(desc);
    MbxDesc::join(
        regs.read_raw(mbx::IPC_MBX::at(mbx_idx, desc)),
        regs.read_raw(mbx::IPC_MBX_HI::at(mbx_idx, desc)),
    )
}

/// Posts descriptor `desc` at `slot`: first the stop marker in the next
/// descriptor, then the high half and, after a flush, the low half that
/// holds the ownership bits, so the firmware never sees half a descriptor.
pub(super) fn post_desc(regs: &Regs, mbx_idx: mbx::MbxIdx, slot: u32, desc: u64) {
    let next = mbx::DescIdx::wrapping(slot.wrapping_add(1));
    regs.write_raw(mbx::IPC_MBX::at(mbx_idx, next), 0);

    let (low, high) = MbxDesc::split(desc);
    let slot = mbx::DescIdx::wrapping(slot);
    regs.write_raw(mbx::IPC_MBX_HI::at(mbx_idx, slot), high);
    regs.fw_wrfl();
    regs.write_raw(mbx::IPC_MBX::at(mbx_idx, slot), low);
}

/// Writes a descriptor the other way round, low (ownership) half first, to
/// invalidate it before its address goes away.
fn invalidate_desc(regs: &Regs, mbx_idx: mbx::MbxIdx, slot: mbx::DescIdx, low: u32) {
    regs.write_raw(mbx::IPC_MBX::at(mbx_idx, slot), low);
    regs.fw_wrfl();
    regs.write_raw(mbx::IPC_MBX_HI::at(mbx_idx, slot), 0);
}

/// Resets a ring (`fbnic_mbx_reset_desc_ring()`): stops and flushes the
/// device's DMA for that direction, then leaves descriptor 0 as a stop and
/// all others as skips.
pub(super) fn reset_ring(regs: &Regs, mbx_idx: mbx::MbxIdx) {
    if mbx_idx == mbx::RX_IDX {
        regs.write(
            pul::OB_TLP_HDR_AW_CFG::AT,
            pul::OB_TLP_HDR_AW_CFG::zeroed()
                .set(pul::OB_TLP_HDR_AW_CFG::FLUSH)
                .set(pul::OB_TLP_HDR_AW_CFG::FLUSH_MODE),
        );
    } else {
        regs.write(
            pul::OB_TLP_HDR_AR_CFG::AT,
            pul::OB_TLP_HDR_AR_CFG::zeroed().set(pul::OB_TLP_HDR_AR_CFG::FLUSH),
        );
    }
    regs.wrfl();

    let mut slots = mbx::DescIdx::all();
    if let Some(first) = slots.next() {
        invalidate_desc(regs, mbx_idx, first, 0);
    }
    for slot in slots.rev() {
        invalidate_desc(regs, mbx_idx, slot, mbx_desc::SKIP as u32);
    }
}

/// Acknowledges the mailbox cause if it is pending (`fbnic_mbx_event()`).
pub(super) fn take_event(regs: &Regs) -> bool {
    let (word, bit) = intr::vector_bit(intr::FW_VECTOR);
    if regs.read_raw(intr::STATUS::at(word)) & bit == 0 {
        return false;
    }
    regs.write_raw(intr::CLEAR::at(word), bit);
    true
}
