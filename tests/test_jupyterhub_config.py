"""The README's JupyterHub example, loaded as JupyterHub loads it.

The `jupyterhub_config.py` block of the README section "Under JupyterHub" is executed into a
traitlets Config, handed to JupyterHub's own `Spawner`, and the environment and
arguments that spawner would give a user's server are what the extension starts with here:
the presets it lists, the debug level, where it keeps its data. Editing the example without
keeping it working fails this test.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from jupyter_server.serverapp import ServerApp
from jupyterhub.spawner import Spawner
from traitlets.config import Config

from reana_openbis_lab.app import ReanaOpenbisLab

README = Path(__file__).resolve().parents[1] / "README.md"
#: What an openBIS authenticator puts into the spawner's environment at login.
SESSION_TOKEN = "alice-241101120000000xCAFEBABE"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("### Under JupyterHub", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, "the JupyterHub section has no python example"
    return found.group(1)


def spawner(authenticated: bool = False) -> Spawner:
    """A spawner for user alice, configured by the README's example (as jupyterhub_config.py
    is: `c` in scope), with what an openBIS authenticator adds at login if `authenticated`."""
    config = Config()
    exec(readme_example(), {"c": config, "get_config": lambda: config})  # noqa: S102
    if authenticated:
        config.Spawner.environment = {
            **config.Spawner.environment,
            "OPENBIS_TOKEN": lambda s: SESSION_TOKEN,
        }
    return Spawner(
        config=config,
        user=SimpleNamespace(name="alice", escaped_name="alice", url="/user/alice/"),
        hub=SimpleNamespace(
            public_host="", api_url="http://127.0.0.1:8081/hub/api", base_url="/hub/"
        ),
    )


@pytest.fixture
def extension_config(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The user's server starts with the spawner's environment (the preset variables)."""
    for name in ("OPENBIS_TOKEN", "OPENBIS_USERNAME", "OPENBIS_PASSWORD", "REANA_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in spawner(authenticated=True).get_env().items():
        if name.startswith(("OPENBIS_", "REANA_SERVER_", "REANA_ACCESS_")):
            monkeypatch.setenv(name, value)
    return {}


async def test_the_spawner_environment_becomes_the_users_presets(api) -> None:
    # When alice's server lists its connections
    _, openbis = await api("GET", "openbis/connections")
    _, reana = await api("GET", "reana/connections")
    # Then the example's servers are there as presets, openBIS with her session from login
    preset = next(c for c in openbis["connections"] if c["name"] == "openbis")
    assert (preset["url"], preset["preset"], preset["auth"], preset["hasSecret"]) == (
        "https://openbis.example.org",
        True,
        "token",
        True,
    )
    default = next(c for c in reana["connections"] if c["name"] == "default")
    assert (default["url"], default["source"], default["hasToken"]) == (
        "https://reana.example.org",
        "env",
        False,
    )
    assert SESSION_TOKEN not in str(openbis)


def test_the_spawner_arguments_turn_debug_on() -> None:
    app = ServerApp()
    app.parse_command_line(spawner().get_args())
    assert app.log_level == logging.DEBUG


def test_data_lives_in_the_users_jupyter_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JUPYTER_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert ReanaOpenbisLab().data_dir == str(
        tmp_path / ".local" / "share" / "jupyter" / "reana_openbis_lab"
    )
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    assert ReanaOpenbisLab().data_dir == str(tmp_path / "data" / "reana_openbis_lab")
