// SPDX-License-Identifier: GPL-2.0

//! Invariants of the TLV codec (`hw/tlv`): framing, schema validation, the
//! typed getters, and parse -> build -> parse round trips.

use fbnic_hw::tlv::{
    self, AttrKind, AttrSpec, Header, Message, MsgBuilder, RawAttrs, Schema, TlvError, HDR_LEN,
    MAC_LEN, RESULTS_MAX,
};

/// One attribute as the framing walk saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub id: u16,
    pub cannot_ignore: bool,
    pub offset: usize,
    pub value: Vec<u8>,
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// Checks [`Message::parse`] on `buf`; returns the message if it framed.
pub fn check_message(buf: &[u8]) -> Option<Message<'_>> {
    match Message::parse(buf) {
        Ok(m) => {
            let hdr = m.header();
            let raw = u32::from_le_bytes(buf[..4].try_into().unwrap());
            assert_eq!(hdr, Header::from_raw(raw));
            assert!(hdr.is_msg, "framed a header without is_msg");
            assert!(hdr.id <= tlv::MSG_ID_MAX);
            assert_eq!(m.id(), hdr.id);
            assert_eq!(
                m.len(),
                usize::from(hdr.len) * 4,
                "length is not the header's"
            );
            assert!(
                m.len() >= HDR_LEN && m.len() <= buf.len(),
                "message past the buffer"
            );
            assert_eq!(m.as_bytes(), &buf[..m.len()]);
            assert!(!m.is_empty());
            Some(m)
        }
        Err(TlvError::Truncated { needed, available }) => {
            assert_eq!(available, buf.len());
            assert!(needed > available, "Truncated with enough bytes");
            None
        }
        Err(TlvError::NotMessage) => {
            assert!(buf.len() >= 4 && buf[1] & 0x80 == 0);
            None
        }
        Err(TlvError::EmptyMessage) => {
            assert!(buf.len() >= 4 && buf[2] == 0 && buf[3] == 0);
            None
        }
        Err(e) => panic!("Message::parse returned an attribute error: {e:?}"),
    }
}

/// Walks `attrs` (of a region of `region_len` bytes starting at `base` in
/// `msg`) and checks every item; returns the attributes, or the error the
/// walk ended with.
pub fn walk(
    attrs: RawAttrs<'_>,
    msg: &[u8],
    base: usize,
    region_len: usize,
) -> Result<Vec<Seen>, TlvError> {
    let mut seen = Vec::new();
    let mut next = base;
    let mut items = attrs.clone();
    while let Some(item) = items.next() {
        match item {
            Ok(a) => {
                assert_eq!(a.offset(), next, "attribute not where the previous ended");
                assert_eq!(a.offset() % 4, 0);
                assert!(usize::from(a.id()) < RESULTS_MAX);
                let start = a.offset() + HDR_LEN;
                let end = start + a.bytes().len();
                assert!(
                    align4(end) <= base + region_len,
                    "attribute past its region"
                );
                assert_eq!(
                    a.bytes(),
                    &msg[start..end],
                    "value is not the bytes in place"
                );
                let hdr = Header::from_raw(u32::from_le_bytes(
                    msg[a.offset()..a.offset() + 4].try_into().unwrap(),
                ));
                assert_eq!(usize::from(hdr.len), a.bytes().len() + HDR_LEN);
                assert_eq!(hdr.cannot_ignore, a.cannot_ignore());
                next = align4(end);
                seen.push(Seen {
                    id: a.id(),
                    cannot_ignore: a.cannot_ignore(),
                    offset: a.offset(),
                    value: a.bytes().to_vec(),
                });
            }
            Err(e) => {
                assert!(items.next().is_none(), "the walk goes on after an error");
                return Err(e);
            }
        }
        assert!(seen.len() <= region_len / 4, "more attributes than dwords");
    }
    assert_eq!(
        next,
        base + region_len,
        "the attributes do not fill the region"
    );
    Ok(seen)
}

/// Whether `value` keeps `spec`'s size rule (an independent statement of
/// `fbnic_tlv_attr_validate()`'s rules).
fn fits(spec: &AttrSpec, value: &[u8]) -> bool {
    let n = value.len();
    let within = |max: u16| n != 0 && n <= usize::from(max);
    match spec.kind {
        AttrKind::String { max_len } => within(max_len) && value.last() == Some(&0),
        AttrKind::Flag => n == 0,
        AttrKind::Unsigned { max_len } | AttrKind::Signed { max_len } => {
            max_len <= 8 && within(max_len)
        }
        AttrKind::Binary { max_len } => within(max_len),
        AttrKind::Mac => n == MAC_LEN,
        AttrKind::Nested | AttrKind::Array => n % 4 == 0,
    }
}

