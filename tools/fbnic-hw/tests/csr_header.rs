// SPDX-License-Identifier: GPL-2.0

//! hw/'s register declarations against the upstream driver's `fbnic_csr.h`
//! of the Linux 7.3 tree, read and evaluated at test time: every register's
//! location (first, last and corner instances of arrays) and every named
//! field's mask must be what the C macro it names evaluates to.

mod c_header;

use c_header::Header;
use fbnic_hw::csr;
use fbnic_hw::reg::RegInfo;

/// The instances worth checking: the corners of the array and one inside.
fn samples(r: &RegInfo) -> Vec<(u32, u32)> {
    let (c0, c1) = (r.dims[0].0, r.dims[1].0);
    let mut v = vec![
        (0, 0),
        (c0 - 1, 0),
        (0, c1 - 1),
        (c0 - 1, c1 - 1),
        (c0 / 2, c1 / 2),
    ];
    v.sort_unstable();
    v.dedup();
    v
}

/// Evaluates the declaration's C expression for instance `(n, m)`.
fn c_index(h: &mut Header, r: &RegInfo, n: u32, m: u32) -> Result<u64, String> {
    h.add_text("#undef FBNIC_RS_REG\n")?;
    h.define("FBNIC_RS_REG(n, m)", r.c)?;
    h.eval("FBNIC_RS_REG", &[u64::from(n), u64::from(m)])
}

#[test]
fn register_locations_match_fbnic_csr_h() {
    let mut h = Header::load().expect("fbnic_csr.h must be readable for this test");
    let mut checked = 0;
    let mut errors = Vec::new();
    for r in csr::registers() {
        for (n, m) in samples(r) {
            let ours = u64::from(r.index_of(n, m).expect("sample in range"));
            match c_index(&mut h, r, n, m) {
                Ok(c) if c == ours => checked += 1,
                Ok(c) => errors.push(format!(
                    "{} [{n}, {m}]: hw/ has {ours:#x}, {} is {c:#x}",
                    r.name, r.c
                )),
                Err(e) => errors.push(format!("{}: {e}", r.name)),
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} mismatches:\n{}",
        errors.len(),
        errors.join("\n")
    );
    // Every block contributes; a registry that lost its tables would pass
    // the loop above vacuously.
    assert!(checked > 500, "only {checked} locations checked");
}

#[test]
fn field_masks_match_fbnic_csr_h() {
    let h = Header::load().expect("fbnic_csr.h must be readable for this test");
    let mut checked = 0;
    let mut errors = Vec::new();
    for r in csr::registers() {
        for f in r.fields {
            match h.eval(f.c, &[]) {
                // Multi-bit fields are GENMASK()s, flags CSR_BIT()s: either
                // way the value is the mask in place.
                Ok(c) if c == u64::from(f.mask) => checked += 1,
                Ok(c) => errors.push(format!(
                    "{}::{}: hw/ has {:#x}, {} is {c:#x}",
                    r.name, f.name, f.mask, f.c
                )),
                Err(e) => errors.push(format!("{}::{}: {e}", r.name, f.name)),
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} mismatches:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(checked > 100, "only {checked} fields checked");
}

#[test]
fn bars_and_sections_match_fbnic_csr_h() {
    let h = Header::load().expect("fbnic_csr.h must be readable for this test");
    for s in csr::SECTIONS {
        // INTR_CQ is the C CSR_START_INTR_CQ; the others likewise.
        let start = h.eval(&format!("FBNIC_CSR_START_{}", s.name), &[]);
        let end = h.eval(&format!("FBNIC_CSR_END_{}", s.name), &[]);
        assert_eq!(start, Ok(u64::from(s.start)), "start of {}", s.name);
        assert_eq!(end, Ok(u64::from(s.end)), "end of {}", s.name);
    }
    for r in csr::registers() {
        let fw = r.c.starts_with("FBNIC_IPC_MBX")
            || r.c.starts_with("FBNIC_FW_")
            || r.c.starts_with("FBNIC_NS_OTP");
        assert_eq!(r.bar, if fw { 4 } else { 0 }, "BAR of {}", r.name);
    }
}
