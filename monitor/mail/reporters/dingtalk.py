"""The `dingtalk` reporter: a 钉钉 custom robot (自定义机器人) webhook, one markdown message per route.

API: POST `https://oapi.dingtalk.com/robot/send?access_token=TOKEN` with
`{"msgtype": "markdown", "markdown": {"title": "...", "text": "..."}}`; the answer is `{"errcode": 0, ...}`,
130101 when sending too fast (retried), 310000 when the signature or the robot's keywords do not match, and
so on (not retried). A robot with 加签 security takes `&timestamp=T&sign=S` on each request: T the time in
milliseconds, S = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{T}\\n{secret}"))); the secret (SEC...) is
read from the environment variable `secret_env` names. A robot with 关键词 security needs its keyword in the
message: the subject's prefix ([email] subject) is in every title.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from typing import Any

from ..render_markdown import render_markdown
from . import Outgoing, register
from .webhook import WebhookReporter


def sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature of a request (not yet URL-encoded)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@register
class DingtalkReporter(WebhookReporter):
    kind = "dingtalk"
    max_bytes = 18000  # the API takes about 20000 bytes; room for the JSON around it
    rate_limited = frozenset({130101})

    def target(self) -> str:
        if not self.secret:
            return self.url
        ts = int(time.time() * 1000)
        query = urllib.parse.urlencode({"timestamp": ts, "sign": sign(self.secret, ts)})
        return self.url + ("&" if "?" in self.url else "?") + query

    def payload(self, out: Outgoing) -> dict[str, Any]:
        text = render_markdown(out.digest, title=out.subject, max_bytes=self.max_bytes)
        return {"msgtype": "markdown", "markdown": {"title": out.subject, "text": text}}
