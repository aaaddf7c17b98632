"""Paging and sorting of search results, as fetchOptions ask for them.

`from`/`count` cut the sorted list (totalCount counts before the cut); `sort.sortings`
name openBIS sort fields (CODE, PERM_ID, IDENTIFIER, REGISTRATION_DATE,
MODIFICATION_DATE, TYPE, PROPERTY<code>) with SortOrder objects; without a sort, results
come in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Json = dict[str, Any]


def _sort_key(field: str) -> Callable[[Any], Any] | None:
    """openBIS sort fields: CODE, PERM_ID, IDENTIFIER, REGISTRATION_DATE, ..., PROPERTY<code>."""
    if field.upper().startswith("PROPERTY") and len(field) > len("PROPERTY"):
        code = field[len("PROPERTY") :].upper()
        return lambda o: str((getattr(o, "properties", None) or {}).get(code) or "")
    return {
        "code": lambda o: str(getattr(o, "code", "")),
        "permid": lambda o: str(getattr(o, "perm_id", "")),
        "identifier": lambda o: str(getattr(o, "identifier", "")),
        "registrationdate": lambda o: getattr(o, "registration_date", 0),
        "modificationdate": lambda o: getattr(o, "registration_date", 0),
        "type": lambda o: str(getattr(getattr(o, "type", None), "code", "")),
    }.get(field.replace("_", "").lower())


def _ascending(order: Any) -> bool:
    """SortOrder travels as an object `{"asc": true}`; a plain "ASC"/"DESC" is accepted too."""
    if isinstance(order, dict):
        return bool(order.get("asc", True))
    return str(order or "ASC").upper() != "DESC"


def sort_objects(objects: list[Any], fetch_options: Json | None) -> list[Any]:
    sort = (fetch_options or {}).get("sort") or {}
    for sorting in reversed(sort.get("sortings") or []):
        key = _sort_key(str(sorting.get("field", "")))
        if key is not None:
            objects = sorted(objects, key=key, reverse=not _ascending(sorting.get("order")))
    return objects


def page(objects: list[Any], fetch_options: Json | None) -> list[Any]:
    start = (fetch_options or {}).get("from") or 0
    count = (fetch_options or {}).get("count")
    return objects[start:] if count is None else objects[start : start + count]
