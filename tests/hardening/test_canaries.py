"""Unique canary secrets, and the sandbox's real ones, through successful and failing logins,
upstream errors, timeouts, certificate failures and transfers: afterwards no answer, log
line (captured at DEBUG, start-up included, where traitlets prints the whole configuration),
output, job, job event or file under the root, the data directory or HOME holds any of them.
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab.app import JOB_EVENT_SCHEMA_ID
from reana_openbis_lab.openbis.transfers import live_token
from tests.openbis.transfer_fixtures import openbis, seeded  # noqa: F401

from .support import COLLECTION, wait_for_jobs

AS_PATH = r"/openbis/openbis/rmi-application-server-v3\.json"
DSS_FILES = r"^/datastore_server/(?!rmi-)"
WORKSPACE = "reana/connections/re/workflows/demo-finished.1/workspace"
PRESET = "ob-preset"
PRESET_PASSWORD_VARIABLE = "CANARY_OPENBIS_PASSWORD"


@pytest.fixture
def extension_config(rol_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """One preset with alice's password named by an environment variable (the only way a
    preset takes a secret); the other secrets come through the routes. Short timeouts for
    the hangs."""
    monkeypatch.setenv(PRESET_PASSWORD_VARIABLE, rol_sandbox.openbis_users["alice"])
    return {
        "openbis_connections": [
            {
                "name": PRESET,
                "url": rol_sandbox.openbis_url,
                "username": "alice",
                "password_env": PRESET_PASSWORD_VARIABLE,
            }
        ],
        "openbis_timeout": 2.0,
        "reana_timeout": 2.0,
    }


def startup_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the server logged while it started (before the test ran), at DEBUG."""
    return "\n".join(
        f"{record.getMessage()} {record.args!s}" for record in caplog.get_records("setup")
    )


def canary(kind: str) -> str:
    return f"canary-{kind}-{uuid.uuid4().hex}"


