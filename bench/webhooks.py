#!/usr/bin/env python3
"""Webhook deliveries (called by bench/run.sh; not a test).

Starts orgbox (its own config, default [webhooks]: 16 workers) and a local receiver in its own
process (a small asyncio HTTP/1.1 server answering 200 at once, keep-alive), registers
`--hooks` (100, the most an enterprise holds) `policyBalanceChange` webhooks on one enterprise
of the demo world, each at its own path, and fires them with `POST /sandbox/webhooks/trigger`
(each trigger writes one notification per webhook; the pool delivers them, one in flight per
webhook).

Prints:
  deliveries per second   `--burst` notifications written at once, timed until the receiver
                          counted them all (the receiver's count, not orgbox's).
  hot path under load     `GET /api/v2/user/me` (raw bearer, wrk -t2 -c64), quiet and while
                          the backlog of written-but-undelivered notifications is kept at or
                          above `--backlog` (1,000) by topping it up; interleaved round by
                          round; the loaded median as a fraction of the quiet one
                          (target >= 0.9).
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hotpath import EMAIL, HOST, ME, PASSWORD, call, free_port, wait_ready, wrk  # noqa: E402

CHILDREN = []

# The receiver: run as `python3 webhooks.py receiver PORT COUNTFILE [HOLD_SECONDS]`; counts
# every request (answering each HOLD_SECONDS late) and writes the count to COUNTFILE every
# 20 ms (so the driver reads it without a request).
RECEIVER = "receiver"


def log(msg):
    print(f"[webhooks] {msg}", file=sys.stderr, flush=True)


def run_receiver(port, count_file, hold=0.0):
    import asyncio

    count = 0

    async def handle(reader, writer):
        nonlocal count
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                m = re.search(rb"(?i)content-length:\s*(\d+)", head)
                if m:
                    await reader.readexactly(int(m.group(1)))
                if hold:
                    await asyncio.sleep(hold)
                count += 1
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def report():
        while True:
            with open(count_file + ".tmp", "w") as f:
                f.write(str(count))
            os.replace(count_file + ".tmp", count_file)
            await asyncio.sleep(0.02)

    async def main():
        server = await asyncio.start_server(handle, HOST, port, backlog=1024)
        asyncio.ensure_future(report())
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def received(count_file):
    try:
        with open(count_file) as f:
            return int(f.read() or 0)
    except (FileNotFoundError, ValueError):
        return 0


class Firehose:
    """Fires triggers; knows how many notifications it wrote."""

    def __init__(self, port, enterprise, count_file):
        self.port, self.enterprise, self.count_file = port, enterprise, count_file
        self.written = 0

    def fire(self):
        s, b = call(self.port, "POST", "/sandbox/webhooks/trigger",
                    {"type": "policyBalanceChange", "enterpriseId": self.enterprise})
        assert s == 200, b
        self.written += b["notifications"]

    def backlog(self):
        return self.written - received(self.count_file)

    def drain(self, timeout=120):
        deadline = time.time() + timeout
        while self.backlog() > 0 and time.time() < deadline:
            time.sleep(0.02)
        return self.backlog()


def keep_backlog(hose, floor, stop, samples):
    """Tops the backlog up to at least `floor` until `stop` is set; samples it every 20 ms."""
    while not stop.is_set():
        while hose.backlog() < floor:
            hose.fire()
        samples.append(hose.backlog())
        time.sleep(0.02)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--hooks", type=int, default=100)
    ap.add_argument("--burst", type=int, default=5000)
    ap.add_argument("--backlog", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=8)
    ap.add_argument("--conns", type=int, default=64)
    ap.add_argument("--in-flight", type=int, default=1000, help="0 skips the in-flight part")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="orgbox-webhooks.")
    try:
        run(args, work)
    finally:
        for p in CHILDREN:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(work, ignore_errors=True)


def cpu_seconds(pid):
    """User + system CPU seconds of process `pid` so far (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(args, work, tag, config, hold=0.0):
    """A receiver (answering `hold` s late) and an orgbox with `config`: their ports and the
    receiver's count file."""
    port, rport = free_port(), free_port()
    count_file = os.path.join(work, f"received-{tag}")
    CHILDREN.append(subprocess.Popen([sys.executable, __file__, RECEIVER, str(rport), count_file, str(hold)],
                                     stderr=open(os.path.join(work, f"receiver-{tag}.log"), "w")))
    env = dict(os.environ)
    env["RUST_LOG"] = "warn"
    CHILDREN.append(subprocess.Popen(
        [args.bin, "--config", config, "--listen", f"{HOST}:{port}", "--tls-listen", f"{HOST}:0",
         "--data-dir", os.path.join(work, f"data-{tag}")],
        env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"orgbox-{tag}.log"), "w")))
    wait_ready(port, "/api/v2/ping")
    return port, rport, count_file


