// SPDX-License-Identifier: GPL-2.0

//! C strings in fixed-size buffers, the way C fills them with `strscpy()`
//! and `snprintf()`: cut short where the buffer ends, always
//! NUL-terminated. For the `char name[N]` fields of the structures the
//! kernel hands a driver to fill in (ethtool's driver information and
//! string sets, a netlink error message).

use core::fmt;

/// Copies `src` into the C string `dst`, truncated to leave room for the
/// terminating NUL.
pub(crate) fn copy_str(dst: &mut [u8], src: &[u8]) {
    let mut w = Truncating { buf: dst, len: 0 };
    w.push(src);
    w.terminate();
}

/// Formats `args` into the C string `dst`, truncated like [`copy_str`].
pub(crate) fn format_str(dst: &mut [u8], args: fmt::Arguments<'_>) {
    let mut w = Truncating { buf: dst, len: 0 };
    // `Truncating` never fails; an error could only come from a `Display`
    // implementation, and then the string is cut where it failed.
    let _ = fmt::write(&mut w, args);
    w.terminate();
}

/// A writer into a fixed C string buffer that drops what does not fit.
struct Truncating<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Truncating<'_> {
    fn push(&mut self, bytes: &[u8]) {
        // Keep the last byte for the NUL.
        let room = self.buf.len().saturating_sub(1).saturating_sub(self.len);
        let n = bytes.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        self.len += n;
    }

    fn terminate(self) {
        if let Some(b) = self.buf.get_mut(self.len) {
            *b = 0;
        }
    }
}

impl fmt::Write for Truncating<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push(s.as_bytes());
        Ok(())
    }
}
