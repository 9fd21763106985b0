"""HTTP side of bench/pipeline.sh: times the sample app's stages, its cold start and a soak."""
import json
import statistics
import subprocess
import sys
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


def cold_start(command, port, size, steps):
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={"PORT": str(port), "PATH": "/usr/bin:/bin"})
    try:
        while health(base) != "READY":
            time.sleep(0.01)
        ready = time.perf_counter() - start
        post(base, {"prompt": "a watercolor fox in the snow", "seed": 1, "num_inference_steps": steps,
                    "image_size": {"width": size, "height": size}})
        print(json.dumps({"java_cold_start_s": {"ready": ready, "first_image": time.perf_counter() - start}}))
    finally:
        process.terminate()
        process.wait()


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
        cold_start(sys.argv[5:], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "soak":
        soak(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
