#!/usr/bin/env bash
# The queue's cost, side by side in one run against direct calls of the same trivial endpoint of the
# fal4j echo app (fsync on, as by default):
#   1. latency: submit -> status stream until COMPLETED -> result, against one direct POST (p50, p99);
#   2. submit throughput: wrk on the submit route against wrk on the direct route, 16 and 64 connections;
#   3. journal growth per 10,000 completed requests (before retention or compaction removes them).
#
#   bench/queue.sh                    # 2,000 latency samples, 10 s wrk runs
#   SAMPLES=5000 DURATION=30s bench/queue.sh
#
# Needs: wrk, curl, Debian's python3.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need wrk curl java /usr/bin/python3

samples=${SAMPLES:-2000}
duration=${DURATION:-10s}
body='{"prompt":"a watercolor fox in the snow","seed":7,"width":256,"height":256,"num_inference_steps":4}'
client="/usr/bin/python3 $root/bench/queue_client.py"

echo "building the fal4j echo app..." >&2
(cd "$root" && ./mvnw -q -B install -DskipTests -pl runtime/integration-tests -am)
queue=$work/queue
start fal4j fal4j.log env PORT=18080 FAL4J_QUEUE_DIR="$queue" FAL4J_QUEUE_MAX_QUEUED=10000000 \
    java -jar "$root/runtime/integration-tests/target/quarkus-app/quarkus-run.jar"
await http://127.0.0.1:18080/health

journal_bytes() { du -sb --exclude=webhook-key.pem --exclude=lock "$queue" | cut -f1; }

before=$(journal_bytes)
$client --submit 127.0.0.1 18080 local/echo /echo "$body" 10000 >/dev/null
after=$(journal_bytes)

latency=$($client 127.0.0.1 18080 local/echo /echo "$body" "$samples")

cat >"$work/submit.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$body'
LUA
load http://127.0.0.1:18080/echo 64 5s "$work/submit.lua" >/dev/null
declare -A result
for c in 16 64; do
    result[direct,$c]=$(load http://127.0.0.1:18080/echo "$c" "$duration" "$work/submit.lua")
    result[submit,$c]=$(load http://127.0.0.1:18080/local/echo/echo "$c" "$duration" "$work/submit.lua")
    for _ in $(seq 1 600); do
        [ "$(curl -s http://127.0.0.1:18080/health | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["queue_waiting"])')" = 0 ] && break
        sleep 0.1
    done
done

echo
echo "latency over $samples sequential requests (ms):"
echo "$latency" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print("  direct p50 %.3f  p99 %.3f" % (r["direct"]["p50"], r["direct"]["p99"]))
print("  queued p50 %.3f  p99 %.3f   (submit + status stream + result)" % (r["queued"]["p50"], r["queued"]["p99"]))
print("  added by the queue: p50 %.3f ms, p99 %.3f ms; queued/direct p50 %.2fx" % (r["added_p50_ms"], r["added_p99_ms"], r["queued"]["p50"] / r["direct"]["p50"]))'
printf '\n%-8s %5s %11s %9s %9s  %s\n' route conns rps p50_ms p99_ms errors
for c in 16 64; do
    for route in direct submit; do
        read -r rps p50 p99 errors <<<"${result[$route,$c]}"
        printf '%-8s %5s %11s %9s %9s  %s\n' "$route" "$c" "$rps" "$p50" "$p99" "$errors"
    done
    read -r d_rps _ _ _ <<<"${result[direct,$c]}"
    read -r s_rps _ _ _ <<<"${result[submit,$c]}"
    echo "  submits/direct calls per second at $c connections: $(ratio "$s_rps" "$d_rps")"
done
echo
echo "journal growth per 10,000 completed requests: $(( (after - before) / 1024 )) KiB ($(( (after - before) / 10000 )) bytes each)"
echo "target: added p50 <= 5 ms"
