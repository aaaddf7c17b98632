"""The real reana-client 0.9.6 CLI, unmodified, drives the REANA sandbox through a workflow's whole life."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from reana_openbis_lab_sandbox.handle import Sandbox

from .reana_client_cli import ReanaClient

SERIAL_SPEC = """\
version: 0.9.0
inputs:
  files:
    - code/greet.py
    - data/names.txt
  parameters:
    greeting: hello
{extra_parameters}
workflow:
  type: serial
  specification:
    steps:
      - name: prepare
        environment: 'docker.io/library/python:3.11-slim'
        commands:
          - mkdir -p results
      - name: greet
        environment: 'docker.io/library/python:3.11-slim'
        commands:
          - {command}
outputs:
  files:
    - results/greetings.txt
  directories:
    - results/plots
"""


def write_analysis(
    directory: Path,
    *,
    command: str = "python code/greet.py ${greeting} > results/greetings.txt",
    extra_parameters: str = "",
) -> Path:
    """A serial analysis with its inputs, as a scientist would have it on disk."""
    (directory / "code").mkdir(parents=True, exist_ok=True)
    (directory / "data").mkdir(exist_ok=True)
    (directory / "code" / "greet.py").write_text("import sys\nprint(sys.argv[1])\n")
    (directory / "data" / "names.txt").write_text("Ada\nGrace\n")
    spec = directory / "reana.yaml"
    spec.write_text(
        SERIAL_SPEC.format(
            command=command, extra_parameters=textwrap.indent(extra_parameters, "    ")
        )
    )
    return spec


@pytest.fixture
def client(reana_client_env: Path, rol_sandbox: Sandbox, tmp_path: Path) -> ReanaClient:
    return ReanaClient(reana_client_env, rol_sandbox, tmp_path)


def test_ping_info_and_quota_describe_the_sandbox(
    client: ReanaClient, rol_sandbox: Sandbox
) -> None:
    # When
    ping = client.ok("ping")
    info = client.ok("info")
    quota = client.ok("quota-show", "--resource", "disk", "--report", "usage")
    # Then
    assert "Connected" in ping
    assert rol_sandbox.state["reana"]["user_email"] in ping
    assert "kubernetes" in info
    assert quota.strip().isdigit()


def test_an_injected_server_error_reaches_reana_client(
    client: ReanaClient, rol_sandbox: Sandbox
) -> None:
    # Given
    rol_sandbox.set_faults(
        "reana",
        [{"path": "^/api/workflows$", "status": 500, "body": '{"message": "disk on fire"}'}],
    )
    # When
    failed = client.run("list")
    rol_sandbox.clear_faults("reana")
    recovered = client.run("list")
    # Then
    assert failed.returncode == 1 and "disk on fire" in failed.stdout + failed.stderr
    assert recovered.returncode == 0


def test_a_bad_token_is_reported_as_an_error(
    reana_client_env: Path, rol_sandbox: Sandbox, tmp_path: Path
) -> None:
    # Given
    intruder = ReanaClient(reana_client_env, rol_sandbox, tmp_path, token="not-the-token")
    # When
    ping = intruder.run("ping")
    listing = intruder.run("list")
    # Then
    assert "INVALID ACCESS TOKEN" in ping.stdout + ping.stderr
    assert listing.returncode == 1
    assert "Token not valid." in listing.stdout + listing.stderr  # reana-server's words


def test_list_pages_filters_by_status_and_searches_by_name(client: ReanaClient) -> None:
    # When
    first = client.rows("list", "--size", "2", "--page", "1")
    second = client.rows("list", "--size", "2", "--page", "2")
    failed = client.rows("list", "--filter", "status=failed")
    searched = client.rows("list", "--filter", "name=demo-stop")
    everything = client.rows("list", "--all")
    # Then
    assert len(first) == 2 and len(second) == 2
    assert {r["name"] for r in first}.isdisjoint({r["name"] for r in second})
    assert failed and {r["status"] for r in failed} == {"failed"}
    assert [(r["name"], r["status"]) for r in searched] == [("demo-stopped", "stopped")]
    assert "deleted" in {r["status"] for r in everything}
    assert "deleted" not in {r["status"] for r in client.rows("list")}
    assert client.ok("list", "--sessions").strip().splitlines()[0].split()[0] == "NAME"


def test_a_serial_workflow_runs_from_create_to_download(
    client: ReanaClient, tmp_path: Path
) -> None:
    # Given
    spec = write_analysis(tmp_path)
    # When
    name = client.create("greetings", spec)
    client.ok("upload", "-w", name)
    client.ok("start", "-w", name, "-p", "greeting=bonjour")
    status = client.wait_status(name)
    # Then
    assert name.startswith("greetings.")
    assert status == "finished"
    logs = client.ok("logs", "-w", name)
    assert "Step: greet" in logs and "python code/greet.py" in logs
    second_job = json.loads(client.ok("logs", "-w", name, "--json", "--page", "2", "--size", "1"))
    assert [job["job_name"] for job in second_job["job_logs"].values()] == ["greet"]
    files = {row["name"] for row in client.rows("ls", "-w", name)}
    assert {"reana.yaml", "code/greet.py", "data/names.txt", "results/greetings.txt"} <= files
    assert "results/plots/result.txt" in files
    client.ok("download", "-w", name, "results/greetings.txt", "-o", str(tmp_path / "out"))
    assert (tmp_path / "out" / "greetings.txt").read_text().startswith("results/greetings.txt")
    usage = client.ok("du", "-w", name, "--summarize")
    assert usage.splitlines()[0].split() == ["SIZE", "NAME"]


def test_a_step_that_exits_1_fails_the_run(client: ReanaClient, tmp_path: Path) -> None:
    # Given
    spec = write_analysis(tmp_path, command="python code/greet.py hi && exit 1")
    name = client.create("doomed", spec)
    client.ok("upload", "-w", name)
    # When
    client.ok("start", "-w", name)
    status = client.wait_status(name)
    # Then
    assert status == "failed"
    assert "Status: failed" in client.ok("logs", "-w", name, "--filter", "step=greet")


def test_a_slow_running_workflow_can_be_stopped(client: ReanaClient, tmp_path: Path) -> None:
    # Given
    spec = write_analysis(tmp_path, extra_parameters="sandbox_step_seconds: 600\n")
    name = client.create("slow", spec)
    client.ok("start", "-w", name)
    assert client.wait_status(name, ("running",)) == "running"
    # When
    client.ok("stop", "-w", name, "--force")
    # Then
    assert client.rows("status", "-w", name)[0]["status"] == "stopped"


def test_files_can_be_removed_and_the_run_deleted(client: ReanaClient, tmp_path: Path) -> None:
    # Given
    spec = write_analysis(tmp_path)
    name = client.create("disposable", spec)
    client.ok("upload", "-w", name)
    # When
    client.ok("rm", "-w", name, "data/names.txt")
    client.ok("mv", "-w", name, "code/greet.py", "code/hello.py")
    remaining = {row["name"] for row in client.rows("ls", "-w", name)}
    client.ok("delete", "-w", name)
    # Then
    assert "data/names.txt" not in remaining
    assert "code/hello.py" in remaining and "code/greet.py" not in remaining
    deleted = client.rows("list", "--all", "--filter", "name=disposable")
    assert [r["status"] for r in deleted] == ["deleted"]


def test_run_follows_to_the_outputs_and_prune_keeps_declared_files(
    client: ReanaClient, tmp_path: Path
) -> None:
    # Given
    spec = write_analysis(tmp_path)
    # When
    followed = client.ok("run", "-w", "followed", "-f", str(spec), "--follow")
    client.ok("prune", "-w", "followed")
    remaining = {row["name"] for row in client.rows("ls", "-w", "followed")}
    rules = client.ok("retention-rules-list", "-w", "followed")
    # Then
    assert "has finished" in followed
    assert "/workspace/results/greetings.txt" in followed
    assert "reana.yaml" not in remaining
    assert {"code/greet.py", "data/names.txt", "results/greetings.txt"} <= remaining
    assert rules.split()[:2] == ["WORKSPACE_FILES", "RETENTION_DAYS"]


def test_a_finished_run_restarts_as_a_numbered_rerun(client: ReanaClient, tmp_path: Path) -> None:
    # Given
    spec = write_analysis(tmp_path)
    name = client.create("rerun", spec)
    client.ok("upload", "-w", name)
    client.ok("start", "-w", name)
    assert client.wait_status(name) == "finished"
    # When
    restarted = client.ok("restart", "-w", name)
    # Then
    assert f"{name}.1 has been queued" in restarted
    assert client.wait_status(f"{name}.1") == "finished"
    runs = {row["run_number"] for row in client.rows("list", "--filter", "name=rerun")}
    assert {"1", "1.1"} <= runs
