// SPDX-License-Identifier: GPL-2.0

//! TX engine tests: frames across the cable, TX completions and
//! timestamps, TWQ1, bad descriptors.

use super::*;
use fbnic_hw::desc::MIN_FRAME_LEN;
use fbnic_hw::reg::RegInfo;

#[test]
fn frame_crosses_the_cable_with_completions() {
    let (mut a, mut b) = pair(1);
    let mut frame = tcp4(b"ping!!", TCP_ACK, false);
    // A plain frame: no offloads, checksum finished by hand.
    frame[50..52].copy_from_slice(&[0, 0]);
    let c = !naive_sum(&[&SRC4, &DST4, &[0, 0, 0, 26], &[0, 6], &frame[34..]]);
    frame[50..52].copy_from_slice(&c.to_be_bytes());
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 2 }]);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 1);
    let p = &rx[0].1;
    assert_eq!(p.data, frame);
    assert_eq!(p.hdr.off, 256, "first header after the rounded headroom");
    assert!(
        p.pay.is_empty(),
        "a small frame goes whole to the header buffer"
    );
    assert!(p.meta.l4_csum_unnecessary);
    assert_eq!(p.meta.l3_type, L3Type::Ipv4);
    assert_eq!(p.meta.l4_type, L4Type::Tcp);
    let key = toeplitz::Input::ipv4_ports(SRC4, DST4, 40960, 5201);
    assert_eq!(p.meta.rss_hash, key.hash(&testbed::RSS_KEY));
    assert_eq!(
        b.dev.csr_read(queue::RDE_PKT_CNT::INFO.dword(0, 0)),
        1,
        "per-queue RDE packet counter"
    );
    assert_eq!(
        crate::stats::read64(
            a.dev.csr(),
            fbnic_hw::csr::mac_stat::TX_TRANSMITTED_OK_L::INDEX
        ),
        1
    );
    assert_eq!(
        crate::stats::read64(
            b.dev.csr(),
            fbnic_hw::csr::mac_stat::RX_RECEIVED_OK_L::INDEX
        ),
        1
    );
}

#[test]
fn no_carrier_no_frames() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(b"lost", TCP_ACK, false);
    a.dev.link().set_carrier(&a.dev, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    // The descriptors complete; the frame never reaches the wire.
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 2 }]);
    assert!(received(&mut b, 1).is_empty());
    let csr = a.dev.csr();
    assert_eq!(
        crate::stats::read64(csr, fbnic_hw::csr::mac_stat::TX_IFOUTERRORS_L::INDEX),
        1
    );
    a.dev.link().set_carrier(&a.dev, true);
    b.dev.link().set_carrier(&b.dev, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert!(received(&mut b, 1).is_empty());
    b.dev.link().set_carrier(&b.dev, true);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(received(&mut b, 1).len(), 1);
}

#[test]
fn timestamp_completion_precedes_the_head() {
    let (mut a, b) = pair(1);
    let frame = tcp4(b"stamp me", TCP_ACK, false);
    let meta = TxMeta {
        req_ts: true,
        ..TxMeta::default()
    };
    a.send(0, meta, &frame, 2048);
    settle(&a, &b);
    let c = a.poll_tx(0);
    assert_eq!(c.len(), 2);
    assert!(matches!(c[0], TxCompletion::Timestamp { status: 0, .. }));
    assert_eq!(c[1], TxCompletion::Head0 { head: 2 });
}

#[test]
fn injected_timestamp_faults() {
    let (mut a, b) = pair(1);
    let frame = tcp4(b"stamp me", TCP_ACK, false);
    let stamped = TxMeta {
        req_ts: true,
        ..TxMeta::default()
    };
    // Dropped: the head moves, no time stamp.
    a.dev
        .datapath()
        .set_ts_fault(crate::queues::TsFault::Drop, 1);
    a.send(0, stamped, &frame, 2048);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 2 }]);
    // Flagged invalid.
    a.dev
        .datapath()
        .set_ts_fault(crate::queues::TsFault::Invalid, 1);
    a.send(0, stamped, &frame, 2048);
    settle(&a, &b);
    let c = a.poll_tx(0);
    assert_eq!(c.len(), 2);
    assert!(
        matches!(c[0], TxCompletion::Timestamp { status, .. } if TxCompletion::ts_failed(status))
    );
    // For a packet that did not ask; the next one that asks is as usual.
    a.dev
        .datapath()
        .set_ts_fault(crate::queues::TsFault::Spurious, 1);
    a.send(0, TxMeta::default(), &frame, 2048);
    a.send(0, stamped, &frame, 2048);
    settle(&a, &b);
    let c = a.poll_tx(0);
    assert_eq!(c.len(), 3, "{c:?}");
    assert!(matches!(c[0], TxCompletion::Timestamp { status: 0, .. }));
    assert!(matches!(c[1], TxCompletion::Timestamp { status: 0, .. }));
    assert_eq!(c[2], TxCompletion::Head0 { head: 8 });
}

