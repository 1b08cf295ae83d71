// SPDX-License-Identifier: GPL-2.0

//! The parsing half of the codec: the header, the schema types and the
//! validating, zero-copy reader of messages and their attributes.

use super::{
    align4,
    read_u32,
    HDR_LEN,
    MAC_LEN,
    RAW_DATA_MAX,
    RESULTS_MAX, //
};

/// A decoded TLV header (of a message or an attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Message or attribute ID (12 bits).
    pub id: u16,
    /// The receiver must reject the message if it does not know this
    /// attribute.
    pub cannot_ignore: bool,
    /// This header starts a message.
    pub is_msg: bool,
    /// Length: dwords for a message, bytes for an attribute, header
    /// included.
    pub len: u16,
}

impl Header {
    const ID_MASK: u32 = 0xfff;
    const CANNOT_IGNORE: u32 = 1 << 14;
    const IS_MSG: u32 = 1 << 15;

    /// Decodes a header dword; the two reserved bits are ignored, as the C
    /// parser does.
    pub const fn from_raw(raw: u32) -> Self {
        Self {
            id: (raw & Self::ID_MASK) as u16,
            cannot_ignore: raw & Self::CANNOT_IGNORE != 0,
            is_msg: raw & Self::IS_MSG != 0,
            len: (raw >> 16) as u16,
        }
    }

    /// Encodes the header; ID bits above 11 are dropped.
    pub const fn to_raw(self) -> u32 {
        (self.id as u32 & Self::ID_MASK)
            | if self.cannot_ignore {
                Self::CANNOT_IGNORE
            } else {
                0
            }
            | if self.is_msg { Self::IS_MSG } else { 0 }
            | (self.len as u32) << 16
    }
}

/// Why a TLV message was rejected. Offsets are in bytes from the start of
/// the message. The C driver's errno for the same condition is noted on
/// each variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlvError {
    /// The buffer is shorter than the header or than the length the message
    /// header claims (C: reads past the data, or `-E2BIG` beyond a page).
    Truncated {
        /// Bytes the message needs.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// The first header does not have `is_msg` set (`-EINVAL`).
    NotMessage,
    /// The message length is 0 dwords, so not even the header is covered
    /// (`-EINVAL`).
    EmptyMessage,
    /// An attribute header has `is_msg` set (`-EINVAL`).
    AttrIsMessage {
        /// Offset of the attribute.
        offset: usize,
    },
    /// An attribute ID is not below [`RESULTS_MAX`] (`-EINVAL`).
    AttrIdOutOfRange {
        /// The ID.
        id: u16,
        /// Offset of the attribute.
        offset: usize,
    },
    /// An attribute length does not even cover its header.
    AttrTooShort {
        /// The ID.
        id: u16,
        /// Offset of the attribute.
        offset: usize,
        /// Length found.
        len: u16,
    },
    /// An attribute runs past the end of its message or nest, i.e. the
    /// attributes do not exactly fill it (`-EINVAL`).
    AttrOverrun {
        /// The ID (0 if not even its header fits).
        id: u16,
        /// Offset of the attribute.
        offset: usize,
    },
    /// An attribute unknown to the schema has `cannot_ignore` set
    /// (`-ENOENT`).
    UnknownRequired {
        /// The ID.
        id: u16,
    },
    /// An attribute ID appears twice (`-EADDRINUSE`).
    Duplicate {
        /// The ID.
        id: u16,
    },
    /// An attribute's value size breaks its type's rule, or the schema's
    /// own size is impossible (`-EINVAL`).
    BadSize {
        /// The ID.
        id: u16,
        /// Value bytes found (header excluded).
        len: usize,
    },
    /// A string attribute does not end with its NUL (`-EINVAL`).
    UnterminatedString {
        /// The ID.
        id: u16,
    },
    /// An array element has another ID than the array's element ID
    /// (`-EINVAL`).
    ArrayElement {
        /// Expected element ID.
        expected: u16,
        /// ID found.
        found: u16,
    },
}

