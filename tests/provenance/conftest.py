"""Fixtures of the provenance loop tests: both sandboxes, an openBIS preset with alice's
password, and the reana-client environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ..openbis.transfer_fixtures import CONNECTION, openbis, seeded  # noqa: F401
from ..reana.spec_support import server_config


@pytest.fixture
def extension_config(
    rol_sandbox: Any, reana_client_env: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    monkeypatch.setenv("LAB_OPENBIS_PASSWORD", rol_sandbox.openbis_users["alice"])
    return {
        **server_config(reana_client_env),
        "openbis_connections": [
            {
                "name": CONNECTION,
                "url": rol_sandbox.openbis_url,
                "username": "alice",
                "password_env": "LAB_OPENBIS_PASSWORD",
            }
        ],
    }
