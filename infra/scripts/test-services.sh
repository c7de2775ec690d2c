#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on 127.0.0.1 (free ports) for the test suite.
#
# As a library (what test.sh does):
#   source infra/scripts/test-services.sh
#   test_services_start          # exports HAMACHI_TEST_DIR, HAMACHI_TEST_POSTGRES, HAMACHI_TEST_REDIS (+ _PORT)
#   ...
#   test_services_stop           # stops both, removes HAMACHI_TEST_DIR; safe to call twice
#
# As a command (by hand):
#   eval "$(infra/scripts/test-services.sh start)"   # prints export lines on stdout
#   infra/scripts/test-services.sh stop [DIR]        # DIR defaults to $HAMACHI_TEST_DIR
#
# Everything lives in one directory "${TMPDIR:-/tmp}/hamachi-test.XXXX": PostgreSQL's data
# directory (pg/), its unix socket and log (pg-run/), Redis's pid and log files, and
# services.env (the state that stop reads).
# PostgreSQL runs as the `postgres` OS user when we are root (it refuses to run as root), with a
# password-authenticated superuser `hamachi` (random password) and fsync off (data is throwaway).
#
# Tunables: HAMACHI_TEST_SERVICE_TIMEOUT (seconds to wait for each service, default 60).

_TS_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=free-port.sh
source "$_TS_SCRIPT_DIR/free-port.sh"

_ts_log() { echo "test-services: $*" >&2; }
_ts_die() { echo "test-services: ERROR: $*" >&2; return 1; }

# Run a command as the PostgreSQL OS user when we are root, else as ourselves.
_ts_as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_ts_pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]] ||
        { _ts_die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"; return 1; }
    echo "$d"
}

_ts_random_hex() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# _ts_wait SECONDS DESCRIPTION COMMAND...: retry COMMAND every 0.2 s until it succeeds.
_ts_wait() {
    local timeout=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            _ts_die "$what did not answer within ${timeout}s"
            return 1
        fi
        sleep 0.2
    done
}

_ts_start_postgres() {
    local dir=$1 timeout=$2 bindir data run port password attempt
    bindir=$(_ts_pg_bindir) || return 1
    data="$dir/pg"      # data directory
    run="$dir/pg-run"   # unix socket and server log
    password=$(_ts_random_hex)

    mkdir -p "$data" "$run"
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || { _ts_die "OS user 'postgres' is missing (apt-get install postgresql)"; return 1; }
        chmod 755 "$dir" # postgres must reach its directories inside
        chown postgres: "$data" "$run"
        runuser -u postgres -- test -w "$run" ||
            { _ts_die "user postgres cannot write $run (is a parent of TMPDIR=${TMPDIR:-/tmp} closed to other users?)"; return 1; }
    fi
    chmod 700 "$data" "$run"

    # The password reaches initdb through a file readable only by the postgres user.
    printf '%s\n' "$password" >"$dir/pg.pw"
    chmod 600 "$dir/pg.pw"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir/pg.pw"; fi
    _ts_log "initdb in $data ($bindir)"
    if ! _ts_as_pg "$bindir/initdb" -D "$data" -U hamachi --pwfile="$dir/pg.pw" \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
        -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
        rm -f "$dir/pg.pw"
        cat "$dir/initdb.log" >&2
        _ts_die "initdb failed (log above)"
        return 1
    fi
    rm -f "$dir/pg.pw"

    cat >>"$data/postgresql.conf" <<EOF

# --- hamachi test instance (throwaway) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$run'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    # Record what stop needs before the server can run.
    {
        echo "TS_PG_BINDIR=$bindir"
        echo "TS_PG_DATA=$data"
    } >>"$dir/services.env"

    # A port found free can be taken before postgres binds it: try a few.
    for attempt in 1 2 3; do
        port=$(free_port "${HAMACHI_TEST_REDIS_PORT:-}") || return 1
        _ts_log "starting PostgreSQL on 127.0.0.1:$port"
        if _ts_as_pg "$bindir/pg_ctl" -D "$data" -l "$run/postgres.log" -o "-p $port" \
            -w -t "$timeout" start >/dev/null; then
            break
        fi
        port=""
        _ts_log "PostgreSQL failed to start (attempt $attempt); log tail:"
        tail -n 20 "$run/postgres.log" >&2 || true
        _ts_stop_postgres "$bindir" "$data"
    done
    [[ -n "$port" ]] || { _ts_die "PostgreSQL did not start; see $run/postgres.log"; return 1; }

    _ts_wait "$timeout" "PostgreSQL on 127.0.0.1:$port (pg_isready)" \
        pg_isready -h 127.0.0.1 -p "$port" -t 2 || return 1

    HAMACHI_TEST_POSTGRES_PORT=$port
    export HAMACHI_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=hamachi;Password=$password;Database=postgres"
}

_ts_redis_pong() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]; }

