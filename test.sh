#!/usr/bin/env bash
# The one command that installs what the tests need and runs them (CI runs it through .ci/run).
#
#   ./test.sh                         # everything
#   ./test.sh --filter FullyQualifiedName~Protocol   # extra args go to `dotnet test`
#
# Phases: Debian packages (apt-get, only when something is missing) -> dotnet restore + build
# (Release) -> throwaway PostgreSQL + Redis on free 127.0.0.1 ports (infra/scripts/test-services.sh)
# -> dotnet test with TRX results -> counts. The last line printed is "N passed, N failed, N skipped".
#
# Exit status is non-zero when the build or `dotnet test` fails, a test fails, no test ran, or
# (with CI=true) any test was skipped: in CI every prerequisite must be present.
#
# Environment for the tests:
#   HAMACHI_TEST_POSTGRES  Npgsql connection string of a superuser that may create databases
#   HAMACHI_TEST_REDIS     host:port of a Redis server
#   HAMACHI_TEST_SCREENSHOTS  where the browser tests write their screenshots (next to the TRX directory:
#                          .test-artifacts/screenshots by default)
# Knobs: HAMACHI_TEST_RESULTS (TRX directory, default .test-artifacts/test-results),
#        HAMACHI_TEST_HANG_TIMEOUT (per test run hang limit for `dotnet test`, default 20m),
#        HAMACHI_TEST_PARALLEL=1 (run test projects side by side instead of one after another).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
REPO_ROOT=$(pwd)

# Debian packages the tests need. Add to this list (e.g. chromium) as suites need more.
TEST_APT_PACKAGES=(
    postgresql
    redis-server
    wireguard-go
    wireguard-tools
    iperf3
    nftables
    iputils-ping
    iproute2
    procps   # kill: the lab tests stop daemons and pings with SIGTERM/SIGINT
    stun-server
    stun-client
    # The Portal's browser tests: Playwright for .NET drives Debian's Chromium (/usr/bin/chromium; Playwright's
    # own browser download is never used). Its node driver comes inside the Microsoft.Playwright NuGet package.
    # With --no-install-recommends chromium brings no fonts: Liberation (metric-compatible with Arial, Times and
    # Courier) and DejaVu make the screenshots readable.
    chromium
    fonts-liberation
    fonts-dejavu-core
)

RESULTS_DIR=${HAMACHI_TEST_RESULTS:-$REPO_ROOT/.test-artifacts/test-results}
export HAMACHI_TEST_SCREENSHOTS=${HAMACHI_TEST_SCREENSHOTS:-$(dirname "$RESULTS_DIR")/screenshots}
HANG_TIMEOUT=${HAMACHI_TEST_HANG_TIMEOUT:-20m}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

phase() { printf '\n==> %s\n' "$*"; }
die() {
    echo "test.sh: ERROR: $*" >&2
    exit 1
}

# --- cleanup: always stop the services and remove their temp dir ------------------------------
# shellcheck source=infra/scripts/test-services.sh
source "$REPO_ROOT/infra/scripts/test-services.sh"

cleanup() {
    local rc=$?
    trap - EXIT
    test_services_stop
    if [[ "${CI:-}" == "true" ]]; then
        # Build servers (MSBuild nodes, VBCSCompiler) must not outlive a CI run.
        dotnet build-server shutdown >/dev/null 2>&1 || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- a. packages ------------------------------------------------------------------------------
phase "installing packages"
missing=()
for pkg in "${TEST_APT_PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)" != "installed" ]]; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]} == 0)); then
    echo "all present: ${TEST_APT_PACKAGES[*]}"
else
    echo "missing: ${missing[*]}"
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install ${missing[*]} by hand"
        SUDO=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -q || die "apt-get update failed"
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        die "apt-get install ${missing[*]} failed"
fi

# The browser tests need this exact path (Requires.Chromium); in CI nothing may be skipped for want of it.
if [[ ! -x /usr/bin/chromium ]]; then
    [[ "${CI:-}" == "true" ]] && die "/usr/bin/chromium is missing after installing the chromium package: the Portal's browser tests cannot run"
    echo "test.sh: WARNING: /usr/bin/chromium is missing: the browser tests will be skipped" >&2
fi

