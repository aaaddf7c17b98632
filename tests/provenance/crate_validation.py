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


#: RECOMMENDED checks a crate of ours cannot meet, and why. Any other recommended check
#: that fails is a test failure.
UNMET_RECOMMENDATIONS = {
    # The validator asks it of the types' own IRIs (ComputationalWorkflow, SoftwareSourceCode)
    "process-run-crate-0.5_5.1",
    # Bioschemas' ComputationalWorkflow wants creators, dates and licences a spec does not say
    "workflow-ro-crate-1.0_8.1",
    # Who publishes a crate exported in JupyterLab is no organisation the extension knows
    "ro-crate-1.1_22.3",
    # Outputs are referenced at the REANA workspace, which needs the user's token (and the
    # tests run offline)
    "ro-crate-1.1_28.1",
    # openBIS datasets are identified by their page in the ELN, an address with a query that
    # a trailing / would break
    "ro-crate-1.1_26.1",
    # The REANA user's organisation is not known to REANA or openBIS
    "ro-crate-1.1_30.2",
    "ro-crate-1.1_30.3",
}


def validation_issues(crate: Path, cache: Path, severity: str = "REQUIRED") -> list[str]:
    """Every check of the profile at `severity` or above that fails (empty: it conforms)."""
    _warm(cache)
    settings = ValidationSettings(
        rocrate_uri=str(crate),
        profile_identifier=PROFILE,
        requirement_severity=severity,
        offline=True,
        skip_availability_check=True,
        cache_path=str(cache),
    )
    result = services.validate(settings)
    return [f"{i.check.identifier}: {i.message}" for i in result.get_issues()]


def unexpected_recommendations(
    crate: Path, cache: Path, also_unmet: frozenset[str] = frozenset()
) -> list[str]:
    """The RECOMMENDED checks that fail and are not in UNMET_RECOMMENDATIONS (or `also_unmet`)."""
    return [
        issue
        for issue in validation_issues(crate, cache, "RECOMMENDED")
        if issue.split(":", 1)[0] not in UNMET_RECOMMENDATIONS | also_unmet
    ]
