#!/usr/bin/env python3
"""Helpers for run.sh: Step Functions API calls, /metrics sampling and RSS.

Standard library only. Every subcommand takes the server's base URL first:

  sfn.py URL create NAME TYPE DEFINITION_JSON        -> prints the machine ARN
  sfn.py URL put-module NAME FILE                    -> uploads a component
  sfn.py URL call OP JSON                            -> prints the reply
  sfn.py URL count ARN STATUS                        -> executions of ARN with STATUS
  sfn.py URL sample-status ARN N                     -> statuses of N listed executions
  sfn.py URL start-n ARN N                           -> starts N executions, prints ARNs
  sfn.py URL statuses FILE_OF_ARNS                   -> status -> count
  sfn.py URL wait-started N                          -> waits for N started executions
  sfn.py URL measure PID LABEL TARGET -- CMD...      -> runs CMD (a wrk run), samples
        /metrics every 0.2 s during it, prints the transitions/s while CMD ran,
        the best 1 s, the peak executions in flight (started - finished) and
        how long the executions took to finish after it (waits up to 45 s).
  sfn.py rss PID                                     -> VmRSS and VmHWM in MiB
"""
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.parse


def conn(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)


class Client:
    def __init__(self, url):
        self.url = url
        self.c = conn(url)

    def request(self, method, path, body=b"", headers=None):
        for attempt in range(2):
            try:
                self.c.request(method, path, body=body, headers=headers or {})
                r = self.c.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                if attempt:
                    raise
                self.c.close()
                self.c = conn(self.url)

    def sfn(self, op, payload):
        status, body = self.request(
            "POST", "/", json.dumps(payload).encode(),
            {"X-Amz-Target": "AWSStepFunctions." + op,
             "Content-Type": "application/x-amz-json-1.0"})
        if status != 200:
            raise SystemExit(f"{op} failed: HTTP {status}: {body[:500]!r}")
        return json.loads(body or b"{}")

    def metrics(self):
        status, body = self.request("GET", "/metrics")
        out = {"finished": 0}
        for line in body.decode().splitlines():
            if line.startswith("#") or not line.strip():
                continue
            key, value = line.rsplit(" ", 1)
            if key.startswith("stepwise_executions_finished_total"):
                out["finished"] += int(float(value))
            out[key] = float(value)
        return {
            "transitions": int(out.get("stepwise_transitions_total", 0)),
            "started": int(out.get("stepwise_executions_started_total", 0)),
            "finished": out["finished"],
        }

    def list_all(self, arn, status):
        token = None
        while True:
            req = {"stateMachineArn": arn, "statusFilter": status, "maxResults": 1000}
            if token:
                req["nextToken"] = token
            page = self.sfn("ListExecutions", req)
            yield from page.get("executions", [])
            token = page.get("nextToken")
            if not token:
                return


