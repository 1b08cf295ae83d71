// SPDX-License-Identifier: GPL-2.0

//! Unit tests of the register map: index arithmetic against the C
//! driver's values, the queue and mailbox decoders, the PCS mapping, the
//! section table and the link fields.

use super::*;

fn idx<T>(i: Option<T>) -> T {
    i.expect("index in range")
}

#[test]
fn byte_offsets_are_four_times_the_index() {
    let b1 = idx(intr::BitmapIdx::new(0));
    assert_eq!(intr::MASK::at(b1).loc().byte_offset(), 0x20);
    let v1 = idx(intr::VectorIdx::new(1));
    assert_eq!(intr::CQ_REARM::at(v1).loc().byte_offset(), 0x1010);
    assert_eq!(master::SPARE_0::AT.loc().byte_offset(), 0x3106c);
    assert_eq!(pul::OB_TLP_HDR_AW_CFG::AT.loc().byte_offset(), 0xc40f4);
    let q1 = idx(queue::QueueIdx::new(1));
    assert_eq!(queue::TWQ0_CTL::at(q1).loc().byte_offset(), 0x101000);
    assert_eq!(byte_offset(queue::END), 0x17fffc);
    assert_eq!(byte_offset(u32::MAX), 0x3_ffff_fffc);
    assert_eq!(dword_index(0x3106c), Some(master::SPARE_0::AT.index()));
    assert_eq!(dword_index(0x3106d), None);
    assert_eq!(dword_index(u64::MAX - 3), None);
}

#[test]
fn indexed_registers_match_the_c_comments() {
    // The byte addresses here are the ones fbnic_csr.h writes next to
    // each macro.
    let off = |i: u32| byte_offset(i);
    assert_eq!(
        off(intr::SW_AC_MODE::at(idx(intr::BitmapIdx::new(2))).index()),
        0xa0 + 8
    );
    let pcs = idx(intr::MsixSrcIdx::new(intr::MSIX_CTRL_PCS_IDX));
    assert_eq!(off(intr::MSIX_CTRL::at(pcs).index()), 0x100 + 4 * 34);
    let v3 = idx(intr::VectorIdx::new(3));
    assert_eq!(off(intr::TCQ_TIMEOUT::at(v3).index()), 0x1008 + 16 * 3);
    let act5 = idx(rpc_ram::ActIdx::new(5));
    let w11 = idx(rpc_ram::ActWordIdx::new(11));
    assert_eq!(
        off(rpc_ram::TCAM_ACT::at(act5, w11).index()),
        0x22200 + 256 * 11 + 4 * 5
    );
    let da31 = idx(rpc_ram::MacdaIdx::new(31));
    let dw3 = idx(rpc_ram::MacdaWordIdx::new(3));
    assert_eq!(
        off(rpc_ram::TCAM_MACDA::at(da31, dw3).index()),
        0x22e00 + 128 * 3 + 4 * 31
    );
    let ip7 = idx(rpc_ram::IpIdx::new(7));
    let ipw8 = idx(rpc_ram::IpWordIdx::new(8));
    assert_eq!(
        off(rpc_ram::TCAM_OUTER_IPDST::at(ip7, ipw8).index()),
        0x23120 + 32 * 8 + 4 * 7
    );
    let ip0 = idx(rpc_ram::IpIdx::new(0));
    assert_eq!(
        off(rpc_ram::TCAM_IPDST::at(ip0, ipw8).index()),
        0x23360 + 32 * 8
    );
    let t1 = idx(rpc_ram::RssTblIdx::new(1));
    let e255 = idx(rpc_ram::RssEntryIdx::new(255));
    assert_eq!(
        off(rpc_ram::RSS_TBL::at(t1, e255).index()),
        0x23480 + 1024 + 4 * 255
    );
    assert_eq!(rpc_ram::RSS_TBL::at(t1, e255).index(), rpc_ram::END);
    let tce7 = idx(tce_ram::TceTcamIdx::new(7));
    let tw2 = idx(tce_ram::TceWordIdx::new(2));
    assert_eq!(
        off(tce_ram::TCAM::at(tce7, tw2).index()),
        0x10800 + 32 * 2 + 4 * 7
    );
    let f4 = idx(rxb::FifoIdx::new(4));
    assert_eq!(off(rxb::DROP_BYTES_STS_H::at(f4).index()), 0x20204 + 8 * 4);
    let l3 = idx(pcs::LaneIdx::new(3));
    assert_eq!(off(pcs::SYMBLERR_HI::at(l3).index()), 0x42204 + 8 * 3);
    let d0 = idx(mbx::DescIdx::new(0));
    assert_eq!(off(mbx::IPC_MBX::at(mbx::TX_IDX, d0).index()), 0x18080);
    assert_eq!(mbx::FW_ZERO_REG::AT.index(), 0x6000);
}

#[test]
fn indices_are_bounded_by_the_arrays() {
    assert!(queue::QueueIdx::new(queue::MAX_QUEUES).is_none());
    assert!(intr::VectorIdx::new(256).is_none());
    assert!(rpc_ram::ActWordIdx::new(rpc_ram::TCAM_ACT_WORD_LEN).is_some());
    assert!(rpc_ram::ActWordIdx::new(rpc_ram::TCAM_ACT_WORD_LEN + 1).is_none());
    assert!(mbx::MbxIdx::new(mbx::INDICES).is_none());
    // The last instance of every array lies inside its section.
    for r in registers().filter(|r| r.bar == 0) {
        let (c0, c1) = (r.dims[0].0, r.dims[1].0);
        let last = r.index_of(c0 - 1, c1 - 1).unwrap();
        // MAC_STAT has no section in fbnic_csr.h, and INTR_MSIX_CTRL
        // runs past CSR_END_INTR there; the PCS section ends before the
        // second page does.
        if r.base >= mac_stat::START && r.base <= mac_stat::END
            || ["MSIX_CTRL", "PCS"].contains(&r.name)
        {
            continue;
        }
        assert!(section_of(r.base).is_some(), "{} is in no section", r.name);
        assert_eq!(
            section_of(last),
            section_of(r.base),
            "{} runs out of its section",
            r.name
        );
    }
}

#[test]
fn lookup_finds_every_instance() {
    let q = idx(queue::QueueIdx::new(77));
    let tail = queue::TWQ0_TAIL::at(q).index();
    let (info, n, m) = lookup(0, tail).unwrap();
    assert_eq!((info.name, n, m), ("TWQ0_TAIL", 77, 0));
    let (info, n, m) = lookup(4, 0x6001 + 2 * 5 + 32).unwrap();
    assert_eq!((info.name, n, m), ("IPC_MBX_HI", 1, 5));
    // BAR0 and BAR4 are distinct index spaces.
    assert_eq!(lookup(0, 0x6001).map(|r| r.0.bar), None);
    assert_eq!(lookup(0, 0x3ff), None);
    // Every declared instance is found again (first declaration wins).
    for r in registers() {
        let i = r.index_of(r.dims[0].0 - 1, r.dims[1].0 - 1).unwrap();
        assert!(lookup(r.bar, i).is_some(), "{}", r.name);
    }
}

