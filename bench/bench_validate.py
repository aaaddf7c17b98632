"""Time REANA spec validation: the `reana-client validate` CLI vs the extension's worker.

For the benchmark's own serial, yadage and CWL specs (bench/specs, one word count each), side by
side in one run:

- CLI: `reana-client validate -f <spec>` from the spec's folder (what a user types; every call pays
  reana-client's imports, and for CWL a `cwltool --pack` subprocess);
- cold: the extension's first validation after server start (worker process start, reana-client
  import, then the validation), with a fresh worker per run;
- warm: later validations through the same path POST /reana/validate uses (`validate_spec`:
  size-capped read, our own checks, the worker's reana-client).

Figures: warm/CLI per engine (goal <= 0.05), cold/CLI per engine (reported).
Run alone: `.venv/bin/python bench/bench_validate.py [--runs 3]` (needs the reana-client environment:
`jupyter reana-openbis-lab install-reana-client`).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from figures import Figure, compared
from harness import Context

from reana_openbis_lab.reana.environment import default_env_path, env_bin, env_python
from reana_openbis_lab.reana.supervisor import SpecWorker
from reana_openbis_lab.reana.validate import validate_spec

SPECS_ROOT = Path(__file__).resolve().parent
SPECS = {"serial": "specs/serial.yaml", "yadage": "specs/yadage.yaml", "cwl": "specs/cwl.yaml"}
MAX_BYTES = 5 * 1024 * 1024
WARM_GOAL = 0.05


def time_cli(env: Path, spec: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [str(env_bin(env) / "reana-client"), "validate", "-f", Path(spec).name],
        cwd=SPECS_ROOT / Path(spec).parent,
        capture_output=True,
        env={"PATH": f"{env_bin(env)}:/usr/bin:/bin", "HOME": str(Path.home())},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"reana-client validate failed on {spec}:\n{done.stderr.decode()}")
    return elapsed


async def time_ours(worker: SpecWorker, spec: str) -> float:
    started = time.perf_counter()
    report = await validate_spec(SPECS_ROOT, spec, worker, max_bytes=MAX_BYTES)
    elapsed = time.perf_counter() - started
    if not report["valid"]:
        raise RuntimeError(f"the worker rejected {spec}: {report['errors']}")
    return elapsed


async def time_cold(env: Path, spec: str) -> float:
    worker = SpecWorker(env)
    try:
        return await time_ours(worker, spec)
    finally:
        await worker.stop()


async def measure(env: Path, runs: int) -> list[Figure]:
    rows = []
    warm_worker = SpecWorker(env)
    try:
        await warm_worker.request("ping")
        for engine, spec in SPECS.items():
            samples: dict[str, list[float]] = {"warm": [], "cold": [], "CLI": []}
            for _ in range(runs):  # interleaved, so machine noise hits all three alike
                samples["CLI"].append(await asyncio.to_thread(time_cli, env, spec))
                samples["cold"].append(await time_cold(env, spec))
                samples["warm"].append(await time_ours(warm_worker, spec))
            rows.append(
                compared(f"validate {engine}, warm", "s", samples, "warm", "CLI", WARM_GOAL)
            )
            rows.append(compared(f"validate {engine}, cold", "s", samples, "cold", "CLI", None))
    finally:
        await warm_worker.stop()
    return rows


def figures(context: Context) -> list[Figure]:
    env = default_env_path()
    if not env_python(env).exists():
        raise RuntimeError(
            f"no reana-client environment at {env}: run "
            "`jupyter reana-openbis-lab install-reana-client` (make setup does)"
        )
    return asyncio.run(measure(env, context.runs))


if __name__ == "__main__":
    from run import main

    sys.exit(main(["--only", "validate", *sys.argv[1:]]))
