"""Upload files and folders from the Jupyter root as a new openBIS dataset.

Two phases, so that a failed upload never leaves a dataset behind:

1. The bytes go to the data store's session workspace with the protocol of pybis'
   `DataSet.upload_files_v3` (same `filename`/`id`/`startByte`/`endByte`/`emptyFolder`
   parameters, same layout `<uploadId>/<name>` for one file and `<uploadId>/default/...`
   for several, files over 10 MB in 10 MB slices sent in parallel and out of order).
   It is done here rather than by pybis because pybis' upload queue reports no progress,
   cannot be cancelled, and waits for ever once all its worker threads have died on an
   HTTP error. Nothing exists in openBIS yet: a session workspace is scratch space.
2. Only then does pybis register the dataset: `new_dataset(...)` with the target object
   and parents passed as objects resolved beforehand, and `save()`, whose workspace
   upload step is handed the upload id of phase 1. The new dataset is fetched back and
   its link to the target checked, because `DataSet.save` ignores a failed target
   lookup and would register an unlinked dataset; one that came out wrong is deleted.
"""

from __future__ import annotations

import os
import stat
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InvalidInput, UpstreamError
from ..jobs import JobCancelled, Progress
from ..paths import confine
from . import streams, transfers
from .atomic import STAGING_PREFIX
from .manifest import MANIFEST_DIR
from .upload_validation import CheckedMetadata, FieldErrors

#: pybis' slice size: files larger than this are sent in pieces of this size.
SLICE_SIZE = 10 * 1024 * 1024
SESSION_WORKSPACE = "/datastore_server/session_workspace_file_upload"
#: Folder names never uploaded: Jupyter's autosave copies and our own download bookkeeping
#: (the manifest describes local copies; the dataset's parents carry that link in openBIS).
SKIPPED_DIRS = (".ipynb_checkpoints", MANIFEST_DIR)
#: Files next to a notebook that describe how to run it; uploaded with it when present.
NOTEBOOK_COMPANIONS = ("requirements.txt", "runtime.txt")


@dataclass(frozen=True)
class LocalFile:
    """One entry of the upload: a file, or (source None) an empty folder."""

    source: Path | None
    remote: str
    size: int


@dataclass(frozen=True)
class LocalSelection:
    files: tuple[LocalFile, ...]
    #: The selected top-level files and folders (pybis' `new_dataset(files=...)`).
    sources: tuple[Path, ...]
    #: `default/` when several items are uploaded, as pybis lays them out.
    prefix: str

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def collect_local_files(
    root_dir: Path, paths: tuple[str, ...], include_notebook: str | None
) -> LocalSelection:
    """Confine and walk every selected path; refuse links out of the root and odd files."""
    errors = FieldErrors()
    root = root_dir.resolve()
    entries: list[tuple[str, LocalFile]] = []
    sources: list[Path] = []
    for index, api_path in enumerate(paths):
        where = f"paths[{index}]"
        target = confine(root, api_path, field=where)
        name = PurePosixPath(api_path).name
        if target == root or not name:
            errors.add(where, "Choose files or folders inside the root, not the root itself")
        elif not target.exists():
            errors.add(where, f"'{api_path}' does not exist")
        elif target.is_dir():
            sources.append(target)
            entries.extend((where, f) for f in _walk_folder(root, target, name, where, errors))
        elif _is_regular(target):
            sources.append(target)
            entries.append((where, LocalFile(target, name, target.stat().st_size)))
        else:
            errors.add(where, f"'{api_path}' is not a regular file or folder")
    if include_notebook:
        notebook = confine(root, include_notebook, field="includeNotebook")
        if not _is_regular(notebook):
            errors.add("includeNotebook", f"'{include_notebook}' is not a file")
        else:
            already = {f.source for _, f in entries}
            for path in [notebook, *(notebook.parent / n for n in NOTEBOOK_COMPANIONS)]:
                real = path.resolve()
                if real in already or not (_is_regular(real) and _inside(root, real)):
                    continue
                sources.append(real)
                entries.append(("includeNotebook", LocalFile(real, path.name, real.stat().st_size)))
    errors.raise_if_any()
    files = _unique(entries, errors)
    errors.raise_if_any()
    unique_sources = tuple(dict.fromkeys(sources))
    return LocalSelection(
        files=tuple(files),
        sources=unique_sources,
        prefix="" if len(unique_sources) == 1 else "default/",
    )


