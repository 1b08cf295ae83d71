// SPDX-License-Identifier: GPL-2.0

//! The firmware mailbox's TLV message format: a strict zero-copy parser, a
//! builder into caller-provided buffers, and the message/attribute IDs and
//! attribute schemas of every message the C driver sends or understands.
//!
//! # Wire format
//!
//! Everything is a sequence of little-endian dwords. A message and each of
//! its attributes start with the same 32-bit header ([`Header`]):
//!
//! ```text
//!  31            16 15 14 13 12 11           0
//! +----------------+--+--+-----+--------------+
//! |     length     | M| I| rsv |   type / ID  |
//! +----------------+--+--+-----+--------------+
//! ```
//!
//! - `M` (`is_msg`) is set on the message header only. A message's length
//!   counts **dwords**, header included.
//! - An attribute's length counts **bytes**, header included; the next
//!   attribute starts at the length rounded up to 4. The attributes must
//!   fill the message exactly.
//! - `I` (`cannot_ignore`) asks the receiver to reject the message if it
//!   does not know the attribute; unknown attributes without it are skipped
//!   so that firmware can add fields without breaking old drivers.
//! - Attribute IDs are below [`RESULTS_MAX`] (the C parser's lookup table).
//! - Nested and array attributes carry attributes as their value; an array
//!   repeats a single element ID.
//!
//! # Validation
//!
//! [`Message::parse`] checks the message header and framing;
//! [`Message::attrs`] then walks the attributes and validates each known
//! one against a [`Schema`], with the rules of `fbnic_tlv_attr_validate()`:
//! strings must fit their maximum and end with their NUL, flags carry no
//! value, integers hold 1..=N bytes, binary data 1..=N, MAC addresses
//! exactly 6, nested/array values a multiple of 4 bytes; a duplicate ID is
//! an error. Any failure rejects the whole message, as in C. Malformed input
//! of any kind produces a [`TlvError`]; nothing in this module indexes out
//! of bounds or panics.

/// Bytes in a TLV header.
pub const HDR_LEN: usize = 4;

/// Attribute IDs must be below this (`FBNIC_TLV_RESULTS_MAX`).
pub const RESULTS_MAX: usize = 32;

/// Largest payload of a raw-data attribute (`TLV_MAX_DATA` on 4 KiB pages,
/// which is what the firmware assumes: a 4096-byte message minus room for
/// the headers around it).
pub const RAW_DATA_MAX: u16 = 4096 - 512;

/// Largest message ID (12 bits).
pub const MSG_ID_MAX: u16 = 0xfff;

/// Bytes in an Ethernet address.
pub const MAC_LEN: usize = 6;

const fn align4(n: usize) -> usize {
    // Callers pass lengths that came from a u16 or a slice; saturation is
    // only a defence, it cannot change a result that fits.
    n.saturating_add(3) & !3
}

fn read_u32(buf: &[u8], off: usize) -> Option<u32> {
    let bytes = buf.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

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

/// Why a message could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// The buffer is too small (C: `-ENOSPC`).
    NoSpace {
        /// Bytes the message would need.
        needed: usize,
        /// Buffer size.
        available: usize,
    },
    /// A message ID above [`MSG_ID_MAX`] or an attribute ID not below
    /// [`RESULTS_MAX`].
    BadId {
        /// The ID.
        id: u16,
    },
    /// An attribute or message longer than its 16-bit length field allows.
    TooLong {
        /// Length in bytes.
        len: usize,
    },
    /// A string to send contains a NUL before its end.
    InteriorNul {
        /// Attribute ID.
        id: u16,
    },
}

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::NoSpace { needed, available } => {
                write!(f, "message needs {needed} bytes, buffer has {available}")
            }
            Self::BadId { id } => write!(f, "id {id} out of range"),
            Self::TooLong { len } => write!(f, "length {len} exceeds its field"),
            Self::InteriorNul { id } => write!(f, "string for attribute {id} contains NUL"),
        }
    }
}

