"""Chat-robot webhooks imitated on loopback for the reporter tests: 企业微信 group robot and 钉钉 robot.

One ThreadingHTTPServer on 127.0.0.x, port 0. `/cgi-bin/webhook/send?key=K` answers as WeCom does and
`/robot/send?access_token=T[&timestamp=&sign=]` as DingTalk does (a bad key or token, a wrong or stale
signature, a body that is not a markdown message each get the API's errcode). `replies` are given first,
one per request: an HTTP status (429, 500 ...) or an errcode answer (45009 rate limit ...).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY, TOKEN, SECRET = "wecom-key-7f3a", "ding-token-19c2", "SECding-secret-55e1"


@dataclass
class Robot:
    """What the server saw and what it still has to answer."""

    replies: list[int | dict[str, Any]] = field(default_factory=list)  # used first, one per request
    received: list[dict[str, Any]] = field(default_factory=list)  # accepted message bodies
    requests: int = 0
    signed: bool = False  # DingTalk: require timestamp and sign
    lock: threading.Lock = field(default_factory=threading.Lock)


def _answer(robot: Robot, path: str, query: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
    with robot.lock:
        robot.requests += 1
        if robot.replies:
            reply = robot.replies.pop(0)
            return (reply, {"errcode": -1, "errmsg": "busy"}) if isinstance(reply, int) else (200, reply)
    if path == "/cgi-bin/webhook/send":
        if query.get("key") != KEY:
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        content = body.get("markdown", {}).get("content") if isinstance(body, dict) else None
        if body.get("msgtype") != "markdown" or not isinstance(content, str):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        if len(content.encode()) > 4096:
            return 200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
    elif path == "/robot/send":
        if query.get("access_token") != TOKEN:
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        if robot.signed:
            ts = query.get("timestamp", "")
            expected = base64.b64encode(
                hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest()
            ).decode()
            fresh = ts.isdigit() and abs(int(ts) - time.time() * 1000) < 3600_000
            if not fresh or query.get("sign") != expected:
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
        md = body.get("markdown", {}) if isinstance(body, dict) else {}
        if body.get("msgtype") != "markdown" or not md.get("title") or not md.get("text"):
            return 200, {"errcode": 40035, "errmsg": "缺少参数 json"}
    else:
        return 404, {"errcode": 404, "errmsg": "not found"}
    with robot.lock:
        robot.received.append(body)
    return 200, {"errcode": 0, "errmsg": "ok"}


@contextmanager
def robot_server(host: str = "127.0.0.41", *, signed: bool = False) -> Iterator[tuple[Robot, str]]:
    """Serve both robot APIs on `host`:<free port>; yields the robot state and the base URL."""
    robot = Robot(signed=signed)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                body = json.loads(raw.decode("utf-8"))
            except ValueError:
                body = None
            if not isinstance(body, dict):
                status, answer = 200, {"errcode": 40001, "errmsg": "invalid json"}
            else:
                status, answer = _answer(robot, parts.path, query, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield robot, f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
