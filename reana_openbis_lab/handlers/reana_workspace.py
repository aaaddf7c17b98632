"""A run's workspace: paged file list, downloads and uploads as jobs, file deletion."""

from __future__ import annotations

from ..reana import workspace
from ..reana.workspace import WorkspaceDownload, WorkspaceUpload
from .base import Route, endpoint
from .reana_connections import ReanaHandler
from .reana_workflows import WORKFLOW


class WorkspaceHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str, workflow: str) -> None:
        page = await workspace.list_page(
            self.reana.client(name),
            workflow,
            page=self.query("page"),
            size=self.query("size"),
            search=self.query("search"),
            glob=workspace.check_glob(self.query("glob")),
        )
        self.write_json(page)


class WorkspaceFileHandler(ReanaHandler):
    @endpoint
    async def delete(self, name: str, workflow: str) -> None:
        path = workspace.check_remote_path(self.query("file"), "file")
        result = await self.reana.client(name).delete_file(workflow, path)
        self.write_json(result)


class WorkspaceDownloadHandler(ReanaHandler):
    @endpoint(body=WorkspaceDownload)
    async def post(self, name: str, workflow: str, body: WorkspaceDownload) -> None:
        """Files and folders of the workspace into a folder under the Jupyter root (a job)."""
        job = await workspace.start_download(
            body,
            client=self.reana.client(name),
            jobs=self.services.jobs,
            root_dir=self.services.root_dir,
            workflow=workflow,
        )
        self.write_json(job.to_json(), status=202)


class WorkspaceUploadHandler(ReanaHandler):
    @endpoint(body=WorkspaceUpload)
    async def post(self, name: str, workflow: str, body: WorkspaceUpload) -> None:
        """Files and folders under the Jupyter root into the workspace (a job)."""
        job = await workspace.start_upload(
            body,
            client=self.reana.client(name),
            jobs=self.services.jobs,
            root_dir=self.services.root_dir,
            workflow=workflow,
        )
        self.write_json(job.to_json(), status=202)


routes: list[Route] = [
    (rf"{WORKFLOW}/workspace", WorkspaceHandler),
    (rf"{WORKFLOW}/workspace/files", WorkspaceFileHandler),
    (rf"{WORKFLOW}/workspace/download", WorkspaceDownloadHandler),
    (rf"{WORKFLOW}/workspace/upload", WorkspaceUploadHandler),
]
