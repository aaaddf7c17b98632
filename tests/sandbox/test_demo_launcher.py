"""`make demo`'s launcher, started exactly as `make demo` starts it (same module, no arguments, no
configuration added): JupyterLab comes up for whoever runs it (root included), the address it prints opens
JupyterLab as it is (token and real port, here with 8888 taken), both sandboxes are presets, and however it is
stopped (SIGTERM from a test runner, or SIGKILL of the launcher), no sandbox is left running."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

#: The command of the Makefile's `demo` target, with the venv's python.
MAKE_DEMO = [sys.executable, "-m", "reana_openbis_lab_sandbox.demo"]
DEFAULT_PORT = 8888
ADDRESS_LINE = re.compile(r"^\s+JupyterLab\s+(https?://\S+)")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        Path(f"/proc/{pid}").exists()
        and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    )


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Demo:
    process: subprocess.Popen[str]
    workdir: Path
    lines: list[str] = field(default_factory=list)

    def read_output(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def printed_address(self) -> str | None:
        for line in self.lines:
            if match := ADDRESS_LINE.match(line):
                return match.group(1)
        return None


@pytest.fixture
def port_8888_taken() -> Iterator[None]:
    """Hold the default port (unless someone already does), as a second server on the machine would."""
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", DEFAULT_PORT))
        holder.listen()
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
    try:
        yield
    finally:
        holder.close()


@pytest.fixture
def demo(tmp_path: Path, port_8888_taken: None) -> Iterator[Demo]:
    with open(tmp_path / "stderr.log", "w") as stderr:
        process = subprocess.Popen(
            MAKE_DEMO, cwd=tmp_path, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    started = Demo(process, tmp_path)
    threading.Thread(target=started.read_output, daemon=True).start()

    def address_printed() -> bool:
        assert process.poll() is None, (
            f"the launcher exited early:\n{(tmp_path / 'stderr.log').read_text()[-3000:]}"
        )
        return started.printed_address() is not None

    try:
        wait_until(address_printed, 180, "the demo to print JupyterLab's address")
        yield started
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_printed_address_opens_jupyterlab_as_it_is_with_the_real_port(demo: Demo) -> None:
    address = demo.printed_address()
    assert address is not None
    parts = urlsplit(address)
    # When: the user opens the address exactly as printed
    page = httpx.get(address, follow_redirects=False, timeout=30)
    # Then: JupyterLab itself, not a login page, on the port it really took
    assert page.status_code == 200, page.status_code
    assert "jupyter-config-data" in page.text
    assert parts.port != DEFAULT_PORT
    assert f"(port {DEFAULT_PORT} was taken)" in "".join(demo.lines)
    assert parse_qs(parts.query)["token"][0]
    if os.geteuid() == 0:
        assert sum("--allow-root" in line for line in demo.lines) == 1


def test_the_demo_prints_what_a_newcomer_needs_and_nothing_that_reads_as_broken(
    demo: Demo,
) -> None:
    printed = "".join(demo.lines) + (demo.workdir / "stderr.log").read_text()
    # No CryptographyDeprecationWarning from asyncssh (ten lines of them before), no warning
    # that no browser could be opened on a machine without one
    assert "Warning" not in printed and not re.search(r"^\[[WE] ", printed, re.MULTILINE), printed
    # and JupyterLab's own "To access the server" block does not repeat the demo's address
    assert "To access the server" not in printed
    assert sum(bool(ADDRESS_LINE.match(line)) for line in demo.lines) == 1


def test_the_sandboxes_are_presets_and_sigterm_stops_everything(demo: Demo) -> None:
    address = demo.printed_address()
    assert address is not None
    parts = urlsplit(address)
    base = f"{parts.scheme}://{parts.netloc}"
    headers = {"Authorization": f"token {parse_qs(parts.query)['token'][0]}"}
    state = json.loads((demo.workdir / ".demo" / "sandbox.json").read_text())

    openbis = httpx.get(f"{base}/reana-openbis-lab/openbis/connections", headers=headers).json()
    reana = httpx.get(f"{base}/reana-openbis-lab/reana/connections", headers=headers).json()

    assert state["openbis"]["url"] in json.dumps(openbis)
    assert state["reana"]["url"] in json.dumps(reana)
    assert (demo.workdir / ".demo" / "workspace" / "analysis" / "reana.yaml").exists()
    demo.process.send_signal(signal.SIGTERM)
    demo.process.wait(timeout=60)
    wait_until(lambda: not alive(state["pid"]), 30, "the sandbox to stop")


def test_killing_the_launcher_outright_still_stops_sandbox_and_lab(demo: Demo) -> None:
    address = demo.printed_address()
    assert address is not None
    state = json.loads((demo.workdir / ".demo" / "sandbox.json").read_text())

    demo.process.kill()
    demo.process.wait()

    wait_until(lambda: not alive(state["pid"]), 30, "the sandbox to stop")

    def lab_gone() -> bool:
        try:
            httpx.get(address, timeout=1)
        except httpx.HTTPError:
            return True
        return False

    wait_until(lab_gone, 30, "JupyterLab to stop")


def test_the_demo_tells_jupyterlab_where_the_sftp_view_listens(tmp_path: Path) -> None:
    # Given a sandbox whose SFTP view got a free port, not openBIS' default 2222
    from reana_openbis_lab_sandbox.demo import lab_command

    state = {"sftp": {"host": "127.0.0.1", "port": 40222, "users": {}}}

    # When the demo builds the jupyter lab command
    command = lab_command(tmp_path, 8888, state, [])

    # Then mounting a data store reaches that port
    assert "--ReanaOpenbisLab.sftp_port=40222" in command


def test_the_demo_scale_option_reaches_both_sandboxes(tmp_path: Path) -> None:
    # Given the demo's sandbox started with --scale 1200
    from reana_openbis_lab_sandbox.demo import build_parser, start_sandbox, stop, wait_for_state

    assert build_parser().parse_args(["--scale", "1200"]).scale == 1200
    state_file = tmp_path / "sandbox.json"
    sandbox = start_sandbox(state_file, tmp_path / "data", tls=False, scale=1200)
    try:
        state = wait_for_state(sandbox, state_file)
        # When both are asked for their big levels
        reana = httpx.get(
            f"{state['reana']['url']}/api/workflows",
            params={
                "access_token": state["reana"]["token"],
                "type": "batch",
                "size": 1,
                "status": "created,queued,pending,running,finished,failed,stopped,deleted",
            },
            timeout=30,
        ).json()
        login = {"method": "login", "params": ["alice", state["openbis"]["users"]["alice"]]}
        rpc = f"{state['openbis']['url']}/openbis/openbis/rmi-application-server-v3.json"
        token = httpx.post(rpc, json={"jsonrpc": "2.0", "id": "1", **login}).json()["result"]
        search = {
            "method": "searchDataSets",
            "params": [
                token,
                {
                    "@type": "as.dto.dataset.search.DataSetSearchCriteria",
                    "criteria": [
                        {
                            "@type": "as.dto.experiment.search.ExperimentSearchCriteria",
                            "criteria": [
                                {
                                    "@type": "as.dto.common.search.IdentifierSearchCriteria",
                                    "fieldValue": {
                                        "@type": "as.dto.common.search.StringEqualToValue",
                                        "value": "/BENCH/LOAD/MANY",
                                    },
                                }
                            ],
                        }
                    ],
                },
                {"@type": "as.dto.dataset.fetchoptions.DataSetFetchOptions", "count": 1},
            ],
        }
        datasets = httpx.post(rpc, json={"jsonrpc": "2.0", "id": "2", **search}).json()
    finally:
        stop(sandbox)
    # Then the collection holds 1,200 datasets and REANA 1,200 runs more than the demo's own
    assert datasets["result"]["totalCount"] == 1200
    assert reana["total"] >= 1200


def test_the_demo_can_put_another_reana_in_the_sandboxs_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a sandbox state and another REANA server named with its token (the UI tests'
    # opt-in run against a real REANA)
    from reana_openbis_lab_sandbox.demo import build_parser, preset_environment

    state = {"reana": {"url": "http://127.0.0.1:1", "token": "sandbox-token"}}
    args = build_parser().parse_args(["--reana-url", "http://127.0.0.1:55080"])
    monkeypatch.setenv("REANA_ACCESS_TOKEN", "real-token")
    env = preset_environment(state, args.reana_url)
    # Then JupyterLab's REANA preset is that server, with its own token
    assert env["REANA_SERVER_URL"] == "http://127.0.0.1:55080"
    assert env["REANA_ACCESS_TOKEN"] == "real-token"
    # And without a token the launcher refuses before starting anything
    monkeypatch.delenv("REANA_ACCESS_TOKEN")
    with pytest.raises(SystemExit):
        preset_environment(state, args.reana_url)
