// SPDX-License-Identifier: GPL-2.0

//! `ethtool -t`: the C driver's three self-tests, with its names, order
//! and result codes (`fbnic_self_test()`).
//!
//! - Registers (offline): bit patterns written to the queue registers of
//!   the first 64 queues read back as the hardware keeps them
//!   ([`hw::csr::reg_test`]); the result is the failing register's number.
//! - MSI-X (offline): each queue vector, raised through the interrupt
//!   block, fires only when unmasked, once, and is masked and clear
//!   afterwards (`fbnic_msix_test()`).
//! - Firmware mailbox (online and offline): the firmware echoes a message
//!   with every attribute type, which must come back as sent.
//!
//! The offline tests take the interface down and up again around them.

#![forbid(unsafe_code)]

use kernel::{
    prelude::*,
    sync::atomic::Relaxed,
    time::{
        delay::fsleep,
        Delta, //
    },
};

use super::Port;
use crate::{
    fw::Expect,
    hw::{
        csr::{
            self,
            intr,
            queue::QueueIdx,
            reg_test, //
        },
        reg::{
            Io32,
            RegisterIo, //
        },
        tlv::{
            msg,
            selftest, //
        },
    },
    kernel_ext::net::{
        self,
        ethtool::{
            SelfTest,
            Strings, //
        },
        Rtnl,
    },
    regs::Regs,
    shared::Shared,
};

/// The test names, in result order (`fbnic_gstrings_self_test`).
const NAMES: [&str; 3] = [
    "Register test (offline)",
    "MSI-X Interrupt test (offline)",
    "FW mailbox test (on/offline)",
];
const TEST_REG: usize = 0;
const TEST_MSIX: usize = 1;
const TEST_MBX: usize = 2;

/// Mailbox test results (`enum fbnic_fw_self_test_codes`).
const FW_NO_FIRMWARE: u64 = 10;
const FW_NO_XMIT: u64 = 30;
const FW_NO_MSG: u64 = 40;
const FW_PARSE: u64 = 50;

/// MSI-X test results (`enum fbnic_msix_self_test_codes`).
const MSIX_IRQ_REQ_FAIL: u64 = 10;
const MSIX_MASK: u64 = 20;
const MSIX_UNMASK: u64 = 30;
const MSIX_IRQ_CLEAR: u64 = 40;
const MSIX_NO_INTERRUPT: u64 = 50;
const MSIX_NO_CLEAR_OR_MASK: u64 = 60;
const MSIX_BITS_SET_AFTER_TEST: u64 = 70;

/// How long an interrupt gets to arrive.
const IRQ_WAIT: Delta = Delta::from_millis(10);

/// The number of tests.
pub(super) fn count() -> u32 {
    // CAST: 3.
    NAMES.len() as u32
}

/// Their names.
pub(super) fn names(strings: &mut Strings<'_>) {
    for name in NAMES {
        strings.push(format_args!("{name}"));
    }
}

/// Runs the tests `test` asks for.
pub(super) fn run(dev: &net::Device<Port>, rtnl: &Rtnl<'_>, test: &mut SelfTest<'_>) {
    let port = dev.data();
    test.set_result(TEST_MBX, mailbox(&port.shared));
    if !test.offline() {
        test.set_result(TEST_REG, 0);
        test.set_result(TEST_MSIX, 0);
        return;
    }

    let running = dev.is_running();
    if running {
        dev.close(rtnl);
    }
    test.set_result(TEST_REG, registers(&port.shared.regs, &port.shared));
    test.set_result(TEST_MSIX, msix(port));
    if running && dev.open(rtnl).is_err() {
        dev_err!(
            port.shared.dev,
            "failed to re-initialize hardware following test\n"
        );
        test.set_failed();
    }
}

/// The firmware mailbox test (`fbnic_fw_mbx_self_test()`).
fn mailbox(shared: &Shared) -> u64 {
    if !shared.regs.fw_present() {
        return FW_NO_FIRMWARE;
    }
    let pending = shared.mbx.send_expect(
        &shared.regs,
        &shared.dev,
        msg::TEST,
        selftest::put_test_message,
        Expect::answer(msg::TEST),
    );
    let Ok(mut pending) = pending else {
        return FW_NO_XMIT;
    };
    let Ok(answer) = pending.wait() else {
        return FW_NO_MSG;
    };
    match answer.attrs() {
        Ok(attrs) if selftest::check_test_message(&attrs) => 0,
        _ => {
            dev_err!(
                shared.dev,
                "mailbox self-test answer differs from the request\n"
            );
            FW_PARSE
        }
    }
}

