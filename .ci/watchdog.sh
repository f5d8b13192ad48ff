#!/usr/bin/env bash
# Runs the test command with a time limit well below CI's: a run that hangs is stopped, and the
# log says where it hung instead of ending at CI's limit with nothing but "Terminated".
#
#   bash .ci/watchdog.sh SECONDS COMMAND...
#
# Output is line-buffered (stdbuf), so what the run printed last is in the log, not in a buffer.
# At the limit it prints which tests started and never finished, every thread's stack in the
# test process (with gdb, when installed), and what PostgreSQL's sessions are doing (when the
# tests use it), then stops the run and exits 124.
set -uo pipefail
limit=$1
shift
log=$(mktemp /tmp/hearth-test-log.XXXXXX)
trap 'rm -f "$log"' EXIT

stdbuf -oL -eL "$@" > >(tee "$log") 2>&1 &
run=$!

unfinished_tests() {
    # Swift Testing prints "◇ Test NAME started." and "✔ Test NAME passed …" (✘ … failed).
    python3 - "$log" <<'EOF'
import re, sys
started, ended = [], set()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if m := re.search(r"◇ Test (.+?) started\.", line):
        # Not "◇ Test run started." (the whole run), nor a parameterised test's cases.
        if m.group(1) != "run" and not line.lstrip().startswith("◇ Test case"):
            started.append(m.group(1))
    elif m := re.search(r"[✔✘] Test (.+?)(?: with \d+ test cases?)? (?:passed|failed)", line):
        ended.add(m.group(1))
for name in started:
    if name not in ended:
        print("    " + name)
EOF
}

# Every process the run started, however deep (swift test runs the test binary as its child).
descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

report_hang() {
    echo
    echo "=== the tests have run for ${limit} s, far longer than they take: stopping them ==="
    echo "--- tests started and not finished:"
    unfinished_tests
    local processes
    processes=$(descendants "$run")
    for pid in $processes; do
        grep -q '\.xctest' /proc/"$pid"/cmdline 2>/dev/null || continue
        echo "--- threads of $(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | cut -c1-120) (pid $pid):"
        if command -v gdb >/dev/null 2>&1; then
            timeout 120 gdb -p "$pid" -batch -nx -ex "set pagination off" -ex "thread apply all bt 25" 2>&1 |
                grep -E '^(Thread |#)' | cut -c1-200 | head -n 1500
        else
            echo "    (gdb is not installed: no stacks)"
        fi
    done
    if [ -n "${HEARTH_TEST_POSTGRES_URL:-}" ] && command -v psql >/dev/null 2>&1; then
        echo "--- PostgreSQL sessions:"
        timeout 20 psql "$HEARTH_TEST_POSTGRES_URL" -X -c \
            "SELECT pid, datname, state, wait_event_type, wait_event, now() - xact_start AS in_transaction,
                    left(query, 100) AS query
             FROM pg_stat_activity WHERE backend_type = 'client backend' ORDER BY xact_start" 2>&1 | head -n 200
    fi
    kill -KILL "$run" $processes 2>/dev/null || true
}

deadline=$((SECONDS + limit))
while kill -0 "$run" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        report_hang
        wait "$run" 2>/dev/null
        exit 124
    fi
    sleep 2
done
wait "$run"
