#!/usr/bin/env python3
# A second, independent stand-in for the LLM API, for bench/llm: Python's
# ThreadingHTTPServer with TCP_NODELAY, answering Chat Completions after a
# fixed latency as tests/standin does (translations echo the text; judges
# get a fixed score), so the client's latency bound is not measured only
# against our own server.
#   bench/llm-server.py PORTFILE LATENCY_MS
import json, socket, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LATENCY = float(sys.argv[2]) / 1000


def content(req):
    text = req["messages"][-1]["content"]
    try:
        msg = json.loads(text)
    except ValueError:
        return text
    if isinstance(msg, dict) and "items" in msg:
        return json.dumps({"items": [{"id": i["id"], "text": i["text"]}
                                     for i in msg["items"]]})
    return json.dumps({"score": 4, "confidence": 0.9, "rationale": "ok"})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(LATENCY)
        body = json.dumps({
            "id": "chatcmpl-py", "object": "chat.completion", "created": 0,
            "model": req.get("model", "py"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": content(req)}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10,
                      "total_tokens": 20}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.request_queue_size = 128
srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_address[1])
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
