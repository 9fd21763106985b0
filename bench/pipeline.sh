#!/usr/bin/env bash
# The sample app's pipeline, next to the Python reference over the same TorchScript files:
#  1. per-stage timings of the Java pipeline and its overhead over the bare forward calls (target <= 5%):
#     the model stages time predict() alone; copying tensors in and out counts as overhead, as on the
#     Python side, which times the module calls alone. Measured twice: early, after 20 requests, while
#     the per-request Java code still runs in the interpreter and C1; and in the steady state of a
#     serving process, after the soak's 1,000 requests (there also at the app's default 25 steps),
#  2. time per image at 512x512 and 4 steps, Java vs Python in the same run (target Java <= 1.0x Python),
#     and the time each spends outside the forward calls,
#  3. cold start, process start to the first image (target <= 1.5 s here), Java next to Python: medians
#     of several starts each, taking turns, with the CPU time each used; and the bare Quarkus peer's
#     process start to its first answer (with Quarkus's class archive and C1, as the app), the floor
#     under any Quarkus app's cold start on the machine of the day,
#  4. a soak of 1,000 requests: resident memory growth after warm-up (target <= 50 MB), in its own
#     process with a fixed Java heap.
#
#   bench/pipeline.sh                # RUNS=10 SOAK=1000 COLD=5
#
# Needs Debian's python3-torch and python3-regex (the Python reference), and a JDK.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need curl java /usr/bin/python3
/usr/bin/python3 -c "import torch, regex" 2>/dev/null || { echo "needs python3-torch and python3-regex" >&2; exit 2; }

runs=${RUNS:-10}
warm_up=20         # Java requests before the timed ones (the JIT compiles the pipeline's loops)
python_warm_up=5   # Python runs before the timed ones
soak=${SOAK:-1000}
cold=${COLD:-5}     # cold starts of each configuration
app=$root/sample-diffusion-app/target/quarkus-app/quarkus-run.jar
model=$root/sample-diffusion-app/src/main/resources/tiny-sd
client=$root/bench/pipeline_client.py
reference=$root/sample-diffusion-app/scripts/reference_pipeline.py

echo "building the sample app and the bare Quarkus peer..." >&2
(cd "$root" && ./mvnw -q -B install -DskipTests -pl sample-diffusion-app -am)
cp -r "$peers/quarkus-bare" "$work/quarkus-bare"
(cd "$work/quarkus-bare" && "$root/mvnw" -q -B package -DskipTests -Dquarkus.package.jar.appcds.enabled=true)
bare=$work/quarkus-bare/target/quarkus-app

echo "== Java: per-stage medians over $runs images after $warm_up to warm up, 512x512, 4 steps" >&2
start java java.log env PORT=18180 java -jar "$app"
await http://127.0.0.1:18180/health
/usr/bin/python3 "$client" stages http://127.0.0.1:18180 "$runs" 512 4 "$warm_up" | tee "$work/java.json"
# the Python reference gets the machine to itself, as the app had it
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()

echo "== Python reference: the same images over the same TorchScript files" >&2
# libtorch in the JVM uses one thread per core; Debian's torch defaults to one thread, so it is given as many.
threads=$(nproc)
# The Java app sets glibc's malloc to keep freed memory for the next request (NativeHeap); the Python
# reference gets the same settings from the environment, which is worth as much to it.
python_malloc=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483647
GLIBC_TUNABLES=$python_malloc /usr/bin/python3 "$reference" "$model" --repeat $((runs + python_warm_up)) --steps 4 --width 512 --height 512 --threads "$threads" \
    >"$work/python.jsonl"
/usr/bin/python3 - "$work/java.json" "$work/python.jsonl" "$python_warm_up" <<'PY'
import json, statistics, sys
java = json.load(open(sys.argv[1]))["java_stages_median_s"]
rows = [json.loads(l) for l in open(sys.argv[2])][int(sys.argv[3]):]
python = {k: statistics.median(r[k] for r in rows) for k in rows[0] if k not in ("load", "mean_pixel")}
print(json.dumps({"python_stages_median_s": python}))
print(f"time per image, pipeline total: java {java['total']:.3f} s, python {python['total']:.3f} s, "
      f"java/python {java['total'] / python['total']:.2f}   (target <= 1.0)")
