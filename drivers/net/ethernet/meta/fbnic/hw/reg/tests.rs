// SPDX-License-Identifier: GPL-2.0

//! Unit tests of the register macros: locations, decoding, fields, access
//! rules and typed access through [`Io32`].

use super::*;

index! {
    /// Test index.
    pub I4 < 4;
}
index! {
    /// Test index.
    pub J3 < 3;
}

register! {
    /// A single register.
    pub ONE(Bar0) @ 0x10 = "ONE", reset(5) {
        /// Low byte.
        LO: 7:0 = "ONE_LO";
        /// Top bit.
        TOP: 31:31 = "ONE_TOP";
    }
    /// An array.
    pub ARR(Bar0) @ 0x100, [I4 * 4] = "ARR(n)", writable(0xff) {}
    /// A read-only array of arrays.
    pub TWO(Bar4) @ 0x200, [I4 * 0x10, J3 * 2] = "TWO(n, m)", read_only() {}
    /// Write one to clear.
    pub STS(Bar0) @ 0x20 = "STS", w1c() {}
}

#[test]
fn locations_follow_the_declaration() {
    assert_eq!(ONE::AT.index(), 0x10);
    assert_eq!(ONE::AT.loc().byte_offset(), 0x40);
    let i = I4::new(3).unwrap();
    assert_eq!(ARR::at(i).index(), 0x10c);
    assert_eq!(TWO::at(i, J3::new(2).unwrap()).index(), 0x234);
    assert_eq!(I4::new(4), None);
    assert_eq!(I4::all().count(), 4);
    assert_eq!(I4::new_const::<2>().get(), 2);
}

#[test]
fn instances_decode_back() {
    assert_eq!(ARR::decode(0x108), I4::new(2));
    assert_eq!(ARR::decode(0x109), None, "between instances");
    assert_eq!(ARR::decode(0x110), None, "past the array");
    assert_eq!(ARR::decode(0xff), None, "before the array");
    assert_eq!(
        TWO::decode(0x232),
        Some((I4::new(3).unwrap(), J3::new(1).unwrap()))
    );
    assert_eq!(TWO::decode(0x206), None, "past the inner array");
    assert_eq!(ONE::INFO.instance(0x10), Some((0, 0)));
    assert_eq!(ONE::INFO.instance(0x11), None);
    assert_eq!(ARR::INFO.count(), 4);
    assert_eq!(TWO::INFO.count(), 12);
}

#[test]
fn fields_and_values() {
    let v = ONE::zeroed().with(ONE::LO, 0x1ab).set(ONE::TOP);
    assert_eq!(v.raw(), 0x8000_00ab, "LO keeps 8 bits");
    assert_eq!(v.get(ONE::LO), 0xab);
    assert!(v.is_set(ONE::TOP));
    assert!(!v.clear(ONE::TOP).is_set(ONE::TOP));
    assert_eq!(ONE::INFO.fields.len(), 2);
    assert_eq!(ONE::INFO.fields[1].mask, 1 << 31);
    assert_eq!(ONE::INFO.fields[1].c, "ONE_TOP");
}

#[test]
fn access_rules_decide_writes() {
    assert_eq!(ONE::INFO.reset, 5);
    assert_eq!(ONE::INFO.apply_write(0, 0x1234), Some(0x1234));
    assert_eq!(ARR::INFO.apply_write(0, 0x1234), Some(0x34));
    assert_eq!(TWO::INFO.apply_write(7, 0x1234), None);
    assert_eq!(TWO::INFO.bar, 4);
    assert_eq!(STS::INFO.apply_write(0b1011, 0b0010), Some(0b1001));
}

struct File(core::cell::RefCell<[u32; 0x400]>);

impl Io32<Bar0> for File {
    fn read32(&self, loc: Loc<Bar0>) -> u32 {
        self.0.borrow()[loc.index() as usize]
    }
    fn write32(&self, loc: Loc<Bar0>, value: u32) {
        self.0.borrow_mut()[loc.index() as usize] = value;
    }
}

#[test]
fn typed_access_through_io32() {
    let f = File(core::cell::RefCell::new([0; 0x400]));
    f.write(ONE::AT, ONE::zeroed().with(ONE::LO, 7));
    assert_eq!(f.read(ONE::AT).get(ONE::LO), 7);
    f.update(ONE::AT, |v| v.set(ONE::TOP));
    assert_eq!(f.read_raw(ONE::AT), 0x8000_0007);
    f.write_raw(ARR::at(I4::new(1).unwrap()), 9);
    assert_eq!(f.0.borrow()[0x104], 9);
}
