"""A run's workspace: paged file list, downloads and uploads as jobs, file deletion."""

from __future__ import annotations

import asyncio

import anyio

from ..errors import InvalidInput
from ..paths import check_writable, confine
from ..reana import workflows, workspace
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
        )
        self.write_json(page)


class WorkspaceFileHandler(ReanaHandler):
    @endpoint
    async def delete(self, name: str, workflow: str) -> None:
        path = workspace.check_remote_path(self.query("file"), "file")
        result = await self.reana.client(name).delete_file(workflow, path)
        self.write_json(result)


class WorkspaceDownloadHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        """Files and folders of the workspace into a folder under the Jupyter root (a job)."""
        body = self.json_body()
        paths = [workspace.check_remote_path(p, "paths", allow_root=True) for p in body["paths"]]
        destination_rel = body.get("destination", "")
        overwrite = body.get("overwrite", False)
        keep_both = body.get("keepBoth", False)
        root = self.services.root_dir
        destination = confine(root, destination_rel, field="destination")
        if destination.exists() and not destination.is_dir():
            raise InvalidInput("'destination' must be a folder", field="destination")
        client = self.reana.client(name)
        plan, label = await asyncio.gather(
            workspace.plan_download(client, workflow, paths),
            workflows.display_name(client, workflow),
        )
        sizes = [f.size for f in plan]
        await anyio.to_thread.run_sync(
            lambda: check_writable(
                root,
                destination,
                field="destination",
                needed_bytes=None if None in sizes else sum(s for s in sizes if s is not None),
            )
        )
        job = workspace.start_download(
            self.services.jobs,
            client,
            root_dir=root,
            workflow=workflow,
            label=label,
            paths=paths,
            plan=plan,
            destination=destination,
            overwrite=overwrite,
            keep_both=keep_both,
        )
        self.write_json(job.to_json(), status=202)


class WorkspaceUploadHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        """Files and folders under the Jupyter root into the workspace (a job)."""
        body = self.json_body()
        sources = body["sources"]
        target = workspace.check_remote_path(body.get("target", ""), "target", allow_root=True)
        client = self.reana.client(name)
        plan = await anyio.to_thread.run_sync(
            workspace.plan_upload, self.services.root_dir, sources, target
        )
        label = await workflows.display_name(client, workflow)
        job = workspace.start_upload(
            self.services.jobs, client, workflow=workflow, label=label, plan=plan
        )
        self.write_json(job.to_json(), status=202)


routes: list[Route] = [
    (rf"{WORKFLOW}/workspace", WorkspaceHandler),
    (rf"{WORKFLOW}/workspace/files", WorkspaceFileHandler),
    (rf"{WORKFLOW}/workspace/download", WorkspaceDownloadHandler),
    (rf"{WORKFLOW}/workspace/upload", WorkspaceUploadHandler),
]
