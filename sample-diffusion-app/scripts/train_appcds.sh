#!/usr/bin/env bash
# A training run of the packaged app for a fast start. First it writes fal4j-run.jar
# (WriteLauncher.java), which starts the app with its classes on the JDK's own class path; then a
# run of that launcher archives every class that booting, setup() and one request at the default
# image size load (-XX:ArchiveClassesAtExit), so that a start with
# -XX:SharedArchiveFile=app-cds.jsa -jar fal4j-run.jar maps them from the archive instead of
# loading them from the jars. The archive is tied to this JDK, to the jars as they are now and to the
# app's path: run the app from the same directory.
#
#   scripts/train_appcds.sh target/quarkus-app      # writes target/quarkus-app/{fal4j-run.jar,app-cds.jsa}
#
# The run uses its own queue and CDN directories and a free port. Needs curl.
set -euo pipefail

dir=$(cd "$1" && pwd)
archive=$dir/app-cds.jsa
work=$(mktemp -d)
pid=
cleanup() {
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "train_appcds: $*; the app's log:" >&2
    tail -n 40 "$work/app.log" >&2 || true
    exit 1
}

rm -f "$archive"
java "$(dirname "${BASH_SOURCE[0]}")/WriteLauncher.java" "$dir"
cd "$dir"
PORT=0 FAL4J_QUEUE_DIR="$work/queue" FAL4J_FILES_CDN_DIR="$work/cdn" \
    java -XX:ArchiveClassesAtExit="$work/app-cds.jsa" -XX:TieredStopAtLevel=1 -Xlog:cds=off -Xlog:cds+dynamic=off \
    -jar fal4j-run.jar >"$work/app.log" 2>&1 &
pid=$!

# The port the app chose, from its log, once /health says READY.
ready() {
    port=$(sed -n 's|.*Listening on: http://[^:]*:\([0-9]*\).*|\1|p' "$work/app.log" | head -n 1)
    [[ -n $port ]] && curl -sf "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"READY"'
}
port=
for _ in $(seq 1 1200); do
    ready && break
    kill -0 "$pid" 2>/dev/null || fail "the app exited during the training run"
    sleep 0.1
done
ready || fail "the app was not READY within 120 s"

curl -sf -X POST "http://127.0.0.1:$port/" -H 'Content-Type: application/json' \
    -d '{"prompt":"a watercolor fox in the snow","num_inference_steps":2,"seed":1}' >/dev/null \
    || fail "the training request failed"

# The archive is written while the JVM exits; SIGTERM drains the app and exits normally.
kill -TERM "$pid"
for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$pid" 2>/dev/null && fail "the app did not exit within 60 s of SIGTERM"
wait "$pid" 2>/dev/null || true
pid=
[[ -s $work/app-cds.jsa ]] || fail "the JVM wrote no archive"
mv "$work/app-cds.jsa" "$archive"
echo "train_appcds: wrote $archive ($(du -h "$archive" | cut -f1))"
