#!/usr/bin/env python3
"""The far end of the streaming PUT that measures what the emulated link carries: it
takes one request body of any length, reads it in large pieces and discards it, and
answers 200. Prints "listening on http://127.0.0.1:PORT" when ready.

    put_sink.py
"""
import http.server


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_PUT(self):
        left = int(self.headers["Content-Length"])
        while left > 0:
            got = self.rfile.read1(min(left, 1 << 20))
            if not got:
                return
            left -= len(got)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
