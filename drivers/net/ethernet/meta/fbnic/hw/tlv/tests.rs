// SPDX-License-Identifier: GPL-2.0

//! Unit tests of the TLV codec and the message schemas.

use super::selftest::{
    check_test_data,
    put_test_message, //
};
use super::*;
use std::vec::Vec;

/// Little-endian bytes of a dword list.
fn le(dwords: &[u32]) -> Vec<u8> {
    dwords.iter().flat_map(|d| d.to_le_bytes()).collect()
}

/// The example `FW_CAP_RESP` of the hardware map: firmware 0.12.9-0,
/// 100GBASE-CR2, RS-FEC, commit "emu".
const CAP_RESP_EXAMPLE: [u32; 9] = [
    0x0009_8011,
    0x0008_0000,
    0x000c_0900,
    0x0008_000a,
    0x0000_0004,
    0x0008_000b,
    0x0000_0002,
    0x0008_0006,
    0x0075_6d65,
];

#[test]
fn header_round_trip() {
    let h = Header {
        id: 0xabc,
        cannot_ignore: true,
        is_msg: true,
        len: 0x1234,
    };
    assert_eq!(h.to_raw(), 0x1234_cabc);
    assert_eq!(Header::from_raw(h.to_raw()), h);
    // Reserved bits 13:12 are ignored on input and never produced.
    assert_eq!(
        Header::from_raw(0x0004_3001),
        Header {
            id: 1,
            cannot_ignore: false,
            is_msg: false,
            len: 4
        }
    );
}

#[test]
fn map_example_cap_resp_parses() {
    let bytes = le(&CAP_RESP_EXAMPLE);
    let msg = Message::parse(&bytes).unwrap();
    assert_eq!(msg.id(), msg::FW_CAP_RESP);
    assert_eq!(msg.len(), 36);
    let attrs = msg.attrs(cap_resp::SCHEMA).unwrap();
    let version = cap_resp::FwVersion(attrs.u32(cap_resp::VERSION).unwrap());
    assert_eq!(
        (
            version.major(),
            version.minor(),
            version.patch(),
            version.build()
        ),
        (0, 12, 9, 0)
    );
    assert_eq!(version, cap_resp::MIN_FW_VER_CODE_LOG);
    assert!(version >= cap_resp::MIN_FW_VER_CODE);
    assert_eq!(
        attrs.u32(cap_resp::FW_LINK_SPEED),
        Some(cap_resp::LINK_MODE_100CR2)
    );
    assert_eq!(
        attrs.u32(cap_resp::FW_LINK_FEC),
        Some(cap_resp::LINK_FEC_RS)
    );
    assert_eq!(attrs.str(cap_resp::VERSION_COMMIT_STR), Some("emu"));
    assert!(!attrs.flag(cap_resp::BMC_PRESENT));
    assert_eq!(attrs.u32(cap_resp::STORED_VERSION), None);
    assert_eq!(fw_to_host_schema(msg.id()), Some(cap_resp::SCHEMA));
}

#[test]
fn builder_reproduces_map_example() {
    let mut buf = [0xa5u8; 64];
    let mut b = MsgBuilder::new(&mut buf, msg::FW_CAP_RESP).unwrap();
    b.put_u32(cap_resp::VERSION, cap_resp::FwVersion::new(0, 12, 9, 0).0)
        .unwrap();
    b.put_u32(cap_resp::FW_LINK_SPEED, cap_resp::LINK_MODE_100CR2)
        .unwrap();
    b.put_u32(cap_resp::FW_LINK_FEC, cap_resp::LINK_FEC_RS)
        .unwrap();
    b.put_string(cap_resp::VERSION_COMMIT_STR, b"emu").unwrap();
    assert_eq!(b.finish(), le(&CAP_RESP_EXAMPLE).as_slice());
}

#[test]
fn builder_matches_c_encodings() {
    // OWNERSHIP_REQ taking ownership: header + one flag.
    let mut buf = [0u8; 16];
    let mut b = MsgBuilder::new(&mut buf, msg::OWNERSHIP_REQ).unwrap();
    b.put_flag(ownership::FLAG).unwrap();
    assert_eq!(b.finish(), le(&[0x0002_8012, 0x0004_0000]).as_slice());
    // HOST_CAP_REQ: a bare header.
    let mut buf = [0u8; 4];
    let b = MsgBuilder::new(&mut buf, msg::HOST_CAP_REQ).unwrap();
    assert_eq!(b.finish(), le(&[0x0001_8010]).as_slice());
    // A 6-byte MAC pads with zeroes to 8 value bytes, length says 10.
    let mut buf = [0xffu8; 16];
    let mut b = MsgBuilder::new(&mut buf, msg::TEST).unwrap();
    b.put_mac(test::MAC_ADDR, &[1, 2, 3, 4, 5, 6]).unwrap();
    assert_eq!(
        b.finish(),
        le(&[0x0004_8000, 0x000a_0006, 0x0403_0201, 0x0000_0605]).as_slice()
    );
}

