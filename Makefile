# SPDX-License-Identifier: GPL-2.0
#
# fbnic-rs: the Rust fbnic driver, its emulator and the lab around them.
#
#   make demo     boot a VM with two emulated fbnic ports, show the driver
#   make test     the whole test suite; ends with "N passed, N failed"
#
# Both install what they need on first use (scripts/setup.sh), caching heavy
# artifacts under $(FBNIC_CACHE) (default ~/.cache/fbnic-rs).
#
#   make bench    iperf3 with both drivers on the emulator and over virtio-net:
#                 Rust/C and fbnic/virtio-net ratios (exit 1 if a run fails)
#   make fuzz     the parsers' fuzz targets, 10^8 executions each (RUNS=N,
#                 TARGETS="tlv ..."); results in Documentation/results/fuzzing.md
#   make check    the longer tier: make test with both selftests lists whole
#                 and the whole netinstall (install, reboot, bad input)
#   make netinstall [DRIVER=rust|c]   install Debian over emulated fbnic
#
# Finer targets: setup, emu, module, clippy, doctests, unit, clean.

SHELL := /bin/bash
FBNIC_CACHE ?= $(HOME)/.cache/fbnic-rs
export FBNIC_CACHE

# Only when this file is read by make itself; Kbuild reads ./Kbuild.
LAB := . scripts/lib.sh &&

.PHONY: all demo test check c-fixes fuzz netinstall netinstall-setup bench zero-copy debug-kernel reliability selftests setup emu module clippy doctests unit intree clean

all: module emu

setup:
	@scripts/setup.sh all

emu:
	cargo build --release -p fbnic-emu -p guest-insns

module: setup
	@$(LAB) kmake M=$(CURDIR) modules

clippy: setup
	@$(LAB) kmake M=$(CURDIR) CLIPPY=1 KERNEL_EXT_DOCTESTS=y modules

# The module, and the doc examples of rust/ compiled against it (see
# "The kernel_ext layer's doc examples" in the driver's Kbuild).
doctests: setup
	@$(LAB) kmake M=$(CURDIR) KERNEL_EXT_DOCTESTS=y modules

unit:
	cargo test --workspace

demo: module emu
	@scripts/demo.sh

test: module emu netinstall-setup
	@tests/run.sh

check: module emu netinstall-setup
	@scripts/setup.sh provision-c
	@scripts/setup.sh provision-rust-m
	@tests/run.sh --tier full

# The upstream C driver with the fixes proposed for it
# (Documentation/upstream/fbnic-c), on the recovery cases they fix.
c-fixes: module emu
	@scripts/c-fixes.sh

# What make test's netinstall needs beyond the lab: the Debian mirror and
# the Rust provisioning kernel (cached, keyed by their inputs).
netinstall-setup: setup
	@scripts/setup.sh mirror
	@scripts/setup.sh provision-rust

netinstall: module emu
	@scripts/setup.sh mirror
	@scripts/setup.sh provision-$(or $(DRIVER),rust)
	@scripts/netinstall.sh --driver $(or $(DRIVER),rust)

# The long fuzzing tier (Documentation/fuzzing.md): each target for RUNS
# executions (default 10^8), from the committed seeds; make test runs a
# short pass of them.
fuzz:
	@scripts/fuzz.sh --runs $(or $(RUNS),100000000) --jobs $(or $(JOBS),1) --sanitizer $(or $(SANITIZER),address) --report Documentation/results/fuzzing.md $(TARGETS)

# Zero-copy receive over the emulated fbnic (Documentation/zero-copy.md):
# devmem TCP into a udmabuf with ncdevmem, then io_uring zero-copy receive.
zero-copy: module emu
	@scripts/selftests.sh --driver $(or $(DRIVER),c) --tests "" --cmd "$$(cat tests/vm/zero-copy.sh)"

# The suites and pp_alloc_fail on the debug kernel (KASAN, lockdep, UBSAN,
# kmemleak): make debug-kernel [DRIVERS="rust c"] [SUITES="basic traffic recovery"]
debug-kernel: emu
	@scripts/debug-kernel.sh $(if $(DRIVERS),--drivers "$(DRIVERS)") $(if $(SUITES),--suites "$(SUITES)")

# The fault matrix (Documentation/reliability.md): every fault row for both
# drivers, idle and under iperf3, and load/unload and unbind/bind cycles
# under traffic; results/reliability/matrix.md and .json. A long tier, not
# in make test: make reliability [DRIVERS="rust c"] [LOADS="idle iperf3 cycles"]
# [RELIABILITY_CYCLES=1000] [RELIABILITY_BINDS=100]
# (FBNIC_KERNEL_FLAVOUR=debug: on the debug kernel, results/reliability-debug/).
reliability: module emu
	@scripts/reliability.sh $(if $(DRIVERS),--drivers "$(DRIVERS)") $(if $(LOADS),--loads "$(LOADS)")

# iperf3 with the Rust and the C driver in turns, ROUNDS times (default 3),
# then XDP_DROP, XDP_TX and devmem RX rates; medians and Rust/C ratios.
bench: module emu
	@scripts/bench.sh $(if $(ROUNDS),--rounds $(ROUNDS))

# The kernel's net selftests in the VM: make selftests [DRIVER=c|rust] [TESTS="ping stats"]
selftests: module emu
	@scripts/selftests.sh --driver $(or $(DRIVER),c) $(if $(TESTS),--tests "$(TESTS)")

# The driver as a patch series against Linux 7.3 (results/intree/), checked
# with checkpatch --strict and applied to a copy of the tree. Needs the
# kernel source only (setup's packages stage installs it), no kernel build.
intree:
	@[ -d "$(FBNIC_CACHE)/src/current" ] || [ -f /usr/src/linux-source-7.3.tar.xz ] || \
		scripts/setup.sh packages
	@scripts/intree.sh --check

clean:
	@if [ -d "$(FBNIC_CACHE)/kernel/current/build" ]; then \
		$(LAB) kmake M=$(CURDIR) clean; fi
	cargo clean
	rm -rf results
