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

from ..errors import InvalidInput

TARGET_KINDS = ("object", "collection")
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
class UploadRequest:
    """The body of `POST /openbis/uploads`, shape-checked (nothing looked up yet)."""

    connection: str
    paths: tuple[str, ...]
    dataset_type: str
    target_kind: str
    target_id: str
    properties: Mapping[str, Any]
    parents: tuple[str, ...]
    include_notebook: str | None


@dataclass(frozen=True)
class PropertySpec:
    """One property assignment of a dataset type, as pybis describes it."""

    code: str
    label: str
    data_type: str
    mandatory: bool
    terms: tuple[str, ...] | None = None
    multi_value: bool = False


@dataclass
class FieldErrors:
    """Collects every problem of a form, then raises them together."""

    items: list[dict[str, str]] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.items.append({"field": field_name, "message": message})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]
        others = len(self.items) - 1
        summary = first["message"]
        if others:
            summary += f" (and {others} more problem{'s' if others > 1 else ''})"
        raise InvalidInput(summary, field=first["field"], details=list(self.items))


def parse_upload_request(body: Mapping[str, Any]) -> UploadRequest:
    errors = FieldErrors()

    def text(key: str, value: Any, *, required: bool = True) -> str | None:
        if value is None or value == "":
            if required:
                errors.add(key, f"'{key}' is required")
            return None
        if not isinstance(value, str):
            errors.add(key, f"'{key}' must be text")
            return None
        return value.strip()

    def text_list(key: str, value: Any, *, required: bool) -> tuple[str, ...]:
        if value is None:
            if required:
                errors.add(key, f"'{key}' is required")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.add(key, f"'{key}' must be a list of text")
            return ()
        if required and not value:
            errors.add(key, f"'{key}' must name at least one file or folder")
        return tuple(value)

    connection = text("connection", body.get("connection"))
    paths = text_list("paths", body.get("paths"), required=True)
    if sum(map(len, paths)) > MAX_PATHS_CHARS:
        errors.add(
            "paths",
            f"'paths' are longer than {MAX_PATHS_CHARS} characters together: select the folders "
            "that hold the files instead",
        )
        paths = ()
    dataset_type = text("datasetType", body.get("datasetType"))
    target = body.get("target")
    target_kind = target_id = None
    if not isinstance(target, dict):
        errors.add("target", "'target' must be {kind: 'object'|'collection', id}")
    else:
        target_kind = text("target.kind", target.get("kind"))
        if target_kind is not None and target_kind not in TARGET_KINDS:
            errors.add("target.kind", "'target.kind' must be 'object' or 'collection'")
        target_id = text("target.id", target.get("id"))
    properties = body.get("properties")
    if properties is None:
        properties = {}
    elif not isinstance(properties, dict):
        errors.add("properties", "'properties' must be an object of CODE: value")
        properties = {}
    parents = text_list("parents", body.get("parents"), required=False)
    include_notebook = body.get("includeNotebook")
    if include_notebook is not None and not isinstance(include_notebook, str):
        errors.add("includeNotebook", "'includeNotebook' must be the path of a notebook")
    errors.raise_if_any()
    return UploadRequest(
        connection=connection or "",
        paths=paths,
        dataset_type=(dataset_type or "").upper(),
        target_kind=target_kind or "",
        target_id=target_id or "",
        properties=properties,
        parents=parents,
        include_notebook=include_notebook or None,
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
        dataset_type = openbis.get_dataset_type(request.dataset_type)
    except ValueError as exc:
        if not _missing(exc):
            raise
        errors.add("datasetType", f"openBIS has no dataset type '{request.dataset_type}'")
    else:
        converted = check_properties(
            property_specs(openbis, dataset_type), request.properties, errors
        )

    identifier = perm_id = ""
    try:
        if request.target_kind == "object":
            target = openbis.get_sample(request.target_id)
        else:
            target = openbis.get_experiment(request.target_id)
        identifier, perm_id = target.identifier, target.permId
    except ValueError as exc:
        if not _missing(exc):
            raise
        noun = "object" if request.target_kind == "object" else "collection"
        errors.add("target.id", f"openBIS has no {noun} '{request.target_id}'")

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
        dataset_type=request.dataset_type,
        properties=converted,
        target_kind=request.target_kind,
        target_identifier=identifier,
        target_perm_id=perm_id,
        parents=tuple(dict.fromkeys(parents)),
    )
