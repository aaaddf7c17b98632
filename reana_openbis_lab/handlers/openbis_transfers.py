"""openBIS dataset downloads and uploads as jobs, and the download manifest of a folder."""

from __future__ import annotations

from ..openbis import transfer_jobs
from .base import ApiHandler, Route, endpoint


class DownloadsHandler(ApiHandler):
    @endpoint
    async def post(self) -> None:
        job = await transfer_jobs.start_download(self.services, self.json_body())
        self.write_json(job.to_json(), status=202)


class UploadsHandler(ApiHandler):
    @endpoint
    async def post(self) -> None:
        job = await transfer_jobs.start_upload(self.services, self.json_body())
        self.write_json(job.to_json(), status=202)


class ManifestHandler(ApiHandler):
    @endpoint
    async def get(self) -> None:
        self.write_json(transfer_jobs.manifest_entries(self.services, self.query("path")))


routes: list[Route] = [
    (r"/openbis/downloads", DownloadsHandler),
    (r"/openbis/uploads", UploadsHandler),
    (r"/openbis/manifest", ManifestHandler),
]
