"""Everything an upload request is checked for before a single byte leaves the machine.

pybis checks a dataset's properties one at a time while they are assigned and stops at
the first bad one, with a message meant for a notebook; a missing target object is even
ignored until the upload has happened (`DataSet.save` swallows the failed lookup and
registers the dataset unlinked). A form deserves better: every failing field is reported
at once (`InvalidInput.details`), in words for the form, and the target and each parent
are resolved through pybis here, up front.

The property rules follow openBIS' data types; values arrive as JSON from a form, so
numbers and booleans may come as text and are converted to what pybis sends.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..errors import FieldErrors, InvalidInput

TEXT_TYPES = ("VARCHAR", "MULTILINE_VARCHAR", "HYPERLINK", "XML", "SAMPLE")
INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
#: The date-time layouts openBIS accepts (pybis' PropertyReformatter lists the same ones).
TIMESTAMP_LAYOUTS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
#: Characters of all selected paths together (the schema bounds each path and their count): a
#: thousand files of a real selection fit many times; what is beyond is refused before any
#: path is looked at.
MAX_PATHS_CHARS = 256 * 1024
#: What the date-time is sent as when a browser sends ISO 8601 (`2024-05-01T10:30`).
TIMESTAMP_OUT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class UploadTarget:
    """Where the dataset is attached: an object or a collection, by permId or identifier."""

    kind: str
    id: str


@dataclass(frozen=True)
class UploadRequest:
    """`POST /openbis/uploads`, as openapi.yaml's OpenbisUploadRequest checked it (its shape
    only: nothing is looked up yet)."""

    connection: str
    paths: tuple[str, ...]
    dataset_type: str
    target: UploadTarget
    properties: Mapping[str, Any] = field(default_factory=dict)
    parents: tuple[str, ...] = ()
    include_notebook: str | None = None

    @property
    def type_code(self) -> str:
        """openBIS codes are upper-case; a form may send them as typed."""
        return self.dataset_type.upper()


@dataclass(frozen=True)
class PropertySpec:
    """One property assignment of a dataset type, as pybis describes it."""

    code: str
    label: str
    data_type: str
    mandatory: bool
    terms: tuple[str, ...] | None = None
    multi_value: bool = False


def check_paths_size(request: UploadRequest) -> None:
    """The schema bounds each path and their count; their sum is bounded here, before any
    path is looked at."""
    if sum(map(len, request.paths)) > MAX_PATHS_CHARS:
        raise InvalidInput(
            f"'paths' are longer than {MAX_PATHS_CHARS} characters together: select the folders "
            "that hold the files instead",
            field="paths",
        )


def check_properties(
    specs: Mapping[str, PropertySpec], values: Mapping[str, Any], errors: FieldErrors
) -> dict[str, Any]:
    """Converted values keyed by property code; problems go to `errors`."""
    converted: dict[str, Any] = {}
    by_code = {code.upper(): spec for code, spec in specs.items()}
    for raw_code, value in values.items():
        code = str(raw_code).upper()
        where = f"properties.{code}"
        spec = by_code.get(code)
        if spec is None:
            errors.add(where, f"The dataset type has no property '{code}'")
            continue
        if value is None or value == "":
            continue
        try:
            converted[spec.code] = convert_value(spec, value)
        except ValueError as exc:
            errors.add(where, str(exc))
    for spec in by_code.values():
        if spec.mandatory and spec.code not in converted:
            fault = next((e for e in errors.items if e["field"] == f"properties.{spec.code}"), None)
            if fault is None:
                errors.add(f"properties.{spec.code}", f"'{spec.label}' is mandatory")
    return converted


def convert_value(spec: PropertySpec, value: Any) -> Any:
    """One value in the form pybis sends for its data type; ValueError says what is wrong."""
    data_type = spec.data_type
    if isinstance(value, (list, dict)):
        raise ValueError(f"'{spec.label}' takes a single value")
    if data_type == "INTEGER":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and INTEGER_TEXT.match(value.strip()):
            return int(value.strip())
        raise ValueError(f"'{spec.label}' must be a whole number")
    if data_type == "REAL":
        number: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        if number is None or not math.isfinite(number):
            raise ValueError(f"'{spec.label}' must be a number")
        return number
    if data_type == "BOOLEAN":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ValueError(f"'{spec.label}' must be true or false")
    if not isinstance(value, str):
        raise ValueError(f"'{spec.label}' must be text")
    if data_type == "DATE":
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"'{spec.label}' must be a date (YYYY-MM-DD)") from None
    if data_type == "TIMESTAMP":
        return _timestamp(spec, value.strip())
    if data_type == "CONTROLLEDVOCABULARY":
        term = value.strip().upper()
        if spec.terms is not None and term not in spec.terms:
            raise ValueError(f"'{spec.label}' must be one of: {', '.join(spec.terms)}")
        return term
    if data_type in TEXT_TYPES:
        return value
    raise ValueError(f"Properties of type {data_type} cannot be set from this form")


def _timestamp(spec: PropertySpec, value: str) -> str:
    for layout in TIMESTAMP_LAYOUTS:
        try:
            datetime.strptime(value, layout)
            return value
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{spec.label}' must be a date and time (YYYY-MM-DD HH:MM:SS)") from None
    text = parsed.strftime(TIMESTAMP_OUT)
    return f"{text} {parsed.strftime('%z')}" if parsed.tzinfo else text


# ---- lookups in openBIS (run in a pybis thread) -------------------------------------------


@dataclass(frozen=True)
class CheckedMetadata:
    """The request's openBIS side, resolved: what registration will use."""

    dataset_type: str
    properties: dict[str, Any]
    target_kind: str
    target_identifier: str
    target_perm_id: str
    parents: tuple[str, ...]


