"""No REANA token in memory (a preset without one, or after a restart): every route that would
need it answers 401 `token_missing` at once, the ones that start jobs too, before any job.

The workspace upload used to answer 202 and then fail its job `token_missing`, while every
other REANA route refused with 401 straight away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

TOKENLESS = "tokenless"
RUN = "demo-finished.1"


@pytest.fixture
def extension_config(rol_sandbox: Any, reana_client_env: Path) -> dict[str, Any]:
    """A configured REANA preset whose token nobody entered yet."""
    return {
        "reana_servers": {TOKENLESS: rol_sandbox.reana_url},
        "reana_client_env": str(reana_client_env),
    }


@pytest.fixture
def files(jp_root_dir: Path) -> Path:
    (jp_root_dir / "ok.txt").write_text("harmless")
    (jp_root_dir / "analysis").mkdir()
    (jp_root_dir / "analysis" / "reana.yaml").write_text(
        "workflow:\n  type: serial\n  specification:\n    steps:\n      - commands: [echo hi]\n"
    )
    return jp_root_dir


@pytest.mark.parametrize(
    "path, body",
    [
        (
            f"reana/connections/{TOKENLESS}/workflows/{RUN}/workspace/upload",
            {"sources": ["ok.txt"]},
        ),
        (f"reana/connections/{TOKENLESS}/workflows/{RUN}/workspace/download", {"paths": [""]}),
        ("reana/run", {"connection": TOKENLESS, "path": "analysis/reana.yaml"}),
        ("reana/create", {"connection": TOKENLESS, "path": "analysis/reana.yaml"}),
    ],
    ids=["upload", "download", "run", "create"],
)
async def test_a_route_that_needs_the_token_refuses_at_once(
    api, files: Path, path: str, body: dict[str, Any]
) -> None:
    status, reply = await api("POST", path, body)
    assert (status, reply.get("code")) == (401, "token_missing"), reply
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []
