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
from ..paths import MAX_NAME_LENGTH, check_writable, confine, to_api_path
from ..result_lists import capped
from ..services import Services
from . import manifest
from .download import DownloadPlan, download_dataset, list_dataset, plan_targets, select_files
from .upload import UploadPlan, collect_local_files, upload_dataset
from .upload_validation import check_against_openbis, parse_upload_request

DOWNLOAD_KIND = "openbis-download"
UPLOAD_KIND = "openbis-upload"


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

    plan = DownloadPlan(
        listing=listing,
        planned=tuple(planned),
        folder=folder,
        overwrite=request.overwrite,
        shown_folder=destination.rsplit("/", 1)[-1],
        root_dir=services.root_dir,
        read_timeout=services.openbis.default_timeout,
        record={
            "connection": request.connection,
            "url": url,
            "perm_id": listing.perm_id,
            "dataset_type": listing.type_code,
            "files": [
                "/".join(filter(None, [request.folder, p.name]))
                for p in planned
                if not p.remote.is_dir
            ],
        },
    )

    async def work(progress: Progress) -> dict[str, Any]:
        await progress.in_worker(
            download_dataset, services.openbis.ticket(request.connection), plan
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

    plan = UploadPlan(checked, selection, read_timeout=services.openbis.default_timeout)

    async def work(progress: Progress) -> dict[str, Any]:
        return await progress.in_worker(
            upload_dataset, services.openbis.ticket(request.connection), plan
        )

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
