"""A workflow's workspace: paged listing, downloads into the Jupyter root, uploads from it.

Transfers run as jobs (kinds reana-download / reana-upload) so the request returns at
once and the UI follows progress and can cancel. Downloads stream each file to disk
inside a hidden staging folder next to the destination and only rename the finished
items into place, so a failed or cancelled download leaves nothing behind and an
existing target is only replaced when the user asked for it. Every local path, and
every name REANA sends back, is confined to the server root before it is touched.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import anyio

from ..errors import Conflict, InvalidInput, LocalProblem, NotFound, UpstreamError
from ..jobs import Job, JobManager, Progress
from ..leftovers import REANA_STAGING
from ..local_selection import LocalItem, assert_unchanged, collect, refuse_empty_folders, selected
from ..local_tree import make_folders
from ..paths import check_writable, confine, confine_own, fit_problem, local_problem, to_api_path
from ..result_lists import capped
from ..worker.context import WorkContext
from .client import ReanaClient, StreamTarget
from .workflows import display_name

#: How many entries to ask REANA for per page when resolving a download's file list.
LISTING_PAGE = 1000
#: A guard against a workspace listing that never ends.
MAX_LISTED_FILES = 200_000
#: Prefix of REANA downloads' staging folders (made by `leftovers.staging_dir`).
STAGING_PREFIX = REANA_STAGING
#: Clashes named in one 409 before "and N more".
MAX_NAMED_CLASHES = 5
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def check_remote_path(value: str, field: str, *, allow_root: bool = False) -> str:
    """A workspace path, normalised: relative, '/'-separated, no '..', no control characters.
    The contract bounds its length; REANA's own listing goes through here too."""
    if CONTROL_CHARS.search(value) or "\\" in value:
        raise InvalidInput(
            f"'{field}' contains characters a workspace path cannot have", field=field
        )
    if value.startswith("/"):
        raise InvalidInput(f"'{field}' must be a path relative to the workspace", field=field)
    parts = [p for p in PurePosixPath(value).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise InvalidInput(f"'{field}' must not contain '..'", field=field)
    if not parts and not allow_root:
        raise InvalidInput(f"'{field}' must name a file or folder", field=field)
    return "/".join(parts)


@dataclass(frozen=True)
class WorkspaceDownload:
    """`POST .../workspace/download`, as the contract checked it."""

    paths: tuple[str, ...]
    destination: str = ""
    overwrite: bool = False
    #: Place the new items beside existing ones under a free name (`greetings (1).txt`).
    keep_both: bool = False


@dataclass(frozen=True)
class WorkspaceUpload:
    """`POST .../workspace/upload`, as the contract checked it."""

    sources: tuple[str, ...]
    target: str = ""


def file_entry(raw: dict[str, Any]) -> dict[str, Any]:
    size = given if isinstance(given := raw.get("size"), dict) else {}
    return {
        "name": raw.get("name"),
        "size": size.get("raw"),
        "sizeHuman": size.get("human_readable"),
        "lastModified": raw.get("last-modified"),
    }


async def list_page(
    client: ReanaClient, workflow: str, *, page: int, size: int, search: str | None
) -> dict[str, Any]:
    items, total = await client.list_workspace(workflow, page=page, size=size, search=search)
    return {
        "items": [file_entry(i) for i in items if isinstance(i, dict)],
        "total": total,
        "page": page,
        "size": size,
    }


@dataclass(frozen=True)
class PlannedFile:
    remote: str
    #: Where it goes, relative to the destination folder ('/'-separated).
    local: str
    size: int | None


async def _all_files(client: ReanaClient, workflow: str) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = []
    page = 1
    while True:
        items, total = await client.list_workspace(workflow, page=page, size=LISTING_PAGE)
        files.extend(i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str))
        if not items or len(files) >= total or len(files) >= MAX_LISTED_FILES:
            return files
        page += 1


async def plan_download(client: ReanaClient, workflow: str, paths: list[str]) -> list[PlannedFile]:
    """Expand files and folders into the files to fetch, each keeping its workspace path.

    As with `reana-client download`, `results/greetings.txt` lands as
    `<destination>/results/greetings.txt`: outputs of one base name in different folders
    stay apart, and a second download of the same outputs finds them where the first put
    them (and asks before replacing them).
    """
    sizes = _file_sizes(await _all_files(client, workflow))
    planned: dict[str, PlannedFile] = {}
    for path in paths:
        prefix = f"{path}/" if path else ""
        inside = [name for name in sizes if name.startswith(prefix)]
        if not inside and path not in sizes:
            raise NotFound(f"'{path}' is not in the workspace of '{workflow}'", field="paths")
        for name in inside or [path]:
            planned.setdefault(name, PlannedFile(name, name, sizes[name]))
    return list(planned.values())


