"""The examples of the hostile-input faults, each against a server connected to the sandbox.

A 1 MB (or 40 KB) dataset type or permId used to keep the event loop busy for minutes in
the secret scrubber; 100,000 nested arrays and lone surrogates used to be 500s. Each is now
a 400 naming the field before any work starts, and the server keeps answering meanwhile.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from .openbis.transfer_fixtures import CONNECTION, extension_config  # noqa: F401
from .reana.reana_helpers import add_connection
from .test_generated_input import raw  # noqa: F401

MB = 1_000_000
DEEP = 100_000


@pytest.fixture
def upload_body(jp_root_dir) -> dict:
    (jp_root_dir / "data").mkdir()
    (jp_root_dir / "data" / "a.csv").write_text("x,y\n1,2\n")
    return {
        "connection": CONNECTION,
        "paths": ["data/a.csv"],
        "datasetType": "RAW_DATA",
        "target": {"kind": "collection", "id": "/LAB_A/PROJECT_1/COLLECTION_1"},
    }


async def status_answers_while(raw, request) -> tuple[int, dict]:  # noqa: F811
    """Send `request` and, at the same time, ask Jupyter for its status: both must answer."""
    task = asyncio.ensure_future(request)
    status, answer = await asyncio.wait_for(raw("GET", "api/status", prefix=""), 30)
    assert status == 200, answer
    return await asyncio.wait_for(task, 60)


@pytest.mark.parametrize("size", [40_000, MB])
async def test_a_huge_dataset_type_is_a_400_and_never_freezes_the_server(
    raw,  # noqa: F811
    rol_sandbox,
    upload_body,
    size: int,
) -> None:
    body = json.dumps({**upload_body, "datasetType": "T" * size}).encode()
    status, answer = await status_answers_while(raw, raw("POST", "openbis/uploads", body))
    assert (status, answer["field"]) == (400, "datasetType"), answer
    assert len(answer["message"]) < 500


@pytest.mark.parametrize("size", [40_000, MB])
async def test_a_huge_perm_id_is_a_400_and_never_freezes_the_server(
    raw,  # noqa: F811
    rol_sandbox,
    size: int,
) -> None:
    body = json.dumps({"connection": CONNECTION, "permId": "20240101-" * (size // 9)}).encode()
    status, answer = await status_answers_while(raw, raw("POST", "openbis/downloads", body))
    assert (status, answer["field"]) == (400, "permId"), answer


async def test_a_long_but_valid_looking_type_reaches_openbis_and_is_answered_quickly(
    raw,  # noqa: F811
    rol_sandbox,
    upload_body,
) -> None:
    """Up to the documented limit the request is real work: openBIS's refusal comes back scrubbed."""
    body = json.dumps({**upload_body, "datasetType": "A-240101000000000" * 15}).encode()
    status, answer = await status_answers_while(raw, raw("POST", "openbis/uploads", body))
    assert 400 <= status < 500, answer
    assert len(answer["message"]) < 1000


@pytest.mark.parametrize("opening", ["[", '{"a":'])
@pytest.mark.parametrize(
    "route",
    ["openbis/uploads", "openbis/downloads", "reana/run", "requirements", "openbis/connections"],
)
async def test_deep_nesting_is_a_400_on_json_routes(raw, route: str, opening: str) -> None:  # noqa: F811
    closing = "]" if opening == "[" else "}"
    body = (opening * DEEP + "1" + closing * DEEP).encode()
    status, answer = await raw("POST", route, body)
    assert status == 400, answer
    assert answer["field"] == ("body" if opening == "[" else "a")


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("openbis/uploads", {"paths": ["data/\ud800.csv"]}, "paths[0]"),
        ("openbis/uploads", {"includeNotebook": "nb\ud800.ipynb"}, "includeNotebook"),
        ("openbis/downloads", {"destination": "out\ud800"}, "destination"),
        ("requirements", {"notebook_path": "nb\udfff.ipynb"}, "notebook_path"),
        (f"openbis/connections/{CONNECTION}/login", {"password": "pw\ud800"}, "password"),
        ("reana/connections", {"accessToken": "tok\ud800"}, "accessToken"),
        ("reana/validate", {"path": "\ud800/reana.yaml"}, "path"),
    ],
)
async def test_a_lone_surrogate_is_a_400_naming_the_field(
    raw,  # noqa: F811
    route: str,
    body: dict,
    field: str,
) -> None:
    base = {
        "openbis/uploads": {
            "connection": CONNECTION,
            "paths": ["a"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "object", "id": "/S/P/O"},
        },
        "openbis/downloads": {"connection": CONNECTION, "permId": "20240101-1"},
        "requirements": {"notebook_path": "nb.ipynb"},
        "reana/connections": {"name": "r", "url": "http://localhost:1", "accessToken": "t"},
    }.get(route, {})
    status, answer = await raw("POST", route, json.dumps({**base, **body}).encode())
    assert (status, answer.get("field")) == (400, field), answer


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("POST", f"openbis/connections/{CONNECTION}/mount", b'{"port": 70000}', "port"),
        ("POST", f"openbis/connections/{CONNECTION}/mount", b'{"port": 1e400}', "port"),
        ("POST", f"openbis/connections/{CONNECTION}/mount", b'{"port": "22"}', "port"),
        ("POST", f"openbis/connections/{CONNECTION}/mount", b'{"port": 22.5}', "port"),
        ("POST", "openbis/downloads", b'{"connection": "lab", "permId": 5}', "permId"),
        (
            "POST",
            "openbis/downloads",
            b'{"connection": "lab", "permId": "x", "files": "a"}',
            "files",
        ),
        ("POST", "openbis/downloads", b'{"connection": "lab",', "body"),
        ("POST", "openbis/downloads", b'{"connection": "l\xe4b"}', "body"),
        ("POST", "reana/run", b'{"connection": "c", "path": "p", "name": "a b"}', "name"),
        ("GET", f"openbis/connections/{CONNECTION}/spaces?count=abc", None, "count"),
        (
            "GET",
            f"openbis/connections/{CONNECTION}/spaces?count=99999999999999999999999",
            None,
            "count",
        ),
        ("GET", f"openbis/connections/{CONNECTION}/spaces?search=%FF", None, "search"),
        ("GET", f"openbis/connections/{CONNECTION}/projects?space=A%2FB", None, "space"),
        ("GET", "reana/connections/r/workflows?page=0", None, "page"),
        ("GET", "reana/connections/r/workflows/w/logs?cursor=" + "W1tb" * 4000, None, "cursor"),
        ("DELETE", "reana/connections/r/workflows/w?workspace=maybe", None, "workspace"),
        ("GET", "jobs?kind=a&kind=b", None, "kind"),
    ],
)
async def test_wrong_types_ranges_json_and_query_strings_are_a_400_naming_the_field(
    raw,  # noqa: F811
    method: str,
    url: str,
    body: bytes | None,
    field: str,
) -> None:
    status, answer = await raw(method, url, body)
    assert (status, answer.get("field")) == (400, field), answer


@pytest.mark.parametrize("status", [200, 500])
async def test_a_reana_answer_nested_too_deeply_is_a_502_not_a_500(
    api, rol_sandbox, status
) -> None:
    """Not the client's input, but the same fault from the other side: REANA is to blame."""
    await add_connection(api, rol_sandbox)
    deep = "[" * DEEP + "]" * DEEP
    rol_sandbox.set_faults("reana", [{"path": "^/api/workflows$", "status": status, "body": deep}])
    answer_status, answer = await api("GET", "reana/connections/sandbox/workflows")
    assert answer_status == 502, answer
