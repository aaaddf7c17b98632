"""50 concurrent clients x 200 seeded mixed requests (browse, list, status, small transfers)
against a server wired to both sandboxes: no 5xx, no connection error, no failed job. The
p99 latency is printed, never asserted (timings belong to `make bench`).
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab.tests.openbis.transfer_fixtures import openbis, seeded  # noqa: F401

from .support import (  # noqa: F401  (fixtures)
    CONNECTION,
    FINISHED_RUN,
    extension_config,
    wait_for_jobs,
)

CLIENTS = int(os.environ.get("HARDENING_LOAD_CLIENTS", "50"))
REQUESTS = int(os.environ.get("HARDENING_LOAD_REQUESTS", "200"))
SEED = int(os.environ.get("HARDENING_LOAD_SEED", "11"))
OB = f"openbis/connections/{CONNECTION}"
RE = f"reana/connections/{CONNECTION}"


def mix(perm_id: str) -> list[list[Any]]:
    """[weight, method, path, body]: mostly reads, one request in ~40 a small transfer."""
    return [
        [10, "GET", "info", None],
        [10, "GET", "jobs", None],
        [6, "GET", "openbis/connections", None],
        [6, "GET", "reana/connections", None],
        [8, "GET", f"{OB}/spaces", None],
        [6, "GET", f"{OB}/projects?count=10", None],
        [6, "GET", f"{OB}/collections?count=10", None],
        [4, "GET", f"{OB}/datasets/{perm_id}/files", None],
        [4, "GET", f"{OB}/status", None],
        [8, "GET", f"{RE}/workflows?size=10", None],
        [4, "GET", f"{RE}/workflows/{FINISHED_RUN}", None],
        [4, "GET", f"{RE}/workflows/{FINISHED_RUN}/workspace?size=10", None],
        [4, "GET", "openbis/manifest?path=", None],
        [
            1,
            "POST",
            "openbis/downloads",
            {"connection": CONNECTION, "permId": perm_id, "destination": "t{n}"},
        ],
        [
            1,
            "POST",
            f"{RE}/workflows/{FINISHED_RUN}/workspace/download",
            {"paths": ["reana.yaml"], "destination": "w{n}"},
        ],
    ]


@pytest.mark.timeout(900)  # ~60 s on two idle cores; far longer on a shared, loaded machine
async def test_fifty_clients_get_no_error(
    api, seeded, jp_serverapp, jp_http_port, jp_base_url, jp_root_dir: Path, tmp_path: Path, caplog
) -> None:
    # (pytest-jupyter logs every request at DEBUG into pytest's capture: not what is measured)
    for logger in ("", jp_serverapp.log.name, "httpx", "httpcore", "urllib3", "pybis"):
        caplog.set_level(logging.WARNING, logger=logger)
    # Given the server logged in to both sandboxes, and a folder for every possible download
    for path in (f"{OB}/spaces", f"{RE}/workflows"):
        status, _ = await api("GET", path)
        assert status == 200
    for n in range(CLIENTS * REQUESTS):
        (jp_root_dir / f"t{n}").mkdir()
    plan = {
        "base": f"http://127.0.0.1:{jp_http_port}{jp_base_url}reana-openbis-lab/",
        "token": jp_serverapp.identity_provider.token,
        "seed": SEED,
        "clients": CLIENTS,
        "requests": REQUESTS,
        "mix": mix(seeded.raw_measurement_2),
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    # When the clients run, from their own process
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "reana_openbis_lab.tests.hardening.load_client",
        str(tmp_path / "plan.json"),
        stdout=asyncio.subprocess.PIPE,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0
    report = json.loads(output)
    jobs = await wait_for_jobs(api, timeout=120)
    print(
        f"\nload: {report['requests']} requests from {CLIENTS} clients in {report['seconds']} s; "
        f"latency p50 {report['p50_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms; "
        f"{len(jobs)} transfer jobs; p50 by kind: {report['p50_ms_by_kind']}"
    )
    # Then every request was answered, none with an error, and every transfer arrived
    assert report["requests"] == CLIENTS * REQUESTS
    assert report["errors"] == [], report["errors"][:5]
    assert report["failures"] == [], report["failures"][:5]
    assert [j for j in jobs if j["state"] != "done"] == []
    status, _ = await api("GET", "info")
    assert status == 200
