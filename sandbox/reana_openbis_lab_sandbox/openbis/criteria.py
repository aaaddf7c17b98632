"""Evaluation of openBIS v3 search criteria trees against the sandbox's entities.

A node is either a relation ("SpaceSearchCriteria" inside a dataset search walks from
the dataset to its space, "DataSetParentsSearchCriteria" to its parents, ...) holding
sub-criteria combined with AND/OR, or a leaf comparing one field (code, permId,
identifier, a property, the physical status, a date) with a value matcher. `criteria`
may arrive as a list or, as pybis sends for nested relations, as a single dict.
A criterion the sandbox does not know raises UnsupportedCriterion instead of matching
everything: a test must never pass because a filter was silently ignored.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from .matchers import compare, short_type
from .model import (
    DataSet,
    EntityType,
    Experiment,
    Person,
    Project,
    PropertyType,
    Sample,
    Space,
    Vocabulary,
    VocabularyTerm,
)


class UnsupportedCriterion(ValueError):
    pass


def sub_criteria(node: dict[str, Any]) -> list[dict[str, Any]]:
    criteria = node.get("criteria")
    if criteria is None:
        return []
    if isinstance(criteria, dict):
        return [criteria]
    return [c for c in criteria if isinstance(c, dict)]


def matches(obj: Any, node: dict[str, Any]) -> bool:
    """Does `obj` satisfy the criteria tree `node` (whose root names obj's own kind)?"""
    return _evaluate_group(obj, node)


def _evaluate_group(obj: Any, node: dict[str, Any]) -> bool:
    children = sub_criteria(node)
    if not children:
        return True
    results = (_evaluate(obj, child) for child in children)
    if str(node.get("operator") or "AND").upper() == "OR":
        return any(results)
    return all(results)


def _evaluate(obj: Any, node: dict[str, Any]) -> bool:
    name = short_type(node)
    leaf = LEAVES.get(name)
    if leaf is not None:
        return leaf(obj, node)
    related = _related(obj, name)
    if related is None:
        raise UnsupportedCriterion(f"search criterion {node.get('@type')!r} is not supported")
    if not sub_criteria(node):
        return bool(related)
    return any(_evaluate_group(item, node) for item in related)


def pinned_codes(node: dict[str, Any]) -> set[str] | None:
    """Codes/permIds an AND tree pins its dataset to (pybis's searchFiles shape), else None.

    Lets the DSS look datasets up directly instead of testing every one; the full criteria
    are still applied to what it finds.
    """
    if str(node.get("operator") or "AND").upper() != "AND":
        return None
    for child in sub_criteria(node):
        if short_type(child) not in ("DataSetSearchCriteria", "DataSetFileSearchCriteria"):
            continue
        leaves = sub_criteria(child)
        if (
            leaves
            and all(
                short_type(leaf) in ("CodeSearchCriteria", "PermIdSearchCriteria")
                and isinstance(leaf.get("fieldValue"), dict)
                and short_type(leaf["fieldValue"]) == "StringEqualToValue"
                for leaf in leaves
            )
            and (len(leaves) == 1 or str(child.get("operator")).upper() == "OR")
        ):
            return {str(leaf["fieldValue"].get("value")) for leaf in leaves}
    return None


# ---- relations --------------------------------------------------------------------------


def _space_of(obj: Any) -> list[Any]:
    if isinstance(obj, Space):
        return [obj]
    if isinstance(obj, (Project, Sample)):
        return [obj.space]
    if isinstance(obj, Experiment):
        return [obj.project.space]
    if isinstance(obj, DataSet):
        owner = obj.sample or obj.experiment
        return _space_of(owner) if owner is not None else []
    return []


def _project_of(obj: Any) -> list[Any]:
    if isinstance(obj, Project):
        return [obj]
    if isinstance(obj, Experiment):
        return [obj.project]
    if isinstance(obj, Sample):
        return [obj.project] if obj.project is not None else []
    if isinstance(obj, DataSet):
        if obj.experiment is not None:
            return [obj.experiment.project]
        return _project_of(obj.sample) if obj.sample is not None else []
    return []


def _experiment_of(obj: Any) -> list[Any]:
    if isinstance(obj, Experiment):
        return [obj]
    if isinstance(obj, (Sample, DataSet)):
        return [obj.experiment] if obj.experiment is not None else []
    return []


def _sample_of(obj: Any) -> list[Any]:
    if isinstance(obj, Sample):
        return [obj]
    if isinstance(obj, DataSet):
        return [obj.sample] if obj.sample is not None else []
    return []


def _type_of(obj: Any) -> list[Any]:
    if isinstance(obj, EntityType):
        return [obj]
    entity_type = getattr(obj, "type", None)
    return [entity_type] if isinstance(entity_type, EntityType) else []


def _self_if(*classes: type) -> Any:
    return lambda obj: [obj] if isinstance(obj, classes) else []


def _attr_list(attr: str) -> Any:
    return lambda obj: list(getattr(obj, attr, []) or [])


def _registrator(obj: Any) -> list[Any]:
    if isinstance(obj, Person):
        return [obj]
    person = getattr(obj, "registrator", None) or getattr(obj, "owner", None)
    return [person] if person is not None else []


def _vocabulary_of(obj: Any) -> list[Any]:
    if isinstance(obj, Vocabulary):
        return [obj]
    vocabulary = getattr(obj, "vocabulary", None)
    return [vocabulary] if isinstance(vocabulary, Vocabulary) else []


RELATIONS = {
    "SpaceSearchCriteria": _space_of,
    "ProjectSearchCriteria": _project_of,
    "ExperimentSearchCriteria": _experiment_of,
    "SampleSearchCriteria": _sample_of,
    "DataSetSearchCriteria": _self_if(DataSet),
    "DataSetFileSearchCriteria": _self_if(DataSet),
    "PhysicalDataSearchCriteria": _self_if(DataSet),
    "SampleParentsSearchCriteria": _attr_list("parents"),
    "SampleChildrenSearchCriteria": _attr_list("children"),
    "SampleContainerSearchCriteria": lambda obj: [],
    "DataSetParentsSearchCriteria": _attr_list("parents"),
    "DataSetChildrenSearchCriteria": _attr_list("children"),
    "DataSetContainerSearchCriteria": lambda obj: [],
    "SampleTypeSearchCriteria": _type_of,
    "ExperimentTypeSearchCriteria": _type_of,
    "DataSetTypeSearchCriteria": _type_of,
    "EntityTypeSearchCriteria": _type_of,
    "TagSearchCriteria": _attr_list("tags"),
    "PersonSearchCriteria": _registrator,
    "RegistratorSearchCriteria": _registrator,
    "ModifierSearchCriteria": _registrator,
    "VocabularySearchCriteria": _vocabulary_of,
    "VocabularyTermSearchCriteria": _self_if(VocabularyTerm),
    "PropertyTypeSearchCriteria": _self_if(PropertyType),
    "DataStoreSearchCriteria": lambda obj: [obj],
}


def _related(obj: Any, name: str) -> list[Any] | None:
    walk = RELATIONS.get(name)
    return None if walk is None else walk(obj)


# ---- leaves ------------------------------------------------------------------------------


def _code(obj: Any) -> str | None:
    if isinstance(obj, Person):
        return obj.user_id
    return getattr(obj, "code", None)


def _perm_id(obj: Any) -> str | None:
    if isinstance(obj, (EntityType, PropertyType, Vocabulary)):
        return obj.code
    if isinstance(obj, Person):
        return obj.user_id
    return getattr(obj, "perm_id", None)


def _identifier(obj: Any) -> str | None:
    return getattr(obj, "identifier", None) or _code(obj)


def _field_leaf(getter: Any, *, case_insensitive: bool = True) -> Any:
    def leaf(obj: Any, node: dict[str, Any]) -> bool:
        return compare(getter(obj), node, case_insensitive=case_insensitive)

    return leaf


def _codes_leaf(obj: Any, node: dict[str, Any]) -> bool:
    values = node.get("fieldValue") or []
    code = _code(obj)
    return code is not None and code.upper() in {str(v).upper() for v in values}


def _id_leaf(obj: Any, node: dict[str, Any]) -> bool:
    value = node.get("fieldValue")
    ids = value if isinstance(value, list) else [value]
    for object_id in ids:
        if not isinstance(object_id, dict):
            continue
        if "identifier" in object_id and _identifier(obj) == str(object_id["identifier"]).upper():
            return True
        if "permId" in object_id and _perm_id(obj) == object_id["permId"]:
            return True
        if "code" in object_id and _code(obj) == object_id["code"]:
            return True
    return False


def _property_value(obj: Any, name: str) -> str | None:
    properties = getattr(obj, "properties", None) or {}
    return properties.get(str(name).upper())


def _property_leaf(obj: Any, node: dict[str, Any]) -> bool:
    return compare(_property_value(obj, node.get("fieldName", "")), node)


def _any_property_leaf(obj: Any, node: dict[str, Any]) -> bool:
    properties = getattr(obj, "properties", None) or {}
    return any(compare(value, node) for value in properties.values())


def _any_field_leaf(obj: Any, node: dict[str, Any]) -> bool:
    properties = getattr(obj, "properties", None) or {}
    candidates = [_code(obj), _perm_id(obj), _identifier(obj), *properties.values()]
    return any(compare(value, node) for value in candidates if value is not None)


def _status_leaf(obj: Any, node: dict[str, Any]) -> bool:
    value = node.get("fieldValue")
    if isinstance(value, dict):
        value = value.get("value")
    return isinstance(obj, DataSet) and obj.status == str(value).upper()


def _date_leaf(attr: str) -> Any:
    def leaf(obj: Any, node: dict[str, Any]) -> bool:
        epoch_ms = getattr(obj, attr, None)
        if epoch_ms is None:
            return False
        moment = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc)
        return compare(moment.strftime("%Y-%m-%d %H:%M:%S"), node)

    return leaf