/// Checks the typed getters of one attribute value.
fn check_getters(a: &tlv::Attr<'_>) {
    let v = a.bytes();
    let le = |bytes: &[u8]| {
        bytes
            .iter()
            .rev()
            .fold(0u64, |acc, &b| acc << 8 | u64::from(b))
    };
    match a.u64() {
        Some(x) => {
            assert!(v.len() <= 8);
            assert_eq!(x, le(v));
            let bits = v.len() * 8;
            let s = a.s64().unwrap();
            if bits == 0 {
                assert_eq!(s, 0);
            } else if bits < 64 {
                let neg = x >> (bits - 1) & 1 == 1;
                let ext = if neg { x | !((1u64 << bits) - 1) } else { x };
                assert_eq!(s, ext as i64, "sign extension");
            } else {
                assert_eq!(s, x as i64);
            }
        }
        None => assert!(v.len() > 8 && a.s64().is_none()),
    }
    match a.u32() {
        Some(x) => assert!(v.len() <= 4 && u64::from(x) == le(v)),
        None => assert!(v.len() > 4),
    }
    if let Some(x) = a.s32() {
        assert!(v.len() <= 4 && i64::from(x) == a.s64().unwrap());
    } else {
        assert!(v.len() > 4);
    }
    match a.cstr() {
        Some(s) => {
            assert!(!s.contains(&0) && v.get(s.len()) == Some(&0));
        }
        None => assert!(!v.contains(&0)),
    }
    assert_eq!(a.mac().is_some(), v.len() == MAC_LEN);
}

/// Checks `Attrs::parse` of a region under `schema` against the framing
/// walk `seen` (`None` if the framing failed), and recurses into nests
/// and arrays; `depth` bounds the recursion.
fn check_attrs(
    parsed: Result<tlv::Attrs<'_>, TlvError>,
    seen: &Result<Vec<Seen>, TlvError>,
    schema: &Schema,
    depth: u32,
) {
    let seen = match (seen, &parsed) {
        (Err(walk_err), Err(e)) => {
            // The framing error comes first unless an earlier attribute
            // broke a schema rule.
            let _ = (walk_err, e);
            return;
        }
        (Err(walk_err), Ok(_)) => {
            panic!("schema parse accepted a region whose walk failed: {walk_err:?}")
        }
        (Ok(seen), _) => seen,
    };
    // What the schema parse must decide, computed independently.
    let mut expect_ok = true;
    let mut ids = [false; RESULTS_MAX];
    for s in seen {
        match schema.iter().find(|spec| spec.id == s.id) {
            None => expect_ok &= !s.cannot_ignore,
            Some(spec) => {
                expect_ok &= fits(spec, &s.value);
                expect_ok &= !ids[usize::from(s.id)];
                ids[usize::from(s.id)] = true;
            }
        }
    }
    let attrs = match parsed {
        Ok(attrs) => {
            assert!(expect_ok, "schema parse accepted an invalid region");
            attrs
        }
        Err(e) => {
            assert!(!expect_ok, "schema parse rejected a valid region: {e:?}");
            return;
        }
    };
    for id in 0..RESULTS_MAX as u16 + 2 {
        let known = schema.iter().find(|spec| spec.id == id);
        let first = seen.iter().find(|s| s.id == id);
        let got = attrs.get(id);
        match (known, first) {
            (Some(spec), Some(s)) => {
                let a = got.expect("a present known attribute is not found");
                assert_eq!(a.bytes(), s.value);
                assert_eq!(a.offset(), s.offset);
                assert!(attrs.flag(id));
                check_getters(&a);
                if depth < 4 {
                    match spec.kind {
                        AttrKind::Nested => check_nested(&a, schema, depth + 1),
                        AttrKind::Array => check_array(&a, schema, depth + 1),
                        _ => {}
                    }
                }
            }
            _ => assert!(
                got.is_none(),
                "attribute {id} found though unknown or absent"
            ),
        }
    }
}

fn check_nested(a: &tlv::Attr<'_>, schema: &Schema, depth: u32) {
    let seen = walk_region(a.bytes(), a.offset() + HDR_LEN);
    check_attrs(a.nested(schema), &seen, schema, depth);
    check_attrs(a.nested(&[]), &seen, &[], depth);
}

fn check_array(a: &tlv::Attr<'_>, schema: &Schema, depth: u32) {
    let _ = depth;
    let seen = walk_region(a.bytes(), a.offset() + HDR_LEN);
    let elem = match &seen {
        Ok(v) => v.first().map_or(0, |s| s.id),
        Err(_) => 0,
    };
    match a.array(elem, schema) {
        Ok(arr) => {
            let seen = seen.expect("an array whose walk failed was accepted");
            assert_eq!(arr.len(), seen.len());
            assert_eq!(arr.is_empty(), seen.is_empty());
            let spec = schema.iter().find(|s| s.id == elem);
            for (x, s) in arr.iter().zip(seen.iter()) {
                assert_eq!(x.id(), elem);
                assert_eq!(x.bytes(), s.value);
                if let Some(spec) = spec {
                    assert!(fits(spec, x.bytes()));
                }
                check_getters(&x);
            }
            assert_eq!(arr.iter().count(), seen.len());
        }
        Err(e) => {
            if let Ok(seen) = &seen {
                let spec = schema.iter().find(|s| s.id == elem);
                let bad = seen
                    .iter()
                    .any(|s| s.id != elem || spec.is_some_and(|sp| !fits(sp, &s.value)));
                assert!(bad, "a valid array was rejected: {e:?}");
            }
        }
    }
}

