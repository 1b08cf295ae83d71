#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What "make demo" shows inside the VM: the emulated fbnic ports, the
# driver bound to them, what it found, and traffic between the two ports
# (port 1 in netns "remote") when the driver brings up netdevs.
. /lab/lib/lab.sh

show() {
	printf '\n$ %s\n' "$*"
	"$@" 2>&1
}

show lspci -nn -d 1d9b:
if [ "$DRIVER" = rust ]; then
	show modprobe -v fbnic
else
	printf '\n$ insmod %s   # the upstream C driver, for comparison\n' "$C_FBNIC"
	load_driver
fi
sleep 1
show lspci -k -d 1d9b:
printf '\n$ dmesg | grep fbnic\n'
dmesg | grep -i fbnic
show ip -br link

if setup_pair >/dev/null 2>&1; then
	show ethtool -i "$NETIF"
	printf '\n$ ethtool %s | grep -E "Speed|Duplex|Link detected"\n' "$NETIF"
	ethtool "$NETIF" | grep -E 'Speed|Duplex|Link detected'
	show ip -br addr show dev "$NETIF"
	show ping -c 3 -W 2 "$REMOTE_V4"
	show ping -6 -c 3 -W 2 "$REMOTE_V6"
	show ip -s link show dev "$NETIF"
else
	printf '\n(no carrier on two fbnic netdevs: no traffic to show)\n'
fi

show rmmod fbnic
printf '\n$ dmesg | grep fbnic | tail -n 3\n'
dmesg | grep -i fbnic | tail -n 3
