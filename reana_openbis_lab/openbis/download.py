"""Download openBIS datasets into the Jupyter root: checked first, staged, then placed at once.

pybis does everything it is good at here: the dataset lookup, its type and data store,
and the file listing (`DataSet.get_dataset_files`). The bytes themselves do not go
through `DataSet.download()`: its fast-download threads cannot report progress, cannot
be stopped, have no timeouts and write straight to the final names. Instead each file is
streamed from the data store's plain file route (`GET /datastore_server/<permId>/<path>`,
the one pybis itself uses for servers without fast download) into a staging folder,
several files at a time, checked against the size and CRC32 openBIS listed, and moved
into place only when all of them have arrived (see `atomic`). bench/bench_openbis_download.py
measures this against pybis' fast download on the same dataset. The CRC32 is computed in
the same pass as the write, by ISA-L (`isal`), about 20 times faster than zlib's on x86:
with zlib it took a third of a download thread's CPU (bench/profile_misses.py, download).

Files land directly in the destination folder with the `original/` prefix openBIS adds
removed (as pybis does with `create_default_folders=False`), so a dataset downloaded
into an analysis folder looks like the files its owner uploaded; its empty folders come
back too (uploads keep them). The README section "What transfers do with symlinks, empty
folders, name clashes and special files" is the rule set this follows.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from isal.isal_zlib import crc32

from ..errors import Conflict, InvalidInput, LocalProblem, NotFound, UpstreamError
from ..jobs import JobCancelled, ProgressReport
from ..paths import MAX_NAME_LENGTH, confine, confine_own, path_parts
from ..worker.context import WorkContext
from . import in_worker, manifest, streams, transfers
from .atomic import STAGING_PREFIX, place_all
from .in_worker import Ticket

#: Bytes per read from the socket and per progress report.
CHUNK_SIZE = 1024 * 1024
#: Prefixes openBIS puts in front of the uploaded tree; pybis strips the same ones.
DEFAULT_PREFIXES = ("original/", "DEFAULT/")
#: How many conflicting names a 409 message lists before "and N more".
CONFLICTS_SHOWN = 5


@dataclass(frozen=True)
class RemoteFile:
    """A file of the dataset, or (is_dir) an empty folder of it: created, never fetched."""

    path: str
    size: int
    crc32: int | None
    is_dir: bool = False
    #: A further checksum openBIS may keep (e.g. SHA256), as it reports it.
    checksum: str | None = None
    checksum_type: str | None = None


@dataclass(frozen=True)
class DatasetListing:
    """What pybis told us about one dataset; everything the byte transfer needs."""

    perm_id: str
    type_code: str | None
    dss_url: str
    files: tuple[RemoteFile, ...]
    verify: bool | str
    name: str | None = None
    #: Where the dataset lives: its collection's and (if any) its object's identifier.
    collection: str | None = None
    object: str | None = None


def list_dataset(openbis: Any, perm_id: str) -> DatasetListing:
    """Runs in a pybis thread: look the dataset up and list its files."""
    try:
        dataset = openbis.get_dataset(perm_id)
    except ValueError as exc:
        if str(exc).startswith("no such dataset"):
            raise NotFound(f"openBIS has no dataset '{perm_id}'", field="permId") from None
        raise
    kind = dataset.data.get("kind") or (dataset.data.get("type") or {}).get("kind")
    if kind not in ("PHYSICAL", None):
        raise InvalidInput(
            f"Dataset '{perm_id}' is of kind {kind} and holds no files of its own",
            field="permId",
        )
    status = (dataset.data.get("physicalData") or {}).get("status")
    if status not in ("AVAILABLE", None):
        raise Conflict(
            f"Dataset '{perm_id}' is {status.lower()} and cannot be downloaded until openBIS "
            "has restored it (request unarchiving first)",
            field="permId",
            code="dataset_unavailable",
        )
    frame = dataset.get_dataset_files().df
    files = []
    folders = []
    for row in frame.to_dict("records"):
        if row.get("directory"):
            folders.append(str(row["path"]))
            continue
        checksum = row.get("checksumCRC32")
        crc = int(checksum, 16) if isinstance(checksum, str) and checksum not in ("", "0") else None
        files.append(
            RemoteFile(
                path=str(row["path"]),
                size=int(row["fileLength"] or 0),
                crc32=crc,
                checksum=_text(row.get("checksum")),
                checksum_type=_text(row.get("checksumType")),
            )
        )
    files.extend(_empty_folders(folders, [f.path for f in files]))
    dataset_type = dataset.data.get("type") or {}
    properties = dataset.data.get("properties") or {}
    return DatasetListing(
        perm_id=dataset.permId,
        type_code=dataset_type.get("code"),
        name=properties.get("$NAME") or properties.get("NAME"),
        dss_url=_download_url(openbis, dataset).rstrip("/"),
        files=tuple(sorted(files, key=lambda f: f.path)),
        verify=openbis.verify_certificates,
        collection=_identifier(dataset.data.get("experiment")),
        object=_identifier(dataset.data.get("sample")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _identifier(entity: Any) -> str | None:
    identifier = (entity or {}).get("identifier") if isinstance(entity, dict) else None
    value = identifier.get("identifier") if isinstance(identifier, dict) else identifier
    return value if isinstance(value, str) else None


def _download_url(openbis: Any, dataset: Any) -> str:
    """The data store serving the dataset (the first one when openBIS names none)."""
    download_url = (dataset.data.get("dataStore") or {}).get("downloadUrl")
    return download_url or openbis.get_datastores()["downloadUrl"][0]


def _empty_folders(folders: list[str], file_paths: list[str]) -> list[RemoteFile]:
    """Folders of the listing with nothing below them: uploads keep them, so downloads do too.

    Linear in the listing: every path marks each of its parents as not empty.
    """
    has_content: set[str] = set()
    for path in [*file_paths, *folders]:
        parts = path.split("/")
        has_content.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
    bare_prefixes = {p.rstrip("/") for p in DEFAULT_PREFIXES}
    return [
        RemoteFile(path=folder, size=0, crc32=None, is_dir=True)
        for folder in folders
        if folder not in has_content and folder not in bare_prefixes
    ]


def local_name(remote_path: str) -> str:
    name = remote_path
    for prefix in DEFAULT_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def select_files(listing: DatasetListing, wanted: list[str] | None) -> list[RemoteFile]:
    """All files and empty folders, or those named (a folder selects everything below it,
    and an empty folder can be named on its own).

    Names may be given as openBIS lists them (`original/data/x.csv`) or as they will be
    stored locally (`data/x.csv`), whichever the caller's file browser shows.
    """
    if wanted is None:
        return list(listing.files)
    chosen: dict[str, RemoteFile] = {}
    for index, path in enumerate(wanted):
        folder = path.rstrip("/") + "/"
        matches = [
            f
            for f in listing.files
            if any(n == path or n.startswith(folder) for n in (f.path, local_name(f.path)))
        ]
        if not matches:
            raise InvalidInput(
                f"Dataset '{listing.perm_id}' has no file or folder '{path}'",
                field=f"files[{index}]",
            )
        chosen.update((f.path, f) for f in matches)
    return sorted(chosen.values(), key=lambda f: f.path)


@dataclass(frozen=True)
class PlannedFile:
    remote: RemoteFile
    target: Path
    name: str


def plan_targets(
    root_dir: Path, destination: str, files: list[RemoteFile], *, overwrite: bool
) -> list[PlannedFile]:
    """Map each file to its place below the destination; refuse clashes before any byte moves."""
    planned: list[PlannedFile] = []
    seen: set[str] = set()
    for remote in files:
        name = local_name(remote.path)
        if name in seen:
            raise UpstreamError(f"openBIS listed two files that both map to '{name}'")
        seen.add(name)
        if any(
            len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_LENGTH for part in name.split("/")
        ):
            raise _too_long(name, f"more than {MAX_NAME_LENGTH} bytes in one name")
        try:
            path_parts(name, "files")  # openBIS' own name, on its own: '..', '/', control...
        except InvalidInput:
            raise UpstreamError(
                f"openBIS listed a file name that would leave the destination: {name!r}"
            ) from None
        try:
            target = confine(root_dir, f"{destination}/{name}" if destination else name)
        except InvalidInput as exc:
            if exc.code == "outside_root":
                raise _link_in_the_way(root_dir, destination, name) from None
            # The name is sound and so is the destination (both checked): together they are
            # deeper or longer than the local file system takes.
            raise _too_long(name, exc.message.split("' ", 1)[-1]) from None
        planned.append(PlannedFile(remote=remote, target=target, name=name))
    ensure_free(planned, overwrite=overwrite, folder=destination.rsplit("/", 1)[-1])
    return planned


def _too_long(name: str, why: str) -> LocalProblem:
    return LocalProblem(
        f"'{name[:80]}' cannot be stored on the Jupyter server's file system here ({why});"
        " choose other files or a folder nearer the top",
        field="files",
        code="local_name_too_long",
    )


def _link_in_the_way(root_dir: Path, destination: str, name: str) -> InvalidInput:
    """The name is a safe relative path (lexical checks passed), so what leaves the root is a
    local link below the destination: refused as the user's folder, naming the link."""
    parts = name.split("/")
    for depth in range(1, len(parts) + 1):
        shown = "/".join(filter(None, [destination, *parts[:depth]]))
        try:
            confine(root_dir, shown)
        except InvalidInput:
            break
    return InvalidInput(
        f"'{shown}' in the destination is a link leading outside the server root, in the way of"
        f" the dataset's '{name}'; nothing was written (remove the link or choose another"
        " destination)",
        field="destination",
        code="outside_root",
    )