def _missing(exc: ValueError) -> bool:
    return str(exc).lower().startswith("no such")


def property_specs(openbis: Any, dataset_type: Any) -> dict[str, PropertySpec]:
    """The type's assignments; vocabulary terms come from pybis' own PropertyHolder lookup."""
    from pybis.property import PropertyHolder

    holder = PropertyHolder(openbis, dataset_type)
    specs: dict[str, PropertySpec] = {}
    for assignment in dataset_type.data.get("propertyAssignments") or []:
        property_type = assignment["propertyType"]
        code = property_type["code"]
        details = holder._property_names.get(code.lower(), {})
        terms = details.get("terms")
        specs[code] = PropertySpec(
            code=code,
            label=property_type.get("label") or code,
            data_type=property_type["dataType"],
            mandatory=bool(assignment.get("mandatory")),
            terms=tuple(str(c) for c in terms.df["code"]) if terms is not None else None,
            multi_value=bool(property_type.get("multiValue")),
        )
    return specs


def check_against_openbis(openbis: Any, request: UploadRequest) -> CheckedMetadata:
    """Type, properties, target and parents, every problem collected into one InvalidInput."""
    errors = FieldErrors()
    converted: dict[str, Any] = {}
    try:
        dataset_type = openbis.get_dataset_type(request.type_code)
    except ValueError as exc:
        if not _missing(exc):
            raise
        errors.add("datasetType", f"openBIS has no dataset type '{request.type_code}'")
    else:
        converted = check_properties(
            property_specs(openbis, dataset_type), request.properties, errors
        )

    identifier = perm_id = ""
    try:
        if request.target.kind == "object":
            target = openbis.get_sample(request.target.id)
        else:
            target = openbis.get_experiment(request.target.id)
        identifier, perm_id = target.identifier, target.permId
    except ValueError as exc:
        if not _missing(exc):
            raise
        noun = "object" if request.target.kind == "object" else "collection"
        errors.add("target.id", f"openBIS has no {noun} '{request.target.id}'")

    parents: list[str] = []
    for index, parent in enumerate(request.parents):
        try:
            parents.append(openbis.get_dataset(parent).permId)
        except ValueError as exc:
            if not _missing(exc):
                raise
            errors.add(f"parents[{index}]", f"openBIS has no dataset '{parent}'")
    errors.raise_if_any()
    return CheckedMetadata(
        dataset_type=request.type_code,
        properties=converted,
        target_kind=request.target.kind,
        target_identifier=identifier,
        target_perm_id=perm_id,
        parents=tuple(dict.fromkeys(parents)),
    )