def download_roots(paths: list[str], plan: list[PlannedFile]) -> list[str]:
    """The items a download places (and replaces, or renames to keep both), as local paths:
    the selected files and folders, or the top-level entries for the whole workspace; an
    item inside another selected one is placed with it."""
    if "" in paths:
        return sorted({f.local.split("/", 1)[0] for f in plan})
    chosen = sorted(set(paths))
    return [
        path
        for path in chosen
        if not any(path.startswith(f"{other}/") for other in chosen if other != path)
    ]


def _file_sizes(listing: list[dict[str, Any]]) -> dict[str, int | None]:
    """Files of a listing by path. REANA's names are checked like a user's (they end up as
    local paths), and an entry that is the parent of others is a folder, not a file."""
    sizes: dict[str, int | None] = {}
    for item in listing:
        try:
            name = check_remote_path(item["name"], "paths")
        except InvalidInput:
            raise UpstreamError(
                "REANA listed a workspace file whose name is not a safe relative path",
                code="unsafe_name",
            ) from None
        raw = item["size"].get("raw") if isinstance(item.get("size"), dict) else None
        sizes[name] = raw if isinstance(raw, int) else None
    folders = {parent.as_posix() for name in sizes for parent in PurePosixPath(name).parents}
    return {name: size for name, size in sizes.items() if name not in folders}


def _files(count: int) -> str:
    return "1 file" if count == 1 else f"{count} files"


async def start_download(
    request: WorkspaceDownload,
    *,
    client: ReanaClient,
    jobs: JobManager,
    root_dir: Path,
    workflow: str,
) -> Job:
    """Plan and check everything now (4xx before any byte moves), then submit the job; its
    title names the run by its `name.N`, not by the UUID the UI addresses it with.

    `overwrite` replaces existing items whole; `keep_both` places the new ones beside them
    under a free name (`greetings (1).txt`); neither: a 409 `target_exists` naming them.
    """
    overwrite, keep_both = request.overwrite, request.keep_both
    if overwrite and keep_both:
        raise InvalidInput("Choose 'overwrite' or 'keepBoth', not both", field="keepBoth")
    paths = [check_remote_path(p, "paths", allow_root=True) for p in request.paths]
    destination = confine(root_dir, request.destination, field="destination")
    if destination.exists() and not destination.is_dir():
        raise InvalidInput("'destination' must be a folder", field="destination")
    plan, label = await asyncio.gather(
        plan_download(client, workflow, paths), display_name(client, workflow)
    )
    _check_fits(root_dir, destination, plan)
    sizes = [f.size for f in plan]
    needed = None if None in sizes else sum(s for s in sizes if s is not None)
    await anyio.to_thread.run_sync(
        lambda: check_writable(root_dir, destination, field="destination", needed_bytes=needed)
    )
    roots = download_roots(paths, plan)
    taken = []
    for root in roots:
        target = _local_target(root_dir, destination, root)
        _refuse_files_in_the_way(root_dir, destination, target)
        if _exists(target):
            taken.append(root)
    if taken and not (overwrite or keep_both):
        raise Conflict(
            _taken_message(root_dir, destination, taken), field="destination", code="target_exists"
        )

    job = DownloadJob(
        workflow, tuple(plan), tuple(roots), destination, overwrite, keep_both, root_dir
    )

    async def work(progress: Progress) -> dict[str, Any]:
        return await progress.in_worker(download_workspace, client.stream_target(), job)

    return jobs.submit(
        "reana-download",
        f"Download {_files(len(plan))} from {label}",
        work,
        connection=client.name,
        workflow=workflow,
        run=label,
        destination=to_api_path(root_dir, destination),
        **capped("paths", roots),
    )