def ensure_free(planned: list[PlannedFile], *, overwrite: bool, folder: str) -> None:
    """Checked when the request arrives and again just before placing (others may have written).

    The message is shown to users as it is (the overwrite prompt), so it names the folder by
    its own name (`folder`, "" for the server root) and the files, in plain words."""
    clashes = [p.name for p in planned if _blocks(p.target, overwrite, p.remote.is_dir)]
    if clashes:
        shown = ", ".join(clashes[:CONFLICTS_SHOWN])
        more = (
            f" and {len(clashes) - CONFLICTS_SHOWN} more" if len(clashes) > CONFLICTS_SHOWN else ""
        )
        where = f"The folder '{folder}'" if folder else "The top folder"
        raise Conflict(
            f"{where} already has {shown}{more}.",
            field="destination",
            code="target_exists",
        )


def _blocks(target: Path, overwrite: bool, is_dir: bool = False) -> bool:
    """A file in the way (unless overwriting), or a folder/file where the other is needed.
    An empty folder to create is already there when a folder of that name exists."""
    if target.is_dir():
        return not is_dir
    if target.exists() or target.is_symlink():
        return is_dir or not overwrite
    return any(parent.exists() and not parent.is_dir() for parent in target.parents)


def fetch_files(
    listing: DatasetListing,
    planned: list[PlannedFile],
    staging: Path,
    progress: ProgressReport,
    tokens: transfers.TokenSource,
) -> list[tuple[Path, Path]]:
    """Runs in the job's thread: stream every file into `staging`; (staged, target) pairs.

    A file the data store refuses (the openBIS session expired meanwhile) is fetched again
    with the session renewed through the connection's one renewal path (`TokenSource`)."""
    stop = streams.StopSignal(progress)

    def one(session: Any, numbered: tuple[int, PlannedFile]) -> tuple[Path, Path]:
        index, item = numbered
        staged = staging / f"{index:06d}"
        transfers.with_renewal(
            tokens,
            f"downloading '{item.remote.path}'",
            lambda token: _stream_file(
                session, listing, item.remote, staged, stop, token, tokens.http_timeout
            ),
        )
        stop.file_done()
        return staged, item.target

    files = [(i, p) for i, p in enumerate(planned) if not p.remote.is_dir]
    fetched = streams.run_streams(files, one, stop, "openbis-dl")
    return fetched + _empty_folders_staged(planned, staging)


