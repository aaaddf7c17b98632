"""roc-validator against the Workflow Run Crate profile, offline.

The validator reads a crate's JSON-LD context from the web (or from its HTTP cache in
offline mode, which `rocrate-validator cache warm` fills when there is a network). Tests
run without one, so the cache is filled here with the RO-Crate context ro-crate-py ships
(1.3), under the 1.1 address the crate names, with the one difference between the two
that matters to the profile's checks: 1.1 maps bioschemas terms to https://bioschemas.org/
where 1.3 uses https://bioschemas.org/terms/.
"""

from __future__ import annotations

import importlib.resources
import io
from pathlib import Path

import requests
import urllib3
from rocrate_validator import services
from rocrate_validator.models import ValidationSettings
from rocrate_validator.utils.http import HttpRequester

CONTEXT = "https://w3id.org/ro/crate/1.1/context"
PROFILE = "workflow-run-crate-0.5"


def _context_1_1() -> bytes:
    shipped = importlib.resources.files("rocrate").joinpath("data/ro-crate.jsonld").read_bytes()
    return shipped.replace(b"https://bioschemas.org/terms/", b"https://bioschemas.org/")


def _warm(cache: Path) -> None:
    requester = HttpRequester.initialize_cache(cache_path=str(cache), offline=False)
    body = _context_1_1()
    response = requests.Response()
    response.status_code = 200
    response._content = body
    response.url = CONTEXT
    response.encoding = "utf-8"
    response.headers["Content-Type"] = "application/ld+json"
    response.request = requests.Request("GET", CONTEXT).prepare()
    response.raw = urllib3.HTTPResponse(
        body=io.BytesIO(body),
        headers={"Content-Type": "application/ld+json"},
        status=200,
        preload_content=False,
        request_url=CONTEXT,
    )
    requester.session.cache.save_response(response)


def validation_issues(crate: Path, cache: Path) -> list[str]:
    """Every REQUIRED check of the profile that fails (empty: the crate conforms)."""
    _warm(cache)
    settings = ValidationSettings(
        rocrate_uri=str(crate),
        profile_identifier=PROFILE,
        requirement_severity="REQUIRED",
        offline=True,
        skip_availability_check=True,
        cache_path=str(cache),
    )
    result = services.validate(settings)
    return [f"{i.check.identifier}: {i.message}" for i in result.get_issues()]
