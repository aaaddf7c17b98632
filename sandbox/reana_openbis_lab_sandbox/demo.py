"""`make demo`: the sandboxes, a seeded workspace and JupyterLab connected to both, in one command.

Ctrl-C reaches JupyterLab and the sandbox alike (one process group); when JupyterLab ends,
for whatever reason, this launcher stops the sandbox too, and if the launcher itself is
killed, the kernel stops the sandbox (Linux), so nothing is left running. Connections reach the extension as
presets through the same environment variables a JupyterHub deployment would set.

The address printed at the end is read from the server's own runtime file (`jpserver-<pid>.json`), so it carries
the token JupyterLab really uses and the port it really listens on (JupyterLab moves on to a free port when the
asked one is taken). Run as root, the launcher passes `--allow-root`: this is a local sandbox, and root is the
normal user in containers and on many lab servers.

It prints what a newcomer needs and nothing that reads as broken: JupyterLab logs warnings and errors only
(`-- --ServerApp.log_level=INFO` brings its full log back), the launcher picks the token itself so JupyterLab
does not print a second "To access the server" block, and no browser is asked for where there is none.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import webbrowser
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import quote

from jupyter_core.paths import jupyter_runtime_dir

WORKSPACE_SEED = Path(__file__).parent / "demo_workspace"
READY_TIMEOUT = 120.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reana_openbis_lab_sandbox.demo",
        description="Start the openBIS/REANA sandboxes and JupyterLab connected to them.",
    )
    parser.add_argument(
        "--dir", type=Path, default=Path(".demo"), help="state folder (default .demo)"
    )
    parser.add_argument(
        "--root", type=Path, help="JupyterLab root (default <dir>/workspace, seeded)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8888,
        help="JupyterLab port (default 8888; when taken, JupyterLab picks a free one, printed)",
    )
    parser.add_argument("--tls", action="store_true", help="sandboxes over HTTPS (self-signed)")
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="N",
        help="benchmark-sized data: an openBIS collection /BENCH/LOAD/MANY of N datasets, "
        "up to 1,000 more top-level spaces (WIDE_0001, ...) and N more REANA runs "
        "(default 0: the small demo lab only)",
    )
    parser.add_argument(
        "--reana-url",
        metavar="URL",
        help="connect JupyterLab to this REANA server instead of the sandbox's (its token from "
        "the REANA_ACCESS_TOKEN environment variable), e.g. to run the UI tests against a real one",
    )
    parser.add_argument(
        "lab_args", nargs=argparse.REMAINDER, help="after --: extra arguments for jupyter lab"
    )
    return parser


DEMO_REANA_ACCOUNT = (
    "--reana-quota",
    "3600",
    str(100 * 1024 * 1024),
    "--reana-retention-days",
    "365",
)


def start_sandbox(
    state_file: Path, data_dir: Path, tls: bool, scale: int = 0
) -> subprocess.Popen[bytes]:
    state_file.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "reana_openbis_lab_sandbox.cli",
        "--state-file",
        str(state_file),
        "--data-dir",
        str(data_dir),
        # A REANA as a site runs it: quota limits (1 h CPU, 100 MiB disk) and a year's retention.
        *DEMO_REANA_ACCOUNT,
    ]
    if (
        find_spec("asyncssh") is not None
        and find_spec("reana_openbis_lab_sandbox.sftp") is not None
    ):
        command.append("--sftp")
    if tls:
        command.append("--tls")
    if scale > 0:
        command += ["--scale", str(scale)]
    return subprocess.Popen(command, preexec_fn=_die_with_parent)


def _die_with_parent() -> None:
    """Linux: have the kernel stop a child if this launcher is killed outright (SIGKILL).

    Test runners stop their web server that way (Playwright kills the process group), and a
    child left behind would keep ports and the runner's output pipe open forever.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def wait_for_state(process: subprocess.Popen[bytes], state_file: Path) -> dict:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if state_file.exists():
            return json.loads(state_file.read_text())
        if process.poll() is not None:
            raise SystemExit(
                f"the sandbox exited with code {process.returncode} before it was ready"
            )
        time.sleep(0.2)
    raise SystemExit(f"the sandbox was not ready after {READY_TIMEOUT:.0f} s")


def seed_workspace(root: Path) -> None:
    """Copy the example notebook and workflow once; later runs keep the user's edits."""
    if root.exists():
        return
    shutil.copytree(WORKSPACE_SEED, root)


