"""The extension does not depend on its shutdown hook: a real Jupyter server, started without
a terminal as JupyterHub's local spawners and Kubernetes start it, stopped mid-transfer.

- SIGINT without a terminal (JupyterHub's local spawners): jupyter_server then exits without
  running any extension's shutdown hook; still no process, no mount and no partial file of
  ours is left, and the server does not wait for a stalled transfer.
- SIGTERM (Kubernetes, Docker, systemd): the hook runs; transfers are cancelled and their
  partial files removed within the shutdown timeout, however many files they move.
- SIGKILL of the server and its helper mid-download: the next start removes the partial
  files, and only what the extension wrote down as its own.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from reana_openbis_lab.leftovers import OPENBIS_STAGING, in_mount_table

#: The sandbox's data store file route (the downloads' GETs).
FILE_DOWNLOAD_PATH = r"^/datastore_server/(?!rmi-)"
#: Seconds a server may take to start on a busy machine.
START_TIMEOUT = 180.0
#: The extension's stop budget in these tests; the server's exit adds its own seconds.
SHUTDOWN_TIMEOUT = 4.0
#: The read timeout of openBIS requests: a stalled transfer that had to wait for it would
#: hold the server's exit far longer than any bound below.
OPENBIS_TIMEOUT = 600.0
#: Files in the upload going on at SIGTERM (the outside test's server needed SIGKILL after
#: uploads of this many).
MANY_FILES = 20_000
#: How long the server and its helper get to be gone after a stop signal (the machine is
#: shared and slow; a hang on a stalled transfer would be OPENBIS_TIMEOUT).
GONE_WITHIN = 90.0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    token: str
    root: Path
    log: Path

    def api(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return httpx.request(
            method,
            f"{self.url}/reana-openbis-lab/{path}",
            json=body,
            headers={"Authorization": f"token {self.token}"},
            timeout=60,
        )

    def children(self) -> list[int]:
        """The server's child processes (its lab worker)."""
        return [pid for pid in _pids() if _parent(pid) == self.process.pid]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def jupyter_server(sandbox: Any, root: Path, data_dir: Path) -> Iterator[Server]:
    """A Jupyter server with the extension, its stdin not a terminal, the sandbox as preset."""
    token = secrets.token_hex(16)
    port = _free_port()
    log = data_dir.parent / f"server-{port}.log"
    env = {
        **os.environ,
        "OPENBIS_URL": sandbox.openbis_url,
        "OPENBIS_USERNAME": "alice",
        "OPENBIS_PASSWORD": sandbox.openbis_users["alice"],
        "JUPYTER_TOKEN": token,
        "JUPYTER_RUNTIME_DIR": str(data_dir.parent / "runtime"),
    }
    argv = [
        sys.executable,
        "-m",
        "jupyter_server",
        f"--port={port}",
        "--ip=127.0.0.1",
        "--no-browser",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.jpserver_extensions={'reana_openbis_lab': True}",
        f"--ReanaOpenbisLab.data_dir={data_dir}",
        f"--ReanaOpenbisLab.openbis_timeout={OPENBIS_TIMEOUT}",
        f"--ReanaOpenbisLab.shutdown_timeout={SHUTDOWN_TIMEOUT}",
        f"--ReanaOpenbisLab.sftp_port={sandbox.sftp_port or 2222}",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            cwd=root,
            # SIGINT as a spawner leaves it: a test run from a shell's background job inherits
            # it ignored, and Python then never turns it into KeyboardInterrupt
            preexec_fn=_default_sigint,
        )
    server = Server(process, f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                if server.api("GET", "info").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise AssertionError(f"the server did not start: {log.read_text()[-3000:]}")
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def a_dataset(sandbox: Any) -> str:
    import pybis

    client = pybis.Openbis(
        sandbox.openbis_url,
        verify_certificates=False,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
    )
    client.login("alice", sandbox.openbis_users["alice"], save_token=False)
    try:
        frame = client.get_datasets(count=500, props=["$NAME"]).df
        return dict(zip(frame["$NAME"], frame["permId"], strict=True))["Raw measurement 2"]
    finally:
        client.logout()


def start_stalled_download(server: Server, sandbox: Any, perm_id: str, folder: str) -> str:
    """A download whose first file request the data store never answers; returns the job
    once its staging folder exists (bytes are in flight)."""
    (server.root / folder).mkdir()
    sandbox.set_faults("openbis", [{"path": FILE_DOWNLOAD_PATH, "hang": True, "times": 1}])
    reply = server.api(
        "POST",
        "openbis/downloads",
        {"connection": "openbis", "permId": perm_id, "destination": folder},
    )
    assert reply.status_code == 202, reply.text
    job = reply.json()["id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = server.api("GET", f"jobs/{job}").json()
        assert state["state"] in ("queued", "running"), state
        if state["step"] == "downloading" and staging(server.root / folder):
            return job
        time.sleep(0.2)
    raise AssertionError("the download never started")


def mount(server: Server) -> Path | None:
    """The preset's data store mounted at its default folder, where sshfs and FUSE exist."""
    if shutil.which("sshfs") is None or not os.path.exists("/dev/fuse"):
        return None
    reply = server.api("POST", "openbis/connections/openbis/mount", {})
    assert reply.status_code == 200, reply.text
    mountpoint = server.root / reply.json()["mountpoint"]
    assert in_mount_table(mountpoint)
    return mountpoint


def staging(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(OPENBIS_STAGING)]


def wait_gone(pids: list[int], within: float = GONE_WITHIN) -> list[int]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if _alive(pid)]
        if not alive:
            return []
        time.sleep(0.2)
    return [pid for pid in pids if _alive(pid)]


def sshfs_processes(mountpoint: Path) -> list[int]:
    found = []
    for pid in _pids():
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"sshfs") and str(mountpoint).encode() in argv:
            found.append(pid)
    return found


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    root, data_dir = tmp_path / "root", tmp_path / "data"
    root.mkdir()
    data_dir.mkdir()
    return root, data_dir


