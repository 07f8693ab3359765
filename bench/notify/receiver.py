"""A webhook receiver for the bench: answers 200 and appends, per request, the arrival time and the
event's own timestamp (when the outbox row was written) to a file, one JSON line each."""
import json
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

out = open(sys.argv[2], "a", buffering=1)
lock = threading.Lock()


class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        arrived = time.time()
        event = json.loads(body)
        at = datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp()
        with lock:
            out.write(json.dumps({"id": self.headers["webhook-id"], "path": self.path, "type": event["type"],
                                  "lag": arrived - at}) + "\n")
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
