#!/usr/bin/env bash
# Image building, side by side in one run:
#   context hashing: `fal4j context` over ~1 GB in many files (warm page cache), against sha256sum
#   over the same files, one process and one per core (xargs -P), best of RUNS.
#
#   bench/build.sh                    # 4,000 files of 256 KiB, 3 runs
#   FILES=20000 SIZE_KB=64 RUNS=5 bench/build.sh
#
# Needs: a JDK, coreutils, findutils.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

files=${FILES:-4000}
size_kb=${SIZE_KB:-256}
runs=${RUNS:-3}
cores=$(nproc)

echo "building the fal4j command..." >&2
(cd "$root" && ./mvnw -q -B install -DskipTests -pl docker -am)
cli=$(ls "$root"/docker/target/fal4j-docker-*-cli.jar)

ctx=$work/ctx
echo "writing $files files of $size_kb KiB under $ctx..." >&2
/usr/bin/python3 - "$ctx" "$files" "$size_kb" <<'PY'
import os, sys
root, files, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) * 1024
block = os.urandom(size)
for i in range(files):
    d = os.path.join(root, "d%02d" % (i % 50), "e%02d" % (i % 7))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.bin" % i), "wb") as f:
        f.write(block[i % 97:] + block[:i % 97])
PY
printf 'FROM scratch\nCOPY . /ctx\n' >"$ctx/Dockerfile"
total=$(du -sb "$ctx" | cut -f1)
cat "$ctx"/d*/e*/* >/dev/null  # warm the page cache for every contender

best() {  # best RUNS wall time of a command, in seconds
    local best_s=""
    for _ in $(seq 1 "$runs"); do
        local start end
        start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
        best_s=$(awk -v a="$start" -v b="$end" -v c="$best_s" 'BEGIN { t = b - a; if (c == "" || t < c) print t; else print c }')
    done
    echo "$best_s"
}

fal4j=$(best java -jar "$cli" context "$ctx" --json)
single=$(best bash -c "cd '$ctx' && find . -type f -print0 | xargs -0 sha256sum")
parallel=$(best bash -c "cd '$ctx' && find . -type f -print0 | xargs -0 -P$cores -n 64 sha256sum")

echo
printf 'context: %d files, %.2f GB\n' "$((files + 1))" "$(awk -v b="$total" 'BEGIN { print b / 1e9 }')"
printf '%-36s %8s %10s\n' contender seconds "GB/s"
for row in "fal4j context (JVM start included):$fal4j" "sha256sum, 1 process:$single" "sha256sum, $cores processes:$parallel"; do
    name=${row%%:*}; t=${row##*:}
    printf '%-36s %8.2f %10.2f\n' "$name" "$t" "$(awk -v b="$total" -v t="$t" 'BEGIN { print b / 1e9 / t }')"
done
echo "fal4j/sha256sum time: $(ratio "$fal4j" "$single") (1 process), $(ratio "$fal4j" "$parallel") ($cores processes)"
