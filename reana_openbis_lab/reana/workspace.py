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
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import anyio

from ..errors import Conflict, InvalidInput, LabError, LocalProblem, NotFound, UpstreamError
from ..ignore_files import IgnoreRules
from ..jobs import Job, JobCancelled, JobManager, Progress
from ..leftovers import REANA_STAGING
from ..local_selection import LocalItem, assert_unchanged, collect, refuse_empty_folders, selected
from ..local_tree import make_folders
from ..paths import check_writable, confine, confine_own, fit_problem, local_problem, to_api_path
from ..result_lists import capped
from ..worker.context import WorkContext
from . import retention
from .client import ReanaClient, StreamTarget
from .workflows import display_name

#: How many entries to ask REANA for per page when resolving a download's file list.
LISTING_PAGE = 1000
#: A guard against a workspace listing that never ends.
MAX_LISTED_FILES = 200_000
#: Prefix of REANA downloads' staging folders (made by `leftovers.staging_dir`).
STAGING_PREFIX = REANA_STAGING
#: Bytes per read when unpacking a folder's zip.
CHUNK = 1024 * 1024
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


def file_entry(
    raw: dict[str, Any], expiry: Callable[[str], dict[str, Any] | None] | None = None
) -> dict[str, Any]:
    """One listed file; `expiry` finds the retention rule that will delete it."""
    size = given if isinstance(given := raw.get("size"), dict) else {}
    name = raw.get("name")
    rule = expiry(name) if expiry is not None and isinstance(name, str) else None
    return {
        "name": name,
        "size": size.get("raw"),
        "sizeHuman": size.get("human_readable"),
        "lastModified": raw.get("last-modified"),
        "retention": (
            {"pattern": rule["pattern"], "applyOn": rule["applyOn"], "days": rule["days"]}
            if rule
            else None
        ),
    }


def check_glob(value: Any) -> str | None:
    """A workspace glob as REANA takes it in `file_name` (`data/*`, `**/*.root`), or a folder."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or CONTROL_CHARS.search(value) or value.startswith("/"):
        raise InvalidInput("'glob' must be a pattern relative to the workspace", field="glob")
    if ".." in PurePosixPath(value).parts:
        raise InvalidInput("'glob' must not contain '..'", field="glob")
    return value


async def _retention_rules(client: ReanaClient, workflow: str) -> list[dict[str, Any]]:
    """The rules, or none when REANA cannot tell: a listing does not fail for want of them."""
    try:
        return await client.get_retention_rules(workflow)
    except LabError:
        return []


async def list_page(
    client: ReanaClient,
    workflow: str,
    *,
    page: int,
    size: int,
    search: str | None,
    glob: str | None = None,
) -> dict[str, Any]:
    """A page of files, each marked with the retention rule that will delete it (if any)."""
    (items, total), rules = await asyncio.gather(
        client.list_workspace(workflow, page=page, size=size, search=search, file_name=glob),
        _retention_rules(client, workflow),
    )
    expiry = retention.matcher([retention.rule_view(r) for r in rules]) if rules else None
    listed = [i for i in items if isinstance(i, dict)]
    # A glob listing of REANA also names the folders it matches: they are no files.
    folders = {
        parent.as_posix()
        for i in listed
        if isinstance(i.get("name"), str)
        for parent in PurePosixPath(i["name"]).parents
    }
    return {
        "items": [file_entry(i, expiry) for i in listed if i.get("name") not in folders],
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
    #: The workspace folder it arrives in, as one zip stream of that folder (None: on its own).
    folder: str | None = None


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
    """Expand files and folders into the files to fetch, each keeping its workspace path; a
    folder's files arrive as one zip stream of the folder (`_stream_folder`).

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
            stream = _stream_folder(path, name, inside) if inside else None
            planned.setdefault(name, PlannedFile(name, name, sizes[name], stream))
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


def _stream_folder(selected: str, name: str, inside: list[str]) -> str | None:
    """The folder `name` is fetched with: the selected folder itself, or for the whole
    workspace its top-level folder; None (fetched on its own) when that folder would hold
    just this one file, where a zip would only add work."""
    if selected:
        folder = selected
    elif "/" in name:
        folder = name.split("/", 1)[0]
    else:
        return None
    prefix = f"{folder}/"
    return folder if sum(1 for other in inside if other.startswith(prefix)) > 1 else None


def _named(values: list[str]) -> str:
    more = len(values) - MAX_NAMED_CLASHES
    return "; ".join(values[:MAX_NAMED_CLASHES]) + (f" and {more} more" if more > 0 else "")


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
            folders: dict[str, list[PlannedFile]] = {}
            for item in job.plan:
                if item.folder is not None:
                    folders.setdefault(item.folder, []).append(item)
                    continue
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
            for folder, items in folders.items():
                progress.set_step(f"{folder}/")
                total += _download_folder(
                    context, client, root_dir, job.workflow, folder, items, staging
                )
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


