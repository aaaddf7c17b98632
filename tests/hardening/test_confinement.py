"""One corpus of hostile paths over every path-taking field of every route, found in openapi.yaml.

Each payload is answered with a 4xx, or is accepted and whatever it made stays inside the
root: checked on the file system (a directory next to the root with sentinel files, the
HOME directory and absolute targets outside, all unchanged). Fields that name something on
the upstream server (a dataset's files, a workspace path) must refuse every escape.
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.hostile_paths import (
    CORPUS,
    absolute_escapes,
    plant_escape_symlinks,
)
from tests.openbis.transfer_fixtures import openbis, seeded  # noqa: F401
from tests.test_contract import load_contract

from .support import (  # noqa: F401  (fixtures)
    COLLECTION,
    CONNECTION,
    FINISHED_RUN,
    extension_config,
    operations,
    snapshot,
    wait_for_jobs,
)

Send = Callable[[Any, str], Awaitable[tuple[int, Any]]]
WORKSPACE = f"reana/connections/{CONNECTION}/workflows/{FINISHED_RUN}/workspace"
#: A field is path-taking when its name or its description says so.
PATH_NAME = re.compile(
    r"(path|paths|destination|file|files|sources|target|mountpoint|notebook|filename)$", re.I
)
PATH_TEXT = re.compile(
    r"relative to the (server|Jupyter) root|inside the (dataset|workspace)|next to the notebook"
)
#: Fields that name something on the upstream server rather than under the root.
REMOTE = {
    ("startOpenbisDownload", "files"),
    ("downloadReanaWorkspace", "paths"),
    ("uploadReanaWorkspace", "target"),
    ("deleteReanaWorkspaceFile", "file"),
    ("publishReanaRun", "paths"),
}


#: The mount route really mounts (port 1: nothing listens) and the REANA sandbox, like REANA,
#: fails on names its file system cannot hold (a 300-byte component): upstream failures.
MAY_FAIL_UPSTREAM = {("mountOpenbis", "mountpoint"), *REMOTE}
UPSTREAM = (502, 503, 504)


def escapes(payload: str, *, remote: bool = False) -> bool:
    """Whether the name, taken literally (no %-decoding: the server and its upstream clients
    never decode twice), with backslashes read as slashes, is absolute, starts at a home
    directory (only a shell on this side would expand it), climbs with `..` or holds a
    control character."""
    name = payload.replace("\\", "/")
    if name.startswith("/") or (name.startswith("~") and not remote):
        return True
    return ".." in name.split("/") or any(ord(c) < 32 or ord(c) == 127 for c in name)


def resolve(schema: dict[str, Any], contract: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = contract
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def is_path_field(name: str, schema: dict[str, Any], contract: dict[str, Any]) -> bool:
    schema = resolve(schema, contract)
    kind = schema.get("type")
    if kind == "array":
        kind = resolve(schema.get("items", {}), contract).get("type")
    if kind != "string":
        return False
    return bool(PATH_NAME.search(name) or PATH_TEXT.search(schema.get("description", "")))


def discovered_path_fields() -> set[tuple[str, str]]:
    """(operationId, field) of every string field of a request that names a path."""
    contract = load_contract()
    found = set()
    for _, _, operation in operations():
        op_id = operation["operationId"]
        for parameter in operation.get("parameters", []):
            parameter = resolve(parameter, contract)
            schema = {
                **parameter.get("schema", {}),
                "description": parameter.get("description", ""),
            }
            if parameter["in"] == "query" and is_path_field(parameter["name"], schema, contract):
                found.add((op_id, parameter["name"]))
        content = operation.get("requestBody", {}).get("content", {})
        body = resolve(content.get("application/json", {}).get("schema", {}), contract)
        parts = [resolve(p, contract) for p in body.get("allOf", [body])]
        for part in parts:
            for name, schema in part.get("properties", {}).items():
                if is_path_field(name, schema, contract):
                    found.add((op_id, name))
    return found


async def query(jp_fetch: Any, method: str, route: str, **params: str) -> tuple[int, Any]:
    """A request whose query parameters may hold anything (the `api` fixture's own names clash):
    each value is sent as its UTF-8 bytes, lone surrogates and control characters included."""
    encoded = {k: v.encode("utf-8", "surrogatepass") for k, v in params.items()}
    response = await jp_fetch(
        "reana-openbis-lab", *route.split("/"), method=method, raise_error=False, params=encoded
    )
    text = response.body.decode() if response.body else ""
    try:
        return response.code, json.loads(text) if text else None
    except ValueError:
        return response.code, text


def upload_body(**overrides: Any) -> dict[str, Any]:
    return {
        "connection": CONNECTION,
        "paths": ["ok.txt"],
        "datasetType": "RAW_DATA",
        "target": {"kind": "collection", "id": COLLECTION},
        **overrides,
    }


def requirements_body(**overrides: Any) -> dict[str, Any]:
    return {
        "notebook_path": "nb.ipynb",
        "requirements_list": ["numpy==1.26.4"],
        "runtime": "python-3.11",
        "overwrite": True,
        **overrides,
    }


def senders(perm_id: str) -> dict[tuple[str, str], Send]:
    """How to send a payload in each path-taking field, in an otherwise valid request."""

    def post(path: str, body: Callable[[str], dict[str, Any]]) -> Send:
        return lambda ctx, p: ctx["api"]("POST", path, body(p))

    download = {"connection": CONNECTION, "permId": perm_id}
    return {
        ("startOpenbisDownload", "destination"): post(
            "openbis/downloads", lambda p: {**download, "destination": p}
        ),
        ("startOpenbisDownload", "files"): post(
            "openbis/downloads", lambda p: {**download, "files": [p], "destination": "dl"}
        ),
        ("startOpenbisUpload", "paths"): post(
            "openbis/uploads", lambda p: upload_body(paths=["ok.txt", p])
        ),
        ("startOpenbisUpload", "includeNotebook"): post(
            "openbis/uploads", lambda p: upload_body(includeNotebook=p)
        ),
        ("getOpenbisManifest", "path"): lambda ctx, p: query(
            ctx["jp_fetch"], "GET", "openbis/manifest", path=p
        ),
        ("mountOpenbis", "mountpoint"): post(
            f"openbis/connections/{CONNECTION}/mount", lambda p: {"mountpoint": p, "port": 1}
        ),
        ("validateReanaSpec", "path"): post("reana/validate", lambda p: {"path": p}),
        ("runReanaSpec", "path"): post(
            "reana/run", lambda p: {"connection": CONNECTION, "path": p}
        ),
        ("createReanaWorkflowFromSpec", "path"): post(
            "reana/create", lambda p: {"connection": CONNECTION, "path": p}
        ),
        ("checkReanaSpecLimits", "path"): post(
            f"reana/connections/{CONNECTION}/spec-limits", lambda p: {"path": p}
        ),
        ("exportRequirements", "notebook_path"): post(
            "requirements", lambda p: requirements_body(notebook_path=p)
        ),
        ("exportRequirements", "requirements_filename"): post(
            "requirements", lambda p: requirements_body(requirements_filename=p)
        ),
        ("exportRequirements", "runtime_filename"): post(
            "requirements", lambda p: requirements_body(runtime_filename=p)
        ),
        ("downloadReanaWorkspace", "destination"): post(
            f"{WORKSPACE}/download", lambda p: {"paths": ["reana.yaml"], "destination": p}
        ),
        ("downloadReanaWorkspace", "paths"): post(
            f"{WORKSPACE}/download", lambda p: {"paths": [p], "destination": "ws"}
        ),
        ("uploadReanaWorkspace", "sources"): post(
            f"{WORKSPACE}/upload", lambda p: {"sources": ["ok.txt", p], "target": "in"}
        ),
        ("uploadReanaWorkspace", "target"): post(
            f"{WORKSPACE}/upload", lambda p: {"sources": ["ok.txt"], "target": p}
        ),
        ("deleteReanaWorkspaceFile", "file"): lambda ctx, p: query(
            ctx["jp_fetch"], "DELETE", f"{WORKSPACE}/files", file=p
        ),
        ("publishReanaRun", "paths"): post(
            f"reana/connections/{CONNECTION}/workflows/{FINISHED_RUN}/publish",
            lambda p: {
                "openbisConnection": CONNECTION,
                "paths": [p],
                "datasetType": "RAW_DATA",
                "target": {"kind": "collection", "id": COLLECTION},
            },
        ),
        ("startReanaWorkflow", "specPath"): post(
            f"reana/connections/{CONNECTION}/workflows/{FINISHED_RUN}/start",
            lambda p: {"restart": True, "specPath": p},
        ),
        ("exportRoCrate", "destination"): post(
            "provenance/crate",
            lambda p: {
                "source": "run",
                "connection": CONNECTION,
                "workflow": FINISHED_RUN,
                "destination": p,
            },
        ),
    }


def test_every_path_field_of_the_contract_is_attacked() -> None:
    """A new path-taking field in openapi.yaml fails here until it has a sender above."""
    assert discovered_path_fields() == set(senders("X"))
    assert len(CORPUS) >= 60


@pytest.fixture
def outside(jp_root_dir: Path) -> Path:
    """A directory next to the root with sentinel files, links to it from inside, and files
    the valid parts of the requests name."""
    directory = jp_root_dir.parent / "outside"
    plant_escape_symlinks(jp_root_dir, directory)
    (directory / ".openbis").mkdir(exist_ok=True)
    (directory / ".openbis" / "datasets.json").write_text('{"datasets": [{"permId": "SECRET"}]}')
    (jp_root_dir / "ok.txt").write_text("harmless")
    (jp_root_dir / "nb.ipynb").write_text("{}")
    (jp_root_dir / "dl").mkdir()
    return directory


def outside_state(outside: Path, home: Path, root: Path) -> Any:
    neighbours = sorted(p.name for p in root.parent.iterdir())
    home_files = {k: v for k, v in snapshot(home).items() if not k.startswith(".cache")}
    sentinels = {p.name: p.read_bytes() for p in outside.iterdir() if p.is_file()}
    return snapshot(outside), home_files, neighbours, sentinels


FIELDS = sorted(senders("X"))


@pytest.mark.parametrize("field", FIELDS, ids=[f"{op}.{name}" for op, name in FIELDS])
async def test_hostile_paths_in_every_field_stay_inside(
    field: tuple[str, str],
    api,
    jp_fetch,
    seeded,
    outside: Path,
    jp_root_dir: Path,
    jp_home_dir: Path,
) -> None:
    send = senders(seeded.raw_measurement_1)[field]
    context = {"api": api, "jp_fetch": jp_fetch}
    before = outside_state(outside, jp_home_dir, jp_root_dir)
    payloads = [*CORPUS, *absolute_escapes(outside)]
    accepted = []
    for payload in payloads:
        # When the payload is sent in this field of an otherwise valid request
        status, reply = await send(context, payload)
        # Then the server never fails, and a way out is always refused
        assert status < 500 or (status in UPSTREAM and field in MAY_FAIL_UPSTREAM), (
            payload,
            status,
            reply,
        )
        if status < 400:
            accepted.append(payload)
        if escapes(payload, remote=field in REMOTE):
            assert 400 <= status < 500, (payload, status, reply)
        if isinstance(reply, dict) and "SECRET" in json.dumps(reply):
            pytest.fail(f"{payload!r} read the outside manifest: {reply}")
    await wait_for_jobs(api, timeout=60)
    if field[0] == "mountOpenbis":
        await api("DELETE", f"openbis/connections/{CONNECTION}/mount")
    # And nothing changed outside the root: sentinels, HOME, the root's neighbours
    assert outside_state(outside, jp_home_dir, jp_root_dir) == before
    # And what was accepted was a legal name inside (look-alikes, literal % or $, trailing dots)
    print(f"{field}: {len(accepted)} of {len(payloads)} accepted as names inside the root")


SURROGATES = ["\ud800", "a/\udfff.txt", "\ud83d../outside.txt"]


@pytest.mark.parametrize("field", FIELDS, ids=[f"{op}.{name}" for op, name in FIELDS])
async def test_lone_surrogates_in_every_path_field_are_a_4xx(
    field: tuple[str, str], api, jp_fetch, seeded, outside: Path
) -> None:
    send = senders(seeded.raw_measurement_1)[field]
    for payload in SURROGATES:
        status, reply = await send({"api": api, "jp_fetch": jp_fetch}, payload)
        assert 400 <= status < 500, (payload, status, reply)
    await wait_for_jobs(api, timeout=60)


#: Query fields: tornado's own readers would turn control characters into spaces and strip
#: them (`\x00` became "" and the root's manifest was served); the contract sees the raw value.
QUERY_FIELDS = [
    (f, n)
    for f, n in FIELDS
    if (f, n) in {("getOpenbisManifest", "path"), ("deleteReanaWorkspaceFile", "file")}
]


@pytest.mark.parametrize("field", QUERY_FIELDS, ids=[f"{op}.{name}" for op, name in QUERY_FIELDS])
@pytest.mark.parametrize("payload", ["\x00", "\x00/ok.txt", "a\tb", "\x1b[31m", "x\x7f", " \x01 "])
async def test_control_characters_in_a_query_path_are_a_400_naming_it(
    field: tuple[str, str], payload: str, api, jp_fetch, seeded, outside: Path
) -> None:
    send = senders(seeded.raw_measurement_1)[field]
    status, reply = await send({"api": api, "jp_fetch": jp_fetch}, payload)
    assert status == 400, (payload, status, reply)
    assert reply["field"] == field[1], reply
