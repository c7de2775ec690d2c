#!/usr/bin/env bash
# Portal benchmark (not a timed test): time to first content of the Portal's pages and the live-update
# latency of the member table, on this machine, with 500 networks and 5,000 members in PostgreSQL.
#
#   infra/bench/portal.sh [LOADS] [CHANGES]     # defaults: 10 loads per page, 50 online/offline changes
#
# What runs (Release builds; this script builds nothing, it says what to build when a dll is missing):
#   - a throwaway PostgreSQL (infra/scripts/test-services.sh's PostgreSQL part; no Redis);
#   - the Api on it (Database:Provider=Postgres, migrated at start) and the Portal, each on a free loopback port;
#   - infra/bench/PortalBench (portal-bench): `seed` writes the data set through the Migrations DbContext:
#     2,001 accounts with a device each, 500 networks, 5,000 active memberships; the benchmark user owns a
#     256-member Premium network (with a Premium subscription) and is a member of 99 more (Standard networks,
#     about 10 members each); `measure` drives Debian's Chromium with Playwright (headless, /usr/bin/chromium,
#     never `playwright install`): signs in through the Portal (OIDC code + PKCE, the Api's sign-in form), then
#       1. networks list TTFC: /networks loaded LOADS times, first network row in the DOM;
#       2. network page TTFC: /networks/{id} of the 256-member network, all 256 member rows in the DOM;
#          (both from the navigation's start, timed in the browser by a MutationObserver installed before the
#          document; one warm-up load each is not counted; the "where" line splits server response, DOM ready,
#          and the content again after Blazor's interactive render replaced the prerendered one)
#       3. live update: a simulated agent of one of the 256 members (enrolled with a setup key over REST, the
#          control hub's real hello/login handshake, MessagePack) goes online (login) and offline (goodbye)
#          CHANGES times; the browser logs when that member's row `[data-member="<id>"]` changes `data-online`
#          (Date.now(), same machine clock). Needs the live member table (branch plive); without it the line
#          says "not measured".
# Output: one line per figure and `target: TTFC < 1000 ms, live p99 < 1000 ms: PASS|FAIL`.
# Exit status: 0 when it measured (whatever the verdict), 1 when a component did not come up or a step failed.
# HAMACHI_BENCH_KEEP=1 keeps the logs and the state directory. Only 127.0.0.1 is used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$PWD

LOADS=${1:-10}
CHANGES=${2:-50}
[[ $LOADS =~ ^[0-9]+$ && $LOADS -ge 1 ]] || { echo "portal.sh: LOADS must be a positive integer" >&2; exit 2; }
[[ $CHANGES =~ ^[0-9]+$ && $CHANGES -ge 2 ]] || { echo "portal.sh: CHANGES must be an integer >= 2" >&2; exit 2; }

