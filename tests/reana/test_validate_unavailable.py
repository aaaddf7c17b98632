"""Without a reana-client environment: validate/create/run answer 503 naming the install command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .spec_support import server_config

INSTALL = "jupyter reana-openbis-lab install-reana-client"


@pytest.fixture
def extension_config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return server_config(tmp_path_factory.mktemp("nothing") / "reana-client-env")


async def test_validate_answers_503_naming_the_install_command(api, jp_root_dir: Path) -> None:
    # Given
    (jp_root_dir / "reana.yaml").write_text("workflow:\n  type: serial\n")
    # When
    status, body = await api("POST", "reana/validate", {"path": "reana.yaml"})
    # Then
    assert status == 503
    assert INSTALL in body["message"]
    assert body["code"] == "reana_client_missing"


@pytest.mark.parametrize("route", ["reana/create", "reana/run"])
async def test_create_and_run_answer_503_before_any_job(api, jp_root_dir: Path, route: str) -> None:
    # Given
    (jp_root_dir / "reana.yaml").write_text("workflow:\n  type: serial\n")
    # When
    status, body = await api("POST", route, {"connection": "any", "path": "reana.yaml"})
    # Then
    assert status == 503
    assert INSTALL in body["message"]
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []


async def test_info_says_reana_client_is_unavailable(api) -> None:
    status, body = await api("GET", "info")
    assert status == 200
    assert body["capabilities"]["reanaClient"]["available"] is False
    assert body["capabilities"]["reanaClient"]["python"] is None


async def test_the_rest_features_still_work(api) -> None:
    status, body = await api("GET", "reana/connections")
    assert status == 200
    assert "connections" in body
