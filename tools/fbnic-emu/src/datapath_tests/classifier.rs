// SPDX-License-Identifier: GPL-2.0

//! Classifier unit tests straight against the register file.

use super::*;

fn frame_to(da: [u8; 6], dport: u16) -> Vec<u8> {
    let mut f = tcp4(b"payload", TCP_ACK, false);
    f[..6].copy_from_slice(&da);
    f[36..38].copy_from_slice(&dport.to_be_bytes());
    f
}

fn verdict(tb: &Testbed, f: &[u8]) -> Verdict {
    classify(tb.dev.csr(), f, &parse::parse(f), 8)
}

#[test]
fn rss_spreads_by_toeplitz_over_the_indirection_table() {
    let tb = Testbed::new(8, DEFAULT_DSN + 1).unwrap();
    for dport in [1u16, 80, 443, 5201, 40000] {
        let f = frame_to(B_MAC, dport);
        let hash = toeplitz::Input::ipv4_ports(SRC4, DST4, 40960, dport).hash(&testbed::RSS_KEY);
        assert_eq!(
            verdict(&tb, &f),
            Verdict::Host {
                queue: (hash & 0xff) as u16 % 8,
                rss_hash: hash,
                action: Some(60),
                timestamp: false,
            }
        );
    }
    // UDP hashes the addresses only (the driver's default fields).
    let mut f = frame_to(B_MAC, 53);
    f[23] = 17;
    let p = parse::parse(&f);
    let hash = toeplitz::Input::ipv4(SRC4, DST4).hash(&testbed::RSS_KEY);
    assert!(
        matches!(classify(tb.dev.csr(), &f, &p, 8), Verdict::Host { rss_hash, action: Some(58), .. } if rss_hash == hash)
    );
}

#[test]
fn mac_filtering() {
    let tb = Testbed::new(8, DEFAULT_DSN + 1).unwrap();
    assert!(matches!(
        verdict(&tb, &frame_to([0xff; 6], 1)),
        Verdict::Host { .. }
    ));
    let other = [0x02, 0, 0, 0, 0, 9];
    assert_eq!(
        verdict(&tb, &frame_to(other, 1)),
        Verdict::Drop(DropReason::Action)
    );
    let mcast = [0x01, 0, 0x5e, 0, 0, 1];
    assert_eq!(
        verdict(&tb, &frame_to(mcast, 1)),
        Verdict::Drop(DropReason::Action)
    );
    // All-multicast: entry 31 matching the group bit only.
    testbed::write_macda(
        &tb.dev,
        31,
        [1, 0, 0, 0, 0, 0],
        [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff],
    );
    assert!(matches!(
        verdict(&tb, &frame_to(mcast, 1)),
        Verdict::Host { .. }
    ));
    assert_eq!(
        verdict(&tb, &frame_to(other, 1)),
        Verdict::Drop(DropReason::Action)
    );
    // Promiscuous: everything.
    testbed::write_macda(&tb.dev, 31, [0; 6], [0xff; 6]);
    assert!(matches!(
        verdict(&tb, &frame_to(other, 1)),
        Verdict::Host { .. }
    ));
    // Longer than RMI_CONFIG.MTU, the largest frame the driver programs:
    // dropped.
    let max = fbnic_hw::csr::MAX_JUMBO_FRAME_SIZE as usize;
    let mut jumbo = frame_to(B_MAC, 1);
    jumbo.resize(max + 1, 0);
    assert_eq!(verdict(&tb, &jumbo), Verdict::Drop(DropReason::Oversize));
    jumbo.truncate(max);
    assert!(matches!(verdict(&tb, &jumbo), Verdict::Host { .. }));
    // RPC disabled: nothing.
    tb.dev.csr_write(rpc::RMI_CONFIG::INDEX, 0);
    assert_eq!(
        verdict(&tb, &frame_to(B_MAC, 1)),
        Verdict::Drop(DropReason::Disabled)
    );
}

