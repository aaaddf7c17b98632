"""The load generator of test_load.py, run as its own process so that its work does not
share the server's event loop: N concurrent clients, each sending M seeded mixed requests.

Usage: python -m tests.hardening.load_client PLAN.json
PLAN: {"base": url ending in /reana-openbis-lab/, "token", "seed", "clients", "requests",
       "mix": [[weight, method, path, body-or-null], ...],
       "transfers": [[method, path, body-or-null], ...], "transfer_period": P}; `{n}` in a
path or body is the request's global number. Reads are drawn from the weighted mix; every
P-th request of a client (staggered between clients, see `is_transfer`) is the next of
`transfers` instead, so the number of heavy jobs is fixed, not left to chance. Prints one
JSON line: statuses, errors, latency percentiles (ms).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import Counter
from typing import Any

import httpx


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def is_transfer(client_number: int, i: int, period: int) -> bool:
    """Whether request `i` of a client is a transfer: one in `period`, at a position that
    differs between clients so that the transfers spread over the run."""
    return (i + client_number * 7) % period == period - 1


def transfer_numbers(clients: int, requests: int, period: int) -> list[int]:
    """The global numbers `{n}` of all transfer requests of a plan (their folders must exist)."""
    return [
        c * requests + i
        for c in range(clients)
        for i in range(requests)
        if is_transfer(c, i, period)
    ]


async def client(number: int, plan: dict[str, Any], http: httpx.AsyncClient, out: dict) -> None:
    rng = random.Random(plan["seed"] * 1000 + number)  # noqa: S311 - a seeded mix, not a secret
    weights = [m[0] for m in plan["mix"]]
    period = plan["transfer_period"]
    sent = 0
    for i in range(plan["requests"]):
        if is_transfer(number, i, period):
            method, template, body = plan["transfers"][(number + sent) % len(plan["transfers"])]
            sent += 1
        else:
            _, method, template, body = rng.choices(plan["mix"], weights)[0]
        kind = f"{method} {template.split('?')[0]}"
        n = str(number * plan["requests"] + i)
        path = template.replace("{n}", n)
        content = json.dumps(body).replace("{n}", n) if body is not None else None
        started = time.perf_counter()
        try:
            response = await http.request(method, plan["base"] + path, content=content)
            out["statuses"][f"{response.status_code} {kind}"] += 1
            if response.status_code >= 400:
                out["failures"].append([method, path, response.status_code, response.text[:300]])
        except httpx.HTTPError as exc:
            out["errors"].append([method, path, repr(exc)[:300]])
        elapsed = (time.perf_counter() - started) * 1000
        out["latencies"].append(elapsed)
        out["by_kind"].setdefault(kind, []).append(elapsed)


async def main(plan: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "statuses": Counter(),
        "failures": [],
        "errors": [],
        "latencies": [],
        "by_kind": {},
    }
    limits = httpx.Limits(
        max_connections=plan["clients"], max_keepalive_connections=plan["clients"]
    )
    headers = {"Authorization": f"token {plan['token']}"}
    started = time.perf_counter()
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=120) as http:
        await asyncio.gather(*(client(c, plan, http, out) for c in range(plan["clients"])))
    latencies = out.pop("latencies")
    out["p50_ms_by_kind"] = {
        kind: round(percentile(values, 0.5), 1)
        for kind, values in sorted(out.pop("by_kind").items())
    }
    return {
        **out,
        "requests": len(latencies),
        "seconds": round(time.perf_counter() - started, 2),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
    }


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(asyncio.run(main(json.load(handle)))))
