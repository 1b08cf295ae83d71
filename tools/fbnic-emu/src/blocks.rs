// SPDX-License-Identifier: GPL-2.0

//! What a guest write leaves in a BAR0 register, decided by the register's
//! declaration in `fbnic_hw::csr` (its [`Access`](fbnic_hw::reg::Access),
//! its implemented bits and its reset value), not by a list kept here:
//!
//! - the queue managers' `*_IDLE` bitmaps are read-only and reset to all
//!   ones: nothing is ever in flight when the driver checks
//!   (`fbnic_wait_all_queues_idle()`);
//! - error status registers are write-one-to-clear (`RXB_ERR_INTR_STS`:
//!   the driver clears pause-storm causes by writing them back);
//! - the per-queue ring registers keep only their implemented bits, and the
//!   hardware pointer registers (`*_PTRS`) ignore writes, which is what the
//!   offline register self-test (`fbnic_csr_regs_test()`, `ethtool -t`)
//!   checks with its read/write masks.
//!
//! The datapath may give `*_PTRS` live values; this module only decides
//! what a guest *write* leaves in a register. Registers with behaviour of
//! their own (interrupts, link, PTP, mailbox) are handled by their blocks
//! before this.

use std::sync::OnceLock;

use fbnic_hw::csr;
use fbnic_hw::reg::RegInfo;

use crate::regs::RegisterFile;

/// What a guest write of `val` to `reg`, which holds `current`, stores:
/// `Some(value)` to store, `None` to drop the write. Undeclared dwords
/// hold what is written.
pub fn write_filter(reg: u32, val: u32, current: u32) -> Option<u32> {
    match WriteRules::get().declaration(reg) {
        Some(info) => info.apply_write(current, val),
        None => Some(val),
    }
}

/// The declaration of every BAR0 dword, by index: what [`csr::lookup`]
/// finds, worked out once. A lookup walks a block's declarations, and
/// every guest write (a busy queue's doorbells most of all) needs one.
struct WriteRules {
    /// For each dword up to the last one declared: one more than the
    /// index of its declaration in `decls`, or 0 if none covers it.
    at: Vec<u16>,
    decls: Vec<&'static RegInfo>,
}

impl WriteRules {
    fn get() -> &'static WriteRules {
        static RULES: OnceLock<WriteRules> = OnceLock::new();
        RULES.get_or_init(|| {
            let mut rules = WriteRules {
                at: Vec::new(),
                decls: Vec::new(),
            };
            // In declaration order, and a dword keeps the first
            // declaration that covers it, as `csr::lookup` decides.
            for r in csr::registers().filter(|r| r.bar == 0) {
                rules.decls.push(r);
                let id = u16::try_from(rules.decls.len()).expect("under 2^16 BAR0 declarations");
                for n in 0..r.dims[0].0 {
                    for m in 0..r.dims[1].0 {
                        let Some(d) = r.index_of(n, m) else { continue };
                        let d = d as usize;
                        if d >= rules.at.len() {
                            rules.at.resize(d + 1, 0);
                        }
                        if rules.at[d] == 0 {
                            rules.at[d] = id;
                        }
                    }
                }
            }
            rules
        })
    }

    fn declaration(&self, reg: u32) -> Option<&'static RegInfo> {
        let id = *self.at.get(reg as usize)?;
        self.decls.get(usize::from(id).checked_sub(1)?).copied()
    }
}

