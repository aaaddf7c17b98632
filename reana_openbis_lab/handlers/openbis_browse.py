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

PERM_ID = r"(?P<perm_id>[^/]+)"


class BrowseHandler(ApiHandler):
    """What the browsing routes share."""

    def page(self, search: str | None = None) -> Page:
        """The page asked for in the query (its values checked by the contract)."""
        text = search if search is not None else (self.query("search") or "").strip()
        return Page(
            start=self.query("start"),
            count=self.query("count"),
            search=text or None,
            sort=self.query("sort"),
            ascending=self.query("order") == "asc",
        )

    async def answer(self, name: str, fn: Callable[..., Any], *args: Any) -> None:
        self.write_json(await self.services.openbis.call(name, fn, *args))


class SpacesHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        await self.answer(name, browse.list_spaces, self.page())


class ProjectsHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        space = browse.upper_code(self.query("space"))
        await self.answer(name, browse.list_projects, self.page(), space)


class CollectionsHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        project = browse.identifier(self.query("project"), "project", 2)
        space = browse.upper_code(self.query("space"))
        await self.answer(name, browse.list_collections, self.page(), project, space)


class ObjectsHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        collection = browse.identifier(self.query("collection"), "collection", 3)
        project = browse.identifier(self.query("project"), "project", 2)
        space = browse.upper_code(self.query("space"))
        args = (self.page(), collection, project, space)
        await self.answer(name, browse.list_objects, *args)


class DatasetsHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        collection = browse.identifier(self.query("collection"), "collection", 3)
        obj = browse.entity_ref(self.query("object"), "object")
        await self.answer(name, browse.list_datasets, self.page(), collection, obj)


class DatasetHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str, perm_id: str) -> None:
        await self.answer(name, dataset_detail.dataset_detail, perm_id)


class DatasetFilesHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str, perm_id: str) -> None:
        await self.answer(name, dataset_detail.dataset_files, perm_id)


class TypesHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str, kind: str) -> None:
        await self.answer(name, entity_types.list_entity_types, kind)


class SearchHandler(BrowseHandler):
    @endpoint
    async def get(self, name: str) -> None:
        text = self.query("q").strip()
        if not text:
            raise ApiError(400, "'q' (the text to look for) is required", field="q")
        await self.answer(name, browse.search_entities, self.page(text), self.query("kind"))


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
