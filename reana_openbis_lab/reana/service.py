"""The one owner of REANA connections and their clients (`Services.reana`).

Handlers and the reana-client worker ask it for a connection's `ReanaClient`; it
creates one per connection on first use and replaces it when the URL, token or
certificate setting changes, so two servers (or one server under two tokens) work
side by side without sharing any state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Conflict, InvalidInput, LoginRequired, NotFound
from ..paths import local_problem
from ..scrub import known_secrets
from .client import ReanaClient, verifying_context
from .connections import (
    Connection,
    ConnectionChanges,
    ConnectionFile,
    NewConnection,
    check_token,
    check_url,
    preset_from_environment,
    presets_from_config,
)

log = logging.getLogger(__name__)
#: Seconds a server's `/api/info` is reused before it is read again.
INFO_TTL = 300.0


@dataclass(frozen=True)
class Credentials:
    """What a process that talks to REANA itself (the reana-client worker) needs."""

    url: str
    token: str
    verify_certificates: bool

    def __repr__(self) -> str:  # never print the token, not even in a traceback's locals
        return f"Credentials(url={self.url!r}, token=***, verify={self.verify_certificates})"


class ReanaService:
    def __init__(
        self,
        data_dir: Path,
        *,
        presets: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
        env_connection_name: str = "default",
        timeout: float = 30.0,
        ca_bundle: str | None = None,
    ):
        self.timeout = timeout
        self._ca_bundle = ca_bundle or None
        threading.Thread(
            target=_warm_up, args=(self._ca_bundle,), name="reana-tls-context", daemon=True
        ).start()
        self._file = ConnectionFile(data_dir)
        self._connections: dict[str, Connection] = {}
        self._clients: dict[str, ReanaClient] = {}
        self._retired: list[ReanaClient] = []
        self._info: dict[str, tuple[ReanaClient, float, dict[str, Any]]] = {}
        env = preset_from_environment(
            env_connection_name, os.environ if environ is None else environ
        )
        for connection in [
            *([env] if env else []),
            *presets_from_config(presets or {}),
            *self._file.load(),
        ]:
            if connection.name in self._connections:
                log.warning(
                    "REANA connection %r is defined twice; keeping the first", connection.name
                )
                continue
            self._add(connection)

    # ---- connections ---------------------------------------------------------------------

    def list(self) -> list[Connection]:
        return sorted(self._connections.values(), key=lambda c: c.name.lower())

    def get(self, name: str) -> Connection:
        try:
            return self._connections[name]
        except KeyError:
            raise NotFound(f"No REANA connection named '{name}'", field="name") from None

    def ensure_new_name(self, name: str) -> str:
        if name in self._connections:
            raise Conflict(f"A REANA connection named '{name}' exists already", field="name")
        return name

    def add(self, name: str, url: str, token: str, verify_certificates: bool = True) -> Connection:
        name = self.ensure_new_name(name)
        connection = Connection(
            name=name,
            url=check_url(url),
            verify_certificates=verify_certificates,
            token=check_token(token),
        )
        self._add(connection)
        self._save()
        return connection

    async def add_checked(self, new: NewConnection) -> Connection:
        """Add a connection after GET /api/you accepted the token; nothing is saved otherwise."""
        self.ensure_new_name(new.name)
        probed = (
            await self._probe(new.name, new.url, new.access_token, new.verify_certificates)
            if new.check
            else None
        )
        connection = self.add(new.name, new.url, new.access_token, new.verify_certificates)
        if probed is not None:
            connection.remember_account(probed[0])
            connection.remember_api(probed[1])
        return connection

    async def update_checked(self, name: str, changes: ConnectionChanges) -> Connection:
        """Change a connection; new settings are checked with GET /api/you before they apply."""
        current = self.get(name)
        if changes.name is not None and changes.name != name:
            raise InvalidInput(
                "A connection cannot be renamed; delete and re-create it", field="name"
            )
        url, token, verify = changes.url, changes.access_token, changes.verify_certificates
        self._ensure_editable(current, url, verify)
        probe_token = token if token is not None else current.token
        changed = url is not None or token is not None or verify is not None
        probed = None
        if changes.check and changed and probe_token:
            probed = await self._probe(
                name,
                url if url is not None else current.url,
                probe_token,
                current.verify_certificates if verify is None else verify,
            )
        connection = self.update(name, url=url, token=token, verify_certificates=verify)
        if probed is not None:
            connection.remember_account(probed[0])
            connection.remember_api(probed[1])
        return connection

    def update(
        self,
        name: str,
        *,
        url: str | None = None,
        token: str | None = None,
        verify_certificates: bool | None = None,
    ) -> Connection:
        """Change a user connection; a preset only accepts a token (if it came without one)."""
        connection = self.get(name)
        self._ensure_editable(connection, url, verify_certificates)
        new_url = check_url(url) if url is not None else connection.url
        new_token = check_token(token) if token is not None else connection.token
        self._retire_client(name)
        connection.url = new_url
        connection.token = new_token
        if new_token:
            known_secrets.add(new_token)
        if verify_certificates is not None:
            connection.verify_certificates = verify_certificates
        if url is not None or token is not None:
            connection.account = None
            connection.checked_at = None
        self._save()
        return connection

    def delete(self, name: str) -> None:
        connection = self.get(name)
        if connection.read_only:
            raise Conflict(
                f"REANA connection '{name}' comes from the server configuration and cannot be "
                "deleted here",
                code="preset",
            )
        self._retire_client(name)
        del self._connections[name]
        self._save()

    def credentials(self, name: str) -> Credentials:
        """URL and token for the reana-client worker; LoginRequired if no token is in memory."""
        connection = self.get(name)
        if not connection.token:
            raise LoginRequired(
                f"No access token in memory for REANA server '{name}'; enter it again",
                code="token_missing",
            )
        return Credentials(connection.url, connection.token, connection.verify_certificates)

    # ---- clients -------------------------------------------------------------------------

    def client(self, name: str) -> ReanaClient:
        """The connection's client, created on first use (one httpx pool per connection)."""
        connection = self.get(name)
        client = self._clients.get(name)
        if client is None:
            client = ReanaClient(
                connection.url,
                connection.token,
                name=connection.name,
                verify=self._verify(connection),
                timeout=self.timeout,
                ca_bundle=self._ca_bundle,
            )
            self._clients[name] = client
        return client

    async def _probe(
        self, name: str, url: str, token: str, verify_certificates: bool
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """GET /api/you and /api/ping with settings that are not saved yet, on a throw-away
        client: the account, and the server's version and capabilities."""
        probe = ReanaClient(
            check_url(url),
            check_token(token),
            name=name,
            verify=self._verify_for(verify_certificates),
            timeout=self.timeout,
        )
        try:
            you = await probe.you()
            return you, await self._declared(probe, you)
        finally:
            await probe.aclose()

    @staticmethod
    async def _declared(client: ReanaClient, you: dict[str, Any]) -> dict[str, Any]:
        """The ping's declarations; a server's version from /api/you where the ping has none."""
        api = (await client.server_api(refresh=True)).to_json()
        api["version"] = api["version"] or you.get("reana_server_version")
        return api

    async def server_info(self, name: str) -> dict[str, Any]:
        """The server's `/api/info`, read once per INFO_TTL seconds per connection (it changes
        when its administrators redeploy, not between two dialogs); a new URL or token reads
        it again."""
        client = self.client(name)
        cached = self._info.get(name)
        now = time.monotonic()
        if cached is not None and cached[0] is client and now - cached[1] < INFO_TTL:
            return cached[2]
        info = await client.info()
        self._info[name] = (client, now, info)
        return info

    async def check(self, name: str) -> Connection:
        """GET /api/you with the connection's token; remembers email and quota."""
        connection = self.get(name)
        client = self.client(name)
        you = await client.you()
        connection.remember_account(you)
        connection.remember_api(await self._declared(client, you))
        return connection

    async def aclose(self) -> None:
        clients = [*self._clients.values(), *self._retired]
        self._clients.clear()
        self._retired.clear()
        await asyncio.gather(*(c.aclose() for c in clients), return_exceptions=True)

    # ---- internals -----------------------------------------------------------------------

    def _add(self, connection: Connection) -> None:
        self._connections[connection.name] = connection
        if connection.token:
            known_secrets.add(connection.token)

    @staticmethod
    def _ensure_editable(
        connection: Connection, url: str | None, verify_certificates: bool | None
    ) -> None:
        if connection.read_only and (url is not None or verify_certificates is not None):
            raise Conflict(
                f"REANA connection '{connection.name}' comes from the server configuration; "
                "only its access token can be entered here",
                code="preset",
            )

    def _retire_client(self, name: str) -> None:
        """Requests in flight keep their client; it is closed at shutdown, not under them."""
        client = self._clients.pop(name, None)
        self._info.pop(name, None)
        if client is not None:
            self._retired.append(client)

    def _save(self) -> None:
        try:
            self._file.save(list(self._connections.values()))
        except OSError as exc:  # the data folder's disk, not REANA: say so, and where
            problem = local_problem(exc, None, self._file.path)
            problem.message = f"The REANA connections could not be saved: {problem.message}"
            raise problem from None

    def _verify(self, connection: Connection) -> bool | ssl.SSLContext:
        return self._verify_for(connection.verify_certificates)

    def _verify_for(self, verify_certificates: bool) -> bool | ssl.SSLContext:
        if not verify_certificates:
            return False
        return verifying_context(self._ca_bundle)


def _warm_up(ca_bundle: str | None) -> None:
    """Build the context ahead of use; a bad bundle fails later, where the user sees it."""
    with contextlib.suppress(OSError, ssl.SSLError, ValueError):
        verifying_context(ca_bundle)
