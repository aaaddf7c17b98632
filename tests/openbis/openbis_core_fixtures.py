"""Fixtures of the connection, browsing and failure tests: a server whose only openBIS
connection points at the sandbox, and helpers to log in through the REST API.

Test modules import the fixtures they use (pytest finds fixtures in a module's namespace).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import pytest

#: The user connection every test creates (not a preset: the tests add it through the API).
CONNECTION = "sandbox"
BASE = f"openbis/connections/{CONNECTION}"


@pytest.fixture
def extension_config() -> dict[str, Any]:
    """A short call timeout keeps the hang tests quick; every other call answers at once."""
    return {"openbis_timeout": 5.0}


async def connect(api: Any, sandbox: Any, **login: Any) -> dict[str, Any]:
    """Add alice's connection to the sandbox and log in (with her password unless told otherwise).

    A plain coroutine, not a fixture: pytest-jupyter runs async tests but not async fixtures.
    """
    status, _ = await api(
        "POST",
        "openbis/connections",
        {"name": CONNECTION, "url": sandbox.openbis_url, "username": "alice"},
    )
    assert status == 201
    body = login or {"password": sandbox.openbis_users["alice"]}
    status, info = await api("POST", f"{BASE}/login", body)
    assert status == 200, info
    return info


def assert_nowhere(
    secrets: Iterable[str], *texts: str, records: Iterable[logging.LogRecord] = ()
) -> None:
    """No secret appears in any of the texts nor in any log record (message or arguments)."""
    logged = [r.getMessage() for r in records]
    for secret in secrets:
        for text in [*texts, *logged]:
            assert secret not in text
