"""What the hardening suites share: a server wired to both sandboxes, the contract's operations,
file-system snapshots, and job waiting.

Test modules import the fixtures they use (pytest finds fixtures in a module's namespace).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_contract import METHODS, load_contract

#: The name of both preset connections (openBIS and REANA) of the hardening server.
CONNECTION = "lab"
#: Environment variables the presets take their secrets from.
REANA_TOKEN_VARIABLE = "HARDENING_REANA_TOKEN"
OPENBIS_PASSWORD_VARIABLE = "HARDENING_OPENBIS_PASSWORD"
#: A finished run of the REANA sandbox's seed, with files in its workspace.
FINISHED_RUN = "demo-finished.1"
#: Where the sandbox's collection of uploads lives.
COLLECTION = "/LAB_A/MICROSCOPY/IMAGING_2024"
MUTATIONS = ("post", "put", "patch", "delete")


def lab_config(sandbox: Any, reana_client_env: Path, monkeypatch: Any) -> dict[str, Any]:
    """Presets for both sandboxes (the extension logs in by itself) and short upstream timeouts."""
    monkeypatch.setenv(REANA_TOKEN_VARIABLE, sandbox.reana_token)
    monkeypatch.setenv(OPENBIS_PASSWORD_VARIABLE, sandbox.openbis_users["alice"])
    return {
        "openbis_connections": [
            {
                "name": CONNECTION,
                "url": sandbox.openbis_url,
                "username": "alice",
                "password_env": OPENBIS_PASSWORD_VARIABLE,
            }
        ],
        "reana_servers": {
            CONNECTION: {"url": sandbox.reana_url, "access_token_env": REANA_TOKEN_VARIABLE}
        },
        "reana_client_env": str(reana_client_env),
        "openbis_timeout": 5.0,
        "reana_timeout": 5.0,
    }


@pytest.fixture
def extension_config(rol_sandbox: Any, reana_client_env: Path, monkeypatch: Any) -> dict[str, Any]:
    return lab_config(rol_sandbox, reana_client_env, monkeypatch)


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path template, verb, operation) for every operation of openapi.yaml, in file order."""
    for template, item in load_contract()["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield template, method, operation


def fill_template(template: str, values: dict[str, str]) -> str:
    """`/a/{name}/b` with `name` from `values` (an id of 32 zeros for unknown parameters)."""
    return re.sub(r"\{([^}]+)\}", lambda m: values.get(m.group(1), "0" * 32), template)


def snapshot(directory: Path) -> dict[str, tuple[int, float]]:
    """(size, mtime) of every entry below `directory` (links not followed), to prove nothing changed."""
    result: dict[str, tuple[int, float]] = {}
    if not directory.exists():
        return result
    for path in directory.rglob("*"):
        stat = path.lstat()
        result[path.relative_to(directory).as_posix()] = (stat.st_size, stat.st_mtime)
    return result


async def wait_for_jobs(api: Any, timeout: float = 30.0) -> list[dict[str, Any]]:
    """Every job of the server once none is queued or running any more."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        status, body = await api("GET", "jobs")
        assert status == 200
        jobs = body["jobs"]
        if all(j["state"] in ("done", "failed", "cancelled") for j in jobs):
            return jobs
        assert asyncio.get_running_loop().time() < deadline, jobs
        await asyncio.sleep(0.05)
