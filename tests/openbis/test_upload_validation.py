"""The property rules of the upload form, without a server: what is accepted, converted, refused."""

from __future__ import annotations

import json

import pytest

from reana_openbis_lab.errors import FieldErrors, InvalidInput
from reana_openbis_lab.handlers import request_contract
from reana_openbis_lab.handlers.openbis_transfers import UploadsHandler
from reana_openbis_lab.handlers.typed import from_body
from reana_openbis_lab.openbis.upload_validation import (
    PropertySpec,
    UploadRequest,
    check_properties,
    convert_value,
)

SPECS = {
    "$NAME": PropertySpec("$NAME", "Name", "VARCHAR", mandatory=True),
    "COUNT": PropertySpec("COUNT", "Count", "INTEGER", mandatory=False),
    "TEMPERATURE": PropertySpec("TEMPERATURE", "Temperature", "REAL", mandatory=False),
    "OK": PropertySpec("OK", "Calibrated", "BOOLEAN", mandatory=False),
    "DAY": PropertySpec("DAY", "Day", "DATE", mandatory=False),
    "AT": PropertySpec("AT", "Measured at", "TIMESTAMP", mandatory=False),
    "DEVICE": PropertySpec(
        "DEVICE",
        "Device",
        "CONTROLLEDVOCABULARY",
        mandatory=False,
        terms=("MICROSCOPE", "SEQUENCER"),
    ),
}


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("COUNT", 12, 12),
        ("COUNT", " -3 ", -3),
        ("TEMPERATURE", "21.5", 21.5),
        ("TEMPERATURE", 4, 4.0),
        ("OK", "TRUE", True),
        ("OK", False, False),
        ("DAY", "2024-02-29", "2024-02-29"),
        ("AT", "2024-05-01 10:30:00", "2024-05-01 10:30:00"),
        ("AT", "2024-05-01T10:30", "2024-05-01 10:30:00"),
        ("AT", "2024-05-01T10:30:00+02:00", "2024-05-01 10:30:00 +0200"),
        ("DEVICE", "microscope", "MICROSCOPE"),
        ("$NAME", "anything", "anything"),
    ],
)
def test_form_values_become_what_pybis_sends(code: str, value: object, expected: object) -> None:
    assert convert_value(SPECS[code], value) == expected


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("COUNT", "12.5", "whole number"),
        ("COUNT", True, "whole number"),
        ("TEMPERATURE", "warm", "number"),
        ("TEMPERATURE", "nan", "number"),
        ("OK", "yes", "true or false"),
        ("DAY", "2024-02-30", "YYYY-MM-DD"),
        ("AT", "yesterday", "date and time"),
        ("DEVICE", "TOASTER", "MICROSCOPE, SEQUENCER"),
        ("$NAME", 5, "text"),
        ("$NAME", ["a"], "single value"),
    ],
)
def test_wrong_values_are_explained(code: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        convert_value(SPECS[code], value)


def test_every_problem_of_a_form_is_reported_at_once() -> None:
    # Given a form with a bad number, an unknown property, an empty mandatory one and a good one
    errors = FieldErrors()
    values = {"COUNT": "x", "NOPE": 1, "$NAME": "", "temperature": "1.5"}
    # When it is checked
    converted = check_properties(SPECS, values, errors)
    # Then the good value is converted (codes are case-insensitive) and all three faults listed
    assert converted == {"TEMPERATURE": 1.5}
    assert [e["field"] for e in errors.items] == [
        "properties.COUNT",
        "properties.NOPE",
        "properties.$NAME",
    ]
    with pytest.raises(InvalidInput) as raised:
        errors.raise_if_any()
    assert raised.value.field == "properties.COUNT"
    assert raised.value.details == errors.items
    assert "and 2 more problems" in raised.value.message


def upload_request(body: dict) -> UploadRequest:
    """What the handler gets: the body checked by the contract, then typed."""
    operation = request_contract().operation(UploadsHandler, "post")
    return from_body(UploadRequest, operation.check_body(json.dumps(body).encode()))


def test_a_malformed_body_names_each_bad_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        upload_request({"paths": "a.txt", "target": {"kind": "space"}, "properties": []})
    fields = {e["field"] for e in raised.value.details or []}
    assert fields == {
        "connection",
        "paths",
        "datasetType",
        "target.kind",
        "target.id",
        "properties",
    }


def test_a_good_body_is_normalised() -> None:
    request = upload_request(
        {
            "connection": "lab",
            "paths": ["a.txt"],
            "datasetType": "raw_data",
            "target": {"kind": "object", "id": "/S/P/O"},
            "parents": ["P-1"],
        }
    )
    assert (request.type_code, request.target.id, request.parents) == (
        "RAW_DATA",
        "/S/P/O",
        ("P-1",),
    )
    assert request.include_notebook is None
