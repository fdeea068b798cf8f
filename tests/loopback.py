"""Test sites served on several loopback hosts at once, each host on its own free port (port 0).

A site class subclasses `LoopbackHosts` and starts with `self.serve(hosts, handler)`; the handler finds the
site and the host it answers for as `self.server.site` and `self.server.host`.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackHosts:
    def __init__(self) -> None:
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self.ports: dict[str, int] = {}

    def netloc(self, host: str) -> str:
        return f"{host}:{self.ports[host]}"

    def url(self, host: str, path: str) -> str:
        return f"http://{self.netloc(host)}{path}"

    def serve(self, hosts: tuple[str, ...], handler: type[BaseHTTPRequestHandler]) -> Self:
        for host in hosts:
            server = ThreadingHTTPServer((host, 0), handler)
            server.daemon_threads = True
            server.site = self  # type: ignore[attr-defined]
            server.host = host  # type: ignore[attr-defined]
            self.servers[host] = server
            self.ports[host] = server.server_address[1]
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()