def rss(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                k, v = line.split(":")
                values[k] = int(v.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def measure(url, pid, label, target, cmd):
    client = Client(url)
    samples = []
    stop = threading.Event()

    def sampler():
        c = Client(url)
        while not stop.is_set():
            m = c.metrics()
            samples.append((time.monotonic(), m))
            time.sleep(0.2)

    m0 = client.metrics()
    t0 = time.monotonic()
    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    m_end = client.metrics()
    t_end = time.monotonic()
    # Drain: until every started execution has finished (at most 45 s).
    late = None
    while True:
        m = client.metrics()
        now = time.monotonic()
        if late is None and now - t_end >= 2.0:
            late = m["started"] - m["finished"]
        if m["started"] == m["finished"] or now - t_end > 45:
            break
        time.sleep(0.1)
    drained = time.monotonic() - t_end
    stop.set()
    th.join()
    m1 = client.metrics()
    late = late if late is not None else 0
    transitions = m_end["transitions"] - m0["transitions"]
    started = m1["started"] - m0["started"]
    unfinished = m1["started"] - m1["finished"]
    span = t_end - t0
    in_flight = max((m["started"] - m["finished"] for _, m in samples), default=0)
    # Best 1 s window from the samples.
    peak = 0.0
    for i, (ti, mi) in enumerate(samples):
        for tj, mj in samples[i + 1:]:
            if tj - ti >= 1.0:
                peak = max(peak, (mj["transitions"] - mi["transitions"]) / (tj - ti))
                break
    wrk_rps = next((f"{float(l.split()[1]):,.0f}" for l in proc.stdout.splitlines()
                    if l.startswith("Requests/sec")), "?")
    non2xx = next((l.split(":")[1].strip() for l in proc.stdout.splitlines()
                   if "Non-2xx" in l), "0")
    rate = transitions / span if span > 0 else 0
    r, h = rss(pid)
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"{label}: {rate:,.0f} transitions/s during the load (target {target}); "
          f"best 1 s {peak:,.0f}/s; {started:,} executions, StartExecution {wrk_rps}/s, "
          f"non-2xx {non2xx}; peak in flight {in_flight:,}; 2 s after the load {late:,} "
          f"still running, all done {drained:.1f} s after it"
          f"{f' ({unfinished} never finished)' if unfinished else ''}; "
          f"RSS {r:.0f} MiB (HWM {h:.0f}); load avg {load}")
    sys.stdout.flush()
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, file=sys.stderr)


def main(argv):
    if argv[1] == "rss":
        r, h = rss(argv[2])
        print(f"{r:.1f} {h:.1f}")
        return
    url, cmd, args = argv[1], argv[2], argv[3:]
    c = Client(url)
    if cmd == "create":
        name, kind, definition = args
        out = c.sfn("CreateStateMachine", {
            "name": name, "type": kind, "definition": definition,
            "roleArn": "arn:aws:iam::123456789012:role/bench"})
        print(out["stateMachineArn"])
    elif cmd == "put-module":
        name, path = args
        with open(path, "rb") as f:
            status, body = c.request("PUT", "/modules/" + name, f.read(),
                                     {"Content-Type": "application/wasm"})
        if status != 200:
            raise SystemExit(f"PUT /modules/{name}: HTTP {status}: {body[:300]!r}")
    elif cmd == "call":
        print(json.dumps(c.sfn(args[0], json.loads(args[1]))))
    elif cmd == "count":
        print(sum(1 for _ in c.list_all(args[0], args[1])))
    elif cmd == "sample-status":
        arn, n = args[0], int(args[1])
        execs = list(c.list_all(arn, "RUNNING"))
        step = max(1, len(execs) // n)
        statuses = {}
        for e in execs[::step][:n]:
            d = c.sfn("DescribeExecution", {"executionArn": e["executionArn"]})
            statuses[d["status"]] = statuses.get(d["status"], 0) + 1
        print(" ".join(f"{k}={v}" for k, v in sorted(statuses.items())))
    elif cmd == "start-n":
        arn, n = args[0], int(args[1])
        for _ in range(n):
            print(c.sfn("StartExecution", {"stateMachineArn": arn, "input": "{}"})["executionArn"])
    elif cmd == "statuses":
        statuses = {}
        with open(args[0]) as f:
            for arn in f.read().split():
                d = c.sfn("DescribeExecution", {"executionArn": arn})
                statuses[d["status"]] = statuses.get(d["status"], 0) + 1
        print(" ".join(f"{k}={v}" for k, v in sorted(statuses.items())))
    elif cmd == "measure":
        pid, label, target = args[0], args[1], args[2]
        assert args[3] == "--"
        measure(url, pid, label, target, args[4:])
    elif cmd == "wait-started":
        # Until `started` reaches N or stops moving for 5 s; prints it.
        n, last, since = int(args[0]), -1, time.monotonic()
        while True:
            started = c.metrics()["started"]
            if started >= n or time.monotonic() - since > 5:
                break
            if started != last:
                last, since = started, time.monotonic()
            time.sleep(0.05)
        print(started)
    elif cmd == "metrics":
        print(c.metrics())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
