#!/usr/bin/env bash
# Ban-check benchmark (not a timed test): the Api's CPU per request with 0, 1,000 and 100,000 bans, as ratios
# to the no-ban case measured in the same run (issue 14: the cost per request stays flat; target under 1.1).
#
#   infra/bench/bans.sh [ROUNDS] [REQUESTS]     # defaults: 3 rounds, 20,000 requests per measurement
#
# What runs (Release builds; this script builds nothing, it says what to build when a dll is missing):
#   infra/bench/BanBench (ban-bench): for each round and each ban count, in the order 0, 1,000, 100,000 (so the
#   cases interleave), writes that many random bans (IPv4 /16../32 outside 127/8, one in five IPv6) into a SQLite
#   database in a temporary directory through the Migrations DbContext, starts the real Api on it on a free loopback
#   port, warms it up, then sends REQUESTS anonymous GET /api/v1/networks from 127.0.0.1, 8 at a time (each passes
#   the ban check, then answers 401), and reads the Api process's CPU time (utime + stime, /proc) around them.
# Prints one line per measurement, then "0 bans: …" and one line per ban count, e.g. "100,000 bans: ratio 1.04"
# (medians over the rounds). Only loopback is used; the temporary directory is deleted at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROUNDS=${1:-3}
REQUESTS=${2:-20000}
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -ge 1 ]] || { echo "bans.sh: ROUNDS must be a positive integer" >&2; exit 2; }
[[ $REQUESTS =~ ^[0-9]+$ && $REQUESTS -ge 100 ]] || { echo "bans.sh: REQUESTS must be at least 100" >&2; exit 2; }
API_OUT=Api/Server/bin/Release/net10.0
BENCH_OUT=infra/bench/BanBench/bin/Release/net10.0
missing=()
[[ -f $API_OUT/HamachiCloud.Api.dll ]] || missing+=("dotnet build Api/Server/HamachiCloud.Api.csproj -c Release")
[[ -f $BENCH_OUT/ban-bench.dll ]] || missing+=("dotnet build infra/bench/BanBench/BanBench.csproj -c Release")
if ((${#missing[@]})); then
    echo "bans.sh: build first:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
fi
echo "bans.sh: $ROUNDS rounds of 0 / 1,000 / 100,000 bans, $REQUESTS requests each ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
exec dotnet "$BENCH_OUT/ban-bench.dll" "$API_OUT/HamachiCloud.Api.dll" "$ROUNDS" "$REQUESTS"
