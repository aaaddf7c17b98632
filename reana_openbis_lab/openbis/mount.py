"""SSHFS mounts of openBIS data stores inside the Jupyter root, as jupyter-openbis-server offered.

openBIS' data store server (DSS) speaks SFTP (port 2222 by default) and accepts the openBIS
password, or a token as password. One mount per connection, at a folder inside the root:
by default one named after the connection (`lab`), or `lab-2`, `lab-3`... when that name is
taken by a file, a folder that is not empty, a link or another mount. The mount table in /proc/mounts is the truth for
"is it mounted": a crashed sshfs shows as not mounted instead of a stale promise. Nothing
here stats the mount itself, because a hung FUSE mount blocks whoever touches it.

The mount point and every folder created for it are confined to the root (symlinks
followed) when created and again before they are removed. A mount remembers exactly the
folders it created (for `a/b/c` with `a` existing: `a/b` and `a/b/c`), and unmounting or a
failed mount removes those, innermost first and only while empty, and nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import leftovers
from ..errors import (
    Conflict,
    InvalidInput,
    LocalProblem,
    NotAvailable,
    NotFound,
    UpstreamTimeout,
)
from ..paths import confine, confine_own, local_problem, to_api_path
from .mount_sshfs import SshfsSettings, find_sshfs, run_sshfs, run_unmount, sshfs_argv

log = logging.getLogger(__name__)
UNSAFE_FOLDER_CHARS = re.compile(r"[^A-Za-z0-9._-]")
#: How many `name-N` folders are tried for a default mount point before giving up (409).
DEFAULT_FOLDER_TRIES = 50


@dataclass(frozen=True)
class MountRequest:
    """`POST /openbis/connections/{name}/mount`, as the contract checked it."""

    mountpoint: str | None = None
    port: int | None = None


@dataclass(frozen=True)
class Mount:
    name: str
    mountpoint: Path
    #: Folders this mount created, outermost first (the mount point last, if it was created).
    created: tuple[Path, ...]


class MountManager:
    """Mount state of every openBIS connection; built once at start-up (see app.py)."""

    def __init__(
        self,
        root_dir: Path,
        settings: SshfsSettings,
        default_port: int,
        *,
        journal: leftovers.Journal | None = None,
        guard: Callable[[str, str, bool], Awaitable[None]] | None = None,
    ) -> None:
        self.root_dir = root_dir
        self.settings = settings
        self.default_port = default_port
        #: Where each mount is written down before it exists, for a start after a crash.
        self._journal = journal
        #: Who unmounts should the server go away without its shutdown hook (the lab worker).
        self._guard = guard
        self._mounts: dict[str, Mount] = {}
        self._lock = asyncio.Lock()
        #: Removals of what failed attempts made, waiting for their threads to finish.
        self._cleanups: set[asyncio.Task[None]] = set()

    @property
    def available(self) -> bool:
        try:
            self.require_sshfs()
        except NotAvailable:
            return False
        return True

    def require_sshfs(self) -> str:
        """The sshfs executable, or a 503 that names the package to install."""
        return find_sshfs(self.settings.command)

    def status(self, name: str) -> dict[str, Any]:
        """`{"isMounted", "mountpoint"}` for the connection list; cheap, never touches the mount."""
        mount = self._mounts.get(name)
        if mount is None or not leftovers.in_mount_table(mount.mountpoint):
            return {"isMounted": False, "mountpoint": None}
        return {"isMounted": True, "mountpoint": to_api_path(self.root_dir, mount.mountpoint)}

    async def mount(self, name: str, credentials: Any, request: MountRequest) -> dict[str, Any]:
        """Mount connection `name` at the asked mount point (relative to root), else a
        default folder, with its openBIS secret."""
        executable = self.require_sshfs()
        port = self.default_port if request.port is None else request.port
        target = (
            None
            if request.mountpoint is None
            else confine(self.root_dir, request.mountpoint, field="mountpoint")
        )
        async with self._lock:
            self._forget_dead(name)
            if name in self._mounts:
                raise Conflict(
                    f"{name!r} is already mounted at {self.status(name)['mountpoint']!r}",
                    field="name",
                    code="already_mounted",
                )
            if target is None:
                target = await self._off_loop(self._default_target, name)
            self._check_target(target)
            argv = sshfs_argv(
                executable, credentials.username, credentials.host, port, target, self.settings
            )
            made: list[Path] = []  # filled by the thread as it goes, also after a timeout
            preparing = asyncio.ensure_future(
                asyncio.to_thread(_prepare_folder, self.root_dir, target, made)
            )
            where = f"{credentials.host}:{port}"
            try:
                await self._bounded(preparing)
                # Written down before sshfs runs: should this process die from here on,
                # the next start unmounts it and removes the folders made for it.
                if self._journal is not None:
                    entry = leftovers.Entry(leftovers.MOUNT, str(target), tuple(map(str, made)))
                    await asyncio.to_thread(self._journal.add, entry)
                await asyncio.to_thread(_private_known_hosts, self.settings.known_hosts)
                await run_sshfs(argv, credentials.password, self.settings.timeout, where)
                if self._guard is not None:
                    await self._guard(leftovers.MOUNT, str(target), True)
            except BaseException:
                if leftovers.in_mount_table(target):
                    await run_unmount(target, self.settings.timeout, lazy=True)
                # Whatever this attempt made goes again: now, or once the thread has finished
                # (a hung file system may still be holding it).
                if preparing.done():
                    await asyncio.to_thread(_remove_created, self.root_dir, tuple(made))
                else:
                    cleanup = _remove_after(preparing, self.root_dir, made)
                    self._cleanups.add(cleanup)
                    cleanup.add_done_callback(self._cleanups.discard)
                await self._forget_entry(target)
                raise
            created = tuple(made)
            self._mounts[name] = Mount(name, target, created)
            log.info("Mounted openBIS connection %r (%s) at %s", name, where, target)
        return self.status(name)

    async def unmount(self, name: str) -> dict[str, Any]:
        async with self._lock:
            mount = self._mounts.get(name)
            if mount is None:
                raise NotFound(f"{name!r} is not mounted", field="name", code="not_mounted")
            await self._unmount(mount, lazy=False)
        return self.status(name)

    async def unmount_all(self) -> None:
        """At server stop: lazily detach every mount so no user is left with a dead folder."""
        async with self._lock:
            for mount in list(self._mounts.values()):
                try:
                    await self._unmount(mount, lazy=True)
                except Exception as exc:  # keep going: the other mounts must still go
                    log.warning("Could not unmount %s: %s", mount.mountpoint, exc)

    def detach_all_now(self) -> None:
        """Blocking, at the very end of a stop that ran out of time: detach what is still
        mounted (lazily, never waiting on a mount) and forget it."""
        for mount in list(self._mounts.values()):
            if leftovers.in_mount_table(mount.mountpoint):
                leftovers.unmount_lazily(mount.mountpoint)
            _remove_created(self.root_dir, mount.created)
            if self._journal is not None:
                self._journal.remove(leftovers.MOUNT, str(mount.mountpoint))
        self._mounts.clear()

    async def _forget_entry(self, mountpoint: Path) -> None:
        if self._journal is not None:
            await asyncio.to_thread(self._journal.remove, leftovers.MOUNT, str(mountpoint))
        if self._guard is not None:
            try:
                await self._guard(leftovers.MOUNT, str(mountpoint), False)
            except Exception as exc:  # the worker's own end unmounts nothing that is gone
                log.debug("Could not tell the lab worker about %s: %s", mountpoint, exc)

    async def _unmount(self, mount: Mount, *, lazy: bool) -> None:
        if leftovers.in_mount_table(mount.mountpoint):
            await run_unmount(mount.mountpoint, self.settings.timeout, lazy=lazy)
        del self._mounts[mount.name]
        await asyncio.to_thread(_remove_created, self.root_dir, mount.created)
        await self._forget_entry(mount.mountpoint)
        log.info("Unmounted openBIS connection %r from %s", mount.name, mount.mountpoint)

    async def _off_loop(self, fn: Any, *args: Any) -> Any:
        """File system work near mounts may hang (a dead FUSE mount): bounded, in a thread."""
        return await self._bounded(asyncio.ensure_future(asyncio.to_thread(fn, *args)))

    async def _bounded(self, work: asyncio.Future[Any]) -> Any:
        """`work` within the mount timeout; the thread behind it is left to finish."""
        try:
            return await asyncio.wait_for(asyncio.shield(work), self.settings.timeout)
        except (TimeoutError, asyncio.TimeoutError):
            raise UpstreamTimeout(
                "The file system did not answer in time; is another mount hung?",
                field="mountpoint",
            ) from None

    def _forget_dead(self, name: str) -> None:
        """A mount whose sshfs died and that was unmounted behind our back is simply gone."""
        mount = self._mounts.get(name)
        if mount is not None and not leftovers.in_mount_table(mount.mountpoint):
            del self._mounts[name]

    def _default_target(self, name: str) -> Path:
        """The first free folder of `name`, `name-2`, `name-3`... directly in the root: free
        means missing or an empty folder, not a link, and not in or around any mount.
        Blocking (it looks at the disk): call it through `_off_loop`."""
        base = _folder_for(name)
        for number in range(1, DEFAULT_FOLDER_TRIES + 1):
            folder = base if number == 1 else f"{base}-{number}"
            try:
                target = confine_own(self.root_dir, self.root_dir / folder, field="mountpoint")
                self._check_target(target)
            except (InvalidInput, Conflict):
                continue
            if _free_folder(target):
                return target
        raise Conflict(
            f"No free folder named after {name!r} in the server root; name a mount point",
            field="mountpoint",
            code="in_use",
        )

    def _check_target(self, target: Path) -> None:
        if target == self.root_dir:
            raise InvalidInput("The mount point cannot be the server root", field="mountpoint")
        for other in self._mounts.values():
            if target == other.mountpoint or other.mountpoint in target.parents:
                raise Conflict(
                    "The mount point is inside another mount", field="mountpoint", code="in_use"
                )
            if target in other.mountpoint.parents:
                raise Conflict(
                    "The mount point contains another mount", field="mountpoint", code="in_use"
                )
        if leftovers.in_mount_table(target):
            raise Conflict("Something is already mounted there", field="mountpoint", code="in_use")


def _folder_for(name: str) -> str:
    """A folder name made of `name` that no shell or file system can misread (connection
    names are already plain; this holds should that rule ever widen)."""
    return UNSAFE_FOLDER_CHARS.sub("-", name).strip(".-")[:64] or "openbis"


def _free_folder(target: Path) -> bool:
    """Missing, or an empty folder that is no link (what `_prepare_folder` accepts)."""
    if target.is_symlink():
        return False
    if not target.exists():
        return True
    try:
        return target.is_dir() and not any(target.iterdir())
    except OSError:
        return False


def _remove_after(
    work: asyncio.Future[Any], root_dir: Path, made: list[Path]
) -> asyncio.Task[None]:
    async def remove() -> None:
        with contextlib.suppress(BaseException):
            await work
        await asyncio.to_thread(_remove_created, root_dir, tuple(made))

    return asyncio.ensure_future(remove())


def _prepare_folder(root_dir: Path, target: Path, created: list[Path]) -> None:
    """Accept an existing empty folder, or create the mount point and the folders above it
    that are missing, one at a time, each checked to be inside the root; `created` gets
    each as it is made (outermost first). A failure takes back what was created."""
    confine_own(root_dir, target, field="mountpoint")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise LocalProblem(
            "The mount point exists and is not a folder",
            field="mountpoint",
            code="local_in_the_way",
        )
    if target.exists():
        if any(target.iterdir()):
            raise Conflict(
                "The mount point folder is not empty", field="mountpoint", code="not_empty"
            )
        return
    missing = [target]
    while not missing[-1].parent.exists():
        missing.append(missing[-1].parent)
    try:
        for folder in reversed(missing):
            folder.mkdir()  # never follows a link planted meanwhile: that is FileExistsError
            created.append(folder)
            confine_own(root_dir, folder, field="mountpoint")
    except BaseException as exc:
        _remove_created(root_dir, tuple(created))
        created.clear()
        if isinstance(exc, OSError):
            problem = local_problem(exc, root_dir)
            problem.field = "mountpoint"
            raise problem from None
        raise


def _remove_created(root_dir: Path, created: tuple[Path, ...]) -> None:
    """Remove the folders a mount created, innermost first, while they are empty and still
    inside the root; stop at the first that holds something (it is the user's now)."""
    for folder in reversed(created):
        try:
            confine_own(root_dir, folder, field="mountpoint")
            if folder.is_symlink():
                return
            folder.rmdir()
        except (OSError, InvalidInput):
            return


def _private_known_hosts(path: Path) -> None:
    """Host keys trusted by this extension only (never the user's ~/.ssh/known_hosts), in
    its data folder (outside the root, by the administrator's choice)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        path.touch(mode=0o600, exist_ok=True)
    except OSError as exc:
        raise local_problem(exc, None, path) from None
