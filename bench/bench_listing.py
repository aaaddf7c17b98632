"""First pages of big listings: through the extension vs the client a user would otherwise use, and
vs the one raw upstream request that page needs (the limit).

- openBIS: the first 50 datasets of /BENCH/LOAD/MANY (10,000 datasets) through
  `GET /openbis/connections/openbis/datasets`, vs pybis `get_datasets(collection=..., count=50)`
  (goal <= 1.0), vs one JSON-RPC `searchDataSets` POST of exactly the request the extension sends
  (goal <= 1.2);
- REANA: the first 20 of 5,000 workflow runs through `GET /reana/connections/default/workflows`
  vs one direct `GET /api/workflows` with the same parameters (goal <= 1.2).

Neither may grow with the total: the same first pages through the extension from a second pair of
sandboxes holding a tenth of the data (1,000 datasets, 500 runs), as connections added to the same
Jupyter server. Figures: first page at 10x the total / at 1x through the extension (goal <= 1.2),
the same of the direct upstream request (reported: growth the sandbox itself adds), and of the
extension's own time, extension minus direct (goal <= 1.2).

Every way keeps its HTTP connection open (as a browser and pybis do). One sample is the median of
`CALLS` calls after a warm-up; samples alternate between the ways.
Run alone: `.venv/bin/python bench/bench_listing.py [--runs 3]`.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from bench_openbis_download import pybis_client
from figures import Figure, alternate, compared
from harness import (
    OPENBIS_CONNECTION,
    OPENBIS_SCALE,
    REANA_CONNECTION,
    REANA_SCALE,
    Context,
    Jupyter,
)

from reana_openbis_lab.openbis import browse

COLLECTION = "/BENCH/LOAD/MANY"
OPENBIS_PAGE = 50
REANA_PAGE = 20
CALLS = 15
#: the smaller totals the first pages are compared with; "must not grow with the total"
TOTAL_FACTOR = 10
GROWTH_GOAL = 1.2
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
    page = browse.Page(count=OPENBIS_PAGE)
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
    name = f"openBIS first page ({OPENBIS_PAGE} of {OPENBIS_SCALE:,} datasets)"
    return [
        compared(name, "s", samples, "extension", "pybis", goal=1.0),
        compared(name, "s", samples, "extension", "JSON-RPC", goal=1.2),
    ]


def reana_figures(context: Context) -> list[Figure]:
    jupyter, reana = context.jupyter, context.reana
    url = jupyter.api(f"/reana/connections/{REANA_CONNECTION}/workflows")
    direct_params = reana_params(reana["token"])
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
    name = f"REANA first page ({REANA_PAGE} of {REANA_SCALE:,} runs)"
    return [compared(name, "s", samples, "extension", "GET", goal=1.2)]


def reana_params(token: str) -> dict[str, Any]:
    """The parameters the extension sends REANA for its first page (read from its client)."""
    return {
        "type": "batch",
        "page": 1,
        "size": REANA_PAGE,
        "sort": "desc",
        "include_progress": "true",
        "include_workspace_size": "true",
        "access_token": token,
    }


def add_openbis_connection(jupyter: Jupyter, name: str, openbis: dict[str, Any]) -> None:
    with httpx.Client(headers=jupyter.headers, timeout=60) as client:
        client.post(
            jupyter.api("/openbis/connections"),
            json={"name": name, "url": openbis["url"], "username": "alice"},
        ).raise_for_status()
        client.post(
            jupyter.api(f"/openbis/connections/{name}/login"),
            json={"password": openbis["users"]["alice"]},
        ).raise_for_status()


def add_reana_connection(jupyter: Jupyter, name: str, reana: dict[str, Any]) -> None:
    httpx.post(
        jupyter.api("/reana/connections"),
        json={"name": name, "url": reana["url"], "accessToken": reana["token"]},
        headers=jupyter.headers,
        timeout=60,
    ).raise_for_status()


def openbis_growth(context: Context) -> list[Figure]:
    """The first page of the 10,000-dataset collection vs of a 1,000-dataset one."""
    jupyter, small_total = context.jupyter, OPENBIS_SCALE // TOTAL_FACTOR
    small = context.openbis_sandbox(small_total)
    add_openbis_connection(jupyter, "openbis-small", small)
    clients = {"big": pybis_client(context.openbis), "small": pybis_client(small)}
    urls = {"big": context.openbis["url"], "small": small["url"]}
    connections = {"big": OPENBIS_CONNECTION, "small": "openbis-small"}
    ways: dict[str, Callable[[], float]] = {}
    with contextlib.ExitStack() as stack:
        lab = stack.enter_context(httpx.Client(headers=jupyter.headers, timeout=60))
        for size in ("big", "small"):
            raw = stack.enter_context(httpx.Client(base_url=urls[size], timeout=60))
            body = extension_request(clients[size].token)
            url = jupyter.api(f"/openbis/connections/{connections[size]}/datasets")

            def through_extension(url: str = url) -> None:
                reply = lab.get(url, params={"collection": COLLECTION, "count": OPENBIS_PAGE})
                reply.raise_for_status()
                assert len(reply.json()["items"]) == OPENBIS_PAGE

            def direct_json_rpc(raw: httpx.Client = raw, body: dict[str, Any] = body) -> None:
                reply = raw.post(AS_V3, json=body)
                reply.raise_for_status()
                assert len(reply.json()["result"]["objects"]) == OPENBIS_PAGE

            ways[f"extension {size}"] = sample(through_extension)
            ways[f"JSON-RPC {size}"] = sample(direct_json_rpc)
        try:
            samples = alternate(context.runs, ways)
        finally:
            for client in clients.values():
                client.logout()
    return growth_figures(
        f"openBIS first page, {OPENBIS_SCALE:,} vs {small_total:,} datasets", samples, "JSON-RPC"
    )


def reana_growth(context: Context) -> list[Figure]:
    """The first page of 5,000 workflow runs vs of 500."""
    jupyter, small_total = context.jupyter, REANA_SCALE // TOTAL_FACTOR
    small = context.reana_sandbox(small_total)
    add_reana_connection(jupyter, "reana-small", small)
    sandboxes = {"big": context.reana, "small": small}
    connections = {"big": REANA_CONNECTION, "small": "reana-small"}
    ways: dict[str, Callable[[], float]] = {}
    with contextlib.ExitStack() as stack:
        lab = stack.enter_context(httpx.Client(headers=jupyter.headers, timeout=60))
        for size, reana in sandboxes.items():
            raw = stack.enter_context(httpx.Client(base_url=reana["url"], timeout=60))
            params = reana_params(reana["token"])
            url = jupyter.api(f"/reana/connections/{connections[size]}/workflows")

            def through_extension(url: str = url) -> None:
                reply = lab.get(url, params={"page": 1, "size": REANA_PAGE})
                reply.raise_for_status()
                assert len(reply.json()["items"]) == REANA_PAGE

            def direct_get(raw: httpx.Client = raw, params: dict[str, Any] = params) -> None:
                reply = raw.get("/api/workflows", params=params)
                reply.raise_for_status()
                assert len(reply.json()["items"]) == REANA_PAGE

            ways[f"extension {size}"] = sample(through_extension)
            ways[f"GET {size}"] = sample(direct_get)
        samples = alternate(context.runs, ways)
    return growth_figures(
        f"REANA first page, {REANA_SCALE:,} vs {small_total:,} runs", samples, "GET"
    )


def growth_figures(name: str, samples: dict[str, list[float]], direct: str) -> list[Figure]:
    """At 10x the total / at 1x: through the extension (the goal), direct (reported: what the
    sandbox itself adds), and the extension's own time, extension minus direct (the part this
    project answers for when the sandbox, unlike a real server's indexes, grows): per run, the
    difference of that run's samples, below zero (noise) counted as zero."""
    own = {
        f"own {size}": [
            max(0.0, ours - theirs)
            for ours, theirs in zip(
                samples[f"extension {size}"], samples[f"{direct} {size}"], strict=True
            )
        ]
        for size in ("big", "small")
    }
    return [
        compared(
            f"{name}, extension", "s", samples, "extension big", "extension small", GROWTH_GOAL
        ),
        compared(
            f"{name}, {direct} direct", "s", samples, f"{direct} big", f"{direct} small", None
        ),
        compared(
            f"{name}, extension minus {direct}", "s", own, "own big", "own small", GROWTH_GOAL
        ),
    ]


def figures(context: Context) -> list[Figure]:
    return [
        *openbis_figures(context),
        *reana_figures(context),
        *openbis_growth(context),
        *reana_growth(context),
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "listing", *sys.argv[1:]]))