def hooks_on_enterprise(port, prefix, rport, n):
    """Logs in (in sandbox `prefix`), registers `n` webhooks on the first enterprise; returns
    the login token and the enterprise's id."""
    s, login = call(port, "POST", f"{prefix}/api/v2/user/login", {"email": EMAIL, "password": PASSWORD, "otp": "000000"})
    assert s == 200, login
    token = login["access_token"]
    s, ents = call(port, "GET", f"{prefix}/api/v2/enterprise", headers=bearer(token))
    assert s == 200, ents
    enterprise = ents["enterprises"][0]["id"]
    for i in range(n):
        s, b = call(port, "POST", f"{prefix}/api/v2/enterprise/{enterprise}/webhooks",
                    {"type": "policyBalanceChange", "url": f"http://{HOST}:{rport}{prefix}/h/{i}"}, bearer(token))
        assert s == 200, b
    return token, enterprise


def setup(args, work):
    port, rport, count_file = start(args, work, "burst", args.config)
    token, enterprise = hooks_on_enterprise(port, "", rport, args.hooks)
    return port, token, Firehose(port, enterprise, count_file)


def run(args, work):
    port, token, hose = setup(args, work)
    # Deliveries per second: a burst written at once (triggers take a few ms each), timed
    # from the first trigger to the receiver's last count.
    hose.fire()
    assert hose.drain() == 0, "the warm-up deliveries did not all arrive"
    t = time.perf_counter()
    start = hose.written
    while hose.written - start < args.burst:
        hose.fire()
    fired = time.perf_counter() - t
    left = hose.drain()
    took = time.perf_counter() - t
    n = hose.written - start
    print()
    print(f"webhook deliveries to a local receiver: {n} in {took:.2f} s = {n / took:.0f} deliveries/s "
          f"({args.hooks} webhooks, triggers written in {fired:.2f} s, {left} undelivered)")

    quiet, loaded, backlogs, delivered, cpu = [], [], [], [], []
    wrk(port, ME, bearer(token), args.conns, 2, work)  # warm-up
    for r in range(args.rounds):
        quiet.append(wrk(port, ME, bearer(token), args.conns, args.duration, work))
        stop, samples = threading.Event(), []
        before = received(hose.count_file)
        feeder = threading.Thread(target=keep_backlog, args=(hose, args.backlog, stop, samples))
        feeder.start()
        while hose.backlog() < args.backlog:
            time.sleep(0.01)
        receiver_pid, orgbox_pid = CHILDREN[0].pid, CHILDREN[1].pid
        cpu0 = (cpu_seconds(orgbox_pid), cpu_seconds(receiver_pid))
        loaded.append(wrk(port, ME, bearer(token), args.conns, args.duration, work))
        cpu.append(tuple((cpu_seconds(p) - c) / args.duration for p, c in zip((orgbox_pid, receiver_pid), cpu0)))
        stop.set()
        feeder.join()
        delivered.append(received(hose.count_file) - before)
        backlogs.append((min(samples), statistics.median(samples)))
        log(f"round {r + 1}: quiet {quiet[-1][0]:.0f} req/s, loaded {loaded[-1][0]:.0f} req/s, "
            f"backlog min {backlogs[-1][0]} median {backlogs[-1][1]:.0f}, {delivered[-1]} delivered")
        hose.drain()
    q = statistics.median(x[0] for x in quiet)
    lo = statistics.median(x[0] for x in loaded)
    print(f"hot path {ME} raw bearer, wrk -t2 -c{args.conns}, {args.rounds} interleaved rounds of {args.duration} s:")
    print(f"  quiet  {q:>9.0f} req/s  p99 {statistics.median(x[2] for x in quiet):.2f} ms")
    print(f"  loaded {lo:>9.0f} req/s  p99 {statistics.median(x[2] for x in loaded):.2f} ms  "
          f"(backlog kept >= {args.backlog}: min {min(b[0] for b in backlogs)}, "
          f"{statistics.median(delivered) / args.duration:.0f} deliveries/s meanwhile)")
    print(f"  meanwhile orgbox used {statistics.median(c[0] for c in cpu):.0%} and the receiver "
          f"{statistics.median(c[1] for c in cpu):.0%} of one core (2 cores, shared with wrk)")
    print(f"  loaded / quiet = {lo / q:.2f} (target >= 0.90)")
    if args.in_flight > 0:
        run_in_flight(args, work)