#[test]
fn ntuple_rules_win_over_rss_lowest_first() {
    let tb = Testbed::new(8, DEFAULT_DSN + 1).unwrap();
    // As fbnic_set_cls_rule_ins for tcp4 dst-port 5201 action 3.
    let flow = (rpc_ram::TCAM_ACT1_L4_VALID
        | rpc_ram::TCAM_ACT1_IP_VALID
        | rpc_ram::TCAM_ACT1_L2_MACDA_VALID) as u16;
    let care = (rpc_ram::TCAM_ACT1_L4_VALID
        | rpc_ram::TCAM_ACT1_L4_IS_UDP
        | rpc_ram::TCAM_ACT1_IP_VALID
        | rpc_ram::TCAM_ACT1_IP_IS_V6
        | rpc_ram::TCAM_ACT1_L2_MACDA_VALID) as u16;
    let mut value = [0u16; 11];
    let mut mask = [0xffffu16; 11];
    value[1] = flow;
    mask[1] = !care;
    value[4] = 5201;
    mask[4] = 0;
    let to_q3 = rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_HOST)
        | rpc::ACT_TBL0_Q_SEL
        | rpc::ACT_TBL0_Q_ID.prep(3);
    testbed::write_act(&tb.dev, 49, value, mask, to_q3, 0);
    assert!(matches!(
        verdict(&tb, &frame_to(B_MAC, 5201)),
        Verdict::Host {
            queue: 3,
            action: Some(49),
            ..
        }
    ));
    assert!(matches!(
        verdict(&tb, &frame_to(B_MAC, 5202)),
        Verdict::Host {
            action: Some(60),
            ..
        }
    ));
    // A lower-numbered drop rule for the same flow takes precedence.
    testbed::write_act(&tb.dev, 2, value, mask, rpc::ACT_TBL0_DROP, 0);
    assert_eq!(
        verdict(&tb, &frame_to(B_MAC, 5201)),
        Verdict::Drop(DropReason::Action)
    );
    // An RSS context rule uses indirection table 1.
    for i in 0..rpc_ram::RSS_TBL_SIZE {
        tb.dev.csr_write(rpc_ram::RSS_TBL::INFO.dword(1, i), 7);
    }
    let ctx = rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_HOST) | rpc::ACT_TBL0_RSS_CTXT_ID;
    testbed::write_act(&tb.dev, 2, value, mask, ctx, rpc::ACT_TBL1_RSS_ENA_IP_SRC);
    assert!(matches!(
        verdict(&tb, &frame_to(B_MAC, 5201)),
        Verdict::Host { queue: 7, .. }
    ));
    // A queue the port lacks is refused, not delivered.
    testbed::write_act(
        &tb.dev,
        2,
        value,
        mask,
        to_q3 | rpc::ACT_TBL0_Q_ID.prep(100),
        0,
    );
    assert_eq!(
        verdict(&tb, &frame_to(B_MAC, 5201)),
        Verdict::Drop(DropReason::BadQueue(103))
    );
}

#[test]
fn ip_tcam_rules() {
    let tb = Testbed::new(8, DEFAULT_DSN + 1).unwrap();
    // Destination 192.0.2.0/24 in IP DST entry 1 (v4: upper words
    // don't care).
    for w in 0..8u32 {
        let (v, m) = match w {
            0 => (0x0200, 0x00ff),
            1 => (0xc000, 0x0000),
            _ => (0, 0xffff),
        };
        tb.dev
            .csr_write(rpc_ram::TCAM_IPDST::INFO.dword(1, w), (m << 16) | v);
    }
    tb.dev.csr_write(
        rpc_ram::TCAM_IPDST::INFO.dword(1, 8),
        rpc_ram::TCAM_VALIDATE,
    );
    let mut value = [0u16; 11];
    let mut mask = [0xffffu16; 11];
    value[0] = (rpc_ram::TCAM_ACT0_IPDST_VALID | rpc_ram::TCAM_ACT0_IPDST_IDX.prep(1)) as u16;
    mask[0] = !((rpc_ram::TCAM_ACT0_IPDST_VALID | rpc_ram::TCAM_ACT0_IPDST_IDX.mask()) as u16);
    testbed::write_act(&tb.dev, 10, value, mask, rpc::ACT_TBL0_DROP, 0);
    assert_eq!(
        verdict(&tb, &frame_to(B_MAC, 1)),
        Verdict::Drop(DropReason::Action)
    );
    let mut f = frame_to(B_MAC, 1);
    f[30] = 198;
    assert!(matches!(verdict(&tb, &f), Verdict::Host { .. }));
}

#[test]
fn rcd_type_helper_matches_meta() {
    assert!(testbed::ends_packet(rcd::TYPE_MASK.prep(rcd::TYPE_META)));
}

#[test]
fn ipv6_flow_label_joins_the_hash_only_when_asked() {
    let with_label = |label: u32| {
        let mut f = udp6_lso(b"x");
        f[15] = (label >> 16) as u8 & 0xf;
        f[16..18].copy_from_slice(&(label as u16).to_be_bytes());
        f
    };
    let (a, b) = (with_label(0x1_2345), with_label(0xa_bcde));
    let input = |act1: u32, f: &[u8]| {
        let mut out = Vec::new();
        rss_input(act1, f, &parse::parse(f), &mut out);
        out
    };
    let l3 = rpc::ACT_TBL1_RSS_ENA_IP_SRC | rpc::ACT_TBL1_RSS_ENA_IP_DST;
    assert_eq!(input(l3, &a), input(l3, &b));
    for bit in [
        rpc::ACT_TBL1_RSS_ENA_OV6_FL_LBL,
        rpc::ACT_TBL1_RSS_ENA_IV6_FL_LBL,
    ] {
        let ia = input(l3 | bit, &a);
        assert_eq!(ia.len(), 32 + 3);
        assert_eq!(ia[32..], [0x01, 0x23, 0x45]);
        assert_ne!(ia, input(l3 | bit, &b));
    }
    // An IPv4 frame has no label to add.
    let f = tcp4(b"payload", TCP_ACK, false);
    assert_eq!(
        input(l3 | rpc::ACT_TBL1_RSS_ENA_OV6_FL_LBL, &f),
        input(l3, &f)
    );
}
