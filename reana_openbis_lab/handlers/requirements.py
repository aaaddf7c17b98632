"""POST /requirements: freeze a notebook's kernel environment into files next to it."""

from __future__ import annotations

from ..requirements.service import ExportRequest
from .base import ApiHandler, Route, endpoint

#: Field names of the older jupyter-openbis-server's contract, kept for its callers, and
#: `scope` (imports or the whole environment).
OPTIONAL_FIELDS = (
    "requirements_list",
    "runtime",
    "requirements_filename",
    "runtime_filename",
    "overwrite",
    "scope",
)


class RequirementsHandler(ApiHandler):
    @endpoint
    async def post(self) -> None:
        body = self.json_body()
        optional = {key: body[key] for key in OPTIONAL_FIELDS if body.get(key) is not None}
        request = ExportRequest(notebook_path=body["notebook_path"], **optional)
        self.write_json(await self.services.requirements.export(request))


routes: list[Route] = [(r"/requirements", RequirementsHandler)]
