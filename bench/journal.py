"""The journal's memory with bodies: 10,000 entries of realistic requests.

Starts orgbox (target/release/orgbox, else target/debug/orgbox; --bin to choose) with
journal_capacity 10000 on a free loopback port, logs in once, then sends 10,000 requests from
8 threads, alternating `GET /api/v2/user/me` (a ~2 KB answer) and a trading order with a JSON
body (refused, its refusal kept too). Prints the journal's own count of the bytes its entries
hold (`GET /sandbox/journal` -> `bytes`), the bytes per entry, and the server's VmRSS before
and after. A figure, not a test: it exits 0 whatever the figures are.
"""

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

HOST = "127.0.0.1"
SERVICE = "service@prestige-worldwide.test"
PASSWORD = "Prestige-Worldwide-2026"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def request(port, method, path, body=None, token=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
    r = conn.getresponse()
    payload = r.read()
    conn.close()
    return r.status, payload


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--bin", default=None)
    p.add_argument("--entries", type=int, default=10_000)
    args = p.parse_args()
    binary = args.bin or next(
        (b for b in (os.path.join(ROOT, "target", k, "orgbox") for k in ("release", "debug")) if os.path.exists(b)),
        None,
    )
    if not binary:
        raise SystemExit("build orgbox first")
    work = tempfile.mkdtemp(prefix="orgbox-journal.")
    config = open(os.path.join(ROOT, "config.toml")).read()
    config = config.replace("journal_capacity = 1000", f"journal_capacity = {args.entries}")
    cfg = os.path.join(work, "config.toml")
    open(cfg, "w").write(config)
    proc = subprocess.Popen(
        [binary, "--config", cfg, "--data-dir", os.path.join(work, "data"), "--listen", f"{HOST}:0",
         "--tls-listen", f"{HOST}:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        port = None
        for line in proc.stdout:
            m = re.search(r"listening on http://[\d.]+:(\d+)", line)
            if m:
                port = int(m.group(1))
                threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
                break
        if port is None:
            raise SystemExit("orgbox did not start")
        status, body = request(port, "POST", "/api/v2/user/login", {"email": SERVICE, "password": PASSWORD, "otp": "000000"})
        token = json.loads(body)["access_token"]
        before = rss_kb(proc.pid)
        order = {"clientOrderId": "bench", "product": "BTC-USD", "type": "market", "side": "sideways",
                 "quantity": "1", "quantityCurrency": "BTC"}

        def worker(n, offset):
            for i in range(n):
                if (i + offset) % 2:
                    request(port, "GET", "/api/v2/user/me", token=token)
                else:
                    request(port, "POST", "/api/prime/trading/v1/accounts/" + "f" * 32 + "/orders", order, token)

        threads = [threading.Thread(target=worker, args=(args.entries // 8, t)) for t in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _, page = request(port, "GET", "/sandbox/journal?limit=1")
        page = json.loads(page)
        after = rss_kb(proc.pid)
        print(f"journal entries held        {page['held']} (capacity {page['capacity']}, dropped {page['dropped']})")
        print(f"journal bytes (its count)   {page['bytes']:,} of {page['memoryCap']:,} allowed")
        print(f"bytes per entry             {page['bytes'] // max(page['held'], 1):,}")
        print(f"VmRSS before / after        {before:,} kB / {after:,} kB ({binary})")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    sys.exit(main())
