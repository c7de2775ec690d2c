#!/usr/bin/env bash
# A simulated internet with NAT'd sites, made of network namespaces and nftables (issue 5).
#
#   infra/lab/nat.sh up PREFIX KIND...   # KIND: none | eim | symmetric | udp-blocked | same-lan
#   infra/lab/nat.sh status PREFIX       # namespaces, addresses, NAT rules and drop counters
#   infra/lab/nat.sh down PREFIX         # ends processes in the lab and deletes all of its namespaces
#
# Topology (see infra/lab/README.md; tests/HamachiCloud.Testing/Net/NatLab.cs runs this script):
#   PREFIX-inet   the "internet": a router with no default route (nothing can leave the lab)
#   PREFIX-srv    server, eth0 = 203.0.113.10/24 and 198.51.100.10/24 (relay, STUN, Api)
#   site i (1-based, in the order given):
#     none        PREFIX-si-h1 holds the public address 192.0.2.(8i+2)/29 itself
#     otherwise   router PREFIX-si-r: wan0 = 192.0.2.(8i+2)/29, bridge br0 = 198.18.i.1/24;
#                 hosts PREFIX-si-hj (eth0 = 198.18.i.(10+j)/24, default via the router)
#       eim         masquerade: endpoint-independent mapping, address-and-port-dependent filtering
#       symmetric   masquerade fully-random: a random public port per new 5-tuple
#       udp-blocked masquerade, and every UDP packet from the LAN dropped in the forward chain (TCP passes)
#       same-lan    like eim with two hosts on the LAN; no hairpinning
# Both ends of every veth are created inside the lab's namespaces; nothing touches the caller's
# namespace. Routers drop unsolicited inbound traffic explicitly (no ICMP port unreachable).
# `up` prints the lab, one item per line:
#   internet NS
#   server NS ADDRESS1 ADDRESS2
#   site I KIND ROUTER_NS|- PUBLIC_ADDRESS
#   host I J NS ADDRESS
# PREFIX: 2-10 characters [a-z0-9], unique per run; namespaces are named "PREFIX-...".
# Needs root. A failing `up` removes what it made.
set -euo pipefail

readonly SERVER_ADDRESSES=(203.0.113.10 198.51.100.10)
readonly MAX_SITES=30

usage() {
  echo "usage: $0 up PREFIX KIND... | status PREFIX | down PREFIX   (KIND: none eim symmetric udp-blocked same-lan)" >&2
  exit 2
}

check_prefix() {
  [[ "$1" =~ ^[a-z0-9]{2,10}$ ]] || {
    echo "nat.sh: PREFIX '$1' must be 2-10 characters [a-z0-9]" >&2
    exit 2
  }
}

lab_namespaces() {
  ip netns list | awk '{print $1}' | grep "^$1-" | sort || true
}

down() {
  local ns
  for ns in $(lab_namespaces "$1"); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns delete "$ns"
  done
}

new_ns() {
  ip netns add "$1"
  ip -n "$1" link set lo up
}

# The internet router: one point-to-point link per site and one to the server; no default route.
make_internet() {
  local inet=$1 srv=$2
  new_ns "$inet"
  ip netns exec "$inet" sysctl -qw net.ipv4.ip_forward=1
  new_ns "$srv"
  ip link add srv netns "$inet" type veth peer name eth0 netns "$srv"
  ip -n "$inet" addr add 203.0.113.1/24 dev srv
  ip -n "$inet" addr add 198.51.100.1/24 dev srv
  ip -n "$inet" link set srv up
  ip -n "$srv" addr add "${SERVER_ADDRESSES[0]}/24" dev eth0
  ip -n "$srv" addr add "${SERVER_ADDRESSES[1]}/24" dev eth0
  ip -n "$srv" link set eth0 up
  ip -n "$srv" route add default via 203.0.113.1
}

# nftables for a NAT router. $3 = masquerade flags ("" or "fully-random"), $4 = 1 to drop LAN UDP.
nat_rules() {
  local router=$1 lan=$2 flags=$3 block_udp=$4 udp_rule=""
  if [[ "$block_udp" == 1 ]]; then
    udp_rule='iifname "br0" meta l4proto udp counter name udp_blocked drop'
  fi
  ip netns exec "$router" nft -f - <<EOF
table inet lab {
  counter udp_blocked {}
  counter unsolicited {}
  chain forward {
    type filter hook forward priority filter; policy drop;
    ${udp_rule}
    ct state established,related accept
    iifname "br0" oifname "wan0" accept
    counter name unsolicited drop
  }
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wan0" ct state established,related accept
    iifname "wan0" counter name unsolicited drop
  }
}
table ip nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan0" ip saddr ${lan} masquerade ${flags}
  }
}
EOF
}

