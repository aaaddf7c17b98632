"""Fixtures of the transfer tests: a Jupyter server with a preset connection to the sandbox,
a pybis client of our own to check what arrived in openBIS, and a way to count requests.

Test modules import the fixtures they use (pytest finds fixtures in a module's namespace).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pybis
import pytest

from reana_openbis_lab.jobs import Job, JobManager
from reana_openbis_lab_sandbox.faults import CONTROL_PREFIX

CONNECTION = "lab"
WORKSPACE_UPLOAD_PATH = r"/datastore_server/session_workspace_file_upload"
FILE_DOWNLOAD_PATH = r"^/datastore_server/(?!rmi-)"
UNLIMITED = 1_000_000


@pytest.fixture
def extension_config(rol_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A preset connection with alice's password: the extension logs in by itself."""
    monkeypatch.setenv("LAB_OPENBIS_PASSWORD", rol_sandbox.openbis_users["alice"])
    return {
        "openbis_connections": [
            {
                "name": CONNECTION,
                "url": rol_sandbox.openbis_url,
                "username": "alice",
                "password_env": "LAB_OPENBIS_PASSWORD",
            }
        ]
    }


@pytest.fixture
def openbis(rol_sandbox: Any) -> Iterator[pybis.Openbis]:
    """The test's own pybis session, to look at openBIS independently of the extension."""
    client = pybis.Openbis(
        rol_sandbox.openbis_url,
        verify_certificates=False,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
    )
    client.login("alice", rol_sandbox.openbis_users["alice"], save_token=False)
    yield client
    client.logout()


@dataclass(frozen=True)
class Seeded:
    """permIds of seeded datasets, looked up by name so a new seed does not break the tests."""

    raw_measurement_1: str
    raw_measurement_2: str
    big_run: str
    archived: str


@pytest.fixture
def seeded(openbis: pybis.Openbis) -> Seeded:
    frame = openbis.get_datasets(count=500, props=["$NAME"]).df
    by_name = dict(zip(frame["$NAME"], frame["permId"], strict=True))
    return Seeded(
        raw_measurement_1=by_name["Raw measurement 1"],
        raw_measurement_2=by_name["Raw measurement 2"],
        big_run=by_name["Full sequencing run"],
        archived=by_name["Raw measurement 8"],
    )


@pytest.fixture
def jobs(jp_serverapp: Any) -> JobManager:
    return jp_serverapp.web_app.settings["reana_openbis_lab"].jobs


async def finished(jobs: JobManager, job_id: str) -> Job:
    return await jobs.wait(job_id)


class RequestCounter:
    """Counts requests to the sandbox with a fault rule that does nothing but match."""

    def __init__(self, sandbox: Any, rules: dict[str, dict[str, Any]]):
        self._sandbox = sandbox
        self._names = list(rules)
        sandbox.set_faults(
            "openbis", [{**rule, "times": rule.get("times", UNLIMITED)} for rule in rules.values()]
        )
        self._initial = [r["times"] for r in self._rules()]

    def _rules(self) -> list[dict[str, Any]]:
        response = httpx.get(f"{self._sandbox.openbis_url}{CONTROL_PREFIX}/faults", timeout=30)
        response.raise_for_status()
        return response.json()["rules"]

    def count(self, name: str) -> int:
        index = self._names.index(name)
        return self._initial[index] - self._rules()[index]["times"]


@contextmanager
def counting(sandbox: Any, **rules: dict[str, Any]) -> Iterator[RequestCounter]:
    counter = RequestCounter(sandbox, rules)
    try:
        yield counter
    finally:
        sandbox.clear_faults("openbis")


async def get_manifest(jp_fetch: Any, folder: str) -> tuple[int, Any]:
    """`GET openbis/manifest?path=` (the `api` fixture's own `path` parameter is in the way)."""
    response = await jp_fetch(
        "reana-openbis-lab", "openbis", "manifest", params={"path": folder}, raise_error=False
    )
    return response.code, json.loads(response.body)


def datasets_of_sample(openbis: pybis.Openbis, identifier: str) -> set[str]:
    return set(openbis.get_datasets(sample=identifier, count=500).df["permId"])


def datasets_of_collection(openbis: pybis.Openbis, identifier: str) -> set[str]:
    return set(openbis.get_datasets(experiment=identifier, count=500).df["permId"])