def _empty_folders_staged(planned: list[PlannedFile], staging: Path) -> list[tuple[Path, Path]]:
    """Empty folders made in staging, for those not already present at their target."""
    pairs = []
    for index, item in enumerate(planned):
        if item.remote.is_dir and not item.target.is_dir():
            staged = staging / f"{index:06d}"
            staged.mkdir()
            pairs.append((staged, item.target))
    return pairs


def _stream_file(
    session: Any,
    listing: DatasetListing,
    remote: RemoteFile,
    staged: Path,
    stop: streams.StopSignal,
    token: str,
    timeout: tuple[float, float],
) -> None:
    what = f"downloading '{remote.path}'"
    url = f"{listing.dss_url}/datastore_server/{quote(listing.perm_id)}/{quote(remote.path)}"
    stop.check()
    received, crc = 0, 0
    try:
        with session.get(
            url,
            params={"sessionID": token},
            stream=True,
            timeout=timeout,
            verify=listing.verify,
        ) as response:
            transfers.check_status(response, token, what)
            with open(staged, "wb") as out:
                for chunk in response.iter_content(CHUNK_SIZE):
                    stop.check()
                    out.write(chunk)
                    received += len(chunk)
                    crc = crc32(chunk, crc)
                    stop.add_bytes(len(chunk))
    except (JobCancelled, transfers.TokenRefused):
        raise
    except Exception as exc:
        stop.check()  # a cut connection is how a stop looks from here
        raise transfers.transfer_error(exc, what, local=staged) from None
    if received != remote.size:
        raise UpstreamError(
            f"The transfer of '{remote.path}' ended after {received} of {remote.size} bytes",
            code="connection_lost",
        )
    if remote.crc32 is not None and crc != remote.crc32:
        raise UpstreamError(f"'{remote.path}' arrived corrupted (CRC32 mismatch)", code="checksum")


