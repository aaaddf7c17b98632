"""Check sandbox responses against reana-server's own Swagger document (shipped in reana-commons).

bravado only checks what reana-client calls; this covers the rest: every status code must
be one the operation declares, JSON must say application/json, and bodies must match.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema


def load_reana_server_spec(env: Path) -> dict[str, Any]:
    found = sorted(
        env.glob("lib/python*/site-packages/reana_commons/openapi_specifications/reana_server.json")
    )
    assert found, f"reana_server.json not found in {env}"
    return json.loads(found[0].read_text())


def _as_json_schema(schema: Any) -> Any:
    """Swagger 2.0 `x-nullable` means JSON Schema's `"type": [..., "null"]`."""
    if isinstance(schema, dict):
        converted = {k: _as_json_schema(v) for k, v in schema.items() if k != "x-nullable"}
        if schema.get("x-nullable") and "type" in converted:
            converted["type"] = [converted["type"], "null"]
        return converted
    if isinstance(schema, list):
        return [_as_json_schema(item) for item in schema]
    return schema


def check_response(spec: dict[str, Any], template: str, response: httpx.Response) -> None:
    """Assert that `response` is one the Swagger operation at `template` could give."""
    method = response.request.method.lower()
    operation = spec["paths"][template][method]
    declared = operation["responses"]
    status = str(response.status_code)
    assert status in declared, (
        f"{method.upper()} {template} answered {status}, declared {sorted(declared)}"
    )
    schema = declared[status].get("schema")
    if schema is None or schema.get("type") == "file":
        return
    assert response.headers["content-type"] == "application/json", response.headers
    jsonschema.validate(response.json(), _as_json_schema(copy.deepcopy(schema)))


def spec_in(env: Path) -> dict[str, Any]:
    """The reana_server.json of the reana-commons installed in `env`."""
    return load_reana_server_spec(env)


def _template_pattern(template: str) -> re.Pattern[str]:
    """A spec path as a regex: `{file_name}` may hold slashes, other parameters may not."""
    pattern = re.escape(template)
    pattern = pattern.replace(re.escape("{file_name}"), ".+")
    pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", pattern)
    return re.compile(f"^{pattern}$")


def operation_for(spec: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The template and operation a concrete request matches (literal paths win)."""
    templates = sorted(spec["paths"], key=lambda t: -len(re.sub(r"\{[^}]+\}", "", t)))
    for template in templates:
        operation = spec["paths"][template].get(method.lower())
        if operation is not None and _template_pattern(template).match(path):
            return template, operation
    raise AssertionError(f"{method} {path}: no operation of the specification matches")


def check_exchange(spec: dict[str, Any], exchange: dict[str, Any]) -> None:
    """Assert that a recorded sandbox answer is one the specification allows."""
    method, path, status = exchange["method"], exchange["path"], str(exchange["status"])
    template, operation = operation_for(spec, method, path)
    declared = operation["responses"]
    assert status in declared, f"{method} {template} answered {status}, declared {sorted(declared)}"
    schema = declared[status].get("schema")
    if schema is None or schema.get("type") == "file" or exchange["body"] is None:
        return
    assert exchange["content_type"] == "application/json", exchange
    resolved = _resolve(schema, spec)
    jsonschema.validate(exchange["body"], _as_json_schema(copy.deepcopy(resolved)))


def _resolve(schema: Any, spec: dict[str, Any]) -> Any:
    """Inline `#/definitions/...` references."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            return _resolve(spec["definitions"][ref.rsplit("/", 1)[1]], spec)
        return {k: _resolve(v, spec) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_resolve(item, spec) for item in schema]
    return schema
