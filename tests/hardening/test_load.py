"""50 concurrent clients x 200 seeded mixed requests (browse, list, status, small transfers)
against a server wired to both sandboxes: no 5xx, no connection error, no failed job. The
p99 latency is printed to the terminal, never asserted (timings belong to `make bench`).

Transfers are the costly part of the run (each is a job with threads, staging and a
manifest), so their number is fixed: one request in TRANSFER_PERIOD per client, half of
them openBIS downloads, half REANA workspace downloads (100 jobs), instead of a weighted
draw that made about 240. The run is bounded: the load process is killed after LOAD_LIMIT.
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

from tests.openbis.transfer_fixtures import openbis, seeded  # noqa: F401

from .load_client import transfer_numbers
from .support import (  # noqa: F401  (fixtures)
    CONNECTION,
    FINISHED_RUN,
    extension_config,
    wait_for_jobs,
)

CLIENTS = int(os.environ.get("HARDENING_LOAD_CLIENTS", "50"))
REQUESTS = int(os.environ.get("HARDENING_LOAD_REQUESTS", "200"))
SEED = int(os.environ.get("HARDENING_LOAD_SEED", "11"))
TRANSFER_PERIOD = int(os.environ.get("HARDENING_LOAD_TRANSFER_PERIOD", "100"))
#: Seconds the load process may run (about 60 s on two idle cores; a loaded, shared machine
#: has needed four times that).
LOAD_LIMIT = 600
OB = f"openbis/connections/{CONNECTION}"
RE = f"reana/connections/{CONNECTION}"


def mix(perm_id: str) -> list[list[Any]]:
    """[weight, method, path, body]: the reads, drawn by weight."""
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
    ]


def transfers(perm_id: str) -> list[list[Any]]:
    """[method, path, body]: the small transfers, taken in turn."""
    return [
        [
            "POST",
            "openbis/downloads",
            {"connection": CONNECTION, "permId": perm_id, "destination": "t{n}"},
        ],
        [
            "POST",
            f"{RE}/workflows/{FINISHED_RUN}/workspace/download",
            {"paths": ["reana.yaml"], "destination": "w{n}"},
        ],
    ]


@pytest.mark.timeout(LOAD_LIMIT + 300)  # the load, then up to 120 s of jobs, and set-up
async def test_fifty_clients_get_no_error(
    api,
    seeded,
    jp_serverapp,
    jp_http_port,
    jp_base_url,
    jp_root_dir: Path,
    tmp_path: Path,
    caplog,
    capsys,
) -> None:
    # (pytest-jupyter logs every request at DEBUG into pytest's capture: not what is measured)
    for logger in ("", jp_serverapp.log.name, "httpx", "httpcore", "urllib3", "pybis"):
        caplog.set_level(logging.WARNING, logger=logger)
    # Given the server logged in to both sandboxes, and a folder for each openBIS download
    for path in (f"{OB}/spaces", f"{RE}/workflows"):
        status, _ = await api("GET", path)
        assert status == 200
    numbers = transfer_numbers(CLIENTS, REQUESTS, TRANSFER_PERIOD)
    for n in numbers:
        (jp_root_dir / f"t{n}").mkdir()
    plan = {
        "base": f"http://127.0.0.1:{jp_http_port}{jp_base_url}reana-openbis-lab/",
        "token": jp_serverapp.identity_provider.token,
        "seed": SEED,
        "clients": CLIENTS,
        "requests": REQUESTS,
        "mix": mix(seeded.raw_measurement_2),
        "transfers": transfers(seeded.raw_measurement_2),
        "transfer_period": TRANSFER_PERIOD,
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    # When the clients run, from their own process
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.hardening.load_client",
        str(tmp_path / "plan.json"),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), LOAD_LIMIT)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail(f"the load did not finish in {LOAD_LIMIT} s")
    assert process.returncode == 0
    report = json.loads(output)
    jobs = await wait_for_jobs(api, timeout=120)
    with capsys.disabled():  # shown by `make test` too, not only with -s
        print(
            f"\nload: {report['requests']} requests from {CLIENTS} clients in {report['seconds']} s; "
            f"latency p50 {report['p50_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms; "
            f"{len(jobs)} transfer jobs; p50 by kind: {report['p50_ms_by_kind']}"
        )
    # Then every request was answered, none with an error, and every transfer arrived
    assert report["requests"] == CLIENTS * REQUESTS
    assert report["errors"] == [], report["errors"][:5]
    assert report["failures"] == [], report["failures"][:5]
    assert len(jobs) == len(numbers)
    assert [j for j in jobs if j["state"] != "done"] == []
    status, _ = await api("GET", "info")
    assert status == 200
