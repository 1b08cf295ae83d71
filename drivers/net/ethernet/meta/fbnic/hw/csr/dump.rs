// SPDX-License-Identifier: GPL-2.0

//! The register dump of `ethtool -d` (`fbnic_csr_get_regs()`): its
//! version, its length and the order of its dwords.
//!
//! Each of [`SECTIONS`] but the last is dumped as its first and last dword
//! index followed by every dword in between. The last, the RPC RAM, is
//! dumped as its bounds followed by its tables, entry by entry, with the
//! entry counts and sizes of `fbnic_csr.c` (which read some words past the
//! tables as declared; the dump reproduces them, so that tools that parse
//! the C driver's dump parse this one). The length reserves room for the
//! RPC RAM as if it were dumped linearly; what its tables do not fill
//! stays zero.

use super::{
    rpc_ram,
    SECTIONS, //
};
use crate::hw::reg::{
    Bar0,
    Loc,
    RegInfo, //
};

/// The dump's version (`regs_version`).
pub const VERSION: u32 = 1;

/// Dwords in the dump (`fbnic_csr_regs_len()`): every section's dwords and
/// its two bounds.
pub const LEN: u32 = {
    let mut len = 0;
    let mut i = 0;
    while i < SECTIONS.len() {
        len += SECTIONS[i].dwords() + 2;
        i += 1;
    }
    len
};

/// One dword of the dump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// A section's first or last dword index.
    Bound(u32),
    /// The value of the register at this location.
    Reg(Loc<Bar0>),
}

/// The RPC RAM tables as the C driver dumps them: register, entries
/// (its first index) and dwords per entry (its second index).
const RPC_RAM_TABLES: [(&RegInfo, u32, u32); 7] = [
    (&rpc_ram::TCAM_ACT::INFO, 64, 14),
    (&rpc_ram::TCAM_MACDA::INFO, 32, 4),
    (&rpc_ram::TCAM_OUTER_IPSRC::INFO, 8, 9),
    (&rpc_ram::TCAM_OUTER_IPDST::INFO, 8, 9),
    (&rpc_ram::TCAM_IPSRC::INFO, 8, 9),
    (&rpc_ram::TCAM_IPDST::INFO, 8, 9),
    (&rpc_ram::RSS_TBL::INFO, 256, 2),
];

/// Calls `f` with each dword of the dump, in order: at most [`LEN`].
pub fn walk(mut f: impl FnMut(Word)) {
    let Some((rpc, linear)) = SECTIONS.split_last() else {
        return;
    };
    for s in linear {
        f(Word::Bound(s.start));
        f(Word::Bound(s.end));
        for index in s.start..=s.end {
            f(Word::Reg(Loc::__new(index)));
        }
    }
    f(Word::Bound(rpc.start));
    f(Word::Bound(rpc.end));
    for (reg, entries, words) in RPC_RAM_TABLES {
        let ((_, stride_n), (_, stride_m)) = (reg.dims[0], reg.dims[1]);
        for n in 0..entries {
            for m in 0..words {
                f(Word::Reg(Loc::__new(
                    reg.base + n * stride_n + m * stride_m,
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_the_c_drivers() {
        // `ethtool -d DEV raw on | wc -c` with the C driver.
        assert_eq!(LEN * 4, 605056);
    }

    #[test]
    fn walk_fits_and_starts_with_the_interrupt_block() {
        let mut words = 0;
        let mut first = None;
        walk(|w| {
            first.get_or_insert(w);
            words += 1;
        });
        assert!(words <= LEN, "{words} dwords, room for {LEN}");
        assert_eq!(first, Some(Word::Bound(SECTIONS[0].start)));
    }

    #[test]
    fn rpc_ram_tables_use_the_c_arithmetic() {
        let mut last = None;
        walk(|w| last = Some(w));
        // FBNIC_RPC_RSS_TBL(255, 1): the last word the C driver reads.
        assert_eq!(last, Some(Word::Reg(Loc::__new(0x08d20 + 255 * 0x100 + 1))));
    }
}
