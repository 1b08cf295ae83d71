#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of make bench's XDP and devmem cases (scripts/bench.sh runs
# it with the kernel's installed selftests shared at $EXTRA, for their
# xdp_native.bpf.o and ncdevmem). Port 1 (netns remote) receives; port 0
# sends. One JSON line per case in $RESULTS/bench-xdp.jsonl:
#
# - xdp-drop: tests/py/lib/udp_blast.py sends 60-byte UDP frames from
#   port 0 to port 1 for SECONDS; xdp_native.bpf.o (the program of the
#   kernel's xdp.py) on port 1 drops them. "pps" is what port 1's driver
#   counted as received (rx_packets: every frame the program saw, in both
#   drivers) per second.
# - xdp-tx: the same, the program bouncing each frame back (MAC and IP
#   addresses swapped). "pps" is what came back, counted by the sender's
#   driver (port 0's rx_packets) per second; "xdp_pps" what port 1's
#   program saw, "xdp_tx_packets" and "xdp_tx_dropped" port 1's
#   xdp_tx_queue_*_{packets,dropped} (frames its XDP TX ring had no room for).
# - devmem: ncdevmem receives 16 MiB sent by socat from port 1 into a
#   udmabuf bound to port 0's last RX queue (as make zero-copy does);
#   "mb_s" is MB per second. When the driver refuses the setup (header
#   split, flow rule or the dma-buf binding) the line says
#   "supported": false with ncdevmem's error, and no rate.
#
# Each case's packets or bytes are framed by two insn_mark calls
# ("marks"), so with "scripts/vm-run.sh --insns" the summary gives guest
# instructions per packet (the sender's included: it runs in the same
# guest) and per MB. Arguments: [seconds per XDP case] (default 5).
. /lab/lib/lab.sh

secs=${1:-5}
out=$RESULTS/bench-xdp.jsonl
: >"$out"
obj=${EXTRA:-/lab/extra}/net/lib/xdp_native.bpf.o
ncdevmem=${EXTRA:-/lab/extra}/drivers/net/hw/ncdevmem
port=5201

load_driver || { echo "bench-xdp: driver did not load"; exit 1; }
setup_pair || { echo "bench-xdp: the two ports did not come up"; exit 1; }
cat /proc/kallsyms >"$RESULTS/kallsyms"
mark=0
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
remote() { ip netns exec remote "$@"; }
ifstat() { cat "/sys/class/net/$1/statistics/$2"; }
rstat() { remote cat "/sys/class/net/$REMOTE_IF/statistics/$1"; }
xdp_tx() { # packets|dropped: the sum of port 1's xdp_tx_queue_N_<what>
	remote ethtool -S "$REMOTE_IF" | awk -v w="$1" '$1 ~ "^xdp_tx_queue_[0-9]+_" w ":$" { n += $2 } END { print n + 0 }'
}
# map_xdp_setup of xdp_native.bpf.c: key 0 the mode, key 1 the UDP port.
map_set() { # KEY VALUE (u32 each)
	bpftool map update name map_xdp_setup \
		key hex $(printf '%02x %02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) 0 0) \
		value hex $(printf '%02x %02x %02x %02x' $(($2 & 255)) $(($2 >> 8 & 255)) 0 0)
}

# record CASE JSON-FIELDS: one line with the driver, the case and its marks.
record() {
	printf '{"driver": "%s", "case": "%s", "marks": [%d, %d], %s}\n' \
		"$DRIVER" "$1" "$mark" $((mark + 1)) "$2" | tee -a "$out"
}

xdp_case() { # NAME MODE
	local name=$1 rx0 rx1 back0 back1 tx0 tx1 dr0 dr1 t0 t1 snd
	map_set 0 "$2" && map_set 1 $port || { echo "bench-xdp: $name: map update failed"; return 1; }
	# Warm up: ARP, the rings' pages.
	python3 /lab/py/lib/udp_blast.py "$REMOTE_V4" $port 0.3 >/dev/null
	sleep 0.5
	rx0=$(rstat rx_packets) back0=$(ifstat "$NETIF" rx_packets)
	tx0=$(xdp_tx packets) dr0=$(xdp_tx dropped)
	t0=$(date +%s.%N)
	insn_mark
	snd=$(python3 /lab/py/lib/udp_blast.py "$REMOTE_V4" $port "$secs")
	sleep 0.5
	insn_mark
	t1=$(date +%s.%N)
	rx1=$(rstat rx_packets) back1=$(ifstat "$NETIF" rx_packets)
	tx1=$(xdp_tx packets) dr1=$(xdp_tx dropped)
	record "$name" "$(python3 - "$rx0" "$rx1" "$back0" "$back1" "$tx0" "$tx1" "$dr0" "$dr1" "$t0" "$t1" "$snd" "$name" <<'EOF'
import json, sys
rx0, rx1, b0, b1, x0, x1, d0, d1, t0, t1 = (float(a) for a in sys.argv[1:11])
snd, name = json.loads(sys.argv[11]), sys.argv[12]
# The rate over the time the sender sent: what arrived in the half
# second after it stopped was sent within it.
secs = snd["seconds"]
rx, back, xtx = rx1 - rx0, b1 - b0, x1 - x0
r = {"seconds": secs, "wall_seconds": t1 - t0, "sent": snd["sent"],
     "xdp_packets": rx, "xdp_pps": rx / secs}
if name == "xdp-tx":
    r.update(packets=back, pps=back / secs, xdp_tx_packets=xtx, xdp_tx_dropped=d1 - d0)
else:
    r.update(packets=rx, pps=rx / secs)
print(json.dumps(r)[1:-1])
EOF
)"
	mark=$((mark + 2))
}

