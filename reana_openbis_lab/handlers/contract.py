"""The OpenAPI file is the one place where request rules live; this module enforces them.

At start-up every documented operation gets its validators, built once from
`openapi.yaml`: one per path parameter, one per query parameter and one for the JSON
body (jsonschema, Draft 4 as OpenAPI 3.0 specifies). Each request is then checked before
its handler runs, and the first problem becomes a 400 whose `field` is the JSON path of
the value at fault (`target.id`, `paths[0]`, `properties.TEMPERATURE`).

Before the schema sees a body, `parse_body` applies the structural limits that hold for
every route (documented in the OpenAPI file's description): UTF-8 only, a JSON object,
nesting, number of values, key length, no lone surrogates, finite numbers. A body nested
deeper than Python's JSON parser can go is refused naming the top-level field it is in.

No check can cost super-linear time: each schema's keywords are reordered so that the
size limits (`maxLength`, `maxItems`, `maxProperties`) run before `pattern` and the
per-item keywords, and every `pattern` in the file is a plain character class with a
bounded repetition.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import yaml
from jsonschema import Draft4Validator, validators
from jsonschema.exceptions import ValidationError

from ..errors import FieldErrors, InvalidInput

#: Deepest nesting of arrays and objects a body may have (the deepest schema needs 4).
MAX_DEPTH = 32
#: Most values (strings, numbers, list items, ...) one body may hold: the largest sound
#: body (a download naming its 20,000 files) holds about 20,000.
MAX_VALUES = 25_000
#: Longest key of any JSON object in a body.
MAX_KEY_LENGTH = 256
#: Problems of one body named in a 400's `errors` (a form shows each beside its field).
MAX_REPORTED = 20
#: Unknown keys of one object named in its refusal (the rest are counted).
MAX_NAMED_KEYS = 5
#: Query parameters Jupyter itself reads on every route (authentication, XSRF).
JUPYTER_QUERY = frozenset({"token", "_xsrf"})
#: Longest text accepted for an integer query parameter before converting it.
MAX_INTEGER_TEXT = 20
TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})

#: Keywords that bound the size of a value run first; `pattern` and the keywords that
#: descend into items and properties run last.
KEYWORD_ORDER = (
    "type",
    "maxLength",
    "maxItems",
    "maxProperties",
    "minLength",
    "minItems",
    "minProperties",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "pattern",
    "required",
    "additionalProperties",
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_WHITESPACE_OUT = str.maketrans("", "", " \t\n\r")
#: Brackets opened more times in a row than a body may nest (a substring test: fast).
_DEEP_RUN = "[" * (MAX_DEPTH + 1)
#: The same for objects, once strings are replaced by 0: `{"a":{"a":` is `{0:{0:`.
_DEEP_OBJECTS = "{0:" * (MAX_DEPTH + 1)
#: A `\\uD800`-`\\uDFFF` escape: the only way JSON text can carry a lone surrogate.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,19}")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


# ---- paths of values ------------------------------------------------------------------------
def field_path(parts: Iterable[str | int]) -> str:
    """`["target", "id"]` -> `target.id`; `["paths", 0]` -> `paths[0]`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "body"


