#!/usr/bin/env bash
# orgbox benchmark: builds the release binary, makes sure wrk is installed, then runs
# bench/bench.py, which starts servers on 127.0.0.1 only and prints a table of figures
# beside the targets. Not a test: it always exits 0 when the measurements ran.
#
#   bash bench/run.sh                 # full run (~1.5 minutes after a warm build)
#   BENCH_DURATION=4 bash bench/run.sh  # shorter wrk runs
#
# Knobs (environment): BENCH_DURATION (s per wrk run, default 8), BENCH_STARTS (default 5),
# BENCH_READ_CONNS (default 8,16,64), BENCH_CREATE_CONNS (default 8,32), BENCH_KEEP=1 keeps
# the scratch directory (/tmp/orgbox-bench.*) with logs and raw wrk output.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WORK="$(mktemp -d /tmp/orgbox-bench.XXXXXX)"
PIDFILE="$WORK/children.pids"

cleanup() {
    local rc=$?
    # Stop the driver first: on SIGTERM it stops its own servers and wrk (bounded waits).
    if [[ -n "${DRIVER_PID:-}" ]]; then
        kill -TERM "$DRIVER_PID" 2>/dev/null || true
        wait "$DRIVER_PID" 2>/dev/null || true
    fi
    # Then kill whatever it still lists (it keeps the file current), e.g. if it was SIGKILLed.
    if [[ -f "$PIDFILE" ]]; then
        while read -r pid; do
            [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
        done <"$PIDFILE"
    fi
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
        echo "[bench] scratch kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "[bench] building release binary" >&2
cargo build --release --quiet
BIN="$ROOT/target/release/orgbox"

# The physical reference (actix-web + one SQLite point read), built beside orgbox so the hot
# path is measured against it in the same run. PHYSREF_DIR overrides where its sources are.
PHYSREF_DIR="${PHYSREF_DIR:-$ROOT/../shared/physref}"
[[ -f "$PHYSREF_DIR/Cargo.toml" ]] || PHYSREF_DIR=/work/shared/physref
echo "[bench] building physref from $PHYSREF_DIR" >&2
cargo build --release --quiet --manifest-path "$PHYSREF_DIR/Cargo.toml" --target-dir "$ROOT/target/physref"
PHYSREF="$ROOT/target/physref/release/physref"

if ! command -v wrk >/dev/null 2>&1; then
    echo "[bench] installing wrk" >&2
    SUDO=""
    [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

LABEL="commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    LABEL="$LABEL (+uncommitted changes)"
fi

# BENCH_ONLY=hotpath runs only the comparison with physref (and the named-sandbox figures);
# BENCH_ONLY=console only the console at scale; BENCH_ONLY=webhooks only the webhook figures.
ONLY="${BENCH_ONLY:-}"
if [[ -z "$ONLY" ]]; then
python3 "$ROOT/bench/bench.py" \
    --bin "$BIN" \
    --config "$ROOT/config.toml" \
    --work "$WORK" \
    --pidfile "$PIDFILE" \
    --label "$LABEL" \
    --starts "${BENCH_STARTS:-5}" \
    --duration "${BENCH_DURATION:-8}" \
    --read-conns "${BENCH_READ_CONNS:-8,16,64}" \
    --create-conns "${BENCH_CREATE_CONNS:-8,32}" \
    --raw-out "$WORK/wrk-raw.txt" &
DRIVER_PID=$!
wait "$DRIVER_PID"
DRIVER_PID=""
fi

if [[ -z "$ONLY" || "$ONLY" == hotpath ]]; then
python3 "$ROOT/bench/hotpath.py" \
    --bin "$BIN" \
    --physref "$PHYSREF" \
    --config "$ROOT/config.toml" \
    --rounds "${BENCH_ROUNDS:-3}" \
    --duration "${BENCH_DURATION:-8}" \
    --named "${BENCH_NAMED:-1000}" &
DRIVER_PID=$!
wait "$DRIVER_PID"
DRIVER_PID=""

fi

# Webhook deliveries per second to a local receiver, and the hot path while at least 1,000
# deliveries wait (BENCH_ONLY=webhooks: only this).
if [[ -z "$ONLY" || "$ONLY" == webhooks ]]; then
python3 "$ROOT/bench/webhooks.py" \
    --bin "$BIN" \
    --config "$ROOT/config.toml" \
    --rounds "${BENCH_ROUNDS:-3}" \
    --duration "${BENCH_DURATION:-8}" &
DRIVER_PID=$!
wait "$DRIVER_PID"
DRIVER_PID=""
fi

# The console with 1,000 enterprises and 10,000 journal entries (BENCH_ONLY=console: only this).
if [[ -z "$ONLY" || "$ONLY" == console ]]; then
python3 "$ROOT/bench/console.py" --bin "$BIN" --config "$ROOT/config.toml" &
DRIVER_PID=$!
wait "$DRIVER_PID"
DRIVER_PID=""
fi