/// The whole self-test message, as `fbnic_tlv_test_create()` builds it.
fn build_test_msg(buf: &mut [u8]) -> Result<usize, BuildError> {
    let mut b = MsgBuilder::new(buf, msg::TEST)?;
    put_test_message(&mut b)?;
    Ok(b.finish().len())
}

#[test]
fn self_test_message_round_trip() {
    let mut buf = [0u8; 4096];
    let len = build_test_msg(&mut buf).unwrap();
    let msg = Message::parse(&buf).unwrap();
    assert_eq!(msg.len(), len);
    assert_eq!(msg.id(), msg::TEST);
    let attrs = msg.attrs(test::SCHEMA).unwrap();
    assert!(check_test_data(&attrs));
    let nested = attrs.nested(test::NESTED, test::SCHEMA).unwrap().unwrap();
    assert!(check_test_data(&nested));
    // The nest holds no second nest.
    assert!(nested.get(test::NESTED).is_none());
    // Framing-only walk sees the 11 top-level attributes in order.
    let ids: Vec<u16> = msg.raw_attrs().map(|a| a.unwrap().id()).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4, 5, 6, 11, 7, 9, 10]);
    assert_eq!(host_to_fw_schema(msg::TEST), Some(test::SCHEMA));
}

#[test]
fn integers_use_their_own_width() {
    let bytes = le(&[
        0x0007_8000,
        0x0005_0003,
        0x0000_00ff,
        0x0006_0005,
        0x0000_8000,
        0x0007_0002,
        0x0012_3456,
    ]);
    let attrs = Message::parse(&bytes).unwrap().attrs(test::SCHEMA).unwrap();
    // One byte 0xff is -1, two bytes 0x8000 is -32768, three bytes
    // unsigned stay positive.
    assert_eq!(attrs.s32(test::S32), Some(-1));
    assert_eq!(attrs.s64(test::S32), Some(-1));
    assert_eq!(attrs.s32(test::S16), Some(-32768));
    assert_eq!(attrs.u32(test::U32), Some(0x12_3456));
    // An 8-byte value does not fit a 32-bit getter.
    let mut buf = [0u8; 16];
    let mut b = MsgBuilder::new(&mut buf, msg::TEST).unwrap();
    b.put_u64(test::U64, u64::MAX).unwrap();
    let bytes = b.finish();
    let attrs = Message::parse(bytes).unwrap().attrs(test::SCHEMA).unwrap();
    assert_eq!(attrs.u32(test::U64), None);
    assert_eq!(attrs.u64(test::U64), Some(u64::MAX));
    assert_eq!(attrs.s32(test::U64), None);
}

#[test]
fn unknown_attributes() {
    // ID 20 is not in the cap schema: skipped unless cannot_ignore.
    let ok = le(&[
        0x0005_8011,
        0x0008_0014,
        0xdead_beef,
        0x0008_000a,
        0x0000_0001,
    ]);
    let attrs = Message::parse(&ok)
        .unwrap()
        .attrs(cap_resp::SCHEMA)
        .unwrap();
    assert!(attrs.get(20).is_none());
    assert_eq!(attrs.u32(cap_resp::FW_LINK_SPEED), Some(1));
    let required = le(&[0x0003_8011, 0x0008_4014, 0xdead_beef]);
    assert_eq!(
        Message::parse(&required)
            .unwrap()
            .attrs(cap_resp::SCHEMA)
            .unwrap_err(),
        TlvError::UnknownRequired { id: 20 }
    );
    // A message the receiver knows nothing about: empty schema.
    assert!(Message::parse(&ok).unwrap().attrs(&[]).is_ok());
    assert_eq!(fw_to_host_schema(0x7ff), None);
    assert_eq!(host_to_fw_schema(msg::FW_CAP_RESP), None);
}