#[test]
fn twq1_sends_address_lists_under_the_default_meta() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(&pattern(200), TCP_ACK, false);
    // TWQ1 ring in spare space of queue 0's area, as fbnic_enable_twq1().
    let ring = 0x8000u64;
    let buf = a.tx_buf(0) + 0x1_0000;
    let mem = a.dev.memory();
    mem.write(buf, &frame).unwrap();
    let half = frame.len() / 2;
    let al = |addr: u64, len: usize, last: bool| {
        TxAddrLen {
            addr,
            len: len as u16,
            last,
        }
        .encode()
        .unwrap()
    };
    mem.write_u64(ring, al(buf, half, false)).unwrap();
    mem.write_u64(ring + 8, al(buf + half as u64, frame.len() - half, true))
        .unwrap();
    let dm = TxMeta {
        dest_mac: true,
        ..TxMeta::default()
    }
    .encode()
    .unwrap();
    a.dev
        .csr_write(fbnic_hw::csr::qm_tx::TWQ_DEFAULT_META_L::INDEX, dm as u32);
    a.dev.csr_write(
        fbnic_hw::csr::qm_tx::TWQ_DEFAULT_META_H::INDEX,
        (dm >> 32) as u32,
    );
    let wr = |off: RegInfo, v| a.dev.csr_write(off.dword(0, 0), v);
    wr(queue::TWQ1_CTL::INFO, queue::TWQ0_CTL::RESET.mask());
    wr(queue::TWQ1_BAL::INFO, ring as u32);
    wr(queue::TWQ1_BAH::INFO, 0);
    wr(queue::TWQ1_SIZE::INFO, 6);
    wr(queue::TWQ1_CTL::INFO, queue::TWQ0_CTL::ENABLE.mask());
    wr(queue::TWQ1_TAIL::INFO, 2);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head1 { head: 2 }]);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 1);
    assert_eq!(rx[0].1.data, frame);
}

#[test]
fn bad_descriptors_stop_the_queue_without_panic() {
    let (mut a, b) = pair(1);
    let frame = tcp4(b"x", TCP_ACK, false);
    let buf = a.tx_buf(0);
    a.dev.memory().write(buf, &frame).unwrap();
    let meta = TxMeta {
        req_completion: true,
        ..TxMeta::default()
    }
    .encode()
    .unwrap();
    let al = |addr: u64, len: u16| {
        TxAddrLen {
            addr,
            len,
            last: true,
        }
        .encode()
        .unwrap()
    };
    for bad in [
        vec![al(buf, 60)],                               // AL without META
        vec![meta, al(buf, 0)],                          // zero length
        vec![meta, al(1 << 44, 60)],                     // outside guest memory
        vec![meta, twd::TYPE_MASK.prep(twd::TYPE_META)], // META where AL expected
    ] {
        a.enable_queue(0, false);
        a.post_raw(0, &bad);
        settle(&a, &b);
        assert_eq!(a.poll_tx(0), vec![], "no completion for {bad:x?}");
        // Stopped: a good packet behind it is not sent.
        a.send(0, TxMeta::default(), &frame, 2048);
        settle(&a, &b);
        assert_eq!(a.poll_tx(0), vec![]);
    }
    assert_eq!(a.dev.csr_read(queue::TWQ0_ERR_CNT::INFO.dword(0, 0)), 4);
    // A reset brings it back.
    a.enable_queue(0, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 2 }]);
}

#[test]
fn host_frames_under_the_minimum_are_counted_as_runts() {
    let (mut a, b) = pair(1);
    let arp = [0xffu8; 42];
    a.send(0, TxMeta::default(), &arp, 2048);
    settle(&a, &b);
    assert_eq!(a.dev.datapath().tx_runts(), 1);
    let padded = [0xffu8; MIN_FRAME_LEN as usize];
    a.send(0, TxMeta::default(), &padded, 2048);
    settle(&a, &b);
    assert_eq!(a.dev.datapath().tx_runts(), 1, "a 60-byte frame is no runt");
}
