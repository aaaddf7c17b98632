"""The project's own async REST client for one REANA server (one instance per connection).

Why not reana-client: it cannot be installed beside JupyterLab 4, its API is blocking,
and it keeps the server URL in a process-wide singleton, so two servers at once
would talk to each other's URL. This client is small, async (a hung server never
blocks the Jupyter event loop), has timeouts on every request, streams files to and
from disk, and turns every failure into a domain error whose message is free of the
access token (which REANA takes as a query parameter, so it is in every URL).
"""

from __future__ import annotations

import contextlib
import functools
import json
import socket
import ssl
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import quote

import httpx
import requests
from urllib3.exceptions import ReadTimeoutError

from ..errors import (
    Conflict,
    InvalidInput,
    LabError,
    LoginRequired,
    NotFound,
    PermissionDenied,
    UpstreamError,
    UpstreamTimeout,
)
from ..jobs import JobCancelled
from ..scrub import display_url, scrub
from ..transfer_threads import OpenConnections, run_in_own_thread, tracked_session
from . import quota
from .advice import without_cli_advice
from .protocol import ServerApi

#: Bytes per read/write when streaming files; large enough that the thread hop per chunk is noise.
CHUNK_SIZE = 1024 * 1024
#: Longest upstream message we pass on to a user.
MAX_MESSAGE = 500
#: Bytes per second a slow reana-server is granted, after an upload's last byte, to relay it to
#: the workflow controller and answer (measured: 50 MiB took up to 70 s on a busy 2-core box).
UPLOAD_RELAY_RATE = 256 * 1024
#: Statuses a REANA run can have (reana-client's RUN_STATUSES).
RUN_STATUSES = (
    "created",
    "queued",
    "pending",
    "running",
    "finished",
    "failed",
    "stopped",
    "deleted",
)
#: reana-client's error prefix, which reana-server copies into some of its messages.
_CLI_ERROR_PREFIX = "==> ERROR: "
REJECTED_MESSAGE = "REANA rejected the access token"

ProgressCallback = Callable[[int], None]


class BytesSink(Protocol):
    """Where a download writes: an open binary file, or an in-memory buffer with a limit."""

    def write(self, data: bytes, /) -> int: ...


