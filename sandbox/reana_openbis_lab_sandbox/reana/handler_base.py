"""What every REANA sandbox route shares: faults, token check, JSON replies with declared codes only.

bravado inside reana-client rejects a status code the Swagger operation does not declare,
so each handler lists its operations' codes in `declared`; an error the operation cannot
express falls back to the nearest declared one (403 -> 401 -> 500, others -> 400 -> 500).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from tornado import web

from ..credentials import REANA_TOKEN
from ..faults import FaultInjectingHandler
from .engine import Engine
from .model import Workflow
from .store import LookupFailed, ReanaStore

#: Where an error goes when its operation does not declare it: auth stays auth, the rest is a 400.
_FALLBACKS = {401: (403, 500), 403: (401, 500)}
#: The codes nearly every workflow operation declares.
COMMON = frozenset({200, 400, 403, 404, 500})


class ReanaHandler(FaultInjectingHandler):
    declared: ClassVar[dict[str, frozenset[int]]] = {}
    needs_token: ClassVar[bool] = True

    @property
    def store(self) -> ReanaStore:
        return self.settings["reana_store"]

    @property
    def engine(self) -> Engine:
        return self.settings["reana_engine"]

    @property
    def api095(self) -> bool:
        """Whether the sandbox speaks reana-commons 0.95.0a26's protocol (`--reana-api 0.95`)."""
        return self.settings.get("reana_api") == "0.95"

    async def prepare(self) -> None:
        await super().prepare()
        if self._finished:
            return
        if not self.needs_token:
            return
        token = self.get_query_argument("access_token", "")
        bearer = self.request.headers.get("Authorization", "")
        if self.api095 and not token and bearer.startswith("Bearer "):
            token = bearer.removeprefix("Bearer ")  # 0.95.0a7 takes Bearer tokens too
        if not token:
            self.reply_error(401, "User not signed in")
        elif token != REANA_TOKEN:
            self.reply_error(403, "Token not valid.")

    def check_xsrf_cookie(self) -> None:
        """reana-server is a token API; there is no browser session to protect."""

    # ---- replies
    def reply(self, body: dict[str, Any] | list[Any], status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self._replied = body
        self.finish(json.dumps(body))

    def on_finish(self) -> None:
        """With `--record-exchanges`, every answer is written down (one JSON line) so tests
        can hold each against REANA's official specification."""
        record = self.settings.get("record_exchanges")
        if record is not None:
            record(
                {
                    "method": self.request.method,
                    "path": self.request.path,
                    "status": self.get_status(),
                    "content_type": self._headers.get("Content-Type"),
                    "body": getattr(self, "_replied", None),
                }
            )

    def reply_error(self, status: int, message: str) -> None:
        codes = self.declared.get((self.request.method or "GET").lower(), COMMON)
        for candidate in (status, *_FALLBACKS.get(status, (400, 500))):
            if candidate in codes:
                self.reply({"message": message}, candidate)
                return
        raise AssertionError(f"{type(self).__name__} declares no error code")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = kwargs.get("exc_info", (None, None, None))[1]
        message = getattr(reason, "log_message", None) or self._reason
        self.reply_error(status_code if status_code != 405 else 400, str(message))

    # ---- request parts
    def workflow(self, id_or_name: str) -> Workflow:
        try:
            return self.store.find(id_or_name)
        except LookupFailed as exc:
            raise web.HTTPError(404, str(exc)) from None

    def flag(self, name: str) -> bool:
        return self.get_query_argument(name, "false").strip().lower() in ("1", "true", "yes")

    def positive_int(self, name: str) -> int | None:
        raw = self.get_query_argument(name, None)
        if raw in (None, ""):
            return None
        if not raw.isdigit() or int(raw) < 1:
            raise web.HTTPError(400, f"Field '{name}' must be a positive integer.")
        return int(raw)

    def json_body(self, kind: type, field: str) -> Any:
        """The JSON body bravado sent (GETs too), `kind()` when there is none."""
        if not self.request.body:
            return kind()
        try:
            parsed = json.loads(self.request.body)
        except ValueError:
            raise web.HTTPError(400, f"Field '{field}' must be JSON.") from None
        if parsed is None:
            return kind()
        if not isinstance(parsed, kind):
            raise web.HTTPError(400, f"Field '{field}' must be a JSON {kind.__name__}.")
        return parsed

    def search_filters(self, raw: str | None) -> dict[str, list[str]]:
        if not raw:
            return {}
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise web.HTTPError(
                400, 'Field \'search\' must be JSON such as {"name": ["x"]}.'
            ) from None
        if not isinstance(parsed, dict) or not all(isinstance(v, list) for v in parsed.values()):
            raise web.HTTPError(400, "Field 'search' must map filter names to lists.")
        return {str(k): [str(i) for i in v] for k, v in parsed.items()}


class NotFoundHandler(ReanaHandler):
    """Unknown routes answer JSON 404 like reana-server's Flask app, token or not."""

    needs_token = False

    def prepare(self) -> None:  # type: ignore[override]
        raise web.HTTPError(404, "The requested URL was not found on the server.")

    def reply_error(self, status: int, message: str) -> None:
        self.reply({"message": message}, status)
