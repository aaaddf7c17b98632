"""One source of request shape: every body is checked by openapi.yaml, and handlers get it as a
typed request whose fields are exactly the schema's keys.

A handler verb with a documented body declares its dataclass (`@endpoint(body=...)`); these
tests keep the dataclass and the schema equal (keys, which are required, defaults, nested
objects), and every object of every body closed to unknown keys, so a typo in a field name
is a 400 naming it instead of a silently ignored value.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Mapping
from typing import Any

import pytest

from reana_openbis_lab.errors import InvalidInput
from reana_openbis_lab.handlers import all_routes, own_methods, request_contract
from reana_openbis_lab.handlers.contract import load_document, route_to_template
from reana_openbis_lab.handlers.typed import from_body, json_key

DOCUMENT = load_document()


def resolve(schema: Any) -> Any:
    """`$ref` replaced by what it points to; `allOf` parts merged (properties, required)."""
    if isinstance(schema, dict) and "$ref" in schema:
        target: Any = DOCUMENT
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return resolve({**target, **{k: v for k, v in schema.items() if k != "$ref"}})
    if isinstance(schema, dict) and "allOf" in schema:
        merged: dict[str, Any] = {"properties": {}, "required": []}
        for part in schema["allOf"]:
            part = resolve(part)
            for name, sub in part.get("properties", {}).items():
                merged["properties"][name] = {**merged["properties"].get(name, {}), **sub}
            merged["required"] += part.get("required", [])
            merged.update(
                {k: v for k, v in part.items() if k not in ("properties", "required", "allOf")}
            )
        return merged
    return schema


def bodies() -> list[tuple[str, str, type, Any]]:
    """(template, method, handler, body schema or None) of every registered operation."""
    found = []
    for pattern, handler in all_routes():
        template = route_to_template(pattern)
        for method in sorted(own_methods(handler)):
            body = DOCUMENT["paths"][template][method].get("requestBody")
            schema = resolve(body["content"]["application/json"]["schema"]) if body else None
            found.append((template, method, handler, schema))
    return found


BODIES = bodies()
WITH_BODY = [b for b in BODIES if b[3] is not None]


def _hint_class(hint: Any) -> Any:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if len(args) == 1 else hint


def assert_same_shape(cls: type, schema: dict[str, Any], where: str) -> None:
    properties = {k: resolve(v) for k, v in schema.get("properties", {}).items()}
    required = set(schema.get("required", []))
    fields = {json_key(cls, f): f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    assert set(fields) == set(properties), f"{where}: {cls.__name__} keys differ from the schema"
    hints = typing.get_type_hints(cls)
    for key, field in fields.items():
        has_default = (
            field.default is not dataclasses.MISSING
            or field.default_factory is not dataclasses.MISSING
        )
        assert has_default == (key not in required), f"{where}.{key}: required differs"
        documented = properties[key].get("default")
        if field.default is not dataclasses.MISSING and field.default not in (None, ()):
            assert documented == field.default, f"{where}.{key}: default differs"
        elif documented is not None:
            assert documented in ({}, []), f"{where}.{key}: schema default {documented!r} unused"
        nested = _hint_class(hints[field.name])
        if dataclasses.is_dataclass(nested):
            assert_same_shape(nested, properties[key], f"{where}.{key}")  # type: ignore[arg-type]
        elif typing.get_origin(nested) is tuple:
            item = typing.get_args(nested)[0]
            if dataclasses.is_dataclass(item):
                items = resolve(properties[key]["items"])
                assert_same_shape(item, items, f"{where}.{key}[]")  # type: ignore[arg-type]


@pytest.mark.parametrize("template,method,handler,schema", BODIES, ids=lambda v: str(v)[:60])
def test_a_verb_takes_a_typed_body_exactly_when_it_has_one(
    template: str, method: str, handler: type, schema: Any
) -> None:
    declared = getattr(getattr(handler, method), "body_type", None)
    assert (declared is not None) == (schema is not None), f"{method.upper()} {template}"


@pytest.mark.parametrize("template,method,handler,schema", WITH_BODY, ids=lambda v: str(v)[:60])
def test_each_request_type_has_the_keys_defaults_and_nesting_of_its_schema(
    template: str, method: str, handler: type, schema: Any
) -> None:
    cls = getattr(handler, method).body_type
    assert_same_shape(cls, schema, f"{method.upper()} {template}")


def closed_objects(schema: Any, where: str = "body") -> list[str]:
    """Paths of objects with named properties that still take unknown keys."""
    schema = resolve(schema)
    if not isinstance(schema, Mapping):
        return []
    open_ones = []
    if "properties" in schema and schema.get("additionalProperties") is not False:
        open_ones.append(where)
    for name, sub in schema.get("properties", {}).items():
        open_ones += closed_objects(sub, f"{where}.{name}")
    if isinstance(schema.get("items"), Mapping):
        open_ones += closed_objects(schema["items"], f"{where}[]")
    return open_ones


@pytest.mark.parametrize("template,method,handler,schema", WITH_BODY, ids=lambda v: str(v)[:60])
def test_every_body_object_refuses_unknown_keys(
    template: str, method: str, handler: type, schema: Any
) -> None:
    body = DOCUMENT["paths"][template][method]["requestBody"]["content"]["application/json"]
    assert closed_objects(body["schema"]) == [], f"{method.upper()} {template}"


def test_a_checked_body_becomes_its_typed_request() -> None:
    from reana_openbis_lab.handlers.openbis_transfers import UploadsHandler
    from reana_openbis_lab.openbis.upload_validation import UploadRequest, UploadTarget

    body = {
        "connection": "lab",
        "paths": ["a.csv", "b"],
        "datasetType": "RAW_DATA",
        "target": {"kind": "object", "id": "/S/P/O"},
        "includeNotebook": None,
    }
    checked = (
        request_contract().operation(UploadsHandler, "post").check_body(json.dumps(body).encode())
    )
    request = from_body(UploadRequest, checked)
    assert request == UploadRequest(
        connection="lab",
        paths=("a.csv", "b"),
        dataset_type="RAW_DATA",
        target=UploadTarget(kind="object", id="/S/P/O"),
    )


@pytest.mark.parametrize("template,method,handler,schema", WITH_BODY, ids=lambda v: str(v)[:60])
def test_unknown_keys_are_refused_and_each_is_named(
    template: str, method: str, handler: type, schema: Any
) -> None:
    """Issue 16.6: a typo in a field name was accepted and did nothing."""
    operation = request_contract().operation(handler, method)
    typos = {"zz_typo": 1, "aa_typo": 2}
    with pytest.raises(InvalidInput) as refused:
        operation.check_body(json.dumps(typos).encode())
    # What was sent wrong comes before what was left out, and every unknown key is named
    assert refused.value.field == "aa_typo", refused.value
    assert "'aa_typo', 'zz_typo'" in str(refused.value)


# The examples, over HTTP: a valid body with one misspelt key; no job may start.
MISSPELT = [
    (
        "openbis/uploads",
        {
            "connection": "lab",
            "paths": ["a.csv"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "object", "id": "/S/P/O"},
            "parent": ["20240101-1"],
        },
        "parent",
    ),
    (
        "openbis/uploads",
        {
            "connection": "lab",
            "paths": ["a.csv"],
            "datasetType": "RAW_DATA",
            "target": {"kind": "object", "id": "/S/P/O", "typ": "x"},
        },
        "target.typ",
    ),
    ("reana/run", {"connection": "r", "path": "reana.yaml", "nmae": "x"}, "nmae"),
    ("reana/create", {"connection": "r", "path": "reana.yaml", "nmae": "x"}, "nmae"),
]


@pytest.mark.parametrize("path,body,typo", MISSPELT, ids=lambda v: str(v)[:30])
async def test_a_misspelt_key_is_a_400_naming_it_before_any_work(
    api, path: str, body: dict[str, Any], typo: str
) -> None:
    status, reply = await api("POST", path, body)
    assert (status, reply["code"], reply["field"]) == (400, "invalid_input", typo), reply
    assert f"'{typo}'" in reply["message"]
    _, jobs = await api("GET", "jobs")
    assert jobs["jobs"] == []
