"""Start download and upload jobs: every check that can fail runs before the job exists.

The REST handler answers 202 with the job only once the request is known to be sound
(connection, confined paths, dataset/target/parents, properties, clashes), so that a
mistake is a 4xx on the form rather than a failed job, and no byte moves for a request
that was going to fail anyway.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, NotFound
from ..jobs import Job, Progress
from ..paths import MAX_NAME_LENGTH, check_writable, confine, confine_own, to_api_path
from ..result_lists import capped
from ..services import Services
from . import manifest, transfers
from .download import download_into, list_dataset, plan_targets, select_files
from .upload import collect_local_files, register_dataset, send_to_workspace, workspace_of
from .upload_validation import check_against_openbis, parse_upload_request

DOWNLOAD_KIND = "openbis-download"
UPLOAD_KIND = "openbis-upload"
#: Registering a dataset makes the data store move and checksum every file: allow for that.
REGISTRATION_TIMEOUT = 600.0
#: Uploads under one session, then under a renewed one when it expired before registration.
UPLOAD_ATTEMPTS = 2


@dataclass(frozen=True)
class DownloadRequest:
    connection: str
    perm_id: str
    files: list[str] | None
    destination: str
    overwrite: bool
    folder: str = ""


def parse_download_request(body: Mapping[str, Any]) -> DownloadRequest:
    connection = body.get("connection")
    if not isinstance(connection, str) or not connection:
        raise InvalidInput("'connection' is required", field="connection")
    perm_id = body.get("permId")
    if not isinstance(perm_id, str) or not perm_id.strip():
        raise InvalidInput("'permId' is required", field="permId")
    files = body.get("files")
    if files is not None and (
        not isinstance(files, list) or not files or not all(isinstance(f, str) and f for f in files)
    ):
        raise InvalidInput("'files' must be a non-empty list of dataset paths", field="files")
    destination = body.get("destination", "")
    if destination is None:
        destination = ""
    if not isinstance(destination, str):
        raise InvalidInput("'destination' must be a folder path", field="destination")
    overwrite = body.get("overwrite", False)
    if not isinstance(overwrite, bool):
        raise InvalidInput("'overwrite' must be true or false", field="overwrite")
    folder = body.get("folder")
    if folder is None:
        folder = ""
    if not isinstance(folder, str) or not _plain_name(folder):
        raise InvalidInput(
            "'folder' must be one folder name (no '/', not '.' or '..')", field="folder"
        )
    return DownloadRequest(connection, perm_id.strip(), files, destination, overwrite, folder)


def _plain_name(name: str) -> bool:
    """ "" or one path component the file system takes: no separator, NUL or dot-name."""
    return not name or (
        name not in (".", "..")
        and not any(c in name for c in "/\\\0")
        and len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_LENGTH
    )


def _connection_url(services: Services, name: str) -> str:
    try:
        return services.openbis.get(name).url
    except NotFound as exc:
        raise NotFound(exc.message, field="connection") from None


def check_download_folder(root_dir: Path, folder: Path, needed_bytes: int) -> None:
    """Before the job: the manifest stays inside the root and nothing is in its way, and
    the folder takes new files and has room for them (else a 4xx naming the local cause)."""
    manifest.confined_manifest(root_dir, folder, field="destination")
    check_writable(root_dir, folder, field="destination", needed_bytes=needed_bytes)


def confined_folder(services: Services, relative: Any, field: str) -> Path:
    folder = confine(services.root_dir, relative, field=field)
    if not folder.is_dir():
        raise InvalidInput(f"'{relative}' is not a folder", field=field)
    return folder


async def start_download(services: Services, body: Mapping[str, Any]) -> Job:
    request = parse_download_request(body)
    folder = confined_folder(services, request.destination, "destination")
    url = _connection_url(services, request.connection)
    listing = await services.openbis.call(request.connection, list_dataset, request.perm_id)
    selected = select_files(listing, request.files)
    # The dataset's own folder (`folder`) is made when the files are placed, and removed
    # again if placing fails; the manifest stays in the existing folder, where the
    # results computed from the dataset are uploaded from.
    destination = "/".join(filter(None, [to_api_path(services.root_dir, folder), request.folder]))
    planned = plan_targets(services.root_dir, destination, selected, overwrite=request.overwrite)
    await asyncio.to_thread(
        check_download_folder, services.root_dir, folder, sum(p.remote.size for p in planned)
    )

    async def work(progress: Progress) -> dict[str, Any]:
        # A link planted in place of the destination while the job waited: nothing written.
        await asyncio.to_thread(confine_own, services.root_dir, folder, field="destination")
        # The session may have expired while the job waited for a slot, or may during it.
        tokens = await services.openbis.token_source(request.connection)

        def record() -> None:
            manifest.record_download(
                services.root_dir,
                folder,
                connection=request.connection,
                url=url,
                perm_id=listing.perm_id,
                dataset_type=listing.type_code,
                files=[
                    "/".join(filter(None, [request.folder, p.name]))
                    for p in planned
                    if not p.remote.is_dir
                ],
            )

        await transfers.run_in_own_thread(
            lambda: download_into(
                listing,
                planned,
                folder,
                progress,
                tokens,
                overwrite=request.overwrite,
                shown_folder=destination.rsplit("/", 1)[-1],
                on_placed=record,
                root_dir=services.root_dir,
            ),
            progress,
            name=f"openbis-download-{progress.job_id[:8]}",
        )
        names = [f"{p.name}/" if p.remote.is_dir else p.name for p in planned]
        return {"permId": listing.perm_id, "destination": destination, **capped("files", names)}

    return services.jobs.submit(
        DOWNLOAD_KIND,
        f"Download {listing.perm_id}",
        work,
        connection=request.connection,
        permId=listing.perm_id,
        # What openBIS users know the dataset by, for the Transfers list.
        datasetType=listing.type_code,
        name=listing.name,
        destination=destination,
    )


async def start_upload(services: Services, body: Mapping[str, Any]) -> Job:
    request = parse_upload_request(body)
    _connection_url(services, request.connection)
    selection = await asyncio.to_thread(
        collect_local_files, services.root_dir, request.paths, request.include_notebook
    )
    checked = await services.openbis.call(request.connection, check_against_openbis, request)

    async def work(progress: Progress) -> dict[str, Any]:
        progress.set_totals(bytes_total=selection.total_bytes, files_total=len(selection.files))
        workspace = await services.openbis.call(request.connection, workspace_of)
        tokens = await services.openbis.token_source(request.connection)
        # Bytes sent under a session that then expired are out of the new session's reach:
        # the upload starts again once under the renewed session (see `upload`).
        for attempt in range(UPLOAD_ATTEMPTS):
            progress.set_step("uploading")
            sent = await transfers.run_in_own_thread(
                lambda: send_to_workspace(selection, workspace, progress, tokens),
                progress,
                name=f"openbis-upload-{progress.job_id[:8]}",
            )
            progress.check_cancelled()
            progress.set_step("registering")
            try:
                perm_id = await transfers.finish_despite_cancel(
                    services.openbis.call(
                        request.connection,
                        register_dataset,
                        checked,
                        selection,
                        sent,
                        timeout=REGISTRATION_TIMEOUT,
                    )
                )
            except transfers.SessionRenewed:
                if attempt + 1 == UPLOAD_ATTEMPTS:
                    raise
                sent.uncount(progress)
                continue
            return {"permId": perm_id}
        raise AssertionError("unreachable")

    return services.jobs.submit(
        UPLOAD_KIND,
        f"Upload to {checked.target_identifier}",
        work,
        connection=request.connection,
        datasetType=checked.dataset_type,
        target=checked.target_identifier,
        files=len(selection.files),
    )


def manifest_entries(services: Services, relative: Any) -> dict[str, Any]:
    folder = confined_folder(services, relative if relative is not None else "", "path")
    return {
        "path": to_api_path(services.root_dir, folder),
        "datasets": [dict(e) for e in manifest.read_entries(services.root_dir, folder)],
    }
