"""openBIS dataset downloads and uploads as jobs, and the download manifest of a folder."""

from __future__ import annotations

from ..openbis import transfer_jobs
from ..openbis.transfer_jobs import DownloadRequest
from ..openbis.upload_validation import UploadRequest
from .base import ApiHandler, Route, endpoint


class DownloadsHandler(ApiHandler):
    @endpoint(body=DownloadRequest)
    async def post(self, body: DownloadRequest) -> None:
        services = self.services
        job = await transfer_jobs.start_download(
            body, openbis=services.openbis, jobs=services.jobs, root_dir=services.root_dir
        )
        self.write_json(job.to_json(), status=202)


class UploadsHandler(ApiHandler):
    @endpoint(body=UploadRequest)
    async def post(self, body: UploadRequest) -> None:
        services = self.services
        job = await transfer_jobs.start_upload(
            body, openbis=services.openbis, jobs=services.jobs, root_dir=services.root_dir
        )
        self.write_json(job.to_json(), status=202)


class ManifestHandler(ApiHandler):
    @endpoint
    async def get(self) -> None:
        entries = transfer_jobs.manifest_entries(self.services.root_dir, self.query("path"))
        self.write_json(entries)


routes: list[Route] = [
    (r"/openbis/downloads", DownloadsHandler),
    (r"/openbis/uploads", UploadsHandler),
    (r"/openbis/manifest", ManifestHandler),
]