/// Writes one message into a caller-provided buffer.
///
/// Each `put_*` either appends a whole attribute or leaves the buffer's
/// message unchanged and returns an error, so a caller may try optional
/// attributes and carry on. The message header is kept current, so the
/// bytes returned by [`MsgBuilder::finish`] are always a valid message.
#[derive(Debug)]
pub struct MsgBuilder<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> MsgBuilder<'b> {
    /// Starts message `msg_id` at the beginning of `buf`.
    pub fn new(buf: &'b mut [u8], msg_id: u16) -> Result<Self, BuildError> {
        if msg_id > MSG_ID_MAX {
            return Err(BuildError::BadId { id: msg_id });
        }
        let mut builder = Self { buf, len: 0 };
        builder.reserve(HDR_LEN)?;
        builder.write_hdr(
            0,
            Header {
                id: msg_id,
                cannot_ignore: false,
                is_msg: true,
                len: 1,
            },
        );
        builder.len = HDR_LEN;
        Ok(builder)
    }

    fn reserve(&self, more: usize) -> Result<(), BuildError> {
        let needed = self.len.saturating_add(more);
        if needed > self.buf.len() {
            return Err(BuildError::NoSpace {
                needed,
                available: self.buf.len(),
            });
        }
        if needed / 4 > usize::from(u16::MAX) {
            return Err(BuildError::TooLong { len: needed });
        }
        Ok(())
    }

    fn write_hdr(&mut self, at: usize, hdr: Header) {
        if let Some(dst) = self.buf.get_mut(at..at + HDR_LEN) {
            dst.copy_from_slice(&hdr.to_raw().to_le_bytes());
        }
    }

    /// Updates the message header's dword count to the current length.
    fn sync_msg_len(&mut self) {
        if let Some(dst) = self.buf.get_mut(2..4) {
            // reserve() keeps len / 4 within u16.
            dst.copy_from_slice(&((self.len / 4) as u16).to_le_bytes());
        }
    }

    /// Appends attribute `id` whose value is the concatenation of `parts`,
    /// zero padding it to a dword.
    fn put_attr(&mut self, id: u16, parts: &[&[u8]]) -> Result<(), BuildError> {
        if usize::from(id) >= RESULTS_MAX {
            return Err(BuildError::BadId { id });
        }
        let value_len = parts.iter().fold(0usize, |n, p| n.saturating_add(p.len()));
        let attr_len = value_len.saturating_add(HDR_LEN);
        let len16 = u16::try_from(attr_len).map_err(|_| BuildError::TooLong { len: attr_len })?;
        let padded = align4(attr_len);
        self.reserve(padded)?;
        let at = self.len;
        self.write_hdr(
            at,
            Header {
                id,
                cannot_ignore: false,
                is_msg: false,
                len: len16,
            },
        );
        let mut pos = at + HDR_LEN;
        for part in parts {
            if let Some(dst) = self.buf.get_mut(pos..pos + part.len()) {
                dst.copy_from_slice(part);
            }
            pos += part.len();
        }
        if let Some(pad) = self.buf.get_mut(pos..at + padded) {
            pad.fill(0);
        }
        self.len += padded;
        self.sync_msg_len();
        Ok(())
    }

    /// Appends a flag (presence-only attribute).
    pub fn put_flag(&mut self, id: u16) -> Result<(), BuildError> {
        self.put_attr(id, &[])
    }

    /// Appends a 4-byte unsigned integer.
    pub fn put_u32(&mut self, id: u16, value: u32) -> Result<(), BuildError> {
        self.put_attr(id, &[&value.to_le_bytes()])
    }

    /// Appends an 8-byte unsigned integer.
    pub fn put_u64(&mut self, id: u16, value: u64) -> Result<(), BuildError> {
        self.put_attr(id, &[&value.to_le_bytes()])
    }

    /// Appends a 4-byte signed integer.
    pub fn put_s32(&mut self, id: u16, value: i32) -> Result<(), BuildError> {
        self.put_attr(id, &[&value.to_le_bytes()])
    }

    /// Appends an 8-byte signed integer.
    pub fn put_s64(&mut self, id: u16, value: i64) -> Result<(), BuildError> {
        self.put_attr(id, &[&value.to_le_bytes()])
    }

    /// Appends an Ethernet address.
    pub fn put_mac(&mut self, id: u16, mac: &[u8; MAC_LEN]) -> Result<(), BuildError> {
        self.put_attr(id, &[mac])
    }

    /// Appends opaque bytes.
    pub fn put_bytes(&mut self, id: u16, value: &[u8]) -> Result<(), BuildError> {
        self.put_attr(id, &[value])
    }

    /// Appends a string; `text` excludes the terminating NUL, which is
    /// added (a NUL inside `text` is an error).
    pub fn put_string(&mut self, id: u16, text: &[u8]) -> Result<(), BuildError> {
        if text.contains(&0) {
            return Err(BuildError::InteriorNul { id });
        }
        self.put_attr(id, &[text, &[0]])
    }

    /// Appends a nested (or array) attribute whose contents `fill` adds
    /// through the same builder. If `fill` fails, the nest is removed and
    /// its error returned. A nest left empty is dropped, as the C driver's
    /// `fbnic_tlv_attr_nest_stop()` does.
    pub fn nested<F>(&mut self, id: u16, fill: F) -> Result<(), BuildError>
    where
        F: FnOnce(&mut Self) -> Result<(), BuildError>,
    {
        if usize::from(id) >= RESULTS_MAX {
            return Err(BuildError::BadId { id });
        }
        self.reserve(HDR_LEN)?;
        let start = self.len;
        self.len += HDR_LEN;
        // The nest's length once filled: None if it stayed empty.
        let outcome = fill(self).and_then(|()| {
            let nest_len = self.len - start;
            if nest_len == HDR_LEN {
                return Ok(None);
            }
            u16::try_from(nest_len)
                .map(Some)
                .map_err(|_| BuildError::TooLong { len: nest_len })
        });
        match outcome {
            Ok(Some(len)) => {
                let hdr = Header {
                    id,
                    cannot_ignore: false,
                    is_msg: false,
                    len,
                };
                self.write_hdr(start, hdr);
            }
            Ok(None) | Err(_) => self.len = start,
        }
        self.sync_msg_len();
        outcome.map(|_| ())
    }

    /// Bytes written so far, message header included.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: the message header is written on creation.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The finished message (a prefix of the buffer).
    pub fn finish(self) -> &'b [u8] {
        let len = self.len;
        let buf: &'b [u8] = self.buf;
        buf.get(..len).unwrap_or(&[])
    }
}