impl core::fmt::Display for TlvError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::Truncated { needed, available } => {
                write!(f, "message needs {needed} bytes, buffer has {available}")
            }
            Self::NotMessage => f.write_str("first header is not a message header"),
            Self::EmptyMessage => f.write_str("message length is 0"),
            Self::AttrIsMessage { offset } => write!(f, "attribute at {offset} has is_msg set"),
            Self::AttrIdOutOfRange { id, offset } => {
                write!(f, "attribute id {id} at {offset} out of range")
            }
            Self::AttrTooShort { id, offset, len } => {
                write!(f, "attribute {id} at {offset} has length {len} < header")
            }
            Self::AttrOverrun { id, offset } => {
                write!(f, "attribute {id} at {offset} runs past its container")
            }
            Self::UnknownRequired { id } => {
                write!(f, "unknown attribute {id} marked cannot_ignore")
            }
            Self::Duplicate { id } => write!(f, "duplicate attribute {id}"),
            Self::BadSize { id, len } => write!(f, "attribute {id} has invalid size {len}"),
            Self::UnterminatedString { id } => write!(f, "string attribute {id} lacks its NUL"),
            Self::ArrayElement { expected, found } => {
                write!(f, "array element {found} where {expected} expected")
            }
        }
    }
}

/// What a schema says an attribute holds, with the size rule it implies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrKind {
    /// A NUL-terminated string of at most `max_len` bytes including the NUL.
    String {
        /// Largest value size, NUL included.
        max_len: u16,
    },
    /// Presence only; no value.
    Flag,
    /// Little-endian unsigned integer of 1..=`max_len` bytes (`max_len` <= 8).
    Unsigned {
        /// Largest value size.
        max_len: u16,
    },
    /// Little-endian signed integer of 1..=`max_len` bytes (`max_len` <= 8),
    /// sign-extended from its top byte.
    Signed {
        /// Largest value size.
        max_len: u16,
    },
    /// Opaque bytes, 1..=`max_len` of them.
    Binary {
        /// Largest value size.
        max_len: u16,
    },
    /// An Ethernet address: exactly 6 bytes. (The C index declares these
    /// as binary of at most 6 bytes but always copies 6.)
    Mac,
    /// Attributes parsed with their own schema; a multiple of 4 bytes.
    Nested,
    /// Repeated attributes of one ID; a multiple of 4 bytes.
    Array,
}

/// One entry of a schema: an attribute ID and what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrSpec {
    /// Attribute ID.
    pub id: u16,
    /// Type and size rule.
    pub kind: AttrKind,
}

impl AttrSpec {
    /// A string of at most `max_len` bytes, NUL included.
    pub const fn string(id: u16, max_len: u16) -> Self {
        Self {
            id,
            kind: AttrKind::String { max_len },
        }
    }
    /// A flag.
    pub const fn flag(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Flag,
        }
    }
    /// An unsigned integer of up to 4 bytes.
    pub const fn u32(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Unsigned { max_len: 4 },
        }
    }
    /// An unsigned integer of up to 8 bytes.
    pub const fn u64(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Unsigned { max_len: 8 },
        }
    }
    /// A signed integer of up to 4 bytes.
    pub const fn s32(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Signed { max_len: 4 },
        }
    }
    /// A signed integer of up to 8 bytes.
    pub const fn s64(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Signed { max_len: 8 },
        }
    }
    /// An Ethernet address.
    pub const fn mac(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Mac,
        }
    }
    /// Raw data of up to [`RAW_DATA_MAX`] bytes.
    pub const fn raw_data(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Binary {
                max_len: RAW_DATA_MAX,
            },
        }
    }
    /// A nested attribute set.
    pub const fn nested(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Nested,
        }
    }
    /// An array.
    pub const fn array(id: u16) -> Self {
        Self {
            id,
            kind: AttrKind::Array,
        }
    }

    /// Checks `value` (the attribute's bytes after its header) against this
    /// spec's size rule.
    fn check(&self, value: &[u8]) -> Result<(), TlvError> {
        let len = value.len();
        let bad = TlvError::BadSize { id: self.id, len };
        let within = |max: u16| len != 0 && len <= usize::from(max);
        match self.kind {
            AttrKind::String { max_len } => {
                if !within(max_len) {
                    return Err(bad);
                }
                if value.last() != Some(&0) {
                    return Err(TlvError::UnterminatedString { id: self.id });
                }
            }
            AttrKind::Flag => {
                if len != 0 {
                    return Err(bad);
                }
            }
            AttrKind::Unsigned { max_len } | AttrKind::Signed { max_len } => {
                if max_len > 8 || !within(max_len) {
                    return Err(bad);
                }
            }
            AttrKind::Binary { max_len } => {
                if !within(max_len) {
                    return Err(bad);
                }
            }
            AttrKind::Mac => {
                if len != MAC_LEN {
                    return Err(bad);
                }
            }
            AttrKind::Nested | AttrKind::Array => {
                if len % 4 != 0 {
                    return Err(bad);
                }
            }
        }
        Ok(())
    }
}

