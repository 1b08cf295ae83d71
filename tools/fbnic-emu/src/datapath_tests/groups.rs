// SPDX-License-Identifier: GPL-2.0

//! Engine groups (`--queue-threads`): each group's worker serves its own
//! TX queues, group 0 places received frames, and with real worker
//! threads every queue's frames arrive.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::queues::Datapath;

/// A with four queues in two groups, cabled to B with one group.
fn grouped_pair() -> (Testbed, Testbed) {
    let a = Testbed::with_threads(4, 2, DEFAULT_DSN).unwrap();
    let b = Testbed::new(4, DEFAULT_DSN + 1).unwrap();
    backend::cable(&a.dev, &b.dev);
    (a, b)
}

#[test]
fn each_group_serves_its_own_tx_queues() {
    let (mut a, b) = grouped_pair();
    assert_eq!(a.datapath().groups(), 2);
    let frame = tcp4(b"grouped", TCP_ACK, false);
    for q in 0..4 {
        a.send(q, TxMeta::default(), &frame, 2048);
    }
    // Group 1 has queues 1 and 3: only they send.
    a.datapath().run_group(&a.dev, 1);
    let done = |a: &mut Testbed| (0..4).map(|q| !a.poll_tx(q).is_empty()).collect::<Vec<_>>();
    assert_eq!(done(&mut a), [false, true, false, true]);
    assert_eq!(b.datapath().inbox_len(), 2);
    assert!(
        a.datapath().has_tx_work(),
        "group 0's doorbells are still there"
    );
    a.datapath().run_group(&a.dev, 0);
    assert_eq!(done(&mut a), [true, false, true, false]);
    assert_eq!(b.datapath().inbox_len(), 4);
    // A group past the last serves nothing and does not panic.
    assert_eq!(a.datapath().run_group(&a.dev, 2), None);
}

#[test]
fn more_threads_than_queues_is_one_per_queue() {
    let a = Testbed::with_threads(2, 8, DEFAULT_DSN).unwrap();
    assert_eq!(a.datapath().groups(), 2);
}

#[test]
fn worker_threads_carry_every_queue() {
    let a = Testbed::with_threads(4, 2, DEFAULT_DSN).unwrap();
    let b = Testbed::with_threads(4, 2, DEFAULT_DSN + 1).unwrap();
    backend::cable(&a.dev, &b.dev);
    let (mut a, mut b) = (a, b);
    let workers: Vec<_> = [&a, &b]
        .iter()
        .flat_map(|t| Datapath::spawn(Arc::clone(&t.dev), "test-dp".into()).unwrap())
        .collect();
    assert_eq!(workers.len(), 4);
    let per_queue = 64;
    for q in 0..4u16 {
        let frame = tcp4(&q.to_be_bytes(), TCP_ACK, false);
        for _ in 0..per_queue {
            a.send(q, TxMeta::default(), &frame, 2048);
        }
    }
    // Each packet is a META and one address descriptor.
    let all_sent = 2 * per_queue as u32;
    let (mut heads, mut got) = ([0u32; 4], 0usize);
    let deadline = Instant::now() + Duration::from_secs(20);
    while (got < 4 * per_queue || heads.iter().any(|&h| h != all_sent)) && Instant::now() < deadline
    {
        for q in 0..4u16 {
            for c in a.poll_tx(q) {
                if let TxCompletion::Head0 { head } = c {
                    heads[usize::from(q)] = u32::from(head);
                }
            }
            got += b.poll_rx(q).len();
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    for t in [&a, &b] {
        t.datapath().shutdown();
    }
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(got, 4 * per_queue, "frames B received");
    assert_eq!(heads, [all_sent; 4], "TX heads completed per queue");
}
