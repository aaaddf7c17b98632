"""A run's workspace: paged file list, downloads and uploads as jobs, file deletion."""

from __future__ import annotations

import anyio

from ..errors import InvalidInput
from ..paths import check_writable, confine
from ..reana import workspace
from .base import Route, endpoint
from .reana_connections import ReanaHandler
from .reana_workflows import MAX_SEARCH, WORKFLOW, check_workflow

#: More paths than this in one request is not a user picking files.
MAX_PATHS = 1000


class WorkspaceHandler(ReanaHandler):
    @endpoint
    async def get(self, name: str, workflow: str) -> None:
        search = self.query("search") or None
        if search is not None and len(search) > MAX_SEARCH:
            raise InvalidInput(f"'search' must be at most {MAX_SEARCH} characters", field="search")
        page = await workspace.list_page(
            self.reana.client(name),
            check_workflow(workflow),
            page=self.query_int("page", 1, minimum=1, maximum=1_000_000),
            size=self.query_int("size", 100, minimum=1, maximum=1000),
            search=search,
        )
        self.write_json(page)


class WorkspaceFileHandler(ReanaHandler):
    @endpoint
    async def delete(self, name: str, workflow: str) -> None:
        path = workspace.check_remote_path(self.query("file"), "file")
        result = await self.reana.client(name).delete_file(check_workflow(workflow), path)
        self.write_json(result)


class WorkspaceDownloadHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        """Files and folders of the workspace into a folder under the Jupyter root (a job)."""
        body = self.json_body()
        paths = [
            workspace.check_remote_path(p, "paths", allow_root=True)
            for p in _string_list(self, body, "paths")
        ]
        destination_rel = self.get_json_or_400(body, "destination", str, required=False) or ""
        overwrite = self.get_json_or_400(body, "overwrite", bool, required=False) or False
        root = self.services.root_dir
        destination = confine(root, destination_rel, field="destination")
        if destination.exists() and not destination.is_dir():
            raise InvalidInput("'destination' must be a folder", field="destination")
        client = self.reana.client(name)
        workflow = check_workflow(workflow)
        plan = await workspace.plan_download(client, workflow, paths)
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
            plan=plan,
            destination=destination,
            overwrite=overwrite,
        )
        self.write_json(job.to_json(), status=202)


class WorkspaceUploadHandler(ReanaHandler):
    @endpoint
    async def post(self, name: str, workflow: str) -> None:
        """Files and folders under the Jupyter root into the workspace (a job)."""
        body = self.json_body()
        sources = _string_list(self, body, "sources")
        target = workspace.check_remote_path(
            self.get_json_or_400(body, "target", str, required=False) or "",
            "target",
            allow_root=True,
        )
        client = self.reana.client(name)
        plan = await anyio.to_thread.run_sync(
            workspace.plan_upload, self.services.root_dir, sources, target
        )
        job = workspace.start_upload(
            self.services.jobs, client, workflow=check_workflow(workflow), plan=plan
        )
        self.write_json(job.to_json(), status=202)


def _string_list(handler: ReanaHandler, body: dict, key: str) -> list[str]:
    values = handler.get_json_or_400(body, key, list)
    if not values:
        raise InvalidInput(f"'{key}' must list at least one path", field=key)
    if len(values) > MAX_PATHS:
        raise InvalidInput(f"'{key}' may list at most {MAX_PATHS} paths", field=key)
    if not all(isinstance(v, str) for v in values):
        raise InvalidInput(f"'{key}' must be a list of strings", field=key)
    return values


routes: list[Route] = [
    (rf"{WORKFLOW}/workspace", WorkspaceHandler),
    (rf"{WORKFLOW}/workspace/files", WorkspaceFileHandler),
    (rf"{WORKFLOW}/workspace/download", WorkspaceDownloadHandler),
    (rf"{WORKFLOW}/workspace/upload", WorkspaceUploadHandler),
]
