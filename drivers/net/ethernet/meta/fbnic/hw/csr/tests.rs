// SPDX-License-Identifier: GPL-2.0

//! Unit tests of the register map: index arithmetic against the C
//! driver's values, the queue and mailbox decoders, the PCS mapping, the
//! section table and the link fields.

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
