"""Named REANA servers: where they come from, what is remembered, what never leaves memory.

Three sources: presets from configuration (`c.ReanaOpenbisLab.reana_servers`), one preset
from the REANA_SERVER_URL/REANA_ACCESS_TOKEN environment variables that reana-client users
already have, and connections the user adds in the UI. Presets are read-only. Only the
metadata of user connections (name, URL, certificate checking) is written to disk, as a
0600 JSON file replaced atomically; access tokens live in this process's memory only.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import InvalidInput
from .quota import quota_view

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: The regex the routes use for a connection name (same rule as NAME_PATTERN).
NAME_ROUTE = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
STORE_FILE = "reana-connections.json"
SOURCE_USER = "user"
SOURCE_CONFIG = "config"
SOURCE_ENV = "env"

log = logging.getLogger(__name__)


@dataclass
class Connection:
    name: str
    url: str
    verify_certificates: bool = True
    source: str = SOURCE_USER
    #: In memory only: never serialized, never logged (repr is off).
    token: str | None = field(default=None, repr=False)
    #: What the last successful check of the token said (email, quota), for the UI.
    account: dict[str, Any] | None = None
    #: The server's version and capabilities from GET /api/ping, once checked.
    api: dict[str, Any] | None = None
    checked_at: float | None = None
    #: The environment variable a preset takes its token from (its name, never its value).
    token_env: str | None = None

    @property
    def read_only(self) -> bool:
        return self.source != SOURCE_USER

    def to_json(self) -> dict[str, Any]:
        """The public view: everything but the token, which is only `hasToken`."""
        return {
            "name": self.name,
            "url": self.url,
            "verifyCertificates": self.verify_certificates,
            "source": self.source,
            "readOnly": self.read_only,
            "hasToken": bool(self.token),
            "missingTokenEnv": self.token_env if self.token_env and not self.token else None,
            "account": self.account,
            "api": self.api,
            "checkedAt": self.checked_at,
        }

    def remember_api(self, api: Mapping[str, Any] | None) -> None:
        """What the server declared in GET /api/ping: its version and `api_capabilities`."""
        self.api = dict(api) if api is not None else None

    def remember_account(self, you: Mapping[str, Any]) -> None:
        """Keep the harmless parts of GET /api/you (never its `reana_token` block)."""
        self.account = {
            "email": you.get("email"),
            "fullName": you.get("full_name"),
            "username": you.get("username"),
            "serverVersion": you.get("reana_server_version"),
            "quota": quota_view(you.get("quota")),
        }
        self.checked_at = time.time()


@dataclass(frozen=True)
class NewConnection:
    """`POST /reana/connections`, as the contract checked it."""

    name: str
    url: str
    access_token: str = field(repr=False)
    verify_certificates: bool = True
    check: bool = True


@dataclass(frozen=True)
class ConnectionChanges:
    """`PATCH /reana/connections/{name}`: what is given changes, None keeps the value."""

    name: str | None = None
    url: str | None = None
    access_token: str | None = field(default=None, repr=False)
    verify_certificates: bool | None = None
    check: bool = True


def check_name(name: Any) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise InvalidInput(
            "'name' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
            field="name",
        )
    return name


def check_url(url: Any, field: str = "url") -> str:
    """An http(s) URL with a host and no credentials, query or fragment; trailing '/' dropped."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput(f"'{field}' is required", field=field)
    url = url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise InvalidInput(f"'{field}' is not a valid URL", field=field) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"'{field}' must be an http:// or https:// URL", field=field)
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidInput(
            f"'{field}' must not contain credentials, a query or a fragment; "
            "the access token goes in its own field",
            field=field,
        )
    return url


def check_token(token: Any, field: str = "accessToken") -> str:
    if not isinstance(token, str) or not token.strip():
        raise InvalidInput(f"'{field}' must be a non-empty string", field=field)
    token = token.strip()
    if len(token) > 4096 or any(c.isspace() or ord(c) < 32 for c in token):
        raise InvalidInput(f"'{field}' is not a valid access token", field=field)
    return token


#: Preset keys that would hold a token inline. Refused: traitlets logs the whole configuration
#: at DEBUG (`Config changed: ...`) before the extension runs, so only a variable's NAME is safe.
INLINE_SECRET_KEYS = ("access_token", "accessToken", "token", "reana_access_token")


def presets_from_config(servers: Mapping[str, Any]) -> list[Connection]:
    """`{"name": {"url": ..., "verify_certificates": bool, "access_token_env": "VAR"}}`.

    A preset that writes its token inline is left out with a warning (that names the key,
    never the value).
    """
    connections = []
    for name, spec in servers.items():
        if isinstance(spec, str):
            spec = {"url": spec}
        if not isinstance(spec, Mapping):
            log.warning("Ignoring REANA preset %r: expected a URL or a mapping", name)
            continue
        inline = sorted(key for key in INLINE_SECRET_KEYS if key in spec)
        if inline:
            log.warning(
                "Ignoring REANA preset %r: it writes a token (%s) in the configuration, which "
                "--debug prints to the server log; put the token in an environment variable and "
                "give that variable's name as access_token_env",
                name,
                ", ".join(inline),
            )
            continue
        try:
            connection = Connection(
                name=check_name(name),
                url=check_url(spec.get("url")),
                verify_certificates=bool(spec.get("verify_certificates", True)),
                source=SOURCE_CONFIG,
            )
        except InvalidInput as exc:
            log.warning("Ignoring REANA preset %r: %s", name, exc.message)
            continue
        token_env = spec.get("access_token_env")
        if isinstance(token_env, str) and token_env:
            connection.token_env = token_env
            connection.token = (os.environ.get(token_env) or "").strip() or None
            if connection.token is None:
                log.warning(
                    "REANA preset %r takes its access token from the environment variable %r,"
                    " which is not set (or empty) for this server: the connection has no token"
                    " until the user enters one",
                    name,
                    token_env,
                )
        connections.append(connection)
    return connections


def preset_from_environment(name: str, environ: Mapping[str, str]) -> Connection | None:
    """The connection reana-client users already configured with REANA_SERVER_URL."""
    url = environ.get("REANA_SERVER_URL")
    if not url:
        return None
    try:
        connection = Connection(name=check_name(name), url=check_url(url), source=SOURCE_ENV)
    except InvalidInput as exc:
        log.warning("Ignoring REANA_SERVER_URL: %s", exc.message)
        return None
    connection.token = (environ.get("REANA_ACCESS_TOKEN") or "").strip() or None
    return connection


class ConnectionFile:
    """The JSON file with the user's connections (metadata only)."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / STORE_FILE

    def load(self) -> list[Connection]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning(
                "Could not read %s (%s); starting without saved REANA connections",
                self.path,
                type(exc).__name__,
            )
            return []
        connections = []
        for item in raw.get("connections", []) if isinstance(raw, dict) else []:
            try:
                connections.append(
                    Connection(
                        name=check_name(item.get("name")),
                        url=check_url(item.get("url")),
                        verify_certificates=bool(item.get("verifyCertificates", True)),
                    )
                )
            except (InvalidInput, AttributeError):
                continue
        return connections

    def save(self, connections: list[Connection]) -> None:
        """Write-then-rename so that a crash never leaves a truncated file; 0600 from birth."""
        payload = {
            "version": 1,
            "connections": [
                {"name": c.name, "url": c.url, "verifyCertificates": c.verify_certificates}
                for c in connections
                if c.source == SOURCE_USER
            ],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".reana-connections.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
