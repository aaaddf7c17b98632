"""`reana-openbis-lab-sandbox`: the local openBIS, REANA and SFTP sandbox in one process and event loop.

Once every server listens it writes a JSON state file (URLs, ports, credentials, CA path)
atomically, so a waiting test or demo can read it whole; SIGINT/SIGTERM stop it cleanly and
a temporary data directory is removed.

`pip install reana-openbis-lab-sandbox` installs this command without its `all` extra: it then runs
what needs none of it, and for the rest (`--tls` needs cryptography, `--sftp` asyncssh) says in one
line what to install instead of failing with a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tornado import httpserver, netutil

from . import credentials
from .faults import Faults

if TYPE_CHECKING:
    from .tls import TlsFiles

#: What installs every optional module the sandbox uses.
INSTALL_EXTRAS = "pip install 'reana-openbis-lab-sandbox[all]'"

#: Request bodies read whole (openBIS upload slices are 10 MB); streamed REANA uploads set their own.
MAX_BODY = 1 << 30


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reana-openbis-lab-sandbox",
        description="Run local openBIS, REANA and SFTP sandbox servers for tests and demos.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: loopback)"
    )
    parser.add_argument(
        "--openbis-port", type=int, default=0, help="openBIS AS+DSS port (0: a free one)"
    )
    parser.add_argument("--reana-port", type=int, default=0, help="REANA API port (0: a free one)")
    parser.add_argument(
        "--sftp",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="also serve openBIS over SFTP",
    )
    parser.add_argument("--sftp-port", type=int, default=0, help="SFTP port (0: a free one)")
    parser.add_argument(
        "--tls", action="store_true", help="serve HTTPS with a certificate made at start"
    )
    parser.add_argument(
        "--scale", type=int, default=0, help="extra seeded objects/workflows for benchmarks"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of the seeded data")
    parser.add_argument(
        "--data-dir", type=Path, help="keep data here (default: a temporary directory, removed)"
    )
    parser.add_argument(
        "--state-file", type=Path, help="write URLs, ports and credentials here as JSON"
    )
    parser.add_argument("--only", choices=("openbis", "reana"), help="run only this server")
    parser.add_argument(
        "--reana-quota",
        nargs=2,
        type=int,
        metavar=("CPU_SECONDS", "DISK_BYTES"),
        help="give the REANA user quota limits (default: none, usage only, as REANA installs)",
    )
    parser.add_argument(
        "--reana-retention-days",
        type=int,
        metavar="DAYS",
        help="REANA's maximum (and default) workspace retention (default: forever)",
    )
    parser.add_argument(
        "--workflow-speed",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="duration of each phase of a simulated REANA run (default: 1.0)",
    )
    parser.add_argument(
        "--upload-relay",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long REANA's answer to a workspace upload waits per MiB, as reana-server's "
        "relay to the workflow controller does (default: 0.02)",
    )
    parser.add_argument(
        "--record-exchanges",
        type=Path,
        metavar="FILE",
        help="append every REANA answer (method, path, status, JSON body) to FILE as JSON lines",
    )
    parser.add_argument(
        "--reana-api",
        choices=("0.9", "0.95"),
        default="0.9",
        help="REANA protocol: 0.9 (reana-server 0.9.4, the default) or 0.95 (reana-commons "
        "0.95.0a26's specification: specification bundles, server-side validation, /restart)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGINT/SIGTERM: 0 once stopped cleanly, else 1 or 2 with one line on stderr."""
    try:
        return _run(argv)
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith(__package__.split(".")[0]):
            raise  # a module of this package itself: a packaging bug, keep the traceback
        print(f"reana-openbis-lab-sandbox: {missing_module(exc)}", file=sys.stderr)
        return 1


def missing_module(exc: ImportError) -> str:
    """One line naming the missing package and the command that installs it."""
    return f"the Python package {exc.name!r} is missing; install it with: {INSTALL_EXTRAS}"


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.sftp and args.only == "reana":
        print(
            "--sftp serves openBIS data: it cannot be combined with --only reana", file=sys.stderr
        )
        return 2
    try:
        return asyncio.run(_serve(args))
    except SandboxError as exc:
        print(f"reana-openbis-lab-sandbox: {exc}", file=sys.stderr)
        return 1


class SandboxError(Exception):
    """A sandbox part cannot start (missing optional module, port taken)."""


def _bind(host: str, port: int) -> tuple[list[socket.socket], int]:
    """Bind first, so the app can be built knowing its free port and public URL."""
    try:
        sockets = netutil.bind_sockets(port, address=host)
    except OSError as exc:
        raise SandboxError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sockets, sockets[0].getsockname()[1]


def _serve_on(
    sockets: list[socket.socket], app: Any, tls: TlsFiles | None
) -> httpserver.HTTPServer:
    server = httpserver.HTTPServer(
        app, ssl_options=tls.server_context() if tls else None, max_body_size=MAX_BODY
    )
    server.add_sockets(sockets)
    return server


