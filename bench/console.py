"""The console at scale, for bench/run.sh: 1,000 enterprises and 10,000 journal entries.

Starts the release orgbox (journal_capacity 20000) on a free loopback port, runs the browser
script tests/console/scale.mjs against it (it seeds the world, fills the journal, and prints
the times headless Chromium saw as `figure` lines), then times the console's data routes
directly: a page of the world (first, middle, last, a search, through a user's eyes) and a
page of the journal (newest, deep, by principal), median and p99 over --runs calls each.
Without node, chromium or tests/console/node_modules, the browser figures are skipped and the
world and journal are filled from Python instead.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"
BRENNAN = "brennan@prestige-worldwide.test"
PASSWORD = "Prestige-Worldwide-2026"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE_DIR = os.path.join(ROOT, "tests", "console")


def log(msg):
    print(f"[console] {msg}", file=sys.stderr, flush=True)


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    r = conn.getresponse()
    payload = r.read()
    conn.close()
    return r.status, payload


def start(bin_path, config, work):
    text = open(config).read().replace("journal_capacity = 1000", "journal_capacity = 20000")
    cfg = os.path.join(work, "config.toml")
    open(cfg, "w").write(text)
    proc = subprocess.Popen(
        [bin_path, "--config", cfg, "--data-dir", os.path.join(work, "data"), "--listen", f"{HOST}:0",
         "--tls-listen", f"{HOST}:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    for line in proc.stdout:
        m = re.search(r"listening on http://[\d.]+:(\d+)", line)
        if m:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, int(m.group(1))
    raise SystemExit("orgbox did not start")


def fill_from_python(port):
    """The world and journal scale.mjs would make, for machines without a browser."""
    orgs, ents = [], []
    for o in range(10):
        orgs.append({"key": f"o{o}", "name": f"Scale Org {o:02}"})
        ents.append({"key": f"o{o}p", "name": f"Scale Org {o:02}", "organization": f"o{o}",
                     "business_model": "cryptoAsAServiceParent"})
        ents += [{"key": f"o{o}c{c}", "name": f"scale child {o}-{c:02}", "organization": f"o{o}",
                  "business_model": "cryptoAsAServiceChild"} for c in range(49)]
    ents += [{"key": f"s{s}", "name": f"standalone {s:03}"} for s in range(500)]
    request(port, "POST", "/sandbox/seed", {"organizations": orgs, "enterprises": ents})
    _, body = request(port, "POST", "/api/v2/user/login", {"email": BRENNAN, "password": PASSWORD, "otp": "000000"})
    token = json.loads(body)["access_token"]

    def worker(start):
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        for i in range(start, 10000, 8):
            headers = {"Authorization": "Bearer " + token} if i % 20 == 0 else {}
            conn.request("GET", f"/api/v2/user/me?n={i}", headers=headers)
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def browser_figures(port):
    chrome = os.environ.get("CHROME") or next(
        (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    ready = chrome and shutil.which("node") and os.path.isdir(os.path.join(NODE_DIR, "node_modules", "puppeteer-core"))
    if not ready:
        return None
    out = subprocess.run(
        ["node", "scale.mjs"], cwd=NODE_DIR, capture_output=True, text=True, timeout=600,
        env={**os.environ, "ORGBOX_URL": f"http://{HOST}:{port}", "CHROME": chrome},
    ).stdout
    bad = [l for l in out.splitlines() if l.startswith("not ok")]
    if bad:
        log("browser script: " + "; ".join(bad))
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^figure (\S+) ([\d.]+) ms$", out, re.M)}


def timings(port, path, runs):
    times, size = [], 0
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    for _ in range(runs):
        t0 = time.perf_counter()
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        times.append((time.perf_counter() - t0) * 1000)
        if r.status != 200:
            raise SystemExit(f"{path}: {r.status} {body[:200]!r}")
        size = len(body)
    conn.close()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="orgbox-console.")
    proc = None
    try:
        proc, port = start(args.bin, args.config, work)
        log("browser run (seeds 1,000 enterprises and 10,000 journal entries)")
        figures = browser_figures(port)
        if figures is None:
            log("no browser here: filling from Python, browser figures skipped")
            fill_from_python(port)
        _, body = request(port, "GET", "/sandbox/journal/count")
        held = json.loads(body)["count"]
        _, body = request(port, "GET", "/sandbox/console/world?limit=1")
        total = json.loads(body)["total"]
        _, body = request(port, "GET", "/sandbox/journal?limit=1")
        newest = json.loads(body)["requests"][0]["seq"]
        routes = [
            ("world, first page (25)", "/sandbox/console/world"),
            ("world, page at 500", "/sandbox/console/world?offset=500"),
            ("world, last page", f"/sandbox/console/world?offset={total - 25}"),
            ("world, search", "/sandbox/console/world?q=standalone%20377"),
            ("world, as the organization admin", f"/sandbox/console/world?as={BRENNAN}"),
            ("journal, newest page (50)", "/sandbox/console/journal?limit=50"),
            ("journal, 5,000 back", f"/sandbox/console/journal?limit=50&before={newest - 5000}"),
            ("journal, by principal email", f"/sandbox/console/journal?limit=50&principal={BRENNAN}"),
        ]
        print(f"\nconsole at scale: {total} enterprises, {held} journal entries ({args.runs} calls per route, release build)")
        print(f"{'route':40} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>8}")
        for name, path in routes:
            p50, p99, size = timings(port, path, args.runs)
            print(f"{name:40} {p50:8.2f} {p99:8.2f} {size:8d}")
        if figures:
            print("in headless Chromium (click to redrawn):")
            for name, ms in figures.items():
                print(f"  {name:38} {ms:8.1f} ms")
        sys.stdout.flush()
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
