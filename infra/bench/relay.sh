#!/usr/bin/env bash
# Relay benchmark, agent to agent: throughput and round-trip time between two `hamachi` agents over
# their direct path and over the relay (UDP), and to a UDP-blocked agent over the relay's WebSocket,
# measured in one run in the NAT lab and printed with the ratios to the direct path.
#
#   infra/bench/relay.sh [SECONDS] [PINGS]    # defaults: 10 s per iperf3 run, 200 pings per path
#
# What runs (all Release builds, all inside the lab's network namespaces; see infra/lab/nat.sh):
#   PREFIX-srv   the Api (SQLite in a temporary directory, 203.0.113.10:8080) and the relay process
#                (UDP 203.0.113.10:3478, STUN also on 198.51.100.10 and :3479, WebSocket :8443)
#   site 1 none, site 2 none     agents A and B on public addresses: a direct path is possible
#   site 3 udp-blocked           agent C behind a NAT that drops all UDP: relay over WebSocket only
# The three agents are devices of one account in one mesh network, enrolled with setup keys by
# `hamachi login`; the account signs in through the Api's real OAuth code + PKCE flow (curl).
# The Api runs with Relays:BandwidthKbps=0, so relay tokens carry no bandwidth cap: this measures
# the relay path, not the tier's cap (RelayBandwidthTests cover the cap).
#
# Measurements, each over the overlay (100.64.0.0/10) between the agents' TUN interfaces:
#   1. A -> B direct (both agents report path "direct");
#   2. A -> B through the relay over UDP: nftables in the lab's internet router drops UDP between
#      the two sites, the agents fall back to the relay (path "relay"), then the same measurements;
#   3. C -> A through the relay, C over the relay's WebSocket (C's path "relay (tcp)").
# Throughput: iperf3 TCP, one stream, SECONDS long (receiver figure). RTT: PINGS pings 10 ms apart
# (median and minimum; added RTT = the path's median minus the direct path's). The relay's /counters show that
# the relayed runs really crossed the relay (forwarded datagrams and bytes during the run).
# On the shared 2-core machine the agents, the relay, iperf3 and the Api share the CPUs: the
# figures swing with the load, the ratios less so. `relay-core.sh` measures the relay alone.
#
# Needs root, dotnet, iperf3, curl, jq, openssl, nft, ping. Only addresses inside the lab are used;
# the lab is deleted on exit (also on Ctrl-C or failure). HAMACHI_BENCH_KEEP=1 keeps the logs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$PWD

SECS=${1:-10}
PINGS=${2:-200}
[[ $SECS =~ ^[0-9]+$ && $SECS -ge 1 ]] || { echo "relay.sh: SECONDS must be a positive integer" >&2; exit 2; }
[[ $PINGS =~ ^[0-9]+$ && $PINGS -ge 1 ]] || { echo "relay.sh: PINGS must be a positive integer" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "relay.sh: needs root (network namespaces)" >&2; exit 1; }
for tool in dotnet iperf3 curl jq openssl nft ping; do
    command -v "$tool" >/dev/null || { echo "relay.sh: $tool not found (apt-get install iperf3 curl jq openssl nftables iputils-ping)" >&2; exit 1; }
done