glue = {"java": java["outside_forward"],
        "python": statistics.median(r["total"] - r["text_encoder"] - r["unet"] - r["vae_decode"] for r in rows)}
print(f"time outside the forward calls (median per image): java {glue['java'] * 1e3:.2f} ms, "
      f"python {glue['python'] * 1e3:.2f} ms, java/python {glue['java'] / glue['python']:.2f}")
print(f"java pipeline overhead over its forward calls: {java['overhead_vs_forward'] * 100:.1f}%, "
      f"{java['overhead_without_postprocess'] * 100:.1f}% without the float-to-RGB conversion   (target <= 5%)")
PY

# A fresh process whose Java heap is fixed and resident from the start: G1 growing or shrinking the
# heap would otherwise swing resident memory by a hundred MB either way and hide what the soak is
# for, memory that requests leave behind (native tensors, buffers, threads, code).
echo "== soak: $soak requests at 256x256, 4 steps (Java heap fixed at 512 MB and pre-touched)" >&2
start soak soak.log env PORT=18180 java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -jar "$app"
await http://127.0.0.1:18180/health
/usr/bin/python3 "$client" soak http://127.0.0.1:18180 "${pids[0]}" "$soak" 256 4
echo "== Java in the steady state, after the soak: per-stage medians over $runs images, 512x512, 4 and 25 steps" >&2
/usr/bin/python3 "$client" stages http://127.0.0.1:18180 "$runs" 512 4 "$warm_up" | tee "$work/steady.json"
/usr/bin/python3 "$client" stages http://127.0.0.1:18180 "$runs" 512 25 "$warm_up" | tee "$work/steady25.json"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()
/usr/bin/python3 - "$work/java.json" "$work/steady.json" "$work/steady25.json" <<'PY'
import json, sys
for label, path in zip(("early, after 20 requests, 4 steps", "steady state, 4 steps", "steady state, 25 steps"), sys.argv[1:]):
    java = json.load(open(path))["java_stages_median_s"]
    print(f"java pipeline overhead over its forward calls, {label}: {java['overhead_vs_forward'] * 100:.1f}% "
          f"({java['outside_forward'] * 1e3:.2f} ms outside {java['forward'] * 1e3:.1f} ms "
          f"of forward calls)   (target <= 5%)")
PY

echo "== cold start: process start to the first 512x512 image, $cold times each, taking turns" >&2
# Each start is one sample of a machine whose speed drifts from minute to minute: the configurations
# take turns, and the medians are compared. The app and the bare route run with the README's flags,
# the app through its class-path launcher as the README starts it (the bare route has none).
fast_start=(-XX:SharedArchiveFile=app-cds.jsa -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1)
for ((i = 0; i < cold; i++)); do
    (cd "$(dirname "$app")" && /usr/bin/python3 "$client" cold "archive + C1" 18182 512 4 \
        java "${fast_start[@]}" -jar fal4j-run.jar)
    /usr/bin/python3 "$client" cold "plain JVM" 18181 512 4 java -jar "$app"
    GLIBC_TUNABLES=$python_malloc /usr/bin/python3 "$client" cold-python python /usr/bin/python3 "$reference" \
        "$model" --repeat 1 --steps 4 --width 512 --height 512 --threads "$threads"
    (cd "$bare" && /usr/bin/python3 "$client" cold-bare "bare quarkus" 18183 \
        java -Dquarkus.http.port=18183 "${fast_start[@]}" -jar quarkus-run.jar)
done >"$work/cold.jsonl"
/usr/bin/python3 "$client" cold-summary "$work/cold.jsonl"
echo "targets: java cold start to first image <= 1.5 s; soak growth <= 50 MB"