# ---- parsing the body -----------------------------------------------------------------------
def parse_body(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object checked against the structural limits, or InvalidInput.

    The values are counted on the text before anything is parsed, at the speed of
    `str.count`: a body of 120,000 values is refused without building one of them. What
    passes holds at most MAX_VALUES values, so the walk after parsing stays short.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("The request body is not UTF-8 text", field="body") from None
    too_many = count_values(text) > MAX_VALUES
    if too_many and not _deeply_nested(text):
        raise _too_many()
    body = _parse_object(text)  # names the field of brackets nested beyond what it can go
    if too_many:
        raise _too_many()
    check_structure(body, surrogates=_ESCAPED_SURROGATE.search(text) is not None)
    return body


def _deeply_nested(text: str) -> bool:
    """Whether `text` opens more lists, or objects, in a row than a body may nest: then the
    parse names the field they are in, which says more than a count. Only asked of a body
    refused anyway (too many values), and costs a pass over its text without the strings."""
    if _DEEP_RUN in text:
        return True
    if text.count("{") <= MAX_DEPTH:
        return False
    if "\\" in text:
        text = text.replace("\\\\", "__").replace('\\"', "__")
    return _DEEP_OBJECTS in "0".join(text.split('"')[::2]).translate(_WHITESPACE_OUT)


def _too_many() -> InvalidInput:
    return InvalidInput(f"The request body holds more than {MAX_VALUES:,} values", field="body")


def count_values(text: str) -> int:
    """How many values (scalars, lists, objects) the JSON `text` holds, or a number between
    MAX_VALUES and that count, without parsing it; at the speed of `str.count` for most.

    Each value but the first follows a ',' or opens a non-empty '[' or '{' outside strings,
    so counting those characters over the whole text gives an upper bound (strings may
    hold them too). Over the limit, a lower bound: every string is a value or a key, and
    every key is followed by a ':'. Only when the two disagree are the strings taken out
    (escaped backslashes and quotes first, so that each '"' left delimits one) to count
    exactly, which costs most when strings are many, the case the lower bound settles. For
    text that is not JSON the number means nothing; the parse that follows refuses it.
    """
    upper = 1 + text.count(",") + text.count("[") + text.count("{")
    if upper <= MAX_VALUES:
        return upper
    strings = (text.count('"') - text.count('\\"')) // 2
    lower = strings - text.count(":")
    if lower > MAX_VALUES:
        return lower
    if "\\" in text:
        text = text.replace("\\\\", "__").replace('\\"', "__")
    outside = "0".join(text.split('"')[::2]).translate(_WHITESPACE_OUT)
    return (
        1
        + outside.count(",")
        + outside.count("[")
        + outside.count("{")
        - outside.count("[]")
        - outside.count("{}")
    )


def _bad_json(what: str = "The request body is not valid JSON", name: str = "body") -> InvalidInput:
    return InvalidInput(what, field=name)


def _skip(text: str, i: int) -> int:
    return _WHITESPACE.match(text, i).end()  # type: ignore[union-attr]


def _parse_object(text: str) -> dict[str, Any]:
    """Parse the top-level object key by key, so that a failure can name its field.

    Each value is parsed by the C decoder; one nested deeper than it can go raises
    RecursionError, which is caught here and blamed on that value's key.
    """
    i = _skip(text, 0)
    if i == len(text):
        return {}
    if not text.startswith("{", i):
        try:
            _DECODER.raw_decode(text, i)
        except (ValueError, RecursionError):
            raise _bad_json() from None
        raise InvalidInput("The request body must be a JSON object", field="body")
    body: dict[str, Any] = {}
    i = _skip(text, i + 1)
    if text.startswith("}", i):
        i += 1
    else:
        while True:
            if not text.startswith('"', i):
                raise _bad_json()
            try:
                key, i = _DECODER.raw_decode(text, i)
            except ValueError:
                raise _bad_json() from None
            name = _printable_key(key)
            i = _skip(text, i)
            if not text.startswith(":", i):
                raise _bad_json()
            i = _skip(text, i + 1)
            try:
                body[key], i = _DECODER.raw_decode(text, i)
            except RecursionError:
                raise InvalidInput(
                    f"'{name}' is nested more than {MAX_DEPTH} levels deep", field=name
                ) from None
            except ValueError:
                raise _bad_json(f"'{name}' is not valid JSON", name) from None
            i = _skip(text, i)
            if text.startswith(",", i):
                i = _skip(text, i + 1)
            elif text.startswith("}", i):
                i += 1
                break
            else:
                raise _bad_json()
    if _skip(text, i) != len(text):
        raise _bad_json("The request body holds more than one JSON value")
    return body


def _printable_key(key: str) -> str:
    """A key as it may appear in a message: short, and encodable (no lone surrogates)."""
    short = key[:MAX_KEY_LENGTH]
    return short.encode("utf-8", "backslashreplace").decode("utf-8")


def _has_lone_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_structure(body: Any, *, surrogates: bool = True) -> None:
    """Depth, key length, Unicode and number limits, in one pass without recursion; the
    number of values was bounded before parsing (`count_values`).

    Only lists and objects are pushed; scalars are looked at in the loop over their
    container, so a list of 20,000 numbers costs one comparison each. Lone surrogates can
    only come from `\\uD800`-style escapes: `surrogates=False` says the text had none.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(body, ())]
    while stack:
        value, path = stack.pop()
        if value and len(path) >= MAX_DEPTH:
            raise InvalidInput(
                f"'{field_path(path[:MAX_DEPTH])}' is nested more than {MAX_DEPTH} levels deep",
                field=field_path(path[:1]),
            )
        if type(value) is dict:
            if value and max(map(len, value)) > MAX_KEY_LENGTH:
                _bad_key(path)
            if surrogates and any(map(_has_lone_surrogate, value)):
                _bad_key(path)
            members: Iterable[tuple[str | int, Any]] = value.items()
        else:
            members = enumerate(value)
        for key, item in members:
            kind = type(item)
            if kind is dict or kind is list:
                stack.append((item, (*path, key)))
            elif kind is float:
                if not math.isfinite(item):
                    where = field_path((*path, key))
                    raise InvalidInput(f"'{where}' is out of range", field=where)
            elif kind is str and surrogates and _has_lone_surrogate(item):
                where = field_path((*path, key))
                raise InvalidInput(
                    f"'{where}' contains an invalid character (a lone UTF-16 surrogate)",
                    field=where,
                )


def _bad_key(path: tuple[str | int, ...]) -> None:
    where = field_path(path)
    raise InvalidInput(
        f"'{where}' has a key that is longer than {MAX_KEY_LENGTH} characters "
        "or holds an invalid character",
        field=where,
    )


# ---- schemas --------------------------------------------------------------------------------
def load_document() -> dict[str, Any]:
    return yaml.safe_load(files("reana_openbis_lab").joinpath("openapi.yaml").read_text())


def to_json_schema(schema: Any, document: Mapping[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """An OpenAPI 3.0 schema as plain Draft 4 JSON Schema: `$ref` inlined, `nullable` as a
    type, size keywords ordered first. Request schemas are not recursive; a cycle is refused."""
    if isinstance(schema, list):
        return [to_json_schema(item, document, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen:
            raise ValueError(f"recursive request schema {ref}")
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return to_json_schema(target, document, (*seen, ref))
    converted = {
        key: (
            value
            if key in ("enum", "required", "default", "example")
            else to_json_schema(value, document, seen)
        )
        for key, value in schema.items()
        if key != "nullable"
    }
    if schema.get("nullable"):
        kind = converted.get("type")
        if isinstance(kind, str):
            converted["type"] = [kind, "null"]
        elif kind is None:
            converted = {"anyOf": [{"type": "null"}, converted]}
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
    ordered = {key: converted[key] for key in KEYWORD_ORDER if key in converted}
    ordered.update((key, value) for key, value in converted.items() if key not in ordered)
    return ordered


# jsonschema's own keyword functions put repr(instance) into each error's message: for a
# 1 MB string or a list of 100,000 items that is megabytes of text built for nothing (our
# answers never echo the input). These yield the same errors with a fixed message.
def _type(validator: Any, types: Any, instance: Any, schema: Any) -> Iterable[ValidationError]:
    kinds = types if isinstance(types, list) else [types]
    if not any(validator.is_type(instance, kind) for kind in kinds):
        yield ValidationError("wrong type")


def _enum(validator: Any, choices: Any, instance: Any, schema: Any) -> Iterable[ValidationError]:
    if not any(type(c) is type(instance) and c == instance for c in choices):
        yield ValidationError("not one of the choices")


def _size(kind: str, compare: Any) -> Any:
    def check(validator: Any, limit: Any, instance: Any, schema: Any) -> Iterable[ValidationError]:
        if validator.is_type(instance, kind) and compare(len(instance), limit):
            yield ValidationError("wrong size")

    return check


def _alternatives(exactly_one: bool) -> Any:
    def check(
        validator: Any, options: Any, instance: Any, schema: Any
    ) -> Iterable[ValidationError]:
        fitting = sum(1 for o in options if validator.evolve(schema=o).is_valid(instance))
        if fitting == 0 or (exactly_one and fitting > 1):
            yield ValidationError("matches none of the allowed forms")

    return check


def _required(validator: Any, names: Any, instance: Any, schema: Any) -> Iterable[ValidationError]:
    """One error per missing key, its path ending in that key (for `explain`)."""
    if validator.is_type(instance, "object"):
        for name in names:
            if name not in instance:
                yield ValidationError("required", path=[name])


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterable[ValidationError]:
    if validator.is_type(instance, "string") and not re.search(pattern, instance):
        yield ValidationError("does not match the pattern")


RequestValidator = validators.extend(
    Draft4Validator,
    {
        "type": _type,
        "enum": _enum,
        "maxLength": _size("string", lambda size, limit: size > limit),
        "minLength": _size("string", lambda size, limit: size < limit),
        "maxItems": _size("array", lambda size, limit: size > limit),
        "minItems": _size("array", lambda size, limit: size < limit),
        "maxProperties": _size("object", lambda size, limit: size > limit),
        "anyOf": _alternatives(exactly_one=False),
        "oneOf": _alternatives(exactly_one=True),
        "pattern": _pattern,
        "required": _required,
    },
)


def _validator(schema: Any, document: Mapping[str, Any]) -> Any:
    converted = to_json_schema(schema, document)
    Draft4Validator.check_schema(converted)
    return RequestValidator(converted)


TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def unknown_keys(
    path: tuple[str | int, ...], instance: Mapping[str, Any], known: Mapping[str, Any]
) -> InvalidInput:
    """Every unknown key of one object named (a typo otherwise does nothing), with the keys
    the object takes, so the typo is seen at once. Keys are short (MAX_KEY_LENGTH)."""
    extra = sorted(k for k in instance if k not in known)
    named = [field_path((*path, key)) for key in extra[:MAX_NAMED_KEYS]]
    listing = ", ".join(f"'{name}'" for name in named)
    if len(extra) > len(named):
        listing += f" and {len(extra) - len(named)} more"
    message = f"Unknown field{'s' if len(extra) > 1 else ''} {listing}"
    if known:
        message += f"; {field_path(path) if path else 'the body'} takes: {', '.join(known)}"
    return InvalidInput(message, field=named[0] if named else field_path(path))


def explain(error: ValidationError, prefix: tuple[str | int, ...] = ()) -> InvalidInput:
    """The first schema violation as a 400 naming the field, in words (never echoing input)."""
    path = (*prefix, *error.absolute_path)
    kind = error.validator
    limit: Any = error.validator_value  # the keyword's value in the schema: any JSON value
    instance = error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}  # not a true/false schema
    if kind == "required":  # `_required` put the missing key at the end of the path
        where = field_path(path)
        return InvalidInput(f"'{where}' is required", field=where)
    if kind == "additionalProperties" and isinstance(instance, dict):
        return unknown_keys(path, instance, schema.get("properties", {}))
    where = field_path(path)
    if kind == "type":
        kinds = limit if isinstance(limit, list) else [limit]
        words = " or ".join(TYPE_WORDS.get(str(k), str(k)) for k in kinds)
        message = f"'{where}' must be {words}"
    elif kind == "maxLength":
        message = f"'{where}' must be at most {limit} characters long"
    elif kind == "minLength":
        message = (
            f"'{where}' must not be empty"
            if limit == 1
            else (f"'{where}' must be at least {limit} characters long")
        )
    elif kind == "maxItems":
        message = f"'{where}' may list at most {limit} items"
    elif kind == "minItems":
        message = f"'{where}' must list at least {limit} item{'s' if limit != 1 else ''}"
    elif kind == "maxProperties":
        message = f"'{where}' may have at most {limit} entries"
    elif kind == "enum":
        choices = ", ".join(str(c) for c in limit if c is not None)
        message = f"'{where}' must be one of: {choices}"
    elif kind == "minimum":
        message = f"'{where}' must be at least {limit}"
    elif kind == "maximum":
        message = f"'{where}' must be at most {limit}"
    elif kind == "pattern":
        hint = schema.get("description")
        message = f"'{where}' is not in the expected form" + (f" ({hint})" if hint else "")
    elif kind in ("anyOf", "oneOf"):
        message = f"'{where}' has a type or form that is not allowed here"
    else:
        message = f"'{where}' is not valid here"
    return InvalidInput(message, field=where)


# ---- operations -----------------------------------------------------------------------------
@dataclass
class QueryParameter:
    name: str
    kind: str
    required: bool
    default: Any
    validator: Any


@dataclass
class Operation:
    """The validators of one documented route and method."""

    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, QueryParameter] = field(default_factory=dict)
    body: Any = None

    def check_path(self, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            validator = self.path.get(name)
            if validator is not None:
                error = next(validator.iter_errors(value), None)
                if error is not None:
                    raise explain(error, (name,))

    def check_query(self, arguments: Mapping[str, list[bytes]]) -> dict[str, Any]:
        """Decoded, converted and checked query values, with the documented defaults."""
        checked: dict[str, Any] = {}
        for raw_name, values in arguments.items():
            name = raw_name if isinstance(raw_name, str) else raw_name.decode("latin-1")
            if name in JUPYTER_QUERY:
                continue
            parameter = self.query.get(name)
            if parameter is None:
                shown = _printable_key(name)
                raise InvalidInput(f"Unknown query parameter '{shown}'", field=shown)
            if len(values) > 1:
                raise InvalidInput(f"'{name}' is given more than once", field=name)
            try:
                text = values[0].decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput(f"'{name}' is not UTF-8 text", field=name) from None
            if text == "":
                continue
            value = _convert(parameter, text)
            error = next(parameter.validator.iter_errors(value), None)
            if error is not None:
                raise explain(error, (name,))
            checked[name] = value
        for name, parameter in self.query.items():
            if name not in checked:
                if parameter.required:
                    raise InvalidInput(f"'{name}' is required", field=name)
                checked[name] = copy.deepcopy(parameter.default)
        return checked

    def check_body(self, raw: bytes) -> dict[str, Any]:
        body = parse_body(raw)
        if self.body is None:
            if body:
                raise InvalidInput("This route takes no request body", field="body")
            return body
        found = list(itertools.islice(self.body.iter_errors(body), MAX_REPORTED))
        # What was sent wrong is named before what was left out.
        found.sort(key=lambda error: error.validator == "required")
        problems = FieldErrors()
        for error in found:
            problem = explain(error)
            problems.add(problem.field or "body", problem.message)
        problems.raise_if_any()
        return body


def _convert(parameter: QueryParameter, text: str) -> Any:
    if parameter.kind == "integer":
        if len(text) > MAX_INTEGER_TEXT or not _INTEGER_TEXT.fullmatch(text):
            raise InvalidInput(f"'{parameter.name}' must be an integer", field=parameter.name)
        return int(text)
    if parameter.kind == "boolean":
        word = text.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise InvalidInput(f"'{parameter.name}' must be true or false", field=parameter.name)
    return text


def build_operation(document: Mapping[str, Any], template: str, method: str) -> Operation:
    item = document["paths"][template]
    spec = item[method]
    parameters: dict[tuple[str, str], dict[str, Any]] = {}
    for parameter in (*item.get("parameters", ()), *spec.get("parameters", ())):
        parameter = to_json_schema(parameter, document)
        parameters[(parameter["name"], parameter["in"])] = parameter
    operation = Operation()
    for (name, where), parameter in parameters.items():
        schema = parameter.get("schema", {})
        if where == "path":
            operation.path[name] = _validator(schema, document)
        elif where == "query":
            operation.query[name] = QueryParameter(
                name=name,
                kind=schema.get("type", "string"),
                required=bool(parameter.get("required")),
                default=schema.get("default"),
                validator=_validator(schema, document),
            )
    body = spec.get("requestBody")
    if body is not None:
        body = to_json_schema(body, document)
        operation.body = _validator(body["content"]["application/json"]["schema"], document)
    return operation


class Contract:
    """Every operation's validators, keyed by (handler class, HTTP method)."""

    def __init__(self, document: Mapping[str, Any]):
        self.document = document
        self.operations: dict[tuple[type, str], Operation] = {}

    def register(self, template: str, handler: type, methods: Iterable[str]) -> None:
        """Build the validators of `handler`'s methods; an undocumented one fails start-up."""
        for method in methods:
            if method not in self.document["paths"].get(template, {}):
                raise LookupError(f"{method.upper()} {template} is not in openapi.yaml")
            self.operations[(handler, method)] = build_operation(self.document, template, method)

    def operation(self, handler: type, method: str) -> Operation:
        return self.operations[(handler, method)]


def route_to_template(pattern: str) -> str:
    """`/jobs/(?P<job_id>[0-9a-f]{32})` -> `/jobs/{job_id}` (also for nested groups)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):
            name_end = pattern.index(">", i)
            name = pattern[i + 4 : name_end]
            depth, j = 1, name_end + 1
            while depth:
                if pattern[j - 1] != "\\":
                    depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                j += 1
            out.append("{" + name + "}")
            i = j
        else:
            out.append(pattern[i])
            i += 1
    return re.sub(r"\\(.)", r"\1", "".join(out)).rstrip("$")
