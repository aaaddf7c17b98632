"""`updateDataSets`: what pybis sends when an existing dataset is edited and saved.

Supported: properties (merged; null removes one), experimentId/sampleId field updates,
and the Add/Remove/Set actions of parentIds, childIds and tagIds. An update is checked
in full before anything changes, so a refused batch leaves every dataset as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .ids import require_id
from .model import DataSet, Experiment, Sample, Tag
from .properties import validate_properties
from .rpc import RpcError, not_allowed, not_found
from .store import OpenbisStore

Json = dict[str, Any]


@dataclass
class _Planned:
    dataset: DataSet
    properties: dict[str, str]
    experiment: Experiment | None
    sample: Sample | None
    parents: list[DataSet]
    children: list[DataSet]
    tags: list[Tag]


def update_data_sets(store: OpenbisStore, user: str, updates: list[Json]) -> None:
    planned = [_plan(store, update) for update in updates or []]
    for plan in planned:
        for owner in (
            plan.dataset.sample or plan.dataset.experiment,
            plan.sample or plan.experiment,
        ):
            if owner is not None and not store.can_write(user, owner.space):
                raise not_allowed(user, owner.space.code)
    with store.lock:
        for plan in planned:
            _apply(plan)


def _plan(store: OpenbisStore, update: Json) -> _Planned:
    perm_id = str((update.get("dataSetId") or {}).get("permId", ""))
    dataset = store.dataset(perm_id)
    if dataset is None:
        raise not_found("DataSetPermId", perm_id)
    properties = dict(dataset.properties)
    for code, value in (update.get("properties") or {}).items():
        properties[str(code).upper()] = value
    properties = validate_properties(
        dataset.type, {code: value for code, value in properties.items() if value is not None}
    )
    experiment, sample = dataset.experiment, dataset.sample
    experiment_update = _field(update.get("experimentId"))
    if experiment_update is not _UNCHANGED:
        experiment = (
            None
            if experiment_update is None
            else require_id(store.experiment_by, experiment_update, "Experiment")
        )
    sample_update = _field(update.get("sampleId"))
    if sample_update is not _UNCHANGED:
        sample = (
            None if sample_update is None else require_id(store.sample_by, sample_update, "Sample")
        )
        if sample is not None and sample.experiment is not None:
            experiment = sample.experiment
    if experiment is None and sample is None:
        raise RpcError(f"Data set {perm_id} must belong to an experiment or a sample.")

    def dataset_of(object_id: Json) -> DataSet:
        found = store.dataset(str(object_id.get("permId", "")))
        if found is None:
            raise not_found("DataSetPermId", str(object_id.get("permId", "")))
        return found

    def tag_of(object_id: Json) -> Tag:
        wanted = str(object_id.get("code") or object_id.get("permId") or "")
        found = next((t for t in store.tags.values() if wanted in (t.code, t.perm_id)), None)
        if found is None:
            raise not_found("TagCode", wanted)
        return found

    return _Planned(
        dataset,
        properties,
        experiment,
        sample,
        _list_update(dataset.parents, update.get("parentIds"), dataset_of),
        _list_update(dataset.children, update.get("childIds"), dataset_of),
        _list_update(dataset.tags, update.get("tagIds"), tag_of),
    )


_UNCHANGED = object()


def _field(value: Any) -> Any:
    """A FieldUpdateValue's new value, or _UNCHANGED when it is absent or not modified."""
    if not isinstance(value, dict) or not value.get("isModified"):
        return _UNCHANGED
    return value.get("value")


def _list_update(current: list[Any], value: Any, resolve: Any) -> list[Any]:
    result = list(current)
    if not isinstance(value, dict):
        return result
    for action in value.get("actions") or []:
        kind = str(action.get("@type", "")).rsplit(".", 1)[-1]
        items = [resolve(item) for item in action.get("items") or []]
        if kind == "ListUpdateActionSet":
            result = items
        elif kind == "ListUpdateActionAdd":
            result += [item for item in items if item not in result]
        elif kind == "ListUpdateActionRemove":
            result = [item for item in result if item not in items]
    return result


def _apply(plan: _Planned) -> None:
    dataset = plan.dataset
    for parent in dataset.parents:
        if parent not in plan.parents:
            parent.children.remove(dataset)
    for parent in plan.parents:
        if dataset not in parent.children:
            parent.children.append(dataset)
    for child in dataset.children:
        if child not in plan.children:
            child.parents.remove(dataset)
    for child in plan.children:
        if dataset not in child.parents:
            child.parents.append(dataset)
    dataset.properties = plan.properties
    dataset.experiment = plan.experiment
    dataset.sample = plan.sample
    dataset.parents = plan.parents
    dataset.children = plan.children
    dataset.tags = plan.tags
