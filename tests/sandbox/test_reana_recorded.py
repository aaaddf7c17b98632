"""The sandbox replays what real REANA servers answered (tests/reana/recorded/, one JSON file
per exchange recorded against genuine reana-server 0.9.4 and 0.95.0a6).

Where shapes and texts matter (account and server information, paging, logs, refusals and
their words), the same request to the sandbox must give the same status, the same keys and
the same message; and the extension must read the 0.95 answers without breaking.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from reana_openbis_lab.reana.connections import Connection
from reana_openbis_lab.reana.workflows import summary
from reana_openbis_lab_sandbox.handle import Sandbox

RECORDED = Path(__file__).parent.parent / "reana" / "recorded"
SPEC = json.loads(
    json.dumps(json.load((RECORDED / "reana-0.9.4" / "06-create.json").open())["request"]["body"])
)


def recorded(server: str, name: str) -> dict[str, Any]:
    return json.loads((RECORDED / server / f"{name}.json").read_text())


def keys(value: Any) -> Any:
    """The shape of an answer: its keys, recursively (a list by its first item)."""
    if isinstance(value, dict):
        return {k: keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [keys(value[0])] if value else []
    return None


@pytest.fixture
def http(rol_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=rol_sandbox.reana_url or "", timeout=30) as client:
        yield client


@pytest.fixture
def token(rol_sandbox: Sandbox) -> dict[str, str]:
    return {"access_token": rol_sandbox.reana_token or ""}


@pytest.fixture
def run(http: httpx.Client, token: dict[str, str]) -> dict[str, Any]:
    """A created run with two files, like the recording's `demo.1`."""
    created = http.post("/api/workflows", params={**token, "workflow_name": "replay"}, json=SPEC)
    assert created.status_code == 201, created.text
    answer = created.json()
    for name in ("code/greet.py", "data/names.txt"):
        http.post(
            f"/api/workflows/{answer['workflow_id']}/workspace",
            params={**token, "file_name": name},
            content=b"x",
            headers={"Content-Type": "application/octet-stream"},
        )
    return answer


def test_account_information_and_logs_have_the_real_shapes(http, token, run):
    you = http.get("/api/you", params=token).json()
    assert keys(you) == keys(recorded("reana-0.9.4", "03-you")["response"]["body"])
    assert re.match(
        r"^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$", you["reana_token"]["requested_at"]
    )
    info = http.get("/api/info", params=token).json()
    # every entry 0.9.4 has (the sandbox also has some of 0.95's Kubernetes entries)
    assert set(recorded("reana-0.9.4", "02-info")["response"]["body"]) <= set(info)
    logs = http.get(f"/api/workflows/{run['workflow_id']}/logs", params=token).json()
    real = recorded("reana-0.9.4", "30-logs-created")["response"]["body"]
    assert keys(logs) == keys(real)
    assert json.loads(logs["logs"]) == json.loads(real["logs"])  # nothing written before a run


def test_lists_page_as_real_reana_does(http, token, run):
    real = recorded("reana-0.9.4", "67-list-page-size")["response"]["body"]
    page = http.get("/api/workflows", params={**token, "type": "batch", "page": "2", "size": "1"})
    assert set(page.json()) == set(real)
    real_item = recorded("reana-0.9.4", "69-list-include-workspace-size")["response"]["body"]
    listed = http.get(
        "/api/workflows",
        params={**token, "type": "batch", "include_workspace_size": "true", "status": "created"},
    ).json()
    assert keys(listed["items"][0]) == keys(real_item["items"][0])
    assert listed["items"][0]["size"] == {"raw": -1, "human_readable": ""}
    real_files = recorded("reana-0.9.4", "14-ws-list-page")["response"]["body"]
    files = http.get(
        f"/api/workflows/{run['workflow_id']}/workspace", params={**token, "page": "2", "size": "1"}
    ).json()
    assert set(files) == set(real_files)


@pytest.mark.parametrize(
    ("fixture", "method", "path", "extra"),
    [
        ("05-you-no-token", "GET", "/api/you", {"anonymous": True}),
        ("04-you-bad-token", "GET", "/api/you", {"params": {"access_token": "not-a-valid-token"}}),
        (
            "09-create-dotted-name",
            "POST",
            "/api/workflows",
            {"params": {"workflow_name": "my.run"}, "json": SPEC},
        ),
        ("26-specification-unknown-403", "GET", "/api/workflows/nosuch/specification", {}),
        ("28-parameters-unknown-404", "GET", "/api/workflows/nosuch/parameters", {}),
        ("29-status-unknown-404", "GET", "/api/workflows/nosuch/status", {}),
        (
            "43-start-undeclared-param-400",
            "POST",
            "{run}/start",
            {"json": {"input_parameters": {"nosuchparam": "x"}}},
        ),
        (
            "44-start-unknown-option-400",
            "POST",
            "{run}/start",
            {"json": {"operational_options": {"NOSUCHOPT": "x"}}},
        ),
        ("34-stop-created-409", "PUT", "{run}/status", {"params": {"status": "stop"}}),
        (
            "55-delete-workspace-false-400",
            "PUT",
            "{run}/status",
            {"params": {"status": "deleted"}, "json": {"workspace": False}},
        ),
    ],
)
def test_refusals_carry_reanas_status_and_words(http, token, run, fixture, method, path, extra):
    real = recorded("reana-0.9.4", fixture)["response"]
    params = {} if extra.get("anonymous") else dict(token)
    params.update(extra.get("params", {}))
    url = path.replace("{run}", f"/api/workflows/{run['workflow_id']}")
    answer = http.request(method, url, params=params, json=extra.get("json"))
    assert answer.status_code == real["status"], answer.text
    # the same words; a run is named by its own id where REANA names the recorded one
    expected = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", run["workflow_id"], real["body"]["message"])
    assert answer.json()["message"] == expected


def test_the_extension_reads_095_answers_without_breaking():
    listed = recorded("reana-0.95", "51-list")["response"]["body"]["items"]
    views = [summary(item, "https://reana.example") for item in listed]
    assert all(v["name"] and v["status"] for v in views)
    assert all(v["size"] is None for v in views)  # -1: not measured yet
    connection = Connection(name="real", url="https://reana.example")
    connection.remember_account(recorded("reana-0.95", "03-you")["response"]["body"])
    assert connection.account is not None and connection.account["serverVersion"] == "0.95.0a6"
    logs = json.loads(recorded("reana-0.95", "23-logs-created")["response"]["body"]["logs"])
    assert "service_logs" in logs and logs["job_logs"] == {}