def _url(scheme: str, host: str, port: int) -> str:
    return f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}"


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write then rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w") as out:
        json.dump(state, out, indent=2)
    os.replace(temporary, path)


async def _serve(args: argparse.Namespace) -> int:
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="reana-openbis-lab-sandbox-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    cleanups: list[Any] = []
    try:
        state = await _start(args, data_dir, cleanups)
        if args.state_file:
            write_state(args.state_file, state)
        print(summary(state), flush=True)
        await _until_signalled()
        return 0
    finally:
        for cleanup in reversed(cleanups):
            with contextlib.suppress(Exception):
                result = cleanup()
                if asyncio.iscoroutine(result):
                    await result
        if args.state_file:
            args.state_file.unlink(missing_ok=True)
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()


async def _start(args: argparse.Namespace, data_dir: Path, cleanups: list[Any]) -> dict[str, Any]:
    tls = None
    if args.tls:
        from .tls import make_certificates

        tls = make_certificates(data_dir / "tls", args.host)
    scheme = "https" if tls else "http"
    state: dict[str, Any] = {
        "pid": os.getpid(),
        "host": args.host,
        "tls": bool(tls),
        "ca_cert": str(tls.ca_cert) if tls else None,
        "data_dir": str(data_dir),
        "openbis": None,
        "reana": None,
        "sftp": None,
    }
    openbis_store = None
    if args.only != "reana":
        try:
            from .openbis import OpenbisStore
            from .openbis import make_app as make_openbis_app
        except ImportError as exc:
            raise SandboxError(
                f"the openBIS sandbox is not available: {missing_module(exc)} (or use --only reana)"
            ) from None
        openbis_store = OpenbisStore(data_dir / "openbis", scale=args.scale, seed=args.seed)
        sockets, port = _bind(args.host, args.openbis_port)
        url = _url(scheme, args.host, port)
        app = make_openbis_app(store=openbis_store, faults=Faults(), public_url=url)
        cleanups.append(_serve_on(sockets, app, tls).stop)
        state["openbis"] = {
            "url": url,
            "port": port,
            "users": dict(credentials.OPENBIS_USERS),
            "pat": credentials.OPENBIS_PAT,
        }
    if args.only != "openbis":
        from .reana import ReanaStore
        from .reana import make_app as make_reana_app
        from .reana.account import Account

        account = Account(retention_days=args.reana_retention_days)
        if args.reana_quota:
            account.cpu_limit, account.disk_limit = args.reana_quota[0] * 1000, args.reana_quota[1]
        reana_store = ReanaStore(
            data_dir / "reana", scale=args.scale, seed=args.seed, account=account
        )
        sockets, port = _bind(args.host, args.reana_port)
        url = _url(scheme, args.host, port)
        relay = {} if args.upload_relay is None else {"upload_relay_seconds": args.upload_relay}
        app = make_reana_app(
            store=reana_store,
            faults=Faults(),
            public_url=url,
            step_seconds=args.workflow_speed,
            reana_api=args.reana_api,
            record_exchanges=args.record_exchanges,
            **relay,
        )
        cleanups.append(_serve_on(sockets, app, tls).stop)
        cleanups.append(app.settings["reana_engine"].close)
        state["reana"] = {
            "url": url,
            "port": port,
            "token": credentials.REANA_TOKEN,
            "user_email": credentials.REANA_USER_EMAIL,
        }
    if args.sftp:
        state["sftp"] = await _start_sftp(args, openbis_store, cleanups)
    return state


async def _start_sftp(args: argparse.Namespace, store: Any, cleanups: list[Any]) -> dict[str, Any]:
    try:
        from .sftp import start_sftp_server
    except ImportError as exc:
        raise SandboxError(
            f"the SFTP sandbox is not available: {missing_module(exc)} (or run without --sftp)"
        ) from None
    handle = await start_sftp_server(args.host, args.sftp_port, store)

    async def close() -> None:
        handle.close()
        await handle.wait_closed()

    cleanups.append(close)
    sockets = getattr(handle, "sockets", None) or []
    port = sockets[0].getsockname()[1] if sockets else args.sftp_port
    return {"host": args.host, "port": port, "users": dict(credentials.OPENBIS_USERS)}


def summary(state: dict[str, Any]) -> str:
    lines = ["reana-openbis-lab sandbox is ready (Ctrl+C stops it)."]
    if state["openbis"]:
        users = ", ".join(f"{u} / {p}" for u, p in state["openbis"]["users"].items())
        lines.append(f"  openBIS  {state['openbis']['url']}   users: {users}")
        lines.append(f"           personal access token: {state['openbis']['pat']}")
    if state["reana"]:
        lines.append(
            f"  REANA    {state['reana']['url']}   REANA_ACCESS_TOKEN={state['reana']['token']}"
        )
    if state["sftp"]:
        lines.append(
            f"  SFTP     {state['host']}:{state['sftp']['port']} (openBIS users and passwords)"
        )
    if state["ca_cert"]:
        lines.append(f"  CA certificate: {state['ca_cert']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
