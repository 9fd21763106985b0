#!/usr/bin/env bash
# Image building, side by side in one run:
#   1. context hashing: `fal4j context` over ~1 GB in many files (warm page cache), against sha256sum
#      over the same files, one process and one per core (xargs -P), best of RUNS;
#   2. builds of the echo app's image with buildah on a Debian base made by debootstrap (cached in
#      ~/.cache/fal4j-test): a full build, a rebuild with nothing changed (target <= 1 s), and a
#      rebuild after a change of the app's code alone, against the full build.
#
#   bench/build.sh                    # 4,000 files of 256 KiB, 3 runs
#   FILES=20000 SIZE_KB=64 RUNS=5 bench/build.sh
#
# Needs: a JDK, coreutils, findutils; for part 2 root, buildah and debootstrap.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

files=${FILES:-4000}
size_kb=${SIZE_KB:-256}
runs=${RUNS:-3}
cores=$(nproc)

echo "building the fal4j command..." >&2
(cd "$root" && ./mvnw -q -B install -DskipTests -pl docker -am && ./mvnw -q -B package -DskipTests -pl runtime/integration-tests)
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

echo
echo "== image builds (buildah, overlay storage under $work)" >&2
storage="--root $work/storage --runroot $work/run --storage-driver overlay"
base=localhost/fal4j-bench/debian-java17:bookworm
tarball=${FAL4J_TEST_CACHE:-$HOME/.cache/fal4j-test}/debian-bookworm-java17.tar
if [ ! -f "$tarball" ]; then
    mkdir -p "$(dirname "$tarball")"
    debootstrap --variant=minbase --include=ca-certificates,curl,openjdk-17-jre-headless bookworm "$work/rootfs" \
        "${FAL4J_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log"
    tar -C "$work/rootfs" --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
fi
# shellcheck disable=SC2086
ctr=$(buildah $storage from --quiet scratch)
# shellcheck disable=SC2086
buildah $storage add "$ctr" "$tarball" / >/dev/null
# shellcheck disable=SC2086
buildah $storage config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
# shellcheck disable=SC2086
buildah $storage commit --quiet --rm "$ctr" "$base" >/dev/null

project=$work/project
mkdir -p "$project/target" "$project/context"
cp -a "$root/runtime/integration-tests/target/quarkus-app" "$project/target/"
echo "a file the image copies" >"$project/context/data.txt"
/usr/bin/python3 - "$root/runtime/integration-tests/target/fal4j-app.json" "$project" "$base" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
meta["image"] = {"dockerfile": "FROM %s\nCOPY data.txt /opt/data.txt\nRUN echo built > /opt/stamp\n" % sys.argv[3],
                 "build_args": {}, "secrets": [], "registries": {}, "context_dir": sys.argv[2] + "/context",
                 "dockerignore": [], "dockerignore_path": None, "compression": "gzip"}
json.dump(meta, open(sys.argv[2] + "/target/fal4j-app.json", "w"))
PY
build() { FAL4J_BUILDAH_OPTS="$storage" FAL4J_CACHE_DIR="$work/cache" java -jar "$cli" build "$project" --output json "$@" 2>/dev/null; }
timed() { local start end; start=$(date +%s.%N); "$@" >"$work/last.json"; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'; }
full=$(timed build --no-cache)
unchanged=$(timed build)
reused=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reused"])' "$work/last.json")
echo "changed code" >"$project/target/quarkus-app/app/extra.txt"
code_only=$(timed build)
echo
printf '%-44s %8s\n' build seconds
printf '%-44s %8.2f\n' "full (--no-cache)" "$full"
printf '%-44s %8.2f   (user layers reused: %s; target <= 1 s)\n' "nothing changed" "$unchanged" "$reused"
printf '%-44s %8.2f\n' "app code changed (platform layers only)" "$code_only"
echo "code-only/full: $(ratio "$code_only" "$full"); no-change/full: $(ratio "$unchanged" "$full")"
