"""Faults on demand for the sandbox servers: latency, errors, dropped connections, hangs.

Tests set rules over HTTP (`POST /__sandbox__/faults` with `{"rules": [...]}`, `DELETE` to
clear) so a sandbox running in another process can be made to misbehave. A rule matches
on the request path (regex), optionally the HTTP method and the JSON-RPC method of the
body, and applies to the next `times` matching requests (all of them when null).
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import asdict, dataclass, fields
from types import TracebackType
from typing import Any

from tornado import iostream, web

from . import access_log

CONTROL_PREFIX = "/__sandbox__"


@dataclass
class FaultRule:
    path: str = ".*"
    http_method: str | None = None
    rpc_method: str | None = None
    #: A regex searched in the raw query string (e.g. one workspace file's `file_name`).
    query: str | None = None
    latency: float = 0.0
    status: int | None = None
    body: str | None = None
    drop_after_bytes: int | None = None
    #: Close a kept-alive connection's next request unread, as reana-server's uWSGI HTTP router
    #: does (it closes after each answer without saying `Connection: close`); first requests pass.
    close_reused: bool = False
    hang: bool = False
    times: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultRule:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        return cls(**data)

    def matches(self, method: str, path: str, rpc_method: str | None, query: str = "") -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.query is not None and re.search(self.query, query) is None:
            return False
        if self.http_method and self.http_method.upper() != method.upper():
            return False
        if self.rpc_method and self.rpc_method != rpc_method:
            return False
        return re.search(self.path, path) is not None


class Faults:
    """The rules of one sandbox server; shared by all its handlers."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def set(self, rules: list[FaultRule]) -> None:
        self.rules = rules

    def clear(self) -> None:
        self.rules = []

    def take(
        self, method: str, path: str, rpc_method: str | None, query: str = ""
    ) -> FaultRule | None:
        rules = [r for r in self.rules if not r.close_reused]
        return self._take(rules, method, path, rpc_method, query)

    def take_close_reused(self, method: str, path: str, query: str = "") -> FaultRule | None:
        """The `close_reused` rule for a request that is not its connection's first."""
        return self._take([r for r in self.rules if r.close_reused], method, path, None, query)

    @staticmethod
    def _take(
        rules: list[FaultRule], method: str, path: str, rpc_method: str | None, query: str
    ) -> FaultRule | None:
        if path.startswith(CONTROL_PREFIX):
            return None
        for rule in rules:
            if rule.matches(method, path, rpc_method, query):
                if rule.times is not None:
                    rule.times -= 1
                return rule
        return None


def rpc_method_of(body: bytes) -> str | None:
    if not body or body[:1] != b"{":
        return None
    try:
        method = json.loads(body).get("method")
    except (ValueError, AttributeError):
        return None
    return method if isinstance(method, str) else None


class FaultInjectingHandler(web.RequestHandler):
    """Mix into every sandbox handler; `self.settings['faults']` holds the server's Faults."""

    _drop_after: int | None = None
    _written = 0

    async def prepare(self) -> None:
        faults: Faults | None = self.settings.get("faults")
        if faults is None:
            return
        if self._closed_as_reused(faults):
            return
        rule = faults.take(
            self.request.method or "GET",
            self.request.path,
            rpc_method_of(self.request.body),
            self.request.query,
        )
        if rule is None:
            return
        if rule.latency:
            await asyncio.sleep(rule.latency)
        if rule.hang:
            await asyncio.Event().wait()
        if rule.status is not None:
            self.set_status(rule.status)
            self.set_header("Content-Type", "application/json")
            self.finish(
                rule.body if rule.body is not None else json.dumps({"message": "injected fault"})
            )
            return
        self._drop_after = rule.drop_after_bytes

    def _closed_as_reused(self, faults: Faults) -> bool:
        """A `close_reused` rule: a request that is not its connection's first is not read."""
        connection = self.request.connection
        stream = getattr(connection, "stream", None)
        if stream is None or not any(r.close_reused for r in faults.rules):
            return False
        served = getattr(stream, "_sandbox_requests_served", 0)
        stream._sandbox_requests_served = served + 1
        if served == 0:
            return False
        rule = faults.take_close_reused(
            self.request.method or "GET", self.request.path, self.request.query
        )
        if rule is None:
            return False
        stream.close()
        self._finished = True  # tornado then runs no handler method and writes nothing
        return True

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        access_log.log_exception(self, typ, value, tb)

    def write(self, chunk: str | bytes | dict[str, Any]) -> None:
        if self._drop_after is None:
            super().write(chunk)
            return
        data = json.dumps(chunk).encode() if isinstance(chunk, dict) else chunk
        data = data.encode() if isinstance(data, str) else data
        room = self._drop_after - self._written
        if len(data) <= room:
            self._written += len(data)
            super().write(data)
            return
        super().write(data[: max(room, 0)])
        self._written = self._drop_after
        self.flush()
        self.request.connection.close()  # type: ignore[union-attr]
        raise iostream.StreamClosedError()

    def finish(self, chunk: str | bytes | dict[str, Any] | None = None) -> Any:
        if self._drop_after is not None and chunk is not None and not self._headers_written:
            data = json.dumps(chunk).encode() if isinstance(chunk, dict) else chunk
            data = data.encode() if isinstance(data, str) else data
            self.set_header("Content-Length", str(self._written + len(data)))
            self.write(data)
            chunk = None
        return super().finish(chunk)


class FaultControlHandler(web.RequestHandler):
    """`/__sandbox__/faults`: GET lists, POST replaces, DELETE clears the rules."""

    def get(self) -> None:
        self.finish({"rules": [asdict(r) for r in self.settings["faults"].rules]})

    def post(self) -> None:
        try:
            payload = json.loads(self.request.body or b"{}")
            rules = [FaultRule.from_json(r) for r in payload.get("rules", [])]
        except (ValueError, TypeError) as exc:
            raise web.HTTPError(400, str(exc)) from None
        self.settings["faults"].set(rules)
        self.finish({"rules": [asdict(r) for r in rules]})

    def delete(self) -> None:
        self.settings["faults"].clear()
        self.set_status(204)
        self.finish()

    def check_xsrf_cookie(self) -> None:
        """The control API is for tests on loopback; there is no browser session to protect."""


fault_routes = [(rf"{CONTROL_PREFIX}/faults", FaultControlHandler)]