/// Message IDs (`FBNIC_TLV_MSG_ID_*`). `REQ` messages go host to firmware
/// and `RESP` back, except where noted.
pub mod msg {
    /// Codec self-test: the host sends [`super::test`] data, the firmware
    /// echoes it back.
    pub const TEST: u16 = 0x00;
    /// Host asks for capabilities (no attributes); answered by `FW_CAP_RESP`.
    pub const HOST_CAP_REQ: u16 = 0x10;
    /// Firmware capabilities ([`super::cap_resp`]).
    pub const FW_CAP_RESP: u16 = 0x11;
    /// Host takes (flag set) or releases ownership ([`super::ownership`]).
    pub const OWNERSHIP_REQ: u16 = 0x12;
    /// Ownership acknowledged.
    pub const OWNERSHIP_RESP: u16 = 0x13;
    /// Host liveness probe (no attributes).
    pub const HEARTBEAT_REQ: u16 = 0x14;
    /// Firmware liveness answer ([`super::heartbeat`]).
    pub const HEARTBEAT_RESP: u16 = 0x15;
    /// Ask whether a coredump exists ([`super::coredump_info`]).
    pub const COREDUMP_GET_INFO_REQ: u16 = 0x18;
    /// Coredump availability and size.
    pub const COREDUMP_GET_INFO_RESP: u16 = 0x19;
    /// Read a piece of the coredump ([`super::coredump_read`]).
    pub const COREDUMP_READ_REQ: u16 = 0x20;
    /// A piece of the coredump.
    pub const COREDUMP_READ_RESP: u16 = 0x21;
    /// Begin a flash update ([`super::start_upgrade`]).
    pub const FW_START_UPGRADE_REQ: u16 = 0x22;
    /// Flash update accepted or refused.
    pub const FW_START_UPGRADE_RESP: u16 = 0x23;
    /// **Firmware to host**: send me this chunk of the image
    /// ([`super::write_chunk`]).
    pub const FW_WRITE_CHUNK_REQ: u16 = 0x24;
    /// **Host to firmware**: the chunk (or an error cancelling the update).
    pub const FW_WRITE_CHUNK_RESP: u16 = 0x25;
    /// **Firmware to host**: the update finished ([`super::finish_upgrade`]).
    pub const FW_FINISH_UPGRADE_REQ: u16 = 0x28;
    /// Host acknowledgment of the finish (unused by the C driver).
    pub const FW_FINISH_UPGRADE_RESP: u16 = 0x29;
    /// Read module EEPROM ([`super::qsfp`]).
    pub const QSFP_READ_REQ: u16 = 0x38;
    /// Module EEPROM data.
    pub const QSFP_READ_RESP: u16 = 0x39;
    /// Read temperature and voltage (no attributes).
    pub const TSENE_READ_REQ: u16 = 0x3c;
    /// Sensor readings ([`super::tsene`]).
    pub const TSENE_READ_RESP: u16 = 0x3d;
    /// Enable/disable firmware log forwarding ([`super::send_logs`]).
    pub const LOG_SEND_LOGS_REQ: u16 = 0x43;
    /// **Firmware to host**: log lines ([`super::log_msg`]).
    pub const LOG_MSG_REQ: u16 = 0x44;
    /// Host acknowledgment of log lines (unused by the C driver).
    pub const LOG_MSG_RESP: u16 = 0x45;
    /// Host tells the firmware its RX filter set ([`super::rpc_mac_sync`]).
    pub const RPC_MAC_SYNC_REQ: u16 = 0x46;
}

/// Attributes of `FW_CAP_RESP` and firmware version helpers.
pub mod cap_resp {
    use super::AttrSpec;

