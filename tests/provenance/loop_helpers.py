"""Steps the provenance loop tests share: a small analysis, starting runs with inputs,
looking at the workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..openbis.transfer_fixtures import CONNECTION, Seeded
from ..reana.reana_helpers import add_connection, wait_for_job

__all__ = ["CONNECTION", "Seeded"]

REANA = "sandbox"
SPEC = """version: 0.3.0
inputs:
  files:
    - code/count.py
  parameters:
    folder: inputs/measurement
workflow:
  type: serial
  specification:
    steps:
      - environment: docker.io/library/python:3.12-slim
        commands:
          - python code/count.py "${folder}" > results/count.txt
outputs:
  files:
    - results/count.txt
"""


def analysis(root: Path, folder: str = "analysis") -> str:
    base = root / folder
    (base / "code").mkdir(parents=True)
    (base / "code" / "count.py").write_text("import sys\nprint(sys.argv[1])\n")
    (base / "reana.yaml").write_text(SPEC)
    (base / "requirements.txt").write_text("numpy==2.1.0\n")
    return f"{folder}/reana.yaml"


async def connected(api: Any, sandbox: Any) -> str:
    status, body = await add_connection(api, sandbox, name=REANA)
    assert status == 201, body
    return REANA


async def run_with_inputs(
    api: Any, path: str, inputs: list[dict[str, Any]], **extra: Any
) -> tuple[int, dict[str, Any]]:
    body = {"connection": REANA, "path": path, "name": "loop", "openbisInputs": inputs, **extra}
    return await api("POST", "reana/run", body)


async def finished_job(api: Any, path: str, inputs: list[dict[str, Any]]) -> dict[str, Any]:
    status, job = await run_with_inputs(api, path, inputs)
    assert status == 202, job
    return await wait_for_job(api, job["id"])


async def workspace_names(api: Any, workflow: str) -> set[str]:
    status, listing = await api(
        "GET", f"reana/connections/{REANA}/workflows/{workflow}/workspace", size=100
    )
    assert status == 200, listing
    return {item["name"] for item in listing["items"]}


async def workflow_exists(api: Any, workflow: str) -> bool:
    status, body = await api("GET", f"reana/connections/{REANA}/workflows/{workflow}")
    return status == 200 and body.get("status") != "deleted"


def as_json(raw: bytes) -> dict[str, Any]:
    return json.loads(raw)
