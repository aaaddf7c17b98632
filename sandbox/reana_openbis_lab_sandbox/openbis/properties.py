"""Property values as openBIS checks and stores them: assigned to the type, typed, as strings.

openBIS keeps every property value as a string in a canonical form ("21.0", "true",
vocabulary terms upper-case) and refuses values that do not fit the property's data type,
properties the entity type does not assign and missing mandatory ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .model import EntityType
from .rpc import RpcError

Json = dict[str, Any]

_BOOLEAN = {"true": "true", "false": "false"}
_DATE_FORMATS = {
    "DATE": ("%Y-%m-%d",),
    "TIMESTAMP": (
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
        "%y-%m-%d %H:%M:%S",
        "%y-%m-%d",
    ),
}


def validate_properties(entity_type: EntityType, raw: Json) -> dict[str, str]:
    """Check the properties against the type's assignments; return openBIS's string values."""
    values: dict[str, str] = {}
    for code, value in raw.items():
        code = str(code).upper()
        assignment = entity_type.assignment(code)
        if assignment is None:
            raise RpcError(
                f"Property type '{code}' is not assigned to data set type '{entity_type.code}'."
            )
        if value is None or value == "":
            continue
        values[code] = _canonical(assignment.property_type, value)
    for assignment in entity_type.assignments:
        if assignment.mandatory and assignment.property_type.code not in values:
            raise RpcError(
                f"Value of mandatory property '{assignment.property_type.code}' not specified."
            )
    return values


def _canonical(property_type: Any, value: Any) -> str:
    data_type = property_type.data_type
    text = str(value).strip()

    def refuse() -> RpcError:
        return RpcError(
            f"Property '{property_type.code}' of type {data_type} does not accept value '{text}'."
        )

    if isinstance(value, (dict, list)):
        raise refuse()
    if data_type == "INTEGER":
        if isinstance(value, bool) or not text.lstrip("-").isdigit():
            raise refuse()
        return str(int(text))
    if data_type == "REAL":
        if isinstance(value, bool):
            raise refuse()
        try:
            return str(float(text))
        except ValueError:
            raise refuse() from None
    if data_type == "BOOLEAN":
        canonical = _BOOLEAN.get(text.lower())
        if canonical is None:
            raise refuse()
        return canonical
    if data_type in _DATE_FORMATS:
        for fmt in _DATE_FORMATS[data_type]:
            try:
                datetime.strptime(text, fmt)
                return text
            except ValueError:
                continue
        raise refuse()
    if data_type == "CONTROLLEDVOCABULARY":
        vocabulary = property_type.vocabulary
        codes = {t.code for t in vocabulary.terms} if vocabulary else set()
        if text.upper() not in codes:
            raise refuse()
        return text.upper()
    return str(value)
