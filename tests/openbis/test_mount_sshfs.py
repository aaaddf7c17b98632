"""Mounting the sandbox's SFTP endpoint for real through the extension's route (sshfs + FUSE)."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

import asyncssh
import pytest

from .mount_helpers import command_lines, detach_all_below, in_thread, mounted_below

pytestmark = pytest.mark.skipif(
    shutil.which("sshfs") is None or not os.path.exists("/dev/fuse"),
    reason="sshfs and FUSE are needed (Debian packages sshfs, fuse3)",
)


WRONG_PASSWORD = "not-alices-password"
#: A well-formed ed25519 key that the sandbox never uses.
FOREIGN_HOST_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsmJ8Qm3pV0x6tbVZ0WVu9Dd3s5eVQnVZRg2b7ZC3F5"
)


@pytest.fixture
def extension_config(rol_sandbox, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A preset whose configured password openBIS' SFTP endpoint will refuse."""
    monkeypatch.setenv("WRONG_OPENBIS_PASSWORD", WRONG_PASSWORD)
    return {
        "openbis_connections": [
            {
                "name": "wrong",
                "url": rol_sandbox.openbis_url,
                "username": "alice",
                "password_env": "WRONG_OPENBIS_PASSWORD",
            }
        ]
    }


@pytest.fixture(autouse=True)
def no_mount_left_behind(jp_root_dir: Path):
    yield
    detach_all_below(jp_root_dir)


async def connect(api, sandbox, name: str, *, token: bool = False) -> str:
    """Add and log in an openBIS connection to the sandbox; returns the secret used."""
    if token:
        body = {"name": name, "url": sandbox.openbis_url, "auth": "token"}
        secret, login = sandbox.openbis_pat, {"token": sandbox.openbis_pat}
    else:
        body = {"name": name, "url": sandbox.openbis_url, "username": "alice"}
        secret = sandbox.openbis_users["alice"]
        login = {"password": secret}
    status, created = await api("POST", "openbis/connections", body)
    assert status == 201, created
    status, logged_in = await api("POST", f"openbis/connections/{name}/login", login)
    assert status == 200, logged_in
    return secret


async def first_dataset_file(sandbox, password: str) -> tuple[str, bytes]:
    """A dataset file's path below the SFTP root and its bytes, read without FUSE."""
    async with (
        asyncssh.connect(
            "127.0.0.1",
            sandbox.sftp_port,
            username="alice",
            password=password,
            known_hosts=None,
            client_keys=None,
            agent_path=None,
        ) as conn,
        conn.start_sftp_client() as sftp,
    ):
        path = ""
        while True:
            names = sorted(n for n in await sftp.listdir(path or "/") if n not in (".", ".."))
            path = f"{path}/{names[0]}"
            if await sftp.isfile(path):
                async with sftp.open(path, "rb") as remote:
                    return path.lstrip("/"), await remote.read()


def listing_and_content(mountpoint: Path, relative: str) -> tuple[list[str], bytes]:
    return sorted(os.listdir(mountpoint)), (mountpoint / relative).read_bytes()


async def test_a_dataset_is_read_through_the_mount_and_the_password_stays_hidden(
    api, rol_sandbox, jp_root_dir: Path, jp_logging_stream, caplog
) -> None:
    # Given a logged-in connection to the sandbox and its SFTP endpoint
    caplog.set_level(logging.DEBUG)
    password = await connect(api, rol_sandbox, "lab")
    relative, expected = await first_dataset_file(rol_sandbox, password)

    # When the data store is mounted through the extension
    status, mounted = await api(
        "POST",
        "openbis/connections/lab/mount",
        {"mountpoint": "data/lab", "port": rol_sandbox.sftp_port},
    )

    # Then the mount is listed and a dataset file reads the same bytes as over SFTP
    assert status == 200, mounted
    assert mounted == {"name": "lab", "isMounted": True, "mountpoint": "data/lab"}
    mountpoint = jp_root_dir / "data" / "lab"
    assert mounted_below(jp_root_dir) == [str(mountpoint)]
    spaces, content = await in_thread(listing_and_content, mountpoint, relative)
    assert spaces and relative.split("/")[0] in spaces
    assert content == expected
    status, state = await api("GET", "openbis/connections/lab/mount")
    assert state == {"name": "lab", "isMounted": True, "mountpoint": "data/lab"}

    # And the password is on no process's command line, while sshfs runs for this mount
    lines = command_lines()
    assert any("sshfs" in line and str(mountpoint) in line for line in lines.values())
    assert not [pid for pid, line in lines.items() if password in line]

    # When it is unmounted
    status, unmounted = await api("DELETE", "openbis/connections/lab/mount")

    # Then the mount and the folders it created (`data` too) are gone, and no log line held
    # the password
    assert status == 200, unmounted
    assert unmounted == {"name": "lab", "isMounted": False, "mountpoint": None}
    assert mounted_below(jp_root_dir) == []
    assert not (jp_root_dir / "data").exists()
    assert password not in caplog.text
    assert password not in jp_logging_stream.getvalue()