_ts_start_redis() {
    local dir=$1 timeout=$2 port attempt pid deadline
    command -v redis-server >/dev/null 2>&1 || { _ts_die "redis-server not found (apt-get install redis-server)"; return 1; }
    command -v redis-cli >/dev/null 2>&1 || { _ts_die "redis-cli not found (apt-get install redis-tools)"; return 1; }
    echo "TS_REDIS_PIDFILE=$dir/redis.pid" >>"$dir/services.env"
    for attempt in 1 2 3; do
        port=$(free_port "${HAMACHI_TEST_POSTGRES_PORT:-}") || return 1
        _ts_log "starting Redis on 127.0.0.1:$port"
        # Not daemonized, so a failed start (port taken) shows at once as a dead pid.
        # Output goes to the log, so no caller's pipe or $(...) is held open.
        redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
            --dir "$dir" --daemonize no --logfile "$dir/redis.log" \
            </dev/null >>"$dir/redis.log" 2>&1 &
        pid=$!
        echo "$pid" >"$dir/redis.pid"
        deadline=$((SECONDS + timeout))
        while kill -0 "$pid" 2>/dev/null; do
            if _ts_redis_pong "$port"; then
                HAMACHI_TEST_REDIS_PORT=$port
                export HAMACHI_TEST_REDIS="127.0.0.1:$port"
                return 0
            fi
            if ((SECONDS >= deadline)); then
                _ts_log "Redis on 127.0.0.1:$port did not answer ping within ${timeout}s"
                break
            fi
            sleep 0.2
        done
        _ts_log "Redis failed to start (attempt $attempt); log tail:"
        tail -n 20 "$dir/redis.log" >&2 || true
        _ts_stop_redis "$dir/redis.pid"
    done
    _ts_die "Redis did not start; see $dir/redis.log"
}

# _ts_kill_pid PID: TERM, wait up to 15 s, then KILL.
_ts_kill_pid() {
    local pid=$1 i
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 75; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
}

_ts_stop_redis() {
    local pidfile=$1 pid
    [[ -f "$pidfile" ]] || return 0
    pid=$(head -n 1 "$pidfile" 2>/dev/null || true)
    _ts_kill_pid "$pid"
    rm -f "$pidfile"
}

_ts_stop_postgres() {
    local bindir=$1 data=$2 pid
    [[ -f "$data/postmaster.pid" ]] || return 0
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
    if [[ -x "$bindir/pg_ctl" ]]; then
        _ts_as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    _ts_kill_pid "$pid" # only if pg_ctl did not stop it
}

# test_services_start: start both services in a new temp dir and export the variables.
test_services_start() {
    local timeout=${HAMACHI_TEST_SERVICE_TIMEOUT:-60} dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/hamachi-test.XXXX") || { _ts_die "cannot create a temp dir under ${TMPDIR:-/tmp}"; return 1; }
    export HAMACHI_TEST_DIR=$dir
    : >"$dir/services.env"
    unset HAMACHI_TEST_POSTGRES_PORT HAMACHI_TEST_REDIS_PORT
    _ts_start_postgres "$dir" "$timeout" || return 1
    _ts_start_redis "$dir" "$timeout" || return 1
    _ts_log "PostgreSQL 127.0.0.1:$HAMACHI_TEST_POSTGRES_PORT, Redis 127.0.0.1:$HAMACHI_TEST_REDIS_PORT, dir $dir"
}

# test_services_stop [DIR]: stop whatever was started in DIR (default $HAMACHI_TEST_DIR) and
# remove DIR. Never fails, so it is safe in an EXIT trap and when start got only half way.
test_services_stop() {
    local dir=${1:-${HAMACHI_TEST_DIR:-}}
    [[ -n "$dir" && -d "$dir" ]] || return 0
    case "$(basename "$dir")" in
    hamachi-test.*) ;;
    *)
        _ts_log "refusing to remove $dir (not a hamachi-test.* directory)"
        return 0
        ;;
    esac
    local TS_PG_BINDIR="" TS_PG_DATA="" TS_REDIS_PIDFILE=""
    if [[ -f "$dir/services.env" ]]; then
        # shellcheck disable=SC1091
        source "$dir/services.env" || true
    fi
    [[ -n "$TS_REDIS_PIDFILE" ]] && _ts_stop_redis "$TS_REDIS_PIDFILE"
    [[ -n "$TS_PG_DATA" ]] && _ts_stop_postgres "$TS_PG_BINDIR" "$TS_PG_DATA"
    rm -rf "$dir" || true
    [[ "${HAMACHI_TEST_DIR:-}" == "$dir" ]] && unset HAMACHI_TEST_DIR
    return 0
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
    start)
        if ! test_services_start; then
            test_services_stop
            exit 1
        fi
        printf 'export HAMACHI_TEST_DIR=%q\n' "$HAMACHI_TEST_DIR"
        printf 'export HAMACHI_TEST_POSTGRES=%q\n' "$HAMACHI_TEST_POSTGRES"
        printf 'export HAMACHI_TEST_REDIS=%q\n' "$HAMACHI_TEST_REDIS"
        ;;
    stop)
        test_services_stop "${2:-}"
        ;;
    *)
        echo "usage: $0 start | stop [DIR]" >&2
        exit 2
        ;;
    esac
fi
