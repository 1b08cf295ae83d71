#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What "make demo" shows inside the VM: the emulated fbnic ports, the
# driver bound to them and what it found.
. /lab/lib/lab.sh

show() {
	printf '\n$ %s\n' "$*"
	"$@" 2>&1
}

show lspci -nn -d 1d9b:
show modprobe -v fbnic
sleep 1
show lspci -k -d 1d9b:
printf '\n$ dmesg | grep fbnic\n'
dmesg | grep -i fbnic
show ip -br link
show rmmod fbnic
printf '\n$ dmesg | grep fbnic | tail -n 2\n'
dmesg | grep -i fbnic | tail -n 2