#[test]
fn malformed_inputs() {
    use TlvError::*;
    let cap = cap_resp::SCHEMA;
    let t = test::SCHEMA;
    let cases: &[(&str, Vec<u8>, &Schema, TlvError)] = &[
        (
            "empty buffer",
            Vec::new(),
            cap,
            Truncated {
                needed: 4,
                available: 0,
            },
        ),
        (
            "truncated header",
            std::vec![0x11, 0x80],
            cap,
            Truncated {
                needed: 4,
                available: 2,
            },
        ),
        (
            "length past buffer",
            le(&[0x0003_8011, 0x0004_0001]),
            cap,
            Truncated {
                needed: 12,
                available: 8,
            },
        ),
        ("zero-length message", le(&[0x0000_8011]), cap, EmptyMessage),
        ("is_msg not set", le(&[0x0001_0011]), cap, NotMessage),
        (
            "attribute with is_msg",
            le(&[0x0002_8011, 0x0004_8001]),
            cap,
            AttrIsMessage { offset: 4 },
        ),
        (
            "attribute id 32",
            le(&[0x0002_8011, 0x0004_0020]),
            cap,
            AttrIdOutOfRange { id: 32, offset: 4 },
        ),
        (
            "attribute shorter than header",
            le(&[0x0002_8011, 0x0003_0001]),
            cap,
            AttrTooShort {
                id: 1,
                offset: 4,
                len: 3,
            },
        ),
        (
            "attribute overruns message",
            le(&[0x0002_8011, 0x0008_0000, 0x0000_0001]),
            cap,
            AttrOverrun { id: 0, offset: 4 },
        ),
        (
            "padding overruns message",
            le(&[0x0002_8011, 0x0005_000a]),
            cap,
            AttrOverrun { id: 10, offset: 4 },
        ),
        (
            "attributes stop short: zero dword",
            le(&[0x0004_8011, 0x0008_000a, 0x0000_0004, 0]),
            cap,
            AttrTooShort {
                id: 0,
                offset: 12,
                len: 0,
            },
        ),
        (
            "attributes stop short: half attribute",
            le(&[0x0004_8011, 0x0008_000a, 0x0000_0004, 0x0008_000b]),
            cap,
            AttrOverrun { id: 11, offset: 12 },
        ),
        (
            "duplicate id",
            le(&[
                0x0005_8011,
                0x0008_000a,
                0x0000_0004,
                0x0008_000a,
                0x0000_0001,
            ]),
            cap,
            Duplicate { id: 10 },
        ),
        (
            "oversize u32",
            le(&[0x0004_8011, 0x0009_000a, 0x0000_0004, 0]),
            cap,
            BadSize { id: 10, len: 5 },
        ),
        (
            "empty u32",
            le(&[0x0002_8011, 0x0004_000a]),
            cap,
            BadSize { id: 10, len: 0 },
        ),
        (
            "oversize u64",
            le(&[0x0005_8000, 0x000d_0000, 0, 0, 0]),
            t,
            BadSize { id: 0, len: 9 },
        ),
        (
            "flag with a value",
            le(&[0x0003_8011, 0x0005_0001, 0x0000_0001]),
            cap,
            BadSize { id: 1, len: 1 },
        ),
        (
            "unterminated string",
            le(&[0x0003_8011, 0x0008_0006, 0x6d75_6d65]),
            cap,
            UnterminatedString { id: 6 },
        ),
        (
            "empty string",
            le(&[0x0002_8011, 0x0004_0006]),
            cap,
            BadSize { id: 6, len: 0 },
        ),
        (
            "string longer than its maximum",
            le(&[
                0x0007_8011,
                0x0018_0006,
                0x6161_6161,
                0x6161_6161,
                0x6161_6161,
                0x6161_6161,
                0x0061_6161,
            ]),
            cap,
            BadSize { id: 6, len: 20 },
        ),
        (
            "five-byte MAC",
            le(&[0x0004_8000, 0x0009_0006, 0x0403_0201, 0x05]),
            t,
            BadSize { id: 6, len: 5 },
        ),
        (
            "misaligned array",
            le(&[0x0004_8000, 0x000a_000b, 0x0403_0201, 0x0605]),
            t,
            BadSize { id: 11, len: 6 },
        ),
        (
            "unknown cannot_ignore",
            le(&[0x0002_8011, 0x0004_401f]),
            cap,
            UnknownRequired { id: 31 },
        ),
    ];
    for (what, bytes, schema, expected) in cases {
        let got = Message::parse(bytes).and_then(|m| m.attrs(schema).map(|_| ()));
        assert_eq!(got, Err(*expected), "{what}");
    }
}

