"""Event-loop latency of the Jupyter server while transfers run through it, vs the same transfers
done by other processes (the server then only answers the probe).

bench/probe.py, in its own process, asks `/api/status` and `/reana-openbis-lab/info` every 20 ms.
Phases, alternated and each repeated `--runs` times:

- idle: nothing else runs (IDLE_SECONDS);
- 2 downloads of the sandbox's biggest dataset (120 MB) at once: through the extension, by pybis
  (each in its own process, logged in before the probe starts), and by curl (a plain HTTP client,
  the least a download can cost; when curl is installed) straight from the data store server;
- one 1 GiB upload (`--upload-mib`) as a new dataset: through the extension, by pybis in its own
  process, and by bench/raw_upload.py (the same slices POSTed raw, the least an upload can cost);
- 3 downloads of a 100 MB REANA workspace file at once: through the extension, by the project's
  streaming REANA client in other processes, and by curl;
- one 1 GiB upload (`--upload-mib`) into a REANA workspace: through the extension, by the project's
  REANA client in another process, and by curl.

Figures: p99 latency, extension/reference for each reference (goal <= 1.05: the extension adds
nothing the bytes themselves do not cost on this machine), and the idle p99 (reported); p50, p99
and max of every run are in the JSON.
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
from typing import Any

from bench_openbis_download import (
    biggest_dataset,
    clean_up,
    file_url,
    pybis_client,
    start_download,
)
from bench_openbis_upload import (
    COLLECTION,
    RawUploads,
    free_disk,
    payload,
    ready_children,
    release_children,
    upload_through_extension,
)
from bench_reana_download import (
    LAB_CHILD,
    REMOTE_NAME,
    finish_extension_download,
    payload_workflow,
    start_extension_download,
    workspace_file_url,
)
from bench_reana_upload import (
    Landing,
    curl_command,
    finish_extension_upload,
    start_extension_upload,
    upload_workflow,
)
from figures import Figure, compared
from harness import Context, Jupyter, wait_for_job

PROBE = Path(__file__).with_name("probe.py")
IDLE_SECONDS = 3.0
DOWNLOADS = 2
REANA_TRANSFERS = 3

#: pybis in its own process: logs in, says `ready`, then downloads or uploads when told `go`.
PYBIS_CHILD = textwrap.dedent(
    """
    import sys, pybis
    mode, url, password, source, target = sys.argv[1:6]
    client = pybis.Openbis(url, verify_certificates=False,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True)
    client.login("alice", password, save_token=False)
    dataset = client.get_dataset(source) if mode == "download" else None
    print("ready", flush=True)
    if not sys.stdin.readline():  # the benchmark ended (or failed) before saying go
        sys.exit(1)
    if dataset is not None:
        dataset.download(destination=target, create_default_folders=False)
    else:
        created = client.new_dataset(type="RAW_DATA", collection=target, files=[source])
        created.save()
        print(created.permId, flush=True)
    client.logout()
    """
)

#: The project's REANA client uploading one file in its own process.
LAB_UPLOAD_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from reana_openbis_lab.reana.client import ReanaClient

    async def main(url, token, workflow, source):
        client = ReanaClient(url, token, timeout=120)
        try:
            await client.upload_file(workflow, Path(source).name, Path(source))
        finally:
            await client.aclose()

    asyncio.run(main(*sys.argv[1:5]))
    """
)

#: (what runs before the probe starts, what runs while it probes) for one way of doing a load
Way = tuple[Callable[[], Any], Callable[[Any], None]]


class PybisProcesses:
    """pybis transfers in their own processes, logged in before the probe starts."""

    def __init__(self, openbis: dict[str, Any], jobs: list[tuple[str, str, str]]) -> None:
        self.openbis, self.jobs = openbis, jobs

    def start(self) -> list[subprocess.Popen[str]]:
        commands = [
            [
                sys.executable,
                "-c",
                PYBIS_CHILD,
                mode,
                self.openbis["url"],
                self.openbis["users"]["alice"],
                source,
                target,
            ]
            for mode, source, target in self.jobs
        ]
        return ready_children(commands, "pybis")

    @staticmethod
    def go(children: list[subprocess.Popen[str]]) -> list[str]:
        """Start every child's transfer, wait for all; the permIds uploads printed."""
        return [
            name for out in release_children(children, "pybis transfer") for name in out.split()
        ]


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


def nothing() -> None:
    """Nothing to prepare before the probe starts."""


def figures(context: Context) -> list[Figure]:
    jupyter, openbis = context.jupyter, context.openbis
    client = pybis_client(openbis)  # its session is in the URL curl fetches: log out at the end
    try:
        perm_id, _ = biggest_dataset(client)
        return measure(context, jupyter, perm_id, file_url(client, perm_id))
    finally:
        client.logout()


