"""Time REANA spec validation: the `reana-client validate` CLI vs the extension's worker.

For the helloworld demo's serial, yadage and cwl specs, side by side in one run:

- CLI: `reana-client validate -f <spec>` from the spec's folder (what a user types; every
  call pays reana-client's imports, and for CWL a `cwltool --pack` subprocess);
- cold: the extension's first validation after server start (worker process start,
  reana-client import, then the validation), with a fresh worker per run;
- warm: later validations through the same path POST /reana/validate uses
  (`validate_spec`: size-capped read, our own checks, the worker's reana-client).

Prints the median of each, and warm/CLI and cold/CLI ratios (below 1 means faster).
Run: `.venv/bin/python bench/bench_validate.py [--runs 5] [--env <reana-client env>]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

from reana_openbis_lab.reana.environment import default_env_path, env_bin
from reana_openbis_lab.reana.supervisor import SpecWorker
from reana_openbis_lab.reana.validate import validate_spec

HELLOWORLD = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "fixtures"
    / "reana-demos"
    / "reana-demo-helloworld"
)
SPECS = {"serial": "reana.yaml", "yadage": "reana-yadage.yaml", "cwl": "reana-cwl.yaml"}
MAX_BYTES = 5 * 1024 * 1024


def time_cli(env: Path, spec: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [str(env_bin(env) / "reana-client"), "validate", "-f", spec],
        cwd=HELLOWORLD,
        capture_output=True,
        env={"PATH": f"{env_bin(env)}:/usr/bin:/bin", "HOME": str(Path.home())},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"reana-client validate failed on {spec}:\n{done.stderr.decode()}")
    return elapsed


async def time_ours(worker: SpecWorker, spec: str) -> float:
    started = time.perf_counter()
    report = await validate_spec(
        HELLOWORLD.parent, f"{HELLOWORLD.name}/{spec}", worker, max_bytes=MAX_BYTES
    )
    elapsed = time.perf_counter() - started
    if not report["valid"]:
        sys.exit(f"the worker rejected {spec}: {report['errors']}")
    return elapsed


async def time_cold(env: Path, spec: str) -> float:
    worker = SpecWorker(env)
    try:
        return await time_ours(worker, spec)
    finally:
        await worker.stop()


async def measure(env: Path, runs: int) -> list[tuple[str, float, float, float]]:
    rows = []
    warm_worker = SpecWorker(env)
    try:
        await warm_worker.request("ping")
        for engine, spec in SPECS.items():
            cli, cold, warm = [], [], []
            for _ in range(runs):  # interleaved, so machine noise hits all three alike
                cli.append(await asyncio.to_thread(time_cli, env, spec))
                cold.append(await time_cold(env, spec))
                warm.append(await time_ours(warm_worker, spec))
            rows.append(
                (engine, statistics.median(cli), statistics.median(cold), statistics.median(warm))
            )
    finally:
        await warm_worker.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--env", type=Path, default=default_env_path())
    args = parser.parse_args()
    rows = asyncio.run(measure(args.env, args.runs))
    print(f"median of {args.runs} runs, seconds")
    print(f"{'spec':<8}{'CLI':>9}{'cold':>9}{'warm':>9}{'warm/CLI':>10}{'cold/CLI':>10}")
    for engine, cli, cold, warm in rows:
        print(
            f"{engine:<8}{cli:>9.3f}{cold:>9.3f}{warm:>9.4f}{warm / cli:>10.3f}{cold / cli:>10.2f}"
        )


if __name__ == "__main__":
    main()