async def test_a_token_connection_mounts_and_server_stop_unmounts_everything(
    api, rol_sandbox, jp_root_dir: Path, jp_serverapp
) -> None:
    # Given a connection logged in with a personal access token, mounted at its default place:
    # a folder named after the connection, not after the (shared) host
    await connect(api, rol_sandbox, "pat", token=True)
    status, mounted = await api(
        "POST", "openbis/connections/pat/mount", {"port": rol_sandbox.sftp_port}
    )
    assert status == 200, mounted
    assert mounted["mountpoint"] == "pat"

    # When mounting it again, then that is a conflict
    status, again = await api(
        "POST", "openbis/connections/pat/mount", {"port": rol_sandbox.sftp_port}
    )
    assert status == 409 and again["code"] == "already_mounted"

    # When the server stops its services (what stop_extension does)
    await jp_serverapp.web_app.settings["reana_openbis_lab"].mounts.unmount_all()

    # Then nothing stays mounted
    assert mounted_below(jp_root_dir) == []
    assert not (jp_root_dir / "pat").exists()


async def test_an_unreachable_sftp_port_is_a_bad_gateway_and_leaves_no_folder(
    api, rol_sandbox, jp_root_dir: Path
) -> None:
    # Given a logged-in connection and a port where nothing listens
    await connect(api, rol_sandbox, "lab")
    closed_port = free_port()

    # When mounting
    status, body = await api("POST", "openbis/connections/lab/mount", {"port": closed_port})

    # Then 502 says the SFTP server is unreachable and no folder is left behind
    assert status == 502 and body["code"] == "sftp_unreachable", body
    assert list(jp_root_dir.iterdir()) == []


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_refused_credentials_are_a_403_without_the_password(
    api, rol_sandbox, jp_root_dir
) -> None:
    # Given a connection whose secret the SFTP server refuses
    # When mounting it
    status, body = await api(
        "POST", "openbis/connections/wrong/mount", {"port": rol_sandbox.sftp_port}
    )

    # Then 403 says so, without echoing the secret, and no folder is left behind
    assert status == 403 and body["code"] == "sftp_auth_failed", body
    assert WRONG_PASSWORD not in str(body)
    assert list(jp_root_dir.iterdir()) == []


async def test_a_changed_host_key_is_refused(api, rol_sandbox, jp_serverapp, jp_root_dir) -> None:
    # Given a known_hosts file that pins another key for the sandbox's SFTP address
    await connect(api, rol_sandbox, "lab")
    known_hosts = jp_serverapp.web_app.settings["reana_openbis_lab"].mounts.settings.known_hosts
    known_hosts.parent.mkdir(parents=True, exist_ok=True)
    known_hosts.write_text(f"[127.0.0.1]:{rol_sandbox.sftp_port} {FOREIGN_HOST_KEY}\n")

    # When mounting, then the mount is refused as a possible man in the middle
    status, body = await api(
        "POST", "openbis/connections/lab/mount", {"port": rol_sandbox.sftp_port}
    )
    assert status == 502 and body["code"] == "host_key_changed", body
    assert mounted_below(jp_root_dir) == []


async def test_the_connection_list_shows_the_mount(api, rol_sandbox) -> None:
    # Given a mounted connection
    await connect(api, rol_sandbox, "lab")
    status, mounted = await api(
        "POST", "openbis/connections/lab/mount", {"port": rol_sandbox.sftp_port}
    )
    assert status == 200, mounted
    try:
        # When listing connections and reading the one, then both say where it is mounted
        status, listed = await api("GET", "openbis/connections")
        entry = next(c for c in listed["connections"] if c["name"] == "lab")
        assert entry["isMounted"] is True and entry["mountpoint"] == mounted["mountpoint"]
        status, single = await api("GET", "openbis/connections/lab")
        assert single["isMounted"] is True and single["mountpoint"] == mounted["mountpoint"]
    finally:
        await api("DELETE", "openbis/connections/lab/mount")

    # And after unmounting, neither does
    status, listed = await api("GET", "openbis/connections")
    entry = next(c for c in listed["connections"] if c["name"] == "lab")
    assert entry["isMounted"] is False and entry["mountpoint"] is None
