#!/usr/bin/env bash
# Output files, side by side in one run: the POST /png shapes of the FastAPI peer (paint a PNG, store
# it content-addressed, answer its URL) on fal4j with the embedded CDN and on the FastAPI peer, at 1,
# 16 and 64 connections; then fal4j again with the CDN on S3 (S3Proxy, a real S3 server on this
# machine) to measure what an upload to S3 adds per request.
#
#   bench/upload.sh                  # 10 s per run after a 5 s warm-up
#   DURATION=30s bench/upload.sh
#
# Needs: wrk, Debian's python3-fastapi + python3-uvicorn + python3-pil, ../shared/peers (PEERS=...),
# and S3Proxy (org.gaul:s3proxy:2.6.0:jar-with-dependencies, fetched by the build into runtime/deployment/target).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need wrk curl java /usr/bin/python3

duration=${DURATION:-10s}
warmup=${WARMUP:-5s}
connections=${CONNECTIONS:-"1 16 64"}
body=$peers/fastapi/post.lua
app=$root/runtime/integration-tests/target/quarkus-app/quarkus-run.jar
s3proxy=$root/runtime/deployment/target/s3proxy/s3proxy.jar

echo "building the fal4j echo app and fetching S3Proxy..." >&2
(cd "$root" && ./mvnw -q -B install -DskipTests -pl runtime/integration-tests -am \
    && ./mvnw -q -B generate-test-resources -pl runtime/deployment)

mkdir -p "$work/s3/fal4j-bench" "$work/cdn" "$work/peer-cdn"
cat >"$work/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:18093
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3
CONF

start fal4j fal4j.log env PORT=18080 java -jar "$app"
start fastapi fastapi.log bash -c "cd '$peers/fastapi' && CDN_DIR='$work/peer-cdn' exec /usr/bin/python3 -m uvicorn app:app --port 18082 --log-level warning"
start s3proxy s3proxy.log java -jar "$s3proxy" --properties "$work/s3proxy.conf"
start fal4j-s3 fal4j-s3.log env PORT=18083 FAL4J_FILES_CDN_KIND=s3 FAL4J_FILES_CDN_S3_BUCKET=fal4j-bench \
    FAL4J_FILES_CDN_S3_ENDPOINT=http://127.0.0.1:18093 FAL4J_FILES_CDN_S3_PATH_STYLE=true \
    FAL4J_FILES_CDN_S3_ACCESS_KEY=bench FAL4J_FILES_CDN_S3_SECRET_KEY=bench-secret \
    FAL4J_FILES_CDN_S3_PUBLIC_URL=http://127.0.0.1:18093/fal4j-bench java -jar "$app"
await http://127.0.0.1:18080/health
await http://127.0.0.1:18082/docs
await http://127.0.0.1:18083/health

declare -A url=([fal4j]=http://127.0.0.1:18080/png [fastapi]=http://127.0.0.1:18082/png [fal4j-s3]=http://127.0.0.1:18083/png)
servers="fal4j fastapi fal4j-s3"
curl -sf -X POST -H 'Content-Type: application/json' -d '{"prompt":"x","seed":7,"width":256,"height":256}' \
    "${url[fal4j-s3]}" | grep -q '"url":"http://127.0.0.1:18093/fal4j-bench/' \
    || { echo "fal4j did not store on S3Proxy: $(tail -5 "$work/fal4j-s3.log")" >&2; exit 1; }
declare -A result
for server in $servers; do
    load "${url[$server]}" 16 "$warmup" "$body" >/dev/null
done
for c in $connections; do
    for server in $servers; do
        result[$server,$c]=$(load "${url[$server]}" "$c" "$duration" "$body")
    done
done

printf '\n%-10s %5s %11s %9s %9s  %s\n' server conns rps p50_ms p99_ms errors
for c in $connections; do
    for server in $servers; do
        read -r rps p50 p99 errors <<<"${result[$server,$c]}"
        printf '%-10s %5s %11s %9s %9s  %s\n' "$server" "$c" "$rps" "$p50" "$p99" "$errors"
    done
done

printf '\n%5s %20s %26s\n' conns "rps fal4j/fastapi" "p50 added by S3 (ms)"
for c in $connections; do
    read -r f_rps f_p50 _ _ <<<"${result[fal4j,$c]}"
    read -r p_rps _ _ _ <<<"${result[fastapi,$c]}"
    read -r _ s_p50 _ _ <<<"${result[fal4j-s3,$c]}"
    printf '%5s %20s %26s\n' "$c" "$(ratio "$f_rps" "$p_rps")" "$(awk -v a="$s_p50" -v b="$f_p50" 'BEGIN { printf "%.3f", a - b }')"
done
echo
echo "target: rps fal4j/fastapi >= 3 at 16 connections"
