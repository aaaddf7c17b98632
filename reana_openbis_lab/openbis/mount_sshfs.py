"""Running sshfs and fusermount as asyncio subprocesses, and reading their failures.

The password goes to sshfs on stdin (`-o password_stdin`), never on the command line:
every local user can read any process's argv in /proc. A hung SSH handshake must not hang
the server, so every run has a timeout after which the whole process group (sshfs and its
ssh child) is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import (
    Conflict,
    InvalidInput,
    NotAvailable,
    PermissionDenied,
    UpstreamError,
    UpstreamTimeout,
)

MISSING_SSHFS = (
    "sshfs is not installed on the Jupyter server: install the Debian/Ubuntu package 'sshfs'"
    " (apt-get install sshfs), or on macOS Homebrew's 'macfuse' and 'gromgit/fuse/sshfs-mac'"
)
#: ssh refuses to ask for a password when it may use keys or an agent first; openBIS' SFTP
#: server takes passwords (or tokens as passwords) only.
FIXED_SSH_OPTIONS = (
    "password_stdin",
    "reconnect",
    "ro",
    "ServerAliveInterval=15",
    "ServerAliveCountMax=3",
    "PubkeyAuthentication=no",
    "PreferredAuthentications=password",
    "NumberOfPasswordPrompts=1",
)
USER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")
HOST_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$|^[0-9A-Fa-f:.]+$")
UNMOUNT_COMMANDS = (("fusermount3", "-u"), ("fusermount", "-u"), ("umount",))
LAZY_FLAGS = {"fusermount3": "-z", "fusermount": "-z", "umount": "-l"}
STDERR_LIMIT = 400
UNREACHABLE_HINTS = (
    "connection refused",
    "no route",
    "could not resolve",
    "timed out",
    "unreachable",
)


@dataclass(frozen=True)
class SshfsSettings:
    """How sshfs runs here (from the server's traitlets)."""

    command: str
    known_hosts: Path
    host_key_checking: str
    timeout: float


def find_sshfs(command: str) -> str:
    found = shutil.which(command)
    if not found:
        raise NotAvailable(MISSING_SSHFS, code="sshfs_missing")
    return found


def sshfs_argv(
    executable: str, user: str, host: str, port: int, mountpoint: Path, settings: SshfsSettings
) -> list[str]:
    """The full command line; it holds no secret (the test reads /proc to prove it)."""
    if not USER_PATTERN.match(user):
        raise InvalidInput("This user name cannot be used for an SFTP login", field="username")
    if not HOST_PATTERN.match(host):
        raise InvalidInput("This openBIS host name cannot be used for SFTP", field="host")
    remote = f"[{host}]" if ":" in host else host
    options = [
        *FIXED_SSH_OPTIONS,
        f"port={port}",
        f"StrictHostKeyChecking={settings.host_key_checking}",
        f"UserKnownHostsFile={settings.known_hosts}",
        f"ConnectTimeout={max(1, int(settings.timeout))}",
    ]
    argv = [executable, f"{user}@{remote}:/", str(mountpoint)]
    for option in options:
        argv += ["-o", option]
    return argv


async def run_sshfs(argv: list[str], password: str, timeout: float, where: str) -> None:
    """Mount; sshfs returns once the mount is up (its daemon stays behind, detached).

    With password_stdin, sshfs talks to ssh through a pseudo-terminal and swallows ssh's
    messages ("Permission denied", "Connection refused"...), so ssh writes them to a log
    file of ours (`ssh -E`) that we read to tell the user what went wrong.
    """
    log_dir = Path(tempfile.mkdtemp(prefix="reana-openbis-lab-ssh-"))
    ssh_log = log_dir / "ssh.log"
    if not re.search(r"[\s\\,]", str(ssh_log)):  # sshfs splits ssh_command at spaces
        argv = [*argv, "-o", f"ssh_command=ssh -E {ssh_log}"]
    try:
        stderr = await _run(
            argv, password.encode() + b"\n", timeout, what=f"The SFTP server {where}"
        )
        if stderr is not None:
            ssh_said = ssh_log.read_text(errors="replace") if ssh_log.exists() else ""
            raise _mount_error(f"{ssh_said}\n{stderr}".strip().replace(password, "***"), where)
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)


async def run_unmount(mountpoint: Path, timeout: float, *, lazy: bool = False) -> None:
    """Unmount with the first tool present; a busy mount is a Conflict unless `lazy`."""
    for command in UNMOUNT_COMMANDS:
        executable = shutil.which(command[0])
        if executable is None:
            continue
        argv = [
            executable,
            *command[1:],
            *([LAZY_FLAGS[command[0]]] if lazy else []),
            str(mountpoint),
        ]
        stderr = await _run(argv, None, timeout, what="Unmounting")
        if stderr is None:
            return
        if "busy" in stderr.lower():
            raise Conflict(
                "The mount is in use (open files or a terminal inside it): close them and retry",
                code="busy",
            )
        raise UpstreamError(f"Unmounting failed: {stderr[-STDERR_LIMIT:]}", code="unmount_failed")
    raise NotAvailable(
        "Neither fusermount3, fusermount nor umount is installed", code="sshfs_missing"
    )


async def _run(argv: list[str], stdin: bytes | None, timeout: float, *, what: str) -> str | None:
    """None on success, else stderr; kills the process group when `timeout` passes."""
    process = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, stderr = await asyncio.wait_for(process.communicate(stdin), timeout)
    except (TimeoutError, asyncio.TimeoutError):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
        raise UpstreamTimeout(
            f"{what} did not finish within {timeout:g} s", code="sftp_timeout"
        ) from None
    if process.returncode == 0:
        return None
    return stderr.decode("utf-8", errors="replace").strip() or f"exit status {process.returncode}"


def _mount_error(stderr: str, where: str) -> Exception:
    lowered = stderr.lower()
    if "permission denied" in lowered or "too many authentication failures" in lowered:
        return PermissionDenied(
            f"The SFTP server {where} refused the openBIS credentials", code="sftp_auth_failed"
        )
    if "host key verification failed" in lowered or "identification has changed" in lowered:
        return UpstreamError(
            f"The SFTP server {where} presented a host key other than the one trusted before;"
            " if the server was reinstalled, remove its line from the extension's known_hosts",
            code="host_key_changed",
        )
    if "fuse" in lowered and any(
        s in lowered for s in ("device not found", "not permitted", "/dev/fuse")
    ):
        return NotAvailable(
            f"FUSE is not usable on the Jupyter server (sshfs said: {stderr[-STDERR_LIMIT:]});"
            " the server needs /dev/fuse and the right to mount",
            code="fuse_unavailable",
        )
    if any(s in lowered for s in UNREACHABLE_HINTS):
        return UpstreamError(f"Could not reach the SFTP server {where}", code="sftp_unreachable")
    return UpstreamError(f"sshfs failed: {stderr[-STDERR_LIMIT:]}", code="sshfs_failed")
