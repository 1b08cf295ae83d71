// SPDX-License-Identifier: GPL-2.0

//! Small register behaviours the driver relies on outside the interrupt,
//! link and mailbox blocks:
//!
//! - the queue managers' `*_IDLE` bitmaps read all-ones: nothing is ever
//!   in flight when the driver checks (`fbnic_wait_all_queues_idle()`);
//! - error status registers are write-one-to-clear (`RXB_ERR_INTR_STS`:
//!   the driver clears pause-storm causes by writing them back);
//! - the per-queue ring registers keep only their implemented bits, and the
//!   hardware pointer registers (`*_PTRS`) ignore writes, which is what the
//!   offline register self-test (`fbnic_csr_regs_test()`, `ethtool -t`)
//!   checks with its read/write masks.
//!
//! The datapath may give `*_PTRS` live values; this module only decides
//! what a guest *write* leaves in a register.

use fbnic_hw::csr::{qm_rx, qm_tx, queue, rxb};

/// Reads of registers whose value is fixed: the idle bitmaps.
pub fn fixed_read(reg: u32) -> Option<u32> {
    let within = |first: u32, count: u32| reg >= first && reg < first + count;
    let idle = within(qm_tx::twq_idle(0), qm_tx::TWQ_IDLE_CNT)
        || within(qm_tx::tqs_idle(0), qm_tx::TQS_IDLE_CNT)
        || within(qm_tx::tde_idle(0), qm_tx::TDE_IDLE_CNT)
        || within(qm_tx::tcq_idle(0), qm_tx::TCQ_IDLE_CNT)
        || within(qm_rx::rcq_idle(0), qm_rx::RCQ_IDLE_CNT)
        || within(qm_rx::hpq_idle(0), qm_rx::HPQ_IDLE_CNT)
        || within(qm_rx::ppq_idle(0), qm_rx::PPQ_IDLE_CNT);
    idle.then_some(!0)
}

/// What a guest write of `val` to `reg`, which holds `current`, stores:
/// `Some(value)` to store, `None` to drop the write, or `Some(val)`
/// unchanged for registers with no special rule.
pub fn write_filter(reg: u32, val: u32, current: u32) -> Option<u32> {
    if fixed_read(reg).is_some() {
        return None;
    }
    if reg == rxb::ERR_INTR_STS {
        return Some(current & !val);
    }
    let Some((_, off)) = queue::decode(reg) else {
        return Some(val);
    };
    match off {
        // Hardware-owned head/tail pointers.
        queue::TWQ0_PTRS
        | queue::TWQ1_PTRS
        | queue::TCQ_PTRS
        | queue::RCQ_PTRS
        | queue::BDQ_HPQ_PTRS
        | queue::BDQ_PPQ_PTRS => None,
        queue::TWQ0_SIZE | queue::TWQ1_SIZE => Some(val & queue::TWQ_SIZE_MASK.mask()),
        queue::TCQ_SIZE => Some(val & queue::TCQ_SIZE_MASK.mask()),
        queue::RCQ_SIZE => Some(val & queue::RCQ_SIZE_MASK.mask()),
        queue::BDQ_HPQ_SIZE | queue::BDQ_PPQ_SIZE => Some(val & queue::BDQ_SIZE_MASK.mask()),
        // Ring bases are 128-byte aligned.
        queue::TWQ0_BAL
        | queue::TWQ1_BAL
        | queue::TCQ_BAL
        | queue::RCQ_BAL
        | queue::BDQ_HPQ_BAL
        | queue::BDQ_PPQ_BAL => Some(val & queue::BAL_MASK.mask()),
        _ => Some(val),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{DeviceParams, FbnicDevice};
    use crate::identity::DEFAULT_DSN;

    #[test]
    fn error_status_is_write_one_to_clear() {
        let dev = FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
        });
        let ps = rxb::ERR_INTR_STS_PS.prep(0xf);
        // What fbnic_mac_ps_protect_config() writes leaves no cause behind.
        dev.csr_write(rxb::ERR_INTR_STS, ps);
        assert_eq!(dev.csr_read(rxb::ERR_INTR_STS), 0);
        // A cause the device raised clears only where ones are written.
        dev.csr().write(rxb::ERR_INTR_STS, ps | 1);
        dev.csr_write(rxb::ERR_INTR_STS, ps);
        assert_eq!(dev.csr_read(rxb::ERR_INTR_STS), 1);
    }

    #[test]
    fn idle_bitmaps_read_all_ones() {
        let dev = FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
        });
        for reg in [
            0x800, 0x807, 0x821, 0x830, 0x853, 0xc00, 0xc0f, 0xc13, 0xc16,
        ] {
            dev.csr_write(reg, 0);
            assert_eq!(dev.csr_read(reg), !0, "reg {reg:#x}");
        }
        assert_eq!(dev.csr_read(0x808), 0, "past TWQ_IDLE");
    }

    /// `fbnic_csr_regs_test()`: every pattern, every listed register, the
    /// first 64 queues, read back through the device.
    #[test]
    fn register_self_test_patterns() {
        let dev = FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
        });
        let bal = queue::BAL_MASK.mask();
        let sz = 0xf;
        // (offset, read mask, write mask) as in pattern_test[].
        let table = [
            (queue::TWQ0_CTL, 1, 1),
            (queue::TWQ0_PTRS, 0, !0),
            (queue::TWQ0_SIZE, sz, !0),
            (queue::TWQ0_BAL, bal, !0),
            (queue::TWQ0_BAH, !0, !0),
            (queue::TWQ1_CTL, 1, 1),
            (queue::TWQ1_PTRS, 0, !0),
            (queue::TWQ1_SIZE, sz, !0),
            (queue::TWQ1_BAL, bal, !0),
            (queue::TWQ1_BAH, !0, !0),
            (queue::TCQ_CTL, 1, 1),
            (queue::TCQ_PTRS, 0, !0),
            (queue::TCQ_SIZE, sz, !0),
            (queue::TCQ_BAL, bal, !0),
            (queue::TCQ_BAH, !0, !0),
            (queue::RCQ_CTL, 1, 1),
            (queue::RCQ_PTRS, 0, !0),
            (queue::RCQ_SIZE, sz, !0),
            (queue::RCQ_BAL, bal, !0),
            (queue::RCQ_BAH, !0, !0),
            (queue::BDQ_CTL, 1, 1),
            (queue::BDQ_HPQ_PTRS, 0, !0),
            (queue::BDQ_HPQ_SIZE, sz, !0),
            (queue::BDQ_HPQ_BAL, bal, !0),
            (queue::BDQ_HPQ_BAH, !0, !0),
            (queue::BDQ_PPQ_PTRS, 0, !0),
            (queue::BDQ_PPQ_SIZE, sz, !0),
            (queue::BDQ_PPQ_BAL, bal, !0),
            (queue::BDQ_PPQ_BAH, !0, !0),
        ];
        for q in 0..64 {
            for &(off, read, write) in &table {
                let reg = queue::reg(q, off);
                for pat in [!0u32, 0x5a5a_5a5a, 0xa5a5_a5a5, 0] {
                    let val = pat & write;
                    dev.csr_write(reg, val);
                    assert_eq!(
                        dev.csr_read(reg),
                        val & read,
                        "q{q} off {off:#x} pat {pat:#x}"
                    );
                }
            }
        }
    }
}