class Recorder:
    """Every answer the routes gave, and every job event the server emitted."""

    def __init__(self, api: Any):
        self._api = api
        self.answers: list[Any] = []
        self.events: list[dict[str, Any]] = []

    async def __call__(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        status, reply = await self._api(method, path, body, **params)
        self.answers.append((method, path, status, reply))
        return status, reply

    async def on_event(self, logger: Any, schema_id: str, data: dict[str, Any]) -> None:
        self.events.append(data)


def files_below(*folders: Path) -> dict[str, bytes]:
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                found[str(path)] = path.read_bytes()
    return found


async def openbis_scenarios(call: Recorder, sandbox: Any, tls: Any, secrets: dict) -> None:
    """Failing and successful openBIS logins, errors, hangs, TLS failures and transfers."""
    url = sandbox.openbis_url
    for name, auth, extra in (("ob", "password", {}), ("ob-pat", "token", {})):
        await call("POST", "openbis/connections", {"name": name, "url": url, "auth": auth, **extra})
    await call(
        "POST",
        "openbis/connections",
        {"name": "ob-tls", "url": tls.openbis_url, "username": "alice"},
    )
    await call("PATCH", "openbis/connections/ob", {"username": "alice"})
    # Rejected password and token
    status, _ = await call("POST", "openbis/connections/ob/login", {"password": secrets["pw"]})
    assert status == 403
    status, _ = await call("POST", "openbis/connections/ob-pat/login", {"token": secrets["pat"]})
    assert status == 403
    # openBIS failing, hanging, and a certificate nobody trusts, during login
    for rule, expected in (({"status": 500}, 502), ({"hang": True}, 504)):
        sandbox.set_faults("openbis", [{"path": AS_PATH, "rpc_method": "login", **rule}])
        status, _ = await call("POST", "openbis/connections/ob/login", {"password": secrets["pw"]})
        assert status == expected
        sandbox.clear_faults("openbis")
    status, _ = await call("POST", "openbis/connections/ob-tls/login", {"password": secrets["pw"]})
    assert status == 502
    # Successful logins with the sandbox's real password and token, then work
    status, _ = await call(
        "POST", "openbis/connections/ob-pat/login", {"token": sandbox.openbis_pat}
    )
    assert status == 200
    status, _ = await call(
        "POST", "openbis/connections/ob/login", {"password": sandbox.openbis_users["alice"]}
    )
    assert status == 200
    await call("GET", "openbis/connections/ob/spaces")
    await call("GET", "openbis/connections/ob/status")


async def openbis_transfers(call: Recorder, sandbox: Any, perm_id: str, root: Path) -> None:
    (root / "up.txt").write_text("to openBIS")
    upload = {
        "connection": "ob",
        "paths": ["up.txt"],
        "datasetType": "RAW_DATA",
        "target": {"kind": "collection", "id": COLLECTION},
    }
    (root / "a").mkdir()
    (root / "b").mkdir()
    await call(
        "POST", "openbis/downloads", {"connection": "ob", "permId": perm_id, "destination": "a"}
    )
    await call("POST", "openbis/uploads", upload)
    await wait_for_jobs(call, timeout=60)
    # The data store failing and hanging mid-transfer, and openBIS dropping every session
    sandbox.set_faults("openbis", [{"path": DSS_FILES, "status": 500}])
    await call(
        "POST", "openbis/downloads", {"connection": "ob", "permId": perm_id, "destination": "b"}
    )
    await wait_for_jobs(call, timeout=60)
    sandbox.set_faults("openbis", [{"path": "session_workspace_file_upload", "hang": True}])
    _, job = await call("POST", "openbis/uploads", upload)
    await asyncio.sleep(0.5)  # cancelled while hung, before openbis_timeout ends the wait
    await call("POST", f"jobs/{job['id']}/cancel")
    await wait_for_jobs(call, timeout=60)
    sandbox.clear_faults("openbis")
    sandbox.expire_openbis_sessions()
    await call("GET", "openbis/connections/ob/projects")
    await call("POST", "openbis/connections/ob/logout")
    await call("GET", "openbis/connections")


async def reana_scenarios(
    call: Recorder, sandbox: Any, tls: Any, secrets: dict, root: Path
) -> None:
    url = sandbox.reana_url
    status, _ = await call(
        "POST", "reana/connections", {"name": "bad", "url": url, "accessToken": secrets["reana"]}
    )
    assert status == 403
    for rule, expected in (({"status": 500}, 502), ({"hang": True}, 504)):
        sandbox.set_faults("reana", [{"path": "^/api/you$", **rule}])
        status, _ = await call(
            "POST",
            "reana/connections",
            {"name": "bad", "url": url, "accessToken": secrets["reana"]},
        )
        assert status == expected
        sandbox.clear_faults("reana")
    status, _ = await call(
        "POST",
        "reana/connections",
        {"name": "bad", "url": tls.reana_url, "accessToken": secrets["reana"]},
    )
    assert status == 502
    # A connection with the real token, then a rejected new token for it
    status, _ = await call(
        "POST", "reana/connections", {"name": "re", "url": url, "accessToken": sandbox.reana_token}
    )
    assert status == 201
    status, _ = await call("PATCH", "reana/connections/re", {"accessToken": secrets["reana2"]})
    assert status == 403
    await call("GET", "reana/connections/re/workflows")
    await call("GET", "reana/connections/re/workflows/demo-finished.1/logs")
    await call("GET", WORKSPACE)
    (root / "ws-in.txt").write_text("to REANA")
    await call("POST", f"{WORKSPACE}/download", {"paths": ["reana.yaml"], "destination": "ws"})
    await call("POST", f"{WORKSPACE}/upload", {"sources": ["ws-in.txt"], "target": "canary"})
    await wait_for_jobs(call, timeout=60)
    # REANA failing and hanging during transfers and listings
    sandbox.set_faults("reana", [{"path": "/workspace", "status": 500}])
    await call("POST", f"{WORKSPACE}/download", {"paths": ["reana.yaml"], "destination": "ws2"})
    await call("POST", f"{WORKSPACE}/upload", {"sources": ["ws-in.txt"], "target": "canary"})
    await wait_for_jobs(call, timeout=60)
    sandbox.set_faults("reana", [{"path": "^/api/workflows", "hang": True}])
    await call("GET", "reana/connections/re/workflows")
    sandbox.clear_faults("reana")
    await call("POST", "reana/connections/re/check")
    await call("GET", "reana/connections")


async def test_no_secret_appears_anywhere(
    api,
    rol_sandbox,
    rol_sandbox_tls,
    seeded,
    jp_serverapp,
    jp_root_dir: Path,
    jp_home_dir: Path,
    jp_server_config: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = {kind: canary(kind) for kind in ("pw", "pat", "reana", "reana2")}
    call = Recorder(api)
    jp_serverapp.event_logger.add_listener(schema_id=JOB_EVENT_SCHEMA_ID, listener=call.on_event)
    # When the lab goes through every kind of login, failure and transfer
    await openbis_scenarios(call, rol_sandbox, rol_sandbox_tls, secrets)
    service = jp_serverapp.web_app.settings["reana_openbis_lab"].openbis
    session_token = await service.call("ob", live_token)
    await openbis_transfers(call, rol_sandbox, seeded.raw_measurement_2, jp_root_dir)
    await reana_scenarios(call, rol_sandbox, rol_sandbox_tls, secrets, jp_root_dir)
    status, jobs = await api("GET", "jobs")
    assert status == 200 and len(jobs["jobs"]) >= 6
    # Then none of the secrets is anywhere
    real = [
        rol_sandbox.openbis_users["alice"],
        rol_sandbox.openbis_pat,
        rol_sandbox.reana_token,
        session_token,
    ]
    out, err = capfd.readouterr()
    texts = {
        "answers": json.dumps(call.answers, default=str),
        "jobs": json.dumps(jobs),
        "events": json.dumps(call.events, default=str),
        "log": caplog.text,
        "log records": "\n".join(str(r.args) for r in caplog.records),
        "start-up log": startup_log(caplog),
        "output": out + err,
    }
    data_dir = Path(jp_server_config["ReanaOpenbisLab"]["data_dir"])
    stored = files_below(jp_root_dir, data_dir, jp_home_dir)
    assert call.events, "no job event was seen"
    assert "HTTP Request" in caplog.text  # httpx and urllib3 did log at DEBUG
    for secret in [*secrets.values(), *real]:
        for where, text in texts.items():
            assert secret not in text, f"{secret[:12]}... in {where}"
        for path, data in stored.items():
            assert secret.encode() not in data, f"{secret[:12]}... in {path}"


async def test_a_preset_password_from_the_environment_stays_out_of_the_debug_log(
    api,
    rol_sandbox,
    jp_serverapp,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # Given a server started at DEBUG with a preset whose password is in an environment variable
    caplog.set_level(logging.DEBUG)
    # When the preset is used (the extension logs in with that password by itself)
    status, spaces = await api("GET", f"openbis/connections/{PRESET}/spaces")
    assert status == 200 and spaces["total"] > 0
    # Then traitlets did print the configuration, but it holds only the variable's name
    started = startup_log(caplog)
    assert "Config changed" in started
    assert PRESET_PASSWORD_VARIABLE in started
    # And the password is in no log line nor any output
    out, err = capfd.readouterr()
    password = rol_sandbox.openbis_users["alice"]
    for where, text in {"start-up log": started, "log": caplog.text, "output": out + err}.items():
        assert password not in text, f"the preset's password is in the {where}"
