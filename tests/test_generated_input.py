"""Hostile input generated from openapi.yaml for every route: always a 4xx naming the field.

For every operation and every string its body, query or path may hold: a 1 MB string, a
lone surrogate and 100,000 levels of nesting (bodies), text that is not UTF-8 (URLs); then
malformed bodies of every kind. Each answer must be a JSON 4xx whose `field` names the
value at fault, and Jupyter's own `/api/status` must still answer after each route. New
routes and fields are covered as soon as they are in the contract.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from reana_openbis_lab.handlers.contract import MAX_DEPTH, load_document

from .request_forms import Operation, field_name, operations, string_fields, with_value

MB = 1_000_000
DEEP = 100_000
OPERATIONS = operations()
WITH_BODY = [op for op in OPERATIONS if op.body is not None]
WITH_BODY_STRINGS = [op for op in WITH_BODY if any(string_fields(op.body))]
WITH_QUERY = [op for op in OPERATIONS if op.query_params]
WITH_PATH = [op for op in OPERATIONS if op.path_params]


@pytest.fixture
def raw(http_server_client, jp_auth_header, jp_base_url):
    """Send exactly these bytes to exactly this (already encoded) URL; (status, JSON or text)."""

    async def call(
        method: str, url: str, body: bytes | None = None, prefix: str = "reana-openbis-lab/"
    ) -> tuple[int, Any]:
        if body is None and method.upper() in ("POST", "PUT", "PATCH"):
            body = b""
        response = await http_server_client.fetch(
            f"{jp_base_url}{prefix}{url}",
            method=method.upper(),
            body=body,
            headers={**jp_auth_header, "Content-Type": "application/json"},
            raise_error=False,
            allow_nonstandard_methods=True,
            request_timeout=60,
        )
        text = response.body.decode("utf-8", "replace") if response.body else ""
        try:
            return response.code, json.loads(text)
        except ValueError:
            return response.code, text

    return call


async def assert_refused(raw, op: Operation, body: bytes, field: str | set[str], url=None) -> None:
    status, answer = await raw(op.method, url or op.url(), body)
    fields = {field} if isinstance(field, str) else field
    assert 400 <= status < 500, (op.id, status, str(answer)[:300])
    assert isinstance(answer, dict), (op.id, str(answer)[:300])
    assert answer.get("field") in fields, (op.id, fields, answer.get("field"), answer["message"])
    assert len(answer["message"]) < 2000, "the answer never echoes the hostile value"


async def assert_server_answers(raw) -> None:
    status, answer = await raw("GET", "api/status", prefix="")
    assert status == 200, answer


def deep_array(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


def deep_object(depth: int = DEEP) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def body_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


@pytest.mark.parametrize("op", WITH_BODY_STRINGS, ids=lambda op: op.id)
async def test_every_string_of_every_body_refuses_huge_surrogate_and_deep_values(raw, op) -> None:
    valid = op.valid_body()
    for path, _schema in string_fields(op.body):
        name = field_name(path)
        huge = with_value(valid, path, "x" * MB)
        await assert_refused(raw, op, body_bytes(huge), name)
        lone = with_value(valid, path, "ok\ud800")
        await assert_refused(raw, op, body_bytes(lone), name)
        marker = "DEEP_VALUE_MARKER"
        deep = body_bytes(with_value(valid, path, marker)).replace(
            f'"{marker}"'.encode(), deep_array().encode()
        )
        await assert_refused(raw, op, deep, {field_name(path[:1]), name})
    await assert_server_answers(raw)


@pytest.mark.parametrize("op", WITH_BODY, ids=lambda op: op.id)
async def test_malformed_bodies_are_a_400_before_any_work(raw, op) -> None:
    valid = op.valid_body()
    first = next(iter(valid), "a")
    cases: list[tuple[bytes, str | set[str]]] = [
        (deep_array().encode(), "body"),
        (deep_object().encode(), "a"),
        (b'{"a": ' + deep_object().encode() + b"}", "a"),
        (b"{not json", "body"),
        (b'{"a": 1} {"b": 2}', "body"),
        (b"[1, 2]", "body"),
        (b'"text"', "body"),
        (b"\xff\xfe{}", "body"),
        ('{"caf\u00e9": 1}'.encode("latin-1"), "body"),
        (b'{"a": NaN}', "a"),
        (b'{"a": Infinity}', "a"),
        (b'{"a": 1e999}', "a"),
        (b'{"a": ' + b"9" * 5000 + b"}", "a"),
        (b'{"\\ud800": 1}', "body"),
        (("{" + '"k": [' * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}").encode(), "k"),
        (json.dumps({"x" * 300: 1}).encode(), "body"),
        (json.dumps({**valid, "a": [None] * 200_000}).encode(), "body"),
    ]
    if valid:
        cases.append((json.dumps({**valid, first: 10**30}).encode(), first))
        cases.append((json.dumps({**valid, first: {"x": [1, 2]}}).encode(), first))
    for body, field in cases:
        await assert_refused(raw, op, body, field)
    await assert_server_answers(raw)


@pytest.mark.parametrize("op", WITH_QUERY, ids=lambda op: op.id)
async def test_every_query_parameter_refuses_hostile_text(raw, op) -> None:
    base = "&".join(f"{k}={v}" for k, v in op.query().items())
    for name, schema in op.query_params.items():
        others = "&".join(p for p in base.split("&") if p and not p.startswith(f"{name}="))
        prefix = f"{op.url()}?{others}&" if others else f"{op.url()}?"
        hostile = ["x" * 20_000, "%FF%FE", "%ED%A0%80"]
        if schema.get("type") == "integer":
            hostile += ["1" * 30, "1.5", "-"]
        if "pattern" in schema or "enum" in schema:
            hostile.append("%00")
        for value in hostile:
            await assert_refused(raw, op, None, name, url=f"{prefix}{name}={value}")
        await assert_refused(raw, op, None, name, url=f"{prefix}{name}=a&{name}=b")
    await assert_refused(raw, op, None, "nosuchparameter", url=f"{op.url()}?nosuchparameter=1")
    await assert_server_answers(raw)


@pytest.mark.parametrize("op", WITH_PATH, ids=lambda op: op.id)
async def test_every_path_parameter_refuses_hostile_text(raw, op) -> None:
    for name in op.path_params:
        for value in ("x" * 20_000, "%FF%FE", "%ED%A0%80", "a%00b", "a%0Ab"):
            status, answer = await raw(op.method, op.url(**{name: value}), None)
            # A route whose pattern already excludes the value does not match: tornado or
            # Jupyter answer (404, or 400 for a path that is not UTF-8) before any handler.
            assert status in (400, 404), (op.id, name, value[:20], status)
            if isinstance(answer, dict) and status == 400:
                assert answer.get("field") == name, (op.id, answer)
    await assert_server_answers(raw)


def test_every_request_string_has_a_documented_maximum_length() -> None:
    """The contract's side of the rule: each string of a body, query or path is bounded."""
    unbounded = []
    for op in OPERATIONS:
        for name, schema in {**op.query_params, **op.path_params}.items():
            if (
                schema.get("type") == "string"
                and "maxLength" not in schema
                and "enum" not in schema
            ):
                unbounded.append(f"{op.id} {name}")
        if op.body is not None:
            for path, schema in string_fields(op.body):
                if "maxLength" not in schema and "enum" not in schema:
                    unbounded.append(f"{op.id} {field_name(path)}")
    assert unbounded == []


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


