# Shared by the benchmark scripts: peers, servers, wrk runs and their parsing.
# shellcheck shell=bash

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
work=$(mktemp -d /tmp/fal4j-bench.XXXXXX)
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

need() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wrk python3-fastapi python3-uvicorn python3-pil" >&2; exit 2; }
    done
    [ -d "$peers" ] || { echo "no peers at $peers (set PEERS)" >&2; exit 2; }
}

# start NAME LOG CMD...: runs a server in the background; a fal4j runner keeps its queue journal and
# files in this run's directory, not the shared defaults under /tmp, so it never meets another's
start() {
    local name=$1 log=$2; shift 2
    FAL4J_QUEUE_DIR="$work/queue-$name" FAL4J_FILES_CDN_DIR="$work/cdn-$name" "$@" >"$work/$log" 2>&1 &
    pids+=($!)
    echo "started $name (pid $!)" >&2
}

# await URL [CURL_ARGS...]: waits until the URL answers 2xx
await() {
    local url=$1; shift
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null "$@" "$url" && return 0
        sleep 0.1
    done
    echo "no answer from $url" >&2; exit 1
}

# ms VALUE: wrk latency (850.00us, 1.20ms, 2.01s) in milliseconds
ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# load URL CONNECTIONS DURATION SCRIPT: prints "rps p50_ms p99_ms errors"
load() {
    local threads=2
    [ "$2" -lt 2 ] && threads=1
    local out
    out=$(wrk -t"$threads" -c"$2" -d"$3" --latency -s "$4" "$1" 2>&1)
    local rps p50 p99 errors
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
    p99=$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}')
    echo "$rps $p50 $p99 ${errors:-none}"
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}