class ReanaClient:
    """Async access to the REANA REST API (reana-server's Swagger spec) for one server + token."""

    def __init__(
        self,
        url: str,
        token: str | None,
        *,
        name: str = "",
        verify: bool | ssl.SSLContext = True,
        timeout: float = 30.0,
        ca_bundle: str | None = None,
    ):
        self.url = url.rstrip("/")
        self.name = name
        self.timeout = timeout
        self._token = token
        self._api: ServerApi | None = None
        shown = display_url(self.url)
        self._where = f"REANA server '{name}' ({shown})" if name else f"REANA server {shown}"
        self._verify = verify
        #: Extra CAs `verify` trusts (a context cannot travel to the lab worker, a path can).
        self._ca_bundle = ca_bundle
        self._http = self._new_http()
        #: For requests that must not meet a stale connection; made on first use (see `_send`).
        self._fresh: httpx.AsyncClient | None = None

    def _new_http(self, limits: httpx.Limits | None = None) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.url,
            verify=self._verify,
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,  # a redirect would carry the token to wherever it points
            headers={"Accept": "application/json"},
            # The transport gets the limits: a client's own apply only to its default one.
            transport=_TokenTransport(
                httpx.AsyncHTTPTransport(verify=self._verify, limits=limits or httpx.Limits()),
                self,
            ),
        )

    def stream_target(self) -> StreamTarget:
        """What the lab worker needs to move files for this connection (token included)."""
        return StreamTarget(
            url=self.url,
            token=self._token,
            name=self.name,
            verify=self._verify is not False,
            ca_bundle=self._ca_bundle,
            timeout=self.timeout,
        )

    async def aclose(self) -> None:
        await self._http.aclose()
        if self._fresh is not None:
            await self._fresh.aclose()

    # ---- account and server ------------------------------------------------------------

    async def you(self) -> dict[str, Any]:
        """The token's user: email, quota, server version (reana-client's `ping`).

        REANA echoes the token itself in `reana_token`; that block is dropped here so no
        caller can pass it on by accident.
        """
        you = await self._account_json("/api/you", what="check the access token")
        you.pop("reana_token", None)
        return you

    async def server_api(self, *, refresh: bool = False) -> ServerApi:
        """What the server declares in `GET /api/ping` (no token needed), asked once per
        client, that is per connection setting: a changed URL or token makes a new client,
        and `refresh` asks again (a connection check)."""
        if self._api is None or refresh:
            with self._translated("ping the server"):
                response = await self._send("GET", "/api/ping", resendable=True)
            if response.status_code != 200:
                self._raise_for_status(response, "ping the server")
            try:
                body = response.json()
            except (ValueError, RecursionError):
                raise self._unexpected("ping the server") from None
            self._api = ServerApi.from_ping(body)
        return self._api

    async def info(self) -> dict[str, Any]:
        """Server capabilities: compute backends, workspaces, default limits."""
        return await self._account_json("/api/info", what="read the server information")

    async def _account_json(self, path: str, *, what: str) -> dict[str, Any]:
        """Every REANA server has its account routes: a 404 there means the URL leads elsewhere
        (a Jupyter server, a web site), which is the connection's fault, not a missing thing."""
        try:
            return await self._json("GET", path, what=what)
        except NotFound:
            raise UpstreamError(
                f"{self._where} does not answer like a REANA server (HTTP 404 from its {path}):"
                " check the connection's URL",
                code="not_reana",
            ) from None

    # ---- workflows -----------------------------------------------------------------------

    async def list_workflows(
        self,
        page: int = 1,
        size: int = 20,
        search: str | None = None,
        status: list[str] | None = None,
        sort: str = "desc",
        include_progress: bool = True,
        include_workspace_size: bool = True,
        workflow_type: str = "batch",
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of workflow runs, newest first by default, and the total count."""
        params: dict[str, Any] = {
            "type": workflow_type,
            "page": page,
            "size": size,
            "sort": sort,
            "include_progress": _flag(include_progress),
            "include_workspace_size": _flag(include_workspace_size),
        }
        if search:
            params["search"] = json.dumps({"name": [search]})
        # Unfiltered, REANA lists deleted runs too; reana-client asks for every other status.
        wanted = status or [s for s in RUN_STATUSES if s != "deleted"]
        params["status"] = ",".join(wanted)  # Swagger 2.0 default collectionFormat: csv
        body = await self._json("GET", "/api/workflows", params=params, what="list workflows")
        items = body.get("items")
        if not isinstance(items, list):
            raise self._unexpected("list workflows")
        total = body.get("total")
        return items, total if isinstance(total, int) else len(items)

    async def get_status(self, workflow: str) -> dict[str, Any]:
        return await self._json("GET", _wf(workflow, "status"), what="read the workflow status")

    async def get_specification(self, workflow: str) -> dict[str, Any]:
        return await self._json(
            "GET", _wf(workflow, "specification"), what="read the workflow specification"
        )

    async def get_parameters(self, workflow: str) -> dict[str, Any]:
        return await self._json(
            "GET", _wf(workflow, "parameters"), what="read the workflow parameters"
        )

    async def get_retention_rules(self, workflow: str) -> list[dict[str, Any]]:
        """The run's workspace retention rules: `workspace_files` (a glob), `retention_days`,
        `status` (created, active, inactive, pending, applied) and `apply_on` once active."""
        body = await self._json(
            "GET", _wf(workflow, "retention_rules"), what="read the workspace retention rules"
        )
        rules = body.get("retention_rules")
        if not isinstance(rules, list):
            raise self._unexpected("read the workspace retention rules")
        return [r for r in rules if isinstance(r, dict)]

    async def get_logs(
        self,
        workflow: str,
        *,
        steps: list[str] | None = None,
        page: int | None = None,
        size: int | None = None,
    ) -> dict[str, Any]:
        """Decoded logs: `workflow_logs` (engine), `job_logs` {job id: {...}}, `engine_specific`.

        REANA sends them as a JSON string inside the JSON answer; this decodes both layers.
        """
        params: dict[str, Any] = {}
        if page is not None:
            params["page"] = page
        if size is not None:
            params["size"] = size
        body = await self._json(
            "GET",
            _wf(workflow, "logs"),
            params=params,
            json_body=steps if steps else None,
            what="read the workflow logs",
        )
        raw = body.get("logs")
        if isinstance(raw, dict):
            return raw
        if not isinstance(raw, str):
            raise self._unexpected("read the workflow logs")
        if not raw.strip():
            return {"workflow_logs": "", "job_logs": {}, "engine_specific": None}
        try:
            logs = json.loads(raw)
        except (ValueError, RecursionError):
            # Old servers send plain engine text rather than the JSON document.
            return {"workflow_logs": raw, "job_logs": {}, "engine_specific": None}
        if not isinstance(logs, dict):
            raise self._unexpected("read the workflow logs")
        return logs

    async def create_workflow(self, name: str, spec: dict[str, Any]) -> dict[str, Any]:
        """Create a run from a loaded REANA specification; returns workflow_id and workflow_name."""
        return await self._json(
            "POST",
            "/api/workflows",
            params={"workflow_name": name},
            json_body=spec,
            what="create the workflow",
        )

    async def create_workflow_bundle(self, name: str, bundle: bytes) -> dict[str, Any]:
        """Create a run on a bundle server from a specification bundle (multipart `bundle`)."""
        body, content_type = _multipart([("bundle", "validation-bundle.zip", bundle)])
        return await self._json(
            "POST",
            "/api/workflows",
            params={"workflow_name": name},
            content=body,
            headers={"Content-Type": content_type, "Content-Length": str(len(body))},
            what="create the workflow",
        )

    async def validate_bundle(self, bundle: bytes) -> dict[str, Any]:
        """The server's own validation of a bundle: `{valid, errors, warnings}`."""
        body, content_type = _multipart([("bundle", "validation-bundle.zip", bundle)])
        return await self._json(
            "POST",
            "/api/workflows/validate",
            content=body,
            headers={"Content-Type": content_type, "Content-Length": str(len(body))},
            what="validate the specification",
        )

    async def restart_workflow(
        self,
        workflow: str,
        replacement: bytes,
        parameters: dict[str, Any] | None = None,
        operational_options: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Restart on a bundle server (`POST .../restart`) with a replacement specification."""
        fields: list[tuple[str, str | None, bytes]] = [("replacement", "reana.yaml", replacement)]
        options = {
            "input_parameters": parameters or {},
            "operational_options": operational_options or {},
        }
        fields.append(("parameters", None, json.dumps(options).encode()))
        body, content_type = _multipart(fields)
        return await self._json(
            "POST",
            _wf(workflow, "restart"),
            content=body,
            headers={"Content-Type": content_type, "Content-Length": str(len(body))},
            what="restart the workflow",
            refusal=Conflict,
        )

    async def start_workflow(
        self,
        workflow: str,
        parameters: dict[str, Any] | None = None,
        operational_options: dict[str, Any] | None = None,
        *,
        restart: bool = False,
        reana_specification: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Start (or with `restart` re-run) a created workflow with parameter overrides."""
        body: dict[str, Any] = {
            "input_parameters": parameters or {},
            "operational_options": operational_options or {},
        }
        if restart:
            body["restart"] = True
        if reana_specification is not None:
            body["reana_specification"] = reana_specification
        # reana-server answers "already running/finished, cannot be started" with a 403.
        return await self._json(
            "POST",
            _wf(workflow, "start"),
            json_body=body,
            what="start the workflow",
            refusal=Conflict,
        )

    async def stop_workflow(self, workflow: str) -> dict[str, Any]:
        """A plain stop sends no body: REANA 0.95 refuses any field it does not declare (422),
        `force_stop` included, and no REANA specification declares a forced stop."""
        return await self._json(
            "PUT",
            _wf(workflow, "status"),
            params={"status": "stop"},
            what="stop the workflow",
        )

    async def delete_workflow(
        self, workflow: str, workspace: bool = True, *, all_runs: bool = False
    ) -> dict[str, Any]:
        """Delete a run; REANA 0.9 servers always delete the workspace (and refuse `False`)."""
        return await self._json(
            "PUT",
            _wf(workflow, "status"),
            params={"status": "deleted"},
            json_body={"workspace": workspace, "all_runs": all_runs},
            what="delete the workflow",
        )

    # ---- workspace -----------------------------------------------------------------------

    async def list_workspace(
        self,
        workflow: str,
        page: int = 1,
        size: int = 100,
        search: str | None = None,
        file_name: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the workspace's files (`name` is the path, `size`, `last-modified`);
        `search` is a part of the path, `file_name` a folder or a glob (`data/*`, `**/*.root`)."""
        params: dict[str, Any] = {"page": page, "size": size}
        if search:
            params["search"] = json.dumps({"name": [search]})
        if file_name:
            params["file_name"] = file_name
        body = await self._json(
            "GET", _wf(workflow, "workspace"), params=params, what="list the workspace"
        )
        items = body.get("items")
        if not isinstance(items, list):
            raise self._unexpected("list the workspace")
        total = body.get("total")
        return items, total if isinstance(total, int) else len(items)

    async def upload_file(
        self,
        workflow: str,
        remote_name: str,
        local_path: Path,
        progress: ProgressCallback | None = None,
        cancel_event: threading.Event | None = None,
    ) -> dict[str, Any]:
        """Send one local file, read from disk block by block (never whole in memory) by a
        low-priority thread, as `download_file` receives one; the same cancel rules."""
        stream = _ThreadedUpload(self, _wf(workflow, "workspace"), remote_name)
        return await run_in_own_thread(
            lambda: self._send_file(
                stream, workflow, remote_name, local_path, progress, cancel_event
            ),
            stream.stop,
            name="reana-upload",
        )

    def upload_file_blocking(
        self,
        workflow: str,
        remote_name: str,
        local_path: Path,
        progress: ProgressCallback | None,
        cancel_event: threading.Event,
        connections: OpenConnections,
    ) -> dict[str, Any]:
        """`upload_file` in the calling thread (the lab worker's transfers): a cancel sets
        `cancel_event` and cuts `connections`, with which the request's socket registers."""
        stream = _ThreadedUpload(self, _wf(workflow, "workspace"), remote_name, connections)
        return self._send_file(stream, workflow, remote_name, local_path, progress, cancel_event)

    def _send_file(
        self,
        stream: _ThreadedUpload,
        workflow: str,
        remote_name: str,
        local_path: Path,
        progress: ProgressCallback | None,
        cancel_event: threading.Event | None,
    ) -> dict[str, Any]:
        """reana-server answers only after it has relayed the whole body to the workflow
        controller, which writes it: the wait after the last byte grows with the size (40-70 s
        for 50 MiB on a busy real server). The read timeout grows with it, and a wait that
        still runs out ends with a look at the workspace: a file that arrived whole is a
        success, whatever the answer's fate."""
        size = local_path.stat().st_size
        body = _FileBody(local_path, size, progress, lambda: stream.check(cancel_event))
        try:
            return stream.run(body, cancel_event, read_timeout=self.upload_timeout(size).read)
        except (UpstreamTimeout, UpstreamError) as exc:
            if exc.code not in ("timeout", "connection_dropped"):
                raise
            if not self._arrived_blocking(workflow, remote_name, size):
                raise
            return {"message": f"{remote_name} has been successfully transferred."}
        finally:
            body.close()

    def upload_timeout(self, size: int) -> httpx.Timeout:
        """The usual timeout, but reading the answer may take one more second per
        UPLOAD_RELAY_RATE bytes sent (the relay to the workflow controller)."""
        return httpx.Timeout(self.timeout, read=self.timeout + size / UPLOAD_RELAY_RATE)

    def _arrived_blocking(self, workflow: str, remote_name: str, size: int) -> bool:
        """Whether the workspace lists `remote_name` with `size` bytes (asked once, briefly)."""
        params = {"size": 1000, "search": json.dumps({"name": [remote_name]})}
        verify = self._verify
        try:
            with (
                tracked_session(
                    OpenConnections(), verify if isinstance(verify, ssl.SSLContext) else None
                ) as session,
                session.get(
                    self.url + _wf(workflow, "workspace"),
                    params=self._auth(params),
                    headers={"Accept": "application/json"},
                    timeout=(self.timeout, self.timeout),
                    verify=bool(verify),
                    allow_redirects=False,
                ) as response,
            ):
                items = response.json().get("items") if response.status_code == 200 else None
        except (requests.exceptions.RequestException, ValueError, AttributeError, LabError):
            return False
        for item in items if isinstance(items, list) else []:
            listed = item.get("size") if isinstance(item, dict) else None
            raw = listed.get("raw") if isinstance(listed, dict) else None
            if isinstance(item, dict) and item.get("name") == remote_name and raw == size:
                return True
        return False

    def download_file_blocking(
        self,
        workflow: str,
        remote_name: str,
        dest_fileobj: BytesSink,
        progress: ProgressCallback | None,
        cancel_event: threading.Event,
        connections: OpenConnections,
    ) -> int:
        """`download_file` in the calling thread; see `upload_file_blocking`."""
        path = _wf(workflow, "workspace", *remote_name.split("/"))
        stream = _ThreadedDownload(self, path, remote_name, connections)
        return stream.run(dest_fileobj, progress, cancel_event)

    async def download_file(
        self,
        workflow: str,
        remote_name: str,
        dest_fileobj: BytesSink,
        progress: ProgressCallback | None = None,
        cancel_event: threading.Event | None = None,
    ) -> int:
        """Write one workspace file into `dest_fileobj` as it arrives; returns the byte count.

        The bytes never touch the event loop: a low-priority worker thread reads the socket
        and writes the file, so a big download costs the server's event loop one wake-up per
        progress report instead of one per 64 KiB read (bench/profile_misses.py, event-loop
        scenario). The thread reads with requests/urllib3, whose 1 MiB reads loop in C: with
        httpx's blocking client it used 3x the CPU (h11 parses every 64 KiB in Python) and
        held the GIL the event loop waits for. `progress` is called from that thread.
        Cancelling the awaiting task (or setting `cancel_event`) shuts the download's socket
        down, so a read blocked on a silent server ends at once; the call then raises
        JobCancelled, after the thread has stopped writing.

        A dropped connection or a short body raises UpstreamError, so the caller (which
        writes to a temporary name) can throw the partial file away.
        """
        stream = _ThreadedDownload(
            self, _wf(workflow, "workspace", *remote_name.split("/")), remote_name
        )
        return await run_in_own_thread(
            lambda: stream.run(dest_fileobj, progress, cancel_event),
            stream.stop,
            name="reana-download",
        )

    async def upload_content(self, workflow: str, remote_name: str, data: bytes) -> dict[str, Any]:
        """Send a small file made in memory (a provenance record) into the workspace."""
        return await self._json(
            "POST",
            _wf(workflow, "workspace"),
            params={"file_name": remote_name},
            content=data,
            headers={"Content-Type": "application/octet-stream"},
            what=f"upload '{remote_name}'",
            resendable=True,  # the same bytes under the same name: sending twice stores one file
        )

    async def read_file(self, workflow: str, remote_name: str, limit: int) -> bytes | None:
        """A small workspace file whole (None when the workspace has no such file); one
        larger than `limit` bytes is refused rather than held in memory."""
        buffer = _LimitedBuffer(limit, f"'{remote_name}' is larger than {limit} bytes")
        try:
            await self.download_file(workflow, remote_name, buffer)
        except NotFound:
            return None
        return bytes(buffer.data)

    def upload_stream_blocking(
        self,
        workflow: str,
        remote_name: str,
        body: _SizedBody,
        cancel_event: threading.Event,
        connections: OpenConnections,
    ) -> None:
        """Send `body` (`read` and `len`: bytes arriving from elsewhere, see `pipe`) as one
        workspace file, in the calling thread (the lab worker); a cancel as for
        `upload_file_blocking`. The request announces `len(body)` bytes; a body that fails
        mid-way breaks the request, and REANA keeps no partial file of an upload it did not
        receive whole."""
        stream = _ThreadedUpload(self, _wf(workflow, "workspace"), remote_name, connections)
        stream.run(body, cancel_event)

    async def delete_file(self, workflow: str, name: str) -> dict[str, Any]:
        return await self._json(
            "DELETE",
            _wf(workflow, "workspace", *name.split("/")),
            what=f"delete '{name}'",
        )

    # ---- secrets -------------------------------------------------------------------------

    async def list_secrets(self) -> list[dict[str, Any]]:
        """The user's secrets: `name` and `type` (env or file); REANA sends no values."""
        body = await self._any_json("GET", "/api/secrets", what="list the secrets")
        if not isinstance(body, list):
            raise self._unexpected("list the secrets")
        return [item for item in body if isinstance(item, dict)]

    async def add_secret(self, name: str, kind: str, value_base64: str, *, overwrite: bool) -> None:
        """Store one secret; `value_base64` is the value base64-encoded, as REANA keeps it.

        `overwrite` is always sent: reana-server 0.9 fails (500) without it. The request
        body never reaches a message or log line of ours (errors carry REANA's words only).
        """
        await self._any_json(
            "POST",
            "/api/secrets/",
            params={"overwrite": _flag(overwrite)},
            json_body={name: {"value": value_base64, "type": kind}},
            what=f"add the secret '{name}'",
        )

    async def delete_secret(self, name: str) -> None:
        """Delete one secret; REANA answers an unknown name with 404 and a list of names."""
        await self._any_json(
            "DELETE", "/api/secrets/", json_body=[name], what=f"delete the secret '{name}'"
        )

    # ---- plumbing ------------------------------------------------------------------------

    def require_token(self) -> None:
        """LoginRequired (401, `token_missing`) now when no token is in memory: for work that
        would otherwise find out only inside a job, as every direct REST call does."""
        self._auth()

    def _auth(self, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """The query parameters of a request made with requests (the file streams)."""
        return {**(params or {}), "access_token": self._require_token()}

    def _require_token(self) -> str:
        if not self._token:
            raise LoginRequired(
                f"No access token in memory for {self._where}; enter it again",
                code="token_missing",
            )
        return self._token

    async def _json(self, method: str, path: str, *, what: str, **options: Any) -> dict[str, Any]:
        """One request answered by a JSON object (`_any_json`'s options); any failure becomes a
        token-free domain error."""
        body = await self._any_json(method, path, what=what, **options)
        if not isinstance(body, dict):  # every REANA endpoint but the secrets' answers an object
            raise self._unexpected(what)
        return body

    async def _any_json(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        content: AsyncIterator[bytes] | bytes | None = None,
        headers: dict[str, str] | None = None,
        refusal: type[LabError] = PermissionDenied,
        timeout: httpx.Timeout | None = None,
        resendable: bool = False,
    ) -> Any:
        """One request answered by any JSON value (the secrets routes answer lists).
        `resendable`: sending it twice has the effect of sending it once (see `_send`)."""
        self._require_token()  # the transport adds it to the URL (`_TokenTransport`)
        request_params = params
        with self._translated(what, timeout):
            response = await self._send(
                method,
                path,
                resendable=resendable or method == "GET",
                params=request_params,
                json=json_body,
                content=content,
                headers=headers,
                timeout=timeout or httpx.USE_CLIENT_DEFAULT,
            )
        if not 200 <= response.status_code < 300:
            self._raise_for_status(response, what, refusal)
        try:
            return response.json()
        except (ValueError, RecursionError):
            raise self._unexpected(what) from None

    async def _send(
        self, method: str, path: str, *, resendable: bool, **kwargs: Any
    ) -> httpx.Response:
        """One request. reana-server's uWSGI closes kept-alive connections after an answer
        without saying `Connection: close`, so a request sent on one soon after breaks unread
        (seen against the real 0.9.4 and 0.95.0a6 servers: a ping right after /api/you, the
        provenance record's upload and the start right after the inputs' uploads).

        A resendable request (a read, or a write whose repetition changes nothing) whose
        kept-alive connection broke before an answer is sent once more, on a new connection
        (another kept-alive one may be just as stale). Any other (create, start, stop, delete)
        goes on a new connection at once: a second run or a second start is worse than one
        more connection setup for a rare action."""
        if not resendable:
            return await self._unpooled().request(method, path, **kwargs)
        try:
            return await self._http.request(method, path, **kwargs)
        except (httpx.RemoteProtocolError, httpx.ReadError):
            return await self._unpooled().request(method, path, **kwargs)

    def _unpooled(self) -> httpx.AsyncClient:
        """A client that keeps no connection alive: each request opens its own."""
        if self._fresh is None:
            self._fresh = self._new_http(httpx.Limits(max_keepalive_connections=0))
        return self._fresh

    @contextlib.contextmanager
    def _translated(self, what: str, timeout: httpx.Timeout | None = None) -> Iterator[None]:
        """httpx exceptions carry the URL (and so the token): replace them, chain suppressed."""
        try:
            yield
        except LabError:
            raise
        except httpx.TimeoutException:
            waited = timeout.read if timeout is not None and timeout.read else self.timeout
            raise UpstreamTimeout(
                f"{self._where} did not answer within {waited:g} s (trying to {what})",
                code="timeout",
            ) from None
        except httpx.ConnectError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in str(exc):
                raise UpstreamError(
                    f"The TLS certificate of {self._where} could not be verified; trust its CA "
                    "(reana_ca_bundle) or turn off certificate checks for this connection",
                    code="tls_verify_failed",
                ) from None
            raise UpstreamError(
                f"Could not connect to {self._where}: {_reason(exc)}", code="unreachable"
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            raise UpstreamError(
                f"The connection to {self._where} broke while trying to {what}",
                code="connection_dropped",
            ) from None
        except httpx.HTTPError as exc:
            raise UpstreamError(
                f"Request to {self._where} failed while trying to {what} ({type(exc).__name__})",
                code="http_error",
            ) from None

    @contextlib.contextmanager
    def _translated_blocking(self, what: str, answered: threading.Event) -> Iterator[None]:
        """`_translated` for the requests/urllib3 stack of worker-thread downloads: the same
        errors and messages, none carrying the URL. `answered`: the response had begun, so
        a broken connection is a drop, not a failure to connect."""
        try:
            yield
        except LabError:
            raise
        except requests.exceptions.SSLError:
            raise UpstreamError(
                f"The TLS certificate of {self._where} could not be verified; trust its CA "
                "(reana_ca_bundle) or turn off certificate checks for this connection",
                code="tls_verify_failed",
            ) from None
        except requests.exceptions.RequestException as exc:
            cause = exc.args[0] if exc.args else None
            if isinstance(exc, requests.exceptions.Timeout) or isinstance(cause, ReadTimeoutError):
                raise UpstreamTimeout(
                    f"{self._where} did not answer within {self.timeout:g} s (trying to {what})",
                    code="timeout",
                ) from None
            if answered.is_set() or not isinstance(exc, requests.exceptions.ConnectionError):
                raise UpstreamError(
                    f"The connection to {self._where} broke while trying to {what}",
                    code="connection_dropped",
                ) from None
            raise UpstreamError(
                f"Could not connect to {self._where}: {_reason(exc)}", code="unreachable"
            ) from None

    def _raise_for_status(
        self,
        response: httpx.Response | requests.Response,
        what: str,
        refusal: type[LabError] = PermissionDenied,
    ) -> None:
        """`refusal`: what a 403 that is about neither the token nor access rights means here."""
        status = response.status_code
        message = self._upstream_message(response)
        suffix = f": {message}" if message else ""
        if status == 401 or (status == 403 and "token" in message.lower()):
            raise PermissionDenied(REJECTED_MESSAGE, code="token_rejected")
        if status == 403:
            over_quota = quota.refusal(self._where, what, message)
            if over_quota is not None:
                raise over_quota
            kind = PermissionDenied if "not allowed" in message.lower() else refusal
            code = "forbidden" if kind is PermissionDenied else "reana_refused"
            raise kind(f"{self._where} refused to {what}{suffix}", code=code)
        if status == 404:
            raise NotFound(f"Not found on {self._where}{suffix}", code="reana_not_found")
        if status == 409:
            raise Conflict(f"{self._where} could not {what}{suffix}", code="reana_conflict")
        if status in (400, 422, 501):
            raise InvalidInput(f"{self._where} refused to {what}{suffix}", code="reana_bad_request")
        if status == 504:
            raise UpstreamTimeout(
                f"{self._where} timed out (HTTP 504) trying to {what}", code="timeout"
            )
        if 300 <= status < 400:
            location = display_url(response.headers.get("location", "")) or "elsewhere"
            raise UpstreamError(
                f"{self._where} redirects to {location}; use that URL for the connection",
                code="redirect",
            )
        raise UpstreamError(
            f"{self._where} failed to {what} (HTTP {status}){suffix}", code="upstream_error"
        )

    def _upstream_message(self, response: httpx.Response | requests.Response) -> str:
        """REANA's own `message`, if the body is the JSON error it documents; scrubbed, short,
        without the advice reana-server writes for its command line."""
        try:
            body = response.json()
        except (ValueError, RecursionError, httpx.ResponseNotRead):
            return ""
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str):
            return ""
        message = message.replace(_CLI_ERROR_PREFIX, "")
        return without_cli_advice(scrub(message, [self._token or ""])[:MAX_MESSAGE])

    def _unexpected(self, what: str) -> UpstreamError:
        return UpstreamError(
            f"{self._where} gave an unexpected answer trying to {what}; is the URL a REANA server?",
            code="unexpected_answer",
        )


def _multipart(fields: list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body of (name, file name or None for a plain field, bytes)."""
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, filename, data in fields:
        disposition = f'form-data; name="{name}"'
        kind = ""
        if filename is not None:
            disposition += f'; filename="{filename}"'
            kind = "Content-Type: application/octet-stream\r\n"
        parts.append(
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n{kind}\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _wf(workflow: str, *parts: str) -> str:
    """API path of a workflow's sub-resource, every segment quoted (names may hold anything)."""
    segments = [quote(workflow, safe=""), *(quote(p, safe="") for p in parts)]
    return "/api/workflows/" + "/".join(segments)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _content_length(response: httpx.Response | requests.Response) -> int | None:
    if "content-encoding" in response.headers:
        return None  # the header counts encoded bytes, we count decoded ones
    try:
        return int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None


def _reason(exc: Exception) -> str:
    """A short reason without the URL, from the OS error at the root of the exception chain."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, socket.gaierror) or "Name or service not known" in str(seen):
            return "unknown host name"
        if isinstance(seen, OSError) and "Network is unreachable" in str(seen):
            return "network unreachable"
        seen = seen.__cause__ or seen.__context__
    return type(exc).__name__


class _ThreadedStream:
    """One workspace file moved by a thread with requests; `stop()` (from any thread) makes it
    end with JobCancelled, waking a blocked read by shutting its socket down. `connections`:
    those of the caller (the lab worker's call, which a cancel cuts), else its own."""

    def __init__(
        self,
        client: ReanaClient,
        path: str,
        remote_name: str,
        connections: OpenConnections | None = None,
    ) -> None:
        self._client = client
        self._path = path
        self._name = remote_name
        self._stopped = False
        self._connections = connections or OpenConnections()

    def stop(self) -> None:
        self._stopped = True
        self._connections.cut()

    def check(self, cancel_event: threading.Event | None) -> None:
        if self._stopped or (cancel_event is not None and cancel_event.is_set()):
            raise JobCancelled()

    _check = check


class _ThreadedDownload(_ThreadedStream):
    """One workspace file streamed into a file object."""

    def run(
        self,
        dest_fileobj: BytesSink,
        progress: ProgressCallback | None,
        cancel_event: threading.Event | None,
    ) -> int:
        client = self._client
        what = f"download '{self._name}'"
        written = 0
        self._check(cancel_event)
        verify = client._verify
        context = verify if isinstance(verify, ssl.SSLContext) else None
        answered = threading.Event()
        try:
            with (
                client._translated_blocking(what, answered),
                tracked_session(self._connections, context) as session,
                session.get(
                    client.url + self._path,
                    params=client._auth(),
                    headers={"Accept": "*/*"},
                    stream=True,
                    timeout=(client.timeout, client.timeout),
                    verify=bool(verify),
                    allow_redirects=False,  # a redirect would carry the token elsewhere
                ) as response,
            ):
                answered.set()
                if response.status_code != 200:
                    response.content  # noqa: B018 - read, for REANA's message
                    client._raise_for_status(response, what)
                expected = _content_length(response)
                for chunk in response.iter_content(CHUNK_SIZE):
                    self._check(cancel_event)
                    dest_fileobj.write(chunk)
                    written += len(chunk)
                    if progress is not None:
                        progress(len(chunk))
        except (LabError, JobCancelled):
            self._check(cancel_event)  # a cut socket is how a stop looks from here
            raise
        if expected is not None and written != expected:
            raise UpstreamError(
                f"{client._where} sent {written} of {expected} bytes of '{self._name}'",
                code="incomplete_download",
            )
        return written


class _SizedBody(Protocol):
    def read(self, size: int = -1) -> bytes | memoryview: ...
    def __len__(self) -> int: ...


class _LimitedBuffer:
    """A file object for `download_file` that keeps at most `limit` bytes in memory."""

    def __init__(self, limit: int, message: str) -> None:
        self.data = bytearray()
        self._limit = limit
        self._message = message

    def write(self, chunk: bytes) -> int:
        if len(self.data) + len(chunk) > self._limit:
            raise UpstreamError(self._message, code="too_large")
        self.data.extend(chunk)
        return len(chunk)


class _ThreadedUpload(_ThreadedStream):
    """One workspace file sent from a body that produces its bytes as they come (a local
    file, a pipe); the answer is REANA's JSON object."""

    def run(
        self,
        body: _SizedBody,
        cancel_event: threading.Event | None,
        *,
        read_timeout: float | None = None,
    ) -> dict[str, Any]:
        client = self._client
        what = f"upload '{self._name}'"
        self._check(cancel_event)
        verify = client._verify
        context = verify if isinstance(verify, ssl.SSLContext) else None
        connected = threading.Event()
        upload = self

        class Watched:
            """The body, telling when sending began and stopping on a cancel."""

            def __len__(self) -> int:
                return len(body)

            def read(self, size: int = -1) -> bytes | memoryview:
                connected.set()
                upload._check(cancel_event)
                return body.read(size)

        try:
            with (
                client._translated_blocking(what, connected),
                tracked_session(self._connections, context) as session,
            ):
                response = session.post(
                    client.url + self._path,
                    params=client._auth({"file_name": self._name}),
                    # requests sends an empty object body chunked: an empty file is b""
                    data=Watched() if len(body) else b"",  # type: ignore[arg-type]
                    headers={
                        "Content-Type": "application/octet-stream",
                        "Accept": "application/json",
                    },
                    timeout=(client.timeout, read_timeout or client.timeout),
                    verify=bool(verify),
                    allow_redirects=False,
                )
                if not 200 <= response.status_code < 300:
                    client._raise_for_status(response, what)
        except (LabError, JobCancelled):
            self._check(cancel_event)  # a cut socket is how a stop looks from here
            raise
        try:
            answer = response.json()
        except (ValueError, RecursionError):
            raise client._unexpected(what) from None
        if not isinstance(answer, dict):
            raise client._unexpected(what)
        return answer


class _FileBody:
    """A local file as an upload body of exactly `size` bytes, read block by block as the
    socket takes it, with progress per block; a file that shrinks meanwhile is an error,
    not a short upload."""

    def __init__(
        self,
        path: Path,
        size: int,
        progress: ProgressCallback | None,
        check: Callable[[], None],
    ) -> None:
        self._path = path
        self._size = size
        self._left = size
        self._progress = progress
        self._check = check
        self._handle: IO[bytes] | None = None

    def __len__(self) -> int:
        return self._size

    def read(self, size: int = -1) -> bytes:
        self._check()
        if self._left == 0:
            self.close()
            return b""
        if self._handle is None:
            self._handle = self._path.open("rb")
        data = self._handle.read(self._left if size < 0 else min(size, self._left))
        if not data:
            self.close()
            raise Conflict(
                f"'{self._path.name}' shrank while it was being uploaded", code="changed"
            )
        self._left -= len(data)
        if self._progress is not None:
            self._progress(len(data))
        if self._left == 0:
            self.close()
        return data

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class _TokenTransport(httpx.AsyncBaseTransport):
    """Adds the access token to each request's URL on its way to the network.

    REANA takes the token only as the `access_token` query parameter. httpx logs every
    request's URL (INFO, logger `httpx`); the request it logs is the one without the token,
    so no line of that logger can carry it, and no filter on a logger everyone shares is
    needed.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, client: ReanaClient) -> None:
        self._inner = inner
        self._client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        token = self._client._token
        if not token:  # `/api/ping` needs none; every other call required it before sending
            return await self._inner.handle_async_request(request)
        signed = httpx.Request(
            request.method,
            request.url.copy_merge_params({"access_token": token}),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return await self._inner.handle_async_request(signed)

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass(frozen=True)
class StreamTarget:
    """One REANA connection as the lab worker's file streams need it; `client()` there."""

    url: str
    token: str | None = field(repr=False)
    name: str
    verify: bool
    ca_bundle: str | None
    timeout: float

    def client(self) -> ReanaClient:
        """A client for this process (its HTTP pool is never used: streams use requests)."""
        verify: bool | ssl.SSLContext = verifying_context(self.ca_bundle) if self.verify else False
        return ReanaClient(
            self.url,
            self.token,
            name=self.name,
            verify=verify,
            timeout=self.timeout,
            ca_bundle=self.ca_bundle,
        )


@functools.lru_cache(maxsize=4)
def verifying_context(ca_bundle: str | None) -> ssl.SSLContext:
    """The system's CAs, plus `ca_bundle`: one context shared by every client (they only read
    it). Reading the CA store takes tens of ms (0.4 s on a busy machine, py-spy in
    bench/profile_misses.py), so it is read once per process, and first by a thread at
    start-up rather than on the event loop by the first request of each connection."""
    context = ssl.create_default_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context
