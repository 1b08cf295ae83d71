// SPDX-License-Identifier: GPL-2.0

//! The TLV codec (`hw/tlv`): any bytes as a mailbox message, in both
//! directions. Asserts the framing rules, each schema's verdict against an
//! independent statement of its rules, the typed getters, nests and arrays,
//! and that parse -> build -> parse keeps the message (byte for byte when
//! it was canonical). See `src/tlv_check.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fbnic_fuzz::tlv_check::check_tlv(data);
});
