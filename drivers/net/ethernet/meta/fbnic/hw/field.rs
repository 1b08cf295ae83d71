// SPDX-License-Identifier: GPL-2.0

//! Bit fields of registers (32-bit) and descriptors (64-bit).
//!
//! The C driver names every multi-bit field with `GENMASK(hi, lo)` and moves
//! values with `FIELD_PREP()` / `FIELD_GET()`. [`Field32`] and [`Field64`] are
//! that idea as a type: the field is declared once from the bit range that the
//! hardware documentation uses, and the shift is derived from the mask, so a
//! caller can never pair a mask with the wrong shift.
//!
//! Everything here is `const` and total: no operation can panic or overflow.
//! [`Field32::prep`] silently drops bits that do not fit, exactly like
//! `FIELD_PREP()` on a run-time value; callers that must not truncate check
//! [`Field32::fits`] first (the driver does this for TX header lengths).
//! Single-bit flags are plain `u32`/`u64` constants, not fields.

macro_rules! define_field {
    ($(#[$meta:meta])* $name:ident, $ty:ty) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name {
            mask: $ty,
        }

        impl $name {
            /// The field made of bits `hi` down to `lo`, inclusive.
            ///
            /// Meant for constants. Bit numbers past the width are reduced
            /// modulo the width instead of failing, and `hi < lo` gives an
            /// empty field (every operation then yields 0).
            pub const fn new(hi: u32, lo: u32) -> Self {
                let top = <$ty>::MAX.wrapping_shr((<$ty>::BITS - 1).wrapping_sub(hi));
                let bottom = <$ty>::MAX.wrapping_shl(lo);
                Self { mask: top & bottom }
            }

            /// The field's bits in place (the C `GENMASK()` value).
            pub const fn mask(self) -> $ty {
                self.mask
            }

            /// Position of the field's least significant bit.
            pub const fn shift(self) -> u32 {
                // An empty mask has 32/64 trailing zeros; the wrapping
                // shifts below then reduce it to a shift of 0 on a 0 mask.
                self.mask.trailing_zeros()
            }

            /// Largest value the field can hold (`FIELD_MAX()`).
            pub const fn max(self) -> $ty {
                self.mask.wrapping_shr(self.shift())
            }

            /// Extracts the field from a register or descriptor value
            /// (`FIELD_GET()`).
            pub const fn get(self, raw: $ty) -> $ty {
                (raw & self.mask).wrapping_shr(self.shift())
            }

            /// Places `value` in the field, dropping bits that do not fit
            /// (`FIELD_PREP()`).
            pub const fn prep(self, value: $ty) -> $ty {
                value.wrapping_shl(self.shift()) & self.mask
            }

            /// Whether `value` fits in the field without truncation
            /// (`FIELD_FIT()`).
            pub const fn fits(self, value: $ty) -> bool {
                value <= self.max()
            }

            /// `raw` with this field replaced by `value` (other bits kept).
            pub const fn replace(self, raw: $ty, value: $ty) -> $ty {
                (raw & !self.mask) | self.prep(value)
            }
        }
    };
}

define_field!(
    /// A bit field inside a 32-bit register.
    Field32,
    u32
);

define_field!(
    /// A bit field inside a 64-bit descriptor.
    Field64,
    u64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_match_genmask() {
        assert_eq!(Field32::new(7, 0).mask(), 0xff);
        assert_eq!(Field32::new(31, 16).mask(), 0xffff_0000);
        assert_eq!(Field32::new(31, 0).mask(), u32::MAX);
        assert_eq!(Field32::new(12, 12).mask(), 1 << 12);
        assert_eq!(Field64::new(63, 48).mask(), 0xffff_0000_0000_0000);
        assert_eq!(Field64::new(45, 3).mask(), 0x0000_3fff_ffff_fff8);
    }

    #[test]
    fn prep_get_round_trip() {
        let f = Field32::new(28, 15);
        assert_eq!(f.shift(), 15);
        assert_eq!(f.max(), 0x3fff);
        assert_eq!(f.get(f.prep(0x1234)), 0x1234);
        assert_eq!(f.prep(0x1234), 0x1234 << 15);
        // Truncation like FIELD_PREP, and fits() reports it.
        assert_eq!(f.get(f.prep(0x4001)), 1);
        assert!(f.fits(0x3fff));
        assert!(!f.fits(0x4000));
        assert_eq!(f.replace(u32::MAX, 0), !f.mask());
    }

    #[test]
    fn degenerate_fields_do_not_panic() {
        let empty = Field32::new(3, 4);
        assert_eq!(empty.mask(), 0);
        assert_eq!(empty.get(u32::MAX), 0);
        assert_eq!(empty.prep(u32::MAX), 0);
        assert_eq!(empty.max(), 0);
        let wide = Field64::new(200, 0);
        assert_eq!(wide.prep(5), wide.mask() & 5);
    }
}
