"""Memory of the Jupyter server over a sequence of transfers: how much it grows, and what stays.

For each run, a fresh Jupyter server with the extension (same presets as the others), then 5
transfers one after the other: download, upload, download, upload, download (the openBIS
sandbox's 120 MB dataset; the upload file of bench_openbis_upload, 1 GiB unless `--upload-mib`).
Its resident set size (VmRSS of /proc/<pid>/status, Linux) is read every 20 ms from a thread of
this process.

Figures (median over runs): peak growth over the sequence, from the RSS after start (goal <= 64 MiB),
and what remains SETTLE_SECONDS after the last transfer (goal <= 16 MiB). No reference: nothing
else does the same job inside a Jupyter server. Reported beside them: the peak RSS of the server's
child processes (the lab worker, where pybis runs and the bytes move).
Run alone: `.venv/bin/python bench/bench_memory.py [--runs 3]`.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

import httpx
from bench_openbis_download import biggest_dataset, clean_up, pybis_client, start_download
from bench_openbis_upload import free_disk, payload, upload_through_extension
from figures import Figure
from harness import Context, Jupyter, start_jupyter, stop, wait_for_job

SETTLE_SECONDS = 3.0
PEAK_GOAL_MIB = 64.0
REMAINING_GOAL_MIB = 16.0


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def children_rss_mib(pid: int) -> float:
    """The RSS of `pid`'s child processes together (0 while it has none)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                total += rss_mib(int(entry.name))
        except (OSError, RuntimeError, ValueError):
            continue
    return total


class PeakWatcher:
    """Reads a process's RSS (and its children's) every 20 ms in a thread, keeps the highest."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, rss_mib(pid)
        self.children_peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mib(self.pid))
            self.children_peak = max(self.children_peak, children_rss_mib(self.pid))

    def __enter__(self) -> PeakWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def download(jupyter: Jupyter, perm_id: str) -> None:
    job = wait_for_job(jupyter, start_download(jupyter, perm_id, "memory-download"), interval=0.1)
    clean_up(jupyter, job, "memory-download")


def one_sequence(context: Context, perm_id: str, run: int) -> tuple[float, float, float]:
    """(peak growth, remaining growth, children's peak) in MiB on a fresh server."""
    jupyter = start_jupyter(context.workdir / f"memory-{run}", context.openbis, context.reana)
    try:
        source = payload(context, jupyter)
        httpx.get(jupyter.api("/info"), headers=jupyter.headers, timeout=30).raise_for_status()
        baseline = rss_mib(jupyter.process.pid)
        with PeakWatcher(jupyter.process.pid) as watcher:
            for transfer in range(5):
                if transfer % 2 == 0:
                    download(jupyter, perm_id)
                else:
                    free_disk(context.openbis, [upload_through_extension(jupyter)], source)
            time.sleep(SETTLE_SECONDS)
            remaining = rss_mib(jupyter.process.pid) - baseline
        return watcher.peak - baseline, remaining, watcher.children_peak
    finally:
        stop(jupyter.process)


def figures(context: Context) -> list[Figure]:
    client = pybis_client(context.openbis)
    try:
        perm_id, _ = biggest_dataset(client)
    finally:
        client.logout()
    results = [one_sequence(context, perm_id, run) for run in range(context.runs)]
    peaks, remaining = [r[0] for r in results], [r[1] for r in results]
    children = [r[2] for r in results]
    return [
        Figure(
            "Jupyter server RSS growth over 5 transfers, peak",
            "MiB",
            statistics.median(peaks),
            goal=PEAK_GOAL_MIB,
            samples={"peak": peaks},
        ),
        Figure(
            f"Jupyter server RSS growth, {SETTLE_SECONDS:g} s after",
            "MiB",
            statistics.median(remaining),
            goal=REMAINING_GOAL_MIB,
            samples={"remaining": remaining},
        ),
        Figure(
            "lab worker RSS over 5 transfers, peak",
            "MiB",
            statistics.median(children),
            samples={"children": children},
        ),
    ]


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "memory", *sys.argv[1:]]))
