// SPDX-License-Identifier: GPL-2.0

//! What the host makes of the firmware (`hw/fw.rs`): the capabilities
//! response and the link configuration it implies. The input is a message
//! whose ID is forced to `FW_CAP_RESP`; the last 8 bytes also drive
//! `LinkConfig::from_fw` directly.

#![no_main]

use fbnic_fuzz::le32;
use fbnic_hw::csr;
use fbnic_hw::fw::{Capabilities, CapsError, LinkConfig, BMC_ADDRS};
use fbnic_hw::tlv::{cap_resp, msg, Message};
use libfuzzer_sys::fuzz_target;

fn check_link(l: &LinkConfig) {
    assert!(l.is_valid());
    let (speed, fec) = l.to_fw();
    assert_eq!(
        LinkConfig::from_fw(speed, fec),
        Some(*l),
        "to_fw does not decode back"
    );
    let lanes = l.lanes();
    assert!((1..=2).contains(&lanes), "lanes {lanes}");
    assert!(l.lane_mask() != 0, "no lock bit to wait for");
    assert!([25_000, 50_000, 100_000].contains(&l.speed_mbps()));
    let (o0, o1) = l.pcs_out();
    assert!(l.pcs_link_up(o0, o1), "its own PCS status must read as up");
    let _ = format!("{l:?}");
}

fuzz_target!(|data: &[u8]| {
    let n = data.len();
    if n >= 8 {
        let speed = le32(data, n - 8);
        match LinkConfig::from_fw(speed, le32(data, n - 4)) {
            Some(l) => {
                check_link(&l);
                assert_eq!(l.to_fw().0, speed);
                // A link must not read as up from a status without the
                // link bit.
                let (o0, o1) = (le32(data, 0), le32(data, 4));
                let link = csr::sig::PCS_OUT0::LINK.mask();
                assert!(!l.pcs_link_up(o0 & !link, o1));
            }
            None => assert!(![
                cap_resp::LINK_MODE_25CR,
                cap_resp::LINK_MODE_50CR2,
                cap_resp::LINK_MODE_50CR,
                cap_resp::LINK_MODE_100CR2
            ]
            .contains(&speed)),
        }
    }
    let mut buf = data.to_vec();
    if buf.len() >= 4 {
        // Keep the fuzzer's length and flags; the ID is FW_CAP_RESP.
        buf[0] = (msg::FW_CAP_RESP & 0xff) as u8;
        buf[1] = (buf[1] & 0xf0) | (msg::FW_CAP_RESP >> 8) as u8;
    }
    let Ok(m) = Message::parse(&buf) else {
        return;
    };
    match Capabilities::parse(&m) {
        Ok(c) => {
            assert!(c.running.version().0 != 0);
            assert!(c.running.version() >= cap_resp::MIN_FW_VER_CODE);
            assert!(c.bmc_addr_count <= BMC_ADDRS);
            if !c.bmc_present {
                assert_eq!(c.bmc_addr_count, 0);
                assert!(!c.bmc_all_multi);
            }
            if let Some(l) = c.link {
                check_link(&l);
            }
            for v in [
                c.running,
                c.stored,
                c.running_bootloader,
                c.stored_bootloader,
                c.stored_undi,
            ] {
                let _ = v.to_string();
                let _ = v.number().to_string();
                if let Some(commit) = v.commit() {
                    let _ = commit.to_string();
                }
            }
            // The schema must have accepted the message.
            assert!(m.attrs(cap_resp::SCHEMA).is_ok());
        }
        // The message's own attributes broke the schema, or, with a BMC,
        // an element of its address array did (checked when it is read).
        Err(CapsError::Tlv(_)) => match m.attrs(cap_resp::SCHEMA) {
            Err(_) => {}
            Ok(a) => assert!(
                a.flag(cap_resp::BMC_PRESENT)
                    && a.array(
                        cap_resp::BMC_MAC_ARRAY,
                        cap_resp::BMC_MAC_ADDR,
                        cap_resp::SCHEMA
                    )
                    .is_err(),
                "a TLV error from a message that parses"
            ),
        },
        Err(e) => {
            assert!(
                m.attrs(cap_resp::SCHEMA).is_ok(),
                "{e:?} though the schema failed"
            );
            let _ = e.to_string();
        }
    }
});