# --- b. build ---------------------------------------------------------------------------------
phase "restoring and building HamachiCloud.sln (Release)"
command -v dotnet >/dev/null 2>&1 || die "dotnet SDK not found on PATH (global.json asks for $(grep -o '"version": *"[^"]*"' global.json | grep -o '[0-9][^"]*'))"
echo "dotnet SDK $(dotnet --version)"
dotnet restore HamachiCloud.sln || die "dotnet restore HamachiCloud.sln failed (see above)"
dotnet build HamachiCloud.sln -c Release --no-restore || die "dotnet build HamachiCloud.sln -c Release failed (see above)"

# --- c/d. services ----------------------------------------------------------------------------
phase "starting PostgreSQL and Redis on 127.0.0.1"
test_services_start || die "could not start the test services (see above)"
echo "HAMACHI_TEST_POSTGRES=${HAMACHI_TEST_POSTGRES/Password=*;/Password=***;}"
echo "HAMACHI_TEST_REDIS=$HAMACHI_TEST_REDIS"

# --- e. tests ---------------------------------------------------------------------------------
phase "running tests"
rm -rf "$RESULTS_DIR" "$HAMACHI_TEST_SCREENSHOTS"
mkdir -p "$RESULTS_DIR" "$HAMACHI_TEST_SCREENSHOTS"
test_rc=0
# Test projects run one after another (-m:1): the suites include timing-sensitive engine tests
# and network-namespace end-to-end tests that must not compete for the 2 cores with the
# database-heavy Api tests. HAMACHI_TEST_PARALLEL=1 runs them side by side (faster, noisier).
parallel_args=(-m:1)
[[ "${HAMACHI_TEST_PARALLEL:-0}" == 1 ]] && parallel_args=()
dotnet test HamachiCloud.sln -c Release --no-build "${parallel_args[@]}" \
    --logger "trx;LogFilePrefix=r" \
    --logger "console;verbosity=normal" \
    --results-directory "$RESULTS_DIR" \
    --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none \
    "$@" || test_rc=$?

# --- f. stop services now, so nothing prints after the summary --------------------------------
phase "stopping services"
test_services_stop

# --- g. counts --------------------------------------------------------------------------------
phase "results"
# Sum the <Counters .../> element of every TRX file: failed also counts error/timeout/aborted;
# skipped = notExecuted.
count_trx() {
    find "$RESULTS_DIR" -name '*.trx' -type f -print0 | xargs -0 -r cat | tr '\r\n' '  ' |
        { grep -o '<Counters [^>]*>' || true; } |
        awk '
            function attr(s, name,   m) {
                if (match(s, " " name "=\"[0-9]+\"")) {
                    m = substr(s, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0
                }
                return 0
            }
            {
                p += attr($0, "passed")
                f += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
                s += attr($0, "notExecuted")
                n++
            }
            END { printf "%d %d %d %d\n", p, f, s, n }'
}
# The testName of every <UnitTestResult> whose outcome is not Passed/NotExecuted (attribute order varies).
list_failed_trx() {
    find "$RESULTS_DIR" -name '*.trx' -type f -print0 | xargs -0 -r cat | tr '\r\n' '  ' |
        { grep -o '<UnitTestResult [^>]*>' || true; } |
        { grep -E 'outcome="(Failed|Error|Timeout|Aborted)"' || true; } |
        sed -E 's/.* testName="([^"]*)".*/\1/' | sed 's/&quot;/"/g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g'
}
read -r passed failed skipped trx_files < <(count_trx)
echo "TRX files: $trx_files in $RESULTS_DIR"
echo "screenshots: $(find "$HAMACHI_TEST_SCREENSHOTS" -name '*.png' -type f | wc -l) in $HAMACHI_TEST_SCREENSHOTS"

status=0
if ((test_rc != 0)); then
    echo "dotnet test exited with status $test_rc" >&2
    status=1
fi
if ((failed > 0)); then
    # Name them here, at the end, where a truncated CI log still shows them.
    echo "$failed test(s) failed:" >&2
    list_failed_trx | head -n 40 | sed 's/^/  FAILED /' >&2
    status=1
fi
if ((passed + failed == 0)); then
    echo "no test ran (a run must execute at least one test)" >&2
    status=1
fi
if [[ "${CI:-}" == "true" ]] && ((skipped > 0)); then
    echo "CI=true: $skipped tests were skipped; prerequisites must not be missing in CI" >&2
    status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
