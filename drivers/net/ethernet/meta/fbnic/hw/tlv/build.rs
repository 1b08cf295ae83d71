// SPDX-License-Identifier: GPL-2.0

//! The building half of the codec: [`MsgBuilder`] writes a message into a
//! caller-provided buffer.

use super::{
    align4,
    Header,
    HDR_LEN,
    MAC_LEN,
    MSG_ID_MAX,
    RESULTS_MAX, //
};

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
