"""Jobs over REST, for a page that reloads; live progress travels on the event bus."""

from __future__ import annotations

from .base import ApiHandler, Route, endpoint


class JobsHandler(ApiHandler):
    @endpoint
    async def get(self) -> None:
        kind = self.query("kind")
        self.write_json({"jobs": [j.to_json() for j in self.services.jobs.list(kind)]})


class JobHandler(ApiHandler):
    @endpoint
    async def get(self, job_id: str) -> None:
        self.write_json(self.services.jobs.get(job_id).to_json())


class JobCancelHandler(ApiHandler):
    @endpoint
    async def post(self, job_id: str) -> None:
        self.write_json(self.services.jobs.cancel(job_id).to_json(), status=202)


routes: list[Route] = [
    (r"/jobs", JobsHandler),
    (r"/jobs/(?P<job_id>[0-9a-f]{32})", JobHandler),
    (r"/jobs/(?P<job_id>[0-9a-f]{32})/cancel", JobCancelHandler),
]
