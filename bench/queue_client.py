"""Latency of fal4j's queue against a direct call of the same endpoint, over kept-alive connections.

Each queued round trip is what a fal client does at best: submit, read the status stream until
COMPLETED, fetch the result. Prints one JSON line with percentiles in milliseconds. With --submit,
only submits COUNT requests (for the journal's growth) and waits until the last one completed.

    queue_client.py [--submit] HOST PORT OWNER/APP PATH BODY COUNT
"""
import http.client
import json
import statistics
import sys
import time


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def submit_only(host, port, app, path, body, count):
    connection = http.client.HTTPConnection(host, port)
    headers = {"Content-Type": "application/json"}
    last = None
    for _ in range(count):
        connection.request("POST", "/" + app + path, body, headers)
        response = connection.getresponse()
        last = json.loads(response.read())
        assert response.status == 200, last
    while True:
        connection.request("GET", "/%s/requests/%s/status" % (app, last["request_id"]))
        response = connection.getresponse()
        if json.loads(response.read())["status"] == "COMPLETED":
            break
        time.sleep(0.05)
    print(json.dumps({"submitted": count}))


def main():
    if sys.argv[1] == "--submit":
        args = sys.argv[2:]
        submit_only(args[0], int(args[1]), args[2], args[3], args[4], int(args[5]))
        return
    host, port, app, path, body, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
    headers = {"Content-Type": "application/json"}
    direct = http.client.HTTPConnection(host, port)
    control = http.client.HTTPConnection(host, port)
    stream = http.client.HTTPConnection(host, port)

    def call_direct():
        direct.request("POST", path, body, headers)
        response = direct.getresponse()
        data = response.read()
        assert response.status == 200, data

    def call_queued():
        control.request("POST", "/" + app + path, body, headers)
        response = control.getresponse()
        submitted = json.loads(response.read())
        assert response.status == 200, submitted
        request_id = submitted["request_id"]
        stream.request("GET", "/%s/requests/%s/status/stream" % (app, request_id))
        response = stream.getresponse()
        completed = False
        for line in response:
            if line.startswith(b"data: ") and json.loads(line[6:])["status"] == "COMPLETED":
                completed = True
        response.read()
        assert completed
        control.request("GET", "/%s/requests/%s" % (app, request_id))
        response = control.getresponse()
        data = response.read()
        assert response.status == 200, data

    timings = {"direct": [], "queued": []}
    for _ in range(min(500, count)):
        call_direct()
        call_queued()
    for _ in range(count):
        for name, call in (("direct", call_direct), ("queued", call_queued)):
            start = time.perf_counter()
            call()
            timings[name].append((time.perf_counter() - start) * 1000)
    summary = {}
    for name, values in timings.items():
        summary[name] = {"p50": round(statistics.median(values), 3), "p99": round(percentile(values, 0.99), 3)}
    summary["added_p50_ms"] = round(summary["queued"]["p50"] - summary["direct"]["p50"], 3)
    summary["added_p99_ms"] = round(summary["queued"]["p99"] - summary["direct"]["p99"], 3)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
