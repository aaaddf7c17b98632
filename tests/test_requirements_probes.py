"""The kernel answers are parsed strictly: what a kernel says ends up in files pip will read."""

from __future__ import annotations

import json

import pytest

from reana_openbis_lab.errors import InvalidInput, UpstreamError
from reana_openbis_lab.requirements.probes import (
    PYTHON_EXPRESSION,
    language_of,
    parse_python_reply,
    parse_r_output,
)


def test_r_output_becomes_sorted_pinned_lines_and_a_runtime() -> None:
    # Given what the R snippet prints (stray output of user hooks included)
    stdout = "RUNTIME\t4.3.1\nPKG\tggplot2\t3.4.4\nPKG\tdata.table\t1.14.10\nLoading...\n"

    # When parsed
    environment = parse_r_output(stdout)

    # Then
    assert environment.runtime == "r-4.3.1"
    assert environment.packages == ("data.table==1.14.10", "ggplot2==3.4.4")
    assert environment.runtime_text() == "r-4.3.1\n"


def test_r_output_without_a_version_is_an_upstream_error() -> None:
    with pytest.raises(UpstreamError):
        parse_r_output("PKG\tx\t1\n")


def test_python_expression_evaluates_to_this_interpreters_environment() -> None:
    # Given the expression the kernel evaluates, evaluated here as a kernel would
    text = repr(eval(PYTHON_EXPRESSION))  # noqa: S307 - our own constant

    # When parsed from a user_expressions reply
    environment = parse_python_reply(
        {"user_expressions": {"environment": {"status": "ok", "data": {"text/plain": text}}}}
    )

    # Then it names this interpreter and at least pytest
    assert environment.language == "python"
    assert any(line.lower().startswith("pytest==") for line in environment.packages)
    assert json.loads(eval(text))["runtime"] == environment.runtime  # noqa: S307


def test_a_kernel_smuggling_a_second_line_is_refused() -> None:
    payload = json.dumps({"runtime": "python-3.12.1", "packages": ["x==1\n--index-url http://e"]})
    reply = {
        "user_expressions": {"environment": {"status": "ok", "data": {"text/plain": repr(payload)}}}
    }
    with pytest.raises(UpstreamError, match="control characters"):
        parse_python_reply(reply)


def test_only_python_and_r_kernels_are_supported() -> None:
    assert language_of({"content": {"language_info": {"name": "python"}}}) == "python"
    assert language_of({"content": {"language_info": {"name": "R"}}}) == "r"
    with pytest.raises(InvalidInput):
        language_of({"content": {"language_info": {"name": "julia"}}})
