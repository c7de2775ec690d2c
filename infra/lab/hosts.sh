#!/usr/bin/env bash
# Network-namespace hosts on one virtual switch, for integration tests and benchmarks.
#
#   infra/lab/hosts.sh up PREFIX N     # namespaces PREFIXsw (bridge br0) and PREFIXh1..PREFIXhN
#   infra/lab/hosts.sh down PREFIX     # deletes every namespace whose name starts with PREFIX
#
# Each host has eth0 = 198.18.0.(10+i)/24 (RFC 2544 benchmarking range, never routed anywhere) on
# the switch namespace's bridge. Both ends of every veth are created directly inside the lab's
# namespaces, so nothing is added to the caller's namespace; no host has a default route.
# `up` prints one line per host: "NAME ADDRESS". Needs root. A failing `up` removes what it made.
# PREFIX: 2-10 characters [a-z0-9], unique per run so parallel runs do not collide.
set -euo pipefail

usage() {
  echo "usage: $0 up PREFIX N | down PREFIX" >&2
  exit 2
}

check_prefix() {
  [[ "$1" =~ ^[a-z0-9]{2,10}$ ]] || {
    echo "hosts.sh: PREFIX '$1' must be 2-10 characters [a-z0-9]" >&2
    exit 2
  }
}

down() {
  local prefix=$1 ns
  for ns in $(ip netns list | awk '{print $1}'); do
    if [[ "$ns" == "$prefix"* ]]; then
      ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
      ip netns delete "$ns"
    fi
  done
}

up() {
  local prefix=$1 count=$2 sw=${1}sw i host
  [[ "$count" =~ ^[0-9]+$ ]] && ((count >= 1 && count <= 200)) || {
    echo "hosts.sh: N '$count' must be 1-200" >&2
    exit 2
  }
  if ip netns list | awk '{print $1}' | grep -q "^${prefix}"; then
    echo "hosts.sh: namespaces with prefix '$prefix' exist already (hosts.sh down $prefix)" >&2
    exit 1
  fi
  trap 'echo "hosts.sh: up $prefix failed; removing its namespaces" >&2; down "$prefix"' ERR
  ip netns add "$sw"
  ip -n "$sw" link set lo up
  ip -n "$sw" link add br0 type bridge
  ip -n "$sw" link set br0 up
  for ((i = 1; i <= count; i++)); do
    host=${prefix}h$i
    ip netns add "$host"
    ip -n "$host" link set lo up
    ip link add eth0 netns "$host" type veth peer name "p$i" netns "$sw"
    ip -n "$sw" link set "p$i" master br0 up
    ip -n "$host" addr add "198.18.0.$((10 + i))/24" dev eth0
    ip -n "$host" link set eth0 up
  done
  trap - ERR
  for ((i = 1; i <= count; i++)); do
    echo "${prefix}h$i 198.18.0.$((10 + i))"
  done
}

[[ $# -ge 2 ]] || usage
check_prefix "$2"
case "$1" in
  up)
    [[ $# -eq 3 ]] || usage
    up "$2" "$3"
    ;;
  down)
    [[ $# -eq 2 ]] || usage
    down "$2"
    ;;
  *) usage ;;
esac
