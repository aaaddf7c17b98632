"""A REANA user's secrets: names and types listed, values added and deleted, never read back.

REANA keeps secrets in a Kubernetes secret per user and mounts them into every job: `env`
secrets as environment variables, `file` secrets as files in `/etc/reana/secrets/`. Its API
lists names and types only. The value travels once, base64-encoded as REANA stores it, from
the browser through this module to REANA; nothing here keeps, logs or returns it, and an
error REANA sends back has any copy of it masked before a user or a log line sees it.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Conflict, InvalidInput, LabError, NotFound
from ..scrub import scrub
from .client import ReanaClient

KINDS = ("env", "file")
#: A Kubernetes secret key (what REANA stores each secret under).
NAME = re.compile(r"^[-._A-Za-z0-9]{1,253}$")
#: What a shell accepts as an environment variable's name.
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: REANA keeps all of a user's secrets in one Kubernetes Secret, which holds at most 1 MiB of
#: base64 text (4/3 of the bytes): one value of 512 KiB leaves room for the others.
MAX_VALUE_BYTES = 512 * 1024


def check_name(name: Any, kind: str) -> str:
    if not isinstance(name, str) or not NAME.match(name) or name in (".", ".."):
        raise InvalidInput(
            "'name' may hold letters, digits, '-', '_' and '.' (at most 253)", field="name"
        )
    if kind == "env" and not ENV_NAME.match(name):
        raise InvalidInput(
            "An environment variable's name starts with a letter or '_' and holds only "
            "letters, digits and '_'",
            field="name",
        )
    return name


def decoded_value(value: Any, kind: str) -> bytes:
    """The value's bytes; base64 that does not decode, or a value too big, is a 400."""
    if not isinstance(value, str):
        raise InvalidInput("'value' must be the secret's value, base64-encoded", field="value")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise InvalidInput("'value' is not valid base64", field="value") from None
    if not raw and kind == "env":
        raise InvalidInput("'value' must not be empty", field="value")
    if len(raw) > MAX_VALUE_BYTES:
        raise InvalidInput(
            f"'value' is larger than REANA keeps ({MAX_VALUE_BYTES // 1024} KiB)", field="value"
        )
    if kind == "env" and b"\0" in raw:
        raise InvalidInput("An environment variable cannot hold a NUL character", field="value")
    return raw


async def listed(client: ReanaClient) -> list[dict[str, str]]:
    """Names and types, sorted by name; anything REANA sends besides them is dropped."""
    items = await client.list_secrets()
    secrets = [
        {
            "name": str(item["name"]),
            "type": str(kind) if (kind := item.get("type")) in KINDS else "env",
        }
        for item in items
        if isinstance(item.get("name"), str)
    ]
    return sorted(secrets, key=lambda s: s["name"].lower())


@dataclass(frozen=True)
class NewSecret:
    """`POST .../secrets`, as the contract checked it; the value is never shown in a repr."""

    name: str
    type: str
    value: str = field(repr=False)
    overwrite: bool = False


async def add(client: ReanaClient, request: NewSecret) -> dict[str, str]:
    """Send one secret to REANA; 409 `secret_exists` when it has one of that name and
    `overwrite` is false."""
    kind, value = request.type, request.value
    if kind not in KINDS:
        raise InvalidInput("'type' must be env or file", field="type")
    name = check_name(request.name, kind)
    raw = decoded_value(value, kind)
    try:
        await client.add_secret(name, kind, value, overwrite=request.overwrite)
    except Conflict:
        raise Conflict(
            f"A secret named '{name}' exists already; replace it to change its value",
            field="name",
            code="secret_exists",
        ) from None
    except LabError as exc:
        masked = [value, raw.decode("utf-8", "replace")] if raw else [value]
        raise type(exc)(
            scrub(exc.message, masked), field=exc.field, code=exc.code, details=exc.details
        ) from None
    return {"name": name, "type": kind}


async def delete(client: ReanaClient, name: str) -> None:
    try:
        await client.delete_secret(name)
    except NotFound:
        raise NotFound(f"There is no secret named '{name}'", field="name") from None
