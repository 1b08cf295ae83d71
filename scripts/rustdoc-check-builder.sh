#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rustdoc's --test-builder for the doc examples of the kernel_ext layer (see
# "The kernel_ext layer's doc examples" in the driver's Kbuild). rustdoc
# hands it each example on standard input, as a program to compile with
# the arguments given; with --no-run that is metadata only, so examples
# are type-checked against the kernel crate and the layer and nothing is
# linked (code for the kernel links into no program).
#
# It adds to each example what the kernel's own doctest generator
# (scripts/rustdoc_test_gen.rs) puts around its examples: a dummy module
# type, `LocalModule`, which `#[vtable]` implementations name, and the log
# prefix of the `pr_*!` macros.
{
	cat
	cat <<'RUST'

#[allow(dead_code)]
const __LOG_PREFIX: &[u8] = b"kernel_ext_doctests\0";

/// Dummy module type for doctest context.
struct LocalModule;

impl ::kernel::ModuleMetadata for LocalModule {
    const NAME: &'static ::kernel::str::CStr = c"kernel_ext_doctests";
    // SAFETY: A null module pointer is never dereferenced: the examples are
    // compiled, not run.
    const THIS_MODULE: ::kernel::ThisModule =
        unsafe { ::kernel::ThisModule::from_ptr(::core::ptr::null_mut()) };
}
RUST
} | exec "${KEXT_DOCTEST_RUSTC:?}" "$@"
