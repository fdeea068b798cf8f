"""The `wecom` reporter: a 企业微信 group robot (群机器人) webhook, one markdown message per route.

API: POST `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY` with
`{"msgtype": "markdown", "markdown": {"content": "..."}}` (at most 4096 bytes of UTF-8); the answer is
`{"errcode": 0, "errmsg": "ok"}`, 45009 when the robot's rate limit (20 messages a minute) is hit (retried),
93000 for an invalid key, and so on (not retried).
"""

from __future__ import annotations

from typing import Any

from ..render_markdown import render_markdown
from . import Outgoing, register
from .webhook import WebhookReporter


@register
class WecomReporter(WebhookReporter):
    kind = "wecom"
    max_bytes = 4096
    rate_limited = frozenset({45009})

    def payload(self, out: Outgoing) -> dict[str, Any]:
        text = render_markdown(out.digest, title=out.subject, max_bytes=self.max_bytes)
        return {"msgtype": "markdown", "markdown": {"content": text}}
