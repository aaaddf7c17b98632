"""The Jupyter server process hosts other extensions too: ours changes nothing process-wide.

pybis runs in the lab worker; in the server's own process `requests` stays the library's
own, no pybis module gets a `print` of ours, and no warning filter or logger filter of ours
is added, even after logging in without certificate checks, browsing, downloading and
uploading (the moments that used to install them).
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import logging
import sys
import warnings
from pathlib import Path
from typing import Any

import requests

from reana_openbis_lab.jobs import JobManager

from .transfer_fixtures import (  # noqa: F401
    CONNECTION,
    Seeded,
    extension_config,
    finished,
    jobs,
    openbis,
    seeded,
)

OURS = "reana_openbis_lab"
COLLECTION = "/LAB_A/MICROSCOPY/IMAGING_2024"


def our_logger_filters() -> list[str]:
    """Filters of ours on loggers that are not ours (each would see everyone's records)."""
    loggers = [logging.getLogger()] + [
        logger
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and not name.startswith(OURS)
    ]
    return [
        f"{logger.name}: {type(f).__qualname__}"
        for logger in loggers
        for f in logger.filters
        if type(f).__module__.startswith(OURS)
    ]


async def test_nothing_process_wide_is_patched(
    api, jobs: JobManager, seeded: Seeded, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given the warning filters as they were once the server had started
    filters_before = list(warnings.filters)
    # When a connection without certificate checks logs in, browses, downloads and uploads
    status, _ = await api(
        "POST",
        "openbis/connections",
        {
            "name": "unchecked",
            "url": rol_sandbox.openbis_url,
            "username": "alice",
            "verifyCertificates": False,
        },
    )
    assert status == 201
    login = {"password": rol_sandbox.openbis_users["alice"]}
    status, _ = await api("POST", "openbis/connections/unchecked/login", login)
    assert status == 200
    status, _ = await api("GET", "openbis/connections/unchecked/spaces")
    assert status == 200
    status, job = await api(
        "POST",
        "openbis/downloads",
        {"connection": CONNECTION, "permId": seeded.raw_measurement_1, "destination": ""},
    )
    assert status == 202
    assert (await finished(jobs, job["id"])).state.value == "done"
    (jp_root_dir / "result.txt").write_text("42\n")
    status, job = await api(
        "POST",
        "openbis/uploads",
        {
            "connection": CONNECTION,
            "paths": ["result.txt"],
            "datasetType": "ANALYZED_DATA",
            "target": {"kind": "collection", "id": COLLECTION},
            "properties": {"$NAME": "Result"},
        },
    )
    assert status == 202
    done = await finished(jobs, job["id"])
    assert done.state.value == "done", done.error
    # Then requests is the library's own
    request = requests.Session.request
    assert request.__module__ == "requests.sessions" and not hasattr(request, "__wrapped__")
    # And no pybis module has a `print` of ours (pybis is not even imported by the server)
    pybis_modules = [m for n, m in sys.modules.items() if n == "pybis" or n.startswith("pybis.")]
    assert [m.__name__ for m in pybis_modules if "print" in vars(m)] == []
    # And no warning filter and no filter on another logger was added
    assert list(warnings.filters) == filters_before
    assert not any("Unverified HTTPS" in str(f[1]) for f in warnings.filters)
    assert our_logger_filters() == []
