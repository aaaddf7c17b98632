"""Property-based requests generated from openapi.yaml against a server with both sandboxes.

Hypothesis (seeded, generation only, a fixed number of examples per operation) draws
path, query and body values from each operation's own schemas, from arbitrary text and JSON,
and from mutations of valid bodies; the connection names of the sandboxes are drawn often,
so that many requests reach openBIS and REANA. Every answer must be below 500 unless the
operation documents that 5xx, carry a documented status and a JSON body valid against the
documented schema; Jupyter's `/api/status` must answer after every batch. Failures are
collected and reported together, so one run shows every kind of fault.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator

from reana_openbis_lab.handlers.contract import load_document

from .request_forms import Operation, merged, operations

SEED = 20261129
EXAMPLES_PER_OPERATION = 45
#: The whole suite stops generating after this many seconds (the count check then fails).
BUDGET_SECONDS = 900
STATUS_EVERY = 50
OPENBIS = "lab"
REANA = "reana"

DOCUMENT = load_document()
OPERATIONS = operations()
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture
def extension_config(rol_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("LAB_OPENBIS_PASSWORD", rol_sandbox.openbis_users["alice"])
    return {
        "openbis_connections": [
            {
                "name": OPENBIS,
                "url": rol_sandbox.openbis_url,
                "username": "alice",
                "password_env": "LAB_OPENBIS_PASSWORD",
            }
        ]
    }


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values a request schema accepts (short ones: sizes are the other suites' business)."""
    schema = merged(schema)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for choice in ("anyOf", "oneOf"):
        if choice in schema:
            return st.one_of([from_schema(option) for option in schema[choice]])
    kind = schema.get("type") or ("object" if "properties" in schema else "string")
    return st.one_of([_of_type(k, schema) for k in (kind if isinstance(kind, list) else [kind])])


def _of_type(kind: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        return st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    if kind == "array":
        most = min(schema.get("maxItems", 3), 3)
        return st.lists(
            from_schema(schema.get("items", {})), min_size=schema.get("minItems", 0), max_size=most
        )
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = st.fixed_dictionaries(
            {n: from_schema(s) for n, s in properties.items() if n in required},
            optional={n: from_schema(s) for n, s in properties.items() if n not in required},
        )
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict):
            return fixed
        more = st.dictionaries(st.text(min_size=1, max_size=10), from_schema(extra), max_size=2)
        return st.tuples(fixed, more).map(lambda pair: {**pair[1], **pair[0]})
    most = min(schema.get("maxLength", 40), 40)
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda t: len(t) <= most)
    return st.text(min_size=schema.get("minLength", 0), max_size=most)


def _as_query_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _encoded(text: str) -> str:
    """Percent-encoded UTF-8; lone surrogates go out as their (invalid) UTF-8 bytes."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def request_strategy(
    op: Operation, known: dict[str, list[str]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Half the requests fit the contract (with names that exist in the sandboxes, so they
    reach openBIS and REANA), half mix in arbitrary text, JSON and bytes anywhere."""
    return st.one_of(_fitting(op, known), _hostile(op, known))