def _check_fits(root_dir: Path, destination: Path, plan: list[PlannedFile]) -> None:
    """Every file's staging path (one hidden level below the destination) is one the local
    file system takes, else a 409 naming the file before anything is made."""
    root = Path(root_dir).resolve()
    base = [*destination.relative_to(root).parts, STAGING_PREFIX + "0" * 32]
    for item in plan:
        problem = fit_problem(root, [*base, *item.local.split("/")])
        if problem is not None:
            raise LocalProblem(
                f"'{item.remote[:80]}' cannot be stored on the Jupyter server's file system"
                f" under the destination: its path {problem}; choose a folder nearer the top",
                field="destination",
                code="local_name_too_long",
            )


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _refuse_files_in_the_way(root_dir: Path, destination: Path, target: Path) -> None:
    """`results/greetings.txt` needs `results` to be a folder: a file there is a 409 naming it
    (replacing the item would not help)."""
    for parent in target.parents:
        if parent == destination or destination not in parent.parents:
            return
        if _exists(parent) and not parent.is_dir():
            raise Conflict(
                f"'{to_api_path(root_dir, parent)}' is a file; the download needs a folder there",
                field="destination",
                code="local_in_the_way",
            )


def _taken_message(root_dir: Path, destination: Path, taken: list[str]) -> str:
    """Shown to users as it is (the replace / keep both question), so it names the items."""
    folder = to_api_path(root_dir, destination)
    where = f"'{folder}'" if folder else "the root folder"
    names = ", ".join(f"'{name}'" for name in taken[:MAX_NAMED_CLASHES])
    more = len(taken) - MAX_NAMED_CLASHES
    if more > 0:
        names += f" and {more} more"
    return f"{names} {'exists' if len(taken) == 1 else 'exist'} already in {where}"


def free_name(target: Path) -> Path:
    """The first `name (n).ext` beside `target` that nothing uses (a download keeping both)."""
    name = target.name
    compound = next((s for s in (".tar.gz", ".tar.bz2", ".tar.xz") if name.endswith(s)), None)
    suffix = compound or ("" if name.startswith(".") and name.count(".") == 1 else target.suffix)
    stem = name[: len(name) - len(suffix)] if suffix else name
    number = 1
    while True:
        candidate = target.with_name(f"{stem} ({number}){suffix}")
        if not _exists(candidate):
            return candidate
        number += 1


def _local_target(root_dir: Path, destination: Path, name: str) -> Path:
    """Where a workspace item lands: `name` is REANA's path, already checked
    (`check_remote_path`), so it is taken literally (a file REANA calls `a%2e` stays `a%2e`);
    only links below the confined destination could lead it out."""
    return confine_own(root_dir, destination / name, field="destination")


@dataclass(frozen=True)
class DownloadJob:
    """A download job, checked and planned in the server, as the lab worker runs it."""

    workflow: str
    plan: tuple[PlannedFile, ...]
    roots: tuple[str, ...]
    destination: Path
    overwrite: bool
    keep_both: bool
    root_dir: Path


def download_workspace(
    context: WorkContext, target: StreamTarget, job: DownloadJob
) -> dict[str, Any]:
    """Runs in the lab worker: every file into a staging folder, then all into place."""
    progress, root_dir, destination = context.progress, job.root_dir, job.destination
    client = target.client()
    sizes = [f.size for f in job.plan]
    progress.set_totals(
        bytes_total=sum(s for s in sizes if s is not None) if None not in sizes else None,
        files_total=len(job.plan),
    )
    # Named before anything is created, so that a failure at any point below still finds
    # (and removes) everything in `finally`.
    created = _first_missing(destination)
    total = 0
    placed: list[str] = []
    try:
        # A link planted in place of the destination while the job waited: nothing written.
        confine_own(root_dir, destination / STAGING_PREFIX, field="destination")
        make_folders(destination)
        with context.staging_dir(destination, STAGING_PREFIX) as staging:
            for item in job.plan:
                progress.set_step(item.remote)
                part = staging.joinpath(*item.local.split("/"))
                try:
                    make_folders(part.parent)
                    with part.open("xb") as handle:
                        total += client.download_file_blocking(
                            job.workflow,
                            item.remote,
                            handle,
                            progress.add_bytes,
                            context.cancel_event,
                            context.connections,
                        )
                except OSError as exc:  # the local disk refused a write (or the final flush)
                    raise local_problem(exc, root_dir, part) from None
                progress.file_done()
            progress.check_cancelled()
            progress.set_step("finishing")
            placed = _move_into_place(
                root_dir, staging, destination, list(job.roots), job.overwrite, job.keep_both
            )
        created = None
    finally:
        _remove_created(root_dir, destination, created)
    return {
        "destination": to_api_path(root_dir, destination),
        **capped("paths", placed),
        "files": len(job.plan),
        "bytes": total,
    }


