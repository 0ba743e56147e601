#!/usr/bin/python3
"""The attack figures of docs/security.md ("Measured attacks"), re-measured.

Runs `rulebook serve` on loopback and attacks it as issue 20 did:
  flood     8 connections of endless header lines: the server's RSS
  slow      64 clients trickling their headers a byte a second, then 32 good
            clients: how many are answered within 5 s, and when
  idle      64 idle keep-alive clients holding every worker, then a new client
  shutdown  SIGTERM with a slow client connected: time to exit
  batch     4 clients sending 10,000-case batches, 20 in all: RSS after
Usage: tests/robustness/attack_figures.py [BINARY] [ATTACK...]  (default build/rulebook, all)
Standard library only; every attack is bounded in time and bytes.
"""
import json, os, select, signal, socket, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].isalpha() else os.path.join(ROOT, "build", "rulebook")
ATTACKS = [a for a in sys.argv[1:] if a.isalpha()] or ["flood", "slow", "idle", "shutdown", "batch"]
SARAH = json.load(open(os.path.join(ROOT, "examples", "http", "sarah.json")))


def start(*args):
    p = subprocess.Popen([BINARY, "serve", "--port", "0", "--policies", os.path.join(ROOT, "policies"), *args],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    if ":" not in line:
        p.wait()
        raise RuntimeError(f"{BINARY} serve {' '.join(args)} did not start")
    return p, int(line.rsplit(":", 1)[1])


def rss_mib(p):
    with open(f"/proc/{p.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


def get(port, path="/healthz", timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    return data


def flood():
    p, port = start()
    before = rss_mib(p)
    peak = [before]
    sent = [0] * 8

    def one(k):
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(2)
        chunk = (b"X-Flood: " + b"a" * 53 + b"\r\n") * 1024
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            while sent[k] < (64 << 20):
                s.sendall(chunk)
                sent[k] += len(chunk)
        except OSError:
            pass
        s.close()

    ts = [threading.Thread(target=one, args=(k,)) for k in range(8)]
    for t in ts:
        t.start()
    while any(t.is_alive() for t in ts):
        peak[0] = max(peak[0], rss_mib(p))
        time.sleep(0.05)
    after = rss_mib(p)
    print(f"flood: 8 connections sent {sum(sent) / 2**20:.1f} MiB of header lines before the server cut them off "
          f"(up to 64 MiB each offered); RSS {before:.1f} MiB before, peak {peak[0]:.1f}, after {after:.1f}")
    p.terminate(); p.wait()


def slow():
    p, port = start()
    socks = []
    for _ in range(64):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        socks.append(s)
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            for s in socks:
                try:
                    s.send(b"X")
                except OSError:
                    pass
            time.sleep(1)

    t = threading.Thread(target=trickle); t.start()
    time.sleep(1)
    started = time.time()
    answered = []

    def good():
        try:
            if get(port, timeout=5).startswith(b"HTTP/1.1 200"):
                answered.append(time.time() - started)
        except OSError:
            pass

    gs = [threading.Thread(target=good) for _ in range(32)]
    for g in gs:
        g.start()
    for g in gs:
        g.join()
    within5 = len([a for a in answered if a < 5])
    later = []
    t2 = time.time()
    time.sleep(max(0, 11.5 - (t2 - started)))  # the head timeout (10 s) has cut the slow clients
    ok = 0
    for _ in range(32):
        try:
            ok += get(port, timeout=5).startswith(b"HTTP/1.1 200")
        except OSError:
            pass
    stop.set(); t.join()
    for s in socks:
        s.close()
    print(f"slow: 64 slow clients on a 64-thread pool: {within5} of 32 good clients answered within 5 s "
          f"(slowest {max(answered) if answered else float('nan'):.2f} s); 12 s in, {ok} of 32 answered")
    p.terminate(); p.wait()


def idle():
    p, port = start()
    socks = []
    for _ in range(64):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.recv(4096)
        socks.append(s)
    t = time.time()
    ok = get(port).startswith(b"HTTP/1.1 200")
    took = time.time() - t
    print(f"idle: 64 idle keep-alive clients holding the pool: a new client answered={ok} in {took * 1000:.0f} ms")
    for s in socks:
        s.close()
    p.terminate(); p.wait()


def shutdown():
    for args in ([], ["--shutdown-timeout", "1"]):
        try:
            p, port = start(*args)
        except RuntimeError as e:
            print(f"shutdown {' '.join(args)}: {e}")
            continue
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        stop = threading.Event()

        def trickle():
            while not stop.is_set():
                try:
                    s.send(b"X")
                except OSError:
                    return
                time.sleep(0.5)

        t = threading.Thread(target=trickle); t.start()
        time.sleep(0.5)
        begun = time.time()
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
            took = f"{time.time() - begun:.2f} s"
        except subprocess.TimeoutExpired:
            took = "over 30 s (killed)"
            p.kill(); p.wait()
        stop.set(); t.join(); s.close()
        print(f"shutdown {' '.join(args) or '(default --shutdown-timeout 10)'}: exit after SIGTERM with a slow client: {took}")


def batch():
    p, port = start("--max-body", str(8 << 20))
    body = json.dumps({"cases": [SARAH] * 10000}).encode()
    before = rss_mib(p)
    peak = [before]

    def client(n):
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"POST /v1/decide/aps.s26/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            while s.recv(1 << 20):
                pass
            s.close()

    ts = [threading.Thread(target=client, args=(5,)) for _ in range(4)]
    for t in ts:
        t.start()
    while any(t.is_alive() for t in ts):
        peak[0] = max(peak[0], rss_mib(p))
        time.sleep(0.05)
    time.sleep(0.5)
    print(f"batch: 20 batches of 10,000 cases ({len(body) / 2**20:.1f} MiB each) from 4 clients: RSS {before:.1f} MiB "
          f"before, peak {peak[0]:.1f}, after {rss_mib(p):.1f}")
    p.terminate(); p.wait()


for a in ATTACKS:
    globals()[a]()
