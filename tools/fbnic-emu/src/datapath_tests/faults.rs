// SPDX-License-Identifier: GPL-2.0

//! Malformed completions (`fault PORT rx-cmpl|tx-cmpl`): each says what
//! the fault claims, only once per count, and the traffic after it is
//! reported correctly again.

use super::*;
use crate::queues::DescFault;

/// A frame A sends to B, and the packets B then reports.
fn one_frame(a: &mut Testbed, b: &mut Testbed, body: &[u8]) -> Vec<(u16, RxPacket)> {
    a.send(0, TxMeta::default(), &tcp4(body, TCP_ACK, false), 2048);
    settle(a, b);
    received(b, 1)
}

#[test]
fn rx_bad_id_and_long_hit_one_frame_each() {
    let (mut a, mut b) = pair(1);
    b.datapath().set_desc_fault(DescFault::RxBadId, 1);
    let rx = one_frame(&mut a, &mut b, b"first");
    assert_eq!(rx.len(), 1);
    assert_eq!(rx[0].1.hdr.buff_id, u16::MAX);
    let rx = one_frame(&mut a, &mut b, b"second");
    assert_ne!(rx[0].1.hdr.buff_id, u16::MAX, "the fault is used up");
    assert_eq!(rx[0].1.data, tcp4(b"second", TCP_ACK, false));

    b.datapath().set_desc_fault(DescFault::RxLong, 1);
    let rx = one_frame(&mut a, &mut b, b"third");
    assert_eq!(rx[0].1.hdr.len, 8191);
    assert!(b
        .datapath()
        .desc_fault_report()
        .contains("rx-bad-id 1/0 rx-stale-id 0/0 rx-long 1/0"));
}

#[test]
fn rx_stale_id_names_a_finished_header_buffer() {
    let (mut a, mut b) = pair(1);
    b.datapath().set_desc_fault(DescFault::RxStaleId, 1);
    // Header buffers are packed: the stale id is the last one finished
    // with PAGE_FIN, so the fault waits for the first such frame.
    let mut fin = None;
    for i in 0..64 {
        let rx = one_frame(&mut a, &mut b, format!("frame {i}").as_bytes());
        assert_eq!(rx.len(), 1);
        let hdr = rx[0].1.hdr;
        if let Some(id) = fin {
            assert_eq!(hdr.buff_id, id, "frame {i} names the finished buffer");
            return;
        }
        if hdr.page_fin {
            fin = Some(hdr.buff_id);
        }
    }
    panic!("no header buffer was finished in 64 frames");
}

#[test]
fn rx_bad_type_starts_a_frame_with_a_payload_completion() {
    let (mut a, mut b) = pair(1);
    b.datapath().set_desc_fault(DescFault::RxBadType, 1);
    // The testbed's driver drops a payload with no header before it.
    assert!(one_frame(&mut a, &mut b, b"lost").is_empty());
    assert!(matches!(
        RxCompletion::decode(b.rcd(0, 0)),
        RxCompletion::PayAl(_)
    ));
    let rx = one_frame(&mut a, &mut b, b"found it");
    assert_eq!(rx.len(), 1);
    assert_eq!(rx[0].1.data, tcp4(b"found it", TCP_ACK, false));
}

#[test]
fn tx_head_past_the_tail_and_repeated() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(b"ping!!", TCP_ACK, false);
    a.datapath().set_desc_fault(DescFault::TxPastTail, 1);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    // Two descriptors posted and taken (head and tail 2): the whole ring
    // is unposted, and the fault names the middle of it.
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 2 + 512 }]);
    a.datapath().set_desc_fault(DescFault::TxRepeat, 1);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(
        a.poll_tx(0),
        vec![
            TxCompletion::Head0 { head: 4 },
            TxCompletion::Head0 { head: 4 }
        ]
    );
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 6 }]);
    // Every frame reached the wire all the same.
    assert_eq!(received(&mut b, 1).len(), 3);
}

#[test]
fn failed_rx_dma_reports_a_truncated_frame_and_counts_it() {
    let (mut a, mut b) = pair(1);
    b.datapath().set_dma_fault(1);
    let rx = one_frame(&mut a, &mut b, b"lost to the iommu");
    assert_eq!(rx.len(), 1, "the buffers are completed all the same");
    assert!(rx[0].1.meta.err_truncated, "with the frame marked bad");
    assert_ne!(rx[0].1.data, tcp4(b"lost to the iommu", TCP_ACK, false));
    let err = queue::RDE_PKT_ERR_CNT::INFO.dword(0, 0);
    assert_eq!(b.dev.csr_read(err), 1);
    let rx = one_frame(&mut a, &mut b, b"fine again");
    assert!(!rx[0].1.meta.err_truncated);
    assert_eq!(rx[0].1.data, tcp4(b"fine again", TCP_ACK, false));
    assert_eq!(b.dev.csr_read(err), 1);
    assert_eq!(
        b.datapath().dma_fault_report(),
        "dma rx-failed 1 tx-failed 0 left 0"
    );
}

#[test]
fn failed_tx_dma_drops_the_packet_counts_it_and_completes() {
    let (mut a, mut b) = pair(1);
    let frame = tcp4(b"never sent", TCP_ACK, false);
    a.datapath().set_dma_fault(1);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 2 }]);
    assert!(received(&mut b, 1).is_empty(), "nothing on the wire");
    let drops = fbnic_hw::csr::tce::TTI_FRAME_DROP_PKTS::INDEX;
    assert_eq!(a.dev.csr_read(drops), 1);
    a.send(0, TxMeta::default(), &frame, 2048);
    settle(&a, &b);
    assert_eq!(a.poll_tx(0), vec![TxCompletion::Head0 { head: 4 }]);
    assert_eq!(received(&mut b, 1).len(), 1);
    assert_eq!(
        a.datapath().dma_fault_report(),
        "dma rx-failed 0 tx-failed 1 left 0"
    );
}
