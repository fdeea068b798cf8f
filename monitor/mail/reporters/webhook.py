"""Chat robots' webhooks: a JSON POST, its `errcode` answer, and the retries (企业微信 and 钉钉 share them).

The webhook URL holds the robot's credential (WeCom's `key`, DingTalk's `access_token`), so it is read from
the environment variable the config names (`url_env`), like the SMTP password, and never shown: a failure
names the robot and the host only. Retried, with doubling delays: HTTP 429 and 5xx, a timeout, a dropped
connection, and the API's own "too many messages" errcode. Anything else fails at once (a refused connection,
an unknown host, another 4xx, any other errcode such as an invalid key or a signature that does not match).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from ..outbox import eml_name
from ..send import MailError
from . import Outgoing, Reporter

log = logging.getLogger("xxgk.mail")


def read_env(name: str, what: str, reporter: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise MailError(f"reporter {reporter!r}: {what}: set the environment variable {name}")
    return value


class WebhookReporter(Reporter):
    """A robot that takes one JSON message; subclasses say its payload, size limit and rate-limit errcodes."""

    max_bytes: ClassVar[int]
    rate_limited: ClassVar[frozenset[int]]

    def __init__(
        self,
        name: str,
        url: str,
        *,
        secret: str = "",
        timeout: float = 10.0,
        retries: int = 3,
        retry_delay: float = 10.0,
        stop: threading.Event | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(name)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise MailError(f"reporter {name!r}: the webhook URL in its url_env is not an http(s) URL")
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.retries = retries
        self.retry_delay = retry_delay
        self.stop = stop
        self.sleep = sleep
        self.where = f"{self.kind} robot {name} ({parts.hostname})"

    def payload(self, out: Outgoing) -> dict[str, Any]:
        raise NotImplementedError

    def target(self) -> str:
        """The URL of one request (DingTalk signs each)."""
        return self.url

    def deliver(self, out: Outgoing) -> str:
        body = json.dumps(self.payload(out), ensure_ascii=False).encode("utf-8")
        attempt = 0
        while True:
            try:
                self._post_once(body)
                return ""
            except MailError as exc:
                error = exc
            if error.permanent or attempt >= self.retries:
                raise error
            delay = self.retry_delay * (2**attempt)
            attempt += 1
            log.warning("%s; retry %d of %d in %.0f s", error, attempt, self.retries, delay)
            if self.stop is not None:
                if self.stop.wait(delay):
                    raise MailError(f"{self.where}: stopped before retrying ({error})")
            else:
                self.sleep(delay)

    def _post_once(self, body: bytes) -> None:
        request = urllib.request.Request(
            self.target(),
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read(1 << 20)
        except urllib.error.HTTPError as exc:
            temporary = exc.code == 429 or exc.code >= 500
            raise MailError(f"{self.where}: HTTP {exc.code} {exc.reason}", permanent=not temporary) from None
        except urllib.error.URLError as exc:
            raise _connect_error(self.where, exc.reason, self.timeout) from None
        except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            raise _connect_error(self.where, exc, self.timeout) from None
        try:
            answer = json.loads(raw.decode("utf-8"))
            code = int(answer.get("errcode", -1))
            message = str(answer.get("errmsg", ""))[:200]
        except (ValueError, AttributeError, TypeError):
            raise MailError(f"{self.where}: the answer is not the robot API's JSON") from None
        if code == 0:
            return
        raise MailError(
            f"{self.where}: errcode {code} {message}".rstrip(), permanent=code not in self.rate_limited
        )

    def preview(self, out: Outgoing, outbox: Path) -> Path:
        outbox.mkdir(parents=True, exist_ok=True)
        name = eml_name(out.digest.week, f"{self.name}_{out.route.recipient}")
        path = outbox / (name.removesuffix(".eml") + ".json")
        path.write_text(json.dumps(self.payload(out), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path


def _connect_error(where: str, reason: object, timeout: float) -> MailError:
    if isinstance(reason, TimeoutError):
        return MailError(f"{where}: no answer within {timeout:g} s", permanent=False, unreachable=True)
    if isinstance(reason, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return MailError(f"{where}: connection dropped", permanent=False)
    if isinstance(reason, http.client.HTTPException):
        return MailError(f"{where}: broken HTTP answer ({type(reason).__name__})", permanent=False)
    text = getattr(reason, "strerror", None) or str(reason)
    return MailError(f"{where}: cannot connect: {text}", permanent=True, unreachable=True)
