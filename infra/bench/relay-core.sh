#!/usr/bin/env bash
# Relay core benchmark: the relay process alone, without agents (infra/bench/relay.sh measures agent
# to agent). Throughput (iperf3, UDP) and round-trip time of a path through the relay vs a direct path,
# measured in the same run on loopback, printed with the ratio.
#
#   infra/bench/relay-core.sh [SECONDS] [RATE]     # defaults: 5 s per iperf3 run, offered 300M (iperf3 -b)
#
# What runs: the relay (Release build, standalone with a fresh issuer key), an iperf3 server, and
# infra/bench/RelayBench (relay-bench): a relaying client pair that binds with signed tokens and carries
# iperf3's UDP datagrams (its TCP control channel is forwarded directly) and a UDP echo through the relay.
# The agents' own relay client (Agent traversal) is not used here: this measures the relay itself.
# The relayed path adds the harness's two user-space hops (wrap at the client side, unwrap at the server
# side, as an agent would) and the relay; the direct path has neither. On a loaded 2-CPU machine the
# figures swing with the load (run it on a quiet machine).
# Needs: dotnet, iperf3. Only loopback is used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v iperf3 >/dev/null || { echo "relay-core.sh: iperf3 not found (apt-get install iperf3)" >&2; exit 1; }
dotnet build Relay/HamachiCloud.Relay.csproj -c Release -nologo -v q >/dev/null
dotnet build infra/bench/RelayBench/RelayBench.csproj -c Release -nologo -v q >/dev/null
dotnet infra/bench/RelayBench/bin/Release/net10.0/relay-bench.dll \
    "$PWD/Relay/bin/Release/net10.0/HamachiCloud.Relay.dll" "${1:-5}" "${2:-300M}"