    /// Running management firmware version (u32, see [`FwVersion`]); 0 or
    /// below [`MIN_FW_VER_CODE`] fails probe.
    pub const VERSION: u16 = 0x0;
    /// A BMC is present (flag).
    pub const BMC_PRESENT: u16 = 0x1;
    /// BMC MAC address (element of `BMC_MAC_ARRAY`).
    pub const BMC_MAC_ADDR: u16 = 0x2;
    /// Up to 4 BMC MAC addresses (array of `BMC_MAC_ADDR`), required when
    /// `BMC_PRESENT`.
    pub const BMC_MAC_ARRAY: u16 = 0x3;
    /// Stored (next boot) management firmware version.
    pub const STORED_VERSION: u16 = 0x4;
    /// Active flash slot.
    pub const ACTIVE_FW_SLOT: u16 = 0x5;
    /// Running firmware commit (string).
    pub const VERSION_COMMIT_STR: u16 = 0x6;
    /// The BMC wants all multicast (u32).
    pub const BMC_ALL_MULTI: u16 = 0x8;
    /// Firmware state (not parsed by the C driver).
    pub const FW_STATE: u16 = 0x9;
    /// Link mode ([`LINK_MODE_25CR`] ..).
    pub const FW_LINK_SPEED: u16 = 0xa;
    /// FEC mode ([`LINK_FEC_NONE`] ..).
    pub const FW_LINK_FEC: u16 = 0xb;
    /// Stored firmware commit.
    pub const STORED_COMMIT_STR: u16 = 0xc;
    /// Running bootloader (CMRT) version.
    pub const CMRT_VERSION: u16 = 0xd;
    /// Stored bootloader version.
    pub const STORED_CMRT_VERSION: u16 = 0xe;
    /// Running bootloader commit.
    pub const CMRT_COMMIT_STR: u16 = 0xf;
    /// Stored bootloader commit.
    pub const STORED_CMRT_COMMIT_STR: u16 = 0x10;
    /// UEFI driver (UNDI) version.
    pub const UEFI_VERSION: u16 = 0x11;
    /// UEFI driver commit.
    pub const UEFI_COMMIT_STR: u16 = 0x12;
    /// Anti-rollback version.
    pub const ANTI_ROLLBACK_VERSION: u16 = 0x15;

    /// 25GBASE-CR, one lane.
    pub const LINK_MODE_25CR: u32 = 1;
    /// 50GBASE-CR2 (LAUI-2).
    pub const LINK_MODE_50CR2: u32 = 2;
    /// 50GBASE-CR, one lane.
    pub const LINK_MODE_50CR: u32 = 3;
    /// 100GBASE-CR2.
    pub const LINK_MODE_100CR2: u32 = 4;
    /// No FEC.
    pub const LINK_FEC_NONE: u32 = 1;
    /// Reed-Solomon FEC.
    pub const LINK_FEC_RS: u32 = 2;
    /// BASE-R (Fire Code) FEC.
    pub const LINK_FEC_BASER: u32 = 3;

    /// Room for a version string (`FBNIC_FW_VER_MAX_SIZE`, = ethtool's).
    pub const FW_VER_MAX_SIZE: u16 = 32;
    /// Largest commit string, NUL included: what is left of a version
    /// string after "XX.YY.ZZ_RRR_" (`FBNIC_FW_CAP_RESP_COMMIT_MAX_SIZE`).
    pub const COMMIT_MAX_SIZE: u16 = FW_VER_MAX_SIZE - 13;

