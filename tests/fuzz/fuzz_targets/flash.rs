// SPDX-License-Identifier: GPL-2.0

//! The flash facts of `hw/flash.rs`: the PLDM anti-rollback record reader
//! (`fbnic_pldm_match_record()`), the section names the driver reads from
//! a PLDM package's components and from devlink, and the firmware log's
//! line format. The reader must read nothing past the descriptor data it
//! is given: it is fed a slice cut from the input, and a result must be
//! the same whatever follows the slice.

#![no_main]

use fbnic_fuzz::{le32, le64};
use fbnic_hw::flash::{anti_rollback_version, LogLine, LogTime, Section};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let cut = data
        .first()
        .map_or(0, |&b| usize::from(b))
        .min(data.len().saturating_sub(1));
    let body = data.get(1..).unwrap_or(&[]);
    let slice = &body[..cut.min(body.len())];
    let v = anti_rollback_version(slice);
    // The rule, stated independently: type 1 (ASCII), length 15, the
    // title, then at least 4 bytes of version.
    let want = (slice.len() >= 21
        && slice[0] == 1
        && slice[1] == 15
        && &slice[2..17] == b"AntiRollbackVer")
        .then(|| u32::from_le_bytes(slice[17..21].try_into().unwrap()));
    assert_eq!(v, want, "anti-rollback record {slice:02x?}");
    // Same answer on a copy with nothing behind it (a read past the end
    // would see other bytes, or fault under the sanitizer).
    let copy = slice.to_vec();
    assert_eq!(anti_rollback_version(&copy), v);

    let ident = le32(data, 0) as u16;
    if let Some(s) = Section::from_component(ident) {
        assert_eq!(s.id(), u32::from(ident));
        assert_eq!(
            Section::from_devlink_name(s.devlink_name().as_bytes()),
            Some(s)
        );
        assert!(!s.progress_name().is_empty());
    }
    if let Some(s) = Section::from_devlink_name(body) {
        assert_eq!(s.devlink_name().as_bytes(), body);
    }

    let text = String::from_utf8_lossy(body);
    let msec = le32(data, 2);
    let line = LogLine {
        index: le64(data, 6),
        msec,
        text: &text,
    }
    .to_string();
    assert!(line.ends_with('\n') && line.contains(&*text));
    let t = LogTime(msec).to_string();
    let f: Vec<u32> = t.split([':', '.']).map(|x| x.parse().unwrap()).collect();
    assert_eq!(f.len(), 5, "{t}");
    assert!(f[1] < 24 && f[2] < 60 && f[3] < 60 && f[4] < 1000, "{t}");
    assert_eq!(
        u64::from(f[0]) * 86_400_000
            + u64::from(f[1]) * 3_600_000
            + u64::from(f[2]) * 60_000
            + u64::from(f[3]) * 1000
            + u64::from(f[4]),
        u64::from(msec),
        "{t}"
    );
});
