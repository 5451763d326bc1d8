"""A no-model OpenAI-compatible stub on Python's standard library (ThreadingHTTPServer, HTTP/1.1
keep-alive): parses the chat-completions request and answers n constant choices. The floor a
Python server pays per request, for bench/serve.mjs to compare `openloop serve` against.
Prints its port on stdout."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        n = int(body.get("n", 1))
        out = json.dumps({
            "id": "stub",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [{"index": i, "message": {"role": "assistant", "content": "7"},
                         "finish_reason": "stop"} for i in range(n)],
            "usage": {"prompt_tokens": 5, "completion_tokens": n, "total_tokens": 5 + n},
        }).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