#[test]
fn malformed_nests_and_arrays() {
    // A nest whose inner attribute overruns the nest (but not the
    // message): rejected when the nest is parsed, offset in message terms.
    let bytes = le(&[0x0003_8000, 0x0008_000a, 0x0008_0002]);
    let attrs = Message::parse(&bytes).unwrap().attrs(test::SCHEMA).unwrap();
    assert_eq!(
        attrs.nested(test::NESTED, test::SCHEMA).unwrap_err(),
        TlvError::AttrOverrun { id: 2, offset: 8 }
    );
    // An array with a stray element ID.
    let bytes = le(&[
        0x0006_8000,
        0x0014_000b,
        0x000a_0006,
        0x0403_0201,
        0x0605,
        0x0004_0007,
    ]);
    let attrs = Message::parse(&bytes).unwrap().attrs(test::SCHEMA).unwrap();
    assert_eq!(
        attrs
            .array(test::ARRAY, test::MAC_ADDR, test::SCHEMA)
            .unwrap_err(),
        TlvError::ArrayElement {
            expected: 6,
            found: 7
        }
    );
    // An array element that breaks its own size rule.
    let bytes = le(&[0x0004_8000, 0x000c_000b, 0x0008_0006, 0x0403_0201]);
    let attrs = Message::parse(&bytes).unwrap().attrs(test::SCHEMA).unwrap();
    assert_eq!(
        attrs
            .array(test::ARRAY, test::MAC_ADDR, test::SCHEMA)
            .unwrap_err(),
        TlvError::BadSize { id: 6, len: 4 }
    );
    // Absent nests and arrays are not errors.
    assert!(matches!(attrs.nested(test::NESTED, test::SCHEMA), Ok(None)));
}

#[test]
fn errors_display_their_context() {
    use std::string::ToString;
    assert_eq!(
        TlvError::Duplicate { id: 10 }.to_string(),
        "duplicate attribute 10"
    );
    assert_eq!(
        TlvError::Truncated {
            needed: 12,
            available: 8
        }
        .to_string(),
        "message needs 12 bytes, buffer has 8"
    );
    assert_eq!(
        BuildError::InteriorNul { id: 9 }.to_string(),
        "string for attribute 9 contains NUL"
    );
}

#[test]
fn trailing_bytes_after_message_are_ignored() {
    let mut bytes = le(&CAP_RESP_EXAMPLE);
    bytes.extend_from_slice(&[0xff; 100]);
    let msg = Message::parse(&bytes).unwrap();
    assert_eq!(msg.as_bytes().len(), 36);
    assert!(msg.attrs(cap_resp::SCHEMA).is_ok());
}

#[test]
fn builder_fails_cleanly_when_full() {
    let mut full = [0u8; 4096];
    let len = build_test_msg(&mut full).unwrap();
    for size in 0..len {
        let mut buf = std::vec![0u8; size];
        let result = build_test_msg(&mut buf);
        assert!(
            matches!(result, Err(BuildError::NoSpace { available, .. }) if available == size),
            "size {size}"
        );
    }
    let mut exact = std::vec![0u8; len];
    assert_eq!(build_test_msg(&mut exact), Ok(len));
    assert_eq!(exact.as_slice(), &full[..len]);
}

#[test]
fn failed_puts_leave_the_message_intact() {
    let mut buf = [0u8; 16];
    let mut b = MsgBuilder::new(&mut buf, msg::TEST).unwrap();
    b.put_u32(test::U32, 7).unwrap();
    assert_eq!(
        b.put_u64(test::U64, 1),
        Err(BuildError::NoSpace {
            needed: 24,
            available: 16
        })
    );
    assert_eq!(b.put_flag(32), Err(BuildError::BadId { id: 32 }));
    assert_eq!(
        b.put_string(test::STRING, b"a\0b"),
        Err(BuildError::InteriorNul { id: test::STRING })
    );
    // A nest whose contents do not fit is removed entirely.
    let nest = b.nested(test::NESTED, |n| {
        n.put_u32(test::U32, 1)?;
        n.put_u32(test::S32, 2)
    });
    assert!(matches!(nest, Err(BuildError::NoSpace { .. })));
    // An empty nest is dropped, like fbnic_tlv_attr_nest_stop().
    assert_eq!(b.nested(test::ARRAY, |_| Ok(())), Ok(()));
    b.put_flag(test::FLAG_TRUE).unwrap();
    let bytes = b.finish();
    assert_eq!(
        bytes,
        le(&[0x0004_8000, 0x0008_0002, 7, 0x0004_0007]).as_slice()
    );
    let attrs = Message::parse(bytes).unwrap().attrs(test::SCHEMA).unwrap();
    assert_eq!(attrs.u32(test::U32), Some(7));
    assert!(attrs.flag(test::FLAG_TRUE));
    assert!(attrs.get(test::ARRAY).is_none());
}

