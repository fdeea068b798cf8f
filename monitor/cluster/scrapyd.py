"""A Scrapyd node over its HTTP API (stdlib urllib only): the few calls a cluster crawl makes.

`addversion.json` (upload the egg), `listversions.json` (is our egg there?), `schedule.json`,
`listjobs.json`, `cancel.json` and `daemonstatus.json`. A node that does not answer raises `NodeDown`; one
that answers `{"status": "error"}` raises `NodeError` with its message. Every call has a short timeout: a
node that hangs is as good as down. A node URL may carry Scrapyd's basic auth (`http://user:pw@host:6800`):
it is sent in the header, and the node is named without it.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

TIMEOUT = 10.0  # seconds for one API call


class NodeDown(Exception):
    """The node did not answer (refused, timed out, not HTTP)."""


class NodeError(Exception):
    """The node answered with an error (`{"status": "error", "message": …}`)."""


@dataclass(frozen=True, slots=True)
class Jobs:
    """What `listjobs.json` says of one project: job ids pending, running, finished."""

    pending: frozenset[str] = frozenset()
    running: frozenset[str] = frozenset()
    finished: frozenset[str] = frozenset()
    pids: dict[str, int] = field(default_factory=dict)  # running job -> its process id on the node


class Node:
    def __init__(self, url: str, timeout: float = TIMEOUT):
        parts = urllib.parse.urlsplit(url.rstrip("/"))
        self.auth = ""  # Scrapyd's basic auth, given as http://user:password@host:port
        if parts.username is not None:
            pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            self.auth = "Basic " + base64.b64encode(pair.encode()).decode()
            parts = parts._replace(netloc=parts.netloc.rpartition("@")[2])
        self.url = urllib.parse.urlunsplit(parts)  # never shows the password
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"Node({self.url})"

    def _call(
        self,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> dict[str, Any]:
        url = f"{self.url}/{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.auth:
            request.add_header("Authorization", self.auth)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            raise NodeError(f"{self.url}: {path} answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NodeDown(f"{self.url} does not answer ({reason})") from None
        try:
            data = json.loads(raw)
        except ValueError:
            raise NodeError(f"{self.url}: {path} did not answer JSON (is it a Scrapyd node?)") from None
        if not isinstance(data, dict):
            raise NodeError(f"{self.url}: {path} answered {data!r}")
        if data.get("status") == "error":
            raise NodeError(f"{self.url}: {path}: {data.get('message', 'error')}")
        return data

    def _post(self, path: str, fields: dict[str, str]) -> dict[str, Any]:
        return self._call(
            path,
            body=urllib.parse.urlencode(fields).encode(),
            content_type="application/x-www-form-urlencoded",
        )

    def status(self) -> dict[str, Any]:
        return self._call("daemonstatus.json")

    def versions(self, project: str) -> list[str]:
        return [
            str(v) for v in self._call("listversions.json", query={"project": project}).get("versions", [])
        ]

    def add_version(self, project: str, version: str, egg: bytes) -> dict[str, Any]:
        """Upload an egg (multipart/form-data, as scrapyd-deploy does)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (("project", project.encode()), ("version", version.encode())):
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="{project}.egg"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + egg
        )
        body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
        return self._call(
            "addversion.json", body=body, content_type=f"multipart/form-data; boundary={boundary}"
        )

    def schedule(self, project: str, spider: str, version: str, job: str, args: dict[str, str]) -> str:
        fields = {"project": project, "spider": spider, "_version": version, "jobid": job, **args}
        return str(self._post("schedule.json", fields).get("jobid", job))

    def jobs(self, project: str) -> Jobs:
        data = self._call("listjobs.json", query={"project": project})

        def ids(key: str) -> frozenset[str]:
            return frozenset(str(j.get("id")) for j in data.get(key, []) if isinstance(j, dict))

        pids = {
            str(j.get("id")): int(j["pid"])
            for j in data.get("running", [])
            if isinstance(j, dict) and isinstance(j.get("pid"), int)
        }
        return Jobs(ids("pending"), ids("running"), ids("finished"), pids)

    def cancel(self, project: str, job: str, signal: str = "TERM") -> None:
        self._post("cancel.json", {"project": project, "job": job, "signal": signal})