def _person_field(attr: str) -> Any:
    return _field_leaf(lambda obj: getattr(obj, attr, None) if isinstance(obj, Person) else None)


def _label(obj: Any) -> str | None:
    return getattr(obj, "label", None)


LEAVES = {
    "CodeSearchCriteria": _field_leaf(_code),
    "CodesSearchCriteria": _codes_leaf,
    "PermIdSearchCriteria": _field_leaf(_perm_id, case_insensitive=False),
    "IdentifierSearchCriteria": _field_leaf(_identifier),
    "IdSearchCriteria": _id_leaf,
    "IdsSearchCriteria": _id_leaf,
    "StringPropertySearchCriteria": _property_leaf,
    "StrictlyStringPropertySearchCriteria": _property_leaf,
    "NumberPropertySearchCriteria": _property_leaf,
    "DatePropertySearchCriteria": _property_leaf,
    "BooleanPropertySearchCriteria": _property_leaf,
    "ControlledVocabularyPropertySearchCriteria": _property_leaf,
    "AnyPropertySearchCriteria": _any_property_leaf,
    "AnyFieldSearchCriteria": _any_field_leaf,
    "StatusSearchCriteria": _status_leaf,
    "RegistrationDateSearchCriteria": _date_leaf("registration_date"),
    "ModificationDateSearchCriteria": _date_leaf("registration_date"),
    "UserIdSearchCriteria": _person_field("user_id"),
    "EmailSearchCriteria": _person_field("email"),
    "FirstNameSearchCriteria": _person_field("first_name"),
    "LastNameSearchCriteria": _person_field("last_name"),
    "LabelSearchCriteria": _field_leaf(_label),
}
