#!/usr/bin/env bash
# Make sure the services the test suite talks to are answering on 127.0.0.1; start any that is not.
# It never stops or restarts anything: with every service up it is a no-op that takes milliseconds.
#
#   PostgreSQL  5432  (trust auth, user postgres)
#   MariaDB     3306  (root, no password, database `test`)
#   Redis       6379
#   RabbitMQ    5672  (guest/guest)
#
# Environment knobs:
#   HEADWATER_SERVICES         space-separated subset to check (default: "postgres mariadb redis rabbitmq")
#   HEADWATER_SERVICE_TIMEOUT  seconds to wait for a started service to answer (default: 120)
#   HEADWATER_SERVICES_HOST    address to probe (default: 127.0.0.1)
#
# Starting a service needs root (CI runs as root). Output of each start command goes to
# ${TMPDIR:-/tmp}/headwater-services/<name>.log and is printed if the service does not come up.
set -euo pipefail

HOST="${HEADWATER_SERVICES_HOST:-127.0.0.1}"
TIMEOUT="${HEADWATER_SERVICE_TIMEOUT:-120}"
SERVICES="${HEADWATER_SERVICES:-postgres mariadb redis rabbitmq}"
LOG_DIR="${TMPDIR:-/tmp}/headwater-services"

say() { printf '==> services: %s\n' "$*" >&2; }

# True when something accepts a TCP connection on $HOST:$1 (bash /dev/tcp, 2 s cap).
port_open() {
    if command -v timeout >/dev/null 2>&1; then
        timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
    else
        (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
    fi
}

port_of() {
    case "$1" in
        postgres) echo 5432 ;;
        mariadb) echo 3306 ;;
        redis) echo 6379 ;;
        rabbitmq) echo 5672 ;;
        *)
            printf 'services.sh: unknown service %q (known: postgres mariadb redis rabbitmq)\n' "$1" >&2
            exit 2
            ;;
    esac
}

# A service is ready when its port answers (and, for PostgreSQL, when it accepts connections:
# the port opens before recovery/startup has finished).
ready() {
    port_open "$(port_of "$1")" || return 1
    if [[ "$1" == postgres ]] && command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$HOST" -p 5432 -t 2 || return 1
    fi
    return 0
}

start() {
    case "$1" in
        postgres)
            local version
            # shellcheck disable=SC2012  # version directories: plain names like 15
            version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
            if [[ -z "$version" ]]; then
                echo "no cluster under /etc/postgresql (apt-get install postgresql)"
                return 1
            fi
            pg_ctlcluster --skip-systemctl-redirect "$version" main start
            ;;
        mariadb)
            # /run is a tmpfs: the socket directory may be gone after a reboot.
            if [[ ! -d /run/mysqld ]]; then
                mkdir -p /run/mysqld
                chown mysql:mysql /run/mysqld || true
            fi
            start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
            ;;
        redis)
            mkdir -p /var/lib/redis /var/log/redis
            redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
                --dir /var/lib/redis --logfile /var/log/redis/ci.log
            ;;
        rabbitmq)
            rabbitmq-server -detached
            ;;
    esac
}

hint() {
    case "$1" in
        postgres) echo "see /var/log/postgresql/ (pg_lsclusters shows the cluster state)" ;;
        mariadb) echo "see /var/log/mysql/error.log, or run /usr/sbin/mariadbd in the foreground" ;;
        redis) echo "see /var/log/redis/ci.log" ;;
        rabbitmq) echo "see /var/log/rabbitmq/ (rabbitmq-diagnostics status)" ;;
    esac
}

started=()
failed=()
for name in $SERVICES; do
    port="$(port_of "$name")"
    if ready "$name"; then
        continue
    fi
    say "$name is not answering on $HOST:$port; starting it"
    mkdir -p "$LOG_DIR"
    log="$LOG_DIR/$name.log"
    # Start every missing service first, then wait for them together: RabbitMQ alone takes seconds.
    if start "$name" </dev/null >"$log" 2>&1; then
        started+=("$name")
    else
        # A failing start command may still have left a starting server behind (or another process
        # may have started it meanwhile): the wait below decides.
        say "start command for $name exited non-zero (output in $log)"
        started+=("$name")
    fi
done

if ((${#started[@]} == 0)); then
    say "all answering ($(for n in $SERVICES; do printf '%s:%s ' "$n" "$(port_of "$n")"; done | sed 's/ $//'))"
    exit 0
fi

deadline=$((SECONDS + TIMEOUT))
for name in "${started[@]}"; do
    port="$(port_of "$name")"
    until ready "$name"; do
        if ((SECONDS >= deadline)); then
            failed+=("$name")
            break
        fi
        sleep 0.5
    done
    if ! ((${#failed[@]})) || [[ "${failed[-1]}" != "$name" ]]; then
        say "$name is up on $HOST:$port"
    fi
done

if ((${#failed[@]})); then
    {
        printf '\nERROR: these services did not answer within %ss:\n' "$TIMEOUT"
        for name in "${failed[@]}"; do
            printf '  - %s on %s:%s — %s\n' "$name" "$HOST" "$(port_of "$name")" "$(hint "$name")"
            if [[ -s "$LOG_DIR/$name.log" ]]; then
                printf '    output of the start command (%s):\n' "$LOG_DIR/$name.log"
                sed 's/^/      /' "$LOG_DIR/$name.log" | tail -n 20
            fi
        done
        if ((EUID != 0)); then
            printf '  (not running as root: starting services usually needs root; start them yourself)\n'
        fi
        printf 'To run scripts/test without starting services: HEADWATER_SKIP_SERVICES=1 scripts/test\n'
    } >&2
    exit 1
fi
