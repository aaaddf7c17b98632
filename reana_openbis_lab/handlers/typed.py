"""Typed requests from bodies the contract has checked: one builder, and no second check.

A body reaches a handler only after `contract` checked it against openapi.yaml, so every
type, size, pattern, enum and required key already holds. What is left is naming: each
field of a request dataclass takes the JSON key of its name in camelCase (`perm_id` from
`permId`), or its name as written when the class says `JSON_KEYS = "as written"` (the
requirements route keeps an older contract's snake_case); a key that is absent or null
takes the field's default. A nested object becomes the nested
dataclass, a list a tuple. tests/test_request_types.py keeps every dataclass equal to its
schema (keys, required, defaults), so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Hashable, Mapping
from typing import Any, TypeVar, cast

T = TypeVar("T")


def json_key(cls: type, field: dataclasses.Field[Any]) -> str:
    """The JSON key a dataclass field is read from."""
    if getattr(cls, "JSON_KEYS", "camelCase") == "as written":
        return field.name
    head, *rest = field.name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


@functools.cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _without_none(hint: Any) -> Any:
    """`X | None` -> X (a null value never reaches `_convert`)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        kept = [a for a in typing.get_args(hint) if a is not type(None)]
        return kept[0] if len(kept) == 1 else hint
    return hint


def _convert(hint: Any, value: Any) -> Any:
    hint = _without_none(hint)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return from_body(hint, value)
    if typing.get_origin(hint) is tuple and isinstance(value, list):
        item = typing.get_args(hint)[0]
        return tuple(_convert(item, v) for v in value)
    return value


def from_body(cls: type[T], body: Mapping[str, Any]) -> T:
    """`cls` filled from a checked body (the contract refused unknown keys already)."""
    hints = _hints(cast(Hashable, cls))
    values = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = body.get(json_key(cls, field))
        if value is not None:
            values[field.name] = _convert(hints[field.name], value)
    return cls(**values)
