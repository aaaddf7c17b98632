"""REANA secrets: listed by name and type, added as an environment variable or a file,
deleted; the value goes to REANA once and is never returned, logged or kept here."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from pathlib import Path

import pytest

from .reana_helpers import add_connection

SECRETS = "reana/connections/sandbox/secrets"


def b64(text: str | bytes) -> str:
    raw = text.encode() if isinstance(text, str) else text
    return base64.b64encode(raw).decode()


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


async def listed(api) -> dict[str, str]:
    status, body = await api("GET", SECRETS)
    assert status == 200, body
    return {s["name"]: s["type"] for s in body["secrets"]}


async def test_add_list_replace_and_delete(api, rol_sandbox):
    await add_connection(api, rol_sandbox)
    env, keytab = unique("API_KEY"), unique("user.keytab")
    # When an environment variable and a file are added
    status, body = await api("POST", SECRETS, {"name": env, "type": "env", "value": b64("s3cr3t")})
    assert (status, body) == (201, {"name": env, "type": "env"})
    status, _ = await api(
        "POST", SECRETS, {"name": keytab, "type": "file", "value": b64(b"\x05\x02\x00binary")}
    )
    assert status == 201
    # Then the list names them with their types, and nothing else
    secrets = await listed(api)
    assert secrets[env] == "env" and secrets[keytab] == "file"
    # A second one of the same name is a 409 the dialog can resolve by replacing it
    status, body = await api("POST", SECRETS, {"name": env, "type": "env", "value": b64("other")})
    assert (status, body["code"], body["field"]) == (409, "secret_exists", "name")
    assert "replace it" in body["message"] and "overwrite" not in body["message"]
    status, _ = await api(
        "POST", SECRETS, {"name": env, "type": "env", "value": b64("other"), "overwrite": True}
    )
    assert status == 201
    # When deleted, they are gone; deleting again is a 404 naming the secret
    for name in (env, keytab):
        status, _ = await api("DELETE", f"{SECRETS}/{name}")
        assert status == 204
    assert env not in await listed(api)
    status, body = await api("DELETE", f"{SECRETS}/{env}")
    assert status == 404 and env in body["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "1BAD", "type": "env", "value": b64("x")}, "name"),
        ({"name": "has space", "type": "file", "value": b64("x")}, "name"),
        ({"name": "..", "type": "file", "value": b64("x")}, "name"),
        ({"name": "OK", "type": "env", "value": "not base64!"}, "value"),
        ({"name": "OK", "type": "env", "value": ""}, "value"),
        ({"name": "OK", "type": "env", "value": b64("a\0b")}, "value"),
        ({"name": "OK", "type": "ssh", "value": b64("x")}, "type"),
        ({"name": "OK", "type": "file", "value": b64(b"x" * (512 * 1024 + 1))}, "value"),
    ],
)
async def test_bad_secrets_are_refused_naming_the_field(api, rol_sandbox, body, field):
    await add_connection(api, rol_sandbox)
    status, answer = await api("POST", SECRETS, body)
    assert status == 400, answer
    assert answer["field"] == field
    assert body["value"][:40] not in answer["message"] or not body["value"]


async def test_the_value_is_never_returned_logged_or_kept(
    api, rol_sandbox, caplog, jp_root_dir: Path, jp_server_config
):
    """The canary: a value that must appear nowhere but at REANA."""
    caplog.set_level(logging.DEBUG)
    await add_connection(api, rol_sandbox)
    canary = f"canary-{uuid.uuid4().hex}"
    encoded = b64(canary)
    name = unique("CANARY")
    seen: list[str] = []

    async def call(method: str, path: str, body=None):
        status, answer = await api(method, path, body)
        seen.append(json.dumps(answer))
        return status, answer

    status, _ = await call("POST", SECRETS, {"name": name, "type": "env", "value": encoded})
    assert status == 201
    await call("GET", SECRETS)
    # A second add that REANA refuses with a message quoting the value (a hostile or buggy
    # server): the error shown still does not carry it
    rol_sandbox.set_faults(
        "reana",
        [
            {
                "path": "/api/secrets/$",
                "http_method": "POST",
                "status": 500,
                "body": json.dumps({"message": f"cannot store {encoded} ({canary})"}),
            }
        ],
    )
    status, answer = await call(
        "POST", SECRETS, {"name": name, "type": "env", "value": encoded, "overwrite": True}
    )
    assert status == 502 and "cannot store" in answer["message"]
    await call("GET", "jobs")
    await call("GET", "reana/connections")
    # Then neither the value nor its base64 form is in any answer, log record or file
    data_dir = Path(jp_server_config["ReanaOpenbisLab"]["data_dir"])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for text in (*seen, logged):
        assert canary not in text and encoded not in text
    for folder in (data_dir, jp_root_dir):
        for path in folder.rglob("*"):
            if path.is_file():
                content = path.read_bytes()
                assert canary.encode() not in content and encoded.encode() not in content, path
    # And REANA has it, under the name, as the base64 it was sent as
    stored = rol_sandbox.reana_account()["secrets"][name]
    assert stored == {"type": "env", "value": encoded}
    await api("DELETE", f"{SECRETS}/{name}")
