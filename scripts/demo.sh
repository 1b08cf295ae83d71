#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# "make demo": boots the lab VM with two emulated fbnic ports and shows the
# Rust driver at work on them (tests/vm/demo.sh), on the VM's console.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
t0=$SECONDS
"$FBNIC_TOP/scripts/vm-run.sh" --console --driver "${DRIVER:-rust}" \
	--results "$FBNIC_TOP/results/demo" "$FBNIC_TOP/tests/vm/demo.sh"
log "demo finished in $((SECONDS - t0)) s; logs in results/demo/"
