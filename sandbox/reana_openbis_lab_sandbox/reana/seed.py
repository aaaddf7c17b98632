"""The runs a fresh sandbox already has: one per status, plus `scale` more for benchmarks.

The eight demo runs get their workspaces at once; the `scale` ones live in memory until
someone opens their workspace, so `--scale 5000` starts in well under a second.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import TIME_FORMAT, USER_ID, Job, Workflow, now_text
from .outputs import write_inputs, write_outputs

if TYPE_CHECKING:
    from .store import ReanaStore

_SEED_STATUSES = (
    "finished",
    "failed",
    "stopped",
    "running",
    "pending",
    "queued",
    "created",
    "deleted",
)
_BENCH_NAMES = (
    "higgs-analysis",
    "roofit-fit",
    "cms-reco",
    "alice-qa",
    "lhcb-trigger",
    "atlas-skim",
)
_EPOCH = datetime(2026, 1, 5, 8, 0, 0, tzinfo=timezone.utc)


def demo_specification(name: str) -> dict[str, Any]:
    return {
        "version": "0.9.0",
        "inputs": {
            "files": ["code/analyse.py", "data/events.csv"],
            "parameters": {"events": "data/events.csv", "bins": "20"},
        },
        "workflow": {
            "type": "serial",
            "specification": {
                "steps": [
                    {
                        "name": "select",
                        "environment": "docker.io/library/python:3.11-slim",
                        "commands": ["python code/analyse.py --select ${events}"],
                    },
                    {
                        "name": "histogram",
                        "environment": "docker.io/library/python:3.11-slim",
                        "commands": [f"python code/analyse.py --bins ${{bins}} --title {name}"],
                    },
                ]
            },
        },
        "outputs": {"files": ["results/histogram.csv", "results/summary.txt"]},
        # The copied-in event data goes a week after the run; code and results stay.
        "workspace": {"retention_days": {"data/*": 7}},
    }


def _stamp(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)


def _seeded_run(store: ReanaStore, name: str, status: str, created: datetime) -> Workflow:
    runs = store.runs.get(name, [])
    number = max((w.run_number for w in runs), default=0) + 1
    workflow = Workflow(name, number, demo_specification(name), USER_ID, _stamp(created))
    workflow.retention_rules = store.retention_rules(workflow.specification)
    workflow.status = status
    workflow.materialized = status == "deleted"
    if status in ("created", "queued", "pending", "deleted"):
        return workflow
    started = created + timedelta(seconds=30)
    workflow.run_started_at = _stamp(started)
    workflow.log(f"Workflow {workflow.id} started; engine serial.")
    steps = workflow.planned_steps()
    done = {"finished": len(steps), "failed": len(steps), "stopped": 1, "running": 1}[status]
    for index, step in enumerate(steps[:done]):
        job = Job(
            name=step["name"], command=" && ".join(step["commands"]), image=step["environment"]
        )
        job.started_at = _stamp(started + timedelta(seconds=60 * index))
        last = index == done - 1
        job.status = (
            {"failed": "failed", "running": "running"}.get(status, "finished")
            if last
            else "finished"
        )
        if job.status != "running":
            job.finished_at = _stamp(started + timedelta(seconds=60 * index + 45))
            job.logs = f"$ {job.command}\n{'Error: exited with code 1' if job.status == 'failed' else 'done'}\n"
        workflow.jobs.append(job)
    end = _stamp(started + timedelta(seconds=60 * done))
    if status in ("finished", "failed"):
        workflow.run_finished_at = end
        # Dated from the sandbox's start, not the seeded end months ago: REANA would have
        # deleted those files already, and the demo should show what is still to go.
        workflow.activate_retention_rules(now_text())
        workflow.log(f"Workflow {workflow.id} {status}.")
    elif status == "stopped":
        workflow.run_stopped_at = end
    return workflow


def seed_store(store: ReanaStore, *, scale: int, seed: int) -> None:
    moment = _EPOCH
    for status in _SEED_STATUSES:
        demo = _seeded_run(store, f"demo-{status}", status, moment)
        store.add(demo)
        store.open_workspace(demo)
        moment += timedelta(minutes=7)
    chooser = random.Random(seed)
    for _ in range(scale):
        name = f"{chooser.choice(_BENCH_NAMES)}-{chooser.randrange(40)}"
        store.add(_seeded_run(store, name, chooser.choice(_SEED_STATUSES), moment))
        moment += timedelta(seconds=chooser.randrange(5, 600))


def materialize(workflow: Workflow, workspace: Path) -> None:
    write_inputs(workflow, workspace)
    if workflow.status == "finished":
        write_outputs(workflow, workspace)