# Site $2 of kind $3; appends its lines to OUT.
make_site() {
  local prefix=$1 i=$2 kind=$3 inet=$1-inet base public gateway router lan hosts j host
  base=$((8 * i))
  gateway=192.0.2.$((base + 1))
  public=192.0.2.$((base + 2))
  if [[ "$kind" == none ]]; then
    host=$prefix-s$i-h1
    new_ns "$host"
    ip link add "s$i" netns "$inet" type veth peer name eth0 netns "$host"
    ip -n "$inet" addr add "$gateway/29" dev "s$i"
    ip -n "$inet" link set "s$i" up
    ip -n "$host" addr add "$public/29" dev eth0
    ip -n "$host" link set eth0 up
    ip -n "$host" route add default via "$gateway"
    OUT+=$'\n'"site $i none - $public"$'\n'"host $i 1 $host $public"
    return
  fi

  router=$prefix-s$i-r
  lan=198.18.$i.0/24
  new_ns "$router"
  ip netns exec "$router" sysctl -qw net.ipv4.ip_forward=1
  ip link add "s$i" netns "$inet" type veth peer name wan0 netns "$router"
  ip -n "$inet" addr add "$gateway/29" dev "s$i"
  ip -n "$inet" link set "s$i" up
  ip -n "$router" addr add "$public/29" dev wan0
  ip -n "$router" link set wan0 up
  ip -n "$router" route add default via "$gateway"
  # With br_netfilter loaded (Docker hosts), bridged LAN-to-LAN frames would cross the forward chain
  # and be dropped as unsolicited; a LAN switch does not filter, so bridged frames skip netfilter.
  if [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]]; then
    ip netns exec "$router" sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 net.bridge.bridge-nf-call-arptables=0
  fi
  ip -n "$router" link add br0 type bridge
  ip -n "$router" addr add "198.18.$i.1/24" dev br0
  ip -n "$router" link set br0 up
  case "$kind" in
    eim | same-lan) nat_rules "$router" "$lan" "" 0 ;;
    symmetric) nat_rules "$router" "$lan" fully-random 0 ;;
    udp-blocked) nat_rules "$router" "$lan" "" 1 ;;
  esac
  hosts=1
  [[ "$kind" == same-lan ]] && hosts=2
  OUT+=$'\n'"site $i $kind $router $public"
  for ((j = 1; j <= hosts; j++)); do
    host=$prefix-s$i-h$j
    new_ns "$host"
    ip link add "h$j" netns "$router" type veth peer name eth0 netns "$host"
    ip -n "$router" link set "h$j" master br0 up
    ip -n "$host" addr add "198.18.$i.$((10 + j))/24" dev eth0
    ip -n "$host" link set eth0 up
    ip -n "$host" route add default via "198.18.$i.1"
    OUT+=$'\n'"host $i $j $host 198.18.$i.$((10 + j))"
  done
}

up() {
  local prefix=$1 kind i=0
  shift
  (($# >= 1 && $# <= MAX_SITES)) || {
    echo "nat.sh: give 1-$MAX_SITES site kinds" >&2
    exit 2
  }
  for kind in "$@"; do
    case "$kind" in
      none | eim | symmetric | udp-blocked | same-lan) ;;
      *)
        echo "nat.sh: unknown site kind '$kind' (none eim symmetric udp-blocked same-lan)" >&2
        exit 2
        ;;
    esac
  done
  if [[ -n "$(lab_namespaces "$prefix")" ]]; then
    echo "nat.sh: namespaces '$prefix-*' exist already (nat.sh down $prefix)" >&2
    exit 1
  fi
  trap 'echo "nat.sh: up $prefix failed; removing its namespaces" >&2; down "$prefix"' ERR
  make_internet "$prefix-inet" "$prefix-srv"
  OUT="internet $prefix-inet"$'\n'"server $prefix-srv ${SERVER_ADDRESSES[*]}"
  for kind in "$@"; do
    i=$((i + 1))
    make_site "$prefix" "$i" "$kind"
  done
  trap - ERR
  echo "$OUT"
}

status() {
  local ns
  for ns in $(lab_namespaces "$1"); do
    echo "== $ns"
    ip -n "$ns" -br addr show | grep -v '^lo ' || true
    ip netns exec "$ns" nft list ruleset 2>/dev/null || true
  done
}

[[ $# -ge 2 ]] || usage
check_prefix "$2"
case "$1" in
  up) up "${@:2}" ;;
  status)
    [[ $# -eq 2 ]] || usage
    status "$2"
    ;;
  down)
    [[ $# -eq 2 ]] || usage
    down "$2"
    ;;
  *) usage ;;
esac
