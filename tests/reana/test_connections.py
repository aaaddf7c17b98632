"""REANA connections over the REST API: add, check, change, delete, persistence without tokens."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest

from reana_openbis_lab.errors import LoginRequired
from reana_openbis_lab.reana.connections import STORE_FILE, presets_from_config
from reana_openbis_lab.reana.service import ReanaService
from reana_openbis_lab.scrub import scrub, scrub_text

from .reana_helpers import add_connection, assert_no_token


async def test_adding_a_connection_checks_the_token_and_shows_the_account(api, rol_sandbox):
    # Given a running REANA sandbox
    # When the user adds it with a valid token
    status, body = await add_connection(api, rol_sandbox)
    # Then it is saved, checked, and the answer shows the account but never the token
    assert status == 201
    assert body["hasToken"] is True
    assert body["readOnly"] is False
    assert body["account"]["email"] == "alice@example.org"
    # REANA without quota limits reports usage only: no limit, no health
    assert body["account"]["quota"]["disk"]["usage"]["raw"] >= 0
    assert body["account"]["quota"]["disk"]["health"] is None
    assert body["account"]["quota"]["disk"]["limit"] is None
    assert_no_token(body, token=rol_sandbox.reana_token)
    status, listed = await api("GET", "reana/connections")
    assert [c["name"] for c in listed["connections"]] == ["sandbox"]
    assert_no_token(listed, token=rol_sandbox.reana_token)


async def test_metadata_is_saved_without_the_token_in_a_private_file(
    api, rol_sandbox, jp_server_config
):
    # Given a connection added by the user
    await add_connection(api, rol_sandbox, verifyCertificates=False)
    # When the connection file is read
    path = Path(jp_server_config["ReanaOpenbisLab"]["data_dir"]) / STORE_FILE
    saved = json.loads(path.read_text())
    # Then it holds name, URL and certificate choice, is 0600, and has no token
    assert saved["connections"] == [
        {"name": "sandbox", "url": rol_sandbox.reana_url, "verifyCertificates": False}
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert rol_sandbox.reana_token not in path.read_text()


async def test_a_rejected_token_is_a_403_and_nothing_is_saved(api, rol_sandbox):
    # When the user adds a connection with a wrong token
    status, body = await add_connection(api, rol_sandbox, token="not-the-token")
    # Then the answer says the token was rejected, and the connection does not exist
    assert status == 403
    assert body["message"] == "REANA rejected the access token"
    assert body["code"] == "token_rejected"
    assert "not-the-token" not in json.dumps(body)
    _, listed = await api("GET", "reana/connections")
    assert listed["connections"] == []


async def test_a_connection_can_be_saved_unchecked(api, rol_sandbox):
    # When the user saves a wrong token without checking it
    status, body = await add_connection(api, rol_sandbox, token="not-the-token", check=False)
    assert status == 201
    assert body["account"] is None
    # Then the explicit check reports the rejection as 403
    status, body = await api("POST", "reana/connections/sandbox/check")
    assert status == 403
    assert body["message"] == "REANA rejected the access token"


async def test_bad_input_names_the_field(api, rol_sandbox):
    cases = [
        ({"url": rol_sandbox.reana_url, "accessToken": "t"}, "name"),
        ({"name": "../x", "url": rol_sandbox.reana_url, "accessToken": "t"}, "name"),
        ({"name": "a", "accessToken": "t"}, "url"),
        ({"name": "a", "url": "ftp://example.org", "accessToken": "t"}, "url"),
        ({"name": "a", "url": "https://u:p@example.org", "accessToken": "t"}, "url"),
        (
            {"name": "a", "url": f"{rol_sandbox.reana_url}?access_token=x", "accessToken": "t"},
            "url",
        ),
        ({"name": "a", "url": rol_sandbox.reana_url}, "accessToken"),
        ({"name": "a", "url": rol_sandbox.reana_url, "accessToken": "   "}, "accessToken"),
        ({"name": "a", "url": rol_sandbox.reana_url, "accessToken": "t", "check": "yes"}, "check"),
    ]
    for body, field in cases:
        # When a malformed connection is posted
        status, answer = await api("POST", "reana/connections", body)
        # Then the 400 names the field at fault
        assert (status, answer.get("field")) == (400, field), body


async def test_duplicate_names_are_a_conflict(api, rol_sandbox):
    await add_connection(api, rol_sandbox)
    status, body = await add_connection(api, rol_sandbox)
    assert status == 409
    assert body["field"] == "name"


async def test_update_and_delete(api, rol_sandbox):
    # Given a connection saved with a wrong token
    await add_connection(api, rol_sandbox, token="wrong", check=False)
    # When the user enters the right token
    status, body = await api(
        "PATCH", "reana/connections/sandbox", {"accessToken": rol_sandbox.reana_token}
    )
    # Then it is checked and stored
    assert status == 200
    assert body["account"]["email"] == "alice@example.org"
    # And a wrong token in an update is refused and does not replace the good one
    status, _ = await api("PATCH", "reana/connections/sandbox", {"accessToken": "wrong-again"})
    assert status == 403
    status, _ = await api("POST", "reana/connections/sandbox/check")
    assert status == 200
    # When the connection is deleted, it is gone
    status, _ = await api("DELETE", "reana/connections/sandbox")
    assert status == 204
    status, body = await api("GET", "reana/connections/sandbox")
    assert status == 404
    status, _ = await api("DELETE", "reana/connections/sandbox")
    assert status == 404


async def test_two_connections_to_one_server_keep_their_own_tokens(api, rol_sandbox):
    # Given the same server under two names, one with a good and one with a bad token
    await add_connection(api, rol_sandbox, name="good")
    await add_connection(api, rol_sandbox, name="bad", token="wrong", check=False)
    # When both list workflows
    good_status, good = await api("GET", "reana/connections/good/workflows")
    bad_status, bad = await api("GET", "reana/connections/bad/workflows")
    # Then each request used its own connection's token
    assert good_status == 200 and good["total"] > 0
    assert bad_status == 403 and bad["code"] == "token_rejected"


async def test_after_a_restart_connections_come_back_without_their_tokens(rol_sandbox, tmp_path):
    # Given a connection added in one server process
    first = ReanaService(tmp_path, environ={})
    first.add("sandbox", rol_sandbox.reana_url, rol_sandbox.reana_token)
    await first.aclose()
    # When the next process loads the saved connections
    second = ReanaService(tmp_path, environ={})
    try:
        connection = second.get("sandbox")
        # Then the metadata is back, the token is not, and a call asks for it (401)
        assert connection.url == rol_sandbox.reana_url
        assert connection.to_json()["hasToken"] is False
        with pytest.raises(LoginRequired):
            await second.client("sandbox").you()
    finally:
        await second.aclose()


def test_credentials_for_the_worker_hide_the_token_and_need_one(tmp_path):
    # Given one connection with a token and one without (as after a restart)
    service = ReanaService(tmp_path, environ={})
    service.add("with", "http://127.0.0.1:9", "tok-123")
    service.add("without", "http://127.0.0.1:9", "tok-456")
    service.get("without").token = None
    # Then the worker gets URL and token of the first, and the printed form hides the token
    credentials = service.credentials("with")
    assert (credentials.url, credentials.token) == ("http://127.0.0.1:9", "tok-123")
    assert "tok-123" not in repr(credentials)
    # And asking for the second says the token must be entered again
    with pytest.raises(LoginRequired):
        service.credentials("without")


def test_a_short_token_does_not_blank_out_every_later_log_line(tmp_path, caplog):
    # Given a connection whose token is one letter, and one with a real-looking token
    service = ReanaService(tmp_path, environ={})
    service.add("short", "http://127.0.0.1:9", "t")
    service.add("long", "http://127.0.0.1:9", "tok-long-enough-5f1c")
    # When the process logs ordinary text through the shared scrubbing (httpx, tracebacks)
    line = "GET http://127.0.0.1:9/api/status?access_token=t then the token tok-long-enough-5f1c"
    # Then ordinary words survive, the long token is masked anywhere, the short one as a value
    assert scrub(line) == "GET http://127.0.0.1:9/api/status?access_token=*** then the token ***"
    assert scrub_text(line).endswith("then the token ***")
    with caplog.at_level("INFO", logger="httpx"):
        logging.getLogger("httpx").info("status of %s: %s", "that workflow", "started")
    assert "status of that workflow: started" in caplog.text


@pytest.mark.parametrize("key", ["access_token", "token"])
def test_a_preset_token_written_in_the_configuration_is_refused_in_one_line(
    key, monkeypatch, caplog
):
    # Given a preset with its token inline (traitlets prints it at --debug), next to a good one
    monkeypatch.setenv("GOOD_REANA_TOKEN", "tok-from-env-7d2a")
    servers = {
        "inline": {"url": "https://reana.example.org", key: "tok-inline-9b1e"},
        "good": {"url": "https://reana.example.org", "access_token_env": "GOOD_REANA_TOKEN"},
    }
    # When the presets are read
    with caplog.at_level(logging.WARNING):
        presets = presets_from_config(servers)
    # Then the inline one is left out and the other keeps its token
    assert [(p.name, p.token) for p in presets] == [("good", "tok-from-env-7d2a")]
    # And one line names the preset and the key to use instead, never the token
    (record,) = [r for r in caplog.records if "'inline'" in r.getMessage()]
    assert "access_token_env" in record.getMessage()
    assert "tok-inline-9b1e" not in caplog.text
    assert "tok-from-env-7d2a" not in caplog.text
