// SPDX-License-Identifier: GPL-2.0

//! End-to-end tests of the queue engines: two ports cabled back to back,
//! each with driver-side rings from [`crate::testbed`], frames sent on one
//! and checked as the other receives them.
//!
//! The shared pieces (the cabled pair, frame builders, an independent
//! checksum) are here; the tests by topic: `tx` (sending, completions,
//! bad descriptors), `offloads` (CSO and LSO), `rx` (placement, RX
//! completions and interrupts, drops) and `classifier`.

mod bmc;
mod classifier;
mod faults;
mod groups;
mod offloads;
mod rx;
mod tx;

use fbnic_hw::csr::{queue, rpc, rpc_ram};
use fbnic_hw::desc::{rcd, twd, L3Type, L4Type, RxCompletion, TxAddrLen, TxCompletion, TxMeta};
use fbnic_hw::toeplitz;

use crate::backend;
use crate::identity::DEFAULT_DSN;
use crate::parse;
use crate::rpc::{classify, rss_input, DropReason, Verdict};
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
