#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The lab guest's init, run by /sbin/lab-init from the run's share (/lab).
# Sets up a minimal system, runs /lab/test.sh, records its exit code in
# /lab/results/exitcode and powers the VM off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb PYTHONDONTWRITEBYTECODE=1

mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
for d in /tmp /run /var /dev/shm /root; do
	mount -t tmpfs tmpfs "$d"
done
mkdir -p /var/tmp /var/log /var/lib /run/netns
mount --bind /lab/lib/modules /usr/lib/modules
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# configfs: netconsole targets (netpoll_basic), as systemd mounts it
mount -t configfs configfs /sys/kernel/config 2>/dev/null
# devtmpfs has no /dev/fd; bash process substitution needs it.
ln -sfn /proc/self/fd /dev/fd
hostname fbnic-lab
ip link set lo up

set -a
. /lab/env
set +a
export LAB=/lab RESULTS=/lab/results
# vm-run.sh --share: a read-only folder from the host.
[ -z "${EXTRA:-}" ] ||
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro extra "$EXTRA"

echo "lab: $(uname -r), $(nproc) cpus, driver $DRIVER"
eval "set -- $(cat /lab/args)"
/bin/bash /lab/test.sh "$@" </dev/null
echo $? >/lab/results/exitcode.tmp
dmesg >/lab/results/dmesg.txt
mv /lab/results/exitcode.tmp /lab/results/exitcode
sync
busybox reboot -f
