// SPDX-License-Identifier: GPL-2.0

//! TX offload tests: checksum insertion and segmentation (TCP/IPv4,
//! GSO_PARTIAL, UDP/IPv6).

use super::*;

#[test]
fn checksum_offload_fills_tcp_checksum() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(&pattern(301), TCP_ACK | TCP_PSH, false);
    a.send(0, testbed::cso_meta(), &frame, 100);
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
