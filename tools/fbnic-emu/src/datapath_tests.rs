// SPDX-License-Identifier: GPL-2.0

//! End-to-end tests of the queue engines: two ports cabled back to back,
//! each with driver-side rings from [`crate::testbed`], frames sent on one
//! and checked as the other receives them.

use fbnic_hw::csr::{queue, rpc, rpc_ram};
use fbnic_hw::desc::{rcd, twd, L3Type, L4Type, RxCompletion, TxAddrLen, TxCompletion, TxMeta};
use fbnic_hw::toeplitz;

use crate::backend;
use crate::identity::DEFAULT_DSN;
use crate::parse;
use crate::rpc::{classify, DropReason, Verdict};
use crate::testbed::{self, RxPacket, Testbed, RING};

const A_MAC: [u8; 6] = [0x02, 0x00, 0x5e, 0x00, 0x10, 0x00];
const B_MAC: [u8; 6] = [0x02, 0x00, 0x5e, 0x00, 0x10, 0x01];
const SRC4: [u8; 4] = [192, 0, 2, 1];
const DST4: [u8; 4] = [192, 0, 2, 2];
const SRC6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const DST6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
const TCP_FIN: u8 = 0x01;
const TCP_PSH: u8 = 0x08;
const TCP_ACK: u8 = 0x10;
const TCP_CWR: u8 = 0x80;

/// Two ports, A and B, cabled back to back, `queues` queues each.
fn pair(queues: u16) -> (Testbed, Testbed) {
    let a = Testbed::new(queues, DEFAULT_DSN).unwrap();
    let b = Testbed::new(queues, DEFAULT_DSN + 1).unwrap();
    backend::cable(&a.dev, &b.dev);
    (a, b)
}

/// Runs both engines until quiet.
fn settle(a: &Testbed, b: &Testbed) {
    for _ in 0..8 {
        a.run();
        b.run();
    }
}

/// Every packet B received, on all its queues.
fn received(b: &mut Testbed, queues: u16) -> Vec<(u16, RxPacket)> {
    (0..queues)
        .flat_map(|q| b.poll_rx(q).into_iter().map(move |p| (q, p)))
        .collect()
}

/// Independent RFC 1071 checksum: byte pairs, 32-bit accumulator.
fn naive_sum(parts: &[&[u8]]) -> u16 {
    let mut bytes = Vec::new();
    for p in parts {
        bytes.extend_from_slice(p);
        if bytes.len() % 2 == 1 && !std::ptr::eq(*p, *parts.last().unwrap()) {
            panic!("odd-length part in the middle");
        }
    }
    let mut s: u32 = 0;
    for pair in bytes.chunks(2) {
        let hi = u32::from(pair[0]) << 8;
        let lo = pair.get(1).map_or(0, |b| u32::from(*b));
        s += hi | lo;
        s = (s & 0xffff) + (s >> 16);
    }
    s as u16
}

/// Whether the L4 checksum of a parsed TCP/UDP frame verifies.
fn l4_ok(frame: &[u8]) -> bool {
    let p = parse::parse(frame);
    let off = p.l4_off.unwrap();
    let end = p.l2_len + p.l3_total;
    let l4 = &frame[off..end];
    let len = (l4.len() as u32).to_be_bytes();
    let (s, d): (Vec<u8>, Vec<u8>) = match p.ip.unwrap() {
        parse::Ip::V4 { src, dst } => (src.to_vec(), dst.to_vec()),
        parse::Ip::V6 { src, dst, .. } => (src.to_vec(), dst.to_vec()),
    };
    let pseudo_tail = [0, p.l4_proto];
    naive_sum(&[&s, &d, &len, &pseudo_tail, l4]) == 0xffff
}

fn ipv4_hdr_ok(frame: &[u8]) -> bool {
    naive_sum(&[&frame[14..34]]) == 0xffff
}

/// Folded pseudo-header sum (not complemented), the CHECKSUM_PARTIAL seed.
fn pseudo_seed(src: &[u8], dst: &[u8], proto: u8, len: u32) -> u16 {
    let l = len.to_be_bytes();
    naive_sum(&[src, dst, &l, &[0, proto]])
}

