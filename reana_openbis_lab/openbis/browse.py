"""Browsing openBIS: spaces > projects > collections > objects > datasets, paged on the server.

Every list is one v3 search with paging (`start`, `count`), a free-text `search` and a
sort order, so a space with 100,000 objects costs the same as one with ten. Functions
named `list_*`/`search_entities` run in a worker thread (via `OpenbisService.call`) and
return plain JSON-ready dicts with camelCase keys, the shape the REST API documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInput
from . import transport, v3
from .v3 import Json, as_dict, identifier_of, iso_date, perm_id_of, type_code, user_id

DEFAULT_PAGE = 50
IDENTIFIER_EXAMPLES = {2: "/SPACE/PROJECT", 3: "/SPACE/PROJECT/COLLECTION"}


@dataclass(frozen=True)
class Page:
    """Which slice of a list to return, and in which order (query values the contract
    checked: bounds, `sort` and `order` words)."""

    start: int = 0
    count: int = DEFAULT_PAGE
    search: str | None = None
    sort: str = "code"
    ascending: bool = True


def upper_code(value: str | None) -> str | None:
    """openBIS codes are upper-case; a filter may arrive as typed ("" is no filter)."""
    return value.upper() if value else None


def identifier(value: str | None, field: str, parts: int) -> str | None:
    """An identifier of exactly `parts` codes, like /SPACE/PROJECT (2) or
    /SPACE/PROJECT/COLLECTION (3); the contract checked its characters."""
    if not value:
        return None
    if value.count("/") != parts or not all(value.split("/")[1:]):
        example = IDENTIFIER_EXAMPLES[parts]
        raise InvalidInput(f"'{field}' must be an identifier like {example}", field=field)
    return value.upper()


def entity_ref(value: str | None, field: str) -> str | None:
    """An object by identifier (/SPACE/PROJECT/CODE, upper-cased) or by permId (as is, no
    '/'); the contract checked its characters."""
    if not value:
        return None
    if value.startswith("/"):
        if not 2 <= value.count("/") <= 4 or not all(value.split("/")[1:]):
            raise InvalidInput(
                f"'{field}' must be an identifier like /SPACE/PROJECT/CODE", field=field
            )
        return value.upper()
    if "/" in value:
        raise InvalidInput(f"'{field}' is neither a permId nor an identifier", field=field)
    return value


# ---- one search, any entity --------------------------------------------------------------


def _search(
    openbis: Any,
    entity: str,
    filters: list[Json],
    page: Page,
    fetch_options: Json,
    text: Json | None,
) -> Json:
    children = [*filters, *([text] if text is not None else [])]
    method = f"search{v3.PACKAGES[entity][1]}s"
    request = {
        "method": method,
        "params": [
            openbis.token,
            v3.criteria(entity, *children),
            v3.paged(fetch_options, page.start, page.count, page.sort, page.ascending),
        ],
    }
    result = v3.resolved(transport.post_v3(openbis, request))
    return result if isinstance(result, dict) else {}


def _listing(result: Json, page: Page, shape: Any) -> Json:
    objects = [o for o in result.get("objects") or [] if isinstance(o, dict)]
    return {
        "items": [shape(o) for o in objects],
        "total": int(result.get("totalCount") or 0),
        "start": page.start,
        "count": page.count,
    }


def _properties(entity: Json) -> dict[str, Any]:
    properties = entity.get("properties")
    return dict(properties) if isinstance(properties, dict) else {}


def _name(properties: Mapping[str, Any]) -> str | None:
    return properties.get("$NAME") or properties.get("NAME")


def _common(entity: Json) -> Json:
    return {
        "code": entity.get("code"),
        "registrationDate": iso_date(entity.get("registrationDate")),
        "registrator": user_id(entity.get("registrator")),
    }


# ---- shapes ------------------------------------------------------------------------------------


def space_json(space: Json) -> Json:
    return {**_common(space), "description": space.get("description")}


def project_json(project: Json) -> Json:
    return {
        **_common(project),
        "identifier": identifier_of(project),
        "permId": perm_id_of(project),
        "space": as_dict(project.get("space")).get("code"),
        "description": project.get("description"),
    }


def collection_json(experiment: Json) -> Json:
    properties = _properties(experiment)
    project = as_dict(experiment.get("project"))
    return {
        **_common(experiment),
        "identifier": identifier_of(experiment),
        "permId": perm_id_of(experiment),
        "type": type_code(experiment),
        "name": _name(properties),
        "project": identifier_of(project),
        "space": as_dict(project.get("space")).get("code"),
        "properties": properties,
    }


def object_json(sample: Json) -> Json:
    properties = _properties(sample)
    return {
        **_common(sample),
        "identifier": identifier_of(sample),
        "permId": perm_id_of(sample),
        "type": type_code(sample),
        "name": _name(properties),
        "space": as_dict(sample.get("space")).get("code"),
        "project": identifier_of(sample.get("project")),
        "collection": identifier_of(sample.get("experiment")),
        "properties": properties,
    }


def dataset_json(dataset: Json) -> Json:
    properties = _properties(dataset)
    physical = as_dict(dataset.get("physicalData"))
    return {
        **_common(dataset),
        "permId": perm_id_of(dataset) or dataset.get("code"),
        "type": type_code(dataset),
        "kind": dataset.get("kind"),
        "name": _name(properties),
        "collection": identifier_of(dataset.get("experiment")),
        "object": identifier_of(dataset.get("sample")),
        "objectPermId": perm_id_of(dataset.get("sample")),
        "size": physical.get("size"),
        "status": physical.get("status"),
        "properties": properties,
    }


# ---- lists (run in a worker thread) ----------------------------------------------------------


def _registrator() -> Json:
    return v3.fetch("person")


def list_spaces(openbis: Any, page: Page) -> Json:
    text = v3.code_contains(page.search) if page.search else None
    fetch_options = v3.fetch("space", registrator=_registrator())
    return _listing(_search(openbis, "space", [], page, fetch_options, text), page, space_json)


def list_projects(openbis: Any, page: Page, space: str | None) -> Json:
    filters = [v3.criteria("space", v3.code_is(space))] if space else []
    text = v3.code_contains(page.search) if page.search else None
    fetch_options = v3.fetch("project", space=v3.fetch("space"), registrator=_registrator())
    return _listing(
        _search(openbis, "project", filters, page, fetch_options, text), page, project_json
    )


def list_collections(openbis: Any, page: Page, project: str | None, space: str | None) -> Json:
    filters = []
    if project:
        filters.append(v3.criteria("project", v3.identifier_is(project)))
    if space:
        # openBIS reaches a collection's space only through its project
        filters.append(v3.criteria("project", v3.criteria("space", v3.code_is(space))))
    text = v3.any_field_contains(page.search) if page.search else None
    fetch_options = v3.fetch(
        "experiment",
        type=v3.fetch_type("experiment"),
        project=v3.fetch("project", space=v3.fetch("space")),
        properties=v3.fetch_properties(),
        registrator=_registrator(),
    )
    result = _search(openbis, "experiment", filters, page, fetch_options, text)
    return _listing(result, page, collection_json)


def list_objects(
    openbis: Any, page: Page, collection: str | None, project: str | None, space: str | None
) -> Json:
    filters = []
    if collection:
        filters.append(v3.criteria("experiment", v3.identifier_is(collection)))
    if project:
        filters.append(v3.criteria("project", v3.identifier_is(project)))
    if space:
        filters.append(v3.criteria("space", v3.code_is(space)))
    text = v3.any_field_contains(page.search) if page.search else None
    return _listing(
        _search(openbis, "sample", filters, page, _object_fetch(), text), page, object_json
    )


def _object_fetch() -> Json:
    return v3.fetch(
        "sample",
        type=v3.fetch_type("sample"),
        space=v3.fetch("space"),
        project=v3.fetch("project"),
        experiment=v3.fetch("experiment"),
        properties=v3.fetch_properties(),
        registrator=_registrator(),
    )


def list_datasets(openbis: Any, page: Page, collection: str | None, obj: str | None) -> Json:
    filters = []
    if collection:
        filters.append(v3.criteria("experiment", v3.identifier_is(collection)))
    if obj:
        leaf = v3.identifier_is(obj) if obj.startswith("/") else v3.perm_id_is(obj)
        filters.append(v3.criteria("sample", leaf))
    text = v3.any_field_contains(page.search) if page.search else None
    fetch_options = v3.fetch(
        "dataSet",
        type=v3.fetch_type("dataSet"),
        experiment=v3.fetch("experiment"),
        sample=v3.fetch("sample"),
        physicalData=v3.fetch_physical_data(),
        properties=v3.fetch_properties(),
        registrator=_registrator(),
    )
    result = _search(openbis, "dataSet", filters, page, fetch_options, text)
    return _listing(result, page, dataset_json)


SEARCH_KINDS = ("objects", "collections")


def search_entities(openbis: Any, page: Page, kind: str) -> Json:
    """Upload targets: objects or collections whose code, name or properties contain the text."""
    if kind == "objects":
        return list_objects(openbis, page, None, None, None)
    return list_collections(openbis, page, None, None)