def _walk_folder(
    root: Path, folder: Path, name: str, where: str, errors: FieldErrors
) -> Iterator[LocalFile]:
    for current, dirs, files in os.walk(folder, followlinks=False):
        here = Path(current)
        relative = PurePosixPath(name, *here.relative_to(folder).parts)
        dirs[:] = sorted(
            d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(STAGING_PREFIX)
        )
        for directory in dirs:
            if (here / directory).is_symlink():
                errors.add(
                    where, f"'{relative / directory}' is a link to a folder; select its target"
                )
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for file_name in sorted(files):
            path = here / file_name
            real = path.resolve()
            if not _inside(root, real):
                errors.add(where, f"'{relative / file_name}' links outside the server root")
            elif not _is_regular(real):
                errors.add(where, f"'{relative / file_name}' is not a regular file")
            else:
                yield LocalFile(real, str(relative / file_name), real.stat().st_size)
        if not files and not dirs:
            yield LocalFile(None, str(relative), 0)


def _unique(entries: list[tuple[str, LocalFile]], errors: FieldErrors) -> list[LocalFile]:
    """Two different files must not land on one name; the same file twice is kept once."""
    by_name: dict[str, LocalFile] = {}
    for where, item in entries:
        known = by_name.get(item.remote)
        if known is None:
            by_name[item.remote] = item
        elif known.source != item.source:
            errors.add(where, f"Two selected items would both be stored as '{item.remote}'")
    return sorted(by_name.values(), key=lambda f: f.remote)


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _inside(root: Path, path: Path) -> bool:
    real = path.resolve()
    return real == root or root in real.parents


# ---- phase 1: bytes to the session workspace (the job's own thread) -----------------------


@dataclass(frozen=True)
class Workspace:
    """Where phase 1 sends bytes: read from the live pybis object in a pybis thread."""

    dss_url: str
    token: str
    verify: bool | str


def workspace_of(openbis: Any) -> Workspace:
    return Workspace(
        dss_url=openbis._get_dss_url().rstrip("/"),
        token=transfers.live_token(openbis),
        verify=openbis.verify_certificates,
    )


@dataclass(frozen=True)
class _Piece:
    item: LocalFile
    number: int
    start: int
    length: int
    #: pybis' endByte: inclusive for full slices, the file size for the last one.
    end_byte: int
    pieces_of_file: int


def _pieces(item: LocalFile) -> list[_Piece]:
    if item.source is None or item.size <= SLICE_SIZE:
        return [_Piece(item, 1, 0, item.size, item.size, 1)]
    starts = list(range(0, item.size, SLICE_SIZE))
    return [
        _Piece(
            item,
            number,
            start,
            min(SLICE_SIZE, item.size - start),
            min(start + SLICE_SIZE - 1, item.size),
            len(starts),
        )
        for number, start in enumerate(starts, start=1)
    ]


def send_to_workspace(selection: LocalSelection, workspace: Workspace, progress: Progress) -> str:
    """Upload every file (slices in parallel); returns the upload id pybis registers."""
    transfers.install_log_redaction()
    upload_id = str(uuid.uuid4())
    stop = streams.StopSignal(progress)
    remaining = {f.remote: len(_pieces(f)) for f in selection.files}
    lock = threading.Lock()

    def send(session: Any, piece: _Piece) -> None:
        _send_piece(session, workspace, upload_id, selection.prefix, piece, stop)
        stop.add_bytes(piece.length)
        with lock:
            remaining[piece.item.remote] -= 1
            finished = remaining[piece.item.remote] == 0
        if finished:
            stop.file_done()

    pieces = [p for f in selection.files for p in _pieces(f)]
    streams.run_streams(pieces, send, stop, "openbis-ul")
    return upload_id


