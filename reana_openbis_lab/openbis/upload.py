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

import dataclasses
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from ..errors import InvalidInput, LabError, UpstreamError
from ..jobs import JobCancelled, Progress
from ..local_selection import LocalItem, Selected, assert_unchanged, collect, selected
from ..paths import confine
from ..scrub import install_log_filters
from . import streams, transfers
from .upload_validation import CheckedMetadata

#: pybis' slice size: files larger than this are sent in pieces of this size.
SLICE_SIZE = 10 * 1024 * 1024
SESSION_WORKSPACE = "/datastore_server/session_workspace_file_upload"
#: Files next to a notebook that describe how to run it; uploaded with it when present.
NOTEBOOK_COMPANIONS = ("requirements.txt", "runtime.txt")


@dataclass(frozen=True)
class LocalSelection:
    #: Files and empty folders, by the name they get in the dataset (see `local_selection`).
    files: tuple[LocalItem, ...]
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
    """Confine and walk every selected path under the transfers' one rule set
    (`local_selection`): links inside the root followed under their own names, links
    out of it, loops and special files refused, empty folders kept, clashes a 409."""
    root = root_dir.resolve()
    chosen = [selected(p, f"paths[{i}]") for i, p in enumerate(paths)]
    items = collect(root, chosen)
    if include_notebook:
        chosen += _notebook_items(root, include_notebook, {i.source for i in items})
        items = collect(root, chosen)
    sources = tuple(dict.fromkeys(confine(root, c.api_path, field=c.field) for c in chosen))
    several = len({c.name for c in chosen}) > 1
    return LocalSelection(files=tuple(items), sources=sources, prefix="default/" if several else "")


def _notebook_items(root: Path, notebook_path: str, already: set[Path | None]) -> list[Selected]:
    """The notebook and the companions present next to it, unless the selection has them."""
    try:
        notebook: Path | None = confine(root, notebook_path, field="includeNotebook")
    except RuntimeError:  # a link loop: `collect` names it
        notebook = None
    if notebook is not None and not notebook.is_file():
        raise InvalidInput(f"'{notebook_path}' is not a file", field="includeNotebook")
    folder = PurePosixPath(notebook_path).parent
    extra = [selected(notebook_path, "includeNotebook")]
    for name in NOTEBOOK_COMPANIONS:
        api_path = (folder / name).as_posix()
        lexical = root.joinpath(*PurePosixPath(api_path).parts)
        if lexical.exists() or lexical.is_symlink():
            extra.append(selected(api_path, "includeNotebook"))
    return [e for e in extra if _real(root, e) not in already]


