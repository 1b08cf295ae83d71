// SPDX-License-Identifier: GPL-2.0

//! Typed registers: one type per register, its location, its fields and its
//! access rules, declared once with [`register!`].
//!
//! The idea is the kernel's `kernel::io::register!` (the 7.3 tree's
//! `rust/kernel/io/register.rs`), cut down to what fbnic needs and kept to
//! `core` so that the very same declarations serve the driver, which reads
//! and writes them through a BAR, and the emulator, which decides what a
//! guest access to them does:
//!
//! - Every register is a type ([`Register`]): a 32-bit value with named
//!   fields ([`Field`]), tied to one BAR ([`Bar0`] or [`Bar4`]).
//! - A register's location is an [`At`]. Only a declaration makes one:
//!   `NAME::AT` for a single register, `NAME::at(i)` for a register array,
//!   whose index `i` is a bounded index type ([`index!`]) that can only hold
//!   values below the array's length. No `u32` turns into a location.
//! - Accessors ([`Io32`], [`RegisterIo`]) are generic over the BAR. A
//!   mailbox register goes to the BAR4 mapping, and the last queue is a
//!   valid index:
//!
//! ```
//! use fbnic_hw::csr::{mbx, queue};
//! use fbnic_hw::reg::{Bar0, Bar4, Io32, RegisterIo};
//! fn poke(bar0: &impl Io32<Bar0>, bar4: &impl Io32<Bar4>) {
//!     bar4.write_raw(mbx::FW_ZERO_REG::AT, 0);
//!     const Q: queue::QueueIdx = queue::QueueIdx::new_const::<127>();
//!     bar0.write_raw(queue::TWQ0_TAIL::at(Q), 0);
//! }
//! ```
//!
//!   but a BAR4 register cannot be handed to a BAR0 mapping:
//!
//! ```compile_fail
//! use fbnic_hw::reg::{Bar0, Io32, RegisterIo};
//! use fbnic_hw::csr::mbx;
//! fn poke(bar0: &impl Io32<Bar0>) {
//!     // A mailbox register lives in BAR4: this does not compile.
//!     bar0.write_raw(mbx::FW_ZERO_REG::AT, 0);
//! }
//! ```
//!
//! and a plain number is not a location:
//!
//! ```compile_fail
//! use fbnic_hw::reg::{Bar0, Io32, RegisterIo};
//! fn poke(bar0: &impl Io32<Bar0>) {
//!     bar0.write_raw(0x8400, 0);
//! }
//! ```
//!
//! nor is an index past the end of an array (there is no `QueueIdx` of 128):
//!
//! ```compile_fail
//! use fbnic_hw::csr::queue;
//! const Q: queue::QueueIdx = queue::QueueIdx::new_const::<128>();
//! ```
//!
//! - Access rules are part of the declaration ([`Access`], reset value,
//!   implemented bits), and [`RegInfo::apply_write`] turns them into what a
//!   write leaves behind; the emulator's register files use exactly that.
//! - Each block's declarations are listed in its `REGISTERS` table of
//!   [`RegInfo`], with the C macro each one stands for; a host test
//!   evaluates those macros in the kernel's `fbnic_csr.h` and compares.
//!
//! A register is declared like this (in a `hw/csr/` block module):
//!
//! ```text
//! register! {
//!     /// `FBNIC_INTR_CQ_REARM(n)`: per-vector rearm.
//!     pub CQ_REARM(Bar0) @ 0x00400, [VectorIdx * 4] = "FBNIC_INTR_CQ_REARM(n)" {
//!         /// RX completion coalescing timeout in microseconds.
//!         RCQ_TIMEOUT: 13:0 = "FBNIC_INTR_CQ_REARM_RCQ_TIMEOUT";
//!         /// Unmask the vector.
//!         INTR_UNMASK: 31:31 = "FBNIC_INTR_CQ_REARM_INTR_UNMASK";
//!     }
//!     /// A read-only register with a reset value.
//!     pub SOME_ID(Bar0) @ 0x00010 = "FBNIC_SOME_ID", read_only(), reset(0x1) {}
//! }
//! ```
//!
//! A single register has `AT`; an array `[Idx * stride]` has `at(i)`, a
//! two-dimensional one `[I * s1, J * s2]` has `at(i, j)`. The C name is a
//! C expression in the array's indices `n` and `m`.