/// Ethernet + IPv4 + TCP (20-byte header) + payload from A to B, with the
/// checksum field holding the pseudo-header seed: with the length for
/// CSO, without it for LSO (`fbnic_tx_lso()` takes it out).
fn tcp4(payload: &[u8], flags: u8, lso: bool) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&B_MAC);
    f.extend_from_slice(&A_MAC);
    f.extend_from_slice(&[0x08, 0x00]);
    let total = (40 + payload.len()) as u16;
    f.extend_from_slice(&[
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0x10,
        0x00,
        0x40,
        0x00,
        64,
        6,
        0,
        0,
    ]);
    f.extend_from_slice(&SRC4);
    f.extend_from_slice(&DST4);
    let hdr_sum = !naive_sum(&[&f[14..34]]);
    f[24..26].copy_from_slice(&hdr_sum.to_be_bytes());
    f.extend_from_slice(&[0xa0, 0x00, 0x14, 0x51]); // ports 40960 -> 5201
    f.extend_from_slice(&0x1000_0000u32.to_be_bytes());
    f.extend_from_slice(&1u32.to_be_bytes());
    f.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    let l4_len = if lso { 0 } else { (20 + payload.len()) as u32 };
    let seed = pseudo_seed(&SRC4, &DST4, 6, l4_len);
    f[50..52].copy_from_slice(&seed.to_be_bytes());
    f
}

/// Ethernet + IPv6 + UDP + payload, seeded for LSO (no length).
fn udp6_lso(payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&B_MAC);
    f.extend_from_slice(&A_MAC);
    f.extend_from_slice(&[0x86, 0xdd]);
    let plen = (8 + payload.len()) as u16;
    f.extend_from_slice(&[0x60, 0, 0, 0, (plen >> 8) as u8, plen as u8, 17, 64]);
    f.extend_from_slice(&SRC6);
    f.extend_from_slice(&DST6);
    f.extend_from_slice(&[0x30, 0x39, 0x11, 0x5c, (plen >> 8) as u8, plen as u8, 0, 0]);
    f.extend_from_slice(payload);
    let seed = pseudo_seed(&SRC6, &DST6, 17, 0);
    f[60..62].copy_from_slice(&seed.to_be_bytes());
    f
}

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 131 + i / 256) as u8).collect()
}

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
        b.dev.csr_read(queue::reg(0, queue::RDE_PKT_CNT)),
        1,
        "per-queue RDE packet counter"
    );
    assert_eq!(
        crate::stats::read64(a.dev.csr(), fbnic_hw::csr::mac_stat::TX_TRANSMITTED_OK_L),
        1
    );
    assert_eq!(
        crate::stats::read64(b.dev.csr(), fbnic_hw::csr::mac_stat::RX_RECEIVED_OK_L),
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
        crate::stats::read64(csr, fbnic_hw::csr::mac_stat::TX_IFOUTERRORS_L),
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
fn rx_timestamps_when_the_action_asks() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(b"when?!", TCP_ACK, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(received(&mut b, 1)[0].1.ts, None);
    // The TCP4 RSS rule with TS_ENA, as fbnic_rss_reinit() sets it for
    // HWTSTAMP_FILTER_ALL.
    let reg = rpc_ram::act_tbl0(60);
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
        .csr_write(fbnic_hw::csr::qm_tx::TWQ_DEFAULT_META_L, dm as u32);
    a.dev
        .csr_write(fbnic_hw::csr::qm_tx::TWQ_DEFAULT_META_H, (dm >> 32) as u32);
    let wr = |off, v| a.dev.csr_write(queue::reg(0, off), v);
    wr(queue::TWQ1_CTL, queue::TWQ_CTL_RESET);
    wr(queue::TWQ1_BAL, ring as u32);
    wr(queue::TWQ1_BAH, 0);
    wr(queue::TWQ1_SIZE, 6);
    wr(queue::TWQ1_CTL, queue::TWQ_CTL_ENABLE);
    wr(queue::TWQ1_TAIL, 2);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head1 { head: 2 }]);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 1);
    assert_eq!(rx[0].1.data, frame);
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
fn checksum_offload_fills_tcp_checksum() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(&pattern(301), TCP_ACK | TCP_PSH, false);
    let meta = TxMeta {
        l2_hlen: 14,
        l3_type: L3Type::Ipv4,
        l3_ihlen: 20,
        csum_offset: 16,
        req_cso: true,
        ..TxMeta::default()
    };
    a.send(0, meta, &frame, 100);
    settle(&a, &b);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 1);
    let got = &rx[0].1.data;
    assert!(l4_ok(got), "TCP checksum does not verify");
    assert_eq!(got[..50], frame[..50]);
    assert_eq!(got[52..], frame[52..]);
    assert!(rx[0].1.meta.l4_csum_unnecessary);
}

