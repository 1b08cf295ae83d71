# SPDX-License-Identifier: GPL-2.0
# What "make zero-copy" shows inside the VM (run by scripts/selftests.sh
# --cmd, in the installed selftests, with $NETIF, $REMOTE_IF and $NS set
# and the two ports addressed as for the selftests): zero-copy receive
# over the emulated fbnic, with the kernel's own tools.
#
# 1. devmem TCP: ncdevmem binds a udmabuf (guest memory a dma-buf stands
#    for) to port 0's last RX queue, turns on header split, steers the flow
#    there with a flow rule, and checks every payload byte it finds in the
#    dma-buf; port 1 (netns remote) sends 1 MiB of a 7-byte pattern.
# 2. io_uring zero-copy receive: iou-zcrx registers a zero-copy RX queue
#    with io_uring and checks what port 1 sends into it.
# Each step ends with "ok" or "FAILED"; the last line counts them.
cd drivers/net/hw || exit 1
LOCAL=192.0.3.1 PEER=192.0.3.2 LOCAL6=2001:db8:1::1
ok=0 failed=0

show() {
	printf '\n$ %s\n' "$*"
	"$@" 2>&1
}

verdict() { # RC WHAT
	if [ "$1" -eq 0 ]; then
		echo "zero-copy: $2: ok"; ok=$((ok + 1))
	else
		echo "zero-copy: $2: FAILED (exit $1)"; failed=$((failed + 1))
	fi
}

show ethtool -i "$NETIF"
show ethtool -l "$NETIF"
last=$(($(ethtool -l "$NETIF" | awk '/^Combined/ { n = $2 } END { print n }') - 1))

echo
echo "== devmem TCP receive into a udmabuf (queue $last)"
# ncdevmem prints each fragment it receives; the count and the total are
# what matters here.
./ncdevmem -l -f "$NETIF" -s "$LOCAL" -p 5201 -c "$PEER" -v 7 >/tmp/ncdevmem.log 2>&1 &
srv=$!
for _ in $(seq 50); do
	ss -tln | grep -q ':5201 ' && break
	sleep 0.2
done
yes "$(printf '\x01\x02\x03\x04\x05\x06')" | head -c 1M |
	ip netns exec "$NS" socat -u - "TCP4:$LOCAL:5201,bind=$PEER:5201"
wait $srv
rc=$?
grep -E 'dmabuf id|header split|flow rule|binding|skip|FAIL|[Ee]rror|: ok$' /tmp/ncdevmem.log
printf 'fragments received into the dma-buf: %s\n' "$(grep -c 'received frag_page' /tmp/ncdevmem.log)"
grep -E 'total_received' /tmp/ncdevmem.log | tail -1
verdict $rc "devmem TCP receive"

echo
echo "== io_uring zero-copy receive (queue $last)"
show ethtool -G "$NETIF" tcp-data-split on hds-thresh 0
ethtool -X "$NETIF" equal "$last"
rule=$(ethtool -N "$NETIF" flow-type tcp6 dst-port 5202 action "$last" | sed -n 's/.*ID \([0-9]*\).*/\1/p')
./iou-zcrx -s -p 5202 -i "$NETIF" -q "$last" >/tmp/iou-zcrx.log 2>&1 &
srv=$!
for _ in $(seq 50); do
	ss -tln | grep -q ':5202 ' && break
	sleep 0.2
done
ip netns exec "$NS" ./iou-zcrx -c -h "$LOCAL6" -p 5202 -l 12840
wait $srv
rc=$?
cat /tmp/iou-zcrx.log
[ -n "$rule" ] && ethtool -N "$NETIF" delete "$rule"
ethtool -X "$NETIF" default
ethtool -G "$NETIF" tcp-data-split auto
verdict $rc "io_uring zero-copy receive"

echo
echo "zero-copy: $ok passed, $failed failed"