def test_every_pattern_is_a_bounded_character_class() -> None:
    """No pattern can backtrack: an optional first character or `/`, then one bracket class
    repeated a bounded number of times, anchored at both ends."""
    simple = re.compile(r"\^(?:\[[^\]]+\]|/)?\[[^\]]+\]\{\d+(?:,\d+)?\}\$")
    patterns = _patterns(load_document())
    assert patterns
    for pattern in patterns:
        assert simple.fullmatch(pattern), pattern


@pytest.mark.parametrize(
    "op", [op for op in OPERATIONS if op.body is None and op.method == "post"], ids=lambda op: op.id
)
async def test_a_route_without_a_documented_body_refuses_one(raw, op) -> None:
    await assert_refused(raw, op, b'{"unexpected": 1}', "body")
    await assert_refused(raw, op, deep_array().encode(), "body")


def integer_fields(schema: dict[str, Any], path: tuple = ()) -> list[tuple[tuple, dict]]:
    """(path, schema) of every bounded integer a body may hold (top-level and nested)."""
    found = []
    kind = schema.get("type")
    if "integer" in (kind if isinstance(kind, list) else [kind]):
        found.append((path, schema))
    for name, sub in schema.get("properties", {}).items():
        found += integer_fields(sub, (*path, name))
    return found


def boundary_cases(schema: dict[str, Any]) -> list[Any]:
    """Just outside each bound, far outside, and values of the wrong numeric kind."""
    cases: list[Any] = [1.5, "1", True, 2**70]
    if "minimum" in schema:
        cases += [schema["minimum"] - 1, -(2**63)]
    if "maximum" in schema:
        cases += [schema["maximum"] + 1, 2**63]
    return cases


BOUNDED_BODIES = [op for op in WITH_BODY if integer_fields(op.body)]
BOUNDED_QUERIES = [
    op for op in WITH_QUERY if any(s.get("type") == "integer" for s in op.query_params.values())
]


@pytest.mark.parametrize("op", BOUNDED_BODIES, ids=lambda op: op.id)
async def test_numbers_beyond_their_bounds_in_bodies_are_a_400(raw, op) -> None:
    valid = op.valid_body()
    for path, schema in integer_fields(op.body):
        for value in boundary_cases(schema):
            body = body_bytes(with_value(valid, path, value))
            await assert_refused(raw, op, body, field_name(path))


@pytest.mark.parametrize("op", BOUNDED_QUERIES, ids=lambda op: op.id)
async def test_numbers_beyond_their_bounds_in_queries_are_a_400(raw, op) -> None:
    for name, schema in op.query_params.items():
        if schema.get("type") != "integer":
            continue
        for value in boundary_cases(schema):
            if isinstance(value, str):
                continue  # in a query string every value is text: "1" is the number 1
            text = "true" if value is True else str(value)
            await assert_refused(raw, op, None, name, url=f"{op.url()}?{name}={text}")
