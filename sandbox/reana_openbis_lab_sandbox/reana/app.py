"""The REANA sandbox's tornado application: reana-server's REST API under `/api`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tornado import web

from ..access_log import log_request
from ..faults import CONTROL_PREFIX, Faults, fault_routes
from . import api095
from . import handlers_account as account
from . import handlers_secrets as secrets
from . import handlers_workflows as workflows
from . import handlers_workspace as workspace
from .engine import Engine
from .handler_base import NotFoundHandler
from .store import ReanaStore

_ID = r"([^/]+)"
#: Seconds per MiB an upload's answer waits after the last byte by default: real REANA takes
#: about 1 s per MiB on a busy small server; the sandbox keeps the shape at a 50th of it.
UPLOAD_RELAY_SECONDS = 0.02


def make_app(
    *,
    store: ReanaStore,
    faults: Faults,
    public_url: str,
    step_seconds: float = 1.0,
    upload_relay_seconds: float = UPLOAD_RELAY_SECONDS,
    reana_api: str = "0.9",
    record_exchanges: Path | None = None,
) -> web.Application:
    """`step_seconds` is how long each phase of a simulated run lasts (CLI `--workflow-speed`);
    `upload_relay_seconds` how long an upload's answer waits per MiB (CLI `--upload-relay`);
    `reana_api` the protocol: "0.9" (reana-server 0.9.4) or "0.95" (reana-commons 0.95.0a26's
    specification: bundles, /validate, /restart, strict bodies; CLI `--reana-api`)."""
    routes = [
        (r"/api/ping", account.PingHandler),
        (r"/api/you", account.YouHandler),
        (r"/api/info", account.InfoHandler),
        (r"/api/secrets", secrets.SecretsListHandler),
        (r"/api/secrets/", secrets.SecretsHandler),
        (r"/api/workflows", workflows.WorkflowsHandler),
        *([(r"/api/workflows/validate", api095.ValidateHandler)] if reana_api == "0.95" else []),
        (rf"/api/workflows/move_files/{_ID}", workspace.MoveFilesHandler),
        (rf"/api/workflows/{_ID}/status", workflows.StatusHandler),
        (rf"/api/workflows/{_ID}/start", workflows.StartHandler),
        *(
            [(rf"/api/workflows/{_ID}/restart", api095.RestartHandler)]
            if reana_api == "0.95"
            else []
        ),
        (rf"/api/workflows/{_ID}/logs", workflows.LogsHandler),
        (rf"/api/workflows/{_ID}/specification", workflows.SpecificationHandler),
        (rf"/api/workflows/{_ID}/parameters", workflows.ParametersHandler),
        (rf"/api/workflows/{_ID}/retention_rules", workflows.RetentionRulesHandler),
        (rf"/api/workflows/{_ID}/disk_usage", workspace.DiskUsageHandler),
        (rf"/api/workflows/{_ID}/prune", workspace.PruneHandler),
        (rf"/api/workflows/{_ID}/workspace", workspace.WorkspaceHandler),
        (rf"/api/workflows/{_ID}/workspace/(.+)", workspace.WorkspaceFileHandler),
        *fault_routes,
        (rf"{CONTROL_PREFIX}/reana/account", secrets.AccountControlHandler),
    ]
    return web.Application(
        routes,
        default_handler_class=NotFoundHandler,
        faults=faults,
        reana_store=store,
        reana_engine=Engine(store, step_seconds=step_seconds),
        public_url=public_url,
        upload_relay_seconds=upload_relay_seconds,
        reana_api=reana_api,
        record_exchanges=_recorder(record_exchanges) if record_exchanges else None,
        log_function=log_request,
    )


def _recorder(path: Path) -> Callable[[dict[str, Any]], None]:
    """Append each exchange as a JSON line (small answers; a test-only option)."""

    def record(exchange: dict[str, Any]) -> None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(exchange) + "\n")

    return record