use core::fmt;
use core::marker::PhantomData;

use super::field::Field32;

/// A register BAR: [`Bar0`] (the CSRs) or [`Bar4`] (the firmware mailbox).
pub trait Bar: Copy + 'static {
    /// The PCI BAR number.
    const INDEX: u32;
}

/// BAR0: the device's CSRs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bar0;

/// BAR4: the firmware mailbox window and OTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bar4;

impl Bar for Bar0 {
    const INDEX: u32 = 0;
}

impl Bar for Bar4 {
    const INDEX: u32 = 4;
}

/// A register location in BAR `B`, with its register type erased: a dword
/// index that came from a register declaration.
///
/// Tables mixing registers (the statistics, the register dump) hold these;
/// code that knows the register holds an [`At`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc<B: Bar> {
    index: u32,
    _bar: PhantomData<B>,
}

impl<B: Bar> Loc<B> {
    /// For the section walks of [`csr`](super::csr) only (the register
    /// dump): `index` must lie in a declared block or be a location the
    /// C driver reads too.
    #[doc(hidden)]
    pub const fn __new(index: u32) -> Self {
        Self {
            index,
            _bar: PhantomData,
        }
    }

    /// Dword index within the BAR (the C driver's register number).
    pub const fn index(self) -> u32 {
        self.index
    }

    /// Byte offset within the BAR.
    pub const fn byte_offset(self) -> u64 {
        self.index as u64 * 4
    }
}

impl<B: Bar> fmt::Debug for Loc<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BAR{}[{:#07x}]", B::INDEX, self.index)
    }
}

/// The location of register `R`.
pub struct At<R: Register> {
    index: u32,
    _reg: PhantomData<R>,
}

impl<R: Register> At<R> {
    /// For [`register!`] only: `index` must be where `R` lives.
    #[doc(hidden)]
    pub const fn __new(index: u32) -> Self {
        Self {
            index,
            _reg: PhantomData,
        }
    }

    /// Dword index within the register's BAR.
    pub const fn index(self) -> u32 {
        self.index
    }

    /// The location with the register type erased.
    pub const fn loc(self) -> Loc<R::Bar> {
        Loc {
            index: self.index,
            _bar: PhantomData,
        }
    }
}

impl<R: Register> Clone for At<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Register> Copy for At<R> {}

impl<R: Register> PartialEq for At<R> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}

impl<R: Register> Eq for At<R> {}

impl<R: Register> fmt::Debug for At<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{:?}", R::INFO.name, self.loc())
    }
}

/// What software may do with a register, and what a write does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read and write; a write stores the implemented bits.
    ReadWrite,
    /// Read only; writes are ignored.
    ReadOnly,
    /// Write one to clear: a write clears the bits written as one.
    WriteOneToClear,
}

/// A register's declaration, as data: for the emulator, the register dump
/// and the check against `fbnic_csr.h`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegInfo {
    /// The name in the declaration (the C name without its block prefix).
    pub name: &'static str,
    /// The C macro (an expression in the indices `n` and `m`).
    pub c: &'static str,
    /// The PCI BAR.
    pub bar: u32,
    /// Dword index of the first instance.
    pub base: u32,
    /// Instances and stride (dwords) of the first and second index;
    /// `(1, 0)` for a dimension the register does not have.
    pub dims: [(u32, u32); 2],
    /// What a write does.
    pub access: Access,
    /// Value after reset.
    pub reset: u32,
    /// Bits that hold what is written (the others read as zero).
    pub writable: u32,
    /// The named fields.
    pub fields: &'static [FieldInfo],
}

