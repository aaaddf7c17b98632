"""Small builders for openBIS v3 JSON-RPC: search criteria, fetch options, sorting, results.

pybis' list methods cannot sort and combine text search only with AND; browsing needs
server-side paging, a free-text search and a sort order, so it sends its own v3 requests
through the transport every pybis call of the extension uses (`transport.post_v3`: the
call's session, its timeouts, the connection's TLS settings and token). These helpers
write the JSON shapes openBIS' Jackson mapper expects ("@type" on every node).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

Json = dict[str, Any]

#: Entity -> (package of its DTOs, class prefix). Collections are experiments, objects samples.
PACKAGES = {
    "space": ("space", "Space"),
    "project": ("project", "Project"),
    "experiment": ("experiment", "Experiment"),
    "sample": ("sample", "Sample"),
    "dataSet": ("dataset", "DataSet"),
    "person": ("person", "Person"),
    "dataStore": ("datastore", "DataStore"),
    "tag": ("tag", "Tag"),
}
SORT_FIELDS = {"code": "CODE", "registrationDate": "REGISTRATION_DATE"}


def fetch(entity: str, **nested: Json) -> Json:
    """Fetch options of `entity` with nested relations, e.g. fetch("sample", type=fetch_type("sample"))."""
    package, prefix = PACKAGES[entity]
    return {"@type": f"as.dto.{package}.fetchoptions.{prefix}FetchOptions", **nested}


def fetch_type(entity: str, **nested: Json) -> Json:
    package, prefix = PACKAGES[entity]
    return {"@type": f"as.dto.{package}.fetchoptions.{prefix}TypeFetchOptions", **nested}


def fetch_properties() -> Json:
    return {"@type": "as.dto.property.fetchoptions.PropertyFetchOptions"}


def fetch_physical_data() -> Json:
    return {"@type": "as.dto.dataset.fetchoptions.PhysicalDataFetchOptions"}


def fetch_assignments(with_vocabulary: bool = False) -> Json:
    property_type: Json = {"@type": "as.dto.property.fetchoptions.PropertyTypeFetchOptions"}
    if with_vocabulary:
        property_type["vocabulary"] = {
            "@type": "as.dto.vocabulary.fetchoptions.VocabularyFetchOptions",
            "terms": {"@type": "as.dto.vocabulary.fetchoptions.VocabularyTermFetchOptions"},
        }
    return {
        "@type": "as.dto.property.fetchoptions.PropertyAssignmentFetchOptions",
        "propertyType": property_type,
    }


def paged(fetch_options: Json, start: int, count: int, sort: str | None, ascending: bool) -> Json:
    """Add paging and one sort field (`code` or `registrationDate`) to fetch options."""
    options = {**fetch_options, "from": start, "count": count}
    if sort is not None:
        sort_type = fetch_options["@type"].replace("FetchOptions", "SortOptions")
        options["sort"] = {
            "@type": sort_type,
            "sortings": [
                {
                    "@type": "as.dto.common.fetchoptions.Sorting",
                    "field": SORT_FIELDS[sort],
                    "order": {"@type": "as.dto.common.fetchoptions.SortOrder", "asc": ascending},
                    "parameters": None,
                }
            ],
        }
    return options


def criteria(entity: str, *children: Json, operator: str = "AND") -> Json:
    """A criteria node for `entity`: the root of a search, or a relation inside another one."""
    package, prefix = PACKAGES[entity]
    return {
        "@type": f"as.dto.{package}.search.{prefix}SearchCriteria",
        "operator": operator,
        "criteria": list(children),
    }


def _leaf(kind: str, field_name: str, value: str, matcher: str) -> Json:
    return {
        "@type": f"as.dto.common.search.{kind}SearchCriteria",
        "fieldName": field_name,
        "fieldType": "ATTRIBUTE",
        "fieldValue": {"@type": f"as.dto.common.search.{matcher}", "value": value},
    }


def code_is(value: str) -> Json:
    return _leaf("Code", "code", value, "StringEqualToValue")


def code_contains(value: str) -> Json:
    return _leaf("Code", "code", value, "StringContainsValue")


def identifier_is(value: str) -> Json:
    return _leaf("Identifier", "identifier", value, "StringEqualToValue")


def perm_id_is(value: str) -> Json:
    return _leaf("PermId", "perm_id", value, "StringEqualToValue")


def any_field_contains(value: str) -> Json:
    """Code, permId, identifier and every property (the name is property $NAME)."""
    return {
        "@type": "as.dto.common.search.AnyFieldSearchCriteria",
        "fieldName": "any",
        "fieldType": "ANY_FIELD",
        "fieldValue": {"@type": "as.dto.common.search.StringContainsValue", "value": value},
    }


def perm_id(entity: str, value: str) -> Json:
    package, prefix = PACKAGES[entity]
    return {"@type": f"as.dto.{package}.id.{prefix}PermId", "permId": value}


#: Keys whose value is an openBIS object (or a list of them), so an int there is a
#: Jackson back-reference. Plain numbers (sizes, dates, counts) live under other keys.
REFERENCE_KEYS = frozenset(
    {
        "objects", "registrator", "modifier", "owner", "leader", "person", "user", "users",
        "type", "project", "projects", "space", "experiment", "experiments", "sample",
        "samples", "parents", "children", "container", "containers", "components", "tags",
        "dataSet", "dataSets", "dataStore", "physicalData", "linkedData", "propertyType",
        "propertyAssignments", "vocabulary", "terms", "entityType", "permId", "identifier",
        "dataSetPermId", "fetchOptions", "plugin", "validationPlugin", "sampleType",
        "materialType", "semanticAnnotations", "attachments", "storageFormat",
        "locatorType", "fileFormatType", "externalDms", "authorizationGroup",
    }
)  # fmt: skip


def resolved(result: Any, *, keyed_by_id: bool = False) -> Any:
    """Replace Jackson's `@id` back-references (real servers send them) by the objects.

    openBIS numbers each object the first time it writes it ("@id": 13) and writes a
    repeat as the bare number (`"registrator": 13`, `"parents": [10]`, even an entry
    of a search result's `objects`). pybis' own resolver covers only some keys, so
    this one knows every relation a browsing request fetches. `keyed_by_id`: the
    result is a get* map (id string -> object), whose values may be references too.
    """
    found: dict[int, Json] = {}

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("@id"), int):
                found[node["@id"]] = node
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    def deref(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return found.get(value, value)
        return value

    def link(node: Any, seen: set[int]) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if key in REFERENCE_KEYS:
                    value = [deref(v) for v in value] if isinstance(value, list) else deref(value)
                    node[key] = value
                link(value, seen)
        elif isinstance(node, list):
            for value in node:
                link(value, seen)

    collect(result)
    if keyed_by_id and isinstance(result, dict):
        for key, value in result.items():
            result[key] = deref(value)
    link(result, set())
    return result


def as_dict(value: Any) -> Json:
    """A related object, or {} when it was not fetched (null) or is an unresolved reference."""
    return value if isinstance(value, dict) else {}


def iso_date(epoch_ms: Any) -> str | None:
    if not isinstance(epoch_ms, (int, float)):
        return None
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def user_id(person: Any) -> str | None:
    return as_dict(person).get("userId")


def identifier_of(entity: Any) -> str | None:
    identifier = as_dict(entity).get("identifier")
    return identifier.get("identifier") if isinstance(identifier, dict) else identifier


def perm_id_of(entity: Any) -> str | None:
    value = as_dict(entity).get("permId")
    return value.get("permId") if isinstance(value, dict) else value


def type_code(entity: Any) -> str | None:
    return as_dict(as_dict(entity).get("type")).get("code")
