#!/usr/bin/env bash
# Print a TCP port on 127.0.0.1 that nothing is using right now.
#
#   infra/scripts/free-port.sh [PORT_TO_AVOID ...]      # prints e.g. 24817
#   source infra/scripts/free-port.sh; port=$(free_port 5432 6379)
#
# Ports are drawn at random from 20000-32767, below Linux's default ephemeral range
# (32768-60999), so outgoing connections are unlikely to take the port between the
# check and the moment the caller's server binds it. Uses python3 (a real bind test)
# when present, else probes with bash's /dev/tcp (connection refused => free).

free_port() {
    local avoid=" $* " port i
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$@" <<'PY' && return 0
import random, socket, sys
avoid = {int(a) for a in sys.argv[1:] if a.isdigit()}
for _ in range(200):
    port = random.randint(20000, 32767)
    if port in avoid:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    sys.exit(0)
sys.exit(1)
PY
    fi
    for ((i = 0; i < 200; i++)); do
        port=$((20000 + RANDOM % 12768))
        [[ "$avoid" == *" $port "* ]] && continue
        # A refused connection means nothing listens there.
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "free-port: no free TCP port found on 127.0.0.1" >&2
    return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    free_port "$@"
fi
