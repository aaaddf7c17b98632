"""`/api/secrets`: the user's secrets as reana-server 0.9 serves them from its Kubernetes store.

GET lists names and types (never values); POST `/api/secrets/` adds `{name: {value, type}}`
(the value base64-encoded, stored as given) and fails with 500, as reana-server 0.9 does,
when `overwrite` is missing from the query; DELETE `/api/secrets/` takes a JSON list of names
and answers the deleted names, or 404 with the list of those that do not exist.
"""

from __future__ import annotations

import json

from tornado import web

from .handler_base import ReanaHandler


class SecretsListHandler(ReanaHandler):
    declared = {"get": frozenset({200, 403, 500})}

    def get(self) -> None:
        secrets = self.store.account.secrets
        self.reply([{"name": name, "type": kind} for name, (kind, _value) in secrets.items()])


class SecretsHandler(ReanaHandler):
    declared = {
        "post": frozenset({201, 403, 409, 500}),
        "delete": frozenset({200, 403, 404, 500}),
    }

    def post(self) -> None:
        raw = self.get_query_argument("overwrite", None)
        if raw is None:  # reana-server: json.loads(None)
            raise web.HTTPError(
                500, "the JSON object must be str, bytes or bytearray, not NoneType"
            )
        overwrite = raw.strip().lower() == "true"
        secrets = self.json_body(dict, "secrets")
        store = self.store.account.secrets
        for name, secret in secrets.items():
            if not isinstance(secret, dict) or secret.get("type") not in ("env", "file"):
                raise web.HTTPError(500, f"'{name}' is not a secret of type env or file")
            if not isinstance(secret.get("value"), str):
                raise web.HTTPError(500, f"'{name}' has no value")
            if name in store and not overwrite:
                raise web.HTTPError(
                    409,
                    f"Operation cancelled. Secret {name} already exists. "
                    "If you want change it use overwrite",
                )
        for name, secret in secrets.items():
            store[name] = (secret["type"], secret["value"])
        self.reply({"message": "Secret(s) successfully added."}, 201)

    def delete(self) -> None:
        names = self.json_body(list, "secrets")
        store = self.store.account.secrets
        missing = [n for n in names if n not in store]
        if missing:
            self.reply(missing, 404)
            return
        for name in names:
            store.pop(name, None)
        self.reply(list(names))


class AccountControlHandler(web.RequestHandler):
    """`/__sandbox__/reana/account`: GET the settings and secrets, POST change some (`cpuLimit` in CPU
    milliseconds, `diskLimit` in bytes, `retentionDays`; null lifts), DELETE back to defaults
    (no limits, no retention period, no secrets)."""

    def get(self) -> None:
        """The settings, and the secrets with their values as REANA stores them (for tests:
        REANA's own API never gives a value back)."""
        account = self.settings["reana_store"].account
        secrets = {n: {"type": k, "value": v} for n, (k, v) in account.secrets.items()}
        self.finish({**account.settings(), "secrets": secrets})

    def post(self) -> None:
        account = self.settings["reana_store"].account
        try:
            changes = json.loads(self.request.body or b"{}")
            for key, attribute in (
                ("cpuLimit", "cpu_limit"),
                ("diskLimit", "disk_limit"),
                ("retentionDays", "retention_days"),
            ):
                if key in changes:
                    value = changes[key]
                    if value is not None and (not isinstance(value, int) or value < 0):
                        raise ValueError(f"{key} must be a whole number or null")
                    setattr(account, attribute, value)
        except (ValueError, AttributeError) as exc:
            raise web.HTTPError(400, str(exc)) from None
        self.finish(account.settings())

    def delete(self) -> None:
        account = self.settings["reana_store"].account
        account.cpu_limit = account.disk_limit = account.retention_days = None
        account.secrets.clear()
        self.set_status(204)
        self.finish()

    def check_xsrf_cookie(self) -> None:
        """The control API is for tests on loopback; there is no browser session to protect."""
