// SPDX-License-Identifier: GPL-2.0

//! The firmware's misbehaviour on purpose (`fw/hostile.rs`), seen from the
//! host side of the mailbox.

use std::time::Duration;

use fbnic_hw::tlv::{log_msg, msg, start_upgrade, tsene, write_chunk, Message};

use super::super::hostile::{malformed_message, CrashPlan, TlvFault};
use super::{parse, Host};
use crate::fw::messages::UPGRADE_CHUNK;

/// Whether the host's parser rejects `bytes` as the driver reads a
/// `LOG_MSG_REQ`: the message, its attributes, then the arrays' elements.
fn log_message_rejected(bytes: &[u8]) -> bool {
    let Ok(m) = Message::parse(bytes) else {
        return true;
    };
    let Ok(attrs) = m.attrs(log_msg::REQ_SCHEMA) else {
        return true;
    };
    [
        log_msg::MSEC_ARRAY,
        log_msg::INDEX_ARRAY,
        log_msg::MSG_ARRAY,
    ]
    .iter()
    .zip([log_msg::MSEC, log_msg::INDEX, log_msg::MSG])
    .any(
        |(&array, elem)| match attrs.array(array, elem, log_msg::REQ_SCHEMA) {
            Err(_) => true,
            Ok(None) => false,
            Ok(Some(items)) => items.iter().any(|a| a.bytes().is_empty()),
        },
    )
}

#[test]
fn malformed_tlv_messages_are_rejected_by_the_parser() {
    for kind in [TlvFault::AttrOverrun, TlvFault::NestOverrun] {
        let m = malformed_message(kind).unwrap();
        assert!(log_message_rejected(&m), "{kind:?} parsed: {m:02x?}");
    }
    // The nest overrun stays inside the message: the message's own
    // framing holds, only the array breaks.
    let m = malformed_message(TlvFault::NestOverrun).unwrap();
    let parsed = Message::parse(&m).expect("message framing intact");
    let attrs = parsed.attrs(log_msg::REQ_SCHEMA).expect("top level intact");
    assert!(attrs
        .array(log_msg::MSG_ARRAY, log_msg::MSG, log_msg::REQ_SCHEMA)
        .is_err());
}

#[test]
fn injected_tlv_faults_arrive_and_the_mailbox_goes_on() {
    let mut h = Host::new();
    h.dev
        .firmware()
        .inject_malformed(TlvFault::AttrOverrun, 2)
        .unwrap();
    h.dev
        .firmware()
        .inject_malformed(TlvFault::NestOverrun, 1)
        .unwrap();
    h.dev.firmware().poll(&h.dev);
    let got = h.poll_rx();
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|m| log_message_rejected(m)));
    assert_eq!(h.dev.firmware().hostile().malformed, 3);
    let (err, r) = h.request(msg::HEARTBEAT_REQ, |_| {});
    assert!(!err);
    assert_eq!(parse(&r[0]).id(), msg::HEARTBEAT_RESP);
}

#[test]
fn a_flood_fills_every_buffer_until_stopped_and_answers_still_come() {
    let mut h = Host::new();
    h.dev.firmware().set_hostile(|f| f.flood = true);
    let mut flood = 0;
    let mut answered = false;
    h.send(msg::HEARTBEAT_REQ, |_| {});
    for _ in 0..10 {
        h.poll_tx();
        for m in h.poll_rx() {
            match parse(&m).id() {
                msg::TSENE_READ_RESP => {
                    let a = parse(&m).attrs(tsene::RESP_SCHEMA).unwrap();
                    assert_eq!(a.s32(tsene::THERM), Some(45_000));
                    flood += 1;
                }
                msg::HEARTBEAT_RESP => answered = true,
                id => panic!("unexpected message {id:#x}"),
            }
        }
    }
    // Ten rounds of 15 posted buffers, one of them for the answer.
    assert_eq!(flood, 10 * 15 - 1, "flooded");
    assert!(answered, "the heartbeat answer came through the flood");
    // Queued: those delivered and at most one ring's worth waiting.
    let queued = h.dev.firmware().hostile().flooded;
    assert!((flood..=flood + 16).contains(&queued), "{queued} queued");
    h.dev.firmware().set_hostile(|f| f.flood = false);
    // What was queued drains; then nothing more.
    h.dev.firmware().poll(&h.dev);
    h.poll_rx();
    h.dev.firmware().poll(&h.dev);
    h.poll_rx();
    h.dev.firmware().poll(&h.dev);
    assert!(h.poll_rx().is_empty());
}

