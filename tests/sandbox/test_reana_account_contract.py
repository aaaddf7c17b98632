"""The sandbox's account routes (secrets, quota, retention, a start that is never scheduled)
answer as reana-server 0.9 does, in the shapes and codes its Swagger declares."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx

from reana_openbis_lab_sandbox.handle import Sandbox

from .reana_swagger import check_response
from .test_reana_api_contract import SPEC, WORKFLOW, create, http, swagger  # noqa: F401


def test_secrets_as_reana_stores_them(http: httpx.Client, swagger: dict[str, Any]) -> None:  # noqa: F811
    value = base64.b64encode(b"s3cr3t").decode()
    added = http.post(
        "/api/secrets/",
        params={"overwrite": "false"},
        json={"TOKEN": {"value": value, "type": "env"}},
    )
    again = http.post(
        "/api/secrets/",
        params={"overwrite": "false"},
        json={"TOKEN": {"value": value, "type": "env"}},
    )
    # reana-server 0.9 reads `overwrite` with json.loads: without it, a 500
    unset = http.post("/api/secrets/", json={"OTHER": {"value": value, "type": "env"}})
    listed = http.get("/api/secrets")
    deleted = http.request("DELETE", "/api/secrets/", json=["TOKEN"])
    missing = http.request("DELETE", "/api/secrets/", json=["TOKEN", "NOPE"])
    assert (added.status_code, again.status_code, unset.status_code) == (201, 409, 500)
    assert listed.json() == [{"name": "TOKEN", "type": "env"}]  # no values, ever
    assert (deleted.status_code, deleted.json()) == (200, ["TOKEN"])
    assert (missing.status_code, missing.json()) == (404, ["TOKEN", "NOPE"])
    for template, answer in (
        ("/api/secrets/", added),
        ("/api/secrets/", again),
        ("/api/secrets", listed),
        ("/api/secrets/", deleted),
        ("/api/secrets/", missing),
    ):
        check_response(swagger, template, answer)


def test_quota_limits_give_health_and_refusals(
    http: httpx.Client,  # noqa: F811
    swagger: dict[str, Any],  # noqa: F811
    rol_sandbox: Sandbox,
) -> None:
    rol_sandbox.set_reana_account(cpuLimit=3_600_000, diskLimit=1)
    you = http.get("/api/you")
    refused = http.post("/api/workflows", params={"workflow_name": "over"}, json=SPEC)
    quota = you.json()["quota"]
    assert quota["disk"]["health"] == "critical" and quota["disk"]["limit"]["raw"] == 1
    assert quota["cpu"]["limit"] == {"raw": 3_600_000, "human_readable": "1h"}
    assert refused.status_code == 403
    message = refused.json()["message"]
    assert message.startswith("User quota exceeded.\nResource: disk, usage: ")
    assert "out of 1 Bytes used" in message and "Please see: https://docs.reana.io" in message
    check_response(swagger, "/api/you", you)
    check_response(swagger, "/api/workflows", refused)


def test_retention_rules_from_the_spec_and_the_servers_period(
    http: httpx.Client,  # noqa: F811
    swagger: dict[str, Any],  # noqa: F811
    rol_sandbox: Sandbox,
) -> None:
    rol_sandbox.set_reana_account(retentionDays=30)
    spec = {**SPEC, "workspace": {"retention_days": {"**/*.tmp": 2}}}
    name = create(http, "contract-retention", spec)["workflow_name"]
    too_long = {**SPEC, "workspace": {"retention_days": {"**/*.tmp": 30}}}
    refused = http.post("/api/workflows", params={"workflow_name": "long"}, json=too_long)
    rules = http.get(f"/api/workflows/{name}/retention_rules")
    info = http.get("/api/info").json()
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        "Maximum workflow retention period was reached. Please use less than 30 days."
    )
    assert [
        (r["workspace_files"], r["retention_days"], r["status"], r["apply_on"])
        for r in rules.json()["retention_rules"]
    ] == [("**/*.tmp", 2, "created", None), ("**/*", 30, "created", None)]
    assert info["maximum_workspace_retention_period"]["value"] == "30"
    check_response(swagger, f"{WORKFLOW}/retention_rules", rules)


def test_a_run_that_cannot_be_scheduled_fails_with_the_schedulers_words(
    http: httpx.Client,  # noqa: F811
) -> None:
    spec = {**SPEC, "inputs": {"parameters": {"sandbox_unschedulable": "true"}}}
    name = create(http, "contract-unschedulable", spec)["workflow_name"]
    assert http.post(f"/api/workflows/{name}/start", json={}).status_code == 200
    deadline = time.monotonic() + 30
    while http.get(f"/api/workflows/{name}/status").json()["status"] != "failed":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    logs = json.loads(http.get(f"/api/workflows/{name}/logs").json()["logs"])
    assert logs["job_logs"] == {}
    assert logs["workflow_logs"].endswith(
        "failed to schedule after 0 retries. Giving up.\n"
        "Reason: Something went wrong while calling reana-workflow-controller.\n"
    )
