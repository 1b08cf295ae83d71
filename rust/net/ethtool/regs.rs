// SPDX-License-Identifier: GPL-2.0

//! The register dump of `ethtool -d` (`get_regs_len`, `get_regs`): the
//! buffer the driver fills, and the callbacks of [`OpsTable`] for it.

use kernel::{
    num::casts::FromSafeCast,
    prelude::*, //
};

use super::{
    ops::OpsTable,
    Operations, //
};
use crate::kernel_ext::{
    bindings,
    net::Device, //
};

/// A register dump being written (`ethtool -d`): a version, then 32-bit
/// words in the machine's byte order, which ethtool reads back as such.
///
/// The core zeroes the buffer; words that do not fit are dropped, so a
/// dump never writes past what the core allocated.
///
/// # Examples
///
/// ```ignore
/// fn get_regs(dev: &net::Device<Self>, dump: &mut RegDump<'_>) {
///     dump.set_version(1);
///     dump.push(0x1234);
/// }
/// ```
pub struct RegDump<'a> {
    version: &'a mut u32,
    buf: &'a mut [u8],
    next: usize,
}

impl RegDump<'_> {
    /// Sets the dump's version, which tells ethtool how to parse it.
    pub fn set_version(&mut self, version: u32) {
        *self.version = version;
    }

    /// Appends a word.
    pub fn push(&mut self, word: u32) {
        let end = self.next + 4;
        if let Some(dst) = self.buf.get_mut(self.next..end) {
            dst.copy_from_slice(&word.to_ne_bytes());
            self.next = end;
        }
    }
}

impl<T: Operations> OpsTable<T> {
    /// # Safety
    ///
    /// `ndev` must be a network device of `Builder<T>` (the ethtool core
    /// calls this for registered devices only).
    pub(super) unsafe extern "C" fn get_regs_len(ndev: *mut bindings::net_device) -> c_int {
        // SAFETY: Per the safety requirement `ndev` is a device of
        // `Builder<T>`, alive and with `T` initialized while registered.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        c_int::try_from(T::get_regs_len(dev)).unwrap_or(0)
    }

    /// # Safety
    ///
    /// As for [`OpsTable::get_regs_len`]; `regs` must be valid and `data`
    /// valid for writes of `regs->len` bytes (the core allocates what
    /// `get_regs_len` reported and caps `len` at it), both ours for the
    /// call.
    pub(super) unsafe extern "C" fn get_regs(
        ndev: *mut bindings::net_device,
        regs: *mut bindings::ethtool_regs,
        data: *mut c_void,
    ) {
        // SAFETY: As in `get_regs_len`.
        let dev = unsafe { Device::<T>::from_raw(ndev) };
        // SAFETY: Per the safety requirement `regs` is valid and ours.
        let regs = unsafe { &mut *regs };
        let len = usize::from_safe_cast(regs.len);
        let buf = if data.is_null() || len == 0 {
            &mut [][..]
        } else {
            // SAFETY: Per the safety requirement `data` holds `len` bytes
            // for us to write during the call.
            unsafe { core::slice::from_raw_parts_mut(data.cast::<u8>(), len) }
        };
        T::get_regs(
            dev,
            &mut RegDump {
                version: &mut regs.version,
                buf,
                next: 0,
            },
        );
    }
}
