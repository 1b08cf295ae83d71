// SPDX-License-Identifier: GPL-2.0

//! RX engine tests: timestamps, CHECKSUM_COMPLETE, header split and
//! packing, DONE bits across laps, bad buffers, drops and completion
//! interrupts.

use super::*;

#[test]
fn rx_timestamps_when_the_action_asks() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(b"when?!", TCP_ACK, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(received(&mut b, 1)[0].1.ts, None);
    // The TCP4 RSS rule with TS_ENA, as fbnic_rss_reinit() sets it for
    // HWTSTAMP_FILTER_ALL.
    let reg = rpc_ram::ACT_TBL0::INFO.dword(60, 0);
    let act0 = b.dev.csr_read(reg);
    b.dev.csr_write(reg, act0 | rpc::ACT_TBL0_TS_ENA);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 1);
    assert!(rx[0].1.ts.is_some());
    assert_eq!(rx[0].1.data, frame);
}

#[test]
fn rx_timestamps_are_the_ptp_counters_low_bits() {
    use fbnic_hw::csr::ptp;
    let (mut a, mut b) = pair(1);
    // The counter started past a 40-bit wrap, running at nominal rate.
    let start: u64 = (3 << 40) + 5_000;
    b.dev
        .csr_write(ptp::ADD_VAL_NS::INDEX, (ptp::DCLK_PERIOD >> 32) as u32);
    b.dev
        .csr_write(ptp::ADD_VAL_SUBNS::INDEX, ptp::DCLK_PERIOD as u32);
    b.dev.csr_write(ptp::INIT_HI::INDEX, (start >> 32) as u32);
    b.dev.csr_write(ptp::INIT_LO::INDEX, start as u32);
    b.dev.csr_write(
        ptp::ADJUST::INDEX,
        ptp::ADJUST::INIT.mask() | ptp::ADJUST::ADDEND_SET.mask(),
    );
    b.dev.csr_write(ptp::CTRL::INDEX, ptp::CTRL::EN.mask());
    let reg = rpc_ram::ACT_TBL0::INFO.dword(60, 0);
    let act0 = b.dev.csr_read(reg);
    b.dev.csr_write(reg, act0 | rpc::ACT_TBL0_TS_ENA);
    let before = b.dev.ptp().now_ns();
    a.send(0, TxMeta::default(), &tcp4(b"when?!", TCP_ACK, false), 2048);
    settle(&a, &b);
    let after = b.dev.ptp().now_ns();
    let ts = received(&mut b, 1)[0].1.ts.expect("a timestamp");
    let low = |t: u64| t & ((1 << 40) - 1);
    assert!(before >= start);
    assert!(
        low(before) <= ts && ts <= low(after),
        "{before} {ts} {after}"
    );
}

#[test]
fn checksum_complete_uses_the_kernels_word_order() {
    let (mut a, mut b) = pair(1);
    // ICMP echo: not TCP/UDP, so the RX side reports CHECKSUM_COMPLETE.
    let mut frame = tcp4(&pattern(77), 0, false);
    frame[23] = 1;
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 1);
    let m = rx[0].1.meta;
    assert!(!m.l4_csum_unnecessary);
    assert_eq!(m.l4_type, L4Type::Other);
    // What csum_partial() folds to on a little-endian host: 16-bit words
    // in memory order.
    let mut s: u32 = 0;
    for w in frame[14..].chunks(2) {
        s += u32::from(w[0]) | w.get(1).map_or(0, |b| u32::from(*b) << 8);
    }
    while s >> 16 != 0 {
        s = (s & 0xffff) + (s >> 16);
    }
    assert_eq!(m.l2_csum, s as u16);
}

#[test]
fn header_split_and_jumbo_placement() {
    let (mut a, mut b) = pair(1);
    b.enable_queue(0, true);
    let mut frame = tcp4(&pattern(3000), TCP_ACK, false);
    frame[50..52].copy_from_slice(&[0, 0]);
    a.send(0, TxMeta::default(), &frame, 1500);
    settle(&a, &b);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 1);
    let p = &rx[0].1;
    assert_eq!(p.hdr.len, 54, "split after the TCP header");
    assert_eq!(p.pay.len(), 1);
    assert_eq!(
        (p.pay[0].len, p.pay[0].off, p.pay[0].page_fin),
        (3000, 0, true)
    );
    assert_eq!(p.data, frame);
    assert_eq!(b.dev.datapath().rx_split(), 1);

    // Without split: small frames share a header page at the driver's
    // offsets; a jumbo frame's payload spans three pages.
    b.enable_queue(0, false);
    let small = tcp4(&pattern(946), TCP_ACK, false);
    let jumbo = tcp4(&pattern(8946), TCP_ACK, false);
    for f in [&small, &small, &jumbo] {
        a.send(0, TxMeta::default(), f, 4000);
    }
    settle(&a, &b);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 3);
    assert_eq!((rx[0].1.hdr.off, rx[0].1.hdr.len), (256, 1000));
    // ALIGN(256 + 1000 + 320 + 192, 128)
    assert_eq!(rx[1].1.hdr.off, 1792);
    assert_eq!(rx[1].1.hdr.buff_id, rx[0].1.hdr.buff_id);
    // The page closes once a maximum header (1536) no longer fits.
    assert!(!rx[0].1.hdr.page_fin);
    assert!(rx[1].1.hdr.page_fin);
    assert_ne!(rx[2].1.hdr.buff_id, rx[1].1.hdr.buff_id);
    let j = &rx[2].1;
    assert_eq!(j.hdr.len, 54);
    assert_eq!(
        j.pay.iter().map(|p| p.len).collect::<Vec<_>>(),
        vec![4096, 4096, 754]
    );
    assert_eq!(j.data, jumbo);
    // Only the jumbo frame needed payload buffers.
    assert_eq!(b.dev.datapath().rx_split(), 2);
}

