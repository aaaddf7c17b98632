"""Requests built from openapi.yaml: every operation, a valid value for every schema, and the
place of every string field, so that hostile-input suites cover routes added later too.

`valid_value` picks the first candidate a schema accepts (its enum, its default, or a few
plain words and identifiers); `string_fields` lists the JSON paths of every string a body
may hold, through objects and lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from jsonschema import Draft4Validator

from reana_openbis_lab.handlers.contract import load_document, to_json_schema

METHODS = ("get", "post", "put", "patch", "delete")
#: Values tried, in order, for a string schema without enum or default.
STRING_CANDIDATES = (
    "demo",
    "/SPACE/PROJECT/COLLECTION",
    "/SPACE/PROJECT",
    "20240101000000000-1",
    "python-3.11",
    "requirements.txt",
    "0123456789abcdef0123456789abcdef",
    "a",
)

Path = tuple[str | int, ...]


@dataclass
class Operation:
    template: str
    method: str
    path_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    query_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    required_query: set[str] = field(default_factory=set)
    body: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.template}"

    def url(self, **override: str) -> str:
        """The path with valid (or the given, already percent-encoded) path parameters."""
        url = self.template
        for name, schema in self.path_params.items():
            value = override.get(name) or quote(valid_value(schema), safe="")
            url = url.replace("{" + name + "}", value)
        return url.lstrip("/")

    def query(self) -> dict[str, str]:
        """The required query parameters with valid values."""
        return {name: str(valid_value(self.query_params[name])) for name in self.required_query}

    def valid_body(self) -> dict[str, Any] | None:
        return None if self.body is None else valid_value(self.body)


def operations() -> list[Operation]:
    document = load_document()
    found = []
    for template, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            operation = Operation(template, method)
            for parameter in (*item.get("parameters", ()), *spec.get("parameters", ())):
                parameter = to_json_schema(parameter, document)
                schema = parameter.get("schema", {})
                if parameter["in"] == "path":
                    operation.path_params[parameter["name"]] = schema
                elif parameter["in"] == "query":
                    operation.query_params[parameter["name"]] = schema
                    if parameter.get("required"):
                        operation.required_query.add(parameter["name"])
            if "requestBody" in spec:
                body = to_json_schema(spec["requestBody"], document)
                operation.body = body["content"]["application/json"]["schema"]
            found.append(operation)
    return found


def _accepts(schema: dict[str, Any], value: Any) -> bool:
    return Draft4Validator(schema).is_valid(value)


def merged(schema: dict[str, Any]) -> dict[str, Any]:
    """allOf folded into one object schema (enough for the request schemas of this API)."""
    if "allOf" not in schema:
        return schema
    whole: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for part in schema["allOf"]:
        part = merged(part)
        whole["properties"].update(part.get("properties", {}))
        whole["required"] += part.get("required", [])
        if "additionalProperties" in part:
            whole["additionalProperties"] = part["additionalProperties"]
    return whole


def valid_value(schema: dict[str, Any]) -> Any:
    schema = merged(schema)
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    if "default" in schema and schema["default"] not in (None, ""):
        return schema["default"]
    for choice in ("oneOf", "anyOf"):
        if choice in schema:
            options = [o for o in schema[choice] if o.get("type") != "null"]
            return valid_value(options[0])
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "object" in kinds or "properties" in schema:
        return {
            name: valid_value(schema["properties"][name]) for name in schema.get("required", [])
        }
    if "array" in kinds:
        return [valid_value(schema.get("items", {}))] * schema.get("minItems", 0)
    if "integer" in kinds or "number" in kinds:
        return schema.get("minimum", 1)
    if "boolean" in kinds:
        return False
    for candidate in STRING_CANDIDATES:
        if _accepts(schema, candidate):
            return candidate
    raise AssertionError(f"no valid example for {schema}")


def string_fields(schema: dict[str, Any], path: Path = ()) -> Iterator[tuple[Path, dict]]:
    """(path, schema) of every declared string inside a body schema; list items as [0]."""
    schema = merged(schema)
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "string" in kinds:
        yield path, schema
    for choice in ("oneOf", "anyOf"):
        for option in schema.get(choice, []):
            if option.get("type") == "string":
                yield path, option
    for name, sub in schema.get("properties", {}).items():
        yield from string_fields(sub, (*path, name))
    if isinstance(schema.get("items"), dict):
        yield from string_fields(schema["items"], (*path, 0))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from string_fields(extra, (*path, "ANY_KEY"))


def with_value(body: Any, path: Path, value: Any) -> Any:
    """A copy of `body` with `value` at `path`, creating the objects and lists on the way."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(body) if isinstance(body, list) else []
        items = items or [None]
        items[0] = with_value(items[0], rest, value)
        return items
    copy = dict(body) if isinstance(body, dict) else {}
    copy[head] = with_value(copy.get(head), rest, value)
    return copy


def field_name(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