say() { printf 'portal.sh: %s\n' "$*" >&2; }
die() { printf 'portal.sh: ERROR: %s\n' "$*" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
API_OUT=$REPO/Api/Server/bin/Release/net10.0
PORTAL_OUT=$REPO/Portal/bin/Release/net10.0
BENCH_OUT=$REPO/infra/bench/PortalBench/bin/Release/net10.0
missing=()
[[ -f $API_OUT/HamachiCloud.Api.dll ]] || missing+=("dotnet build Api/Server/HamachiCloud.Api.csproj -c Release")
[[ -f $PORTAL_OUT/HamachiCloud.Portal.dll ]] || missing+=("dotnet build Portal/HamachiCloud.Portal.csproj -c Release")
[[ -f $BENCH_OUT/portal-bench.dll ]] || missing+=("dotnet build infra/bench/PortalBench/PortalBench.csproj -c Release")
if ((${#missing[@]})); then
    say "build first (this script builds nothing):"
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
fi
for tool in dotnet curl; do
    command -v "$tool" >/dev/null || die "$tool not found"
done
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium not found (apt-get install chromium); Playwright never downloads a browser here"

# shellcheck source=../scripts/test-services.sh
source "$REPO/infra/scripts/test-services.sh"
WORK=$(mktemp -d /tmp/hamachi-portal-bench.XXXXXX)
PIDS=()
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    test_services_stop
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

# wait_up NAME PID URL SECONDS: until URL answers 200; fails with the log's tail when the process exits or time runs out.
wait_up() {
    local name=$1 pid=$2 url=$3 limit=$4 start=$SECONDS
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" == 200 ]]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$WORK/$name.log" >&2
            die "$name exited before $url answered (log above, kept in $WORK)"
        fi
        ((SECONDS - start < limit)) || { tail -n 30 "$WORK/$name.log" >&2; die "$name did not answer 200 on $url within $limit s"; }
        sleep 0.25
    done
    say "$name is up after $((SECONDS - start)) s"
}

# PostgreSQL only (test_services_start would also want Redis, which this benchmark does not use): the same
# steps, in a hamachi-test.* directory that test_services_stop (in cleanup) stops and removes.
say "starting a throwaway PostgreSQL"
HAMACHI_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hamachi-test.XXXX")
export HAMACHI_TEST_DIR
: >"$HAMACHI_TEST_DIR/services.env"
_ts_start_postgres "$HAMACHI_TEST_DIR" "${HAMACHI_TEST_SERVICE_TIMEOUT:-60}" || die "PostgreSQL did not start (infra/scripts/test-services.sh)"
PG=$HAMACHI_TEST_POSTGRES

API_PORT=$(free_port "$HAMACHI_TEST_POSTGRES_PORT")
PORTAL_PORT=$(free_port "$HAMACHI_TEST_POSTGRES_PORT" "$API_PORT")
API=http://127.0.0.1:$API_PORT
PORTAL=http://127.0.0.1:$PORTAL_PORT

# One log line per request with its duration (read back after the measurement).
REQUEST_LOG=(--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics Information)

say "starting the Api at $API (PostgreSQL, migrated at start)"
Database__Provider=Postgres Database__ConnectionString="$PG" Identity__KeyDirectory="$WORK/keys" Identity__AllowHttp=true \
    Identity__PortalUrl="$PORTAL" Identity__PortalRedirectUris__0="$PORTAL/signin-oidc" \
    Identity__PortalPostLogoutRedirectUris__0="$PORTAL/signout-callback-oidc" Identity__RequireConfirmedEmail=false \
    Mail__PickupDirectory="$WORK/mail" \
    dotnet "$API_OUT/HamachiCloud.Api.dll" --contentRoot "$API_OUT" --urls "$API" "${REQUEST_LOG[@]}" >"$WORK/api.log" 2>&1 &
PIDS+=($!)
wait_up api "${PIDS[-1]}" "$API/health" 120

say "seeding 500 networks and 5,000 members"
dotnet "$BENCH_OUT/portal-bench.dll" seed --connection "$PG" --state "$WORK/state.json" || die "seeding failed"

say "starting the Portal at $PORTAL"
Portal__ApiUrl="$API" Portal__PublicUrl="$PORTAL" Portal__KeyDirectory="$WORK/portal-keys" \
    dotnet "$PORTAL_OUT/HamachiCloud.Portal.dll" --contentRoot "$PORTAL_OUT" --urls "$PORTAL" "${REQUEST_LOG[@]}" >"$WORK/portal.log" 2>&1 &
PIDS+=($!)
wait_up portal "${PIDS[-1]}" "$PORTAL/health" 120

say "measuring ($LOADS loads per page, $CHANGES live changes)"
API_MARK=$(wc -l <"$WORK/api.log")
PORTAL_MARK=$(wc -l <"$WORK/portal.log")
dotnet "$BENCH_OUT/portal-bench.dll" measure --state "$WORK/state.json" --api "$API" --portal "$PORTAL" \
    --loads "$LOADS" --changes "$CHANGES" >"$WORK/figures.txt" || die "the measurement failed (logs in $WORK)"

# Where the time goes, from the request logs (Microsoft.AspNetCore.Hosting.Diagnostics, one line per
# request) of the measuring phase: sign-in, the warm-up loads and the counted ones.
# request_times LOG FROM_LINE REGEX: count, median and max duration of the requests whose "GET URL" matches REGEX.
request_times() {
    tail -n +"$2" "$1" | grep -E "Request finished HTTP/[0-9.]+ ($3) - " | sed -E 's/.* ([0-9.]+)ms$/\1/' | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) { print "no requests"; exit }
             printf "%d requests, median %.0f ms, max %.0f ms", NR, v[int((NR + 1) / 2)], v[NR] }'
}
UUID='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
head -n -1 "$WORK/figures.txt"
echo "server side during the measurement ($((LOADS + 1)) loads per page incl. one warm-up; request logs):"
echo "  Portal GET /networks (prerender): $(request_times "$WORK/portal.log" "$PORTAL_MARK" "GET [^ ]*/networks")"
echo "  Portal GET /networks/{id} (prerender): $(request_times "$WORK/portal.log" "$PORTAL_MARK" "GET [^ ]*/networks/$UUID")"
echo "  Api GET /api/v1/networks: $(request_times "$WORK/api.log" "$API_MARK" "GET [^ ]*/api/v1/networks")"
echo "  Api GET /api/v1/networks/{id}: $(request_times "$WORK/api.log" "$API_MARK" "GET [^ ]*/api/v1/networks/$UUID")"
echo "  Api GET /api/v1/networks/{id}/members: $(request_times "$WORK/api.log" "$API_MARK" "GET [^ ]*/api/v1/networks/$UUID/members")"
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
tail -n 1 "$WORK/figures.txt"