if [ ! -f "$obj" ]; then
	echo "bench-xdp: no $obj (the installed selftests are shared at \$EXTRA)"
	exit 1
fi
if remote ip link set dev "$REMOTE_IF" xdpdrv obj "$obj" sec xdp; then
	xdp_case xdp-drop 1
	xdp_case xdp-tx 2
	remote ip link set dev "$REMOTE_IF" xdpdrv off
else
	echo "bench-xdp: native XDP did not attach to $REMOTE_IF"
fi

# devmem TCP receive on port 0, as make zero-copy runs it.
timeout 120 "$ncdevmem" -l -f "$NETIF" -s "$LOCAL_V4" -p $port -c "$REMOTE_V4" >/tmp/ncdevmem.log 2>&1 &
srv=$!
for _ in $(seq 50); do
	ss -tln | grep -q ":$port " && break
	kill -0 $srv 2>/dev/null || break
	sleep 0.2
done
bytes=$((16 << 20))
t0=$(date +%s.%N)
insn_mark
if ss -tln | grep -q ":$port "; then
	yes "$(printf '\x01\x02\x03\x04\x05\x06')" | head -c $bytes |
		remote socat -u - "TCP4:$LOCAL_V4:$port,bind=$REMOTE_V4:$port"
fi
rc=0
wait $srv || rc=$?
insn_mark
t1=$(date +%s.%N)
got=$(sed -n 's/^total_received=//p' /tmp/ncdevmem.log | tail -n1)
cp /tmp/ncdevmem.log "$RESULTS/ncdevmem.log"
if [ $rc -eq 0 ] && [ "${got:-0}" -eq $bytes ]; then
	record devmem "$(printf '"supported": true, "bytes": %d, "seconds": %s, "mb_s": %s' \
		$bytes "$(echo "$t1 - $t0" | bc -l)" "$(echo "$bytes / 1000000 / ($t1 - $t0)" | bc -l)")"
elif ! grep -q '^Got connection' /tmp/ncdevmem.log; then
	# The device or driver refused what devmem needs before any data.
	why=$(grep -m1 -iE 'fail|error|bad attribute|not supported|skip' /tmp/ncdevmem.log | tr -d '"\\')
	record devmem "$(printf '"supported": false, "reason": "%s (exit %d)"' "${why:-no reason printed}" $rc)"
else
	echo "bench-xdp: devmem: ncdevmem exit $rc, received ${got:-nothing} of $bytes bytes"
fi
mark=$((mark + 2))
