"""First pages of big listings: through the extension vs the client a user would otherwise use, and
vs the one raw upstream request that page needs (the limit).

- openBIS: the first 50 datasets of /BENCH/LOAD/MANY (10,000 datasets) through
  `GET /openbis/connections/openbis/datasets`, vs pybis `get_datasets(collection=..., count=50)`
  (goal <= 1.0), vs one JSON-RPC `searchDataSets` POST of exactly the request the extension sends
  (goal <= 1.2);
- REANA: the first 20 of 5,000 workflow runs through `GET /reana/connections/default/workflows`
  vs one direct `GET /api/workflows` with the same parameters (goal <= 1.2).

Every way keeps its HTTP connection open (as a browser and pybis do). One sample is the median of
`CALLS` calls after a warm-up; samples alternate between the ways.
Run alone: `.venv/bin/python bench/bench_listing.py [--runs 3]`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from bench_openbis_download import pybis_client
from figures import Figure, alternate, compared
from harness import OPENBIS_CONNECTION, REANA_CONNECTION, Context

from reana_openbis_lab.openbis import browse

COLLECTION = "/BENCH/LOAD/MANY"
OPENBIS_PAGE = 50
REANA_PAGE = 20
CALLS = 15
AS_V3 = "/openbis/openbis/rmi-application-server-v3.json"


def sample(call: Callable[[], Any]) -> Callable[[], float]:
    """A sample: the median seconds of CALLS calls (after one warm-up call, not counted)."""

    def measure() -> float:
        call()
        times = []
        for _ in range(CALLS):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return measure


class _Recorder:
    """Stands in for pybis to capture the JSON-RPC request the extension makes for a page."""

    as_v3 = AS_V3

    def __init__(self, token: str) -> None:
        self.token = token
        self.request: dict[str, Any] | None = None

    def _post_request(self, resource: str, request: dict[str, Any]) -> dict[str, Any]:
        self.request = request
        return {"objects": [], "totalCount": 0}


def extension_request(token: str) -> dict[str, Any]:
    recorder = _Recorder(token)
    page = browse.Page.parse({"count": str(OPENBIS_PAGE)})
    browse.list_datasets(recorder, page, COLLECTION, None)
    assert recorder.request is not None
    return {"jsonrpc": "2.0", "id": "1", **recorder.request}


def openbis_figures(context: Context) -> list[Figure]:
    jupyter = context.jupyter
    client = pybis_client(context.openbis)
    body = extension_request(client.token)
    params = {"collection": COLLECTION, "count": OPENBIS_PAGE}
    url = jupyter.api(f"/openbis/connections/{OPENBIS_CONNECTION}/datasets")
    with (
        httpx.Client(headers=jupyter.headers, timeout=60) as lab,
        httpx.Client(base_url=context.openbis["url"], timeout=60) as raw,
    ):

        def through_extension() -> None:
            reply = lab.get(url, params=params)
            reply.raise_for_status()
            assert len(reply.json()["items"]) == OPENBIS_PAGE

        def direct_json_rpc() -> None:
            reply = raw.post(AS_V3, json=body)
            reply.raise_for_status()
            assert len(reply.json()["result"]["objects"]) == OPENBIS_PAGE

        def through_pybis() -> None:
            datasets = client.get_datasets(collection=COLLECTION, start_with=0, count=OPENBIS_PAGE)
            assert len(datasets) == OPENBIS_PAGE

        samples = alternate(
            context.runs,
            {
                "extension": sample(through_extension),
                "pybis": sample(through_pybis),
                "JSON-RPC": sample(direct_json_rpc),
            },
        )
    client.logout()
    name = f"openBIS first page ({OPENBIS_PAGE} of 10,000 datasets)"
    return [
        compared(name, "s", samples, "extension", "pybis", goal=1.0),
        compared(name, "s", samples, "extension", "JSON-RPC", goal=1.2),
    ]


def reana_figures(context: Context) -> list[Figure]:
    jupyter, reana = context.jupyter, context.reana
    url = jupyter.api(f"/reana/connections/{REANA_CONNECTION}/workflows")
    direct_params = {
        "type": "batch",
        "page": 1,
        "size": REANA_PAGE,
        "sort": "desc",
        "include_progress": "true",
        "include_workspace_size": "true",
        "access_token": reana["token"],
    }
    with (
        httpx.Client(headers=jupyter.headers, timeout=60) as lab,
        httpx.Client(base_url=reana["url"], timeout=60) as raw,
    ):

        def through_extension() -> None:
            reply = lab.get(url, params={"page": 1, "size": REANA_PAGE})
            reply.raise_for_status()
            assert len(reply.json()["items"]) == REANA_PAGE

        def direct_get() -> None:
            reply = raw.get("/api/workflows", params=direct_params)
            reply.raise_for_status()
            assert len(reply.json()["items"]) == REANA_PAGE

        samples = alternate(
            context.runs, {"extension": sample(through_extension), "GET": sample(direct_get)}
        )
    name = f"REANA first page ({REANA_PAGE} of 5,000 runs)"
    return [compared(name, "s", samples, "extension", "GET", goal=1.2)]


def figures(context: Context) -> list[Figure]:
    return [*openbis_figures(context), *reana_figures(context)]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "listing", *sys.argv[1:]]))
