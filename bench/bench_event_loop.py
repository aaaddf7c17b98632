"""Event-loop latency of the Jupyter server while openBIS downloads run, vs the same downloads done by
pybis in other processes (the server then only answers the probe).

bench/probe.py, in its own process, asks `/api/status` and `/reana-openbis-lab/info` every 20 ms.
Phases, alternated and each repeated `--runs` times:

- idle: nothing else runs (IDLE_SECONDS);
- extension: 2 downloads of the sandbox's biggest dataset (120 MB) at once, through the extension;
- references: the same 2 downloads by pybis, each in its own process (logged in before the probe
  starts), and by curl (a plain HTTP client, the least a download can cost), fetching the file
  from the data store server directly (when curl is installed).

Figures: p99 latency, extension/reference for each reference (goal <= 1.05: the extension adds
nothing the bytes themselves do not cost on this machine), and the idle p99 (reported); p50 and max
are in the JSON.
Run alone: `.venv/bin/python bench/bench_event_loop.py [--runs 3]`.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from bench_openbis_download import (
    biggest_dataset,
    clean_up,
    file_url,
    pybis_client,
    start_download,
)
from figures import Figure, compared
from harness import Context, Jupyter, wait_for_job

PROBE = Path(__file__).with_name("probe.py")
IDLE_SECONDS = 3.0
DOWNLOADS = 2

#: pybis in its own process: logs in, says `ready`, downloads when told `go`.
PYBIS_CHILD = textwrap.dedent(
    """
    import sys, pybis
    url, password, perm_id, target = sys.argv[1:5]
    client = pybis.Openbis(url, verify_certificates=False,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True)
    client.login("alice", password, save_token=False)
    dataset = client.get_dataset(perm_id)
    print("ready", flush=True)
    sys.stdin.readline()
    dataset.download(destination=target, create_default_folders=False)
    client.logout()
    """
)


def probed(jupyter: Jupyter, load: Callable[[], None]) -> list[float]:
    """Latencies (ms) the probe saw while `load` ran."""
    probe = subprocess.Popen(
        [sys.executable, str(PROBE), jupyter.url, jupyter.token],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert probe.stdout is not None and probe.stdin is not None
    if probe.stdout.readline().strip() != "ready":
        raise RuntimeError("the probe did not start")
    try:
        load()
    finally:
        out, _ = probe.communicate(timeout=120)
    return json.loads(out)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def figures(context: Context) -> list[Figure]:
    jupyter, openbis = context.jupyter, context.openbis
    client = pybis_client(openbis)
    try:
        perm_id, _ = biggest_dataset(client)
        return measure(context, jupyter, perm_id, file_url(client, perm_id))
    finally:
        client.logout()


def measure(context: Context, jupyter: Jupyter, perm_id: str, url: str) -> list[Figure]:
    openbis = context.openbis

    def through_extension() -> None:
        destinations = [f"loop-{index}" for index in range(DOWNLOADS)]
        jobs = [start_download(jupyter, perm_id, destination) for destination in destinations]
        for job_id, destination in zip(jobs, destinations, strict=True):
            clean_up(jupyter, wait_for_job(jupyter, job_id, interval=0.2), destination)

    def ready_pybis_processes() -> list[subprocess.Popen[str]]:
        """Started and logged in before the probe starts, so only their downloads overlap it."""
        children = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    PYBIS_CHILD,
                    openbis["url"],
                    openbis["users"]["alice"],
                    perm_id,
                    str(context.workdir / f"loop-pybis-{index}"),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for index in range(DOWNLOADS)
        ]
        for child in children:
            assert child.stdout is not None
            if child.stdout.readline().strip() != "ready":
                raise RuntimeError("a pybis process did not log in")
        return children

    def through_pybis(children: list[subprocess.Popen[str]]) -> None:
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        for index, child in enumerate(children):
            child.communicate(timeout=600)
            shutil.rmtree(context.workdir / f"loop-pybis-{index}", ignore_errors=True)
            if child.returncode != 0:
                raise RuntimeError(f"a pybis download failed with code {child.returncode}")

    def through_curl() -> None:
        targets = [context.workdir / f"loop-curl-{index}" for index in range(DOWNLOADS)]
        children = [
            subprocess.Popen(["curl", "-sSf", "-o", str(target), url]) for target in targets
        ]
        codes = [child.wait(timeout=600) for child in children]
        for target in targets:
            target.unlink(missing_ok=True)
        if any(codes):
            raise RuntimeError(f"a curl download failed with codes {codes}")

    references = ["pybis", *(["curl"] if shutil.which("curl") else [])]
    phases: dict[str, list[list[float]]] = {"idle": [], "extension": []}
    phases.update({reference: [] for reference in references})
    for run in range(context.runs):
        phases["idle"].append(probed(jupyter, lambda: time.sleep(IDLE_SECONDS)))
        order = ["extension", *references]
        for phase in order if run % 2 == 0 else reversed(order):
            if phase == "extension":
                phases[phase].append(probed(jupyter, through_extension))
            elif phase == "curl":
                phases[phase].append(probed(jupyter, through_curl))
            else:
                children = ready_pybis_processes()
                phases[phase].append(probed(jupyter, lambda c=children: through_pybis(c)))

    p99 = {name: [percentile(run, 0.99) for run in runs] for name, runs in phases.items()}
    detail = {
        f"{name} {label}": [round(percentile(run, q), 2) for run in runs]
        for name, runs in phases.items()
        for label, q in (("p50", 0.5), ("max", 1.0))
    }
    loaded = [
        compared(
            f"event loop p99 during {DOWNLOADS} openBIS downloads",
            "ms",
            p99,
            "extension",
            reference,
            goal=1.05,
            note=json.dumps(detail),
        )
        for reference in references
    ]
    idle = Figure(
        "event loop p99, idle",
        "ms",
        statistics.median(p99["idle"]),
        samples={"idle": p99["idle"]},
        note=json.dumps({k: v for k, v in detail.items() if k.startswith("idle")}),
    )
    return [idle, *loaded]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "event-loop", *sys.argv[1:]]))