impl RegInfo {
    /// A read-write register of fully implemented bits that resets to 0.
    #[doc(hidden)]
    pub const fn __new(
        name: &'static str,
        c: &'static str,
        bar: u32,
        base: u32,
        dims: [(u32, u32); 2],
        fields: &'static [FieldInfo],
    ) -> Self {
        Self {
            name,
            c,
            bar,
            base,
            dims,
            access: Access::ReadWrite,
            reset: 0,
            writable: u32::MAX,
            fields,
        }
    }

    /// Declaration rule: writes are ignored.
    pub const fn read_only(self) -> Self {
        Self {
            access: Access::ReadOnly,
            ..self
        }
    }

    /// Declaration rule: writing a one clears the bit.
    pub const fn w1c(self) -> Self {
        Self {
            access: Access::WriteOneToClear,
            ..self
        }
    }

    /// Declaration rule: the value after reset.
    pub const fn reset(self, reset: u32) -> Self {
        Self { reset, ..self }
    }

    /// Declaration rule: only these bits are implemented.
    pub const fn writable(self, writable: u32) -> Self {
        Self { writable, ..self }
    }

    /// Number of instances (1 for a single register).
    pub const fn count(&self) -> u32 {
        self.dims[0].0.saturating_mul(self.dims[1].0)
    }

    /// Dword index of instance `(n, m)`, or `None` past the array.
    pub const fn index_of(&self, n: u32, m: u32) -> Option<u32> {
        if n >= self.dims[0].0 || m >= self.dims[1].0 {
            return None;
        }
        Some(
            self.base
                .wrapping_add(n.wrapping_mul(self.dims[0].1))
                .wrapping_add(m.wrapping_mul(self.dims[1].1)),
        )
    }

    /// Dword index of instance `(n, m)`, or `u32::MAX` (past the end of
    /// any BAR, so that an access there fails like any other access out
    /// of range) for an instance the register does not have. For code that
    /// handles raw indices, such as an emulator.
    pub const fn dword(&self, n: u32, m: u32) -> u32 {
        match self.index_of(n, m) {
            Some(i) => i,
            None => u32::MAX,
        }
    }

    /// The instance `(n, m)` at dword `index`, or `None` if no instance
    /// of this register is there.
    pub const fn instance(&self, index: u32) -> Option<(u32, u32)> {
        let Some(rel) = index.checked_sub(self.base) else {
            return None;
        };
        // Take the larger stride first; the declaration's own arithmetic
        // then confirms the guess.
        let (s0, s1) = (self.dims[0].1, self.dims[1].1);
        let (n, m) = if s0 >= s1 {
            let n = match rel.checked_div(s0) {
                Some(n) => n,
                None => 0,
            };
            let rest = rel - n.wrapping_mul(s0);
            match rest.checked_div(s1) {
                Some(m) => (n, m),
                None => (n, rest),
            }
        } else {
            let m = rel / s1;
            let rest = rel - m.wrapping_mul(s1);
            match rest.checked_div(s0) {
                Some(n) => (n, m),
                None => (rest, m),
            }
        };
        match self.index_of(n, m) {
            Some(i) if i == index => Some((n, m)),
            _ => None,
        }
    }

    /// What a write of `value` leaves in the register, which holds
    /// `current`; `None` if the write changes nothing (read-only).
    pub const fn apply_write(&self, current: u32, value: u32) -> Option<u32> {
        match self.access {
            Access::ReadWrite => Some(value & self.writable),
            Access::ReadOnly => None,
            Access::WriteOneToClear => Some(current & !value),
        }
    }
}

/// A named field's declaration, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// The name in the declaration.
    pub name: &'static str,
    /// The C macro (`GENMASK()` or `CSR_BIT()` value).
    pub c: &'static str,
    /// The field's bits in place.
    pub mask: u32,
}

/// A field of register `R`: a [`Field32`] that only applies to `R`'s
/// values.
pub struct Field<R> {
    field: Field32,
    _reg: PhantomData<R>,
}

impl<R> Field<R> {
    /// Bits `hi` down to `lo`, inclusive.
    pub const fn new(hi: u32, lo: u32) -> Self {
        Self {
            field: Field32::new(hi, lo),
            _reg: PhantomData,
        }
    }