say() { printf 'relay.sh: %s\n' "$*" >&2; }
die() { printf 'relay.sh: ERROR: %s\n' "$*" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
API_OUT=$REPO/Api/Server/bin/Release/net10.0
RELAY_OUT=$REPO/Relay/bin/Release/net10.0
AGENT_DLL=$REPO/Agent/Cli/bin/Release/net10.0/hamachi.dll
say "building the Api, the relay and the agent (Release)"
for project in Api/Server/HamachiCloud.Api.csproj Relay/HamachiCloud.Relay.csproj Agent/Cli/HamachiCloud.Agent.csproj; do
    dotnet build "$project" -c Release -nologo -v q >/dev/null || die "dotnet build $project -c Release failed"
done

PREFIX=rb$(($$ % 100000))
WORK=$(mktemp -d /tmp/hamachi-relay-bench.XXXXXX)
PIDS=()
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    "$REPO/infra/lab/nat.sh" down "$PREFIX" >/dev/null 2>&1 || true
    if [[ $rc -ne 0 || ${HAMACHI_BENCH_KEEP:-0} == 1 ]]; then
        say "logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the lab ----------------------------------------------------------------------------------
say "building the NAT lab $PREFIX (none, none, udp-blocked)"
LAB=$("$REPO/infra/lab/nat.sh" up "$PREFIX" none none udp-blocked)
INET=$(awk '$1 == "internet" { print $2 }' <<<"$LAB")
read -r SRV SRV_A SRV_B < <(awk '$1 == "server" { print $2, $3, $4 }' <<<"$LAB")
host_ns() { awk -v s="$1" '$1 == "host" && $2 == s && $3 == 1 { print $4 }' <<<"$LAB"; }
site_public() { awk -v s="$1" '$1 == "site" && $2 == s { print $5 }' <<<"$LAB"; }
NS=("" "$(host_ns 1)" "$(host_ns 2)" "$(host_ns 3)")
PUB1=$(site_public 1)
PUB2=$(site_public 2)
[[ -n $SRV && -n ${NS[1]} && -n ${NS[2]} && -n ${NS[3]} && -n $PUB1 && -n $PUB2 ]] || die "unexpected nat.sh output:\n$LAB"
API=http://$SRV_A:8080

# --- the Api and the relay --------------------------------------------------------------------
in_srv() { ip netns exec "$SRV" "$@"; }
SECRET=$(openssl rand -hex 24)
say "starting the Api at $API (SQLite in $WORK)"
Database__ConnectionString="Data Source=$WORK/hamachi.db" Identity__KeyDirectory="$WORK/keys" Identity__AllowHttp=true \
    Relays__RegistrationSecret="$SECRET" Relays__BandwidthKbps=0 Relays__LiveSeconds=30 \
    ip netns exec "$SRV" dotnet "$API_OUT/HamachiCloud.Api.dll" --contentRoot "$API_OUT" --urls "$API" >"$WORK/api.log" 2>&1 &
PIDS+=($!)
wait_for() { # wait_for WHAT SECONDS COMMAND...: polls COMMAND every 0.25 s
    local what=$1 limit=$2 start=$SECONDS
    shift 2
    until "$@" >/dev/null 2>&1; do
        ((SECONDS - start < limit)) || die "$what did not happen within $limit s (logs in $WORK)"
        sleep 0.25
    done
}
wait_for "the Api answering /health" 90 in_srv curl -sf --max-time 2 "$API/health"

say "starting the relay (UDP $SRV_A:3478, STUN $SRV_B:3478/3479, WebSocket $SRV_A:8443)"
ip netns exec "$SRV" dotnet "$RELAY_OUT/HamachiCloud.Relay.dll" --contentRoot "$RELAY_OUT" --urls "http://$SRV_A:8443" \
    --Relay:Id "$(cat /proc/sys/kernel/random/uuid)" --Relay:Name bench --Relay:ListenAddress "$SRV_A" --Relay:Port 3478 \
    --Relay:AlternateAddress "$SRV_B" --Relay:AlternatePort 3479 --Relay:ApiUrl "$API" --Relay:RegistrationSecret "$SECRET" \
    --Relay:HeartbeatSeconds 5 --Relay:WebSocketUrl "ws://$SRV_A:8443/relay" >"$WORK/relay.log" 2>&1 &
PIDS+=($!)
relay_registered() { [[ "$(in_srv curl -s --max-time 2 "http://$SRV_A:8443/health" | jq -r .status)" == ok ]]; }
wait_for "the relay registering with the Api" 60 relay_registered

# --- an account (OAuth code + PKCE through the sign-in form), a network, setup keys -----------
say "signing up an account and signing in (authorization code + PKCE)"
EMAIL=bench-$PREFIX@example.test
PASSWORD="bench $(openssl rand -hex 12)"
JAR=$WORK/cookies
api_curl() { in_srv curl -sS --max-time 15 -b "$JAR" -c "$JAR" "$@"; }
urlencode() { jq -rn --arg v "$1" '$v | @uri'; }
api_curl -f -H 'content-type: application/json' \
    -d "$(jq -n --arg e "$EMAIL" --arg p "$PASSWORD" '{email: $e, password: $p, displayName: "bench"}')" \
    "$API/api/v1/accounts/register" >/dev/null || die "account registration failed"
VERIFIER=$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\n')
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')
REDIRECT=http://127.0.0.1:5080/signin-oidc
AUTHORIZE="/connect/authorize?client_id=hamachi-portal&response_type=code&redirect_uri=$(urlencode "$REDIRECT")&scope=$(urlencode "openid profile offline_access api")&code_challenge=$CHALLENGE&code_challenge_method=S256&state=bench"
PAGE=$(api_curl "$API/account/login?ReturnUrl=$(urlencode "$AUTHORIZE")")
ANTIFORGERY=$(grep -o 'name="__RequestVerificationToken" value="[^"]*"' <<<"$PAGE" | sed 's/.*value="//; s/"$//')
[[ -n $ANTIFORGERY ]] || die "no antiforgery token on the sign-in page"
api_curl -o /dev/null --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" --data-urlencode "returnUrl=$AUTHORIZE" \
    --data-urlencode "__RequestVerificationToken=$ANTIFORGERY" "$API/account/login"
LOCATION=$(api_curl -o /dev/null -w '%{redirect_url}' "$API$AUTHORIZE")
CODE=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$LOCATION")
[[ -n $CODE ]] || die "the authorize endpoint gave no code (redirect: '$LOCATION')"
TOKEN=$(api_curl -f -d grant_type=authorization_code -d client_id=hamachi-portal --data-urlencode "code=$(printf '%b' "${CODE//%/\\x}")" \
    --data-urlencode "redirect_uri=$REDIRECT" -d "code_verifier=$VERIFIER" "$API/connect/token" | jq -r .access_token)
[[ -n $TOKEN && $TOKEN != null ]] || die "no access token from /connect/token"
bearer() { in_srv curl -sSf --max-time 15 -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' "$@"; }
bearer -d '{"name":"relay bench"}' "$API/api/v1/networks" >/dev/null || die "creating the network failed"

# --- three agents -----------------------------------------------------------------------------
declare -A IP STATE
for i in 1 2 3; do
    KEY=$(bearer -d "{\"name\":\"bench$i\"}" "$API/api/v1/setup-keys" | jq -r .key)
    STATE[$i]=$WORK/agent$i
    ip netns exec "${NS[$i]}" dotnet "$AGENT_DLL" login --server "$API" --setup-key "$KEY" --name "bench$i" --state-dir "${STATE[$i]}" \
        >"$WORK/login$i.log" 2>&1 || die "hamachi login on ${NS[$i]} failed: $(cat "$WORK/login$i.log")"
    ip netns exec "${NS[$i]}" dotnet "$AGENT_DLL" daemon --state-dir "${STATE[$i]}" >"$WORK/daemon$i.log" 2>&1 &
    PIDS+=($!)
done
list_json() { dotnet "$AGENT_DLL" list --json --state-dir "${STATE[$1]}" 2>/dev/null; }
for i in 1 2 3; do
    wait_for "agent $i logging in" 60 grep -q "control channel logged in" "$WORK/daemon$i.log"
done
for i in 1 2 3; do
    IP[$i]=$(dotnet "$AGENT_DLL" status --json --state-dir "${STATE[$i]}" | jq -r '.virtualIPv4 // empty')
    [[ -n ${IP[$i]} ]] || die "agent $i reports no overlay address"
done
path_of() { # path_of I J: agent I's path to agent J
    list_json "$1" | jq -r --arg ip "${IP[$2]}" '[.[].members[] | select(.iPv4 == $ip) | .path] | first // "not listed"'
}
path_is() { [[ "$(path_of "$1" "$2")" == "$3" ]]; }

# --- measurements -----------------------------------------------------------------------------
ping_rtt() { # ping_rtt FROM_NS TO_IP: "MEDIAN MIN LOST" RTT in ms over PINGS pings (median: robust to scheduler hiccups)
    ip netns exec "$1" ping -n -c "$PINGS" -i 0.01 -W 1 "$2" | sed -n 's/.* time=\([0-9.]*\) ms/\1/p' | sort -g |
        awk -v sent="$PINGS" '{ t[NR] = $1 } END { if (NR == 0) { print "n/a n/a " sent; exit } m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.3f %.3f %d\n", m, t[1], sent - NR }'
}
iperf_mbps() { # iperf_mbps FROM_NS TO_NS TO_IP: TCP receiver throughput in Mbit/s
    ip netns exec "$2" iperf3 -s -1 -B "$3" >"$WORK/iperf3-server.log" 2>&1 &
    local server=$! result
    sleep 0.5
    result=$(ip netns exec "$1" iperf3 -c "$3" -t "$SECS" -J 2>/dev/null | jq '.end.sum_received.bits_per_second / 1e6' || echo 0)
    wait "$server" 2>/dev/null || true
    printf '%.1f' "${result:-0}"
}
counters() { in_srv curl -s --max-time 2 -H "Authorization: Bearer $SECRET" "http://$SRV_A:8443/counters"; }
ROWS=()
measure() { # measure LABEL FROM TO
    local label=$1 from=$2 to=$3 before after rtt rttmin lost mbps fwd bytes
    before=$(counters)
    say "$label: ping ($PINGS) and iperf3 TCP (${SECS} s), ${NS[$from]} -> ${IP[$to]}"
    read -r rtt rttmin lost < <(ping_rtt "${NS[$from]}" "${IP[$to]}")
    mbps=$(iperf_mbps "${NS[$from]}" "${NS[$to]}" "${IP[$to]}")
    after=$(counters)
    fwd=$(jq -n --argjson a "$after" --argjson b "$before" '$a.forwarded - $b.forwarded')
    bytes=$(jq -n --argjson a "$after" --argjson b "$before" '($a.forwardedBytes - $b.forwardedBytes) / 1e6 | floor')
    ROWS+=("$label|$mbps|$rtt|$rttmin|$lost|$fwd|$bytes|$(path_of "$from" "$to")")
}

say "waiting for A and B to go direct, and for C to reach A over the relay's WebSocket"
wait_for "A -> B direct" 60 path_is 1 2 direct
wait_for "B -> A direct" 30 path_is 2 1 direct
wait_for "C -> A over the WebSocket relay" 60 path_is 3 1 "relay (tcp)"
measure "direct A-B" 1 2

say "cutting the direct path (nftables in $INET drops UDP between $PUB1 and $PUB2)"
ip netns exec "$INET" nft -f - <<EOF
table inet relaybench {
    chain forward {
        type filter hook forward priority -10; policy accept;
        ip saddr $PUB1 ip daddr $PUB2 meta l4proto udp counter drop
        ip saddr $PUB2 ip daddr $PUB1 meta l4proto udp counter drop
    }
}
EOF
wait_for "A -> B on the relay after the cut" 30 path_is 1 2 relay
wait_for "B -> A on the relay after the cut" 30 path_is 2 1 relay
measure "relay (UDP) A-B" 1 2
measure "relay (WebSocket) C-A" 3 1

# --- report -----------------------------------------------------------------------------------
IFS='|' read -r _ DIRECT_MBPS DIRECT_RTT _ <<<"${ROWS[0]}"
echo
echo "Relay benchmark, agent to agent ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg); iperf3 TCP ${SECS} s, $PINGS pings 10 ms apart; Release builds)"
printf '%-22s %8s %9s %11s %10s %9s %5s %12s %9s  %s\n' path Mbit/s "vs direct" "RTT median" "RTT min" "added" lost "relay dgrams" "relay MB" "agent's path"
for row in "${ROWS[@]}"; do
    IFS='|' read -r label mbps rtt rttmin lost fwd bytes path <<<"$row"
    ratio=$(awk -v a="$mbps" -v b="$DIRECT_MBPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
    added=$(awk -v a="$rtt" -v b="$DIRECT_RTT" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) printf "%+.3f", a - b; else print "n/a" }')
    printf '%-22s %8s %9s %8s ms %7s ms %6s ms %5s %12s %9s  %s\n' "$label" "$mbps" "$ratio" "$rtt" "$rttmin" "$added" "$lost" "$fwd" "$bytes" "$path"
done