#[test]
fn done_bit_flips_every_lap() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(b"x", TCP_ACK, false);
    // Two RCDs per packet: 600 packets go round the 1024-entry RCQ once
    // and partly a second time.
    let mut got = 0;
    for _ in 0..12 {
        for _ in 0..50 {
            a.send(0, TxMeta::default(), &frame, 2048);
        }
        settle(&a, &b);
        a.poll_tx(0);
        got += b.poll_rx(0).len();
    }
    assert_eq!(got, 600);
    // Entry 0 was rewritten on the second lap with DONE clear; the last
    // entry of the second lap's range is still from lap one.
    let first = b.rcd(0, 0);
    assert!(!RxCompletion::done(first), "lap 1 entries carry DONE = 0");
    assert!(
        RxCompletion::done(b.rcd(0, RING - 1)),
        "lap 0 entry keeps DONE = 1"
    );
    assert!(testbed::ends_packet(b.rcd(0, 1)));
}

#[test]
fn bad_rx_buffers_stop_the_rx_queue_without_panic() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(b"x", TCP_ACK, false);
    // Header buffer descriptor 0 points outside guest memory.
    let hpq = b.dev.csr_read(queue::BDQ_HPQ_BAL::INFO.dword(0, 0));
    let bad = fbnic_hw::desc::RxBufDesc {
        addr: 1 << 44,
        id: 0,
    };
    b.dev
        .memory()
        .write_u64(u64::from(hpq), bad.encode().unwrap())
        .unwrap();
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert!(b.poll_rx(0).is_empty());
    assert_eq!(b.dev.csr_read(queue::RDE_PKT_ERR_CNT::INFO.dword(0, 0)), 1);
    // Stopped: later frames are dropped, not placed.
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert!(b.poll_rx(0).is_empty());
    // Re-enabling (BDQ and RCQ reset, fresh buffers) recovers.
    b.enable_queue(0, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(b.poll_rx(0).len(), 1);
}

#[test]
fn drops_when_buffers_run_out_and_drop_never_waits() {
    let (mut a, mut b) = pair(1);
    // Take the buffers away.
    b.dev.csr_write(queue::BDQ_HPQ_TAIL::INFO.dword(0, 0), 0);
    b.enable_queue(0, false);
    b.dev.csr_write(queue::BDQ_HPQ_TAIL::INFO.dword(0, 0), 0);
    let frame = tcp4(b"x", TCP_ACK, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(b.dev.csr_read(queue::RDE_BDQ_DROP_CNT::INFO.dword(0, 0)), 1);
    assert!(b.poll_rx(0).is_empty());

    // DROP_NEVER: the frame waits in the inbox until buffers are posted.
    b.enable_queue(0, false);
    b.dev.csr_write(queue::BDQ_HPQ_TAIL::INFO.dword(0, 0), 0);
    b.set_drop_never(0, true);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(b.datapath().inbox_len(), 1);
    b.dev.csr_write(queue::BDQ_HPQ_TAIL::INFO.dword(0, 0), 10);
    settle(&a, &b);
    assert_eq!(b.datapath().inbox_len(), 0);
    assert_eq!(b.poll_rx(0).len(), 1);
}

#[test]
fn completion_interrupts_follow_rim_routing_and_mask() {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let (mut a, mut b) = pair(1);
    // SAFETY: eventfd with valid flags; the fd is owned by the File.
    let efd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
    assert!(efd >= 0);
    let mut file = unsafe { std::fs::File::from_raw_fd(efd) };
    let dup = file.try_clone().unwrap();
    b.dev.interrupts().attach(2, vec![dup]).unwrap();
    // Vectors come out of reset masked; NAPI enable unmasks.
    b.dev
        .csr_write(fbnic_hw::csr::intr::MASK_CLEAR::INFO.dword(0, 0), 1 << 2);
    let frame = tcp4(b"x", TCP_ACK, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    let mut v = [0u8; 8];
    assert!(file.read(&mut v).is_ok(), "RX completion raised vector 2");
    b.poll_rx(0);
    // Delivery masked the vector; the rearm unmasks it.
    b.dev.csr_write(
        fbnic_hw::csr::intr::CQ_REARM::INFO.dword(2, 0),
        fbnic_hw::csr::intr::CQ_REARM::INTR_UNMASK.mask(),
    );
    b.dev.csr_write(queue::RIM_MASK::INFO.dword(0, 0), 1);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert!(file.read(&mut v).is_err(), "masked RIM raises nothing");
}