#[test]
fn a_silent_firmware_answers_nothing_until_it_speaks_again() {
    let mut h = Host::new();
    h.dev.firmware().set_hostile(|f| f.silent = true);
    h.send(msg::HEARTBEAT_REQ, |_| {});
    assert!(h.poll_tx().is_empty(), "no completion while silent");
    assert!(h.poll_rx().is_empty(), "no answer while silent");
    h.dev.firmware().set_hostile(|f| f.silent = false);
    assert_eq!(h.poll_tx(), vec![false]);
    let r = h.poll_rx();
    assert_eq!(parse(&r[0]).id(), msg::HEARTBEAT_RESP);
}

fn start_upgrade(h: &mut Host, size: u32) -> Vec<Vec<u8>> {
    let (err, r) = h.request(msg::FW_START_UPGRADE_REQ, |b| {
        b.put_u32(
            start_upgrade::SECTION,
            start_upgrade::QSPI_SECTION_CONTROL_FW,
        )
        .unwrap();
        b.put_u32(start_upgrade::IMAGE_LENGTH, size).unwrap();
    });
    assert!(!err);
    r
}

fn send_chunk(h: &mut Host, off: u32, len: u32) {
    h.send(msg::FW_WRITE_CHUNK_RESP, |b| {
        b.put_u32(write_chunk::OFFSET, off).unwrap();
        b.put_u32(write_chunk::LENGTH, len).unwrap();
        b.put_bytes(write_chunk::DATA, &vec![0x5a; len as usize])
            .unwrap();
    });
}

#[test]
fn a_crash_in_the_middle_of_a_flash_then_a_reboot() {
    let mut h = Host::new();
    let fw = h.dev.firmware();
    let up0 = fw.uptime_ms();
    std::thread::sleep(Duration::from_millis(20));
    fw.set_hostile(|f| {
        f.crash = Some(CrashPlan {
            after_chunks: 1,
            down: Duration::from_millis(300),
        })
    });
    let size = 3 * UPGRADE_CHUNK;
    let r = start_upgrade(&mut h, size);
    assert_eq!(r.len(), 2, "ack and the first chunk request");
    // The first chunk is taken; then the firmware dies: the request for
    // the second chunk never comes, nothing is completed.
    send_chunk(&mut h, 0, UPGRADE_CHUNK);
    assert_eq!(h.poll_tx(), vec![false]);
    assert!(h.poll_rx().is_empty(), "the next chunk request was lost");
    let fw = h.dev.firmware();
    assert_eq!(fw.hostile().crashes, 1);
    assert!(fw.hostile().crash.is_none(), "a crash happens once");
    send_chunk(&mut h, UPGRADE_CHUNK, UPGRADE_CHUNK);
    assert!(h.poll_tx().is_empty(), "nothing answered while down");
    std::thread::sleep(Duration::from_millis(350));
    // Rebooted: the chunk it had no upgrade for is an error, the uptime
    // started over, and a new flash goes through.
    assert_eq!(h.poll_tx(), vec![true]);
    assert!(h.dev.firmware().uptime_ms() < up0 + 20 + 100);
    assert!(!h.dev.firmware().owned());
    let mut req = start_upgrade(&mut h, size)[1].clone();
    loop {
        let m = parse(&req);
        if m.id() == msg::FW_FINISH_UPGRADE_REQ {
            break;
        }
        let a = m.attrs(write_chunk::REQ_SCHEMA).unwrap();
        let (off, len) = (
            a.u32(write_chunk::OFFSET).unwrap(),
            a.u32(write_chunk::LENGTH).unwrap(),
        );
        send_chunk(&mut h, off, len);
        assert_eq!(h.poll_tx(), vec![false]);
        req = h.poll_rx().remove(0);
    }
    assert_eq!(h.dev.firmware().flashed().len(), 1);
}

#[test]
fn control_commands() {
    use crate::fw::hostile::control;
    let h = Host::new();
    let ok = |args: &[&str]| control(&h.dev, args[0], &args[1..]);
    assert_eq!(ok(&["tlv", "nest-overrun", "2"]), Ok(String::new()));
    assert_eq!(ok(&["flood", "start"]), Ok(String::new()));
    assert_eq!(ok(&["silence", "start"]), Ok(String::new()));
    assert_eq!(ok(&["flash-crash", "3", "5"]), Ok(String::new()));
    assert_eq!(
        h.dev.firmware().hostile().crash,
        Some(CrashPlan {
            after_chunks: 3,
            down: Duration::from_secs(5)
        })
    );
    assert_eq!(
        ok(&["fw"]).unwrap(),
        "fw flood on flooded 0 silent on down off crash armed crashes 0 malformed 2"
    );
    assert!(ok(&["tlv", "overlap"]).is_err());
    assert!(ok(&["flood"]).is_err());
    assert!(ok(&["flash-crash", "1", "100000"]).is_err());
    crate::fw::hostile::clear(&h.dev);
    assert_eq!(
        ok(&["fw"]).unwrap(),
        "fw flood off flooded 0 silent off down off crash off crashes 0 malformed 2"
    );
}
