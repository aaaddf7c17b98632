"""POST /requirements: freeze a notebook's kernel environment into files next to it."""

from __future__ import annotations

from ..requirements.service import ExportRequest
from .base import ApiHandler, Route, endpoint

#: Field names of the older jupyter-openbis-server's contract, kept for its callers.
OPTIONAL_FIELDS = {
    "requirements_list": list,
    "runtime": str,
    "requirements_filename": str,
    "runtime_filename": str,
    "overwrite": bool,
}


class RequirementsHandler(ApiHandler):
    @endpoint
    async def post(self) -> None:
        body = self.json_body()
        optional = {
            key: value
            for key, kind in OPTIONAL_FIELDS.items()
            if (value := self.get_json_or_400(body, key, kind, required=False)) is not None
        }
        request = ExportRequest(
            notebook_path=self.get_json_or_400(body, "notebook_path", str), **optional
        )
        self.write_json(await self.services.requirements.export(request))


routes: list[Route] = [(r"/requirements", RequirementsHandler)]