    /// Attributes the host parses (`fbnic_fw_cap_resp_index`).
    pub const SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(VERSION),
        AttrSpec::flag(BMC_PRESENT),
        AttrSpec::mac(BMC_MAC_ADDR),
        AttrSpec::array(BMC_MAC_ARRAY),
        AttrSpec::u32(STORED_VERSION),
        AttrSpec::u32(ACTIVE_FW_SLOT),
        AttrSpec::string(VERSION_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::u32(BMC_ALL_MULTI),
        AttrSpec::u32(FW_LINK_SPEED),
        AttrSpec::u32(FW_LINK_FEC),
        AttrSpec::string(STORED_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::u32(CMRT_VERSION),
        AttrSpec::u32(STORED_CMRT_VERSION),
        AttrSpec::string(CMRT_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::string(STORED_CMRT_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::u32(UEFI_VERSION),
        AttrSpec::string(UEFI_COMMIT_STR, COMMIT_MAX_SIZE),
        AttrSpec::u32(ANTI_ROLLBACK_VERSION),
    ];

    /// A firmware version word: major 31:24, minor 23:16, patch 15:8,
    /// build 7:0, so versions compare as plain integers.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub struct FwVersion(pub u32);

    impl FwVersion {
        /// The version word for `major.minor.patch-build` (`FW_VER_CODE`).
        pub const fn new(major: u8, minor: u8, patch: u8, build: u8) -> Self {
            Self((major as u32) << 24 | (minor as u32) << 16 | (patch as u32) << 8 | build as u32)
        }
        /// Major number.
        pub const fn major(self) -> u8 {
            (self.0 >> 24) as u8
        }
        /// Minor number.
        pub const fn minor(self) -> u8 {
            (self.0 >> 16) as u8
        }
        /// Patch number.
        pub const fn patch(self) -> u8 {
            (self.0 >> 8) as u8
        }
        /// Build number.
        pub const fn build(self) -> u8 {
            self.0 as u8
        }
    }

    /// Oldest firmware the driver accepts (`MIN_FW_VER_CODE`, 0.10.6-0).
    pub const MIN_FW_VER_CODE: FwVersion = FwVersion::new(0, 10, 6, 0);
    /// Oldest firmware with log forwarding (`MIN_FW_VER_CODE_LOG`, 0.12.9-0).
    pub const MIN_FW_VER_CODE_LOG: FwVersion = FwVersion::new(0, 12, 9, 0);
    /// Oldest firmware whose log history can be requested safely
    /// (`MIN_FW_VER_CODE_HIST`, 25.5.7-0).
    pub const MIN_FW_VER_CODE_HIST: FwVersion = FwVersion::new(25, 5, 7, 0);
}

/// Attributes of `OWNERSHIP_REQ` / `OWNERSHIP_RESP`.
pub mod ownership {
    use super::AttrSpec;
    /// Request: present to take ownership, absent to release it (flag).
    pub const FLAG: u16 = 0x0;
    /// Response: firmware time (u64), counted as a heartbeat.
    pub const TIME: u16 = 0x1;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::flag(FLAG)];
    /// What the host parses (`fbnic_ownership_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[AttrSpec::u64(TIME)];
}

/// Attributes of `HEARTBEAT_RESP`.
pub mod heartbeat {
    use super::AttrSpec;
    /// Firmware uptime (u64); going backwards means the firmware restarted.
    pub const UPTIME: u16 = 0x0;
    /// Number of messages (not parsed by the C driver).
    pub const NUMBER_OF_MESSAGES: u16 = 0x1;
    /// What the host parses (`fbnic_heartbeat_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[AttrSpec::u64(UPTIME)];
}

/// Attributes of `COREDUMP_GET_INFO_REQ` / `_RESP`.
pub mod coredump_info {
    use super::AttrSpec;
    /// Request: create a coredump if none exists (flag).
    pub const REQ_CREATE: u16 = 0x0;
    /// Response: a coredump is available (flag).
    pub const AVAILABLE: u16 = 0x0;
    /// Response: its size in bytes (u32).
    pub const SIZE: u16 = 0x1;
    /// Response: error (s32, 0 = none).
    pub const ERROR: u16 = 0x2;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::flag(REQ_CREATE)];
    /// What the host parses (`fbnic_coredump_info_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::flag(AVAILABLE),
        AttrSpec::u32(SIZE),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `COREDUMP_READ_REQ` / `_RESP`.
pub mod coredump_read {
    use super::AttrSpec;
    /// Offset into the dump (u32; omitted when 0).
    pub const OFFSET: u16 = 0x0;
    /// Bytes wanted / sent (u32; omitted when 0 in the request).
    pub const LENGTH: u16 = 0x1;
    /// Response: the data (raw, at most [`super::RAW_DATA_MAX`]).
    pub const DATA: u16 = 0x2;
    /// Response: error (s32).
    pub const ERROR: u16 = 0x3;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::u32(OFFSET), AttrSpec::u32(LENGTH)];
    /// What the host parses (`fbnic_coredump_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(OFFSET),
        AttrSpec::u32(LENGTH),
        AttrSpec::raw_data(DATA),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `FW_START_UPGRADE_REQ` / `_RESP`.
pub mod start_upgrade {
    use super::AttrSpec;
    /// Response: error (s32).
    pub const ERROR: u16 = 0x0;
    /// Request: flash section to write (u32, `QSPI_SECTION_*`).
    pub const SECTION: u16 = 0x1;
    /// Request: image length in bytes (u32, nonzero).
    pub const IMAGE_LENGTH: u16 = 0x2;
    /// Section: CMRT (bootloader).
    pub const QSPI_SECTION_CMRT: u32 = 0;
    /// Section: control firmware.
    pub const QSPI_SECTION_CONTROL_FW: u32 = 1;
    /// Section: microcode.
    pub const QSPI_SECTION_UCODE: u32 = 2;
    /// Section: option ROM.
    pub const QSPI_SECTION_OPTION_ROM: u32 = 3;
    /// Section: user data.
    pub const QSPI_SECTION_USER: u32 = 4;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::u32(SECTION), AttrSpec::u32(IMAGE_LENGTH)];
    /// What the host parses (`fbnic_fw_start_upgrade_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[AttrSpec::s32(ERROR)];
}

/// Attributes of `FW_WRITE_CHUNK_REQ` (firmware to host) and
/// `FW_WRITE_CHUNK_RESP` (host to firmware).
pub mod write_chunk {
    use super::AttrSpec;
    /// Image offset of the chunk (u32).
    pub const OFFSET: u16 = 0x0;
    /// Chunk length (u32; at most [`super::RAW_DATA_MAX`]).
    pub const LENGTH: u16 = 0x1;
    /// Host answer: the chunk bytes (raw).
    pub const DATA: u16 = 0x2;
    /// Host answer: nonzero errno cancels the update (s32).
    pub const ERROR: u16 = 0x3;
    /// What the firmware sends and the host parses
    /// (`fbnic_fw_write_chunk_req_index`).
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::u32(OFFSET), AttrSpec::u32(LENGTH)];
    /// What the host answers.
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(OFFSET),
        AttrSpec::u32(LENGTH),
        AttrSpec::raw_data(DATA),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `FW_FINISH_UPGRADE_REQ` (firmware to host).
pub mod finish_upgrade {
    use super::AttrSpec;
    /// Result of the update (s32, 0 = success).
    pub const ERROR: u16 = 0x0;
    /// What the host parses (`fbnic_fw_finish_upgrade_req_index`).
    pub const REQ_SCHEMA: &[AttrSpec] = &[AttrSpec::s32(ERROR)];
}

/// Attributes of `QSFP_READ_REQ` / `_RESP`.
pub mod qsfp {
    use super::AttrSpec;
    /// EEPROM bank (u32); echoed.
    pub const BANK: u16 = 0x0;
    /// EEPROM page (u32); echoed.
    pub const PAGE: u16 = 0x1;
    /// Offset in the page (u32); echoed.
    pub const OFFSET: u16 = 0x2;
    /// Bytes (u32, 1..=[`super::RAW_DATA_MAX`]); echoed.
    pub const LENGTH: u16 = 0x3;
    /// Response: error (s32).
    pub const ERROR: u16 = 0x4;
    /// Response: the EEPROM bytes (raw).
    pub const DATA: u16 = 0x5;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(BANK),
        AttrSpec::u32(PAGE),
        AttrSpec::u32(OFFSET),
        AttrSpec::u32(LENGTH),
    ];
    /// What the host parses (`fbnic_qsfp_read_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(BANK),
        AttrSpec::u32(PAGE),
        AttrSpec::u32(OFFSET),
        AttrSpec::u32(LENGTH),
        AttrSpec::raw_data(DATA),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `TSENE_READ_RESP`.
pub mod tsene {
    use super::AttrSpec;
    /// Temperature in millidegrees Celsius (s32).
    pub const THERM: u16 = 0x0;
    /// Voltage in millivolts (s32).
    pub const VOLT: u16 = 0x1;
    /// Error (s32).
    pub const ERROR: u16 = 0x2;
    /// What the host parses (`fbnic_tsene_read_resp_index`).
    pub const RESP_SCHEMA: &[AttrSpec] = &[
        AttrSpec::s32(THERM),
        AttrSpec::s32(VOLT),
        AttrSpec::s32(ERROR),
    ];
}

/// Attributes of `LOG_SEND_LOGS_REQ`.
pub mod send_logs {
    use super::AttrSpec;
    /// Enable forwarding (flag; absent = disable).
    pub const SEND_LOGS: u16 = 0x0;
    /// Log format version wanted (u32, [`LOG_VERSION`]).
    pub const VERSION: u16 = 0x1;
    /// Also send the buffered history (flag).
    pub const HISTORY: u16 = 0x2;
    /// The log format the C driver asks for (`FBNIC_FW_LOG_VERSION`).
    pub const LOG_VERSION: u32 = 1;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[
        AttrSpec::flag(SEND_LOGS),
        AttrSpec::u32(VERSION),
        AttrSpec::flag(HISTORY),
    ];
}

/// Attributes of `LOG_MSG_REQ` (firmware to host): one log line in the
/// plain attributes, plus `LENGTH` more in the three parallel arrays.
pub mod log_msg {
    use super::AttrSpec;
    /// Milliseconds timestamp (u32).
    pub const MSEC: u16 = 0x0;
    /// Sequence number (u64).
    pub const INDEX: u16 = 0x1;
    /// Text (string of at most [`LOG_MAX_SIZE`]).
    pub const MSG: u16 = 0x2;
    /// Number of array entries (u32, below [`MAX_LOG_HISTORY`]).
    pub const LENGTH: u16 = 0x3;
    /// Array of `MSEC`.
    pub const MSEC_ARRAY: u16 = 0x4;
    /// Array of `INDEX`.
    pub const INDEX_ARRAY: u16 = 0x5;
    /// Array of `MSG`.
    pub const MSG_ARRAY: u16 = 0x6;
    /// Largest log line, NUL included (`FBNIC_FW_LOG_MAX_SIZE`).
    pub const LOG_MAX_SIZE: u16 = 256;
    /// Most log lines in one message (`FBNIC_FW_MAX_LOG_HISTORY`).
    pub const MAX_LOG_HISTORY: u32 = 14;
    /// What the host parses (`fbnic_fw_log_req_index`).
    pub const REQ_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(MSEC),
        AttrSpec::u64(INDEX),
        AttrSpec::string(MSG, LOG_MAX_SIZE),
        AttrSpec::u32(LENGTH),
        AttrSpec::array(MSEC_ARRAY),
        AttrSpec::array(INDEX_ARRAY),
        AttrSpec::array(MSG_ARRAY),
    ];
}