/// The register test (`fbnic_csr_regs_test()`): 0, or the number of the
/// first register that did not keep a pattern as expected.
fn registers(regs: &Regs, shared: &Shared) -> u64 {
    for t in &reg_test::TESTS {
        for q in (0..reg_test::QUEUES).filter_map(QueueIdx::new) {
            let loc = (t.reg)(q);
            for pattern in reg_test::PATTERNS {
                let written = pattern & t.write;
                regs.write32(loc, written);
                let got = regs.read32(loc);
                let want = written & t.read;
                if got != want {
                    dev_err!(
                        shared.dev,
                        "register test: reg {:#08x} failed, expected {:#010x} received {:#010x}\n",
                        loc.index(),
                        want,
                        got
                    );
                    return loc.index().into();
                }
            }
        }
    }
    0
}

/// The MSI-X test (`fbnic_msix_test()`), on every queue vector; the
/// interrupts are counted by the queue vectors' handlers.
fn msix(port: &Port) -> u64 {
    let regs = &port.shared.regs;
    let counts = &port.service.irqs;
    let vectors = port.vectors as usize;
    let mut result = 0;
    let mut after = [0u32; super::QUEUE_VECTORS];
    // The vector under test, until it passes.
    let mut failed = None;

    for q in 0..vectors {
        // CAST: at most 128 queues.
        let Some(v) = intr::VectorIdx::new(csr::queue_vector(q as u32)) else {
            return MSIX_IRQ_REQ_FAIL;
        };
        let Some(count) = counts.get(q) else {
            return MSIX_IRQ_REQ_FAIL;
        };
        let (word, bit) = intr::vector_bit(v);
        failed = Some((word, bit));

        // Masked and clear to start with.
        regs.write_raw(intr::MASK_SET::at(word), bit);
        regs.wrfl();
        regs.write_raw(intr::CLEAR::at(word), bit);
        regs.wrfl();
        let before = count.load(Relaxed);

        result = MSIX_MASK;
        regs.write_raw(intr::SET::at(word), bit);
        regs.wrfl();
        fsleep(IRQ_WAIT);
        if count.load(Relaxed) != before {
            break;
        }

        result = MSIX_UNMASK;
        regs.write_raw(intr::MASK_CLEAR::at(word), bit);
        regs.wrfl();
        fsleep(IRQ_WAIT);
        let fired = count.load(Relaxed);
        if fired == before {
            break;
        }

        result = MSIX_IRQ_CLEAR;
        regs.write_raw(intr::MASK_CLEAR::at(word), bit);
        regs.wrfl();
        fsleep(IRQ_WAIT);
        if count.load(Relaxed) != fired {
            break;
        }

        result = MSIX_NO_INTERRUPT;
        regs.write_raw(intr::SET::at(word), bit);
        regs.wrfl();
        fsleep(IRQ_WAIT);
        if count.load(Relaxed) == fired {
            break;
        }

        result = MSIX_NO_CLEAR_OR_MASK;
        if regs.read_raw(intr::STATUS::at(word)) & bit != 0
            || regs.read_raw(intr::MASK::at(word)) & bit == 0
        {
            break;
        }
        result = 0;
        failed = None;
        if let Some(slot) = after.get_mut(q) {
            *slot = count.load(Relaxed);
        }
    }
    if let Some((word, bit)) = failed {
        regs.write_raw(intr::MASK_SET::at(word), bit);
        regs.wrfl();
        regs.write_raw(intr::CLEAR::at(word), bit);
        regs.wrfl();
    }
    if result != 0 {
        return result;
    }

    // No vector fires once its test is over.
    let late = counts
        .iter()
        .zip(after.iter())
        .take(vectors)
        .any(|(count, seen)| count.load(Relaxed) != *seen);
    if late {
        return MSIX_BITS_SET_AFTER_TEST;
    }
    0
}
