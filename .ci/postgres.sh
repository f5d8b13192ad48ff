#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: `source .ci/postgres.sh start` installs Debian's
# postgresql if missing, starts a cluster in a temporary folder on a free loopback port as an
# unprivileged user, and exports HEARTH_TEST_POSTGRES_URL; `postgres_stop` stops it and removes
# the folder. Nothing listens beyond 127.0.0.1, and the cluster trusts only loopback.

postgres_bin() {
    local dir
    # The newest server installed (a client-only install has no initdb).
    dir=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && dirname "$dir"
}

postgres_start() {
    if [ -z "$(postgres_bin)" ]; then
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    fi
    local bin user
    bin=$(postgres_bin)
    # PostgreSQL refuses to run as root: use its own account, or nobody when there is none.
    user=$(id -un)
    if [ "$(id -u)" = 0 ]; then
        if id postgres >/dev/null 2>&1; then user=postgres; else user=nobody; fi
    fi
    HEARTH_PG_DIR=$(mktemp -d /tmp/hearth-pg.XXXXXX)
    chown "$user" "$HEARTH_PG_DIR"
    HEARTH_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_user() { if [ "$(id -un)" = "$user" ]; then "$@"; else su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"; fi; }
    as_user "$bin/initdb" -D "$HEARTH_PG_DIR/data" -U hearth --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    as_user "$bin/pg_ctl" -D "$HEARTH_PG_DIR/data" -l "$HEARTH_PG_DIR/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $HEARTH_PG_PORT -k $HEARTH_PG_DIR -c max_connections=200 -c fsync=off" start >/dev/null
    as_user "$bin/createdb" -h 127.0.0.1 -p "$HEARTH_PG_PORT" -U hearth hearth_test
    export HEARTH_PG_DIR HEARTH_PG_PORT HEARTH_PG_USER="$user"
    export HEARTH_TEST_POSTGRES_URL="postgres://hearth@127.0.0.1:$HEARTH_PG_PORT/hearth_test"
    echo "PostgreSQL for the tests at $HEARTH_TEST_POSTGRES_URL"
}

postgres_stop() {
    [ -n "${HEARTH_PG_DIR:-}" ] || return 0
    local bin
    bin=$(postgres_bin)
    if [ "$(id -u)" = 0 ]; then
        su -s /bin/sh "$HEARTH_PG_USER" -c "$bin/pg_ctl -D $HEARTH_PG_DIR/data -m immediate stop" >/dev/null || true
    else
        "$bin/pg_ctl" -D "$HEARTH_PG_DIR/data" -m immediate stop >/dev/null || true
    fi
    rm -rf "$HEARTH_PG_DIR"
    unset HEARTH_PG_DIR HEARTH_TEST_POSTGRES_URL
}

if [ "${1:-}" = start ]; then postgres_start; fi
