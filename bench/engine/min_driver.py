#!/usr/bin/env python3
"""The least a client of hoistd's protocol must do to upload a file: init, one PUT per
chunk of the server's chunkSize (keep-alive, the body sent from the file with
sendfile: no copy through user space), complete. No hash, no retries, no progress.
The engine bench compares `hoist upload` with this plus `openssl dgst -sha256`.

    min_driver.py URL TOKEN FILE [FINGERPRINT]

Prints the fileId. Exits non-zero on any answer but the expected one.
"""
import http.client
import json
import os
import sys
import urllib.parse


def exchange(connection, verb, path, token, body=None, headers=None):
    all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
    connection.request(verb, path, body=body, headers=all_headers)
    response = connection.getresponse()
    answer = response.read()
    if response.status not in (200, 201):
        sys.exit(f"{verb} {path}: {response.status} {answer[:200]!r}")
    return json.loads(answer)


def put_chunk(connection, path, token, fd, offset, length):
    connection.putrequest("PUT", path, skip_accept_encoding=True)
    connection.putheader("Authorization", f"Bearer {token}")
    connection.putheader("Content-Type", "application/octet-stream")
    connection.putheader("Content-Length", str(length))
    connection.putheader("X-Upload-Offset", str(offset))
    connection.endheaders()
    sent = 0
    while sent < length:
        sent += os.sendfile(connection.sock.fileno(), fd, offset + sent, length - sent)
    response = connection.getresponse()
    answer = response.read()
    if response.status != 200:
        sys.exit(f"PUT at {offset}: {response.status} {answer[:200]!r}")
    return json.loads(answer)["uploadedBytes"]


def main():
    url, token, path = sys.argv[1:4]
    fingerprint = sys.argv[4] if len(sys.argv) > 4 else ""
    server = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(server.hostname, server.port)
    size = os.path.getsize(path)
    json_headers = {"Content-Type": "application/json"}
    session = exchange(connection, "POST", "/upload/init", token,
                       json.dumps({"fileName": os.path.basename(path), "size": size}),
                       json_headers)
    upload = "/upload/" + session["sessionId"]
    fd = os.open(path, os.O_RDONLY)
    offset = session["uploadedBytes"]
    while offset < size:
        length = min(session["chunkSize"], size - offset)
        offset = put_chunk(connection, upload, token, fd, offset, length)
    os.close(fd)
    body = json.dumps({"fingerprint": fingerprint} if fingerprint else {})
    done = exchange(connection, "POST", upload + "/complete", token, body, json_headers)
    print(done["fileId"])


if __name__ == "__main__":
    main()
