// SPDX-License-Identifier: GPL-2.0

//! Raw bindings for the C interfaces `kernel::bindings` lacks.
//!
//! Generated at build time by bindgen from `include/kernel_ext_bindings.h`
//! with the module's C flags; `rust/bindgen_parameters` selects the items.
//! The driver's Kbuild writes the output into the build directory and tells
//! rustc where through the `KERNEL_EXT_BINDINGS_RS` variable.
//!
//! Only the rest of this layer uses these bindings. A driver that needs a C
//! interface that is missing here wraps it in a safe abstraction first.
//!
//! Types also present in `kernel::bindings` are distinct Rust types here
//! (with the same layout), except `struct device`, which is the kernel
//! crate's, so that pointers obtained from `kernel::device::Device` fit
//! without a cast.

#![allow(
    clippy::all,
    clippy::as_underscore,
    clippy::cast_lossless,
    clippy::ptr_as_ptr,
    clippy::ref_as_ptr,
    clippy::undocumented_unsafe_blocks,
    dead_code,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    improper_ctypes,
    unreachable_pub,
    unnecessary_transmutes,
    unsafe_op_in_unsafe_fn
)]

use kernel::ffi;
use pin_init::{
    MaybeZeroable,
    Zeroable, //
};

pub use kernel::bindings::device;

// Blocklisted by the kernel's bindgen parameters, defined the same way as
// in the kernel crate's bindings.
type __kernel_size_t = usize;
type __kernel_ssize_t = isize;
type __kernel_ptrdiff_t = isize;

// bindgen does not derive this for its bitfield storage unit
// (<https://github.com/rust-lang/rust-bindgen/issues/3196>).
//
// SAFETY: `__BindgenBitfieldUnit<Storage>` is a newtype around `Storage`, so
// it is valid as all zeroes whenever `Storage` is.
unsafe impl<Storage> Zeroable for __BindgenBitfieldUnit<Storage> where Storage: Zeroable {}

include!(env!("KERNEL_EXT_BINDINGS_RS"));
