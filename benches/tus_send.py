# Sends a file as one tus PATCH using sendfile(2), so a benchmark measures the server rather
# than the client. Prints the seconds taken and the status line.
# Usage: tus_send.py HOST PORT PATH COOKIE CSRF FILE
import socket, sys, time, os
host, port, path, cookie, csrf, file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
size = os.path.getsize(file)
s = socket.create_connection((host, port))
head = (f"PATCH {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n"
        f"Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
        f"Content-Length: {size}\r\nConnection: close\r\n\r\n").encode()
t = time.monotonic()
s.sendall(head)
with open(file, "rb") as f:
    s.sendfile(f)
resp = b""
while True:
    b = s.recv(65536)
    if not b: break
    resp += b
elapsed = time.monotonic() - t
status = resp.split(b"\r\n", 1)[0].decode()
print(f"{elapsed:.3f} {status}")