    /// The field as an untyped [`Field32`].
    pub const fn field(self) -> Field32 {
        self.field
    }

    /// The field's bits in place (`GENMASK()`).
    pub const fn mask(self) -> u32 {
        self.field.mask()
    }

    /// Largest value the field holds (`FIELD_MAX()`).
    pub const fn max(self) -> u32 {
        self.field.max()
    }

    /// `value` placed in the field, bits that do not fit dropped
    /// (`FIELD_PREP()`).
    pub const fn prep(self, value: u32) -> u32 {
        self.field.prep(value)
    }

    /// The field of a raw register value (`FIELD_GET()`).
    pub const fn get(self, raw: u32) -> u32 {
        self.field.get(raw)
    }

    /// Whether `value` fits without truncation.
    pub const fn fits(self, value: u32) -> bool {
        self.field.fits(value)
    }
}

impl<R> Clone for Field<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Field<R> {}

impl<R> fmt::Debug for Field<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({:#010x})", self.field.mask())
    }
}

/// A register type, made by [`register!`].
pub trait Register: Copy + Sized {
    /// The BAR the register lives in.
    type Bar: Bar;
    /// The declaration.
    const INFO: RegInfo;
    /// A value of the register from its raw bits.
    fn from_raw(raw: u32) -> Self;
    /// The raw bits of a value.
    fn raw(self) -> u32;
}

/// Raw 32-bit access to the registers of one BAR: what a mapping (the
/// driver) or a register file (the emulator) provides.
pub trait Io32<B: Bar> {
    /// Reads the register at `loc`.
    fn read32(&self, loc: Loc<B>) -> u32;
    /// Writes the register at `loc`.
    fn write32(&self, loc: Loc<B>, value: u32);
}

/// Typed register access on top of [`Io32`], for every BAR mapping.
pub trait RegisterIo<B: Bar>: Io32<B> {
    /// Reads register `R` at `at`.
    fn read<R: Register<Bar = B>>(&self, at: At<R>) -> R {
        R::from_raw(self.read32(at.loc()))
    }

    /// Writes `value` to register `R` at `at`.
    fn write<R: Register<Bar = B>>(&self, at: At<R>, value: R) {
        self.write32(at.loc(), value.raw());
    }

    /// Reads register `R` at `at` as a plain number (counters, pointers,
    /// addresses: registers that are one value).
    fn read_raw<R: Register<Bar = B>>(&self, at: At<R>) -> u32 {
        self.read32(at.loc())
    }

    /// Writes a plain number to register `R` at `at`.
    fn write_raw<R: Register<Bar = B>>(&self, at: At<R>, value: u32) {
        self.write32(at.loc(), value);
    }

    /// Reads register `R` at `at`, clears the bits of `clear`, sets those of
    /// `set` and writes it back.
    fn rmw_raw<R: Register<Bar = B>>(&self, at: At<R>, clear: u32, set: u32) {
        let value = self.read32(at.loc());
        self.write32(at.loc(), (value & !clear) | set);
    }

    /// Reads register `R` at `at`, changes it with `f` and writes it back.
    fn update<R: Register<Bar = B>>(&self, at: At<R>, f: impl FnOnce(R) -> R) {
        let value = f(self.read(at));
        self.write(at, value);
    }
}

impl<B: Bar, T: Io32<B> + ?Sized> RegisterIo<B> for T {}