def _fitting(op: Operation, known: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    path = {
        name: st.sampled_from(known[name]) if known.get(name) else from_schema(schema)
        for name, schema in op.path_params.items()
    }
    query = {
        name: from_schema(schema).map(_as_query_text) for name, schema in op.query_params.items()
    }
    required = {name: query.pop(name) for name in op.required_query}
    return st.fixed_dictionaries(
        {
            "path": st.fixed_dictionaries(path),
            "query": st.fixed_dictionaries(required, optional=query),
            "body": st.none() if op.body is None else from_schema(op.body),
        }
    )


def _hostile(op: Operation, known: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    path = {}
    for name, schema in op.path_params.items():
        choices = [from_schema(schema), st.text(min_size=1, max_size=40)]
        path[name] = (
            st.one_of(st.sampled_from(known[name]), *choices)
            if known.get(name)
            else (st.one_of(*choices))
        )
    query = {
        name: st.one_of(from_schema(schema).map(_as_query_text), st.text(max_size=30))
        for name, schema in op.query_params.items()
    }
    optional_query = st.fixed_dictionaries({}, optional={**query, "unknown": st.text(max_size=5)})
    if op.body is None:
        body = st.none()
    else:
        fitting = from_schema(op.body)
        body = st.one_of(
            fitting.flatmap(
                lambda valid: st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=3).map(
                    lambda extra: {**valid, **extra}
                )
            ),
            JSON_VALUES,
            st.binary(max_size=64),
        )
    return st.fixed_dictionaries(
        {"path": st.fixed_dictionaries(path), "query": optional_query, "body": body}
    )


class Checker:
    """Sends the drawn requests and notes every answer that breaks the contract."""

    def __init__(self, base: str, headers: dict[str, str], status_url: str):
        self.client = httpx.Client(base_url=base, headers=headers, timeout=90)
        self.status_url = status_url
        self.sent = 0
        self.statuses: Counter[int] = Counter()
        self.faults: list[str] = []
        self.deadline = time.monotonic() + BUDGET_SECONDS

    def send(self, op: Operation, drawn: dict[str, Any]) -> None:
        if time.monotonic() > self.deadline:
            return
        url = op.template
        for name, value in drawn["path"].items():
            url = url.replace("{" + name + "}", _encoded(value) or "x")
        query = "&".join(f"{_encoded(k)}={_encoded(v)}" for k, v in drawn["query"].items())
        body = drawn["body"]
        content = body if isinstance(body, bytes) else None
        if body is not None and content is None:
            content = json.dumps(body).encode()
        if content is None and op.method in ("post", "patch", "put"):
            content = b""
        response = self.client.request(
            op.method.upper(), url.lstrip("/") + (f"?{query}" if query else ""), content=content
        )
        self.sent += 1
        self.statuses[response.status_code] += 1
        self.check(op, response, f"{op.method.upper()} {url[:80]}?{query[:80]} {content!r:.120}")
        if self.sent % STATUS_EVERY == 0:
            status = self.client.get(self.status_url)
            if status.status_code != 200:
                self.faults.append(f"/api/status answered {status.status_code}")

    def check(self, op: Operation, response: httpx.Response, what: str) -> None:
        documented = DOCUMENT["paths"][op.template][op.method]["responses"]
        code = str(response.status_code)
        if response.status_code >= 500 and code not in documented:
            self.faults.append(f"{code} for {what}: {response.text[:200]}")
            return
        if response.status_code == 404 and not response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            return  # no route of ours matched (e.g. a REANA name the route pattern excludes)
        if code not in documented:
            self.faults.append(f"undocumented {code} for {what}: {response.text[:200]}")
            return
        spec = documented[code]
        if "$ref" in spec:
            spec = DOCUMENT["components"]["responses"][spec["$ref"].rsplit("/", 1)[-1]]
        content = spec.get("content")
        if not content:
            return
        media, entry = next(iter(content.items()))
        if not response.headers.get("content-type", "").startswith(media):
            self.faults.append(f"{code} for {what} is {response.headers.get('content-type')}")
            return
        if media != "application/json":
            return
        try:
            payload = response.json()
        except ValueError:
            self.faults.append(f"{code} for {what} is not JSON")
            return
        schema = {**entry["schema"], "components": DOCUMENT["components"]}
        error = next(OAS30Validator(schema).iter_errors(payload), None)
        if error is not None:
            self.faults.append(f"{code} for {what} breaks its schema: {error.message[:200]}")


def run_operation(checker: Checker, op: Operation, known: dict[str, list[str]]) -> None:
    @seed(SEED)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=request_strategy(op, known))
    def examples(drawn: dict[str, Any]) -> None:
        checker.send(op, drawn)

    examples()


async def sandbox_names(api) -> dict[str, list[str]]:
    """Workflows and datasets that exist, so that generated requests also find things."""
    status, runs = await api("GET", f"reana/connections/{REANA}/workflows", size="20")
    assert status == 200, runs
    workflows = [w["id"] for w in runs["items"]] + [w["name"] for w in runs["items"]]
    status, collections = await api("GET", f"openbis/connections/{OPENBIS}/collections", count="3")
    assert status == 200, collections
    perm_ids: list[str] = []
    for collection in collections["items"]:
        status, page = await api(
            "GET", f"openbis/connections/{OPENBIS}/datasets", collection=collection["identifier"]
        )
        perm_ids += [d["permId"] for d in page.get("items", [])]
    return {"workflow": workflows, "perm_id": perm_ids}


async def test_generated_requests_never_break_the_contract(
    jp_http_port, jp_base_url, jp_auth_header, api, rol_sandbox
) -> None:
    # Given a REANA connection to the sandbox next to the openBIS preset
    status, answer = await api(
        "POST",
        "reana/connections",
        {"name": REANA, "url": rol_sandbox.reana_url, "accessToken": rol_sandbox.reana_token},
    )
    assert status == 201, answer
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}reana-openbis-lab/"
    checker = Checker(
        base, dict(jp_auth_header), f"http://127.0.0.1:{jp_http_port}{jp_base_url}api/status"
    )

    known = {"name": [OPENBIS, REANA], **await sandbox_names(api)}

    # When every operation gets its generated requests (sent from a thread: the server
    # runs on this test's event loop)
    def run_all() -> None:
        for op in OPERATIONS:
            run_operation(checker, op, known)

    await asyncio.to_thread(run_all)

    # Then nothing broke the contract, and enough was sent
    assert not checker.faults, f"{len(checker.faults)} faults:\n" + "\n".join(checker.faults[:200])
    assert checker.sent >= 2000
    # and a good share went past validation into the sandboxes and came back fine
    assert sum(n for code, n in checker.statuses.items() if code < 300) >= 200, checker.statuses
    status, answer = await api("GET", "info")
    assert status == 200
