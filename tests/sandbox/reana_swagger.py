"""Check sandbox responses against reana-server's own Swagger document (shipped in reana-commons).

bravado only checks what reana-client calls; this covers the rest: every status code must
be one the operation declares, JSON must say application/json, and bodies must match.
"""

from __future__ import annotations

import copy
import json
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
