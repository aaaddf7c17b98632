"""Dataset, object and collection types with their property assignments, for the upload form.

One search per kind fetches every type with its assigned property types and, for
controlled vocabularies, their terms, so the form can offer the right input for each
property (and mark the mandatory ones) without a request per field. Runs in a worker
thread via `OpenbisService.call`.
"""

from __future__ import annotations

from typing import Any

from . import transport, v3
from .v3 import Json, as_dict

#: REST name -> openBIS entity whose types are listed.
KINDS = {"datasets": "dataSet", "objects": "sample", "collections": "experiment"}


def _term(term: Any) -> Json:
    term = as_dict(term)
    return {"code": term.get("code"), "label": term.get("label") or term.get("code")}


def _assignment(assignment: Any) -> Json:
    assignment = as_dict(assignment)
    property_type = as_dict(assignment.get("propertyType"))
    vocabulary = as_dict(property_type.get("vocabulary"))
    terms = vocabulary.get("terms")
    return {
        "code": property_type.get("code"),
        "label": property_type.get("label") or property_type.get("code"),
        "description": property_type.get("description"),
        "dataType": property_type.get("dataType"),
        "mandatory": bool(assignment.get("mandatory")),
        "vocabulary": vocabulary.get("code"),
        "terms": [_term(t) for t in terms] if isinstance(terms, list) else None,
    }


def list_entity_types(openbis: Any, kind: str) -> Json:
    entity = KINDS[kind]
    package, prefix = v3.PACKAGES[entity]
    request = {
        "method": f"search{prefix}Types",
        "params": [
            openbis.token,
            {
                "@type": f"as.dto.{package}.search.{prefix}TypeSearchCriteria",
                "operator": "AND",
                "criteria": [],
            },
            v3.fetch_type(entity, propertyAssignments=v3.fetch_assignments(with_vocabulary=True)),
        ],
    }
    result = as_dict(v3.resolved(transport.post_v3(openbis, request)))
    types = [as_dict(t) for t in result.get("objects") or [] if isinstance(t, dict)]
    return {
        "kind": kind,
        "types": sorted(
            (
                {
                    "code": t.get("code"),
                    "description": t.get("description"),
                    "properties": [_assignment(a) for a in t.get("propertyAssignments") or []],
                }
                for t in types
            ),
            key=lambda t: str(t["code"]),
        ),
    }
