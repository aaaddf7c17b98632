"""The extension's REST flows against a REANA server that is not ours (opt-in, never in CI).

Skipped unless `REANA_REAL_URL` and `REANA_REAL_TOKEN` name a server and a token, e.g. a
genuine reana-server brought up by hand beside the project. The same flows run against the
sandbox when the variables point at it, which is how the two were compared (README, "REANA
servers"). Which server it is, is the caller's choice:

- `REANA_REAL_VERSION` (e.g. `0.9.4`, `0.95.0a6`): the version the server must report, so a
  run against the wrong one fails at once instead of proving nothing;
- `REANA_REAL_RUNS=1`: runs execute there (a workflow engine, or something that publishes its
  status messages, is behind the server); the flows that need a run to run, finish, write
  outputs and be stopped are asserted then. Without it, a server without Kubernetes fails
  every started run within seconds, and that is all the other flows rely on.
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
VERSION = os.environ.get("REANA_REAL_VERSION")
RUNS = os.environ.get("REANA_REAL_RUNS") == "1"
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
    assert connection["account"]["email"]
    if VERSION:
        assert connection["account"]["serverVersion"] == VERSION


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


SLOW = """\
version: 0.9.0
inputs:
  parameters:
    sandbox_step_seconds: 60
workflow:
  type: serial
  specification:
    steps:
      - name: wait
        environment: docker.io/library/python:3.11-slim
        commands:
          - sleep ${sandbox_step_seconds}
"""


@pytest.mark.skipif(not RUNS, reason="set REANA_REAL_RUNS=1 when runs execute on that server")
async def test_a_run_runs_writes_its_outputs_and_is_downloaded(api, real, jp_root_dir: Path):
    await connect(api)
    done = await _run(api, real, f"ran-{uuid.uuid4().hex[:6]}")
    assert done["state"] == "done", done
    workflow = done["result"]["workflowName"]
    run = await _settled(api, workflow)
    assert run["status"] == "finished", run
    # the job's log, as the engine recorded it
    status, logs = await api("GET", f"{BASE}/{run['id']}/logs")
    assert status == 200, logs
    assert [job["name"] for job in logs["jobs"]] == ["greet"]
    # the declared output and the provenance record are in the workspace
    status, files = await api("GET", f"{BASE}/{run['id']}/workspace")
    names = {item["name"] for item in files["items"]}
    assert {"results/greetings.txt", "provenance/run.json"} <= names, names
    # and download as reana-client's, keeping their folders
    status, job = await api(
        "POST",
        f"{BASE}/{run['id']}/workspace/download",
        {"paths": ["results/greetings.txt"], "destination": "fetched"},
    )
    assert status == 202, job
    assert (await wait_for_job(api, job["id"]))["state"] == "done"
    assert (jp_root_dir / "fetched" / "results" / "greetings.txt").is_file()
    await api("DELETE", f"{BASE}/{run['id']}", allRuns="true")


@pytest.mark.skipif(not RUNS, reason="set REANA_REAL_RUNS=1 when runs execute on that server")
async def test_a_running_run_stops_and_a_stopped_one_is_not_restarted(api, jp_root_dir: Path):
    await connect(api)
    (jp_root_dir / "slow").mkdir()
    (jp_root_dir / "slow" / "reana.yaml").write_text(SLOW)
    done = await _run(api, "slow/reana.yaml", f"stop-{uuid.uuid4().hex[:6]}")
    workflow = done["result"]["workflowName"]
    for _ in range(300):
        _, run = await api("GET", f"{BASE}/{workflow}")
        if run["status"] == "running":
            break
        await asyncio.sleep(0.2)
    assert run["status"] == "running", run
    # the stop body every server accepts (0.95.0a6 answers 422 to any field)
    status, body = await api("POST", f"{BASE}/{run['id']}/stop", {})
    assert status == 200, body
    run = await _settled(api, workflow)
    assert run["status"] == "stopped"
    # REANA restarts only finished or failed runs
    status, body = await api("POST", f"{BASE}/{run['id']}/start", {"restart": True})
    assert status in (403, 409), body
    await api("DELETE", f"{BASE}/{run['id']}", allRuns="true")


async def test_server_info_quota_and_retention_read(api, real):
    await connect(api)
    # /api/info as the deployment declares it (0.95.0a6 has about 20 more entries)
    status, info = await api("GET", "reana/connections/real/info")
    assert status == 200, info
    # the account's quota: REANA may report usage without limits or health
    _, listed = await api("GET", "reana/connections")
    [connection] = [c for c in listed["connections"] if c["name"] == "real"]
    assert connection["account"]["email"]
    # a run's detail reads, retention rules included where the server has them
    done = await _run(api, real, f"kept-{uuid.uuid4().hex[:6]}", route="reana/create")
    status, run = await api("GET", f"{BASE}/{done['result']['workflowId']}")
    assert status == 200, run
    await api("DELETE", f"{BASE}/{run['id']}")