/// Declares a bounded index type: `index! { /// docs\n pub QueueIdx < 128; }`
/// makes `QueueIdx`, which holds a number below 128 and nothing else.
#[macro_export]
#[doc(hidden)]
macro_rules! __fbnic_index {
    ($(#[$meta:meta])* $vis:vis $name:ident < $count:expr;) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(u32);

        #[allow(dead_code)]
        impl $name {
            /// Number of valid indices.
            pub const COUNT: u32 = $count;

            /// The index `n`, or `None` if it is not below `COUNT`.
            pub const fn new(n: u32) -> Option<Self> {
                if n < Self::COUNT {
                    Some(Self(n))
                } else {
                    None
                }
            }

            /// The index `N`, checked at compile time.
            pub const fn new_const<const N: u32>() -> Self {
                const {
                    assert!(N < $count, "index out of range");
                }
                Self(N)
            }

            /// The index `n` modulo `COUNT`: a ring's slot.
            pub const fn wrapping(n: u32) -> Self {
                Self(n % Self::COUNT)
            }

            /// The index as a number.
            pub const fn get(self) -> u32 {
                self.0
            }

            /// Every index, in order.
            pub fn all() -> impl DoubleEndedIterator<Item = Self> {
                (0..Self::COUNT).map(Self)
            }
        }
    };
}

/// Declares registers; see the [module documentation](self).
#[macro_export]
#[doc(hidden)]
macro_rules! __fbnic_register {
    () => {};

    // What every register has.
    (@reg $(#[$meta:meta])* $vis:vis $name:ident($bar:ident) @ $base:literal,
        $dims:expr, $c:literal, [$($rule:ident($($arg:expr)?))*],
        [$($(#[$fmeta:meta])* $field:ident: $hi:literal: $lo:literal = $fc:literal;)*]
    ) => {
        $(#[$meta])*
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Default, PartialEq, Eq)]
        #[repr(transparent)]
        $vis struct $name(u32);

        #[allow(dead_code)]
        impl $name {
            $(
                $(#[$fmeta])*
                pub const $field: $crate::hw::reg::Field<Self> =
                    $crate::hw::reg::Field::new($hi, $lo);
            )*

            /// The declaration (also [`Register::INFO`], without the
            /// trait in scope).
            pub const INFO: $crate::hw::reg::RegInfo =
                <Self as $crate::hw::reg::Register>::INFO;

            /// The value with every bit clear.
            pub const fn zeroed() -> Self {
                Self(0)
            }

            /// The value of raw bits `raw`.
            pub const fn from_raw(raw: u32) -> Self {
                Self(raw)
            }

            /// The raw bits.
            pub const fn raw(self) -> u32 {
                self.0
            }

            /// Field `f` of this value.
            pub const fn get(self, f: $crate::hw::reg::Field<Self>) -> u32 {
                f.get(self.0)
            }

            /// Whether any bit of field `f` is set (for one-bit fields: the
            /// flag).
            pub const fn is_set(self, f: $crate::hw::reg::Field<Self>) -> bool {
                self.0 & f.mask() != 0
            }

            /// This value with field `f` set to `value` (bits that do not
            /// fit are dropped, like `FIELD_PREP()`).
            pub const fn with(self, f: $crate::hw::reg::Field<Self>, value: u32) -> Self {
                Self((self.0 & !f.mask()) | f.prep(value))
            }

            /// This value with every bit of field `f` set (a flag raised).
            pub const fn set(self, f: $crate::hw::reg::Field<Self>) -> Self {
                Self(self.0 | f.mask())
            }

            /// This value with every bit of field `f` clear.
            pub const fn clear(self, f: $crate::hw::reg::Field<Self>) -> Self {
                Self(self.0 & !f.mask())
            }
        }

        impl $crate::hw::reg::Register for $name {
            type Bar = $crate::hw::reg::$bar;
            const INFO: $crate::hw::reg::RegInfo = $crate::hw::reg::RegInfo::__new(
                stringify!($name),
                $c,
                <$crate::hw::reg::$bar as $crate::hw::reg::Bar>::INDEX,
                $base,
                $dims,
                &[$($crate::hw::reg::FieldInfo {
                    name: stringify!($field),
                    c: $fc,
                    mask: $crate::hw::field::Field32::new($hi, $lo).mask(),
                }),*],
            )$(.$rule($($arg)?))*;

            fn from_raw(raw: u32) -> Self {
                Self(raw)
            }

            fn raw(self) -> u32 {
                self.0
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, concat!(stringify!($name), "({:#010x})"), self.0)
            }
        }
    };


    // A single register.
    (
        $(#[$meta:meta])* $vis:vis $name:ident($bar:ident) @ $base:literal
        = $c:literal $(, $rule:ident($($arg:expr)?))* {
            $($(#[$fmeta:meta])* $field:ident : $hi:literal : $lo:literal = $fc:literal;)*
        }
        $($rest:tt)*
    ) => {
        $crate::__fbnic_register!(@reg $(#[$meta])* $vis $name($bar) @ $base,
            [(1, 0), (1, 0)], $c, [$($rule($($arg)?))*],
            [$($(#[$fmeta])* $field: $hi: $lo = $fc;)*]);
        #[allow(dead_code)]
        impl $name {
            /// The register's location.
            pub const AT: $crate::hw::reg::At<Self> = $crate::hw::reg::At::__new($base);

            /// The register's dword index, for matching raw accesses (an
            /// emulator's dispatch).
            pub const INDEX: u32 = $base;
        }
        $crate::__fbnic_register!($($rest)*);
    };

    // An array of registers.
    (
        $(#[$meta:meta])* $vis:vis $name:ident($bar:ident) @ $base:literal,
        [$idx:ident * $stride:literal] = $c:literal $(, $rule:ident($($arg:expr)?))* {
            $($(#[$fmeta:meta])* $field:ident : $hi:literal : $lo:literal = $fc:literal;)*
        }
        $($rest:tt)*
    ) => {
        $crate::__fbnic_register!(@reg $(#[$meta])* $vis $name($bar) @ $base,
            [($idx::COUNT, $stride), (1, 0)], $c, [$($rule($($arg)?))*],
            [$($(#[$fmeta])* $field: $hi: $lo = $fc;)*]);
        #[allow(dead_code)]
        impl $name {
            /// Location of instance `n`.
            pub const fn at(n: $idx) -> $crate::hw::reg::At<Self> {
                $crate::hw::reg::At::__new(
                    ($base as u32).wrapping_add(n.get().wrapping_mul($stride as u32)),
                )
            }

            /// The instance at BAR dword `index`, if one is there.
            pub const fn decode(index: u32) -> Option<$idx> {
                match <Self as $crate::hw::reg::Register>::INFO.instance(index) {
                    Some((n, _)) => $idx::new(n),
                    None => None,
                }
            }
        }
        $crate::__fbnic_register!($($rest)*);
    };

    // A two-dimensional array of registers.
    (
        $(#[$meta:meta])* $vis:vis $name:ident($bar:ident) @ $base:literal,
        [$idx:ident * $stride:literal, $idx2:ident * $stride2:literal] = $c:literal
        $(, $rule:ident($($arg:expr)?))* {
            $($(#[$fmeta:meta])* $field:ident : $hi:literal : $lo:literal = $fc:literal;)*
        }
        $($rest:tt)*
    ) => {
        $crate::__fbnic_register!(@reg $(#[$meta])* $vis $name($bar) @ $base,
            [($idx::COUNT, $stride), ($idx2::COUNT, $stride2)], $c, [$($rule($($arg)?))*],
            [$($(#[$fmeta])* $field: $hi: $lo = $fc;)*]);
        #[allow(dead_code)]
        impl $name {
            /// Location of instance `(n, m)`.
            pub const fn at(n: $idx, m: $idx2) -> $crate::hw::reg::At<Self> {
                $crate::hw::reg::At::__new(
                    ($base as u32)
                        .wrapping_add(n.get().wrapping_mul($stride as u32))
                        .wrapping_add(m.get().wrapping_mul($stride2 as u32)),
                )
            }

            /// The instance at BAR dword `index`, if one is there.
            pub const fn decode(index: u32) -> Option<($idx, $idx2)> {
                match <Self as $crate::hw::reg::Register>::INFO.instance(index) {
                    Some((n, m)) => match ($idx::new(n), $idx2::new(m)) {
                        (Some(n), Some(m)) => Some((n, m)),
                        _ => None,
                    },
                    None => None,
                }
            }
        }
        $crate::__fbnic_register!($($rest)*);
    };

}

pub use crate::__fbnic_index as index;
pub use crate::__fbnic_register as register;

#[cfg(test)]
mod tests;
