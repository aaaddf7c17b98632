"""Entities -> the JSON objects openBIS's Jackson mapper writes.

Rules copied from the wire: every object carries "@type" and its fetchOptions; ids are
typed objects; dates are epoch milliseconds; a relation is present only when the caller
asked for it in fetchOptions and is null otherwise (pybis indexes many of these keys
directly, so they are always present). What openBIS shares as one Java instance is one
dict here, so `jackson.with_identities` can write it once and refer to it by number after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import Person
from .store import OpenbisStore

Json = dict[str, Any]
FetchOptions = dict[str, Any] | None

TYPE_CLASSES = {
    "SAMPLE": ("as.dto.sample.SampleType", "sample"),
    "EXPERIMENT": ("as.dto.experiment.ExperimentType", "experiment"),
    "DATA_SET": ("as.dto.dataset.DataSetType", "dataset"),
}


def fetched(fo: FetchOptions, key: str) -> FetchOptions:
    """The nested fetch options of `key`, or None when the caller did not ask for it."""
    if not isinstance(fo, dict):
        return None
    value = fo.get(key)
    return value if isinstance(value, dict) else None


def own_fetch_options(fo: FetchOptions) -> FetchOptions:
    """Each DTO carries its own copy of its fetch options; the nested ones stay shared."""
    return dict(fo) if isinstance(fo, dict) else fo


def typed_id(type_name: str, **fields: Any) -> Json:
    return {"@type": type_name, **fields}


class Renderer:
    """Renders entities for one request.

    Within a request, an entity rendered with the same nested fetch options is one shared
    dict, as openBIS shares one translated instance; `jackson.with_identities` turns the
    repeats into back-references. Use `fresh()` per request.
    """

    def __init__(self, public_url: str, store: OpenbisStore) -> None:
        self.public_url = public_url.rstrip("/")
        self.store = store
        self._memo: dict[tuple[int, int, str], Any] = {}

    def _admin(self) -> Person | None:
        return self.store.persons.get("admin")

    def _rel(self, fo: FetchOptions, key: str, value: Any, render: Callable[[Any, Json], Any]):
        """The related DTO(s) when `key` was fetched, else None."""
        nested = fetched(fo, key)
        if nested is None or value is None:
            return None
        if callable(value):  # a reverse relation, computed only when asked for
            value = value()
        if isinstance(value, list):
            return [self._one(item, nested, render) for item in value]
        return self._one(value, nested, render)

    def _one(self, value: Any, nested: Json, render: Callable[[Any, Json], Any]) -> Any:
        memo_key = (id(value), id(nested), render.__name__)
        rendered = self._memo.get(memo_key)
        if rendered is None:
            rendered = self._memo[memo_key] = render(value, nested)
        return rendered
