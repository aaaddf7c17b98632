"""Profile the scenarios of the figures `make bench` missed, inside the running Jupyter server.

One command starts the sandboxes and a Jupyter server the way `make bench` does (bench/harness.py),
attaches py-spy to the server process (ptrace; no change to the server) and runs each scenario:

- `listing`: first page of the REANA workflow list through the extension, many times on one
  kept-alive connection, vs the direct GET to the REANA sandbox (timed in the same run). The
  server's main thread is sampled with idle time included, so samples / rate / requests is
  milliseconds per request, split into where the event loop spent them (auth, contract checks,
  the upstream call, JSON, waiting for the sandbox).
- `download`: the sandbox's biggest openBIS dataset through the extension, a few times, with
  native frames (CRC32, socket reads, file writes and waits for the GIL show up as C frames).
- `event-loop`: the probe of bench/bench_event_loop.py (its own process, every 20 ms) while 2
  openBIS downloads and then 3 REANA workspace downloads run through the extension; p50/p99 of
  the probe and, per server thread, what it did, including how often the event-loop thread was
  waiting for the GIL.

Writes, under bench/results/profiles/ (git-ignored): `<scenario>.collapsed.txt` (py-spy's raw
collapsed stacks; flamegraph.pl and https://www.speedscope.app read it), `<scenario>.speedscope.json`
and `<scenario>.summary.txt` (the top frames per thread, printed too).
Run: `.venv/bin/python bench/profile_misses.py [--only listing] [--rate 250]` (needs `pip install py-spy`).
py-spy needs ptrace on the server process (root, or kernel.yama.ptrace_scope 0, or
CAP_SYS_PTRACE); where that is refused it says so and exits: no profile is made up instead.
Wall times here are taken under the profiler on a shared machine: read the shares and the CPU
milliseconds, and take the figures themselves from `make bench`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from bench_event_loop import percentile, probed
from bench_openbis_download import biggest_dataset, clean_up, pybis_client, start_download
from bench_reana_download import (
    finish_extension_download,
    payload_workflow,
    start_extension_download,
)
from harness import REANA_CONNECTION, Context, Jupyter, wait_for_job

PROFILES = Path(__file__).parent / "results" / "profiles"
LISTING_REQUESTS = 400
LISTING_PAGE = 20
DOWNLOADS = 3
TOP = 25

#: Frames that mean "this thread waits to take the GIL back": CPython 3.11's take_gil waits on a
#: condition variable (locks and queues wait on semaphores instead, so this is the GIL only).
GIL_WAIT = re.compile(r"take_gil|pthread_cond_timedwait")
#: Frames that mean "blocked, waiting for work or for the network" (not using a core).
IDLE = re.compile(
    r"PyThread_acquire_lock_timed|select_epoll_poll|EpollSelector\.select|SimpleQueue_get"
)


# ---- py-spy ------------------------------------------------------------------------------------


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: `.venv/bin/pip install py-spy`")
    return found


@contextlib.contextmanager
def spying(pid: int, output: Path, rate: int, *, native: bool, idle: bool) -> Iterator[None]:
    """py-spy records `pid` and its children (the lab worker, where the bytes move) into `output`
    (collapsed stacks, one per thread and process) while the block runs."""
    command = [py_spy(), "record", "--pid", str(pid), "--rate", str(rate), "--threads"]
    command.append("--subprocesses")
    command += ["--format", "raw", "--output", str(output)]
    if native:
        command.append("--native")
    if idle:
        command.append("--idle")
    spy = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(1.0)  # attached and sampling before the load starts
    if spy.poll() is not None:
        raise SystemExit(f"py-spy could not attach to {pid}:\n{spy.communicate()[0]}")
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        try:
            log, _ = spy.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            spy.kill()
            log, _ = spy.communicate()
        if not output.exists():
            raise SystemExit(f"py-spy wrote no profile:\n{log}")


# ---- reading collapsed stacks ------------------------------------------------------------------


@dataclass
class Profile:
    rate: int
    #: thread group -> [(frames root..leaf, samples)]
    stacks: dict[str, list[tuple[list[str], int]]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path, rate: int) -> Profile:
        profile = cls(rate)
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            thread, *frames = stack.split(";")
            group = thread_group(thread)
            profile.stacks.setdefault(group, []).append(([tidy(f) for f in frames], int(count)))
        return profile

    def samples(self, group: str) -> int:
        return sum(count for _, count in self.stacks.get(group, []))


def thread_group(root: str) -> str:
    """`thread (1234): openbis-dl_0` -> `openbis-dl`; the job-id suffix and pool index dropped."""
    name = root.split(":", 1)[1].strip() if ":" in root else root
    return re.sub(r"([_-][0-9a-f]{8}|_\d+)$", "", name) or name


def tidy(frame: str) -> str:
    """`func (package/file.py:123)` -> `func (package/file.py)`: functions, not lines, add up."""
    return re.sub(r":\d+\)$", ")", frame)


def top_frames(stacks: list[tuple[list[str], int]], total: int, per: float, unit: str) -> list[str]:
    """The functions with most samples of their own (self), then those with most samples below
    them (inclusive) leaving out the common ancestors (>= 95 %); `per` converts samples to
    `unit` (e.g. ms per request)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, count in stacks:
        for frame in set(frames):
            inclusive[frame] += count
        if frames:
            own[frame_key(frames[-1])] += count
    lines = [f"  {'self %':>7} {unit:>11}  function (self time)"]
    for frame, count in own.most_common(TOP // 2):
        lines.append(f"  {100 * count / total:7.1f} {count * per:11.3f}  {frame}")
    lines.append(f"  {'incl %':>7} {unit:>11}  function (inclusive)")
    shown = [(f, c) for f, c in inclusive.most_common() if c < 0.95 * total][:TOP]
    for frame, count in shown:
        lines.append(f"  {100 * count / total:7.1f} {count * per:11.3f}  {frame}")
    return lines


def frame_key(frame: str) -> str:
    """Unnamed native frames (`0x7f... (libc.so.6)`) count as their library."""
    return re.sub(r"^0x[0-9a-f]+ ", "", frame)


def classify(
    stacks: list[tuple[list[str], int]], buckets: Sequence[tuple[str, str]]
) -> Counter[str]:
    """Samples per bucket: the first bucket whose pattern matches a frame of the stack, from the
    leaf up (so the most specific work wins), else `other`."""
    counts: Counter[str] = Counter()
    compiled = [(name, re.compile(pattern)) for name, pattern in buckets]
    for frames, count in stacks:
        counts[_bucket(frames, compiled)] += count
    return counts


def _bucket(frames: list[str], compiled: list[tuple[str, re.Pattern[str]]]) -> str:
    for frame in reversed(frames):
        for name, pattern in compiled:
            if pattern.search(frame):
                return name
    return "other"


def write_speedscope(profile: Profile, path: Path, name: str) -> None:
    """The collapsed stacks as speedscope's sampled format, one profile per thread group."""
    frames: dict[str, int] = {}
    profiles = []
    for group, stacks in sorted(profile.stacks.items()):
        samples, weights = [], []
        for stack, count in stacks:
            samples.append([frames.setdefault(f, len(frames)) for f in stack])
            weights.append(count / profile.rate)
        profiles.append(
            {
                "type": "sampled",
                "name": group,
                "unit": "seconds",
                "startValue": 0,
                "endValue": sum(weights),
                "samples": samples,
                "weights": weights,
            }
        )
    document = {
        "$schema": "https://www.speedscope.app/file-format-schema.json",
        "name": name,
        "exporter": "bench/profile_misses.py",
        "shared": {"frames": [{"name": f} for f in frames]},
        "profiles": profiles,
    }
    path.write_text(json.dumps(document))


def report(name: str, lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    (PROFILES / f"{name}.summary.txt").write_text(text)
    print(text, flush=True)


def threads_overview(profile: Profile) -> list[str]:
    total = sum(profile.samples(g) for g in profile.stacks) or 1
    lines = ["samples per thread group (busy time; waits for the GIL count as busy):"]
    for group in sorted(profile.stacks, key=profile.samples, reverse=True):
        count = profile.samples(group)
        lines.append(f"  {group:<32} {count:7d} ({100 * count / total:5.1f} %)")
    return lines


# ---- scenarios ---------------------------------------------------------------------------------

#: Where a request's time on the event-loop thread goes; first match from the leaf up wins.
LISTING_BUCKETS = (
    ("waiting (epoll: the REANA sandbox or the client)", r"epoll|EpollSelector\.select"),
    ("JSON encode/decode", r"^(dumps|loads|encode|decode|raw_decode|iterencode) \(.*json"),
    ("reshaping items (workflows.summary)", r"^summary \(.*workflows\.py\)"),
    ("OpenAPI contract checks", r"check_request|check_query|check_path|check_body"),
    ("httpx client (request build, send, parse)", r"httpx/|httpcore/|h11/|anyio/|sniffio/"),
    ("request log (tornado/jupyter log_request)", r"log_request|\(__init__\.py\).*log|emit"),
    ("auth (token, identity, authorization)", r"get_current_user|identity|authorized|_check_token"),
    ("tornado HTTP parsing/writing", r"tornado|http1connection|iostream"),
)


def profile_listing(context: Context, rate: int) -> None:
    jupyter, reana = context.jupyter, context.reana
    url = jupyter.api(f"/reana/connections/{REANA_CONNECTION}/workflows")
    direct_params = {
        "type": "batch",
        "page": 1,
        "size": LISTING_PAGE,
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
            lab.get(url, params={"page": 1, "size": LISTING_PAGE}).raise_for_status()

        def direct() -> None:
            raw.get("/api/workflows", params=direct_params).raise_for_status()

        sandbox = reana_sandbox_pid(context)
        timed: dict[str, list[float]] = {"extension": [], "direct": []}
        cpu: dict[str, list[float]] = {"extension": [], "direct": [], "sandbox (ext)": []}
        for _ in range(2):  # alternated, like figures.alternate
            for way, call in (("extension", through_extension), ("direct", direct)):
                before = cpu_seconds(jupyter.process.pid), cpu_seconds(sandbox)
                timed[way] += timings(call, 100)
                after = cpu_seconds(jupyter.process.pid), cpu_seconds(sandbox)
                if way == "extension":
                    cpu["extension"].append((after[0] - before[0]) / 100)
                    cpu["sandbox (ext)"].append((after[1] - before[1]) / 100)
                else:
                    cpu["direct"].append((after[1] - before[1]) / 100)
        collapsed = PROFILES / "listing.collapsed.txt"
        with spying(jupyter.process.pid, collapsed, rate, native=False, idle=True):
            started = time.perf_counter()
            for _ in range(LISTING_REQUESTS):
                through_extension()
            spied = (time.perf_counter() - started) / LISTING_REQUESTS
    profile = Profile.read(collapsed, rate)
    write_speedscope(profile, PROFILES / "listing.speedscope.json", "REANA listing")
    main = profile.stacks.get("MainThread", [])
    total = sum(c for _, c in main) or 1
    per_request = 1000 / rate / LISTING_REQUESTS
    ext, dire = (statistics.median(timed[k]) * 1000 for k in ("extension", "direct"))
    lines = [
        f"REANA first page ({LISTING_PAGE} items), {LISTING_REQUESTS} requests under py-spy "
        f"({rate} Hz, idle included)",
        f"  client-side median: extension {ext:.2f} ms, direct GET {dire:.2f} ms "
        f"(ratio {ext / dire:.2f}); under the profiler {spied * 1000:.2f} ms",
        "  CPU per request (from /proc, 10 ms ticks over 100 requests): Jupyter server "
        f"{statistics.median(cpu['extension']) * 1000:.2f} ms, REANA sandbox "
        f"{statistics.median(cpu['sandbox (ext)']) * 1000:.2f} ms through the extension and "
        f"{statistics.median(cpu['direct']) * 1000:.2f} ms for the direct GET",
        f"  main thread: {total} samples = {total * per_request:.2f} ms per request",
        "where the event-loop thread spends each request (ms per request):",
    ]
    for bucket, count in classify(main, LISTING_BUCKETS).most_common():
        lines.append(f"  {count * per_request:7.3f} ms  {100 * count / total:5.1f} %  {bucket}")
    busy = [(f, c) for f, c in main if not idle(f)]
    lines.append("top functions of the main thread, idle samples left out:")
    lines += top_frames(busy, sum(c for _, c in busy) or 1, per_request, "ms/request")
    report("listing", lines)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reana_sandbox_pid(context: Context) -> int:
    """The REANA sandbox's process (the harness starts one sandbox per service)."""
    context.reana  # noqa: B018 - started on first use
    for sandbox in context._sandboxes:
        if "reana" in sandbox.args:
            return sandbox.process.pid
    raise RuntimeError("no REANA sandbox process")


def timings(call: Callable[[], None], count: int) -> list[float]:
    call()
    out = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def openbis_download_once(jupyter: Jupyter, perm_id: str, destination: str) -> float:
    started = time.perf_counter()
    job = wait_for_job(jupyter, start_download(jupyter, perm_id, destination))
    elapsed = time.perf_counter() - started
    clean_up(jupyter, job, destination)
    return elapsed


def curl_once(url: str, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["curl", "-sSf", "-o", str(target), url], check=True)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


#: What a transfer thread does, first match from the leaf up wins.
TRANSFER_BUCKETS = (
    ("waiting for the GIL", GIL_WAIT.pattern),
    ("CRC32 / hashing", r"crc32|hashlib|sha|md5|adler"),
    ("socket receive", r"recv|readinto \(socket|sock_recv|SSL_read"),
    ("file write", r"write \(libc|__write|_io__Buffered.*write|FileIO_write|fsync"),
    ("waiting (poll/locks/events)", IDLE.pattern),
    ("urllib3/http.client (Python)", r"urllib3/|http/client"),
    ("requests (Python)", r"requests/"),
    ("httpx/httpcore/h11 (Python)", r"httpx/|httpcore/|h11/"),
)


def profile_download(context: Context, rate: int) -> None:
    jupyter = context.jupyter
    client = pybis_client(context.openbis)
    try:
        perm_id, size = biggest_dataset(client)
        from bench_openbis_download import file_url

        url = file_url(client, perm_id)
        timed: dict[str, list[float]] = {"extension": [], "curl": []}
        for _ in range(DOWNLOADS):
            timed["extension"].append(openbis_download_once(jupyter, perm_id, "profile-dl"))
            timed["curl"].append(curl_once(url, context.workdir / "curl-profile"))
        collapsed = PROFILES / "download.collapsed.txt"
        with spying(jupyter.process.pid, collapsed, rate, native=True, idle=False):
            spied = [
                openbis_download_once(jupyter, perm_id, "profile-dl") for _ in range(DOWNLOADS)
            ]
    finally:
        client.logout()
    profile = Profile.read(collapsed, rate)
    write_speedscope(profile, PROFILES / "download.speedscope.json", "openBIS download")
    profile = Profile(
        rate, {g: [(f, c) for f, c in s if not idle(f)] for g, s in profile.stacks.items()}
    )
    ext, curl = (statistics.median(timed[k]) for k in ("extension", "curl"))
    lines = [
        f"openBIS download, {size / 1e6:.0f} MB one file: extension {ext:.3f} s, curl {curl:.3f} s "
        f"(ratio {ext / curl:.2f}); under the profiler {statistics.median(spied):.3f} s",
        *threads_overview(profile),
    ]
    lines += transfer_threads(profile, DOWNLOADS)
    report("download", lines)


def transfer_threads(profile: Profile, operations: int) -> list[str]:
    lines = []
    per = 1000 / profile.rate / operations
    for group in sorted(profile.stacks, key=profile.samples, reverse=True)[:4]:
        stacks = profile.stacks[group]
        total = profile.samples(group) or 1
        lines.append(f"thread group {group} ({total} samples; ms per transfer):")
        for bucket, count in classify(stacks, TRANSFER_BUCKETS).most_common():
            lines.append(f"  {count * per:9.1f} ms  {100 * count / total:5.1f} %  {bucket}")
        lines.append(f"top functions of {group}:")
        lines += top_frames(stacks, total, per, "ms/transfer")
    return lines


def profile_event_loop(context: Context, rate: int) -> None:
    jupyter = context.jupyter
    client = pybis_client(context.openbis)
    try:
        perm_id, _ = biggest_dataset(client)
    finally:
        client.logout()
    workflow = payload_workflow(context)

    def openbis_downloads() -> None:
        names = [f"loop-{i}" for i in range(2)]
        jobs = [start_download(jupyter, perm_id, name) for name in names]
        for job_id, name in zip(jobs, names, strict=True):
            clean_up(jupyter, wait_for_job(jupyter, job_id, interval=0.2), name)

    def reana_downloads() -> None:
        names = [f"loop-reana-{i}" for i in range(3)]
        jobs = [start_extension_download(jupyter, workflow, name) for name in names]
        for job_id, name in zip(jobs, names, strict=True):
            finish_extension_download(jupyter, job_id, name)

    for scenario, load in (("openbis", openbis_downloads), ("reana", reana_downloads)):
        name = f"event-loop-{scenario}"
        collapsed = PROFILES / f"{name}.collapsed.txt"
        with spying(jupyter.process.pid, collapsed, rate, native=True, idle=True):
            latencies = probed(jupyter, load)
        profile = Profile.read(collapsed, rate)
        write_speedscope(profile, PROFILES / f"{name}.speedscope.json", name)
        main = profile.stacks.get("MainThread", [])
        total = sum(c for _, c in main) or 1
        lines = [
            f"event loop during {scenario} downloads through the extension: probe p50 "
            f"{percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, "
            f"max {max(latencies):.1f} ms ({len(latencies)} requests)",
            "main thread (the event loop), all samples:",
        ]
        states: Counter[str] = Counter()
        for frames, count in main:
            joined = ";".join(frames)
            state = "waiting for the GIL" if GIL_WAIT.search(joined) else "running"
            states["idle" if idle(frames) else state] += count
        for state, count in states.most_common():
            lines.append(f"  {100 * count / total:5.1f} %  {state}")
        busy = [(f, c) for f, c in main if not idle(f)]
        lines.append("top functions of the main thread, idle left out (ms over the whole run):")
        lines += top_frames(busy, sum(c for _, c in busy) or 1, 1000 / rate, "ms")
        active = Profile(
            rate, {g: [(f, c) for f, c in s if not idle(f)] for g, s in profile.stacks.items()}
        )
        lines += threads_overview(active)
        lines += transfer_threads(active, 1)
        report(name, lines)


def idle(frames: list[str]) -> bool:
    """Blocked waiting for work or the network, and not for the GIL."""
    joined = ";".join(frames)
    return bool(IDLE.search(joined)) and not GIL_WAIT.search(joined)


SCENARIOS = {
    "listing": profile_listing,
    "download": profile_download,
    "event-loop": profile_event_loop,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=sorted(SCENARIOS))
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    args = parser.parse_args(argv)
    py_spy()
    PROFILES.mkdir(parents=True, exist_ok=True)
    with Context(3) as context:
        for name in args.only or SCENARIOS:
            print(f"[profile] {name} ...", file=sys.stderr, flush=True)
            SCENARIOS[name](context, args.rate)
    print(f"profiles: {PROFILES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
