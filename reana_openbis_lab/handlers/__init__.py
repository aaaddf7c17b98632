"""HTTP layer: each module declares `routes`; `all_routes` joins them under the base URL."""

from __future__ import annotations

from importlib import import_module

from .base import Route

ROUTE_MODULES = (
    "info",
    "jobs",
    "openbis_connections",
    "openbis_browse",
    "openbis_transfers",
    "openbis_mount",
    "reana_connections",
    "reana_workflows",
    "reana_workspace",
    "reana_specs",
    "requirements",
)

#: Every route of the extension lives under this prefix of the server's base_url.
URL_PREFIX = "reana-openbis-lab"


def all_routes() -> list[Route]:
    routes: list[Route] = []
    for name in ROUTE_MODULES:
        routes.extend(import_module(f"{__name__}.{name}").routes)
    return routes
