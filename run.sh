#!/usr/bin/env bash
# Run HamachiCloud on this machine on its embedded defaults (no Docker): SQLite at ./data/hamachi.db,
# token keys in ./data/keys, in-memory SignalR backplane and jobs.
#
#   ./run.sh                          # build (Release) and run until Ctrl-C
#   HAMACHI_API_PORT=5300 ./run.sh    # another port for the Api (default 5180)
#   HAMACHI_RELAY=off ./run.sh        # the Api only, no relay
#   HAMACHI_PORTAL=off ./run.sh       # no Portal (the web console)
#   ./run.sh reset-admin-password     # new one-time password for admin@hamachi.local, then exit
#   ./run.sh lift-bans                # delete every IP-range ban (a ban that locked everyone out), then exit
#
# Phases: build each component quietly -> start each one in the background (its output goes to
# the terminal and to data/logs/<name>.log) -> wait until it is healthy -> print the URLs ->
# stay in the foreground until Ctrl-C (or until a component exits), then stop every child.
#
# On a new database the Api prints the first admin's one-time password; it reaches this terminal.
# It signs in once, to a page where the admin chooses their own password, and expires after 24 h
# (Bootstrap:OneTimePasswordHours); `./run.sh reset-admin-password` prints a new one (also for a
# lost admin password). The Api may keep running meanwhile.
#
# Components: the Api, then the Relay (UDP relay + STUN on loopback, WebSocket fallback, registered
# with the Api by heartbeat), then the Portal (the web console, signs in against the Api). Each has a
# build_<name> and a start_<name> function below, called in main() in dependency order (Api first).
#
# Knobs: HAMACHI_API_PORT (default 5180), HAMACHI_PORTAL_PORT (default 5080), HAMACHI_PORTAL=off,
# HAMACHI_RELAY_PORT (UDP, default 3478; STUN also on +1),
# HAMACHI_RELAY_HTTP_PORT (WebSocket /relay, /health, /counters; default 5190),
# HAMACHI_RELAY_ALT_ADDRESS (second STUN address, default 127.0.0.2), HAMACHI_RELAY=off,
# HAMACHI_START_TIMEOUT (seconds per component, default 60),
# HAMACHI_BUILD=always (build even when no source file changed since run.sh last built).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
REPO_ROOT=$(pwd)

API_PORT=${HAMACHI_API_PORT:-5180}
PORTAL_PORT=${HAMACHI_PORTAL_PORT:-5080}
RELAY_PORT=${HAMACHI_RELAY_PORT:-3478}
RELAY_HTTP_PORT=${HAMACHI_RELAY_HTTP_PORT:-5190}
RELAY_ALT_ADDRESS=${HAMACHI_RELAY_ALT_ADDRESS:-127.0.0.2}
START_TIMEOUT=${HAMACHI_START_TIMEOUT:-60}
CONFIGURATION=Release
LOG_DIR=$REPO_ROOT/data/logs

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf 'run.sh: %s\n' "$*"; }
die() {
    printf 'run.sh: ERROR: %s\n' "$*" >&2
    exit 1
}

# --- children: every component started, stopped in reverse order on exit -----------------------
CHILD_NAMES=()
CHILD_PIDS=()

