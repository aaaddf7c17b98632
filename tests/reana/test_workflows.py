"""Workflow runs over the REST API: paged list, detail, logs followed by cursor, start/stop/delete."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from reana_openbis_lab.reana.client import ReanaClient
from reana_openbis_lab_sandbox.reana.seed import demo_specification

from .reana_helpers import add_connection, assert_no_token, create_on_server

BASE = "reana/connections/sandbox/workflows"


@pytest.fixture
def reana(api, rol_sandbox, jp_serverapp):
    """The lab's own client of the 'sandbox' connection, to prepare runs as the spec routes do."""

    async def connect() -> ReanaClient:
        status, _ = await add_connection(api, rol_sandbox)
        assert status == 201
        return jp_serverapp.web_app.settings["reana_openbis_lab"].reana.client("sandbox")

    return connect


async def create_run(reana: ReanaClient, name: str, **parameters: str) -> str:
    spec = demo_specification(name)
    spec["inputs"]["parameters"].update(parameters)
    created = await create_on_server(reana, name, spec)
    return created["workflow_id"]


async def wait_for_status(api, workflow_id: str, *statuses: str) -> dict:
    while True:
        status, run = await api("GET", f"{BASE}/{workflow_id}")
        assert status == 200
        if run["status"] in statuses:
            return run
        await asyncio.sleep(0.05)


async def test_list_is_paged_searched_filtered_and_sorted_by_reana(api, rol_sandbox, reana):
    # Given three runs of a workflow name nobody else uses
    client = await reana()
    name = f"paging-{uuid.uuid4().hex[:8]}"
    ids = [await create_run(client, name) for _ in range(3)]
    # When the first page of two, newest first, is asked for by name
    status, first = await api("GET", BASE, search=name, size="2", page="1")
    # Then REANA's total and the newest two runs come back
    assert status == 200
    assert first["total"] == 3
    assert [w["id"] for w in first["items"]] == [ids[2], ids[1]]
    item = first["items"][0]
    assert item["name"] == f"{name}.3" and item["baseName"] == name and item["runNumber"] == "3"
    # REANA counts jobs once the engine reports them, and measures workspaces once runs end
    assert item["progress"]["total"] is None
    assert item["size"] is None
    assert item["reanaUrl"] == f"{rol_sandbox.reana_url}/details/{ids[2]}"
    # And the second page holds the oldest; ascending order reverses the list
    _, second = await api("GET", BASE, search=name, size="2", page="2")
    assert [w["id"] for w in second["items"]] == [ids[0]]
    _, ascending = await api("GET", BASE, search=name, sort="asc", size="5")
    assert [w["id"] for w in ascending["items"]] == ids
    # And a status filter is applied by the server
    _, finished = await api("GET", BASE, search=name, status="finished")
    assert finished["total"] == 0
    _, created = await api("GET", BASE, search=name, status="created,finished")
    assert created["total"] == 3


async def test_list_parameters_are_checked(api, rol_sandbox):
    await add_connection(api, rol_sandbox)
    for params, field in [
        ({"status": "bogus"}, "status"),
        ({"sort": "sideways"}, "sort"),
        ({"page": "0"}, "page"),
        ({"size": "100000"}, "size"),
        ({"size": "x"}, "size"),
        ({"search": "x" * 500}, "search"),
    ]:
        status, body = await api("GET", BASE, **params)
        assert (status, body.get("field")) == (400, field), params


async def test_detail_of_a_finished_workflow(api, rol_sandbox):
    # Given the sandbox's seeded finished run
    await add_connection(api, rol_sandbox)
    # When its detail is asked for by name
    status, run = await api("GET", f"{BASE}/demo-finished.1")
    # Then status, progress, times, parameters and specification are there
    assert status == 200
    assert run["status"] == "finished"
    assert run["progress"]["finished"] == run["progress"]["total"] == 2
    assert run["startedAt"] and run["finishedAt"]
    assert run["type"] == "serial"
    assert run["parameters"] == {"events": "data/events.csv", "bins": "20"}
    assert run["specification"]["workflow"]["type"] == "serial"
    assert run["reanaUrl"].endswith(f"/details/{run['id']}")


async def test_an_unknown_workflow_is_404(api, rol_sandbox):
    await add_connection(api, rol_sandbox)
    status, body = await api("GET", f"{BASE}/no-such-run.7")
    assert (status, body["code"]) == (404, "reana_not_found")
    # REANA's fact stays, its advice for the command line (REANA_WORKON) does not
    assert body["message"].endswith(": Workflow no-such-run.7 does not exist."), body
    assert "REANA_WORKON" not in body["message"] and "environment" not in body["message"]
    status, body = await api("GET", "reana/connections/nobody/workflows")
    assert (status, body["field"]) == (404, "name")