#[test]
fn tcp4_lso_segments() {
    let (mut a, mut b) = pair(1);
    let payload = pattern(64 * 1024 - 54);
    let frame = tcp4(&payload, TCP_ACK | TCP_PSH | TCP_CWR | TCP_FIN, true);
    let meta = TxMeta {
        l2_hlen: 14,
        l3_type: L3Type::Ipv4,
        l3_ihlen: 20,
        csum_offset: 16,
        l4_hlen: 20,
        l4_type: L4Type::Tcp,
        mss: 1448,
        req_lso: true,
        ..TxMeta::default()
    };
    a.send(0, meta, &frame, 4096);
    settle(&a, &b);
    let rx = received(&mut b, 1);
    let segs = payload.len().div_ceil(1448);
    assert_eq!(rx.len(), segs);
    let mut joined = Vec::new();
    for (i, (_, p)) in rx.iter().enumerate() {
        let f = &p.data;
        let plen = if i + 1 == segs {
            payload.len() - 1448 * i
        } else {
            1448
        };
        assert_eq!(f.len(), 54 + plen, "segment {i} length");
        assert_eq!(
            u16::from_be_bytes([f[16], f[17]]) as usize,
            40 + plen,
            "IPv4 total length"
        );
        assert_eq!(
            u16::from_be_bytes([f[18], f[19]]),
            0x1000 + i as u16,
            "IP ID increments"
        );
        assert!(ipv4_hdr_ok(f), "segment {i} IPv4 header checksum");
        assert!(l4_ok(f), "segment {i} TCP checksum");
        let seq = u32::from_be_bytes([f[38], f[39], f[40], f[41]]);
        assert_eq!(seq, 0x1000_0000 + (1448 * i) as u32);
        let flags = f[47];
        let want = match i {
            0 => TCP_ACK | TCP_CWR,
            i if i + 1 == segs => TCP_ACK | TCP_PSH | TCP_FIN,
            _ => TCP_ACK,
        };
        assert_eq!(flags, want, "segment {i} flags");
        assert!(p.meta.l4_csum_unnecessary);
        joined.extend_from_slice(&f[54..]);
    }
    assert_eq!(joined, payload);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 17 }]);
}

#[test]
fn gso_partial_leaves_ip_headers_alone() {
    let (mut a, mut b) = pair(1);
    // As the stack hands a GSO_PARTIAL packet: IP header already sized
    // for one full segment of 1000 bytes.
    let payload = pattern(3000);
    let mut frame = tcp4(&payload, TCP_ACK, true);
    frame[16..18].copy_from_slice(&1040u16.to_be_bytes());
    frame[24..26].copy_from_slice(&[0, 0]);
    let c = !naive_sum(&[&frame[14..34]]);
    frame[24..26].copy_from_slice(&c.to_be_bytes());
    let meta = TxMeta {
        l2_hlen: 14,
        l3_type: L3Type::Other,
        l3_ihlen: 20,
        csum_offset: 16,
        l4_hlen: 20,
        l4_type: L4Type::Tcp,
        mss: 1000,
        req_lso: true,
        ..TxMeta::default()
    };
    a.send(0, meta, &frame, 4096);
    settle(&a, &b);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 3);
    for (i, (_, p)) in rx.iter().enumerate() {
        assert_eq!(
            p.data[14..34],
            frame[14..34],
            "IP header of segment {i} untouched"
        );
        assert!(l4_ok(&p.data), "segment {i} TCP checksum");
        let seq = u32::from_be_bytes(p.data[38..42].try_into().unwrap());
        assert_eq!(seq, 0x1000_0000 + 1000 * i as u32);
    }
}

