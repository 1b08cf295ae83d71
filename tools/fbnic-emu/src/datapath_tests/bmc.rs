// SPDX-License-Identifier: GPL-2.0

//! A BMC sharing port B, programmed as the C driver does with a BMC
//! (`fbnic_bmc_rpc_init()`, `fbnic_rss_reinit()`, `fbnic_clear_rules()`,
//! `fbnic_write_tce_tcam()`): frames to the BMC reach it, with the host
//! interface up or down, and the BMC's own frames reach the wire.

use super::*;
use crate::bmc::BmcConfig;
use crate::identity::MacAddr;
use fbnic_hw::csr::{tce, tce_ram};

const BMC_MAC: [u8; 6] = [0x02, 0x00, 0x5e, 0x00, 0xb0, 0x01];

/// Action TCAM entry 0: MAC DA entries 0..=3 go to the BMC alone.
fn bmc_unicast_rule(dev: &crate::device::FbnicDevice) {
    let mut value = [0u16; 11];
    let mut mask = [0xffffu16; 11];
    value[1] = rpc_ram::TCAM_ACT1_L2_MACDA_VALID as u16;
    mask[1] =
        !((rpc_ram::TCAM_ACT1_L2_MACDA_IDX.prep(0x1c) | rpc_ram::TCAM_ACT1_L2_MACDA_VALID) as u16);
    let act0 = rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_BMC);
    testbed::write_act(dev, 0, value, mask, act0, 0);
}

/// Rewrites the last RSS rule (every MAC DA hit) with `dest`.
fn last_rule(dev: &crate::device::FbnicDevice, dest: u32) {
    let mut value = [0u16; 11];
    let mut mask = [0xffffu16; 11];
    value[1] = rpc_ram::TCAM_ACT1_L2_MACDA_VALID as u16;
    mask[1] = !(rpc_ram::TCAM_ACT1_L2_MACDA_VALID as u16);
    testbed::write_act(dev, 63, value, mask, rpc::ACT_TBL0_DEST_MASK.prep(dest), 0);
}

/// The fourteen RSS rules of a port with a BMC: 50..=56 for the host's
/// unicast entries (MAC DA index 24 and up) to the host, 57..=63 for every
/// other MAC DA hit (broadcast, multicast) to host and BMC.
fn bmc_rss_rules(dev: &crate::device::FbnicDevice) {
    for (i, rule) in rpc_ram::RSS_RULES.iter().enumerate() {
        let i = i as u32;
        for (entry, idx, dest) in [
            (
                rpc_ram::RSS_RULES_FIRST - 7 + i,
                rpc_ram::TCAM_MACDA_DEFAULT_BOUNDARY,
                rpc::ACT_TBL0_DEST_HOST,
            ),
            (
                rpc_ram::RSS_RULES_FIRST + i,
                0,
                rpc::ACT_TBL0_DEST_HOST | rpc::ACT_TBL0_DEST_BMC,
            ),
        ] {
            let v = rpc_ram::TCAM_ACT1_L2_MACDA_IDX.prep(idx)
                | rpc_ram::TCAM_ACT1_L2_MACDA_VALID
                | rule.flags;
            let mut value = [0u16; 11];
            let mut mask = [0xffffu16; 11];
            value[1] = v as u16;
            mask[1] = !v as u16;
            let act0 = rpc::ACT_TBL0_DEST_MASK.prep(dest);
            testbed::write_act(dev, entry, value, mask, act0, rule.default_hash);
        }
    }
}

/// A pair whose port B has a BMC, its address in MAC DA entry 0 and
/// broadcast and multicast going to host and BMC.
fn shared_pair() -> (Testbed, Testbed) {
    let (a, b) = pair(1);
    assert!(b.dev.set_bmc(BmcConfig {
        macs: vec![MacAddr(BMC_MAC)],
        all_multi: false,
    }));
    testbed::write_macda(&b.dev, 0, BMC_MAC, [0; 6]);
    bmc_unicast_rule(&b.dev);
    bmc_rss_rules(&b.dev);
    (a, b)
}

fn bmc_frames(t: &Testbed) -> (u64, u64, u64) {
    t.dev.bmc().map(|b| b.frames()).unwrap_or_default()
}