/// Attributes of `RPC_MAC_SYNC_REQ` (host to firmware, sent when a BMC is
/// present).
pub mod rpc_mac_sync {
    use super::AttrSpec;
    /// `RX_FLAGS_*` bits (u32).
    pub const RX_FLAGS: u16 = 0x0;
    /// Unicast addresses (array of `MAC_ADDR`, at most 8).
    pub const UC_ARRAY: u16 = 0x1;
    /// Multicast addresses (array of `MAC_ADDR`, at most 8).
    pub const MC_ARRAY: u16 = 0x2;
    /// Array element.
    pub const MAC_ADDR: u16 = 0x3;
    /// Host is promiscuous.
    pub const RX_FLAGS_PROMISC: u32 = 1;
    /// Host wants all multicast.
    pub const RX_FLAGS_ALLMULTI: u32 = 2;
    /// Host wants broadcast.
    pub const RX_FLAGS_BROADCAST: u32 = 4;
    /// Most unicast addresses sent (more turn on `PROMISC`).
    pub const UC_ARRAY_SIZE: usize = 8;
    /// Most multicast addresses sent (more turn on `ALLMULTI`).
    pub const MC_ARRAY_SIZE: usize = 8;
    /// What the host sends.
    pub const REQ_SCHEMA: &[AttrSpec] = &[
        AttrSpec::u32(RX_FLAGS),
        AttrSpec::array(UC_ARRAY),
        AttrSpec::array(MC_ARRAY),
        AttrSpec::mac(MAC_ADDR),
    ];
}

