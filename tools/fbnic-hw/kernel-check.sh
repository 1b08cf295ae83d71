#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile drivers/net/ethernet/meta/fbnic/hw/ the way the kernel module will:
# a `#![no_std]` crate that declares `pub mod hw;`, with the Rust flags and
# clippy lints of the kernel's top-level Makefile (rust_common_flags and
# KBUILD_RUSTFLAGS, minus the -Z options that need a nightly compiler) and
# every warning an error. Run from anywhere; exits non-zero on any
# diagnostic.
#
# RUSTC selects the compiler (default: rustc on PATH; the kernel build uses
# /usr/bin/rustc). Clippy runs through the clippy-driver on PATH.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
hw=$(cd "$here/../../drivers/net/ethernet/meta/fbnic/hw" && pwd)
rustc=${RUSTC:-rustc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/root.rs" <<EOF
// SPDX-License-Identifier: GPL-2.0

//! Stand-in for the fbnic module's crate root.

#![no_std]

#[path = "$hw/mod.rs"]
pub mod hw;
EOF

rust_flags=(
	--edition=2021 --crate-type rlib --crate-name fbnic_hw_kcheck
	-Cpanic=abort -Copt-level=2 -Cdebug-assertions=y -Coverflow-checks=y
	-Dwarnings
	-Dnon_ascii_idents -Dunsafe_op_in_unsafe_fn
	-Wmissing_docs -Wrust_2018_idioms -Wunreachable_pub
	--out-dir "$tmp"
)

clippy_flags=(
	-Wclippy::all -Wclippy::as_ptr_cast_mut -Wclippy::as_underscore
	-Wclippy::cast_lossless -Aclippy::collapsible_if -Aclippy::collapsible_match
	-Wclippy::ignored_unit_patterns -Wclippy::mut_mut
	-Wclippy::needless_bitwise_bool -Aclippy::needless_lifetimes
	-Wclippy::no_mangle_with_rust_abi -Wclippy::ptr_as_ptr
	-Wclippy::ptr_cast_constness -Wclippy::ref_as_ptr
	-Wclippy::undocumented_unsafe_blocks -Aclippy::uninlined_format_args
	-Wclippy::unnecessary_safety_comment -Wclippy::unnecessary_safety_doc
	-Aclippy::unwrap_or_default -Wclippy::float_arithmetic
)

echo "kernel-check: $("$rustc" --version)"
"$rustc" "${rust_flags[@]}" "$tmp/root.rs"

# The kernel points clippy at its .clippy.toml (CLIPPY_CONF_DIR=$(srctree)),
# whose MSRV keeps lints from suggesting APIs newer than Rust 1.85.
printf 'msrv = "1.85.0"\ncheck-private-items = true\n' >"$tmp/clippy.toml"

echo "kernel-check: $(clippy-driver --version)"
CLIPPY_CONF_DIR=$tmp clippy-driver "${rust_flags[@]}" "${clippy_flags[@]}" "$tmp/root.rs"

echo "kernel-check: ok"