def _real(root: Path, item: Selected) -> Path | str:
    try:
        return root.joinpath(*PurePosixPath(item.api_path).parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return item.api_path  # a broken or looping link: kept, so that `collect` names it


# ---- phase 1: bytes to the session workspace (the job's own thread) -----------------------


@dataclass(frozen=True)
class Workspace:
    """Where phase 1 sends bytes: read from the live pybis object in a pybis thread."""

    dss_url: str
    verify: bool | str


def workspace_of(openbis: Any) -> Workspace:
    return Workspace(dss_url=openbis._get_dss_url().rstrip("/"), verify=openbis.verify_certificates)


@dataclass(frozen=True)
class SentUpload:
    """Phase 1 done: the upload id, and the session whose workspace holds the bytes."""

    upload_id: str
    token: str
    bytes: int
    files: int

    def uncount(self, progress: Progress) -> None:
        """Take this attempt back out of the job's counters before the upload starts again."""
        progress.add_bytes(-self.bytes)
        progress.file_done(-self.files)


@dataclass(frozen=True)
class _Piece:
    item: LocalItem
    number: int
    start: int
    length: int
    #: pybis' endByte: inclusive for full slices, the file size for the last one.
    end_byte: int
    pieces_of_file: int


def _pieces(item: LocalItem) -> list[_Piece]:
    if item.source is None:
        return [_Piece(item, 1, 0, item.size, item.size, 1)]
    cut = slices(item.size)
    return [
        _Piece(item, number, start, length, end_byte, len(cut))
        for number, (start, length, end_byte) in enumerate(cut, start=1)
    ]


def send_to_workspace(
    selection: LocalSelection,
    workspace: Workspace,
    progress: Progress,
    tokens: transfers.TokenSource,
) -> SentUpload:
    """Upload every file (slices in parallel) into the session workspace.

    A session workspace belongs to one session: when the data store refuses a request because
    the session expired, the session is renewed (`TokenSource`, the connection's one renewal
    path) and the whole phase starts again under the new session, once.
    """
    install_log_filters()
    for attempt in range(2):
        counts = SentUpload(str(uuid.uuid4()), tokens.token, 0, 0)
        try:
            return _send_all(selection, workspace, progress, tokens, counts)
        except transfers.SessionRenewed as renewed:
            renewed.sent.uncount(progress)
            if attempt:
                raise
    raise AssertionError("unreachable")


def _send_all(
    selection: LocalSelection,
    workspace: Workspace,
    progress: Progress,
    tokens: transfers.TokenSource,
    upload: SentUpload,
) -> SentUpload:
    stop = streams.StopSignal(progress)
    remaining = {f.name: len(_pieces(f)) for f in selection.files}
    lock = threading.Lock()
    sent = {"bytes": 0, "files": 0}

    def counted() -> SentUpload:
        with lock:
            return dataclasses.replace(upload, bytes=sent["bytes"], files=sent["files"])

    def send(session: Any, piece: _Piece) -> None:
        try:
            _send_piece(
                session, workspace, upload, selection.prefix, piece, stop, tokens.http_timeout
            )
        except transfers.TokenRefused as refused:
            tokens.renew(refused, f"uploading '{piece.item.name}'")
            raise transfers.SessionRenewed(counted()) from None
        stop.add_bytes(piece.length)
        with lock:
            sent["bytes"] += piece.length
            remaining[piece.item.name] -= 1
            finished = remaining[piece.item.name] == 0
            sent["files"] += finished
        if finished:
            stop.file_done()

    pieces = [p for f in selection.files for p in _pieces(f)]
    try:
        streams.run_streams(pieces, send, stop, "openbis-ul")
    except transfers.SessionRenewed:
        raise transfers.SessionRenewed(counted()) from None  # the counts once all have stopped
    return counted()


def workspace_params(
    upload_id: str,
    name: str,
    number: int,
    start: int,
    end_byte: int,
    *,
    token: str,
    empty_folder: bool = False,
) -> dict[str, str]:
    """The query of one session workspace upload request, as pybis' `upload_files_v3` sends
    it: `name` below the upload id (`default/...` when the dataset has several items)."""
    return {
        "filename": f"{upload_id}/{name}",
        "id": str(number),
        "startByte": str(start),
        "endByte": str(end_byte),
        "emptyFolder": str(empty_folder),
        "sessionID": token,
    }


def slices(size: int) -> list[tuple[int, int, int]]:
    """(start, length, endByte) of each piece of a file of `size` bytes, as pybis cuts it:
    endByte is inclusive for full slices and the file size for the last one."""
    if size <= SLICE_SIZE:
        return [(0, size, size)]
    return [
        (start, min(SLICE_SIZE, size - start), min(start + SLICE_SIZE - 1, size))
        for start in range(0, size, SLICE_SIZE)
    ]


def _send_piece(
    session: Any,
    workspace: Workspace,
    upload: SentUpload,
    prefix: str,
    piece: _Piece,
    stop: streams.StopSignal,
    timeout: tuple[float, float],
) -> None:
    stop.check()
    item = piece.item
    what = f"uploading '{item.name}'"
    params = workspace_params(
        upload.upload_id,
        f"{prefix}{item.name}",
        piece.number,
        piece.start,
        piece.end_byte,
        token=upload.token,
        empty_folder=item.source is None,
    )
    body: bytes | _PieceBody = b""
    if item.source is not None and piece.length == 0:
        assert_unchanged(item)  # requests sends no body to read for an empty one
    elif item.source is not None:
        body = _PieceBody(piece)
    try:
        response = session.post(
            f"{workspace.dss_url}{SESSION_WORKSPACE}",
            params=params,
            data=body,
            timeout=timeout,
            verify=workspace.verify,
        )
        transfers.check_status(response, upload.token, what)
        if item.source is not None and piece.pieces_of_file == 1:
            reply = response.json()
            if int(reply.get("size", -1)) != item.size:
                raise UpstreamError(f"openBIS stored a different size for '{item.name}'")
    except (JobCancelled, LabError, transfers.TokenRefused):
        raise
    except Exception as exc:
        stop.check()  # a cut connection is how a stop looks from here
        raise transfers.transfer_error(exc, what, local=item.source) from None
    finally:
        if isinstance(body, _PieceBody):
            body.close()


class _PieceBody:
    """A piece of a local file as a request body, read block by block as the socket takes it.

    Holding whole 10 MiB slices, four streams at a time, cost the server 40-80 MiB of memory
    per upload. requests sends an object with `read` and `__len__` with a Content-Length
    header of that length, so the data store sees the request pybis would send (a raw
    body of exactly the slice's bytes), not a chunked one. The file must still be the
    one selected (size, mtime) before the first byte and after the last; one that got
    shorter meanwhile raises too, rather than send fewer bytes than announced.
    """

    def __init__(self, piece: _Piece) -> None:
        assert piece.item.source is not None
        self._piece = piece
        self._source = piece.item.source
        self._left = piece.length
        self._handle: BinaryIO | None = None

    def __len__(self) -> int:
        return self._piece.length

    def read(self, size: int = -1) -> bytes:
        if self._left == 0:
            return b""
        item = self._piece.item
        if self._handle is None:
            assert_unchanged(item)
            # open across read() calls: closed after the last byte, or by close()
            self._handle = self._source.open("rb")
            self._handle.seek(self._piece.start)
        data = self._handle.read(self._left if size < 0 else min(size, self._left))
        if not data:
            assert_unchanged(item)  # it shrank, so it changed: raises
            raise OSError(f"'{item.name}' ended before its selected size")
        self._left -= len(data)
        if self._left == 0:
            self.close()
            assert_unchanged(item)
        return data

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


# ---- phase 2: registration through pybis (a pybis thread) ----------------------------------


def register_dataset(
    openbis: Any, checked: CheckedMetadata, selection: LocalSelection, sent: SentUpload
) -> str:
    """Create the dataset from the uploaded workspace folder; return its permId.

    Raises SessionRenewed when the connection's session is no longer the one whose workspace
    holds the bytes (it expired and was renewed): the job then uploads again."""
    if openbis.token != sent.token:
        raise transfers.SessionRenewed(sent)
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
    dataset.__dict__["upload_files_v3"] = lambda **_: sent.upload_id
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