def _first_missing(folder: Path) -> Path | None:
    """The outermost folder of `folder`'s chain that does not exist yet (None: all exist)."""
    missing = None
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing = candidate
    return missing


def _remove_created(root_dir: Path, destination: Path, created: Path | None) -> None:
    """After a failure, the (still empty) folders we created, as long as they still lie
    inside the root (no link planted meanwhile is followed)."""
    if created is None:
        return
    for folder in (destination, *destination.parents):
        try:
            confine_own(root_dir, folder, field="destination")
            folder.rmdir()  # only succeeds while empty: never removes anything of the user's
        except (OSError, InvalidInput):
            return
        if folder == created:
            return


def _move_into_place(
    root_dir: Path,
    staging: Path,
    destination: Path,
    roots: list[str],
    overwrite: bool,
    keep_both: bool,
) -> list[str]:
    """Rename finished items over their targets (a replaced folder is moved aside first), or
    beside them under a free name; returns where each item went (API paths)."""
    placed = []
    for root in roots:
        target = _local_target(root_dir, destination, root)
        _refuse_files_in_the_way(root_dir, destination, target)
        if _exists(target):
            if keep_both:
                target = free_name(target)
            elif not overwrite:
                raise Conflict(
                    f"'{to_api_path(root_dir, target)}' appeared while downloading; "
                    "nothing replaced",
                    field="destination",
                    code="target_exists",
                )
            elif target.is_dir() and not target.is_symlink():
                aside = staging / f".replaced-{uuid.uuid4().hex}"
                os.rename(target, aside)
        make_folders(target.parent)
        os.replace(staging / root, target)
        placed.append(to_api_path(root_dir, target))
    return placed


@dataclass(frozen=True)
class PlannedUpload:
    item: LocalItem
    #: Its name in the workspace ('/'-separated).
    remote: str

    @property
    def size(self) -> int:
        return self.item.size


def plan_upload(root_dir: Path, request: WorkspaceUpload) -> list[PlannedUpload]:
    """Local files (folders walked) and their workspace names, under the transfers' one rule
    set (`local_selection`); a REANA workspace holds only files, so empty folders are refused.

    Runs in a thread (it walks folders).
    """
    target = check_remote_path(request.target, "target", allow_root=True)
    items = collect(root_dir, [selected(s, "sources") for s in request.sources])
    refuse_empty_folders(items, "sources", "A REANA workspace")
    return [PlannedUpload(i, f"{target}/{i.name}" if target else i.name) for i in items]


async def upload_planned(
    client: ReanaClient,
    workflow: str,
    plan: list[PlannedUpload],
    progress: Progress,
    *,
    file_steps: bool = True,
) -> None:
    """Send every file, in the lab worker (`file_steps`: the job's step names it); a file that
    changes while it is sent fails the job, naming it."""
    await progress.in_worker(
        upload_workspace, client.stream_target(), workflow, tuple(plan), file_steps
    )


def upload_workspace(
    context: WorkContext,
    target: StreamTarget,
    workflow: str,
    plan: tuple[PlannedUpload, ...],
    file_steps: bool,
) -> None:
    """Runs in the lab worker: one file after the other into the workspace."""
    progress = context.progress
    client = target.client()
    progress.set_totals(bytes_total=sum(f.size for f in plan), files_total=len(plan))
    for planned in plan:
        progress.check_cancelled()
        if file_steps:
            progress.set_step(planned.remote)
        source = planned.item.source
        assert source is not None
        assert_unchanged(planned.item)
        client.upload_file_blocking(
            workflow,
            planned.remote,
            source,
            progress.add_bytes,
            context.cancel_event,
            context.connections,
        )
        assert_unchanged(planned.item)
        progress.file_done()


async def start_upload(
    request: WorkspaceUpload,
    *,
    client: ReanaClient,
    jobs: JobManager,
    root_dir: Path,
    workflow: str,
) -> Job:
    """Walk and check the selection now (4xx before the job), then submit the upload job; its
    title names the run by its `name.N`."""
    client.require_token()
    plan = await anyio.to_thread.run_sync(plan_upload, root_dir, request)
    label = await display_name(client, workflow)

    async def work(progress: Progress) -> dict[str, Any]:
        await upload_planned(client, workflow, plan, progress)
        return {"workflow": workflow, **capped("files", [f.remote for f in plan])}

    return jobs.submit(
        "reana-upload",
        f"Upload {_files(len(plan))} to {label}",
        work,
        connection=client.name,
        workflow=workflow,
        run=label,
        files=len(plan),
    )
