"""The real reana-client 0.95.0a6 accepts the sandbox's 0.95 mode, as 0.9.6 accepts the 0.9 one.

reana-client 0.95.0a6 (its own test-only environment, made by `make test`) refuses servers
without `workflow-specification-bundles-v1`, creates and validates from bundles, restarts
with a replacement, authenticates with Bearer tokens and keeps its servers in a config
file (no REANA_SERVER_URL): each test gets its own HOME, a saved and selected server, and
passes the token with `-t`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reana_openbis_lab_sandbox.handle import Sandbox

from .reana_client_cli import Client095

#: Where `make test` puts reana-client 0.95.0a6 (REANA_CLIENT_095_ENV overrides it).
DEFAULT_ENV = Path.home() / ".local/share/jupyter/reana_openbis_lab/reana-client-0.95-env"
SPEC = """\
version: 0.9.0
inputs:
  files: [data/names.txt]
  parameters:
    names: data/names.txt
workflow:
  type: serial
  specification:
    steps:
      - name: greet
        environment: docker.io/library/python:3.11-slim
        commands:
          - cat ${names}
outputs:
  files: [data/names.txt]
"""


@pytest.fixture(scope="module")
def client_env() -> Path:
    env = Path(os.environ.get("REANA_CLIENT_095_ENV") or DEFAULT_ENV)
    if not (env / "bin" / "reana-client").exists():
        pytest.fail(f"reana-client 0.95.0a6 missing at {env}: run `make test`", pytrace=False)
    return env


@pytest.fixture
def client(client_env: Path, reana095: Sandbox, tmp_path: Path) -> Client095:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "names.txt").write_text("Ada\n")
    (tmp_path / "reana.yaml").write_text(SPEC)
    return Client095(client_env, reana095, tmp_path / "home", tmp_path)


def test_ping_sees_an_authenticated_bundle_server(client: Client095) -> None:
    output = client.ok("ping")
    assert "0.95.0a7" in output and "alice@example.org" in output


def test_validate_runs_on_the_server(client: Client095) -> None:
    assert "Valid REANA specification file" in client.ok("validate")


def test_a_run_goes_from_bundle_create_to_outputs_and_restarts(client: Client095) -> None:
    # create (a bundle), upload, start, follow, download: the whole 0.95 protocol
    assert "hello.1" in client.ok("create", "-n", "hello")
    client.ok("upload", "-w", "hello.1")
    client.ok("start", "-w", "hello.1", "--follow")
    assert "finished" in client.ok("status", "-w", "hello.1")
    client.ok("download", "-w", "hello.1", "data/names.txt", "-o", "out")
    assert "hello.1" in (client.cwd / "out" / "names.txt").read_text()  # the run's output
    # restart with a replacement specification (POST .../restart)
    client.ok("restart", "-w", "hello.1", "-f", "reana.yaml")
    assert "hello" in client.ok("list")
    client.ok("delete", "-w", "hello.1", "--include-all-runs")


def test_a_stop_from_reana_client_is_accepted(client: Client095) -> None:
    (client.cwd / "reana.yaml").write_text(
        SPEC.replace(
            "names: data/names.txt", "names: data/names.txt\n    sandbox_step_seconds: '60'"
        )
    )
    client.ok("create", "-n", "slow")
    client.ok("start", "-w", "slow.1")
    for _ in range(100):
        if "running" in client.ok("status", "-w", "slow.1"):
            break
    # reana-client's --force sends no body at all: the same plain stop the extension sends
    client.ok("stop", "-w", "slow.1", "--force")
    assert "stopped" in client.ok("status", "-w", "slow.1")