def measure(context: Context, jupyter: Jupyter, perm_id: str, url: str) -> list[Figure]:
    openbis = context.openbis
    source = str(payload(context, jupyter))
    scratch = context.workdir / "event-loop"

    def downloads_through_extension() -> None:
        destinations = [f"loop-{index}" for index in range(DOWNLOADS)]
        jobs = [start_download(jupyter, perm_id, destination) for destination in destinations]
        for job_id, destination in zip(jobs, destinations, strict=True):
            clean_up(jupyter, wait_for_job(jupyter, job_id, interval=0.2), destination)
        shutil.rmtree(scratch, ignore_errors=True)

    def downloads_through_curl() -> None:
        scratch.mkdir(exist_ok=True)
        children = [
            subprocess.Popen(["curl", "-sSf", "-o", str(scratch / f"curl-{index}"), url])
            for index in range(DOWNLOADS)
        ]
        codes = [child.wait(timeout=600) for child in children]
        shutil.rmtree(scratch, ignore_errors=True)
        if any(codes):
            raise RuntimeError(f"a curl download failed with codes {codes}")

    reana, workflow = context.reana, payload_workflow(context)
    reana_url = workspace_file_url(context, workflow)

    def reana_through_extension() -> None:
        destinations = [f"loop-reana-{index}" for index in range(REANA_TRANSFERS)]
        jobs = [start_extension_download(jupyter, workflow, d) for d in destinations]
        for job_id, destination in zip(jobs, destinations, strict=True):
            finish_extension_download(jupyter, job_id, destination)

    def in_processes(commands: list[list[str]]) -> None:
        scratch.mkdir(exist_ok=True)
        children = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for command in commands]
        codes = [child.wait(timeout=600) for child in children]
        shutil.rmtree(scratch, ignore_errors=True)
        if any(codes):
            raise RuntimeError(f"a transfer in another process failed with codes {codes}")

    lab_client_commands = [
        [
            sys.executable,
            "-c",
            LAB_CHILD,
            reana["url"],
            reana["token"],
            workflow,
            REMOTE_NAME,
            str(scratch / f"lab-{index}"),
        ]
        for index in range(REANA_TRANSFERS)
    ]
    curl_commands = [
        ["curl", "-sSf", "-o", str(scratch / f"curl-{index}"), reana_url]
        for index in range(REANA_TRANSFERS)
    ]
    upload_target = upload_workflow(context)
    landing = Landing(context, upload_target, Path(source))

    def reana_upload(command: list[str] | None, way: str) -> None:
        if command is None:
            finish_extension_upload(jupyter, start_extension_upload(jupyter, upload_target))
        else:
            in_processes([command])
        landing.check(way)

    lab_upload = [
        sys.executable,
        "-c",
        LAB_UPLOAD_CHILD,
        reana["url"],
        reana["token"],
        upload_target,
        source,
    ]
    pybis_downloads = PybisProcesses(
        openbis, [("download", perm_id, str(scratch / f"pybis-{i}")) for i in range(DOWNLOADS)]
    )
    pybis_upload = PybisProcesses(openbis, [("upload", source, COLLECTION)])
    raw_upload = RawUploads(openbis, Path(source))
    scenarios: dict[str, dict[str, Way]] = {
        f"{DOWNLOADS} openBIS downloads": {
            "extension": (nothing, lambda _: downloads_through_extension()),
            "pybis": (pybis_downloads.start, pybis_downloads.go),
            **(
                {"curl": (nothing, lambda _: downloads_through_curl())}
                if shutil.which("curl")
                else {}
            ),
        },
        f"a {context.upload_mib} MiB openBIS upload": {
            "extension": (
                nothing,
                lambda _: free_disk(openbis, [upload_through_extension(jupyter)], Path(source)),
            ),
            "pybis": (
                pybis_upload.start,
                lambda children: free_disk(openbis, pybis_upload.go(children), Path(source)),
            ),
            "raw POST": (
                raw_upload.start,
                lambda children: free_disk(
                    openbis, [r["permId"] for r in raw_upload.go(children)], Path(source)
                ),
            ),
        },
        f"a {context.upload_mib} MiB REANA workspace upload": {
            "extension": (landing.clear, lambda _: reana_upload(None, "extension")),
            "lab client": (landing.clear, lambda _: reana_upload(lab_upload, "lab client")),
            **(
                {
                    "curl": (
                        landing.clear,
                        lambda _: reana_upload(
                            curl_command(context, upload_target, Path(source)), "curl"
                        ),
                    )
                }
                if shutil.which("curl")
                else {}
            ),
        },
        f"{REANA_TRANSFERS} REANA workspace downloads": {
            "extension": (nothing, lambda _: reana_through_extension()),
            "lab client": (nothing, lambda _: in_processes(lab_client_commands)),
            **(
                {"curl": (nothing, lambda _: in_processes(curl_commands))}
                if shutil.which("curl")
                else {}
            ),
        },
    }
    idle: list[list[float]] = []
    loaded: dict[str, dict[str, list[list[float]]]] = {
        scenario: {way: [] for way in ways} for scenario, ways in scenarios.items()
    }
    for run in range(context.runs):
        idle.append(probed(jupyter, lambda: time.sleep(IDLE_SECONDS)))
        for scenario, ways in scenarios.items():
            order = list(ways) if run % 2 == 0 else list(reversed(ways))
            for way in order:
                prepare, load = ways[way]
                prepared = prepare()
                loaded[scenario][way].append(probed(jupyter, lambda p=prepared, f=load: f(p)))
    figures = [idle_figure(idle)]
    for scenario, phases in loaded.items():
        figures.extend(loaded_figures(scenario, phases))
    return figures


def summary(runs: list[list[float]]) -> dict[str, list[float]]:
    return {
        label: [round(percentile(run, q), 2) for run in runs]
        for label, q in (("p50", 0.5), ("p99", 0.99), ("max", 1.0))
    }


def idle_figure(runs: list[list[float]]) -> Figure:
    p99 = [percentile(run, 0.99) for run in runs]
    return Figure(
        "event loop p99, idle",
        "ms",
        statistics.median(p99),
        samples={"idle": p99},
        note=json.dumps(summary(runs)),
    )


def loaded_figures(scenario: str, phases: dict[str, list[list[float]]]) -> list[Figure]:
    p99 = {way: [percentile(run, 0.99) for run in runs] for way, runs in phases.items()}
    note = json.dumps({way: summary(runs) for way, runs in phases.items()})
    return [
        compared(f"event loop p99 during {scenario}", "ms", p99, "extension", way, 1.05, note)
        for way in phases
        if way != "extension"
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "event-loop", *sys.argv[1:]]))
