"""The extension's own data folder on a read-only disk: saving a connection is a local 409
that names the file, not a 500 or a 503 blaming nobody (issue 8 §7)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.local_mounts import remount_read_only, tmpfs
from tests.reana.reana_helpers import add_connection


@pytest.fixture
def extension_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A data folder on a tmpfs made read-only before the server starts."""
    folder = tmp_path_factory.mktemp("readonly-data") / "data"
    with tmpfs(folder):
        remount_read_only(folder)
        yield {"data_dir": str(folder)}


async def test_saving_an_openbis_connection_on_a_read_only_disk_is_a_local_409(api) -> None:
    status, body = await api(
        "POST",
        "openbis/connections",
        {"name": "lab", "url": "https://openbis.example.org", "username": "alice"},
    )
    assert (status, body["code"]) == (409, "local_read_only"), body
    assert "openbis_connections.json" in body["message"]


async def test_saving_a_reana_connection_on_a_read_only_disk_is_a_local_409(
    api, rol_sandbox
) -> None:
    status, body = await add_connection(api, rol_sandbox)
    assert (status, body["code"]) == (409, "local_read_only"), body
    assert "could not be saved" in body["message"] and rol_sandbox.reana_token not in str(body)
