#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /etc/rc.local of the installed system: the last boot script, after udev
# loaded fbnic and ifupdown configured eth0 by DHCP. It proves the system
# is on the network (an HTTP fetch from the install server, checked against
# the checksum the installer recorded), reports on the console in lines
# starting "netinstall-online:" and powers the machine off.

say() { echo "netinstall-online: $*" >/dev/console; }

server=$(cat /etc/netinstall/server)
drv=$(readlink /sys/class/net/eth0/device/driver 2>/dev/null)
if [ "${drv##*/}" != fbnic ]; then
	say "FAILED: eth0 is not driven by fbnic (driver: ${drv:-none})"
	poweroff
	exit 0
fi
addr=$(ip -4 -o addr show dev eth0 | awk '{ print $4 }')
say "eth0: driver fbnic, module $(modinfo -F filename fbnic) ($(modinfo -F description fbnic)), address ${addr:-none}, hostname $(hostname)"
want=$(cat /etc/netinstall/probe.sha256)
if wget -q -O /tmp/probe "$server/install/probe" 2>/dev/null; then
	got=$(sha256sum /tmp/probe | cut -d' ' -f1)
	if [ "$got" = "$want" ]; then
		say "OK: fetched $server/install/probe, $(wc -c </tmp/probe) bytes, sha256 $got"
	else
		say "FAILED: probe checksum $got, expected $want"
	fi
else
	say "FAILED: cannot fetch $server/install/probe"
fi
poweroff
exit 0