/// The attributes a receiver knows for one message (or nest): anything not
/// listed is unknown.
pub type Schema = [AttrSpec];

fn lookup(schema: &Schema, id: u16) -> Option<&AttrSpec> {
    schema.iter().find(|spec| spec.id == id)
}

/// One attribute inside a parsed message: its header fields and value bytes
/// (exactly `len - 4` of them, padding excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    id: u16,
    cannot_ignore: bool,
    offset: usize,
    value: &'a [u8],
}

impl<'a> Attr<'a> {
    /// Attribute ID.
    pub fn id(&self) -> u16 {
        self.id
    }

    /// Whether the sender marked the attribute mandatory.
    pub fn cannot_ignore(&self) -> bool {
        self.cannot_ignore
    }

    /// Offset of the attribute header from the start of the message.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The value bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.value
    }

    /// The value zero-extended from its 0..=8 little-endian bytes, or
    /// `None` if it is longer (`fbnic_tlv_attr_get_unsigned()`).
    pub fn u64(&self) -> Option<u64> {
        if self.value.len() > 8 {
            return None;
        }
        let mut le = [0u8; 8];
        le.get_mut(..self.value.len())?.copy_from_slice(self.value);
        Some(u64::from_le_bytes(le))
    }

    /// The value as an unsigned integer of at most 4 bytes.
    pub fn u32(&self) -> Option<u32> {
        if self.value.len() > 4 {
            return None;
        }
        self.u64().and_then(|v| u32::try_from(v).ok())
    }

    /// The value sign-extended from its 0..=8 bytes
    /// (`fbnic_tlv_attr_get_signed()`); an empty value is 0.
    pub fn s64(&self) -> Option<i64> {
        let raw = self.u64()?;
        let bits = self.value.len() as u32 * 8;
        if bits == 0 {
            return Some(0);
        }
        let shift = 64 - bits;
        Some(((raw << shift) as i64) >> shift)
    }

    /// The value as a signed integer of at most 4 bytes.
    pub fn s32(&self) -> Option<i32> {
        if self.value.len() > 4 {
            return None;
        }
        self.s64().and_then(|v| i32::try_from(v).ok())
    }

    /// The string's bytes before its first NUL, or `None` if the value has
    /// no NUL at all.
    pub fn cstr(&self) -> Option<&'a [u8]> {
        let end = self.value.iter().position(|&b| b == 0)?;
        self.value.get(..end)
    }

    /// [`Attr::cstr`] as UTF-8 text.
    pub fn str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.cstr()?).ok()
    }

    /// The value as an Ethernet address, if it is exactly 6 bytes.
    pub fn mac(&self) -> Option<[u8; MAC_LEN]> {
        self.value.try_into().ok()
    }

    /// Parses the value as a nested attribute set under `schema`.
    pub fn nested(&self, schema: &Schema) -> Result<Attrs<'a>, TlvError> {
        Attrs::parse(self.value, self.offset + HDR_LEN, schema)
    }

    /// Parses the value as an array whose elements all have ID `elem_id`,
    /// each validated against `elem_id`'s entry in `schema` when it has one.
    pub fn array(&self, elem_id: u16, schema: &Schema) -> Result<Array<'a>, TlvError> {
        Array::parse(self.value, self.offset + HDR_LEN, elem_id, schema)
    }
}

/// Iterator over the attributes of a message or nest, checking only the
/// framing (header, ID range, length); it yields one error and then stops.
#[derive(Clone, Debug)]
pub struct RawAttrs<'a> {
    region: &'a [u8],
    pos: usize,
    base: usize,
    failed: bool,
}

impl<'a> RawAttrs<'a> {
    fn new(region: &'a [u8], base: usize) -> Self {
        Self {
            region,
            pos: 0,
            base,
            failed: false,
        }
    }