#[test]
fn classifier_names_the_bmc() {
    let (_a, b) = shared_pair();
    let csr = b.dev.csr();
    let dest = |da: [u8; 6]| {
        let mut f = tcp4(b"x", TCP_ACK, false);
        f[..6].copy_from_slice(&da);
        let (v, bmc) = crate::rpc::classify_dest(csr, &f, &parse::parse(&f), 1);
        (matches!(v, Verdict::Host { .. }), bmc)
    };
    assert_eq!(dest(BMC_MAC), (false, true), "the BMC's own address");
    assert_eq!(dest([0xff; 6]), (true, true), "broadcast: both");
    assert_eq!(dest(B_MAC), (true, false), "the host's address");
    assert_eq!(dest([0x02, 0, 0, 0, 0, 9]), (false, false), "nobody's");
    // A drop action sends nowhere, whatever its destination bits.
    testbed::write_act(
        &b.dev,
        0,
        [0; 11],
        [0xffff; 11],
        rpc::ACT_TBL0_DROP | rpc::ACT_TBL0_DEST_MASK.prep(rpc::ACT_TBL0_DEST_BMC),
        0,
    );
    assert_eq!(dest(BMC_MAC), (false, false));
}

#[test]
fn bmc_receives_with_the_host_up_and_down() {
    let (mut a, mut b) = shared_pair();
    let mut to_bmc = tcp4(b"for the BMC", TCP_ACK, false);
    to_bmc[..6].copy_from_slice(&BMC_MAC);
    for _ in 0..3 {
        a.send(0, TxMeta::default(), &to_bmc, 2048);
    }
    settle(&a, &b);
    assert_eq!(bmc_frames(&b), (3, 0, 0));
    assert!(received(&mut b, 1).is_empty(), "the host gets none of them");

    // Broadcast goes to both.
    let mut bcast = tcp4(b"everyone", TCP_ACK, false);
    bcast[..6].copy_from_slice(&[0xff; 6]);
    a.send(0, TxMeta::default(), &bcast, 2048);
    settle(&a, &b);
    assert_eq!(bmc_frames(&b).0, 4);
    assert_eq!(received(&mut b, 1).len(), 1);

    // Host interface down as the C driver leaves it: host entries and
    // rules gone, the last rule to the BMC alone, RPC still enabled.
    for idx in [rpc_ram::TCAM_MACDA_HOST_ADDR_IDX, 0x1f] {
        for w in 0..=rpc_ram::TCAM_MACDA_WORD_LEN {
            b.dev.csr_write(rpc_ram::TCAM_MACDA::INFO.dword(idx, w), 0);
        }
    }
    for e in (rpc_ram::RSS_RULES_FIRST - 7..63).chain([0]) {
        b.dev.csr_write(
            rpc_ram::TCAM_ACT::INFO.dword(e, rpc_ram::TCAM_ACT_WORD_LEN),
            0,
        );
    }
    last_rule(&b.dev, rpc::ACT_TBL0_DEST_BMC);
    a.send(0, TxMeta::default(), &to_bmc, 2048);
    a.send(0, TxMeta::default(), &bcast, 2048);
    settle(&a, &b);
    assert_eq!(bmc_frames(&b).0, 6);
    assert!(received(&mut b, 1).is_empty());
}

#[test]
fn bmc_sends_to_the_wire_and_hears_the_host_through_the_tx_tcam() {
    let (mut a, mut b) = shared_pair();
    let bmc = b.dev.bmc().unwrap();
    let frame = bmc.frame_to(MacAddr(A_MAC), 100);
    assert!(b.datapath().bmc_send(&b.dev, &frame));
    settle(&a, &b);
    let rx = received(&mut a, 1);
    assert_eq!(rx.len(), 1);
    assert_eq!(rx[0].1.data, frame);

    // TX TCAM entry 0 for the BMC's address, to the BMC alone.
    for (w, k) in (0..).zip(rpc_ram::macda_key(BMC_MAC)) {
        b.dev.csr_write(
            tce_ram::TCAM::INFO.dword(0, w),
            tce_ram::TCAM::VALUE.prep(u32::from(k)),
        );
    }
    b.dev.csr_write(
        tce_ram::TCAM3::INFO.dword(0, 0),
        tce_ram::TCAM3::VALIDATE.mask() | tce_ram::TCAM3::DEST_MASK.mask(),
    );
    b.dev
        .csr_write(tce::TCAM_IDX2DEST_MAP::INDEX, tce::TCAM_DEST_BMC);
    b.dev.csr_write(
        tce::TXB_CTRL::INDEX,
        tce::TXB_CTRL::TCAM_ENABLE.mask() | tce::TXB_CTRL::LOAD.mask(),
    );
    let mut to_bmc = tcp4(b"host to BMC", TCP_ACK, false);
    to_bmc[..6].copy_from_slice(&BMC_MAC);
    b.send(0, TxMeta::default(), &to_bmc, 2048);
    let mut to_a = tcp4(b"host to A", TCP_ACK, false);
    to_a[..6].copy_from_slice(&A_MAC);
    b.send(0, TxMeta::default(), &to_a, 2048);
    settle(&a, &b);
    assert_eq!(bmc_frames(&b), (0, 1, 0));
    let rx = received(&mut a, 1);
    assert_eq!(rx.len(), 1, "only the frame to A reaches the wire");
    assert_eq!(rx[0].1.data, to_a);
}
