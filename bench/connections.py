#!/usr/bin/env python3
"""connections.py PORT N BODY_FILE: open N keep-alive connections at once, send
one decision request on each while all are open, and count the connections
that get an answer within 5 s. With cpp-httplib a connection beyond the pool
size can wait forever while wrk's totals look fine; this catches it."""
import socket, sys, time

port, n, body_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
body = open(body_file, "rb").read()
request = (b"POST /v1/decide/aps.s26 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(5)
    socks.append(s)
for s in socks:          # every connection is open before any request is sent
    s.sendall(request)
answered = 0
deadline = time.time() + 5
for s in socks:
    try:
        s.settimeout(max(0.1, deadline - time.time()))
        if s.recv(64).startswith(b"HTTP/1.1 200"):
            answered += 1
    except OSError:
        pass
for s in socks:
    s.close()
print(f"connections: {answered} of {n} answered")
sys.exit(0 if answered == n else 1)