#[test]
fn udp6_lso_segments() {
    let (mut a, mut b) = pair(1);
    let payload = pattern(5000);
    let frame = udp6_lso(&payload);
    let meta = TxMeta {
        l2_hlen: 14,
        l3_type: L3Type::Ipv6,
        l3_ihlen: 40,
        csum_offset: 6,
        l4_hlen: 8,
        l4_type: L4Type::Udp,
        mss: 1400,
        req_lso: true,
        ..TxMeta::default()
    };
    a.send(0, meta, &frame, 3000);
    settle(&a, &b);
    let rx = received(&mut b, 1);
    assert_eq!(rx.len(), 4);
    let mut joined = Vec::new();
    for (i, (_, p)) in rx.iter().enumerate() {
        let f = &p.data;
        let plen = if i == 3 { 5000 - 3 * 1400 } else { 1400 };
        assert_eq!(f.len(), 62 + plen);
        assert_eq!(
            u16::from_be_bytes([f[18], f[19]]) as usize,
            8 + plen,
            "IPv6 payload length"
        );
        assert_eq!(
            u16::from_be_bytes([f[58], f[59]]) as usize,
            8 + plen,
            "UDP length"
        );
        assert!(l4_ok(f), "segment {i} UDP checksum");
        assert_eq!(p.meta.l3_type, L3Type::Ipv6);
        assert_eq!(p.meta.l4_type, L4Type::Udp);
        joined.extend_from_slice(&f[62..]);
    }
    assert_eq!(joined, payload);
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
    assert_eq!(a.dev.csr_read(queue::reg(0, queue::TWQ0_ERR_CNT)), 4);
    // A reset brings it back.
    a.enable_queue(0, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 2 }]);
}

#[test]
fn bad_rx_buffers_stop_the_rx_queue_without_panic() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(b"x", TCP_ACK, false);
    // Header buffer descriptor 0 points outside guest memory.
    let hpq = b.dev.csr_read(queue::reg(0, queue::BDQ_HPQ_BAL));
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
    assert_eq!(b.dev.csr_read(queue::reg(0, queue::RDE_PKT_ERR_CNT)), 1);
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
    b.dev.csr_write(queue::reg(0, queue::BDQ_HPQ_TAIL), 0);
    b.enable_queue(0, false);
    b.dev.csr_write(queue::reg(0, queue::BDQ_HPQ_TAIL), 0);
    let frame = tcp4(b"x", TCP_ACK, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(b.dev.csr_read(queue::reg(0, queue::RDE_BDQ_DROP_CNT)), 1);
    assert!(b.poll_rx(0).is_empty());

    // DROP_NEVER: the frame waits in the inbox until buffers are posted.
    b.enable_queue(0, false);
    b.dev.csr_write(queue::reg(0, queue::BDQ_HPQ_TAIL), 0);
    b.set_drop_never(0, true);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(b.datapath().inbox_len(), 1);
    b.dev.csr_write(queue::reg(0, queue::BDQ_HPQ_TAIL), 10);
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
    b.dev.csr_write(fbnic_hw::csr::intr::mask_clear(0), 1 << 2);
    let frame = tcp4(b"x", TCP_ACK, false);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    let mut v = [0u8; 8];
    assert!(file.read(&mut v).is_ok(), "RX completion raised vector 2");
    b.poll_rx(0);
    // Delivery masked the vector; the rearm unmasks it.
    b.dev.csr_write(
        fbnic_hw::csr::intr::cq_rearm(2),
        fbnic_hw::csr::intr::CQ_REARM_INTR_UNMASK,
    );
    b.dev.csr_write(queue::reg(0, queue::RIM_MASK), 1);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert!(file.read(&mut v).is_err(), "masked RIM raises nothing");
}

/// Classifier unit tests straight against the register file.
mod classify_tests {
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
            let hash =
                toeplitz::Input::ipv4_ports(SRC4, DST4, 40960, dport).hash(&testbed::RSS_KEY);
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
        // Longer than RMI_CONFIG.MTU (9234 in the testbed): dropped.
        let mut jumbo = frame_to(B_MAC, 1);
        jumbo.resize(9235, 0);
        assert_eq!(verdict(&tb, &jumbo), Verdict::Drop(DropReason::Oversize));
        jumbo.truncate(9234);
        assert!(matches!(verdict(&tb, &jumbo), Verdict::Host { .. }));
        // RPC disabled: nothing.
        tb.dev.csr_write(rpc::RMI_CONFIG, 0);
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
            tb.dev.csr_write(rpc_ram::rss_tbl(1, i), 7);
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
            tb.dev.csr_write(rpc_ram::tcam_ipdst(1, w), (m << 16) | v);
        }
        tb.dev
            .csr_write(rpc_ram::tcam_ipdst(1, 8), rpc_ram::TCAM_VALIDATE);
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
}
