#!/usr/bin/env bash
# Runs schemathesis (PyPI) against a real hearth-server on 127.0.0.1 with Protocol/openapi.yaml:
# no 5xx, every response's status, content type, headers and body as the spec says.
#
# Usage: bash .ci/schemathesis.sh [PATH_TO_hearth-server]   (default .build/debug/hearth-server)
# Builds nothing: run `swift build --product hearth-server` first (.ci/run does).
# Environment: SCHEMATHESIS_MAX_EXAMPLES (default 100 per operation), SCHEMATHESIS_SEED (default a
# fixed seed, so CI is repeatable; set another number to explore), SCHEMATHESIS_TIME_LIMIT (default
# 120: seconds each of the two schemathesis runs may take before it is stopped and fails).
# Installs schemathesis with pip when it is missing.
# Exits non-zero on any failure. The server and its temporary database are removed whatever happens.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="$root/Protocol/openapi.yaml"
server="${1:-$root/.build/debug/hearth-server}"
version=4.32.5
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
seed="${SCHEMATHESIS_SEED:-20261128}"
time_limit="${SCHEMATHESIS_TIME_LIMIT:-120}"

say() { echo "schemathesis.sh: $*" >&2; }

if [ ! -x "$server" ]; then
    say "$server is not an executable; build it with: swift build --product hearth-server"
    exit 1
fi
python="$(command -v python3 || command -v python || true)"
if [ -z "$python" ]; then
    say "python3 is required"
    exit 1
fi

installed="$("$python" -c 'import schemathesis; print(schemathesis.__version__)' 2>/dev/null || true)"
if [ "$installed" != "$version" ]; then
    say "installing schemathesis $version"
    "$python" -m pip install --quiet --disable-pip-version-check "schemathesis==$version" >/dev/null 2>&1 \
        || "$python" -m pip install --quiet --disable-pip-version-check --user "schemathesis==$version" >/dev/null 2>&1 \
        || { say "cannot install schemathesis $version with pip"; exit 1; }
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-schemathesis.XXXXXX")"
server_pid=""
cleanup() {
    local status=$?
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        # Give it a few seconds to finish in-flight requests and close its database.
        for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ] && [ -f "$work/server.log" ]; then
        say "the server's log (last 40 lines):"
        tail -n 40 "$work/server.log" >&2 || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db="$work/server.db"
# A hub, so that `POST /v1/hub/laptops` is exercised past its 403.
token="$("$server" node add schemathesis --forward --db "$db" --json \
    | "$python" -c 'import json, sys; print(json.load(sys.stdin)["token"])')"

# Port 0: the kernel picks a free port, and the server logs which one ("listening on …:PORT").
"$server" serve --db "$db" --host 127.0.0.1 --port 0 >"$work/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq 1 200); do
    port="$(sed -n 's/.*listening on .*:\([0-9][0-9]*\), database .*/\1/p' "$work/server.log" | head -n 1)"
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { say "hearth-server exited before listening"; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { say "hearth-server did not say which port it listens on within 20 s"; exit 1; }
base="http://127.0.0.1:$port"

"$python" - "$base/health" <<'EOF' || { say "GET /health did not answer 200"; exit 1; }
import sys, time, urllib.request
deadline = time.monotonic() + 20
while True:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit(1)
    time.sleep(0.1)
EOF
say "hearth-server on $base; schemathesis $version, $max_examples examples per operation, seed $seed"

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance

# The live-sync long poll (`GET /v1/changes/wait`) is left out: on this empty server every call
# would hold for its whole `timeout` (up to 60 s, past schemathesis' request timeout); its
# answers are tested in LiveSyncWatchTests instead.
# One schemathesis run; `timeout` bounds it (schemathesis's own --max-time is a budget it spends
# in full, not a bound).
run_schemathesis() {
    # From the temporary directory: schemathesis keeps a cache (.schemathesis/) in its working directory.
    (cd "$work" && timeout --kill-after=10 "$time_limit" "$python" -c \
        'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "schemathesis"; sys.exit(schemathesis())' \
        run "$spec" \
        --url "$base" \
        --header "Authorization: Bearer $token" \
        --checks "$checks" \
        --seed "$seed" \
        --request-timeout 10 \
        --workers 1 \
        --generation-database none \
        --no-color \
        --output-sanitize true \
        --exclude-path /v1/changes/wait \
        "$@")
}

started=$SECONDS
# Every operation, as a version 2 client: the requests get past the version check to the handlers.
say "run 1: every operation with Hearth-Protocol: 3"
run_schemathesis --header "Hearth-Protocol: 3" --max-examples "$max_examples"
# The /v1 operations with the header generated from its schema: every version that exists
# (1 gets 426, which each operation documents), and, in negative mode, ones that do not.
say "run 2: /v1 operations with Hearth-Protocol generated from the spec"
run_schemathesis --include-path-regex '^/v1/' --max-examples "$((max_examples / 2 > 0 ? max_examples / 2 : 1))"
say "schemathesis passed in $((SECONDS - started)) s"

# A 5xx the checks missed would still be in the server's request log.
if grep -Eq ' 5[0-9][0-9] [0-9.]+ms' "$work/server.log"; then
    say "the server answered 5xx:"
    grep -E ' 5[0-9][0-9] [0-9.]+ms' "$work/server.log" | head -n 20 >&2
    exit 1
fi
