"""Shared fixtures: a Jupyter server with the extension loaded and unauthenticated access off.

Feature tests add their own fixtures next to their tests. The sandbox servers come from the
sandbox distribution's opt-in pytest plugin (fixtures `rol_sandbox`, `rol_sandbox_tls`...),
the reana-client environment from `tests.reana_client_env`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from reana_openbis_lab_sandbox.handle import Sandbox
from reana_openbis_lab_sandbox.process import SandboxProcess

pytest_plugins = [
    "pytest_jupyter.jupyter_server",
    "reana_openbis_lab_sandbox.pytest_plugin",
    "tests.reana_client_env",
]


@pytest.fixture
def extension_config() -> dict[str, Any]:
    """Override in a test module to add `c.ReanaOpenbisLab` options."""
    return {}


@pytest.fixture
def jp_server_config(
    extension_config: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    data_dir = tmp_path_factory.mktemp("lab-data")
    return {
        "ServerApp": {
            "jpserver_extensions": {"reana_openbis_lab": True},
            "allow_unauthenticated_access": False,
        },
        "ReanaOpenbisLab": {"data_dir": str(data_dir), **extension_config},
    }


@pytest.fixture
def api(jp_fetch):
    """Call the extension's API; returns (status, decoded JSON) and never raises on 4xx/5xx."""

    async def call(method: str, path: str, body: Any = None, **params: Any) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {"method": method, "raise_error": False}
        if params:
            kwargs["params"] = params
        if body is not None:
            kwargs["body"] = body if isinstance(body, (bytes, str)) else json.dumps(body)
        elif method in ("POST", "PUT", "PATCH"):
            kwargs["body"] = b""
            kwargs["allow_nonstandard_methods"] = True
        response = await jp_fetch("reana-openbis-lab", *path.strip("/").split("/"), **kwargs)
        text = response.body.decode() if response.body else ""
        try:
            payload = json.loads(text) if text else None
        except ValueError:
            payload = text
        return response.code, payload

    return call


@pytest.fixture(scope="module")
def reana095(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A REANA sandbox of its own speaking the 0.95 protocol, whatever the session's sandbox speaks."""
    process = SandboxProcess(
        ["--only", "reana", "--reana-api", "0.95", "--workflow-speed", "0.2"],
        workdir=tmp_path_factory.mktemp("reana-0.95"),
    )
    state = process.start()
    try:
        yield Sandbox(state)
    finally:
        process.stop()