def _download_folder(
    context: WorkContext,
    client: ReanaClient,
    root_dir: Path,
    workflow: str,
    folder: str,
    items: list[PlannedFile],
    staging: Path,
) -> int:
    """One workspace folder as REANA sends it, a single zip stream (its members named from
    the workspace root), unpacked into the staging folder; returns the files' bytes.

    The zip's bytes count as progress while they arrive (up to the folder's size); once
    unpacked, the files' sizes make up the rest, so the job's totals end where a file-by-file
    download would. Only the
    planned files are taken, each from a member of exactly its name; one that the zip lacks
    fails the download (REANA changed the folder meanwhile), so it delivers what the listing
    promised or nothing.
    """
    progress = context.progress
    expected = sum(i.size or 0 for i in items)
    counted = 0

    def arrived(n: int) -> None:
        """The zip's bytes as progress, up to the folder's size (a zip of small files is
        larger than they are)."""
        nonlocal counted
        step = min(n, max(expected - counted, 0))
        counted += n
        if step:
            progress.add_bytes(step)

    archive = staging / f".folder-{uuid.uuid4().hex}.zip"
    try:
        with archive.open("xb") as handle:
            client.download_file_blocking(
                workflow, folder, handle, arrived, context.cancel_event, context.connections
            )
    except OSError as exc:
        raise local_problem(exc, root_dir, archive) from None
    try:
        written = _unpack(archive, staging, items, context.cancel_event)
    except OSError as exc:
        raise local_problem(exc, root_dir, staging) from None
    finally:
        archive.unlink(missing_ok=True)
    progress.add_bytes(max(expected - counted, 0))
    progress.file_done(len(items))
    return written


def _unpack(archive: Path, staging: Path, items: list[PlannedFile], cancel_event: Any) -> int:
    """Write the planned members of `archive` to their local names below `staging`."""
    wanted = {item.remote: item for item in items}
    written = 0
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = {info.filename: info for info in zipped.infolist() if not info.is_dir()}
            missing = sorted(set(wanted) - set(members))
            if missing:
                quoted = [f"'{name}'" for name in missing]
                raise UpstreamError(
                    f"REANA's archive of '{items[0].folder}' lacks {_named(quoted)}; the "
                    "folder changed while it was downloaded",
                    code="incomplete_download",
                )
            for remote, item in wanted.items():
                target = staging.joinpath(*item.local.split("/"))
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(members[remote]) as source, target.open("xb") as out:
                    while chunk := source.read(CHUNK):
                        if cancel_event is not None and cancel_event.is_set():
                            raise JobCancelled()
                        out.write(chunk)
                        written += len(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise UpstreamError(
            f"REANA sent '{items[0].folder}' as something that is not a readable zip archive",
            code="unexpected_answer",
        ) from None
    return written


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


def plan_upload(
    root_dir: Path, request: WorkspaceUpload, ignore: IgnoreRules | None = None
) -> list[PlannedUpload]:
    """Local files (folders walked) and their workspace names, under the transfers' one rule
    set (`local_selection`); a REANA workspace holds only files, so empty folders are refused.
    With `ignore`, the .gitignore and .reanaignore files inside the folders sent leave out
    what they match (`ignore_files`).

    Runs in a thread (it walks folders).
    """
    target = check_remote_path(request.target, "target", allow_root=True)
    items = collect(root_dir, [selected(s, "sources") for s in request.sources], ignore)
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
    title names the run by its `name.N`. What the ignore files of the folders sent left out
    is named in the job's details and result."""
    client.require_token()
    ignore = IgnoreRules()
    plan = await anyio.to_thread.run_sync(plan_upload, root_dir, request, ignore)
    label = await display_name(client, workflow)
    left_out: dict[str, Any] = {}
    if ignore.ignored_count:
        left_out = {**capped("ignored", ignore.ignored), "ignoredCount": ignore.ignored_count}

    async def work(progress: Progress) -> dict[str, Any]:
        await upload_planned(client, workflow, plan, progress)
        return {"workflow": workflow, **capped("files", [f.remote for f in plan]), **left_out}

    return jobs.submit(
        "reana-upload",
        f"Upload {_files(len(plan))} to {label}",
        work,
        connection=client.name,
        workflow=workflow,
        run=label,
        files=len(plan),
        **left_out,
    )


async def file_sizes(client: ReanaClient, workflow: str) -> dict[str, int | None]:
    """Every file of the workspace (up to MAX_LISTED_FILES) by path, with its size as REANA
    reports it (None when it does not say)."""
    return _file_sizes(await _all_files(client, workflow))
