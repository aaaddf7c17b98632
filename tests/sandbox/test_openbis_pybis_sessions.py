"""The real pybis logs in, checks, expires and ends sessions against the sandbox openBIS.

Runs against the shared sandbox process, except session expiry: that one ends every
session, so it gets a private in-process server and leaves other tests' sessions alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pybis import Openbis

from reana_openbis_lab_sandbox.credentials import OPENBIS_PAT, OPENBIS_USERS
from reana_openbis_lab_sandbox.handle import Sandbox
from reana_openbis_lab_sandbox.openbis.background import RunningOpenbis, running_openbis


@pytest.fixture
def private_openbis(tmp_path: Path) -> Iterator[RunningOpenbis]:
    with running_openbis(tmp_path / "openbis") as server:
        yield server


def client(url: str, token: str | None = None) -> Openbis:
    return Openbis(
        url,
        verify_certificates=False,
        token=token,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
    )


def test_login_with_password_opens_an_active_session(rol_sandbox: Sandbox) -> None:
    # Given a pybis client
    o = client(rol_sandbox.openbis_url)
    # When alice logs in with her password
    token = o.login("alice", OPENBIS_USERS["alice"])
    # Then the token names her, as openBIS tokens do, and the session is active
    assert token.startswith("alice-")
    assert o.is_session_active() is True


def test_wrong_password_is_refused(rol_sandbox: Sandbox) -> None:
    # Given a pybis client
    o = client(rol_sandbox.openbis_url)
    # When the password is wrong, Then pybis reports the failed login (login returned null)
    with pytest.raises(ValueError, match="login to openBIS failed"):
        o.login("alice", "not-her-password")
    # And an unknown user fails the same way
    with pytest.raises(ValueError, match="login to openBIS failed"):
        o.login("mallory", "anything")


def test_personal_access_token_works_as_session_token(rol_sandbox: Sandbox) -> None:
    # Given alice's personal access token
    # When pybis is built with it (pybis checks it with isSessionActive)
    o = client(rol_sandbox.openbis_url, token=OPENBIS_PAT)
    # Then calls succeed with it
    assert o.is_session_active() is True
    assert {"LAB_A", "LAB_B"} <= set(o.get_spaces().df["code"])


def test_unknown_token_is_refused_at_construction(rol_sandbox: Sandbox) -> None:
    # Given a made-up token, When pybis validates it, Then it refuses to use it
    with pytest.raises(ValueError, match="no longer valid"):
        client(rol_sandbox.openbis_url, token="alice-000000000000000xDEADBEEF")


def test_server_information_selects_fast_download_v2(rol_sandbox: Sandbox) -> None:
    # Given a logged-in client
    o = client(rol_sandbox.openbis_url)
    o.login("alice", OPENBIS_USERS["alice"])
    # When pybis reads the server information
    info = o.get_server_information()
    # Then the api version makes pybis use v3 upload and fast download protocol 2
    assert info.api_version == "3.7"
    assert info.is_version_greater_than(3, 6)
    assert info.project_samples_enabled is True
    assert info.personal_access_tokens_enabled is True


def test_logout_ends_the_session(rol_sandbox: Sandbox) -> None:
    # Given a logged-in client and its token
    o = client(rol_sandbox.openbis_url)
    token = o.login("alice", OPENBIS_USERS["alice"])
    # When it logs out
    o.logout()
    # Then the old token is no longer active
    assert o.is_token_valid(token) is False


def test_expired_sessions_fail_with_an_error_envelope(private_openbis: RunningOpenbis) -> None:
    # Given a logged-in client
    o = client(private_openbis.url)
    o.login("admin", OPENBIS_USERS["admin"])
    # When the sandbox expires every session
    response = requests.post(
        f"{private_openbis.url}/__sandbox__/openbis/expire-sessions", timeout=10
    )
    assert response.status_code == 200
    # Then the session is inactive and a call fails with openBIS's message
    assert o.is_session_active() is False
    with pytest.raises(ValueError, match="Session no longer available"):
        o.get_spaces()
    # And a personal access token survives, as PATs outlive login sessions
    assert client(private_openbis.url, token=OPENBIS_PAT).is_session_active() is True
