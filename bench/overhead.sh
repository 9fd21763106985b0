#!/usr/bin/env bash
# Runtime overhead, side by side in one run: fal4j's echo app, the FastAPI peer (fal's Python stack)
# and a bare Quarkus REST route (the ceiling), all serving the same POST /echo shapes, loaded by wrk
# at 1, 16 and 64 connections. Prints rps, p50 and p99 for each, then the ratios against both peers.
#
#   bench/overhead.sh                 # 10 s per run after a 5 s warm-up
#   DURATION=30s WARMUP=10s bench/overhead.sh
#
# Needs: wrk, Debian's python3-fastapi + python3-uvicorn + python3-pil, and ../shared/peers (PEERS=...).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need wrk curl java /usr/bin/python3

duration=${DURATION:-10s}
warmup=${WARMUP:-5s}
connections=${CONNECTIONS:-"1 16 64"}
body=$peers/fastapi/post.lua

echo "building the fal4j echo app and the bare Quarkus peer..." >&2
(cd "$root" && ./mvnw -q -B install -DskipTests -pl runtime/integration-tests -am)
cp -r "$peers/quarkus-bare" "$work/quarkus-bare"
(cd "$work/quarkus-bare" && "$root/mvnw" -q -B package -DskipTests)

start fal4j fal4j.log env PORT=18080 java -jar "$root/runtime/integration-tests/target/quarkus-app/quarkus-run.jar"
start quarkus-bare bare.log java -Dquarkus.http.port=18081 -jar "$work/quarkus-bare/target/quarkus-app/quarkus-run.jar"
start fastapi fastapi.log bash -c "cd '$peers/fastapi' && exec /usr/bin/python3 -m uvicorn app:app --port 18082 --log-level warning"
await http://127.0.0.1:18080/health
await http://127.0.0.1:18081/echo -H 'Content-Type: application/json' -d '{"prompt":"warm","seed":7,"width":256,"height":256,"num_inference_steps":4}'
await http://127.0.0.1:18082/docs

declare -A url=([fal4j]=http://127.0.0.1:18080/echo [quarkus-bare]=http://127.0.0.1:18081/echo [fastapi]=http://127.0.0.1:18082/echo)
declare -A result
for server in fal4j quarkus-bare fastapi; do
    load "${url[$server]}" 64 "$warmup" "$body" >/dev/null
done
for c in $connections; do
    for server in fal4j quarkus-bare fastapi; do
        result[$server,$c]=$(load "${url[$server]}" "$c" "$duration" "$body")
    done
done

printf '\n%-13s %5s %11s %9s %9s  %s\n' server conns rps p50_ms p99_ms errors
for c in $connections; do
    for server in fal4j quarkus-bare fastapi; do
        read -r rps p50 p99 errors <<<"${result[$server,$c]}"
        printf '%-13s %5s %11s %9s %9s  %s\n' "$server" "$c" "$rps" "$p50" "$p99" "$errors"
    done
done

printf '\n%5s %18s %18s %18s\n' conns "rps fal4j/bare" "rps fal4j/fastapi" "p99 fal4j/bare"
for c in $connections; do
    read -r f_rps _ f_p99 _ <<<"${result[fal4j,$c]}"
    read -r b_rps _ b_p99 _ <<<"${result[quarkus-bare,$c]}"
    read -r p_rps _ _ _ <<<"${result[fastapi,$c]}"
    printf '%5s %18s %18s %18s\n' "$c" "$(ratio "$f_rps" "$b_rps")" "$(ratio "$f_rps" "$p_rps")" "$(ratio "$f_p99" "$b_p99")"
done
echo
echo "targets at 64 connections: rps fal4j/bare >= 0.8, rps fal4j/fastapi >= 8, p99 fal4j/bare <= 2"