def _send_piece(
    session: Any,
    workspace: Workspace,
    upload_id: str,
    prefix: str,
    piece: _Piece,
    stop: streams.StopSignal,
) -> None:
    stop.check()
    item = piece.item
    what = f"uploading '{item.remote}'"
    params = {
        "filename": f"{upload_id}/{prefix}{item.remote}",
        "id": str(piece.number),
        "startByte": str(piece.start),
        "endByte": str(piece.end_byte),
        "emptyFolder": str(item.source is None),
        "sessionID": workspace.token,
    }
    try:
        data = b"" if item.source is None else _read_piece(item.source, piece)
        response = session.post(
            f"{workspace.dss_url}{SESSION_WORKSPACE}",
            params=params,
            data=data,
            timeout=transfers.HTTP_TIMEOUT,
            verify=workspace.verify,
        )
        transfers.check_status(response, what)
        if item.source is not None and piece.pieces_of_file == 1:
            reply = response.json()
            if int(reply.get("size", -1)) != item.size:
                raise UpstreamError(f"openBIS stored a different size for '{item.remote}'")
    except (JobCancelled, InvalidInput, UpstreamError):
        raise
    except Exception as exc:
        stop.check()  # a cut connection is how a stop looks from here
        raise transfers.transfer_error(exc, what, local=item.source) from None


def _read_piece(source: Path, piece: _Piece) -> bytes:
    with open(source, "rb") as handle:
        handle.seek(piece.start)
        data = handle.read(piece.length)
    if len(data) != piece.length:
        raise InvalidInput(
            f"'{piece.item.remote}' changed while it was being uploaded", field="paths"
        )
    return data


# ---- phase 2: registration through pybis (a pybis thread) ----------------------------------


def register_dataset(
    openbis: Any, checked: CheckedMetadata, selection: LocalSelection, upload_id: str
) -> str:
    """Create the dataset from the uploaded workspace folder; return its permId."""
    if checked.target_kind == "object":
        owner = {"sample": openbis.get_sample(checked.target_perm_id)}
    else:
        owner = {"experiment": openbis.get_experiment(checked.target_identifier)}
    links: dict[str, Any] = dict(owner)
    if checked.parents:
        links["parents"] = [openbis.get_dataset(p) for p in checked.parents]
    dataset = openbis.new_dataset(
        type=checked.dataset_type,
        files=[str(s) for s in selection.sources],
        props={code.lower(): value for code, value in checked.properties.items()},
        **links,
    )
    # Phase 1 already put the bytes in the session workspace under `upload_id`.
    dataset.__dict__["upload_files_v3"] = lambda **_: upload_id
    dataset.save()  # ends by fetching the new dataset back from openBIS into `dataset.data`
    perm_id = dataset.permId
    problem = _link_problem(dataset.data, checked)
    if problem:
        try:
            dataset.delete(f"reana_openbis_lab: registered {problem}")
        except Exception:
            raise UpstreamError(
                f"openBIS registered dataset {perm_id} {problem}, and deleting it failed: "
                "please delete it in openBIS",
                code="registered_unlinked",
            ) from None
        raise UpstreamError(
            f"openBIS registered the dataset {problem}; it was deleted again",
            code="registered_unlinked",
        )
    return perm_id


def _link_problem(data: dict[str, Any], checked: CheckedMetadata) -> str | None:
    if checked.target_kind == "object":
        sample = data.get("sample") or {}
        if (sample.get("permId") or {}).get("permId") != checked.target_perm_id:
            return "not linked to the target object"
    else:
        experiment = data.get("experiment") or {}
        if (experiment.get("identifier") or {}).get("identifier") != checked.target_identifier:
            return "not linked to the target collection"
    return None
