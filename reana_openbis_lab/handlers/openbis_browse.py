"""Browsing openBIS over REST: the hierarchy, datasets with their files, types, entity search.

The query parameters were checked against openapi.yaml before a handler runs (unknown
ones too: a mistyped filter must not silently list everything); each handler then runs
one domain function in a worker thread through `OpenbisService.call`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..openbis import browse, dataset_detail, entity_types
from ..openbis.browse import Page
from .base import ApiError, ApiHandler, Route, endpoint
from .openbis_connections import NAME

PAGE_PARAMS = ("start", "count", "search", "sort", "order")
PERM_ID = r"(?P<perm_id>[^/]+)"


class BrowseHandler(ApiHandler):
    """What the browsing routes share."""

    def params(self, *names: str) -> dict[str, Any]:
        """The named query values (checked already), for the domain's parsers."""
        return {key: self.query(key) for key in names}

    async def answer(self, name: str, fn: Callable[..., Any], *args: Any) -> None:
        self.write_json(await self.services.openbis.call(name, fn, *args))


class SpacesHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        page = Page.parse(self.params(*PAGE_PARAMS))
        await self.answer(name, browse.list_spaces, page)


class ProjectsHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        query = self.params(*PAGE_PARAMS, "space")
        space = browse.checked_code(query["space"], "space")
        await self.answer(name, browse.list_projects, Page.parse(query), space)


class CollectionsHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        query = self.params(*PAGE_PARAMS, "project", "space")
        project = browse.checked_identifier(query["project"], "project", 2)
        space = browse.checked_code(query["space"], "space")
        await self.answer(name, browse.list_collections, Page.parse(query), project, space)


class ObjectsHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        query = self.params(*PAGE_PARAMS, "collection", "project", "space")
        collection = browse.checked_identifier(query["collection"], "collection", 3)
        project = browse.checked_identifier(query["project"], "project", 2)
        space = browse.checked_code(query["space"], "space")
        page = Page.parse(query)
        await self.answer(name, browse.list_objects, page, collection, project, space)


class DatasetsHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        query = self.params(*PAGE_PARAMS, "collection", "object")
        collection = browse.checked_identifier(query["collection"], "collection", 3)
        obj = browse.checked_object(query["object"], "object")
        await self.answer(name, browse.list_datasets, Page.parse(query), collection, obj)


class DatasetHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str, perm_id: str) -> None:
        checked = browse.checked_perm_id(perm_id, "permId")
        await self.answer(name, dataset_detail.dataset_detail, checked)


class DatasetFilesHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str, perm_id: str) -> None:
        checked = browse.checked_perm_id(perm_id, "permId")
        await self.answer(name, dataset_detail.dataset_files, checked)


class TypesHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str, kind: str) -> None:
        await self.answer(name, entity_types.list_entity_types, kind)


class SearchHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        query = self.params("q", "kind", "start", "count", "sort", "order")
        kind = query.pop("kind")
        text = query.pop("q").strip()
        if not text:
            raise ApiError(400, "'q' (the text to look for) is required", field="q")
        page = Page.parse({**query, "search": text})
        await self.answer(name, browse.search_entities, page, kind)


BASE = rf"/openbis/connections/{NAME}"
routes: list[Route] = [
    (rf"{BASE}/spaces", SpacesHandler),
    (rf"{BASE}/projects", ProjectsHandler),
    (rf"{BASE}/collections", CollectionsHandler),
    (rf"{BASE}/objects", ObjectsHandler),
    (rf"{BASE}/datasets", DatasetsHandler),
    (rf"{BASE}/datasets/{PERM_ID}", DatasetHandler),
    (rf"{BASE}/datasets/{PERM_ID}/files", DatasetFilesHandler),
    (rf"{BASE}/types/(?P<kind>[^/]+)", TypesHandler),
    (rf"{BASE}/search", SearchHandler),
]