stop_children() {
    local i pid name waited
    for ((i = ${#CHILD_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${CHILD_PIDS[i]}
        name=${CHILD_NAMES[i]}
        kill -0 "$pid" 2>/dev/null || continue
        say "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        # ASP.NET Core shuts down gracefully on SIGTERM; give it 15 s before SIGKILL.
        for ((waited = 0; waited < 150; waited++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            say "$name did not stop within 15 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    CHILD_PIDS=()
    CHILD_NAMES=()
}

on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    stop_children
    exit "$rc"
}
trap on_exit EXIT
trap 'echo; exit 130' INT
trap 'exit 143' TERM

# --- helpers ------------------------------------------------------------------------------------
require() {
    command -v "$1" >/dev/null 2>&1 || die "$1 not found on PATH ($2)"
}

# port_in_use PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# needs_restore PROJECT_DIR...: true when a project has no restore output or a project/props file
# changed after it. Skipping a no-op restore saves seconds on every start.
needs_restore() {
    local dir assets
    for dir in "$@"; do
        assets=$dir/obj/project.assets.json
        [[ -f $assets ]] || return 0
        for f in "$dir"/*.csproj Directory.Build.props Directory.Packages.props global.json; do
            [[ $f -nt $assets ]] && return 0
        done
    done
    return 1
}

# up_to_date STAMP SOURCE_DIRS...: true when this script built successfully (STAMP, touched after
# each successful build) after the last change to any file of SOURCE_DIRS (bin/ and obj/ aside) or
# the build-wide files. Skipping a no-op `dotnet build` saves 5-10 s on every start.
up_to_date() {
    local stamp=$1
    shift
    [[ -f $stamp ]] || return 1
    [[ -z "$(find "$@" Directory.Build.props Directory.Packages.props global.json BannedSymbols.txt .editorconfig \
        \( -name bin -o -name obj \) -prune -o -type f -newer "$stamp" -print -quit)" ]]
}

# build NAME PROJECT OUTPUT_DIR PROJECT_DIRS...: quiet Release build unless nothing changed since
# the last one (HAMACHI_BUILD=always forces it); on failure print the errors and stop.
build() {
    local name=$1 project=$2 stamp=$3/.run-sh-build-stamp log=$LOG_DIR/build-$1.log
    shift 3
    if [[ ${HAMACHI_BUILD:-auto} != always ]] && up_to_date "$stamp" "$@"; then
        say "$name is up to date (no source changed since the last build by run.sh)"
        return
    fi
    local restore=(--no-restore)
    if needs_restore "$@"; then
        restore=()
    fi
    say "building $name ($project, $CONFIGURATION)"
    # The stamp takes the build's start time, so an edit made during the build is not missed.
    mkdir -p "${stamp%/*}" && touch "$stamp.new"
    if ! dotnet build "$project" -c "$CONFIGURATION" -nologo -v q "${restore[@]}" >"$log" 2>&1; then
        echo >&2
        grep -E ': (error|warning) [A-Z]+[0-9]+' "$log" | sort -u | tail -n 30 >&2 || tail -n 30 "$log" >&2
        die "building $name failed: dotnet build $project -c $CONFIGURATION (full log: ${log#"$REPO_ROOT"/})"
    fi
    mv -f "$stamp.new" "$stamp"
}

# start NAME COMMAND...: runs COMMAND in the background from the repo root; its stdout and stderr
# go to the terminal and to data/logs/NAME.log.
start() {
    local name=$1 log=$LOG_DIR/$1.log
    shift
    # 0600: the log may hold the first admin's one-time password.
    (umask 077 && : >"$log")
    "$@" > >(tee -a "$log") 2>&1 &
    CHILD_NAMES+=("$name")
    CHILD_PIDS+=("$!")
    say "started $name (pid $!, log ${log#"$REPO_ROOT"/})"
}

# wait_healthy NAME PID URL: waits until URL answers 200; stops with the log tail when the child
# exits first or the timeout passes.
wait_healthy() {
    local name=$1 pid=$2 url=$3 log=$LOG_DIR/$1.log
    local started=$EPOCHREALTIME deadline=$((SECONDS + START_TIMEOUT))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" == 200 ]]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            local rc=0
            wait "$pid" 2>/dev/null || rc=$?
            sleep 0.2 # let tee flush
            printf '\n--- last lines of %s ---\n' "${log#"$REPO_ROOT"/}" >&2
            tail -n 40 "$log" >&2
            die "$name exited with status $rc before $url answered 200"
        fi
        if ((SECONDS >= deadline)); then
            printf '\n--- last lines of %s ---\n' "${log#"$REPO_ROOT"/}" >&2
            tail -n 40 "$log" >&2
            die "$name did not answer 200 on $url within ${START_TIMEOUT}s (HAMACHI_START_TIMEOUT)"
        fi
        sleep 0.25
    done
    say "$name healthy after $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
}

# --- Api ----------------------------------------------------------------------------------------
API_PROJECT=Api/Server/HamachiCloud.Api.csproj
API_OUT=Api/Server/bin/$CONFIGURATION/net10.0
API_URL=http://127.0.0.1:$API_PORT

build_api() {
    build api "$API_PROJECT" "$API_OUT" Api/Server Api/Contracts Data Migrations Protocol
}

start_api() {
    port_in_use "$API_PORT" &&
        die "127.0.0.1:$API_PORT is already in use (another ./run.sh?); set HAMACHI_API_PORT to another port"
    # Working directory = repo root, so the relative defaults land in ./data (Database:ConnectionString
    # "Data Source=data/hamachi.db", Identity:KeyDirectory "data/keys"). The content root is the build
    # output so its appsettings.json (log levels etc.) is read.
    # Plain HTTP is allowed for the identity endpoints here only because the Api listens on
    # loopback; the code's default is false (production runs behind TLS).
    # The Portal's callbacks and public URL follow HAMACHI_PORTAL_PORT.
    Identity__AllowHttp="${Identity__AllowHttp:-true}" \
        Identity__PortalUrl="$PORTAL_URL" \
        Identity__PortalRedirectUris__0="$PORTAL_URL/signin-oidc" \
        Identity__PortalPostLogoutRedirectUris__0="$PORTAL_URL/signout-callback-oidc" \
        Relays__RegistrationSecret="$(relay_secret)" \
        start api dotnet "$API_OUT/HamachiCloud.Api.dll" \
        --contentRoot "$REPO_ROOT/$API_OUT" \
        --urls "$API_URL"
    wait_healthy api "${CHILD_PIDS[-1]}" "$API_URL/health"
}

print_api_urls() {
    cat <<EOF

HamachiCloud Api is running (SQLite: data/hamachi.db, keys: data/keys, logs: data/logs/api.log)
  API root        $API_URL/api/v1
  health          $API_URL/health
  OpenAPI         $API_URL/openapi/v1.json
  API reference   $API_URL/docs   (Scalar UI)
  sign-in page    $API_URL/account/login
EOF
}

# --- Portal -------------------------------------------------------------------------------------
PORTAL_PROJECT=Portal/HamachiCloud.Portal.csproj
PORTAL_OUT=Portal/bin/$CONFIGURATION/net10.0
PORTAL_URL=http://127.0.0.1:$PORTAL_PORT

build_portal() {
    build portal "$PORTAL_PROJECT" "$PORTAL_OUT" Portal Api/Contracts Protocol
}

start_portal() {
    port_in_use "$PORTAL_PORT" &&
        die "127.0.0.1:$PORTAL_PORT is already in use; set HAMACHI_PORTAL_PORT to another port"
    # Signs users in against the Api (OpenID Connect, authority = the Api's root) and calls its REST
    # API with their tokens. Data-protection keys in data/portal-keys keep cookies readable across
    # restarts (the sessions themselves are in memory: a restart signs everyone out).
    Portal__ApiUrl="$API_URL" Portal__PublicUrl="$PORTAL_URL" \
        Portal__KeyDirectory="$REPO_ROOT/data/portal-keys" \
        start portal dotnet "$PORTAL_OUT/HamachiCloud.Portal.dll" \
        --contentRoot "$REPO_ROOT/$PORTAL_OUT" \
        --urls "$PORTAL_URL"
    wait_healthy portal "${CHILD_PIDS[-1]}" "$PORTAL_URL/health"
}

print_portal_url() {
    printf '\n  Open %s in a browser: the HamachiCloud Portal (on a new database, sign in as the\n' "$PORTAL_URL"
    printf '  admin with the one-time password printed above; logs: data/logs/portal.log)\n'
}

# --- Relay --------------------------------------------------------------------------------------
RELAY_PROJECT=Relay/HamachiCloud.Relay.csproj
RELAY_OUT=Relay/bin/$CONFIGURATION/net10.0
RELAY_URL=http://127.0.0.1:$RELAY_HTTP_PORT

# relay_secret / relay_id: made once, kept in data/ (0600), shared by the Api and the relay.
relay_secret() {
    local f=$REPO_ROOT/data/relay-secret
    [[ -s $f ]] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$f")
    cat "$f"
}

relay_id() {
    local f=$REPO_ROOT/data/relay-id
    [[ -s $f ]] || (umask 077 && cat /proc/sys/kernel/random/uuid >"$f")
    cat "$f"
}

build_relay() {
    build relay "$RELAY_PROJECT" "$RELAY_OUT" Relay Protocol
}

start_relay() {
    port_in_use "$RELAY_HTTP_PORT" &&
        die "127.0.0.1:$RELAY_HTTP_PORT is already in use; set HAMACHI_RELAY_HTTP_PORT to another port"
    # Healthy once the first heartbeat gave it the server identity key.
    Relay__Id="$(relay_id)" \
        Relay__Name=local Relay__Region=local \
        Relay__ListenAddress=127.0.0.1 Relay__Port="$RELAY_PORT" \
        Relay__AlternateAddress="$RELAY_ALT_ADDRESS" Relay__AlternatePort=$((RELAY_PORT + 1)) \
        Relay__WebSocketUrl="ws://127.0.0.1:$RELAY_HTTP_PORT/relay" \
        Relay__ApiUrl="$API_URL" Relay__RegistrationSecret="$(relay_secret)" \
        start relay dotnet "$RELAY_OUT/HamachiCloud.Relay.dll" \
        --contentRoot "$REPO_ROOT/$RELAY_OUT" \
        --urls "$RELAY_URL"
    wait_healthy relay "${CHILD_PIDS[-1]}" "$RELAY_URL/health"
}

print_relay_urls() {
    echo "  relay UDP       127.0.0.1:$RELAY_PORT (STUN also on :$((RELAY_PORT + 1)) and $RELAY_ALT_ADDRESS)"
    echo "  relay WebSocket ws://127.0.0.1:$RELAY_HTTP_PORT/relay   counters $RELAY_URL/counters (Authorization: Bearer <data/relay-secret>)"
}

# A new one-time password for the admin (Bootstrap:AdminEmail) on ./data, printed here only (not
# logged to data/logs); the same configuration as the running Api.
reset_admin_password() {
    build_api
    dotnet "$API_OUT/HamachiCloud.Api.dll" reset-admin-password --contentRoot "$REPO_ROOT/$API_OUT" ||
        die "resetting the admin password failed (see above)"
}

# Deletes every IP-range ban in ./data (audited): the way back from a ban that locked out everyone.
lift_bans() {
    build_api
    dotnet "$API_OUT/HamachiCloud.Api.dll" lift-bans --contentRoot "$REPO_ROOT/$API_OUT" ||
        die "lifting the bans failed (see above)"
}

# --- main ---------------------------------------------------------------------------------------
main() {
    require dotnet "install the .NET SDK from global.json"
    require curl "apt-get install curl"
    # State (database, keys, mail) is the owner's only; an older checkout's data/ is narrowed too.
    mkdir -p "$REPO_ROOT/data" && chmod 700 "$REPO_ROOT/data"
    mkdir -p "$LOG_DIR"
    case ${1:-} in
        "") ;;
        reset-admin-password) reset_admin_password; exit 0 ;;
        lift-bans) lift_bans; exit 0 ;;
        *) die "unknown argument '$1' (usage: ./run.sh [reset-admin-password | lift-bans])" ;;
    esac

    build_api
    [[ ${HAMACHI_RELAY:-on} == off ]] || build_relay
    [[ ${HAMACHI_PORTAL:-on} == off ]] || build_portal
    start_api
    [[ ${HAMACHI_RELAY:-on} == off ]] || start_relay
    [[ ${HAMACHI_PORTAL:-on} == off ]] || start_portal
    print_api_urls
    [[ ${HAMACHI_RELAY:-on} == off ]] || print_relay_urls
    [[ ${HAMACHI_PORTAL:-on} == off ]] || print_portal_url

    printf '\nPress Ctrl-C to stop.\n'
    # Foreground until Ctrl-C (the INT trap exits, and on_exit stops the children) or until any
    # component exits on its own (then the others are stopped too).
    local rc=0
    wait -n "${CHILD_PIDS[@]}" || rc=$?
    say "a component exited on its own (status $rc); stopping the rest"
    exit $((rc == 0 ? 1 : rc))
}

main "$@"