/// The framing walk of `region` (the value of a nest or array that starts
/// at `base` in its message), through a message made of just that region
/// so that the public API walks it.
fn walk_region(region: &[u8], base: usize) -> Result<Vec<Seen>, TlvError> {
    let dwords = (HDR_LEN + region.len()).div_ceil(4);
    let mut m = vec![0u8; dwords * 4];
    let hdr = Header {
        id: 0,
        cannot_ignore: false,
        is_msg: true,
        len: u16::try_from(dwords).expect("a region of an attribute fits a message"),
    };
    m[..4].copy_from_slice(&hdr.to_raw().to_le_bytes());
    m[4..4 + region.len()].copy_from_slice(region);
    let msg = Message::parse(&m).expect("a region of dwords frames");
    walk(msg.raw_attrs(), &m, HDR_LEN, m.len() - HDR_LEN).map(|v| {
        v.into_iter()
            .map(|s| Seen {
                offset: s.offset - HDR_LEN + base,
                ..s
            })
            .collect()
    })
}

/// Every schema a message ID has in either direction, and the empty one.
fn schemas(id: u16) -> Vec<&'static Schema> {
    let mut out: Vec<&'static Schema> = vec![&[]];
    out.extend(tlv::fw_to_host_schema(id));
    out.extend(tlv::host_to_fw_schema(id));
    out
}

/// Checks everything about `buf` as a TLV message: framing, every schema
/// of its ID, the getters, nests and arrays, and the rebuild round trip.
pub fn check_tlv(buf: &[u8]) {
    let Some(m) = check_message(buf) else {
        return;
    };
    let bytes = m.as_bytes();
    let seen = walk(m.raw_attrs(), bytes, HDR_LEN, m.len() - HDR_LEN);
    for schema in schemas(m.id()) {
        check_attrs(m.attrs(schema), &seen, schema, 0);
        if m.id() == tlv::msg::TEST {
            if let Ok(a) = m.attrs(schema) {
                let _ = tlv::selftest::check_test_message(&a);
            }
        }
    }
    if let Ok(seen) = &seen {
        check_rebuild(&m, seen);
    }
}

/// Parse -> build -> parse: the builder, fed the attributes the parser
/// found, makes a message that parses to the same attributes and the same
/// schema verdicts; byte for byte the same when the input was canonical
/// (no cannot_ignore or reserved header bits, zero padding).
fn check_rebuild(m: &Message<'_>, seen: &[Seen]) {
    let mut buf = vec![0u8; m.len()];
    let mut b = MsgBuilder::new(&mut buf, m.id()).expect("message id fits");
    for s in seen {
        b.put_bytes(s.id, &s.value)
            .expect("an attribute that parsed fits again");
    }
    assert_eq!(b.len(), m.len());
    let out = b.finish().to_vec();
    let again = Message::parse(&out).expect("a built message frames");
    assert_eq!(again.id(), m.id());
    let seen2 =
        walk(again.raw_attrs(), &out, HDR_LEN, out.len() - HDR_LEN).expect("a built message walks");
    assert_eq!(seen2.len(), seen.len());
    for (a, b) in seen.iter().zip(&seen2) {
        assert_eq!((a.id, a.offset, &a.value), (b.id, b.offset, &b.value));
        assert!(!b.cannot_ignore);
    }
    let canonical = |buf: &[u8]| {
        let hdr_raw = u32::from_le_bytes(buf[..4].try_into().unwrap());
        hdr_raw & 0x7000 == 0
            && seen.iter().all(|s| {
                let raw = u32::from_le_bytes(buf[s.offset..s.offset + 4].try_into().unwrap());
                let end = s.offset + HDR_LEN + s.value.len();
                raw & 0x7000 == 0 && buf[end..align4(end)].iter().all(|&x| x == 0)
            })
    };
    if canonical(m.as_bytes()) {
        assert_eq!(
            out,
            m.as_bytes(),
            "a canonical message did not rebuild byte for byte"
        );
    }
    if seen.iter().all(|s| !s.cannot_ignore) {
        for schema in schemas(m.id()) {
            assert_eq!(
                m.attrs(schema).is_ok(),
                again.attrs(schema).is_ok(),
                "schema verdict changed by the rebuild"
            );
        }
    }
}
