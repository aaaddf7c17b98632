"""Logs: a step filter, and why a failed run failed shown in its overview, for a step that
failed and for a start that never reached the engine (the scheduler's "failed to schedule")."""

from __future__ import annotations

import uuid

from reana_openbis_lab.reana.logs import failure_reason

from .recorded_answers import answer
from .test_workflows import BASE, create_run, reana, wait_for_status  # noqa: F401 (fixture)


def decoded(server: str, name: str) -> dict:
    import json

    return json.loads(answer(server, name)["logs"])


def test_the_schedulers_text_is_the_reason_of_a_start_that_never_ran():
    for server, name in (("reana-0.9.4", "40-logs-failed-start"), ("reana-0.95", "42-logs-failed")):
        reason = failure_reason(decoded(server, name))
        assert reason is not None and reason["step"] is None
        assert "failed to schedule after 0 retries. Giving up." in reason["message"]
        assert (
            "Reason: Something went wrong while calling reana-workflow-controller."
            in reason["message"]
        )


def test_a_failed_step_is_the_reason_with_the_end_of_its_log():
    logs = {
        "workflow_logs": "Workflow started.\n",
        "job_logs": {
            "a": {"job_name": "select", "status": "finished", "logs": "ok\n"},
            "b": {
                "job_name": "fit",
                "status": "failed",
                "logs": "\n".join(f"line {i}" for i in range(100)) + "\nTraceback: boom\n",
            },
        },
    }
    reason = failure_reason(logs)
    assert reason["step"] == "fit"
    assert reason["message"].endswith("Traceback: boom")
    assert "line 0\n" not in reason["message"]  # only the end
    assert failure_reason({"workflow_logs": "", "job_logs": {}}) is None


async def test_an_unschedulable_run_says_why_in_its_detail(api, reana):  # noqa: F811
    client = await reana()
    workflow_id = await create_run(
        client, f"unschedulable-{uuid.uuid4().hex[:8]}", sandbox_unschedulable="true"
    )
    await api("POST", f"{BASE}/{workflow_id}/start", {})
    run = await wait_for_status(api, workflow_id, "failed")
    assert run["failure"]["step"] is None
    assert "failed to schedule" in run["failure"]["message"]
    assert run["progress"]["total"] in (None, 0)


async def test_a_failed_step_is_named_in_the_detail(api, reana):  # noqa: F811
    client = await reana()
    workflow_id = await create_run(client, f"failing-{uuid.uuid4().hex[:8]}", sandbox_fail="true")
    await api("POST", f"{BASE}/{workflow_id}/start", {})
    run = await wait_for_status(api, workflow_id, "failed")
    assert run["failure"]["step"] == "histogram"
    assert "exited with code 1" in run["failure"]["message"]


async def test_the_step_filter_asks_reana_for_those_steps_only(api, reana):  # noqa: F811
    client = await reana()
    workflow_id = await create_run(client, f"steps-{uuid.uuid4().hex[:8]}")
    await api("POST", f"{BASE}/{workflow_id}/start", {})
    await wait_for_status(api, workflow_id, "finished")
    _, everything = await api("GET", f"{BASE}/{workflow_id}/logs")
    assert {j["name"] for j in everything["jobs"]} == {"select", "histogram"}
    status, one = await api("GET", f"{BASE}/{workflow_id}/logs", steps="histogram")
    assert status == 200, one
    assert [j["name"] for j in one["jobs"]] == ["histogram"]
    assert one["jobs"][0]["text"]
    # A finished run has no failure reason
    _, run = await api("GET", f"{BASE}/{workflow_id}")
    assert run["failure"] is None
