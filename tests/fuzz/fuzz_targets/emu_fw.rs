// SPDX-License-Identifier: GPL-2.0

//! The emulator's firmware (`tools/fbnic-emu/src/fw`): any bytes as a
//! sequence of requests from the host, each handled as the mailbox handles
//! a request it read. A request that breaks its schema or is unknown must be an error;
//! an answer must never fail to build, and every message the firmware
//! answers with must itself be a valid message of its ID (so a driver is
//! never fed garbage by the emulator). The module EEPROM reader behind
//! `QSFP_READ_REQ` is also driven directly with the first 17 bytes.

#![no_main]

use std::sync::OnceLock;

use fbnic_emu::device::{DeviceParams, FbnicDevice};
use fbnic_emu::fw::{messages, qsfp, Firmware, PAGE_SIZE};
use fbnic_emu::identity::DEFAULT_DSN;
use fbnic_emu::link::LinkSpeed;
use fbnic_fuzz::{le32, tlv_check};
use fbnic_hw::tlv::{self, Message};
use libfuzzer_sys::fuzz_target;

fn device() -> &'static FbnicDevice {
    static DEV: OnceLock<FbnicDevice> = OnceLock::new();
    DEV.get_or_init(|| {
        FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
            queue_threads: 1,
        })
    })
}

fn eeprom(data: &[u8]) {
    let speed = [
        LinkSpeed::G25,
        LinkSpeed::G50,
        LinkSpeed::G50R2,
        LinkSpeed::G100,
    ][usize::from(data.first().copied().unwrap_or(0) & 3)];
    let (bank, page, offset, length) =
        (le32(data, 1), le32(data, 5), le32(data, 9), le32(data, 13));
    match qsfp::read(speed, bank, page, offset, length) {
        Ok(bytes) => {
            assert_eq!(bytes.len() as u64, u64::from(length));
            assert_eq!(bank, 0);
            assert!(page < 4);
            assert!(length > 0 && u64::from(offset) + u64::from(length) <= 256);
            assert!(page == 0 || offset >= 128);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// Handles one request and checks the outcome.
fn request(fw: &Firmware, dev: &FbnicDevice, m: &Message<'_>) {
    let valid = tlv::host_to_fw_schema(m.id()).map(|s| m.attrs(s).is_ok());
    match messages::handle(fw, dev, m) {
        Ok(replies) => {
            assert_eq!(valid, Some(true), "handled a request its schema rejects");
            for r in &replies {
                assert!(
                    r.len() <= PAGE_SIZE,
                    "a {}-byte answer does not fit a page",
                    r.len()
                );
                let a = Message::parse(r).expect("an answer that does not frame");
                assert_eq!(a.len(), r.len(), "an answer with bytes past its message");
                let schema = tlv::fw_to_host_schema(a.id())
                    .unwrap_or_else(|| panic!("answer {:#x} is no firmware message", a.id()));
                if let Err(e) = a.attrs(schema) {
                    panic!("answer {:#x} breaks its schema: {e}", a.id());
                }
                tlv_check::check_tlv(r);
            }
        }
        Err(messages::MsgError::Build(e)) => panic!("an answer failed to build: {e}"),
        Err(messages::MsgError::Unknown(id)) => assert_eq!(valid, None, "{id:#x}"),
        // A request can pass its schema and still fail deeper: an array's
        // elements are checked when the handler reads the array.
        Err(messages::MsgError::Tlv(_)) => assert!(valid.is_some()),
        Err(e @ messages::MsgError::Invalid(_)) => {
            let _ = e.to_string();
        }
    }
}

// The input is a sequence of requests, back to back, handled in order by
// a firmware at power-on, a new one for each input (so that a crash
// replays from its input alone): a flash upgrade, say, is a start and
// then chunk answers. The device around it is shared: the requests only
// read its link here (no link flap is planned, no BMC attached).
// Resetting the device's firmware instead (`Firmware::reset`, a function
// reset) would keep its log: the history would grow across inputs to its
// 64 lines, all of them answered and checked again for every
// `LOG_SEND_LOGS_REQ`, and what an input did would depend on the inputs
// before it.
fuzz_target!(|data: &[u8]| {
    eeprom(data);
    let dev = device();
    let fw = Firmware::new();
    let mut rest = data;
    for _ in 0..16 {
        let Ok(m) = Message::parse(rest) else {
            return;
        };
        request(&fw, dev, &m);
        rest = &rest[m.len()..];
    }
});
