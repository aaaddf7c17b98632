"""What held against the sandbox and failed against the real REANA 0.9.4 server (issue 18, 1).

Each test drives the extension's own routes against the sandbox, which now answers as the
real server does where it used to hide these faults (recorded answers: `recorded/`).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from reana_openbis_lab.errors import UpstreamError
from reana_openbis_lab.reana.workflows import summary

from .reana_helpers import wait_for_job
from .test_workflows import BASE, create_run, reana, wait_for_status  # noqa: F401 (fixture)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def test_start_and_restart_name_the_run_they_started(api, reana):  # noqa: F811
    # Given a created run (REANA answers a start with the base name and a separate run_number)
    client = await reana()
    name = unique("numbered")
    workflow_id = await create_run(client, name)
    # When it is started
    status, started = await api("POST", f"{BASE}/{workflow_id}/start", {})
    # Then the answer names the run itself, name.N, not whichever run of the name is newest
    assert status == 200, started
    assert started["name"] == f"{name}.1"
    # And a restart of the finished run names its clone name.N.M
    await wait_for_status(api, workflow_id, "finished")
    status, restarted = await api("POST", f"{BASE}/{workflow_id}/start", {"restart": True})
    assert status == 200, restarted
    assert restarted["name"] == f"{name}.1.1"


async def test_all_statuses_leave_deleted_runs_out_as_reana_client_does(api, reana):  # noqa: F811
    # Given two runs of a name, one of them deleted (REANA's unfiltered list includes it)
    client = await reana()
    name = unique("gone")
    kept = await create_run(client, name)
    deleted = await create_run(client, name)
    status, _ = await api("DELETE", f"{BASE}/{deleted}")
    assert status == 200
    # When the list is asked for without a status filter
    _, page = await api("GET", BASE, search=name)
    # Then the deleted run is not in it
    assert [w["id"] for w in page["items"]] == [kept]
    assert page["total"] == 1
    # But asking for deleted runs shows it
    _, gone = await api("GET", BASE, search=name, status="deleted")
    assert [w["id"] for w in gone["items"]] == [deleted]


async def test_an_unknown_run_is_not_found_whichever_answer_comes_first(api, rol_sandbox, reana):  # noqa: F811
    # Given REANA answers 403 on /specification (404 on /status and /parameters) for an unknown
    # run, and the 403 arrives first
    await reana()
    rol_sandbox.set_faults(
        "reana", [{"path": r"/nosuch[^/]*/(status|parameters)$", "latency": 0.3}]
    )
    # When the run's detail is asked for
    status, body = await api("GET", f"{BASE}/nosuch-{uuid.uuid4().hex[:6]}")
    # Then it is "not found", not "forbidden"
    assert status == 404, body
    assert "does not exist" in body["message"]


async def test_workspace_size_unknown_to_reana_is_null(api, reana):  # noqa: F811
    # Given a created run, whose size REANA reports as -1 until its disk accounting ran
    client = await reana()
    name = unique("unsized")
    await create_run(client, name)
    # When it is listed
    _, page = await api("GET", BASE, search=name)
    # Then its size is null, not -1
    assert page["items"][0]["size"] is None


def test_summary_maps_reanas_minus_one_to_null() -> None:
    raw = {"id": "x", "name": "a.1", "size": {"raw": -1, "human_readable": ""}}
    assert summary(raw, "https://reana.example")["size"] is None
    raw["size"] = {"raw": 10, "human_readable": "10 Bytes"}
    assert summary(raw, "https://reana.example")["size"] == {"raw": 10, "humanReadable": "10 Bytes"}


async def test_detail_keeps_declared_parameters_apart_from_overrides(api, reana):  # noqa: F811
    # Given a run declaring two parameters, started with an override of one
    client = await reana()
    name = unique("params")
    workflow_id = await create_run(client, name, extra="7")
    status, _ = await api("POST", f"{BASE}/{workflow_id}/start", {"parameters": {"extra": "9"}})
    assert status == 200
    # When its detail is read
    _, detail = await api("GET", f"{BASE}/{workflow_id}")
    # Then the declared parameters and the override given at start are both there
    assert detail["parameters"]["extra"] == "7"
    assert detail["inputParameters"] == {"extra": "9"}


async def test_a_created_run_has_no_parameters_given_at_start(api, reana):  # noqa: F811
    client = await reana()
    workflow_id = await create_run(client, unique("unstarted"), extra="7")
    _, detail = await api("GET", f"{BASE}/{workflow_id}")
    assert detail["inputParameters"] == {}
    assert detail["parameters"]["extra"] == "7"


async def test_reana_clients_error_prefix_never_reaches_the_user(api, reana):  # noqa: F811
    # Given a created run
    client = await reana()
    workflow_id = await create_run(client, unique("option"))
    # When it is started with an operational option REANA does not know
    status, body = await api(
        "POST", f"{BASE}/{workflow_id}/start", {"operationalOptions": {"NOSUCHOPT": "x"}}
    )
    # Then REANA's refusal is passed on without reana-client's "==> ERROR: "
    assert status == 400, body
    assert 'Operational option "NOSUCHOPT" not supported.' in body["message"]
    assert "==>" not in body["message"]


async def test_undeclared_parameter_is_refused_with_reanas_text(reana):  # noqa: F811
    client = await reana()
    workflow_id = await create_run(client, unique("undeclared"))
    with pytest.raises(Exception) as refused:
        await client.start_workflow(workflow_id, {"nosuchparam": "x"})
    assert 'Input parameter "nosuchparam" is not present in reana.yaml' in str(refused.value)


async def test_queued_run_is_not_offered_a_stop_reana_refuses(api, reana):  # noqa: F811
    # Given a run REANA has queued but not yet started
    client = await reana()
    workflow_id = await create_run(client, unique("queued"), sandbox_step_seconds="5")
    await api("POST", f"{BASE}/{workflow_id}/start", {})
    # When it is stopped before it runs, REANA says it is not running (409)
    status, body = await api("POST", f"{BASE}/{workflow_id}/stop", {})
    assert status == 409, body
    assert "is not running" in body["message"]
    # And once it runs, the stop is accepted
    await wait_for_status(api, workflow_id, "running")
    status, body = await api("POST", f"{BASE}/{workflow_id}/stop", {})
    assert status == 200, body


async def test_upload_title_names_the_run_not_its_uuid(api, reana, jp_root_dir: Path):  # noqa: F811
    client = await reana()
    name = unique("titled")
    workflow_id = await create_run(client, name)
    (jp_root_dir / "note.txt").write_text("hello")
    status, job = await api(
        "POST", f"{BASE}/{workflow_id}/workspace/upload", {"sources": ["note.txt"]}
    )
    assert status == 202, job
    assert job["title"] == f"Upload 1 file to {name}.1"
    assert workflow_id not in job["title"]
    await wait_for_job(api, job["id"])


async def test_a_read_on_a_dropped_connection_is_sent_once_more(api, rol_sandbox, reana):  # noqa: F811
    # Given a server that drops a kept-alive connection without answering (real uWSGI does)
    client = await reana()
    expected = await client.server_api()
    rol_sandbox.set_faults("reana", [{"path": "/api/ping$", "drop_after_bytes": 0, "times": 1}])
    # When the extension reads the server's declarations again
    declared = await client.server_api(refresh=True)
    # Then the read was sent again and answered (in either protocol)
    assert declared == expected


async def test_a_small_upload_on_a_dropped_connection_is_sent_once_more(
    api,
    rol_sandbox,
    reana,  # noqa: F811
):
    # Given a run, and a server that drops the connection of the next upload without
    # answering (real uWSGI closes kept-alive connections without `Connection: close`; it
    # broke the provenance record's upload after the inputs' on 0.9.4 and 0.95.0a6)
    client = await reana()
    workflow_id = await create_run(client, unique("resent"))
    rol_sandbox.set_faults(
        "reana",
        [{"path": "/workspace$", "http_method": "POST", "drop_after_bytes": 0, "times": 1}],
    )
    # When the extension sends a file made in memory (the same bytes under the same name)
    await client.upload_content(workflow_id, "provenance/run.json", b"{}")
    # Then it was sent again, and the workspace holds it once
    files = await client.list_workspace(workflow_id)
    assert [f["name"] for f in files[0] if f["name"] == "provenance/run.json"] == [
        "provenance/run.json"
    ]


async def test_a_create_on_a_dropped_connection_is_not_sent_twice(api, rol_sandbox, reana):  # noqa: F811
    # Given a server that drops the connection of the next create without answering
    client = await reana()
    name = unique("once")
    rol_sandbox.set_faults(
        "reana",
        [{"path": "/api/workflows$", "http_method": "POST", "drop_after_bytes": 0, "times": 1}],
    )
    # When the extension creates a run, the break is reported rather than risking a second run
    with pytest.raises(UpstreamError) as caught:
        await create_run(client, name)
    assert caught.value.code == "connection_dropped"
    items, total = await client.list_workflows(search=name)
    assert total == 1, items