    fn step(&mut self) -> Result<Attr<'a>, TlvError> {
        let offset = self.base + self.pos;
        let Some(raw) = read_u32(self.region, self.pos) else {
            return Err(TlvError::AttrOverrun { id: 0, offset });
        };
        let hdr = Header::from_raw(raw);
        if hdr.is_msg {
            return Err(TlvError::AttrIsMessage { offset });
        }
        if usize::from(hdr.id) >= RESULTS_MAX {
            return Err(TlvError::AttrIdOutOfRange { id: hdr.id, offset });
        }
        let len = usize::from(hdr.len);
        if len < HDR_LEN {
            return Err(TlvError::AttrTooShort {
                id: hdr.id,
                offset,
                len: hdr.len,
            });
        }
        let rest = self.region.len().saturating_sub(self.pos);
        if align4(len) > rest {
            return Err(TlvError::AttrOverrun { id: hdr.id, offset });
        }
        let value = self
            .region
            .get(self.pos + HDR_LEN..self.pos + len)
            .ok_or(TlvError::AttrOverrun { id: hdr.id, offset })?;
        self.pos += align4(len);
        Ok(Attr {
            id: hdr.id,
            cannot_ignore: hdr.cannot_ignore,
            offset,
            value,
        })
    }
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<Attr<'a>, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.region.len() {
            return None;
        }
        let item = self.step();
        self.failed = item.is_err();
        Some(item)
    }
}

/// The validated attributes of a message or nest, indexed by ID.
///
/// Holds only offsets into the message, so it stays small enough for a
/// kernel stack (about 150 bytes).
#[derive(Clone, Debug)]
pub struct Attrs<'a> {
    region: &'a [u8],
    base: usize,
    /// Offset within `region` of each ID's attribute, `u32::MAX` if absent.
    slots: [u32; RESULTS_MAX],
}

impl<'a> Attrs<'a> {
    const ABSENT: u32 = u32::MAX;

    /// Walks `region` (attributes only, `base` = its offset in the message)
    /// and validates every attribute `schema` knows.
    fn parse(region: &'a [u8], base: usize, schema: &Schema) -> Result<Self, TlvError> {
        let mut attrs = Self {
            region,
            base,
            slots: [Self::ABSENT; RESULTS_MAX],
        };
        for attr in RawAttrs::new(region, base) {
            let attr = attr?;
            let Some(spec) = lookup(schema, attr.id) else {
                if attr.cannot_ignore {
                    return Err(TlvError::UnknownRequired { id: attr.id });
                }
                continue;
            };
            spec.check(attr.value)?;
            let slot =
                attrs
                    .slots
                    .get_mut(usize::from(attr.id))
                    .ok_or(TlvError::AttrIdOutOfRange {
                        id: attr.id,
                        offset: attr.offset,
                    })?;
            if *slot != Self::ABSENT {
                return Err(TlvError::Duplicate { id: attr.id });
            }
            *slot = u32::try_from(attr.offset - base).map_err(|_| TlvError::AttrOverrun {
                id: attr.id,
                offset: attr.offset,
            })?;
        }
        Ok(attrs)
    }