def test_sigint_without_a_terminal_leaves_no_process_mount_or_partial_file(
    rol_sandbox: Any, places: tuple[Path, Path]
) -> None:
    root, data_dir = places
    perm_id = a_dataset(rol_sandbox)
    with jupyter_server(rol_sandbox, root, data_dir) as server:
        # Given a mount (where sshfs and FUSE exist) and a download stalled mid-way
        mountpoint = mount(server)
        start_stalled_download(server, rol_sandbox, perm_id, "data")
        helpers = server.children()
        # When JupyterHub's local spawner stops the server: SIGINT, no terminal
        began = time.monotonic()
        server.process.send_signal(signal.SIGINT)
        server.process.wait(GONE_WITHIN)
        took = time.monotonic() - began
    # Then the server did not wait for the stalled transfer
    assert took < GONE_WITHIN
    # And its helper processes ended with it, taking their partial files with them
    assert helpers and wait_gone(helpers) == []
    assert staging(root / "data") == []
    # And the mount and its sshfs are gone
    if mountpoint is not None:
        assert not in_mount_table(mountpoint)
        assert wait_gone(sshfs_processes(mountpoint), 30) == []


def test_sigterm_cancels_transfers_and_stops_within_the_shutdown_timeout(
    rol_sandbox: Any, places: tuple[Path, Path]
) -> None:
    root, data_dir = places
    perm_id = a_dataset(rol_sandbox)
    many = root / "many"
    many.mkdir()
    for index in range(MANY_FILES):
        (many / f"f{index:05d}.txt").write_text(f"{index}\n")
    with jupyter_server(rol_sandbox, root, data_dir) as server:
        # Given a stalled download and an upload of 20,000 files going on
        start_stalled_download(server, rol_sandbox, perm_id, "data")
        reply = server.api(
            "POST",
            "openbis/uploads",
            {
                "connection": "openbis",
                "paths": ["many"],
                "datasetType": "RAW_DATA",
                "target": {"kind": "collection", "id": "/LAB_A/MICROSCOPY/IMAGING_2024"},
                "properties": {"$NAME": "many"},
            },
        )
        assert reply.status_code == 202, reply.text
        helpers = server.children()
        # When Kubernetes or systemd stops the server: SIGTERM
        began = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(GONE_WITHIN)
        took = time.monotonic() - began
        log = server.log.read_text()
    # Then the extension stopped within its budget (the server's own exit comes on top)
    assert "did not stop within" not in log
    assert took < GONE_WITHIN
    # And nothing of it is left: no helper, no partial file
    assert wait_gone(helpers) == []
    assert staging(root / "data") == []


def test_after_sigkill_mid_download_the_next_start_removes_what_was_left(
    rol_sandbox: Any, places: tuple[Path, Path]
) -> None:
    root, data_dir = places
    perm_id = a_dataset(rol_sandbox)
    # Given a folder of the user's that merely looks like staging
    (root / "data").mkdir()
    mine = root / "data" / f"{OPENBIS_STAGING}mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with jupyter_server(rol_sandbox, root, data_dir) as server:
        # And a mount, and a download stalled mid-way, when the server and its helper are
        # killed (an out-of-memory kill, a container killed with everything in it)
        mountpoint = mount(server)
        start_stalled_download(server, rol_sandbox, perm_id, "data/in")
        helpers = server.children()
        for pid in [server.process.pid, *helpers]:
            os.kill(pid, signal.SIGKILL)
        server.process.wait(30)
        assert wait_gone(helpers, 30) == []
    rol_sandbox.clear_faults("openbis")
    assert staging(root / "data" / "in"), "the kill should have left the partial files"
    assert mountpoint is None or in_mount_table(mountpoint)
    # When the server starts again
    with jupyter_server(rol_sandbox, root, data_dir) as server:
        # Then the partial files are gone, and the user's look-alike folder is not
        assert staging(root / "data" / "in") == []
        assert (mine / "notes.txt").read_text() == "keep me"
        # And the mount is undone, its sshfs gone, its folder free for the next mount
        if mountpoint is not None:
            assert not in_mount_table(mountpoint)
            assert wait_gone(sshfs_processes(mountpoint), 30) == []
            assert mount(server) == mountpoint
        # And a download into that place works
        reply = server.api(
            "POST",
            "openbis/downloads",
            {"connection": "openbis", "permId": perm_id, "destination": "data/in"},
        )
        assert reply.status_code == 202, reply.text
        job = reply.json()["id"]
        for _ in range(600):
            state = server.api("GET", f"jobs/{job}").json()
            if state["state"] not in ("queued", "running"):
                break
            time.sleep(0.2)
        assert state["state"] == "done", state
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(GONE_WITHIN)
    if mountpoint is not None:
        assert not in_mount_table(mountpoint)
