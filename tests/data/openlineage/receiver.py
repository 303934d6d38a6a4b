#!/usr/bin/env python3
"""A lineage server for the tests: receiver.py PORTFILE LOG [FAILS].

Listens on 127.0.0.1 (a free port, written to PORTFILE), takes POSTs and
appends one JSON line per request to LOG: {"path", "auth", "type",
"status", "body"} (body: the request body as text).  The first FAILS
requests (default 0) are answered 503; the others 201, as Marquez does.
Runs until killed."""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PORTFILE, LOG = sys.argv[1], sys.argv[2]
FAILS = int(sys.argv[3]) if len(sys.argv) > 3 else 0
seen = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8")
        seen += 1
        status = 503 if seen <= FAILS else 201
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps({
                "path": self.path,
                "auth": self.headers.get("Authorization"),
                "type": self.headers.get("Content-Type"),
                "status": status,
                "body": body}) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(PORTFILE + ".tmp", "w", encoding="utf-8") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