    /// The attribute with ID `id`, if present and known to the schema.
    pub fn get(&self, id: u16) -> Option<Attr<'a>> {
        let off = *self.slots.get(usize::from(id))?;
        if off == Self::ABSENT {
            return None;
        }
        let mut walker = RawAttrs::new(self.region, self.base);
        walker.pos = usize::try_from(off).ok()?;
        walker.step().ok()
    }

    /// Whether attribute `id` is present (how flags are read).
    pub fn flag(&self, id: u16) -> bool {
        self.get(id).is_some()
    }

    /// Attribute `id` as a u32, if present and at most 4 bytes.
    pub fn u32(&self, id: u16) -> Option<u32> {
        self.get(id)?.u32()
    }

    /// Attribute `id` as a u64, if present and at most 8 bytes.
    pub fn u64(&self, id: u16) -> Option<u64> {
        self.get(id)?.u64()
    }

    /// Attribute `id` as an i32, if present and at most 4 bytes.
    pub fn s32(&self, id: u16) -> Option<i32> {
        self.get(id)?.s32()
    }

    /// Attribute `id` as an i64, if present and at most 8 bytes.
    pub fn s64(&self, id: u16) -> Option<i64> {
        self.get(id)?.s64()
    }

    /// Attribute `id`'s string bytes (before the NUL), if present.
    pub fn cstr(&self, id: u16) -> Option<&'a [u8]> {
        self.get(id)?.cstr()
    }

    /// Attribute `id` as UTF-8 text, if present and valid.
    pub fn str(&self, id: u16) -> Option<&'a str> {
        self.get(id)?.str()
    }

    /// Attribute `id` as an Ethernet address, if present and 6 bytes.
    pub fn mac(&self, id: u16) -> Option<[u8; MAC_LEN]> {
        self.get(id)?.mac()
    }

    /// Attribute `id` parsed as a nest under `schema`; `Ok(None)` if absent.
    pub fn nested(&self, id: u16, schema: &Schema) -> Result<Option<Attrs<'a>>, TlvError> {
        self.get(id).map(|a| a.nested(schema)).transpose()
    }

    /// Attribute `id` parsed as an array of `elem_id`; `Ok(None)` if absent.
    pub fn array(
        &self,
        id: u16,
        elem_id: u16,
        schema: &Schema,
    ) -> Result<Option<Array<'a>>, TlvError> {
        self.get(id).map(|a| a.array(elem_id, schema)).transpose()
    }
}

/// A validated array attribute: a run of attributes sharing one ID.
#[derive(Clone, Debug)]
pub struct Array<'a> {
    region: &'a [u8],
    base: usize,
    len: usize,
}

impl<'a> Array<'a> {
    fn parse(
        region: &'a [u8],
        base: usize,
        elem_id: u16,
        schema: &Schema,
    ) -> Result<Self, TlvError> {
        let spec = lookup(schema, elem_id);
        let mut len = 0;
        for attr in RawAttrs::new(region, base) {
            let attr = attr?;
            if attr.id != elem_id {
                return Err(TlvError::ArrayElement {
                    expected: elem_id,
                    found: attr.id,
                });
            }
            if let Some(spec) = spec {
                spec.check(attr.value)?;
            }
            len += 1;
        }
        Ok(Self { region, base, len })
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The elements in order.
    pub fn iter(&self) -> impl Iterator<Item = Attr<'a>> + 'a {
        // Validated on construction: the walk cannot fail here.
        RawAttrs::new(self.region, self.base).map_while(Result::ok)
    }
}

/// A framed mailbox message: a valid header whose length fits the buffer.
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    hdr: Header,
    bytes: &'a [u8],
}

impl<'a> Message<'a> {
    /// Checks the message header at the start of `buf` and that the buffer
    /// holds the whole message. Bytes after the message are ignored (the
    /// mailbox buffer may be longer than the message).
    pub fn parse(buf: &'a [u8]) -> Result<Self, TlvError> {
        let raw = read_u32(buf, 0).ok_or(TlvError::Truncated {
            needed: HDR_LEN,
            available: buf.len(),
        })?;
        let hdr = Header::from_raw(raw);
        if !hdr.is_msg {
            return Err(TlvError::NotMessage);
        }
        if hdr.len == 0 {
            return Err(TlvError::EmptyMessage);
        }
        let needed = usize::from(hdr.len) * 4;
        let bytes = buf.get(..needed).ok_or(TlvError::Truncated {
            needed,
            available: buf.len(),
        })?;
        Ok(Self { hdr, bytes })
    }

    /// Message ID.
    pub fn id(&self) -> u16 {
        self.hdr.id
    }

    /// The message header.
    pub fn header(&self) -> Header {
        self.hdr
    }

    /// The message's bytes, header included.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Message length in bytes, header included.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always false: a framed message holds at least its header.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The attributes with framing checks only, for tools that do not know
    /// the message (dumps, echo).
    pub fn raw_attrs(&self) -> RawAttrs<'a> {
        RawAttrs::new(self.bytes.get(HDR_LEN..).unwrap_or(&[]), HDR_LEN)
    }

    /// Validates the attributes against `schema` and indexes them.
    pub fn attrs(&self, schema: &Schema) -> Result<Attrs<'a>, TlvError> {
        Attrs::parse(self.bytes.get(HDR_LEN..).unwrap_or(&[]), HDR_LEN, schema)
    }
}
