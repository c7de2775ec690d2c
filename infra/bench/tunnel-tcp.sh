#!/usr/bin/env bash
# TCP throughput through a tunnel between two lab hosts (infra/lab/hosts.sh), ours or stock wireguard-go.
#
#   infra/bench/tunnel-tcp.sh ours [HAMACHI_DLL]   # default: Agent/Cli/bin/Release/net10.0/hamachi.dll
#   infra/bench/tunnel-tcp.sh wireguard-go
#   SECONDS_PER_RUN=10 IPERF_ARGS="-P 4" infra/bench/tunnel-tcp.sh ours
#
# Prints iperf3's sender and receiver lines. Build first: dotnet build Agent/Cli -c Release.
# Needs root, iperf3, wg, wireguard-go. The lab is removed on exit, also on failure. The machine is
# shared: interleave rounds (ours, theirs, ours, ...) and compare medians.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=$here/../lab/hosts.sh
kind=${1:?usage: $0 ours [HAMACHI_DLL] | wireguard-go}
dll=${2:-$here/../../Agent/Cli/bin/Release/net10.0/hamachi.dll}
prefix=bn$$
work=$(mktemp -d)
cleanup() {
  "$lab" down "$prefix" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"$lab" up "$prefix" 2 >/dev/null
a=${prefix}h1 b=${prefix}h2
k1=$(wg genkey) k2=$(wg genkey)
p1=$(wg pubkey <<<"$k1") p2=$(wg pubkey <<<"$k2")
case $kind in
  ours)
    printf '[Interface]\nPrivateKey = %s\nAddress = 100.64.0.1/10\nListenPort = 51820\n[Peer]\nPublicKey = %s\nEndpoint = 198.18.0.12:51820\nAllowedIPs = 100.64.0.2/32\n' "$k1" "$p2" >"$work/a.conf"
    printf '[Interface]\nPrivateKey = %s\nAddress = 100.64.0.2/10\nListenPort = 51820\n[Peer]\nPublicKey = %s\nAllowedIPs = 100.64.0.1/32\n' "$k2" "$p1" >"$work/b.conf"
    ip netns exec "$a" dotnet "$dll" up --config "$work/a.conf" >"$work/a.log" 2>&1 &
    ip netns exec "$b" dotnet "$dll" up --config "$work/b.conf" >"$work/b.log" 2>&1 &
    ;;
  wireguard-go)
    # Unique names: wireguard-go's control socket (/var/run/wireguard/NAME.sock) is not per namespace.
    ip netns exec "$a" wireguard-go -f "${prefix}a" >/dev/null 2>&1 &
    ip netns exec "$b" wireguard-go -f "${prefix}b" >/dev/null 2>&1 &
    for _ in $(seq 50); do ip -n "$b" link show "${prefix}b" >/dev/null 2>&1 && ip -n "$a" link show "${prefix}a" >/dev/null 2>&1 && break; sleep 0.1; done
    echo "$k1" >"$work/k1"
    echo "$k2" >"$work/k2"
    ip netns exec "$a" wg set "${prefix}a" private-key "$work/k1" listen-port 51820 peer "$p2" allowed-ips 100.64.0.2/32 endpoint 198.18.0.12:51820
    ip netns exec "$b" wg set "${prefix}b" private-key "$work/k2" listen-port 51820 peer "$p1" allowed-ips 100.64.0.1/32
    ip -n "$a" addr add 100.64.0.1/10 dev "${prefix}a" && ip -n "$a" link set "${prefix}a" up
    ip -n "$b" addr add 100.64.0.2/10 dev "${prefix}b" && ip -n "$b" link set "${prefix}b" up
    ;;
  *)
    echo "usage: $0 ours [HAMACHI_DLL] | wireguard-go" >&2
    exit 2
    ;;
esac
for _ in $(seq 30); do ip netns exec "$a" ping -c 1 -W 1 100.64.0.2 >/dev/null 2>&1 && break; done
ip netns exec "$b" iperf3 -s -1 -D -B 100.64.0.2 >/dev/null
sleep 0.5
# shellcheck disable=SC2086
ip netns exec "$a" iperf3 -c 100.64.0.2 -t "${SECONDS_PER_RUN:-5}" ${IPERF_ARGS:-} | grep -E "sender|receiver"
