"""The extension's REST flows against a REANA server that is not ours (opt-in, never in CI).

Skipped unless `REANA_REAL_URL` and `REANA_REAL_TOKEN` name a server and a token, e.g. a
genuine reana-server brought up by hand beside the project. The same flows run against the
sandbox when the variables point at it, which is how the two were compared (README, "REANA
servers"). Flows that need Kubernetes (a run that actually executes) are not asserted: a
server without it fails every started run within seconds, and that is all we rely on.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from .reana_helpers import wait_for_job
from .spec_support import server_config

URL = os.environ.get("REANA_REAL_URL")
TOKEN = os.environ.get("REANA_REAL_TOKEN")
pytestmark = pytest.mark.skipif(
    not (URL and TOKEN),
    reason="set REANA_REAL_URL and REANA_REAL_TOKEN to run against a real REANA",
)

BASE = "reana/connections/real/workflows"
SPEC = """\
version: 0.9.0
inputs:
  files: [code/greet.py, data/names.txt]
  parameters:
    names: data/names.txt
    output: results/greetings.txt
workflow:
  type: serial
  specification:
    steps:
      - name: greet
        environment: docker.io/library/python:3.11-slim
        commands:
          - mkdir -p results && python code/greet.py ${names} ${output}
outputs:
  files: [results/greetings.txt]
"""


@pytest.fixture
def extension_config(reana_client_env: Path) -> dict[str, Any]:
    return server_config(reana_client_env)


async def connect(api: Any) -> None:
    """A connection named `real` to the server under test."""
    status, body = await api(
        "POST", "reana/connections", {"name": "real", "url": URL, "accessToken": TOKEN}
    )
    assert status == 201, body


@pytest.fixture
def real(jp_root_dir: Path) -> str:
    """The analysis folder; returns the spec's path."""
    folder = jp_root_dir / "analysis"
    (folder / "code").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "code" / "greet.py").write_text("import sys\nprint(open(sys.argv[1]).read())\n")
    (folder / "data" / "names.txt").write_text("Ada\nGrace\n")
    (folder / "reana.yaml").write_text(SPEC)
    return "analysis/reana.yaml"


async def _run(
    api: Any, path: str, name: str, route: str = "reana/run", **extra: Any
) -> dict[str, Any]:
    body = {"connection": "real", "path": path, "name": name, **extra}
    status, job = await api("POST", route, body)
    assert status == 202, job
    return await wait_for_job(api, job["id"])


async def _settled(api: Any, workflow: str) -> dict[str, Any]:
    for _ in range(300):
        status, run = await api("GET", f"{BASE}/{workflow}")
        assert status == 200, run
        if run["status"] not in ("queued", "pending", "running"):
            return run
        await asyncio.sleep(0.2)
    raise AssertionError(f"{workflow} did not settle")


async def test_connection_shows_the_server(api, real):
    await connect(api)
    _, listed = await api("GET", "reana/connections")
    [connection] = [c for c in listed["connections"] if c["name"] == "real"]
    assert connection["api"]["version"]
    assert connection["account"]["email"]


async def test_run_names_the_run_and_details_read_as_real_reana_writes_them(api, real):
    await connect(api)
    name = f"real-{uuid.uuid4().hex[:6]}"
    done = await _run(api, real, name, parameters={"names": "data/names.txt"})
    assert done["state"] == "done", done
    workflow = done["result"]["workflowName"]
    assert workflow.startswith(f"{name}.")
    run = await _settled(api, workflow)
    assert run["parameters"]["output"] == "results/greetings.txt"  # declared
    assert isinstance(run["inputParameters"], dict)  # what start was given
    assert run["size"] is None or run["size"]["raw"] >= 0
    # a settled run is offered Restart only when finished or failed; REANA agrees
    if run["status"] in ("finished", "failed"):
        status, restarted = await api("POST", f"{BASE}/{run['id']}/start", {"restart": True})
        assert status == 200, restarted
        assert restarted["name"] == f"{workflow}.1"
    # the unfiltered list leaves deleted runs out
    status, deleted = await api("DELETE", f"{BASE}/{run['id']}", allRuns="true")
    assert status == 200, deleted
    _, page = await api("GET", BASE, search=name)
    assert all(item["status"] != "deleted" for item in page["items"])


async def test_refusals_read_well(api, real):
    await connect(api)
    name = f"refused-{uuid.uuid4().hex[:6]}"
    done = await _run(api, real, name, route="reana/create")
    workflow = done["result"]["workflowId"]
    # a created run is not running: REANA's 409
    status, body = await api("POST", f"{BASE}/{workflow}/stop", {})
    assert status == 409 and "not running" in body["message"]
    # an unknown option: REANA's 400, without reana-client's prefix
    status, body = await api(
        "POST", f"{BASE}/{workflow}/start", {"operationalOptions": {"NOSUCHOPT": "x"}}
    )
    assert status == 400 and "==>" not in body["message"]
    # an unknown run: always 404, whichever of REANA's answers comes first
    for _ in range(10):
        status, _body = await api("GET", f"{BASE}/nosuch-{uuid.uuid4().hex[:6]}")
        assert status == 404
    await api("DELETE", f"{BASE}/{workflow}")


async def test_a_larger_upload_is_not_reported_failed(api, real, jp_root_dir: Path):
    await connect(api)
    done = await _run(api, real, f"upload-{uuid.uuid4().hex[:6]}", route="reana/create")
    workflow = done["result"]["workflowId"]
    (jp_root_dir / "big.bin").write_bytes(os.urandom(20 * 2**20))
    status, job = await api("POST", f"{BASE}/{workflow}/workspace/upload", {"sources": ["big.bin"]})
    assert status == 202, job
    finished = await wait_for_job(api, job["id"])
    assert finished["state"] == "done", finished
    await api("DELETE", f"{BASE}/{workflow}")