def download_into(
    listing: DatasetListing,
    planned: list[PlannedFile],
    folder: Path,
    progress: ProgressReport,
    tokens: transfers.TokenSource,
    *,
    overwrite: bool,
    shown_folder: str,
    on_placed: Callable[[], object],
    root_dir: Path,
    staging_dir: Callable[[Path, str], ContextManager[Path]],
) -> None:
    """Runs in the lab worker: stage, verify, place all (or nothing), then record.

    Targets were confined when planned; a link planted below the destination during the
    transfer would redirect them, so each is confined again right before placing.
    `staging_dir(parent, prefix)` makes the staging folder (`WorkContext.staging_dir`)."""
    files = [p for p in planned if not p.remote.is_dir]
    progress.set_totals(bytes_total=sum(p.remote.size for p in files), files_total=len(files))
    with staging_dir(folder, STAGING_PREFIX) as staging:
        progress.set_step("downloading")
        pairs = fetch_files(listing, planned, staging, progress, tokens)
        progress.check_cancelled()
        progress.set_step("placing files")
        ensure_free(planned, overwrite=overwrite, folder=shown_folder)
        for item in planned:
            confine_own(root_dir, item.target, field="destination")
        place_all(pairs, staging, then=on_placed)


@dataclass(frozen=True)
class DownloadPlan:
    """A download job, checked and planned in the server, as the lab worker runs it."""

    listing: DatasetListing
    planned: tuple[PlannedFile, ...]
    folder: Path
    overwrite: bool
    #: The destination folder's own name, for messages ("" for the server root).
    shown_folder: str
    root_dir: Path
    #: Longest silence of the data store (the connection's `openbis_timeout`).
    read_timeout: float
    #: The manifest entry written once every file is in place (`manifest.record_download`).
    record: dict[str, Any]


def download_dataset(context: WorkContext, ticket: Ticket, plan: DownloadPlan) -> None:
    """Runs in the lab worker: the download job, from a live token to the manifest."""
    # A link planted in place of the destination while the job waited: nothing written.
    confine_own(plan.root_dir, plan.folder, field="destination")
    # The session may have expired while the job waited for a slot, or may during it.
    _, tokens = in_worker.token_source(context, ticket, plan.read_timeout)
    download_into(
        plan.listing,
        list(plan.planned),
        plan.folder,
        context.progress,
        tokens,
        overwrite=plan.overwrite,
        shown_folder=plan.shown_folder,
        on_placed=lambda: manifest.record_download(plan.root_dir, plan.folder, **plan.record),
        root_dir=plan.root_dir,
        staging_dir=context.staging_dir,
    )
