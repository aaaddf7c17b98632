"""pytest fixtures that run the sandbox servers in a child process for the whole session.

Opt-in: a test suite lists `reana_openbis_lab_sandbox.pytest_plugin` in its conftest's
`pytest_plugins`; installing the package registers nothing. The fixtures carry the `rol_`
prefix (reana_openbis_lab) so they cannot clash with another plugin's:

- `rol_sandbox_server` (session): the started `SandboxProcess`'s state; HTTP.
- `rol_sandbox` (function): a `Sandbox` handle (URLs, credentials, `set_faults`,
  `clear_faults`, `expire_openbis_sessions`); faults are cleared after every test.
- `rol_sandbox_tls` (session): the same over HTTPS with a certificate made at start (`.ca_cert`).

The openBIS part and SFTP run when their modules import; the plugin itself needs neither
asyncssh nor the openBIS sandbox to load. `REANA_OPENBIS_LAB_SANDBOX_ONLY=reana` (or
`openbis`) runs one server only, for a quicker focused test run;
`REANA_OPENBIS_LAB_SANDBOX_REANA_API=0.95` makes the REANA sandbox speak the 0.95 protocol.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

from .handle import Sandbox
from .process import SandboxProcess

#: Environment variable that restricts the sandbox to one server ("openbis" or "reana").
ONLY_ENV = "REANA_OPENBIS_LAB_SANDBOX_ONLY"
#: Environment variable that picks the REANA sandbox's protocol ("0.9", the default, or "0.95").
REANA_API_ENV = "REANA_OPENBIS_LAB_SANDBOX_REANA_API"
#: Seconds per phase of a simulated REANA run in tests: quick, yet slow enough to watch.
TEST_WORKFLOW_SPEED = "0.2"


def _available(module: str, *names: str) -> bool:
    """Whether `module` imports and has `names`; a half-written part is treated as absent."""
    try:
        loaded = importlib.import_module(module)
    except ImportError:
        return False
    return all(hasattr(loaded, name) for name in names)


def sandbox_arguments(*, tls: bool) -> list[str]:
    arguments = ["--workflow-speed", TEST_WORKFLOW_SPEED]
    if os.environ.get(REANA_API_ENV):
        arguments += ["--reana-api", os.environ[REANA_API_ENV]]
    only = os.environ.get(ONLY_ENV) or None
    if only is None and not _available(
        "reana_openbis_lab_sandbox.openbis", "make_app", "OpenbisStore"
    ):
        only = "reana"
    if only:
        arguments += ["--only", only]
    if (
        only != "reana"
        and _available("asyncssh")
        and _available("reana_openbis_lab_sandbox.sftp", "start_sftp_server")
    ):
        arguments.append("--sftp")
    if tls:
        arguments.append("--tls")
    return arguments


def _run(
    tmp_path_factory: pytest.TempPathFactory, name: str, *, tls: bool
) -> Iterator[dict[str, Any]]:
    process = SandboxProcess(sandbox_arguments(tls=tls), workdir=tmp_path_factory.mktemp(name))
    state = process.start()
    try:
        yield state
    finally:
        process.stop()


@pytest.fixture(scope="session")
def rol_sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    yield from _run(tmp_path_factory, "sandbox", tls=False)


@pytest.fixture
def rol_sandbox(rol_sandbox_server: dict[str, Any]) -> Iterator[Sandbox]:
    handle = Sandbox(rol_sandbox_server)
    yield handle
    for server in handle.servers():
        handle.clear_faults(server)
    if "reana" in handle.servers():
        handle.reset_reana_account()


@pytest.fixture(scope="session")
def rol_sandbox_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    for state in _run(tmp_path_factory, "sandbox-tls", tls=True):
        yield Sandbox(state)
