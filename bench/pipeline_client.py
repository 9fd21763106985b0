"""HTTP side of bench/pipeline.sh: times the sample app's stages, its cold starts and a soak."""
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def post(base, body):
    request = urllib.request.Request(base + "/", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def health(base):
    try:
        with urllib.request.urlopen(base + "/health", timeout=2) as response:
            return json.loads(response.read())["state"]
    except Exception:
        return None


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def stages(base, runs, size, steps, warm_up):
    body = {"prompt": "a watercolor fox in the snow", "num_inference_steps": steps,
            "image_size": {"width": size, "height": size}}
    for i in range(warm_up):
        post(base, dict(body, seed=i))
    rows = [post(base, dict(body, seed=i))["timings"] for i in range(runs)]
    keys = rows[0].keys()
    median = {k: statistics.median(r[k] for r in rows) for k in keys}
    forward = [r["text_encoder"] + r["unet"] + r["vae_decode"] for r in rows]
    median["forward"] = statistics.median(forward)
    median["outside_forward"] = statistics.median(r["total"] - f for r, f in zip(rows, forward))
    median["overhead_vs_forward"] = statistics.median((r["total"] - f) / f for r, f in zip(rows, forward))
    median["overhead_without_postprocess"] = statistics.median(
        (r["total"] - r["postprocess"] - f) / f for r, f in zip(rows, forward))
    print(json.dumps({"java_stages_median_s": median}))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cold_start(label, command, port, size, steps):
    """One cold start of the app: READY, the first image, and the CPU time the process used by then."""
    base = f"http://127.0.0.1:{port}"
    state = tempfile.mkdtemp(prefix="fal4j-cold-")  # an empty queue and CDN, as in a fresh container
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=dict(os.environ, PORT=str(port), FAL4J_QUEUE_DIR=state + "/queue",
                                        FAL4J_FILES_CDN_DIR=state + "/cdn"))
    try:
        while health(base) != "READY":
            if process.poll() is not None:
                sys.exit(f"{label}: the app exited with status {process.returncode} before it was READY")
            time.sleep(0.01)
        ready = time.perf_counter() - start
        post(base, {"prompt": "a watercolor fox in the snow", "seed": 1, "num_inference_steps": steps,
                    "image_size": {"width": size, "height": size}})
        first = time.perf_counter() - start
        print(json.dumps({"cold_start": label, "ready_s": ready, "first_image_s": first,
                          "cpu_s": cpu_seconds(process.pid)}), flush=True)
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(state, ignore_errors=True)


def cold_start_bare(label, command, port):
    """One cold start of the bare Quarkus peer, a route that does no work: process start to its first
    answer, the floor under any Quarkus app's cold start on this machine."""
    url = f"http://127.0.0.1:{port}/echo"
    body = json.dumps({"prompt": "a watercolor fox in the snow", "seed": 1, "width": 512, "height": 512}).encode()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if process.poll() is not None:
                sys.exit(f"{label}: the peer exited with status {process.returncode} before it answered")
            try:
                request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    response.read()
                break
            except OSError:
                time.sleep(0.01)
        first = time.perf_counter() - start
        print(json.dumps({"cold_start": label, "first_image_s": first, "cpu_s": cpu_seconds(process.pid)}),
              flush=True)
    finally:
        process.terminate()
        process.wait()


def cold_start_python(label, command):
    """One cold start of the Python reference: process start to its exit after the first image."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    first = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"cold_start": label, "first_image_s": first,
                      "cpu_s": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime}), flush=True)


def cold_summary(path):
    """Medians per configuration of the cold starts in a file, and each Java one against Python's."""
    runs = {}
    for line in open(path):
        row = json.loads(line)
        runs.setdefault(row["cold_start"], []).append(row)
    median = {label: {k: statistics.median(r[k] for r in rows) for k in rows[0] if k != "cold_start"}
              for label, rows in runs.items()}

    def spread(label):
        firsts = sorted(r["first_image_s"] for r in runs[label])
        return f"median {median[label]['first_image_s']:.2f} s (of {len(firsts)}: {firsts[0]:.2f} to {firsts[-1]:.2f}"

    python = median["python"]
    bare = median.get("bare quarkus")
    for label, m in median.items():
        if label in ("python", "bare quarkus"):
            continue
        against_bare = f", java/bare quarkus {m['first_image_s'] / bare['first_image_s']:.2f}" if bare else ""
        print(f"cold start to the first image, {label}: {spread(label)}; READY {m['ready_s']:.2f} s; "
              f"CPU {m['cpu_s']:.2f} s), java/python {m['first_image_s'] / python['first_image_s']:.2f}"
              + against_bare)
    print(f"cold start to the first image, python reference: {spread('python')}; CPU {python['cpu_s']:.2f} s)")
    if bare:
        print(f"cold start to the first answer, bare Quarkus route (archive + C1; the floor): "
              f"{spread('bare quarkus')}; CPU {bare['cpu_s']:.2f} s)")


def soak(base, pid, requests, size, steps):
    body = {"prompt": "a watercolor fox in the snow", "num_inference_steps": steps,
            "image_size": {"width": size, "height": size}}
    for i in range(50):
        post(base, dict(body, seed=i))
    after_warm_up = rss_mb(pid)
    for i in range(requests):
        post(base, dict(body, seed=i))
    print(json.dumps({"soak": {"requests": requests, "rss_after_warm_up_mb": round(after_warm_up, 1),
                               "rss_after_mb": round(rss_mb(pid), 1),
                               "growth_mb": round(rss_mb(pid) - after_warm_up, 1)}}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "stages":
        stages(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif mode == "cold":
        cold_start(sys.argv[2], sys.argv[6:], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif mode == "cold-bare":
        cold_start_bare(sys.argv[2], sys.argv[4:], int(sys.argv[3]))
    elif mode == "cold-python":
        cold_start_python(sys.argv[2], sys.argv[3:])
    elif mode == "cold-summary":
        cold_summary(sys.argv[2])
    elif mode == "soak":
        soak(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
