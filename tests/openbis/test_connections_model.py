"""Connection metadata: validation, presets, and the file that keeps it (no openBIS needed)."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest

from reana_openbis_lab.errors import InvalidInput
from reana_openbis_lab.handlers import request_contract
from reana_openbis_lab.handlers.openbis_connections import ConnectionsHandler
from reana_openbis_lab.handlers.typed import from_body
from reana_openbis_lab.openbis.connections import (
    AuthMethod,
    ConnectionChanges,
    ConnectionSpec,
    ConnectionStore,
    NewConnection,
    collect_presets,
    normalize_url,
    spec_from_input,
    spec_updated,
)


def spec_from_request(body: dict) -> ConnectionSpec:
    """What POST /openbis/connections makes of a body: the contract, then the domain."""
    operation = request_contract().operation(ConnectionsHandler, "post")
    checked = operation.check_body(json.dumps(body).encode())
    return spec_from_input(from_body(NewConnection, checked))


@pytest.mark.parametrize(
    ("pasted", "origin"),
    [
        ("openbis.example.org", "https://openbis.example.org"),
        (
            "https://openbis.example.org:8443/openbis/webapp/eln-lims/",
            "https://openbis.example.org:8443",
        ),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        (" HTTPS://Openbis.Example.org ", "https://openbis.example.org"),
    ],
)
def test_a_pasted_url_is_reduced_to_the_origin_pybis_uses(pasted: str, origin: str) -> None:
    assert normalize_url(pasted) == origin


@pytest.mark.parametrize(
    "bad",
    ["", None, 42, "ftp://host", "https://", "https://alice:secret@host", "https://host:99999"],
)
def test_a_bad_url_is_refused_naming_the_field(bad: object) -> None:
    with pytest.raises(InvalidInput) as info:
        normalize_url(bad)
    assert info.value.field == "url"
    assert "secret" not in info.value.message


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "../x", "url": "https://h"}, "name"),
        ({"name": "", "url": "https://h"}, "name"),
        ({"name": "a" * 65, "url": "https://h"}, "name"),
        ({"name": "lab", "url": "https://h", "verifyCertificates": "no"}, "verifyCertificates"),
        ({"name": "lab", "url": "https://h", "auth": "kerberos"}, "auth"),
        ({"name": "lab", "url": "https://h", "username": "a b"}, "username"),
        ({"name": "lab", "url": "https://h", "password": "pw"}, "password"),
        ({"name": "lab", "url": "https://h", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_connection_body_names_the_field(body: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        spec_from_request(body)
    assert info.value.field == field


def test_certificates_are_verified_unless_the_user_says_otherwise() -> None:
    spec = spec_from_request({"name": "lab", "url": "https://h"})
    assert spec.verify_certificates is True
    assert spec.auth is AuthMethod.PASSWORD
    assert (
        spec_from_request(
            {"name": "lab", "url": "h", "verifyCertificates": False}
        ).verify_certificates
        is False
    )


def test_an_update_cannot_rename() -> None:
    spec = spec_from_request({"name": "lab", "url": "https://h"})
    assert spec_updated(spec, ConnectionChanges(username="bob")).username == "bob"
    with pytest.raises(InvalidInput) as info:
        spec_updated(spec, ConnectionChanges(name="other"))
    assert info.value.field == "name"


def test_the_store_keeps_metadata_only_owner_readable(tmp_path: Path) -> None:
    # Given a store and a connection
    store = ConnectionStore(tmp_path / "sub" / "connections.json")
    spec = spec_from_request({"name": "lab", "url": "https://h", "username": "alice"})
    # When it is saved and read back
    store.save([spec])
    loaded = store.load()
    # Then the same connection comes back, from a 0600 file, and no temp file is left over
    assert loaded == [spec]
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert [p.name for p in store.path.parent.iterdir()] == ["connections.json"]
    assert json.loads(store.path.read_text())["connections"][0]["username"] == "alice"


def test_an_unreadable_store_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    # Given a corrupt file
    path = tmp_path / "connections.json"
    path.write_text("{not json")
    # When it is loaded
    specs = ConnectionStore(path).load()
    # Then nothing is loaded and the damaged content is kept beside it for the user
    assert specs == []
    assert (tmp_path / "connections.json.unreadable").read_text() == "{not json"


def test_presets_come_from_config_and_environment_with_their_secrets() -> None:
    env = {
        "OPENBIS_URL": "https://env.example.org",
        "OPENBIS_TOKEN": "alice-260101000000000xENVTOKEN0001",
        "LAB_PW": "from-the-environment",
        "SELF_SIGNED_TOKEN": "t-1234",
    }
    configured = [
        {
            "name": "lab",
            "url": "https://lab.example.org",
            "username": "bob",
            "password_env": "LAB_PW",
        },
        {
            "name": "self-signed",
            "url": "https://x",
            "verify_certificates": False,
            "token_env": "SELF_SIGNED_TOKEN",
        },
    ]
    presets = collect_presets(configured, env=env, env_connection_name="from-env")
    by_name = {p.name: p for p in presets}
    assert set(by_name) == {"lab", "self-signed", "from-env"}
    assert all(p.preset for p in presets)
    assert by_name["lab"].secret == "from-the-environment"
    assert by_name["self-signed"].auth is AuthMethod.TOKEN
    assert by_name["self-signed"].secret == "t-1234"
    assert by_name["self-signed"].verify_certificates is False
    assert by_name["from-env"].auth is AuthMethod.TOKEN
    assert by_name["from-env"].secret == env["OPENBIS_TOKEN"]
    assert "from-the-environment" not in repr(by_name["lab"])


def test_a_broken_preset_is_skipped_and_logged_without_its_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    configured = [
        {"name": "ok", "url": "https://ok"},
        {"name": "bad name", "url": "https://x", "password_env": "PW"},
        {"name": "ok", "url": "https://duplicate"},
        {"name": "both", "url": "https://x", "password_env": "PW", "token_env": "TOKEN"},
    ]
    presets = collect_presets(configured, env={"PW": "hunter2-secret", "TOKEN": "tok-secret"})
    assert [p.url for p in presets] == ["https://ok"]
    assert "openbis_connections[1]" in caplog.text
    assert "hunter2-secret" not in caplog.text
    assert "tok-secret" not in caplog.text


@pytest.mark.parametrize(
    ("inline", "variable_key"),
    [
        ({"password": "hunter2-inline"}, "password_env"),
        ({"auth": "token", "token": "tok-inline-secret"}, "token_env"),
        ({"password": "hunter2-inline", "password_env": "PW"}, "password_env"),
    ],
)
def test_a_secret_written_in_the_configuration_is_refused_in_one_line(
    caplog: pytest.LogCaptureFixture, inline: dict, variable_key: str
) -> None:
    # Given a preset with its secret inline (traitlets prints it at --debug), next to a good one
    configured = [
        {"name": "inline", "url": "https://x", "username": "alice", **inline},
        {"name": "good", "url": "https://y", "username": "alice", "password_env": "PW"},
    ]
    # When the presets are collected
    presets = collect_presets(configured, env={"PW": "pw-from-env"})
    # Then the inline one is left out, the other kept
    assert [p.name for p in presets] == ["good"]
    # And one error line says which preset and which key to use instead, without the secret
    (record,) = [r for r in caplog.records if "openbis_connections[0]" in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert variable_key in record.getMessage()
    assert "configuration" in record.getMessage()
    assert "hunter2-inline" not in caplog.text
    assert "tok-inline-secret" not in caplog.text
    assert "pw-from-env" not in caplog.text


def test_environment_with_username_and_password_makes_a_password_preset() -> None:
    env = {
        "OPENBIS_URL": "http://127.0.0.1:1",
        "OPENBIS_USERNAME": "alice",
        "OPENBIS_PASSWORD": "pw-from-env",
        "OPENBIS_VERIFY_CERTIFICATES": "false",
    }
    (preset,) = collect_presets([], env=env)
    assert (preset.name, preset.username, preset.auth) == ("openbis", "alice", AuthMethod.PASSWORD)
    assert preset.secret == "pw-from-env"
    assert preset.insecure_http is True
    assert preset.verify_certificates is False
