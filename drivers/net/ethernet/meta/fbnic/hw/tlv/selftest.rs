// SPDX-License-Identifier: GPL-2.0

//! The mailbox self-test message (`TEST`): the host sends every attribute
//! type once at the top level and once nested, the firmware echoes the
//! message, and the host checks that what came back is what it sent
//! (`fbnic_tlv_test_create()`, `fbnic_tlv_parser_test()`). The values are
//! fixed here; the C driver's are too, in spirit.

use super::{
    test,
    Attrs,
    BuildError,
    MsgBuilder, //
};

/// The values of one copy of the test attributes.
struct TestData {
    u64: u64,
    s64: i64,
    u32: u32,
    s32: i32,
    u16: u16,
    s16: i16,
    mac: [u8; 6],
    macs: [[u8; 6]; 4],
    string: &'static [u8],
}

const DATA: TestData = TestData {
    u64: 0xfedc_ba98_7654_3210,
    s64: -0x0123_4567_89ab_cdef,
    u32: 0x8765_4321,
    s32: -123_456_789,
    u16: 0xbeef,
    s16: -2,
    mac: [0x02, 0x00, 0x5e, 0x10, 0x20, 0x30],
    macs: [
        [1, 1, 1, 1, 1, 1],
        [2, 2, 2, 2, 2, 2],
        [0x33, 0, 0, 0, 0, 1],
        [0xff; 6],
    ],
    string: b"FBNIC TLV SELF TEST STRING@[\\]^",
};

/// One copy of the attributes (`fbnic_tlv_test_attr_data()`).
fn put_test_data(b: &mut MsgBuilder<'_>) -> Result<(), BuildError> {
    b.put_u64(test::U64, DATA.u64)?;
    b.put_s64(test::S64, DATA.s64)?;
    b.put_u32(test::U32, DATA.u32)?;
    b.put_s32(test::S32, DATA.s32)?;
    // The C driver widens 16-bit values to a dword.
    b.put_u32(test::U16, DATA.u16.into())?;
    b.put_s32(test::S16, DATA.s16.into())?;
    b.put_mac(test::MAC_ADDR, &DATA.mac)?;
    b.nested(test::ARRAY, |a| {
        for mac in &DATA.macs {
            a.put_mac(test::MAC_ADDR, mac)?;
        }
        Ok(())
    })?;
    b.put_flag(test::FLAG_TRUE)?;
    b.put_string(test::STRING, DATA.string)
}

/// Fills a `TEST` message: the data, then the data again nested.
pub fn put_test_message(b: &mut MsgBuilder<'_>) -> Result<(), BuildError> {
    put_test_data(b)?;
    b.nested(test::NESTED, put_test_data)
}

/// Whether `attrs` (one level) hold exactly the test data.
pub fn check_test_data(attrs: &Attrs<'_>) -> bool {
    let array_ok = match attrs.array(test::ARRAY, test::MAC_ADDR, test::SCHEMA) {
        Ok(Some(array)) => {
            array.len() == DATA.macs.len()
                && array
                    .iter()
                    .map(|a| a.mac())
                    .eq(DATA.macs.iter().map(|m| Some(*m)))
        }
        _ => false,
    };
    array_ok
        && attrs.u64(test::U64) == Some(DATA.u64)
        && attrs.s64(test::S64) == Some(DATA.s64)
        && attrs.u32(test::U32) == Some(DATA.u32)
        && attrs.s32(test::S32) == Some(DATA.s32)
        && attrs.u32(test::U16) == Some(DATA.u16.into())
        && attrs.s32(test::S16) == Some(DATA.s16.into())
        && attrs.mac(test::MAC_ADDR) == Some(DATA.mac)
        && attrs.flag(test::FLAG_TRUE)
        && !attrs.flag(test::FLAG_FALSE)
        && attrs.cstr(test::STRING) == Some(DATA.string)
}

/// Whether a `TEST` message's attributes are the ones sent, at the top
/// level and nested (`fbnic_tlv_parser_test()`).
pub fn check_test_message(attrs: &Attrs<'_>) -> bool {
    check_test_data(attrs)
        && matches!(
            attrs.nested(test::NESTED, test::SCHEMA),
            Ok(Some(nested)) if check_test_data(&nested)
        )
}