/// Gives every declared BAR0 register of nonzero reset value that value;
/// the rest of a freshly zeroed register file is already right.
pub fn apply_resets(csr: &RegisterFile) {
    for r in csr::registers().filter(|r| r.bar == 0 && r.reset != 0) {
        for n in 0..r.dims[0].0 {
            for m in 0..r.dims[1].0 {
                csr.write(r.dword(n, m), r.reset);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{DeviceParams, FbnicDevice};
    use crate::identity::DEFAULT_DSN;
    use fbnic_hw::csr::{queue, rxb};

    #[test]
    fn error_status_is_write_one_to_clear() {
        let dev = FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
            queue_threads: 1,
        });
        let ps = rxb::ERR_INTR_STS::PS.prep(0xf);
        // What fbnic_mac_ps_protect_config() writes leaves no cause behind.
        dev.csr_write(rxb::ERR_INTR_STS::INDEX, ps);
        assert_eq!(dev.csr_read(rxb::ERR_INTR_STS::INDEX), 0);
        // A cause the device raised clears only where ones are written.
        dev.csr().write(rxb::ERR_INTR_STS::INDEX, ps | 1);
        dev.csr_write(rxb::ERR_INTR_STS::INDEX, ps);
        assert_eq!(dev.csr_read(rxb::ERR_INTR_STS::INDEX), 1);
    }

    #[test]
    fn idle_bitmaps_read_all_ones() {
        let dev = FbnicDevice::new(DeviceParams {
            dsn: DEFAULT_DSN,
            queues: 2,
            queue_threads: 1,
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
            queue_threads: 1,
        });
        let bal = queue::BAL_MASK.mask();
        let sz = 0xf;
        // (offset, read mask, write mask) as in pattern_test[].
        let table = [
            (queue::TWQ0_CTL::INFO, 1, 1),
            (queue::TWQ0_PTRS::INFO, 0, !0),
            (queue::TWQ0_SIZE::INFO, sz, !0),
            (queue::TWQ0_BAL::INFO, bal, !0),
            (queue::TWQ0_BAH::INFO, !0, !0),
            (queue::TWQ1_CTL::INFO, 1, 1),
            (queue::TWQ1_PTRS::INFO, 0, !0),
            (queue::TWQ1_SIZE::INFO, sz, !0),
            (queue::TWQ1_BAL::INFO, bal, !0),
            (queue::TWQ1_BAH::INFO, !0, !0),
            (queue::TCQ_CTL::INFO, 1, 1),
            (queue::TCQ_PTRS::INFO, 0, !0),
            (queue::TCQ_SIZE::INFO, sz, !0),
            (queue::TCQ_BAL::INFO, bal, !0),
            (queue::TCQ_BAH::INFO, !0, !0),
            (queue::RCQ_CTL::INFO, 1, 1),
            (queue::RCQ_PTRS::INFO, 0, !0),
            (queue::RCQ_SIZE::INFO, sz, !0),
            (queue::RCQ_BAL::INFO, bal, !0),
            (queue::RCQ_BAH::INFO, !0, !0),
            (queue::BDQ_CTL::INFO, 1, 1),
            (queue::BDQ_HPQ_PTRS::INFO, 0, !0),
            (queue::BDQ_HPQ_SIZE::INFO, sz, !0),
            (queue::BDQ_HPQ_BAL::INFO, bal, !0),
            (queue::BDQ_HPQ_BAH::INFO, !0, !0),
            (queue::BDQ_PPQ_PTRS::INFO, 0, !0),
            (queue::BDQ_PPQ_SIZE::INFO, sz, !0),
            (queue::BDQ_PPQ_BAL::INFO, bal, !0),
            (queue::BDQ_PPQ_BAH::INFO, !0, !0),
        ];
        for q in 0..64 {
            for &(off, read, write) in &table {
                let reg = off.dword(q, 0);
                for pat in [!0u32, 0x5a5a_5a5a, 0xa5a5_a5a5, 0] {
                    let val = pat & write;
                    dev.csr_write(reg, val);
                    assert_eq!(
                        dev.csr_read(reg),
                        val & read,
                        "q{q} {} pat {pat:#x}",
                        off.name
                    );
                }
            }
        }
    }

    #[test]
    fn the_table_finds_what_a_lookup_finds() {
        let rules = WriteRules::get();
        let mut dwords: Vec<u32> = (0..rules.at.len() as u32 + 64).step_by(61).collect();
        for r in csr::registers().filter(|r| r.bar == 0) {
            for n in 0..r.dims[0].0 {
                for m in 0..r.dims[1].0 {
                    let d = r.dword(n, m);
                    dwords.extend([d.wrapping_sub(1), d, d + 1]);
                }
            }
        }
        for d in dwords {
            let want = csr::lookup(0, d).map(|(info, _, _)| info);
            assert_eq!(rules.declaration(d), want, "dword {d:#x}");
        }
    }
}