/// Attributes of the `TEST` message (`fbnic_tlv_test_index`): every type
/// once at the top level, again inside `NESTED`, and an array of MACs.
pub mod test {
    use super::AttrSpec;
    /// u64.
    pub const U64: u16 = 0;
    /// s64.
    pub const S64: u16 = 1;
    /// u32.
    pub const U32: u16 = 2;
    /// s32.
    pub const S32: u16 = 3;
    /// u16, sent as 4 bytes.
    pub const U16: u16 = 4;
    /// s16, sent as 4 bytes.
    pub const S16: u16 = 5;
    /// MAC address; also the element of `ARRAY`.
    pub const MAC_ADDR: u16 = 6;
    /// Flag that is sent.
    pub const FLAG_TRUE: u16 = 7;
    /// Flag that is not sent.
    pub const FLAG_FALSE: u16 = 8;
    /// String of at most [`STRING_LEN`] bytes.
    pub const STRING: u16 = 9;
    /// The same attributes again, nested.
    pub const NESTED: u16 = 10;
    /// Four MAC addresses.
    pub const ARRAY: u16 = 11;
    /// Size of the test string buffer, NUL included.
    pub const STRING_LEN: u16 = 32;
    /// The test message schema (used at top level and inside `NESTED`).
    pub const SCHEMA: &[AttrSpec] = &[
        AttrSpec::u64(U64),
        AttrSpec::s64(S64),
        AttrSpec::u32(U32),
        AttrSpec::s32(S32),
        AttrSpec::u32(U16),
        AttrSpec::s32(S16),
        AttrSpec::mac(MAC_ADDR),
        AttrSpec::flag(FLAG_TRUE),
        AttrSpec::flag(FLAG_FALSE),
        AttrSpec::string(STRING, STRING_LEN),
        AttrSpec::array(ARRAY),
        AttrSpec::nested(NESTED),
    ];
}