def in_flight_config(args, work, n):
    """`args.config` with `n` workers and a 2-minute timeout under [webhooks]."""
    text, out, section = open(args.config).read().splitlines(), [], None
    for line in text:
        if line.startswith("["):
            section = line.strip()
        if section == "[webhooks]" and re.match(r"^workers\s*=", line):
            line = f"workers = {n}"
        if section == "[webhooks]" and re.match(r"^timeout_ms\s*=", line):
            line = "timeout_ms = 120000"
        out.append(line)
    path = os.path.join(work, "in-flight.toml")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return path


def in_flight_now(port):
    s, b = call(port, "GET", "/sandbox/webhooks?limit=1")
    assert s == 200, b
    return b["inFlight"]


def run_in_flight(args, work):
    """The hot path while `args.in_flight` deliveries are literally in flight: a receiver that
    answers each `hold` s late, `workers` raised to match in a copy of the config, and the
    webhooks spread over named sandboxes (100 per enterprise, one in flight per webhook)."""
    n, per = args.in_flight, 100
    hold = args.duration + 6
    port, rport, count_file = start(args, work, "held", in_flight_config(args, work, n), hold)
    prefixes = []
    for i in range((n + per - 1) // per):
        s, b = call(port, "POST", "/sandbox/sandboxes", {"name": f"hooks{i}"})
        assert s == 201, b
        prefix = f"/s/hooks{i}"
        _, enterprise = hooks_on_enterprise(port, prefix, rport, min(per, n - i * per))
        prefixes.append((prefix, enterprise))
    s, login = call(port, "POST", "/api/v2/user/login", {"email": EMAIL, "password": PASSWORD, "otp": "000000"})
    assert s == 200, login
    me = bearer(login["access_token"])
    wrk(port, ME, me, args.conns, 2, work)  # warm-up
    quiet, loaded, seen = [], [], []
    for r in range(args.rounds):
        quiet.append(wrk(port, ME, me, args.conns, args.duration, work))
        before = received(count_file)
        for prefix, enterprise in prefixes:
            s, b = call(port, "POST", f"{prefix}/sandbox/webhooks/trigger",
                        {"type": "policyBalanceChange", "enterpriseId": enterprise})
            assert s == 200, b
        deadline = time.time() + 30
        while in_flight_now(port) < n and time.time() < deadline:
            time.sleep(0.05)
        at_start = in_flight_now(port)
        loaded.append(wrk(port, ME, me, args.conns, args.duration, work))
        seen.append((at_start, in_flight_now(port)))
        log(f"in flight, round {r + 1}: quiet {quiet[-1][0]:.0f} req/s, loaded {loaded[-1][0]:.0f} req/s, "
            f"in flight {seen[-1][0]} at the start, {seen[-1][1]} at the end")
        deadline = time.time() + hold + 30
        while received(count_file) - before < n and time.time() < deadline:
            time.sleep(0.1)
    q = statistics.median(x[0] for x in quiet)
    lo = statistics.median(x[0] for x in loaded)
    print(f"hot path with {n} deliveries in flight (receiver answers {hold} s late; [webhooks] workers = {n}):")
    print(f"  quiet  {q:>9.0f} req/s  p99 {statistics.median(x[2] for x in quiet):.2f} ms")
    print(f"  loaded {lo:>9.0f} req/s  p99 {statistics.median(x[2] for x in loaded):.2f} ms  "
          f"(in flight: min {min(min(x) for x in seen)})")
    print(f"  loaded / quiet = {lo / q:.2f} (target >= 0.90)")


if __name__ == "__main__":
    if len(sys.argv) in (4, 5) and sys.argv[1] == RECEIVER:
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        run_receiver(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]) if len(sys.argv) == 5 else 0.0)
    else:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        main()
