"""The OpenAPI document is the contract: it must list exactly the routes the server registers."""

from __future__ import annotations

from importlib.resources import files

import yaml
from openapi_spec_validator import validate

from reana_openbis_lab.handlers import all_routes
from reana_openbis_lab.handlers.contract import route_to_template

METHODS = ("get", "post", "put", "patch", "delete")


def load_contract() -> dict:
    return yaml.safe_load(files("reana_openbis_lab").joinpath("openapi.yaml").read_text())


def registered_operations() -> set[tuple[str, str]]:
    """(path template, verb) for every verb a handler of ours defines itself."""
    from reana_openbis_lab.handlers.base import ApiHandler

    ops = set()
    for pattern, handler in all_routes():
        own = set()
        for cls in handler.__mro__:
            if cls is ApiHandler:
                break
            own.update(m for m in METHODS if m in cls.__dict__)
        ops.update((route_to_template(pattern), m) for m in own)
    return ops


def test_contract_is_valid_openapi() -> None:
    validate(load_contract())


def test_every_registered_route_is_documented_and_vice_versa() -> None:
    contract = load_contract()
    documented = {
        (path, m) for path, item in contract["paths"].items() for m in item if m in METHODS
    }
    registered = registered_operations()
    assert registered - documented == set(), "routes missing from openapi.yaml"
    assert documented - registered == set(), "openapi.yaml documents routes that do not exist"


def test_every_operation_has_an_id_and_error_responses_are_json() -> None:
    contract = load_contract()
    ids = [
        op["operationId"]
        for item in contract["paths"].values()
        for m, op in item.items()
        if m in METHODS
    ]
    assert len(ids) == len(set(ids))


async def test_contract_is_served(api) -> None:
    status, body = await api("GET", "openapi.yaml")
    assert status == 200
    assert yaml.safe_load(body)["openapi"].startswith("3.")