async def test_start_with_parameters_and_follow_the_logs_by_cursor(api, rol_sandbox, reana):
    # Given a created run
    workflow_id = await create_run(await reana(), f"follow-{uuid.uuid4().hex[:8]}")
    # When it is started with a parameter override and an operational option
    status, started = await api(
        "POST",
        f"{BASE}/{workflow_id}/start",
        {"parameters": {"bins": "50"}, "operationalOptions": {"TARGET": "histogram"}},
    )
    assert status == 200
    assert started["id"] == workflow_id
    # And its logs are followed with the cursor until it has finished
    cursor, engine_text, job_text, reads = "", "", {}, 0
    while True:
        _, run = await api("GET", f"{BASE}/{workflow_id}")
        status, logs = await api("GET", f"{BASE}/{workflow_id}/logs", cursor=cursor)
        assert status == 200
        reads += 1
        assert not logs["workflow"]["reset"]
        assert logs["workflow"]["offset"] == len(engine_text)
        engine_text += logs["workflow"]["text"]
        for job in logs["jobs"]:
            job_text[job["id"]] = job_text.get(job["id"], "") + job["text"]
        cursor = logs["cursor"]
        if run["status"] == "finished":
            break
        await asyncio.sleep(0.1)
    # Then the pieces add up to the whole log, and a read with the last cursor brings nothing new
    _, whole = await api("GET", f"{BASE}/{workflow_id}/logs")
    assert engine_text == whole["workflow"]["text"]
    assert job_text == {j["id"]: j["text"] for j in whole["jobs"]}
    assert "finished" in engine_text
    _, nothing = await api("GET", f"{BASE}/{workflow_id}/logs", cursor=cursor)
    assert nothing["workflow"]["text"] == ""
    assert all(j["text"] == "" for j in nothing["jobs"])
    # And the job metadata the UI shows is there
    job = whole["jobs"][0]
    assert job["name"] == "select" and job["status"] == "finished"
    assert job["image"] and job["backend"] == "kubernetes" and "analyse.py" in job["command"]
    # And the run remembers the override
    _, run = await api("GET", f"{BASE}/{workflow_id}")
    assert run["inputParameters"]["bins"] == "50"
    assert_no_token(whole, run, token=rol_sandbox.reana_token)


async def test_a_bad_cursor_is_a_400(api, rol_sandbox):
    await add_connection(api, rol_sandbox)
    for cursor in ("not-a-cursor", "eyJ3IjotMX0", "x" * 20000):
        status, body = await api("GET", f"{BASE}/demo-finished.1/logs", cursor=cursor)
        assert (status, body.get("field")) == (400, "cursor")


async def test_start_input_is_checked(api, rol_sandbox, reana):
    workflow_id = await create_run(await reana(), f"checked-{uuid.uuid4().hex[:8]}")
    for body, field in [
        ({"parameters": ["bins"]}, "parameters"),
        ({"parameters": {"bins": {"nested": 1}}}, "parameters.bins"),
        ({"operationalOptions": "TARGET"}, "operationalOptions"),
        ({"restart": "yes"}, "restart"),
    ]:
        status, answer = await api("POST", f"{BASE}/{workflow_id}/start", body)
        assert (status, answer.get("field")) == (400, field), body


async def test_stop_an_active_workflow_then_delete_it(api, rol_sandbox, reana):
    # Given a run whose steps take long
    workflow_id = await create_run(
        await reana(), f"stoppable-{uuid.uuid4().hex[:8]}", sandbox_step_seconds="60"
    )
    await api("POST", f"{BASE}/{workflow_id}/start")
    await wait_for_status(api, workflow_id, "running")
    # When it is deleted while running, REANA's refusal is a 409
    status, body = await api("DELETE", f"{BASE}/{workflow_id}")
    assert status == 409
    # When a forced stop is asked for, it is refused: no REANA declares one (0.95: 422)
    status, body = await api("POST", f"{BASE}/{workflow_id}/stop", {"force": True})
    assert status == 400 and body["field"] == "force"
    # When it is stopped
    status, stopped = await api("POST", f"{BASE}/{workflow_id}/stop", {})
    assert status == 200
    assert stopped["status"] == "stopped"
    # Then starting it again is a conflict, not a server error
    status, body = await api("POST", f"{BASE}/{workflow_id}/start")
    assert status == 409
    # When the user asks to keep the workspace, REANA 0.9's refusal is passed on as a 400
    status, body = await api("DELETE", f"{BASE}/{workflow_id}", workspace="false")
    assert status == 400 and "orkspace" in body["message"]
    # When it is deleted with its workspace
    status, deleted = await api("DELETE", f"{BASE}/{workflow_id}", workspace="true")
    assert status == 200 and deleted["status"] == "deleted"
    # Then it is listed as deleted only when asked for
    _, run = await api("GET", f"{BASE}/{workflow_id}")
    assert run["status"] == "deleted"
    status, body = await api("DELETE", f"{BASE}/{workflow_id}", workspace="maybe")
    assert (status, body["field"]) == (400, "workspace")


async def test_restart_a_finished_workflow_with_new_parameters(api, rol_sandbox, reana):
    # Given a workflow that has finished
    name = f"restartable-{uuid.uuid4().hex[:8]}"
    workflow_id = await create_run(await reana(), name)
    await api("POST", f"{BASE}/{workflow_id}/start")
    await wait_for_status(api, workflow_id, "finished")
    # When it is restarted with another parameter value
    status, restarted = await api(
        "POST", f"{BASE}/{workflow_id}/start", {"restart": True, "parameters": {"bins": "7"}}
    )
    # Then REANA made a new run numbered as a restart of the first
    assert status == 200
    assert restarted["id"] != workflow_id
    run = await wait_for_status(api, restarted["id"], "finished")
    assert (run["baseName"], run["runNumber"]) == (name, "1.1")
    assert run["inputParameters"]["bins"] == "7"