def preset_environment(state: dict, reana_url: str | None = None) -> dict[str, str]:
    """The sandboxes as connection presets, as JupyterHub would pass them; `reana_url` puts
    another REANA server in the sandbox's place (its token already in REANA_ACCESS_TOKEN)."""
    env = dict(os.environ)
    # Given rather than generated, so JupyterLab does not print its own copy of the address.
    env.setdefault("JUPYTER_TOKEN", secrets.token_hex(24))
    openbis, reana = state.get("openbis"), state.get("reana")
    if openbis:
        env["OPENBIS_URL"] = openbis["url"]
        env["OPENBIS_USERNAME"] = "alice"
        env["OPENBIS_PASSWORD"] = openbis["users"]["alice"]
        if state.get("tls"):
            env["OPENBIS_VERIFY_CERTIFICATES"] = "false"
    if reana_url:
        if not env.get("REANA_ACCESS_TOKEN"):
            raise SystemExit("--reana-url needs that server's token in REANA_ACCESS_TOKEN")
        env["REANA_SERVER_URL"] = reana_url
    elif reana:
        env["REANA_SERVER_URL"] = reana["url"]
        env["REANA_ACCESS_TOKEN"] = reana["token"]
    return env


def tls_arguments(state: dict) -> list[str]:
    """REANA connections verify certificates: trust the sandbox's own CA rather than turn it off."""
    return [f"--ReanaOpenbisLab.reana_ca_bundle={state['ca_cert']}"] if state.get("ca_cert") else []


def sftp_arguments(state: dict) -> list[str]:
    """The SFTP view listens on a free port, not openBIS' 2222: mounting must find it."""
    sftp = state.get("sftp")
    return [f"--ReanaOpenbisLab.sftp_port={sftp['port']}"] if sftp else []


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def lab_command(root: Path, port: int, state: dict, lab_args: Sequence[str]) -> list[str]:
    """`jupyter lab` as the demo runs it; `--allow-root` when run as root (see the module docstring)."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.port={port}",
        "--ServerApp.answer_yes=True",
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
        *tls_arguments(state),
        *sftp_arguments(state),
    ]
    if running_as_root():
        command.append("--allow-root")
    if not has_browser():
        command.append("--no-browser")
    # Last, so the user's own arguments win (e.g. --ServerApp.log_level=INFO).
    return [*command, *(a for a in lab_args if a != "--")]


def has_browser() -> bool:
    """Whether JupyterLab could open one (it warns when it cannot, which reads as a fault)."""
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def wait_for_lab(lab: subprocess.Popen[bytes], timeout: float = READY_TIMEOUT) -> dict | None:
    """The server's runtime file once it listens (URL, port, token), or None if it exits or stays silent.

    JupyterLab writes `jpserver-<pid>.json` into the Jupyter runtime directory after it has bound its
    port and loaded its extensions, so the file's presence also means the server answers.
    """
    info_file = Path(jupyter_runtime_dir()) / f"jpserver-{lab.pid}.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and lab.poll() is None:
        # The file is written in place: a half-written one reads as invalid JSON, so try again.
        with contextlib.suppress(OSError, ValueError):
            info = json.loads(info_file.read_text())
            if info.get("pid") == lab.pid:
                return info
        time.sleep(0.2)
    return None


def lab_url(info: dict) -> str:
    """The address to open as it is: JupyterLab's page, with the token if the server uses one."""
    url = f"{info['url'].rstrip('/')}/lab"
    return f"{url}?token={quote(info['token'], safe='')}" if info.get("token") else url


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    state_dir = args.dir.resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    root = (args.root or state_dir / "workspace").resolve()
    if args.root is None:
        seed_workspace(root)
    state_file = state_dir / "sandbox.json"
    sandbox = start_sandbox(state_file, state_dir / "sandbox-data", args.tls, args.scale)
    try:
        state = wait_for_state(sandbox, state_file)
        if running_as_root():
            print(
                "reana_openbis_lab demo: running as root, so JupyterLab starts with --allow-root",
                flush=True,
            )
        lab = subprocess.Popen(
            lab_command(root, args.port, state, args.lab_args),
            env=preset_environment(state, args.reana_url),
            preexec_fn=_die_with_parent,
        )
        # A test runner stops its web server with SIGTERM: pass it on, then clean up below.
        signal.signal(signal.SIGTERM, lambda *_: lab.terminate())
        try:
            info = wait_for_lab(lab)
            if lab.poll() is None:
                print(describe(state, root, info, args.port, args.reana_url), flush=True)
            return lab.wait()
        except KeyboardInterrupt:
            return lab.wait()
    finally:
        stop(sandbox)


def describe(
    state: dict, root: Path, info: dict | None, asked_port: int, reana_url: str | None = None
) -> str:
    if info is None:
        lab = "(not ready yet: its address is in JupyterLab's log above)"
    elif info.get("port") != asked_port:
        lab = f"{lab_url(info)}  (port {asked_port} was taken)"
    else:
        lab = lab_url(info)
    lines = [
        "",
        "reana_openbis_lab demo",
        f"  JupyterLab   {lab}",
        f"  workspace    {root}",
    ]
    if state.get("openbis"):
        lines.append(f"  openBIS      {state['openbis']['url']}  (connected as alice)")
    if reana_url:
        lines.append(f"  REANA        {reana_url}  (not the sandbox's)")
    elif state.get("reana"):
        lines.append(f"  REANA        {state['reana']['url']}")
    lines.append("  Ctrl-C stops JupyterLab and the sandboxes.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
