"""Typed id objects (`{"identifier": ...}` or `{"permId": ...}`) resolved to entities.

get* methods skip ids that do not resolve; creations and updates fail on them with
openBIS's "Object with <IdType> = [<value>] has not been found." message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .rpc import not_found

Finder = Callable[..., Any]


def resolve_id(finder: Finder, object_id: Any) -> Any:
    """The entity an id names via `finder(identifier=...)` / `finder(perm_id=...)`, or None."""
    if not isinstance(object_id, dict):
        return None
    if "identifier" in object_id:
        return finder(identifier=str(object_id["identifier"]))
    if "permId" in object_id:
        return finder(perm_id=str(object_id["permId"]))
    return None


def require_id(finder: Finder, object_id: Any, noun: str) -> Any:
    """Like resolve_id, but a missing entity is an error naming the id as openBIS does."""
    found = resolve_id(finder, object_id)
    if found is None:
        object_id = object_id if isinstance(object_id, dict) else {}
        if "identifier" in object_id:
            raise not_found(f"{noun}Identifier", str(object_id["identifier"]))
        raise not_found(f"{noun}PermId", str(object_id.get("permId", "")))
    return found
