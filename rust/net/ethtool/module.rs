// SPDX-License-Identifier: GPL-2.0

//! Plug-in module EEPROM reads (`get_module_eeprom_by_page`, `ethtool -m`).

use crate::kernel_ext::bindings;

/// One read of a module's EEPROM (`struct ethtool_module_eeprom`): which
/// bytes the core asks for, and where they go.
///
/// # Invariants
///
/// `raw.data` is valid for writes of `raw.length` bytes for `'a`, and
/// nothing else accesses them meanwhile.
pub struct ModuleEeprom<'a> {
    raw: &'a bindings::ethtool_module_eeprom,
}

impl<'a> ModuleEeprom<'a> {
    /// # Safety
    ///
    /// `raw.data` is valid for writes of `raw.length` bytes for `'a`, and
    /// nothing else accesses them meanwhile.
    pub(super) unsafe fn from_raw(raw: &'a bindings::ethtool_module_eeprom) -> Self {
        // INVARIANT: Per the safety requirement.
        Self { raw }
    }

    /// Offset of the first byte: 0-127 in the lower memory (then the page
    /// is 0), 128-255 in the upper memory of [`ModuleEeprom::page`].
    pub fn offset(&self) -> u32 {
        self.raw.offset
    }

    /// Number of bytes to read.
    pub fn length(&self) -> u32 {
        self.raw.length
    }

    /// Page number.
    pub fn page(&self) -> u8 {
        self.raw.page
    }

    /// Bank number, for modules with banks.
    pub fn bank(&self) -> u8 {
        self.raw.bank
    }

    /// I2C address of the page (0x50 for the first 256 bytes of most
    /// EEPROMs).
    pub fn i2c_address(&self) -> u8 {
        self.raw.i2c_address
    }

    /// Where the bytes read go: [`ModuleEeprom::length`] bytes.
    pub fn data(&mut self) -> &mut [u8] {
        let len = usize::try_from(self.raw.length).unwrap_or(0);
        if len == 0 || self.raw.data.is_null() {
            return &mut [];
        }
        // SAFETY: By the type invariant `data` is valid for writes of
        // `length` bytes and nobody else accesses them; `&mut self` makes
        // this the only slice over them.
        unsafe { core::slice::from_raw_parts_mut(self.raw.data, len) }
    }
}
