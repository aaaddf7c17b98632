"""Value matchers of openBIS search criteria: the `fieldValue` part of a leaf.

String matchers compare case-insensitively (as openBIS does for codes and properties)
and honour `useWildcards`; number and date matchers parse the stored string values, and a
date given without a time compares at day precision.
"""

from __future__ import annotations

import fnmatch
import re
from datetime import datetime, timezone
from typing import Any


def short_type(node: dict[str, Any]) -> str:
    return str(node.get("@type", "")).rsplit(".", 1)[-1]


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def _parse_date(text: str) -> tuple[datetime, str] | None:
    for fmt in _DATE_FORMATS:
        try:
            moment = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment, fmt
    return None


def _as_number(text: Any) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def compare(actual: Any, node: dict[str, Any], *, case_insensitive: bool = True) -> bool:
    """Apply the node's fieldValue matcher (StringEqualToValue, NumberGreaterThanValue, ...)."""
    field_value = node.get("fieldValue")
    if isinstance(field_value, dict):
        matcher = short_type(field_value)
        expected = field_value.get("value")
    else:
        matcher, expected = "StringEqualToValue", field_value
    if matcher == "AnyStringValue":
        return actual is not None
    if expected is None:
        # pybis sends `Code = null` for "all property types"; openBIS applies no condition.
        return True
    if actual is None:
        return False
    if matcher.startswith("Number"):
        return _compare_numbers(matcher, _as_number(actual), _as_number(expected))
    if matcher.startswith("Date"):
        return _compare_dates(matcher, str(actual), expected)
    return _compare_strings(
        matcher, str(actual), str(expected), bool(node.get("useWildcards")), case_insensitive
    )


def _compare_numbers(matcher: str, actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return False
    return {
        "NumberEqualToValue": actual == expected,
        "NumberGreaterThanValue": actual > expected,
        "NumberGreaterThanOrEqualToValue": actual >= expected,
        "NumberLessThanValue": actual < expected,
        "NumberLessThanOrEqualToValue": actual <= expected,
    }.get(matcher, False)


def _compare_dates(matcher: str, actual: str, expected: Any) -> bool:
    if isinstance(expected, (int, float)):
        expected = datetime.fromtimestamp(expected / 1000, tz=timezone.utc).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
    parsed_actual = _parse_date(actual)
    parsed_expected = _parse_date(str(expected))
    if parsed_actual is None or parsed_expected is None:
        return False
    moment, _ = parsed_actual
    bound, fmt = parsed_expected
    if fmt == "%Y-%m-%d":
        moment = moment.replace(hour=0, minute=0, second=0)
    if "Earlier" in matcher:
        return moment <= bound
    if "Later" in matcher:
        return moment >= bound
    return moment == bound


def _compare_strings(
    matcher: str, actual: str, expected: str, wildcards: bool, case_insensitive: bool
) -> bool:
    if case_insensitive:
        actual, expected = actual.lower(), expected.lower()
    if matcher in ("StringEqualToValue", "StringMatchesValue"):
        if wildcards and any(ch in expected for ch in "*?"):
            return re.fullmatch(fnmatch.translate(expected), actual, re.DOTALL) is not None
        return actual == expected
    return {
        "StringContainsValue": expected in actual,
        "StringContainsExactlyValue": expected in actual,
        "StringStartsWithValue": actual.startswith(expected),
        "StringEndsWithValue": actual.endswith(expected),
        "StringGreaterThanValue": actual > expected,
        "StringGreaterThanOrEqualToValue": actual >= expected,
        "StringLessThanValue": actual < expected,
        "StringLessThanOrEqualToValue": actual <= expected,
    }.get(matcher, False)
