"""The sandbox's SFTP endpoint: what openBIS's data store server offers on port 2222.

Users log in with their openBIS password, or with a personal access token (or a session
token) as password, as openBIS's DSS accepts. The host key is made fresh at every start
in a private temporary folder, so clients must trust it on first use
(StrictHostKeyChecking=accept-new against their own known_hosts file).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .quiet_asyncssh import asyncssh
from .sftp_tree import DatasetSFTPServer, DatasetTree


class _PasswordOnly(asyncssh.SSHServer):
    def __init__(self, store: Any) -> None:
        self.store = store

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self.store.check_password(username, password):
            return True
        return self.store.sessions.user_of(password) == username


@dataclass
class SftpHandle:
    """Closes like an asyncio.Server (`close()` then `await wait_closed()`); `.port` is bound."""

    host: str
    port: int
    host_key_dir: Path
    _server: asyncssh.SSHAcceptor

    @property
    def sockets(self) -> Any:
        return self._server.sockets

    def close(self) -> None:
        self._server.close()

    async def wait_closed(self) -> None:
        await self._server.wait_closed()
        shutil.rmtree(self.host_key_dir, ignore_errors=True)


async def start_sftp_server(host: str, port: int, store: Any) -> SftpHandle:
    """Listen on (host, port) (port 0: a free one, see `.port`); SFTP only, no shell, no scp."""
    key_dir = Path(tempfile.mkdtemp(prefix="sandbox-sftp-hostkey-"))
    key_path = key_dir / "ssh_host_ed25519_key"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(str(key_path))
    key_path.chmod(0o600)
    tree = DatasetTree(store)
    server = await asyncssh.listen(
        host,
        port,
        server_factory=lambda: _PasswordOnly(store),
        server_host_keys=[str(key_path)],
        sftp_factory=lambda chan: DatasetSFTPServer(chan, tree),
        allow_scp=False,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_pty=False,
    )
    bound_port = server.sockets[0].getsockname()[1]
    return SftpHandle(host=host, port=bound_port, host_key_dir=key_dir, _server=server)
