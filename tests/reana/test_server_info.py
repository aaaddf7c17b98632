"""Server information (/api/info): what the server offers, shown where it helps, and a spec
checked against its limits before anything is sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab.reana import server_info

from .reana_helpers import wait_for_job
from .recorded_answers import answer
from .spec_support import server_config
from .test_run import analysis, connected, workflow_count

INFO = {
    "compute_backends": {"value": ["kubernetes", "htcondorcern"]},
    "kubernetes_max_memory_limit": {"value": "4Gi"},
    "maximum_kubernetes_jobs_timeout": {"value": "3600"},
    "maximum_workspace_retention_period": {"value": "30"},
    "supported_workflow_engines": {"value": ["serial", "cwl"]},
    "vetted_container_images_enabled": {"value": "True"},
    "vetted_container_images_allowlist": {"value": ["docker.io/library/python:3.12-slim"]},
}


def serial(**step: Any) -> dict[str, Any]:
    base = {"name": "fit", "environment": "python:3.12-slim", "commands": ["true"]}
    return {"workflow": {"type": "serial", "specification": {"steps": [{**base, **step}]}}}


def long_kept(step_extra: str = "") -> str:
    """A serial spec that keeps its logs 90 days; `step_extra` adds lines to its one step."""
    return (
        "version: 0.9.0\nworkflow:\n  type: serial\n  specification:\n    steps:\n"
        f"      - environment: python:3.12-slim\n{step_extra}"
        '        commands: ["true"]\nworkspace:\n  retention_days:\n    logs/*: 90\n'
    )


@pytest.fixture
def extension_config(reana_client_env: Path) -> dict[str, Any]:
    return server_config(reana_client_env)


def test_the_real_servers_answers_read_into_one_shape():
    old = server_info.summary(answer("reana-0.9.4", "02-info"))
    assert old["engines"] is None  # 0.9.4 does not say
    assert old["retentionDays"] is None  # "forever"
    assert old["jobs"]["maximumTimeout"] == 1_209_600
    assert old["images"] == {"recommended": [], "vettedOnly": False}
    new = server_info.summary(answer("reana-0.95", "02-info"))
    assert new["engines"] == ["cwl", "serial", "snakemake", "yadage"]
    assert new["computeBackends"] == ["kubernetes"]
    assert new["jobs"]["defaultMemoryLimit"] == "4Gi"
    assert new["images"]["recommended"] == ["quay.io/jupyter/scipy-notebook:notebook-7.2.2"]
    assert {e["key"] for e in new["entries"]} >= {"dask_enabled", "kubernetes_min_user_uid"}


def test_a_spec_within_the_limits_has_no_problems():
    assert server_info.problems(serial(kubernetes_memory_limit="2Gi"), INFO) == []
    # Servers that name no limits check nothing
    assert server_info.problems(serial(kubernetes_memory_limit="64Gi"), {}) == []


def test_each_limit_the_server_would_refuse_is_named():
    found = server_info.problems(
        {
            **serial(
                kubernetes_memory_limit="8Gi",
                kubernetes_job_timeout=7200,
                compute_backend="slurmcern",
                environment="ghcr.io/me/private:1",
            ),
            "workspace": {"retention_days": {"**/*.tmp": 30, "../x": 1}},
        },
        INFO,
    )
    text = "\n".join(found)
    assert "asks for 8Gi of memory; this server allows at most 4Gi" in text
    assert "job timeout of 7200 s; this server allows at most 3600 s" in text
    assert "compute backend 'slurmcern'" in text
    assert "'ghcr.io/me/private:1', which this server does not run" in text
    assert "at most 30 days (use less than 30)" in text
    assert "'../x' must be a pattern relative to the workspace" in text
    engine = server_info.problems({"workflow": {"type": "yadage"}}, INFO)
    assert engine == ["This server runs serial, cwl workflows, not yadage"]
    memory = server_info.problems(serial(kubernetes_memory_limit="lots"), INFO)
    assert "is not a memory size" in memory[0]


def test_memory_quantities_are_kubernetes_ones():
    assert server_info.memory_bytes("4Gi") == 4 * 2**30
    assert server_info.memory_bytes("500M") == 500 * 10**6
    assert server_info.memory_bytes("1.5Gi") == int(1.5 * 2**30)
    assert server_info.memory_bytes("4GB") is None


async def test_info_route_and_spec_limits_route(api, rol_sandbox, jp_root_dir):
    # Given a server that keeps files at most 30 days and a spec asking 90 for its logs
    rol_sandbox.set_reana_account(retentionDays=30)
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir, long_kept("        kubernetes_memory_limit: 64Gi\n"), "limits")
    # When the server's information and the spec's check are asked for
    status, info = await api("GET", f"reana/connections/{connection}/info")
    assert status == 200, info
    assert info["retentionDays"] == 30 and info["computeBackends"] == ["kubernetes"]
    status, checked = await api(
        "POST", f"reana/connections/{connection}/spec-limits", {"path": path}
    )
    # Then each thing the server would refuse is named, before anything is sent
    assert status == 200, checked
    text = "\n".join(checked["problems"])
    assert "keeps files 90 days" in text and "64Gi of memory" in text
    assert checked["server"]["jobs"]["maximumMemoryLimit"] == "10Gi"


async def test_a_run_beyond_the_limits_is_refused_before_anything_is_created(
    api, rol_sandbox, jp_root_dir
):
    rol_sandbox.set_reana_account(retentionDays=30)
    connection = await connected(api, rol_sandbox)
    path = analysis(jp_root_dir, long_kept(), folder="too-long")
    before = await workflow_count(api, connection)
    status, job = await api("POST", "reana/run", {"connection": connection, "path": path})
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "failed" and job["errorCode"] == "server_limits", job
    assert "use less than 30" in job["error"]
    assert job["details"]["failedStep"] == "load"
    assert await workflow_count(api, connection) == before
