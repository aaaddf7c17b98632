"""HTTP layer: each module declares `routes`; `all_routes` joins them under the base URL."""

from __future__ import annotations

import functools
from importlib import import_module

from .base import ApiHandler, Route
from .contract import Contract, load_document, route_to_template

ROUTE_MODULES = (
    "info",
    "jobs",
    "openbis_connections",
    "openbis_browse",
    "openbis_transfers",
    "openbis_mount",
    "reana_connections",
    "reana_server",
    "reana_secrets",
    "reana_workflows",
    "reana_workspace",
    "reana_specs",
    "requirements",
    "provenance",
)
METHODS = ("get", "post", "put", "patch", "delete")

#: Every route of the extension lives under this prefix of the server's base_url.
URL_PREFIX = "reana-openbis-lab"


def _routes() -> list[Route]:
    routes: list[Route] = []
    for name in ROUTE_MODULES:
        routes.extend(import_module(f"{__name__}.{name}").routes)
    return routes


def own_methods(handler: type[ApiHandler]) -> set[str]:
    """The HTTP verbs a handler of ours defines (itself or through a base of ours)."""
    own: set[str] = set()
    for cls in handler.__mro__:
        if cls is ApiHandler:
            break
        own.update(m for m in METHODS if m in cls.__dict__)
    return own


@functools.cache
def request_contract() -> Contract:
    """The validators of every route, built once from openapi.yaml."""
    contract = Contract(load_document())
    for pattern, handler in _routes():
        contract.register(route_to_template(pattern), handler, own_methods(handler))
    return contract


def all_routes() -> list[Route]:
    request_contract()  # at start-up: a route missing from openapi.yaml stops the server here
    return _routes()
