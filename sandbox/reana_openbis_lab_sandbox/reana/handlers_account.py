"""`/api/ping`, `/api/you` and `/api/info`: who the token belongs to and what the cluster offers."""

from __future__ import annotations

import asyncio

from tornado import web

from ..credentials import REANA_TOKEN, REANA_USER_EMAIL
from .api095 import CAPABILITIES, SERVER_VERSION_095
from .handler_base import ReanaHandler
from .model import USER_ID
from .workspace import workspace_size

SERVER_VERSION = "0.9.4"
#: When the sandbox user's token was granted, as reana-server writes it (RFC 1123, not ISO).
TOKEN_REQUESTED_AT = "Thu, 01 Jan 2026 00:00:00 GMT"


class PingHandler(ReanaHandler):
    needs_token = False
    declared = {"get": frozenset({200})}

    def get(self) -> None:
        """0.9 servers (and 0.95.0a6) declare nothing; 0.95.0a7 its version and capabilities."""
        body: dict[str, object] = {"message": "OK", "status": "200"}
        if self.api095:
            body.update(reana_server_version=SERVER_VERSION_095, api_capabilities=CAPABILITIES)
        self.reply(body)


class YouHandler(ReanaHandler):
    """As reana-server 0.9.4 answers for a user made by `reana-admin user-create`: no names,
    quota usage without limit or health unless limits were set (`--reana-quota`, the control
    route), the token's date in RFC 1123."""

    declared = {"get": frozenset({200, 401, 403, 500})}

    async def get(self) -> None:
        cpu, disk = await usage(self)
        you = {
            "email": REANA_USER_EMAIL,
            "full_name": None,
            "username": None,
            "reana_server_version": SERVER_VERSION_095 if self.api095 else SERVER_VERSION,
            **({"id_": USER_ID} if self.api095 else {}),
            "reana_token": {
                "value": REANA_TOKEN,
                "status": "active",
                "requested_at": TOKEN_REQUESTED_AT,
            },
            "quota": self.store.account.quota(cpu, disk),
        }
        if self.api095:
            # reana-commons 0.95.0a26 declares full_name a string (not nullable): reana-client
            # 0.95.0a6 calls a server sending null invalid, so unknown names are left out
            you = {k: v for k, v in you.items() if v is not None}
            you["quota"]["cpu"].update(quota_period_months=None, quota_period_start_at=None)
        self.reply(you)


async def usage(handler: ReanaHandler) -> tuple[int, int]:
    """What the quota counts: CPU milliseconds of every run that ran, bytes of every workspace."""
    disk = await asyncio.to_thread(workspace_size, handler.store.workspaces)
    return handler.store.cpu_seconds() * 1000, disk


async def refuse_over_quota(handler: ReanaHandler) -> None:
    """reana-server's `check_quota` before create, start and upload: 403 with its text."""
    message = handler.store.account.excess_message(*await usage(handler))
    if message is not None:
        raise web.HTTPError(403, message)


def _setting(title: str, value: object) -> dict[str, object]:
    return {"title": title, "value": value}


class InfoHandler(ReanaHandler):
    declared = {"get": frozenset({200, 500})}

    def get(self) -> None:
        retention = self.store.account.retention_days
        self.reply(
            {
                "compute_backends": _setting("List of supported compute backends", ["kubernetes"]),
                "default_workspace": _setting("Default workspace", "/var/reana"),
                "workspaces_available": _setting("List of available workspaces", ["/var/reana"]),
                "default_kubernetes_jobs_timeout": _setting(
                    "Default timeout for Kubernetes jobs", "604800"
                ),
                "maximum_kubernetes_jobs_timeout": _setting(
                    "Maximum timeout for Kubernetes jobs", "1209600"
                ),
                "default_kubernetes_memory_limit": _setting(
                    "Default memory limit for Kubernetes jobs", "3Gi"
                ),
                "kubernetes_max_memory_limit": _setting(
                    "Maximum allowed memory limit for Kubernetes jobs", "10Gi"
                ),
                "default_kubernetes_cpu_request": _setting(
                    "Default CPU request for Kubernetes jobs", None
                ),
                "default_kubernetes_cpu_limit": _setting(
                    "Default CPU limit for Kubernetes jobs", None
                ),
                "default_kubernetes_memory_request": _setting(
                    "Default memory request for Kubernetes jobs", None
                ),
                "kubernetes_max_cpu_request": _setting(
                    "Maximum allowed CPU request for Kubernetes jobs", None
                ),
                "kubernetes_max_cpu_limit": _setting(
                    "Maximum allowed CPU limit for Kubernetes jobs", None
                ),
                "kubernetes_max_memory_request": _setting(
                    "Maximum allowed memory request for Kubernetes jobs", None
                ),
                "maximum_workspace_retention_period": _setting(
                    "Maximum retention period in days for workspace files",
                    None if retention is None else str(retention),
                ),
                "maximum_interactive_session_inactivity_period": _setting(
                    "Maximum inactivity period in days before automatic closure of interactive sessions",
                    None,
                ),
            }
        )
