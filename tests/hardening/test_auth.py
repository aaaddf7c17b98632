"""Every operation of openapi.yaml refuses a caller without valid credentials, and every
mutation refuses a browser session without the right XSRF token: 401/403 and nothing done.

The operations come from the contract file, so a new route is covered by being documented
(and test_contract keeps the file equal to the registered routes).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_contract import load_contract
from tests.test_xsrf import browser_session

from .support import MUTATIONS, fill_template, operations, snapshot

#: Path parameters naming things that exist, so a request that got through would do something.
PATH_VALUES = {
    "name": "lab",
    "workflow": "w1",
    "perm_id": "20240101000000000-1",
    "kind": "datasets",
}
#: Values for string fields by name, so generated bodies look like real requests.
STRING_VALUES = {"url": "http://127.0.0.1:9", "connection": "lab", "name": "intruder"}
UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture
def extension_config() -> dict[str, Any]:
    """No sandbox: the routes must refuse before they would reach one."""
    return {}


def resolve(schema: dict[str, Any], contract: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = contract
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = resolve(part, contract)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    return schema


def example(schema: dict[str, Any], contract: dict[str, Any], name: str = "") -> Any:
    """A small valid-looking instance of `schema`: required fields, first enum values."""
    schema = resolve(schema, contract)
    if "oneOf" in schema:
        return example(schema["oneOf"][0], contract, name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {
            key: example(props.get(key, {}), contract, key) for key in schema.get("required", [])
        }
    if kind == "array":
        return [example(schema.get("items", {}), contract, name)]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return STRING_VALUES.get(name, "x")


def requests() -> Iterator[tuple[str, str, bytes | None]]:
    """(verb, path, body) for every documented operation."""
    contract = load_contract()
    for template, method, operation in operations():
        body = None
        if method in ("post", "put", "patch"):
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            body = json.dumps(example(schema, contract)).encode()
        yield method.upper(), fill_template(template, PATH_VALUES), body


async def server_state(api: Any, root: Path, data_dir: Path) -> Any:
    """What a refused request must not have changed."""
    state = []
    for path in ("openbis/connections", "reana/connections", "jobs"):
        status, body = await api("GET", path)
        assert status == 200
        state.append(body)
    return state, snapshot(root), snapshot(data_dir)


@pytest.fixture
def lab_state(api, jp_root_dir: Path, jp_server_config: dict[str, Any]) -> Any:
    """User connections named in the paths, and a file named in the bodies, then a state reader."""
    (jp_root_dir / "x").write_text("x")
    data_dir = Path(jp_server_config["ReanaOpenbisLab"]["data_dir"])

    async def read() -> Any:
        return await server_state(api, jp_root_dir, data_dir)

    async def prepare() -> None:
        status, _ = await api("POST", "openbis/connections", {"name": "lab", "url": UNREACHABLE})
        assert status == 201
        status, _ = await api(
            "POST",
            "reana/connections",
            {
                "name": "lab",
                "url": UNREACHABLE,
                "accessToken": "auth-test-token-0123456789",
                "check": False,
            },
        )
        assert status == 201

    return prepare, read


def test_every_documented_operation_is_generated() -> None:
    generated = list(requests())
    assert len(generated) == len(list(operations())) >= 40
    assert {verb for verb, _, _ in generated} >= {"GET", "POST", "PATCH", "DELETE"}


async def test_no_credentials_and_wrong_tokens_are_refused(
    http_server_client, jp_base_url, lab_state
) -> None:
    prepare, read = lab_state
    await prepare()
    before = await read()
    wrong = [
        {},
        {"Authorization": "token wrong-token"},
        {"Authorization": "Bearer wrong-token"},
        {"Cookie": "username-127-0-0-1=forged; _xsrf=forged", "X-XSRFToken": "forged"},
    ]
    for verb, path, body in requests():
        for headers in wrong:
            # When an operation is called without valid credentials
            response = await http_server_client.fetch(
                f"{jp_base_url}reana-openbis-lab{path}",
                method=verb,
                body=body,
                headers=headers,
                allow_nonstandard_methods=True,
                raise_error=False,
                follow_redirects=False,
            )
            # Then it is refused
            assert response.code in (401, 403), (verb, path, headers, response.code)
        response = await http_server_client.fetch(
            f"{jp_base_url}reana-openbis-lab{path}?token=wrong-token",
            method=verb,
            body=body,
            allow_nonstandard_methods=True,
            raise_error=False,
            follow_redirects=False,
        )
        assert response.code in (401, 403), (verb, path, "?token=", response.code)
    # And nothing changed on the server
    assert await read() == before


async def test_browser_mutations_without_the_right_xsrf_token_are_refused(
    http_server_client, jp_base_url, jp_serverapp, lab_state
) -> None:
    prepare, read = lab_state
    await prepare()
    before = await read()
    cookies = await browser_session(
        http_server_client, jp_base_url, jp_serverapp.identity_provider.token
    )
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    other = cookie.replace(cookies["_xsrf"], "2|00000000|" + "0" * 32 + "|1700000000")
    attempts = [
        {"Cookie": cookie},
        {"Cookie": cookie, "X-XSRFToken": "wrong"},
        {"Cookie": cookie, "X-XSRFToken": "2|00000000|" + "0" * 32 + "|1700000000"},
        {"Cookie": other, "X-XSRFToken": cookies["_xsrf"]},
    ]
    mutations = [(verb, path, body) for verb, path, body in requests() if verb.lower() in MUTATIONS]
    assert len(mutations) >= 20
    for verb, path, body in mutations:
        for headers in attempts:
            # When a logged-in browser sends a mutation without the matching XSRF token
            response = await http_server_client.fetch(
                f"{jp_base_url}reana-openbis-lab{path}",
                method=verb,
                body=body,
                headers=headers,
                allow_nonstandard_methods=True,
                raise_error=False,
                follow_redirects=False,
            )
            # Then it is refused
            assert response.code == 403, (verb, path, headers, response.code)
    # And nothing changed on the server, while the same session may still read
    assert await read() == before
    response = await http_server_client.fetch(
        f"{jp_base_url}reana-openbis-lab/openbis/connections",
        headers={"Cookie": cookie},
        raise_error=False,
    )
    assert response.code == 200
