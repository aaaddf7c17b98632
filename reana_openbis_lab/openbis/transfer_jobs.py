"""Start download and upload jobs: every check that can fail runs before the job exists.

The REST handler answers 202 with the job only once the request is known to be sound
(connection, confined paths, dataset/target/parents, properties, clashes), so that a
mistake is a 4xx on the form rather than a failed job, and no byte moves for a request
that was going to fail anyway.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, NotFound
from ..jobs import Job, JobManager, Progress
from ..paths import check_fits, check_writable, confine, plain_name, to_api_path
from ..result_lists import capped
from . import manifest
from .download import DownloadPlan, download_dataset, list_dataset, plan_targets, select_files
from .service import OpenbisService
from .upload import UploadPlan, collect_local_files, upload_dataset
from .upload_validation import UploadRequest, check_against_openbis, check_paths_size

DOWNLOAD_KIND = "openbis-download"
UPLOAD_KIND = "openbis-upload"


@dataclass(frozen=True)
class DownloadRequest:
    """`POST /openbis/downloads`, as openapi.yaml's OpenbisDownloadRequest checked it."""

    connection: str
    perm_id: str
    files: tuple[str, ...] | None = None
    destination: str = ""
    folder: str = ""
    overwrite: bool = False


def _connection_url(openbis: OpenbisService, name: str) -> str:
    try:
        return openbis.get(name).url
    except NotFound as exc:
        raise NotFound(exc.message, field="connection") from None


def check_download_folder(root_dir: Path, folder: Path, needed_bytes: int) -> None:
    """Before the job: the manifest stays inside the root and nothing is in its way, and
    the folder takes new files and has room for them (else a 4xx naming the local cause)."""
    manifest.confined_manifest(root_dir, folder, field="destination")
    check_writable(root_dir, folder, field="destination", needed_bytes=needed_bytes)


def confined_folder(root_dir: Path, relative: str, field: str) -> Path:
    folder = confine(root_dir, relative, field=field)
    if not folder.is_dir():
        raise InvalidInput(f"'{relative}' is not a folder", field=field)
    return folder


async def start_download(
    request: DownloadRequest, *, openbis: OpenbisService, jobs: JobManager, root_dir: Path
) -> Job:
    """Check everything that can be checked, then submit the download job (202)."""
    folder = confined_folder(root_dir, request.destination, "destination")
    # The dataset's own folder joins the destination only when the files are placed: its
    # name is checked now, so that a refusal names `folder` and is never blamed on openBIS.
    plain_name(request.folder, "folder")
    check_fits(folder, [request.folder] if request.folder else [], "folder")
    url = _connection_url(openbis, request.connection)
    listing = await openbis.call(request.connection, list_dataset, request.perm_id)
    selected = select_files(listing, list(request.files) if request.files is not None else None)
    # The dataset's own folder (`folder`) is made when the files are placed, and removed
    # again if placing fails; the manifest stays in the existing folder, where the
    # results computed from the dataset are uploaded from.
    destination = "/".join(filter(None, [to_api_path(root_dir, folder), request.folder]))
    planned = plan_targets(root_dir, destination, selected, overwrite=request.overwrite)
    await asyncio.to_thread(
        check_download_folder, root_dir, folder, sum(p.remote.size for p in planned)
    )

    plan = DownloadPlan(
        listing=listing,
        planned=tuple(planned),
        folder=folder,
        overwrite=request.overwrite,
        shown_folder=destination.rsplit("/", 1)[-1],
        root_dir=root_dir,
        read_timeout=openbis.default_timeout,
        record={
            "connection": request.connection,
            "url": url,
            "perm_id": listing.perm_id,
            "dataset_type": listing.type_code,
            # What people know it by, for the upload form's parents.
            "name": listing.name,
            "files": [
                "/".join(filter(None, [request.folder, p.name]))
                for p in planned
                if not p.remote.is_dir
            ],
        },
    )

    async def work(progress: Progress) -> dict[str, Any]:
        await progress.in_worker(download_dataset, openbis.ticket(request.connection), plan)
        names = [f"{p.name}/" if p.remote.is_dir else p.name for p in planned]
        return {"permId": listing.perm_id, "destination": destination, **capped("files", names)}

    return jobs.submit(
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


async def start_upload(
    request: UploadRequest, *, openbis: OpenbisService, jobs: JobManager, root_dir: Path
) -> Job:
    """Check the selection and the metadata against openBIS, then submit the upload job."""
    check_paths_size(request)
    _connection_url(openbis, request.connection)
    selection = await asyncio.to_thread(
        collect_local_files, root_dir, request.paths, request.include_notebook
    )
    checked = await openbis.call(request.connection, check_against_openbis, request)
    plan = UploadPlan(checked, selection, read_timeout=openbis.default_timeout)

    async def work(progress: Progress) -> dict[str, Any]:
        return await progress.in_worker(upload_dataset, openbis.ticket(request.connection), plan)

    return jobs.submit(
        UPLOAD_KIND,
        f"Upload to {checked.target_identifier}",
        work,
        connection=request.connection,
        datasetType=checked.dataset_type,
        target=checked.target_identifier,
        files=len(selection.files),
    )


def manifest_entries(root_dir: Path, relative: str) -> dict[str, Any]:
    folder = confined_folder(root_dir, relative, "path")
    return {
        "path": to_api_path(root_dir, folder),
        "datasets": [dict(e) for e in manifest.read_entries(root_dir, folder)],
    }
