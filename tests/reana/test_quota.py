"""Quota: usage against limits where the connection is shown, and a refusal that says which
resource is used up, how much, and what to do (reana-client issue 607)."""

from __future__ import annotations

import uuid

from reana_openbis_lab.reana.quota import quota_view, refusal

from .reana_helpers import add_connection, wait_for_job
from .recorded_answers import answer
from .test_workflows import BASE, create_run, reana  # noqa: F401 (fixture)

#: reana-server's refusal before create/start/upload (`get_quota_excess_message`).
EXCEEDED = (
    "User quota exceeded.\nResource: disk, usage: 1.1 GiB out of 1 GiB used (110%)\n"
    "Please see: https://docs.reana.io/advanced-usage/user-quotas"
)


def test_a_real_server_without_limits_gives_usage_only():
    # Given the quota a real REANA 0.9.4 (and 0.95.0a6) reports when no limit is set
    for server in ("reana-0.9.4", "reana-0.95"):
        quota = quota_view(answer(server, "03-you")["quota"])
        # Then each resource has its usage and neither limit, health nor percentage
        assert quota["cpu"] == {
            "usage": {"raw": 0, "humanReadable": "0s"},
            "limit": None,
            "health": None,
            "percent": None,
        }
        assert quota["disk"]["usage"] == {"raw": 0, "humanReadable": "0 Bytes"}


def test_limits_give_health_and_percentage():
    quota = quota_view(
        {
            "disk": {
                "usage": {"raw": 850, "human_readable": "850 Bytes"},
                "limit": {"raw": 1000, "human_readable": "1000 Bytes"},
                "health": "warning",
            },
            # REANA writes "no limit" as 0
            "cpu": {"usage": {"raw": 5}, "limit": {"raw": 0}, "health": "healthy"},
        }
    )
    assert quota["disk"]["health"] == "warning" and quota["disk"]["percent"] == 85.0
    assert quota["cpu"]["limit"] is None and quota["cpu"]["percent"] is None


def test_the_refusal_names_resource_usage_limit_and_what_to_do():
    error = refusal("REANA server 'cern'", "start the workflow", EXCEEDED)
    assert error is not None and error.code == "quota_exceeded"
    assert "disk space: 1.1 GiB used of 1 GiB (110%)" in error.message
    assert "delete runs you no longer need" in error.message
    assert "https://docs.reana.io/advanced-usage/user-quotas" in error.message
    # The upload's own check names the limit it would pass
    upload = refusal(
        "REANA server 'cern'",
        "upload 'big.root'",
        "Uploading file big.root would exceed the disk quota limit (1 GiB). Aborting. "
        "Please see: https://docs.reana.io/advanced-usage/user-quotas",
    )
    assert upload is not None and "beyond the limit of 1 GiB" in upload.message
    # A CPU refusal asks for more CPU time, not to delete files
    cpu = refusal(
        "x", "start", "User quota exceeded.\nResource: cpu, usage: 2h out of 1h used (200%)"
    )
    assert cpu is not None and "more CPU time" in cpu.message and "delete" not in cpu.message
    # Other refusals are not quota refusals
    assert refusal("x", "start", "Workflow is already finished") is None


async def test_account_shows_limits_and_health_once_the_server_sets_them(api, rol_sandbox):
    # Given a REANA whose administrators set a disk limit the user has nearly reached
    rol_sandbox.set_reana_account(diskLimit=1, cpuLimit=3_600_000)
    # When the token is checked
    status, body = await add_connection(api, rol_sandbox)
    # Then the account carries both resources with limit, health and percentage
    assert status == 201
    quota = body["account"]["quota"]
    assert quota["disk"]["health"] == "critical" and quota["disk"]["percent"] >= 100
    assert quota["disk"]["limit"] == {"raw": 1, "humanReadable": "1 Bytes"}
    assert quota["cpu"]["limit"]["humanReadable"] == "1h"
    assert quota["cpu"]["health"] in ("healthy", "warning", "critical")


async def test_a_start_over_quota_is_refused_naming_the_resource(api, rol_sandbox, reana):  # noqa: F811
    # Given a created run, and a disk quota that is used up
    client = await reana()
    workflow_id = await create_run(client, f"quota-{uuid.uuid4().hex[:8]}")
    rol_sandbox.set_reana_account(diskLimit=1)
    # When the run is started
    status, body = await api("POST", f"{BASE}/{workflow_id}/start", {})
    # Then REANA's refusal arrives as a 403 that says what is used up and what to do
    assert status == 403, body
    assert body["code"] == "quota_exceeded"
    assert "disk space:" in body["message"] and "used of 1 Bytes" in body["message"]
    assert "Delete" in body["message"]
    # And once the limit is lifted, the same start goes through
    rol_sandbox.set_reana_account(diskLimit=None)
    status, body = await api("POST", f"{BASE}/{workflow_id}/start", {})
    assert status == 200, body


async def test_an_upload_over_quota_fails_its_job_with_the_reason(
    api,
    rol_sandbox,
    reana,  # noqa: F811
    jp_root_dir,
):
    client = await reana()
    workflow_id = await create_run(client, f"quota-up-{uuid.uuid4().hex[:8]}")
    (jp_root_dir / "big.dat").write_bytes(b"x" * 4096)
    rol_sandbox.set_reana_account(diskLimit=1)
    status, job = await api(
        "POST", f"{BASE}/{workflow_id}/workspace/upload", {"sources": ["big.dat"]}
    )
    assert status == 202
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "failed"
    assert job["errorCode"] == "quota_exceeded", job
    assert "disk space" in job["error"]