#[test]
fn builder_limits() {
    let mut buf = [0u8; 8];
    assert_eq!(
        MsgBuilder::new(&mut buf, 0x1000).unwrap_err(),
        BuildError::BadId { id: 0x1000 }
    );
    assert!(matches!(
        MsgBuilder::new(&mut buf[..3], 1),
        Err(BuildError::NoSpace {
            needed: 4,
            available: 3
        })
    ));
    // An attribute's length field holds at most 65535 bytes.
    let big = std::vec![0u8; 70_000];
    let mut buf = std::vec![0u8; 80_000];
    let mut b = MsgBuilder::new(&mut buf, msg::TEST).unwrap();
    assert_eq!(
        b.put_bytes(test::U64, &big),
        Err(BuildError::TooLong { len: 70_004 })
    );
    assert_eq!(b.len(), 4);
    assert!(!b.is_empty());
}

/// Parses `bytes` as far as it goes and touches every accessor, so that
/// a panic anywhere in the parser or getters fails the test. Returns
/// whether the top level validated.
fn consume(bytes: &[u8], schema: &Schema) -> bool {
    let Ok(msg) = Message::parse(bytes) else {
        return false;
    };
    for attr in msg.raw_attrs() {
        let Ok(attr) = attr else { break };
        let _ = (
            attr.u64(),
            attr.s64(),
            attr.u32(),
            attr.s32(),
            attr.cstr(),
            attr.str(),
            attr.mac(),
        );
        assert!(attr.offset() + HDR_LEN + attr.bytes().len() <= msg.len());
    }
    let Ok(attrs) = msg.attrs(schema) else {
        return false;
    };
    for id in 0..=RESULTS_MAX as u16 {
        let _ = (
            attrs.u64(id),
            attrs.s64(id),
            attrs.u32(id),
            attrs.s32(id),
            attrs.str(id),
            attrs.mac(id),
            attrs.flag(id),
        );
        if let Ok(Some(nested)) = attrs.nested(id, schema) {
            for inner in 0..=RESULTS_MAX as u16 {
                let _ = (nested.u64(inner), nested.cstr(inner), nested.mac(inner));
                if let Ok(Some(array)) = nested.array(inner, test::MAC_ADDR, schema) {
                    assert!(array.iter().count() == array.len());
                }
            }
        }
        if let Ok(Some(array)) = attrs.array(id, test::MAC_ADDR, schema) {
            assert_eq!(array.iter().count(), array.len());
            assert_eq!(array.is_empty(), array.iter().next().is_none());
        }
    }
    true
}

#[test]
fn every_prefix_and_byte_mutation_is_handled() {
    let mut test_buf = [0u8; 4096];
    let test_len = build_test_msg(&mut test_buf).unwrap();
    let inputs: [(&[u8], &Schema); 2] = [
        (&test_buf[..test_len], test::SCHEMA),
        (&le(&CAP_RESP_EXAMPLE), cap_resp::SCHEMA),
    ];
    for (valid, schema) in inputs {
        assert!(consume(valid, schema));
        // Every strict prefix is shorter than the header's length.
        for cut in 0..valid.len() {
            assert!(!consume(&valid[..cut], schema));
            assert!(matches!(
                Message::parse(&valid[..cut]),
                Err(TlvError::Truncated { .. })
            ));
        }
        // Every byte replaced by a spread of values, including all
        // single-bit flips.
        let (mut accepted, mut rejected) = (0, 0);
        let mut mutated = valid.to_vec();
        for pos in 0..valid.len() {
            let orig = valid[pos];
            let values = (0..8).map(|bit| orig ^ (1 << bit)).chain([
                0x00,
                0xff,
                0x80,
                0x7f,
                orig.wrapping_add(4),
            ]);
            for v in values {
                mutated[pos] = v;
                if consume(&mutated, schema) {
                    accepted += 1;
                } else {
                    rejected += 1;
                }
            }
            mutated[pos] = orig;
        }
        // Both outcomes occur: value bytes can change freely, header
        // bytes mostly cannot.
        assert!(
            accepted > 0 && rejected > 0,
            "accepted {accepted} rejected {rejected}"
        );
    }
}

#[test]
fn random_buffers_are_handled() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut buf = [0u8; 256];
    for round in 0..20_000 {
        let len = (next() % 64) as usize * 4;
        for b in buf.iter_mut().take(len) {
            *b = next() as u8;
        }
        // Give most rounds a plausible message header so the attribute
        // walker is exercised, not just the header check.
        if round % 4 != 0 && len >= 4 {
            let hdr = Header {
                id: msg::TEST,
                cannot_ignore: false,
                is_msg: true,
                len: (len / 4) as u16,
            };
            buf[..4].copy_from_slice(&hdr.to_raw().to_le_bytes());
        }
        consume(&buf[..len], test::SCHEMA);
    }
}
