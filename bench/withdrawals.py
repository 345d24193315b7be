"""Withdrawals per second through tx/build + tx/send (signed), for bench.py.

Uses the demo world's funded Go Account (its id and user key are derived from the child's
email exactly as orgbox's seeding does) and the service user's long-lived token. Payloads
are signed in Python (secp256k1 ECDSA over the Bitcoin signed-message hash, as BitGo's SDK
signs them); signing is done between the two timed phases so the client's slow Python
arithmetic is not counted.
"""

import hashlib
import http.client
import json
import secrets
import threading
import time

CHILD_EMAIL = "chazz@prestige-worldwide.test"
SERVICE_EMAIL = "service@prestige-worldwide.test"

# secp256k1
P = 2**256 - 2**32 - 977
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % P == 0:
        return None
    if a == b:
        lam = 3 * a[0] * a[0] * pow(2 * a[1], -1, P) % P
    else:
        lam = (b[1] - a[1]) * pow(b[0] - a[0], -1, P) % P
    x = (lam * lam - a[0] - b[0]) % P
    return (x, (lam * (a[0] - x) - a[1]) % P)


def _mul(k, point=G):
    out = None
    while k:
        if k & 1:
            out = _add(out, point)
        point = _add(point, point)
        k >>= 1
    return out


def _sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def message_hash(message):
    data = message.encode()
    n = len(data)
    length = bytes([n]) if n < 0xFD else b"\xfd" + n.to_bytes(2, "little")
    return _sha256d(b"\x18Bitcoin Signed Message:\n" + length + data)


def sign(secret, message):
    """65-byte signature as hex: header 31 (compressed, recovery id 0) then r and s."""
    z = int.from_bytes(message_hash(message), "big")
    d = int.from_bytes(secret, "big")
    while True:
        k = secrets.randbelow(N - 1) + 1
        r = _mul(k)[0] % N
        s = pow(k, -1, N) * (z + r * d) % N
        if r and s:
            break
    if s > N // 2:
        s = N - s
    return (bytes([31]) + r.to_bytes(32, "big") + s.to_bytes(32, "big")).hex()


def demo_account():
    wallet = hashlib.sha256(f"orgbox-demo:wallet:{CHILD_EMAIL}".encode()).hexdigest()[:32]
    secret = bytes.fromhex(hashlib.sha256(f"orgbox-demo:key:{CHILD_EMAIL}".encode()).hexdigest())
    return wallet, secret


def _request(conn, method, path, token, body):
    conn.request(method, path, body=json.dumps(body), headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read() or b"null")


def _parallel(host, port, jobs, conns, fn):
    """Runs fn(conn, job) for every job on `conns` threads with kept-alive connections;
    returns (seconds, results in job order)."""
    results = [None] * len(jobs)
    cursor = iter(range(len(jobs)))
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        while True:
            with lock:
                i = next(cursor, None)
            if i is None:
                break
            results[i] = fn(conn, jobs[i])
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(conns)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, results


def bench_withdrawals(host, port, password, otp, count=1000, conns=16):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", "/api/v2/user/login", body=json.dumps(
        {"email": SERVICE_EMAIL, "password": password, "otp": otp}), headers={"Content-Type": "application/json"})
    login = json.loads(conn.getresponse().read())["access_token"]
    status, tok = _request(conn, "POST", "/api/v2/user/accesstoken", login, {
        "label": "bench", "scope": ["wallet_spend_all", "wallet_view_all"], "duration": 3600, "otp": otp})
    assert status == 200, (status, tok)
    token = tok["token"]
    wallet, secret = demo_account()
    build_path = f"/api/v2/ofctusd/wallet/{wallet}/tx/build"
    send_path = f"/api/v2/ofctusd/wallet/{wallet}/tx/send"
    body = {"recipients": [{"address": "bench-outside-address", "amount": "1"}]}

    def build(c, _):
        return _request(c, "POST", build_path, token, body)

    build_s, builds = _parallel(host, port, list(range(count)), conns, build)
    assert all(s == 200 for s, _ in builds), [b for b in builds if b[0] != 200][:1]
    signed = [{"halfSigned": {"payload": b["payload"], "signature": sign(secret, b["payload"])}} for _, b in builds]

    def send(c, job):
        return _request(c, "POST", send_path, token, job)

    send_s, sends = _parallel(host, port, signed, conns, send)
    ok = sum(1 for s, _ in sends if s == 200)
    assert ok == count, [s for s in sends if s[0] != 200][:1]
    return {
        "count": count,
        "conns": conns,
        "builds_per_s": count / build_s,
        "sends_per_s": count / send_s,
        "withdrawals_per_s": count / (build_s + send_s),
    }