#[test]
fn access_rules_of_the_declarations() {
    use super::super::reg::Access;
    let q = idx(queue::QueueIdx::new(0));
    let _ = q;
    assert_eq!(queue::TWQ0_PTRS::INFO.access, Access::ReadOnly);
    assert_eq!(queue::TWQ0_SIZE::INFO.apply_write(0, !0), Some(0xf));
    assert_eq!(queue::RCQ_BAL::INFO.apply_write(0, !0), Some(0xffff_ff80));
    assert_eq!(rxb::ERR_INTR_STS::INFO.access, Access::WriteOneToClear);
    assert_eq!(qm_tx::TWQ_IDLE::INFO.reset, !0);
    assert_eq!(qm_tx::TWQ_IDLE::INFO.access, Access::ReadOnly);
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
fn queue_decode_inverts_at() {
    for q in [0, 1, 77, queue::MAX_QUEUES - 1] {
        let qi = idx(queue::QueueIdx::new(q));
        assert_eq!(
            queue::decode(queue::TWQ0_CTL::at(qi).index()),
            Some((qi, 0x000))
        );
        assert_eq!(
            queue::decode(queue::BDQ_PPQ_BAH::at(qi).index()),
            Some((qi, queue::offset(&queue::BDQ_PPQ_BAH::INFO)))
        );
        assert_eq!(
            queue::TWQ0_TAIL::decode(queue::TWQ0_TAIL::at(qi).index()),
            Some(qi)
        );
    }
    assert_eq!(queue::offset(&queue::RIM_COAL_STATUS::INFO), 0x2c5);
    assert_eq!(queue::decode(queue::START - 1), None);
    assert_eq!(queue::decode(queue::END + 1), None);
}

#[test]
fn mailbox_decode_inverts_ipc_mbx() {
    for m in mbx::MbxIdx::all() {
        for d in mbx::DescIdx::all() {
            let lo = mbx::IPC_MBX::at(m, d).index();
            assert_eq!(mbx::decode(lo), Some((m, d, false)));
            assert_eq!(mbx::decode(lo + 1), Some((m, d, true)));
            assert_eq!(mbx::IPC_MBX_HI::at(m, d).index(), lo + 1);
        }
    }
    assert_eq!(mbx::END, 0x603f);
    assert_eq!(mbx::decode(0x6040), None);
    assert_eq!(mbx::decode(mbx::NS_OTP_STATUS::AT.index()), None);
}

#[test]
fn pcs_mdio_mapping() {
    // Standard registers map straight into the page.
    let pcs_at = |addr, reg| pcs::mdio_pcs_index(addr, reg).map(|at| at.index());
    let fec_at = |addr, reg| pcs::mdio_rsfec_index(addr, reg).map(|at| at.index());
    assert_eq!(pcs_at(0, mdio::CTRL1), Some(0x10000));
    assert_eq!(pcs_at(1, mdio::STAT1), Some(0x10401));
    assert_eq!(pcs_at(0, mdio::PCS_BASER_STAT1), Some(0x10020));
    // DesignWare vendor registers move from bit 15 to bit 9.
    assert_eq!(pcs_at(0, mdio::DW_VR_XS_PCS_DIG_STS), Some(0x10210));
    assert_eq!(pcs_at(0, mdio::DW_VR_XS_PCS_DIG_CTRL1), Some(0x10200));
    // Reserved register numbers and third PCS instance read as 0.
    assert_eq!(pcs_at(0, 0x0200), None);
    assert_eq!(pcs_at(2, mdio::STAT1), None);
    assert_eq!(pcs_at(0, 0x1_0000), None);
    assert_eq!(fec_at(0, 200), Some(0x10800));
    assert_eq!(fec_at(1, 206), Some(0x10808 + 6));
    assert_eq!(fec_at(0, 207), None);
    assert_eq!(fec_at(0, 199), None);
}

#[test]
fn sections_are_ordered_and_disjoint() {
    assert_eq!(section_of(0x5f).map(|s| s.name), Some("INTR"));
    assert_eq!(section_of(0x60), None);
    assert_eq!(
        section_of(rpc::RMI_CONFIG::AT.index()).map(|s| s.name),
        Some("RPC")
    );
    let q3 = idx(queue::QueueIdx::new(3));
    assert_eq!(
        section_of(queue::RCQ_HEAD::at(q3).index()).map(|s| s.name),
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
    let out0 = sig::PCS_OUT0::LINK.mask() | sig::PCS_OUT0::AMPS_LOCK.prep(0xf);
    assert_eq!(out0, 0x0800_001e);
    assert_eq!(sig::PCS_OUT0::BLOCK_LOCK.mask(), 0x01ff_ffe0);
    assert_eq!(tce::txb_cldr_slot_dest_id(3, 3).mask(), 0xc000_0000);
    assert_eq!(tce::txb_cldr_slot_dest_id(1, 2).mask(), 0x3000);
}

#[test]
fn rmi_config_is_what_the_c_driver_writes() {
    // fbnic_rss_reinit_hw(): FIELD_PREP(MTU, FBNIC_MAX_JUMBO_FRAME_SIZE) |
    // FIELD_PREP(OH_BYTES, 20) | ENABLE, with FBNIC_MAX_JUMBO_FRAME_SIZE
    // 9742 (fbnic_mac.h).
    assert_eq!(MAX_JUMBO_FRAME_SIZE, 9742);
    assert_eq!(
        rpc::RMI_CONFIG::host(true).raw(),
        (9742 << 16) | (1 << 12) | 20
    );
    // fbnic_rss_disable_hw(): FIELD_PREP(OH_BYTES, 20) alone.
    assert_eq!(rpc::RMI_CONFIG::host(false).raw(), 20);
    let on = rpc::RMI_CONFIG::host(true);
    assert_eq!(on.get(rpc::RMI_CONFIG::MTU), MAX_JUMBO_FRAME_SIZE);
    assert!(rpc::RMI_CONFIG::MTU.fits(MAX_JUMBO_FRAME_SIZE));
    assert!(rpc::RMI_CONFIG::OH_BYTES.fits(rpc::RMI_CONFIG::OH_BYTES_DEFAULT));
}

#[test]
fn the_nominal_ptp_addend_is_one_600_mhz_tick() {
    // FBNIC_CLOCK_FREQ (600 * 1000 * 1000): 1.666... ns per tick.
    assert_eq!(CLOCK_FREQ, 600_000_000);
    assert_eq!(ptp::DCLK_PERIOD >> 32, 1, "whole nanoseconds");
    assert_eq!(ptp::DCLK_PERIOD as u32, 0xaaaa_aaaa, "two thirds");
    assert_eq!(ptp::DCLK_PERIOD, 7_158_278_826);
}

#[test]
fn the_mac_address_is_the_dsn_without_its_middle_bytes() {
    // fbnic_dsn_to_mac_addr(): addr[0..3] = dsn >> 56, 48, 40;
    // addr[3..6] = dsn >> 16, 8, 0.
    let dsn = 0x0011_2233_4455_6677;
    assert_eq!(mac_from_dsn(dsn), [0x00, 0x11, 0x22, 0x55, 0x66, 0x77]);
    assert_eq!(
        mac_from_dsn(0x0200_5eff_fe00_1000),
        [0x02, 0x00, 0x5e, 0x00, 0x10, 0x00]
    );
    // Bytes 4 and 3 never matter.
    assert_eq!(mac_from_dsn(0x0000_00ff_ff00_0000), [0; 6]);
}

#[test]
fn queue_vectors_follow_the_mailbox_and_pcs_vectors() {
    // FBNIC_FW_MSIX_ENTRY 0, FBNIC_PCS_MSIX_ENTRY 1, then the NAPI vectors
    // from FBNIC_NON_NAPI_VECTORS (fbnic_irq.c).
    assert_eq!((FW_MSIX_ENTRY, PCS_MSIX_ENTRY, NON_NAPI_VECTORS), (0, 1, 2));
    assert_eq!(queue_vector(0), 2);
    assert!(queue_vector(0) > FW_MSIX_ENTRY && queue_vector(0) > PCS_MSIX_ENTRY);
    // The last queue's vector has interrupt registers.
    let last = queue_vector(queue::MAX_QUEUES - 1);
    assert!(intr::VectorIdx::new(last).is_some());
    assert!(last < intr::MAX_MSIX_VECS);
    assert_eq!(queue_vector(u32::MAX), u32::MAX);
}

#[test]
fn mailbox_pages_are_4_kib() {
    // FBNIC_RX_PAGE_SIZE = min(PAGE_SIZE, FIELD_MAX(FBNIC_IPC_MBX_DESC_LEN_MASK))
    // on 4 KiB pages; TLV_MAX_DATA = (PAGE_SIZE - 512) & 0xffff.
    assert_eq!(mbx::PAGE_SIZE, 4096);
    assert_eq!(super::super::tlv::RAW_DATA_MAX, 3584);
    assert!(u64::from(mbx::PAGE_SIZE) <= super::super::desc::mbx_desc::LEN_MASK.max());
}

#[test]
fn ring_sizes_are_log2_with_64k_as_zero() {
    // FBNIC_QUEUE_SIZE_MIN 64, FBNIC_QUEUE_SIZE_MAX SZ_64K; the C driver
    // writes fls(size_mask) & 0xf.
    assert_eq!((queue::SIZE_MIN, queue::SIZE_MAX), (64, 65536));
    assert_eq!(queue::size_reg(64), 6);
    assert_eq!(queue::size_reg(1024), 10);
    assert_eq!(queue::size_reg(32768), 15);
    assert_eq!(queue::size_reg(65536), 0);
    assert_eq!(queue::size_entries(0), 65536);
    assert_eq!(queue::size_entries(6), 64);
    assert_eq!(queue::size_entries(0xfff6), 64, "only bits 3:0 count");
    let mut n = queue::SIZE_MIN;
    while n <= queue::SIZE_MAX {
        assert_eq!(queue::size_entries(queue::size_reg(n)), n, "{n}");
        n *= 2;
    }
    // Every ring's SIZE field is the same 3:0.
    for f in [
        queue::TWQ1_SIZE::SIZE.mask(),
        queue::TCQ_SIZE::SIZE.mask(),
        queue::RCQ_SIZE::SIZE.mask(),
        queue::BDQ_HPQ_SIZE::SIZE.mask(),
        queue::BDQ_PPQ_SIZE::SIZE.mask(),
    ] {
        assert_eq!(f, queue::TWQ0_SIZE::SIZE.mask());
    }
    assert_eq!(queue::size_reg(0), 0, "total");
}

#[test]
fn tcam_words_hold_the_value_low_and_the_dont_care_bits_high() {
    use rpc_ram::*;
    // FIELD_PREP(..._MASK, mask) | FIELD_PREP(..._VALUE, value), the same
    // 31:16 and 15:0 in all three TCAMs.
    assert_eq!(tcam_word(0x1234, 0x00ff), 0x00ff_1234);
    assert_eq!(TCAM_MACDA::VALUE.mask(), TCAM_ACT::VALUE.mask());
    assert_eq!(TCAM_MACDA::MASK.mask(), TCAM_ACT::MASK.mask());
    assert_eq!(TCAM_IP_ADDR_VALUE.mask(), TCAM_ACT::VALUE.mask());
    assert_eq!(TCAM_IP_ADDR_MASK.mask(), TCAM_ACT::MASK.mask());
    let w = tcam_word(0x1234, 0x00ff);
    assert!(tcam_word_matches(w, 0x1234));
    assert!(tcam_word_matches(w, 0x12ab), "low byte is don't care");
    assert!(!tcam_word_matches(w, 0x1334));
    assert!(tcam_word_matches(tcam_word(0, 0xffff), 0xbeef));
}

#[test]
fn macda_words_are_the_address_backwards_in_16_bit_groups() {
    use rpc_ram::*;
    // fbnic_write_macda_entry(): word i = ntohs(addr16[2 - i]).
    let a = [0x02, 0x00, 0x5e, 0x10, 0x20, 0x30];
    assert_eq!(macda_key(a), [0x2030, 0x5e10, 0x0200]);
    let words = macda_words(a, [0, 0, 0, 0, 0, 0xff]);
    assert_eq!(words, [0x00ff_2030, 0x5e10, 0x0200]);
    assert_eq!(macda_key(a).len() as u32, TCAM_MACDA_WORD_LEN);
}

#[test]
fn ip_words_are_the_address_backwards_in_16_bit_groups() {
    use rpc_ram::*;
    // fbnic_write_ip_src_entry(): word i = ntohs(s6_addr16[7 - i]); IPv4
    // in s6_addr32[3].
    let v4 = ip4_in_16([192, 168, 1, 2]);
    assert_eq!(ip_key(v4), [0x0102, 0xc0a8, 0, 0, 0, 0, 0, 0]);
    let mut v6 = [0u8; 16];
    v6[0] = 0x20;
    v6[1] = 0x01;
    v6[15] = 0x01;
    let k = ip_key(v6);
    assert_eq!((k[0], k[7]), (0x0001, 0x2001));
    let mut care = [0xffu8; 16];
    care[12..].fill(0);
    assert_eq!(ip_words(v4, care)[0], 0x0102);
    assert_eq!(ip_words(v4, care)[2], 0xffff_0000);
    assert_eq!(ip_validate_word(true), TCAM_VALIDATE | 1);
    assert_eq!(ip_validate_word(false), TCAM_VALIDATE);
    assert_eq!(ip_key(v6).len() as u32, TCAM_IP_ADDR_WORD_LEN);
}

#[test]
fn reset_values_and_access_rules_are_declared() {
    use super::super::reg::Access;
    // Every vector masked and every cause auto-clearing after reset;
    // MASK itself only changes through MASK_SET/MASK_CLEAR.
    assert_eq!(intr::MASK::INFO.reset, u32::MAX);
    assert_eq!(intr::MASK::INFO.access, Access::ReadOnly);
    assert_eq!(intr::SW_AC_MODE::INFO.reset, u32::MAX);
    // The PCS causes are acknowledged by writing them back.
    assert_eq!(sig::PCS_INTR_STS::INFO.access, Access::WriteOneToClear);
    assert_eq!(
        sig::PCS_INTR_STS::INFO.apply_write(0b11, sig::PCS_INTR_LINK_UP),
        Some(sig::PCS_INTR_LINK_DOWN)
    );
    assert_eq!(sig::PCS_INTR_MASK::INFO.reset, u32::MAX);
    // The "device still there" register reads 0 whatever is written.
    assert_eq!(master::SPARE_0::INFO.reset, 0);
    assert_eq!(master::SPARE_0::INFO.apply_write(0, u32::MAX), None);
}

#[test]
fn rmon_buckets_are_the_c_drivers_ranges() {
    // fbnic_rmon_ranges[] of fbnic_ethtool.c.
    let ranges: [(u16, u16); 11] = [
        (0, 64),
        (65, 127),
        (128, 255),
        (256, 511),
        (512, 1023),
        (1024, 1518),
        (1519, 2047),
        (2048, 4095),
        (4096, 8191),
        (8192, 9216),
        (9217, 9742),
    ];
    for (b, r) in mac_stat::RMON_BUCKETS.iter().zip(ranges) {
        assert_eq!((b.lo, b.hi), r);
    }
    // The MAC counts up to 1518 bytes, RPC and TMI beyond.
    let b = &mac_stat::RMON_BUCKETS;
    assert_eq!(b[5].rx.lo, mac_stat::RX_PACKET_1024_1518_BYTES_L::AT.loc());
    assert_eq!(b[5].tx.hi, mac_stat::TX_PACKET_1024_1518_BYTES_H::AT.loc());
    assert_eq!(b[6].rx.lo, rpc::STAT_RX_PACKET_1519_2047_BYTES_L::AT.loc());
    assert_eq!(b[10].tx.hi, tmi::STAT_TX_PACKET_9217_MAX_BYTES_H::AT.loc());
    assert_eq!(mac_stat::RMON_MAC_MAX, b[5].hi);
    for c in b.iter().flat_map(|b| [b.rx, b.tx]) {
        assert_eq!(c.hi.index(), c.lo.index() + 1, "high half at +1");
    }
    assert_eq!(mac_stat::rmon_bucket(64), 0);
    assert_eq!(mac_stat::rmon_bucket(65), 1);
    assert_eq!(mac_stat::rmon_bucket(1518), 5);
    assert_eq!(mac_stat::rmon_bucket(1519), 6);
    assert_eq!(mac_stat::rmon_bucket(9216), 9);
    assert_eq!(mac_stat::rmon_bucket(u32::MAX), 10);
}

#[test]
fn rss_rules_are_the_c_drivers_act1_values() {
    use rpc_ram::*;
    // FBNIC_ACT1_INIT(l4, udp, ip, v6) rows of fbnic_rss_reinit(), with
    // fbnic_rss_init_en_mask()'s defaults: L4 for TCP, L3 for UDP and IP,
    // L2 for the rest.
    let init = |l4: u32, udp: u32, ip: u32, v6: u32| {
        (l4 * TCAM_ACT1_L4_VALID)
            | (udp * TCAM_ACT1_L4_IS_UDP)
            | (ip * TCAM_ACT1_IP_VALID)
            | (v6 * TCAM_ACT1_IP_IS_V6)
    };
    let l3 = rpc::ACT_TBL1_RSS_ENA_IP_SRC | rpc::ACT_TBL1_RSS_ENA_IP_DST;
    let l4 = l3 | rpc::ACT_TBL1_RSS_ENA_L4_SRC | rpc::ACT_TBL1_RSS_ENA_L4_DST;
    let c = [
        (init(1, 1, 1, 1), l3),
        (init(1, 1, 1, 0), l3),
        (init(1, 0, 1, 1), l4),
        (init(1, 0, 1, 0), l4),
        (init(0, 0, 1, 1), l3),
        (init(0, 0, 1, 0), l3),
        (0, rpc::ACT_TBL1_RSS_ENA_L2_DA),
    ];
    for (r, (flags, hash)) in RSS_RULES.iter().zip(c) {
        assert_eq!((r.flags, r.default_hash), (flags, hash));
        let w = r.tcam_word1();
        let value = TCAM_ACT1_L2_MACDA_VALID | flags;
        assert_eq!(w, tcam_word(value as u16, !value as u16));
    }
    // The unicast rules take the top seven entries: 57..=63.
    assert_eq!(RSS_RULES_FIRST, 57);
    assert_eq!(
        RSS_RULES_FIRST + RSS_RULES.len() as u32,
        TCAM_ACT_NUM_ENTRIES
    );
}