/// Schema the host uses for a firmware-to-host message, or `None` for a
/// message it does not handle (the C parser then fails with `-ENOENT`).
/// Mirrors `fbnic_fw_tlv_parser[]`.
pub fn fw_to_host_schema(msg_id: u16) -> Option<&'static Schema> {
    Some(match msg_id {
        msg::TEST => test::SCHEMA,
        msg::FW_CAP_RESP => cap_resp::SCHEMA,
        msg::OWNERSHIP_RESP => ownership::RESP_SCHEMA,
        msg::HEARTBEAT_RESP => heartbeat::RESP_SCHEMA,
        msg::COREDUMP_GET_INFO_RESP => coredump_info::RESP_SCHEMA,
        msg::COREDUMP_READ_RESP => coredump_read::RESP_SCHEMA,
        msg::FW_START_UPGRADE_RESP => start_upgrade::RESP_SCHEMA,
        msg::FW_WRITE_CHUNK_REQ => write_chunk::REQ_SCHEMA,
        msg::FW_FINISH_UPGRADE_REQ => finish_upgrade::REQ_SCHEMA,
        msg::QSFP_READ_RESP => qsfp::RESP_SCHEMA,
        msg::TSENE_READ_RESP => tsene::RESP_SCHEMA,
        msg::LOG_MSG_REQ => log_msg::REQ_SCHEMA,
        _ => return None,
    })
}

/// Schema of a host-to-firmware message as the C driver builds it, for a
/// firmware model; `None` for messages the host never sends.
pub fn host_to_fw_schema(msg_id: u16) -> Option<&'static Schema> {
    Some(match msg_id {
        msg::TEST => test::SCHEMA,
        msg::HOST_CAP_REQ | msg::HEARTBEAT_REQ | msg::TSENE_READ_REQ => &[],
        msg::OWNERSHIP_REQ => ownership::REQ_SCHEMA,
        msg::COREDUMP_GET_INFO_REQ => coredump_info::REQ_SCHEMA,
        msg::COREDUMP_READ_REQ => coredump_read::REQ_SCHEMA,
        msg::FW_START_UPGRADE_REQ => start_upgrade::REQ_SCHEMA,
        msg::FW_WRITE_CHUNK_RESP => write_chunk::RESP_SCHEMA,
        msg::QSFP_READ_REQ => qsfp::REQ_SCHEMA,
        msg::LOG_SEND_LOGS_REQ => send_logs::REQ_SCHEMA,
        msg::RPC_MAC_SYNC_REQ => rpc_mac_sync::REQ_SCHEMA,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
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

    /// Values for the codec self-test, like `fbnic_tlv_test_struct_init()`
    /// but fixed.
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

    /// `fbnic_tlv_test_attr_data()`.
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

    /// `fbnic_tlv_test_create()`: the data, then the data again nested.
    fn build_test_msg(buf: &mut [u8]) -> Result<usize, BuildError> {
        let mut b = MsgBuilder::new(buf, msg::TEST)?;
        put_test_data(&mut b)?;
        b.nested(test::NESTED, put_test_data)?;
        Ok(b.finish().len())
    }

    /// `fbnic_tlv_parser_test_attr()`, asserting instead of copying.
    fn check_test_data(attrs: &Attrs<'_>) {
        assert_eq!(attrs.u64(test::U64), Some(DATA.u64));
        assert_eq!(attrs.s64(test::S64), Some(DATA.s64));
        assert_eq!(attrs.u32(test::U32), Some(DATA.u32));
        assert_eq!(attrs.s32(test::S32), Some(DATA.s32));
        assert_eq!(attrs.u32(test::U16), Some(DATA.u16.into()));
        assert_eq!(attrs.s32(test::S16), Some(DATA.s16.into()));
        assert_eq!(attrs.mac(test::MAC_ADDR), Some(DATA.mac));
        let array = attrs
            .array(test::ARRAY, test::MAC_ADDR, test::SCHEMA)
            .unwrap()
            .unwrap();
        assert_eq!(array.len(), 4);
        assert!(array
            .iter()
            .map(|a| a.mac().unwrap())
            .eq(DATA.macs.iter().copied()));
        assert!(attrs.flag(test::FLAG_TRUE));
        assert!(!attrs.flag(test::FLAG_FALSE));
        assert_eq!(attrs.cstr(test::STRING), Some(DATA.string));
    }

    #[test]
    fn self_test_message_round_trip() {
        let mut buf = [0u8; 4096];
        let len = build_test_msg(&mut buf).unwrap();
        let msg = Message::parse(&buf).unwrap();
        assert_eq!(msg.len(), len);
        assert_eq!(msg.id(), msg::TEST);
        let attrs = msg.attrs(test::SCHEMA).unwrap();
        check_test_data(&attrs);
        let nested = attrs.nested(test::NESTED, test::SCHEMA).unwrap().unwrap();
        check_test_data(&nested);
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
}
