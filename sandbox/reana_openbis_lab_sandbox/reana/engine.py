"""Pretend to run workflows: queued -> pending -> running -> finished | failed, one tick per phase.

A tick is `step_seconds` (CLI `--workflow-speed`). Input parameters steer one run: with
`sandbox_step_seconds` its steps last longer (so a test can stop it while it runs), with
`sandbox_fail` it fails at its last step, as it does at any step whose command has `exit 1`,
and with `sandbox_unschedulable` it fails while queued, as reana-server's scheduler fails a
run it cannot start ("failed to schedule ... Giving up"), without any job.
"""

from __future__ import annotations

import asyncio
from typing import Any

from .model import Job, Workflow, now_text
from .outputs import write_outputs
from .store import ReanaStore


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _seconds(value: Any, default: float) -> float:
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return default


def job_command(workflow: Workflow, step: dict[str, Any]) -> str:
    """reana-server's serial job command; reana-client strips the `bash -c "cd ...; ` wrapper."""
    commands = " && ".join(str(c) for c in step.get("commands") or [])
    return f'bash -c "cd /var/reana/users/{workflow.user}/workflows/{workflow.id} ; {commands} "'


class Engine:
    def __init__(self, store: ReanaStore, *, step_seconds: float = 1.0) -> None:
        self.store = store
        self.step_seconds = step_seconds
        self.tasks: dict[str, asyncio.Task[None]] = {}

    def start(self, workflow: Workflow) -> None:
        workflow.status = "queued"  # reana-server logs nothing of its own: no line here
        task = asyncio.get_running_loop().create_task(self._run(workflow))
        self.tasks[workflow.id] = task
        task.add_done_callback(lambda _t: self.tasks.pop(workflow.id, None))

    def cancel(self, workflow: Workflow) -> None:
        task = self.tasks.pop(workflow.id, None)
        if task is not None:
            task.cancel()

    def stop(self, workflow: Workflow) -> None:
        self.cancel(workflow)
        for job in workflow.jobs:
            if job.status in ("created", "running"):
                job.status = "stopped"
                job.finished_at = now_text()
        workflow.status = "stopped"
        workflow.run_stopped_at = now_text()

    async def close(self) -> None:
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, workflow: Workflow) -> None:
        try:
            await self._phases(workflow)
        except Exception as exc:  # an engine crash fails the run instead of leaving it running
            workflow.status = "failed"
            workflow.run_finished_at = now_text()
            workflow.activate_retention_rules()
            workflow.log(f"Workflow engine error: {exc}")

    async def _phases(self, workflow: Workflow) -> None:
        params = workflow.effective_parameters()
        tick = self.step_seconds
        step_seconds = _seconds(params.get("sandbox_step_seconds"), tick)
        await asyncio.sleep(tick)
        if _truthy(params.get("sandbox_unschedulable")):
            # What reana-server's scheduler writes when it cannot hand the run to the
            # workflow controller (no Kubernetes, no room): the run never reaches the engine.
            workflow.status = "failed"
            workflow.run_finished_at = now_text()
            workflow.activate_retention_rules()
            workflow.engine_logs.append(
                f"Workflow {workflow.id} failed to schedule after 0 retries. Giving up.\n"
                "Reason: Something went wrong while calling reana-workflow-controller.\n"
            )
            return
        workflow.status = "pending"
        await asyncio.sleep(tick)
        workflow.status = "running"
        workflow.run_started_at = now_text()
        workflow.log(f"Workflow {workflow.id} started; engine {workflow.type}.")
        steps = workflow.planned_steps()
        for index, step in enumerate(steps):
            job = Job(
                name=str(step.get("name") or f"step{index + 1}"),
                command=job_command(workflow, step),
                image=str(step.get("environment") or "docker.io/library/python:3.11-slim"),
                backend=str(step.get("compute_backend") or "kubernetes"),
            )
            workflow.jobs.append(job)
            job.status = "running"
            job.started_at = now_text()
            workflow.log(
                f"Publishing step:{index}, cmd: {job.command}, total steps {len(steps)} to MQ"
            )
            await asyncio.sleep(step_seconds)
            job.finished_at = now_text()
            failing = "exit 1" in job.command or (
                index == len(steps) - 1 and _truthy(params.get("sandbox_fail"))
            )
            if failing:
                job.status = "failed"
                job.logs = f"$ {job.command}\nError: step {job.name} exited with code 1\n"
                workflow.status = "failed"
                workflow.run_finished_at = now_text()
                workflow.activate_retention_rules()
                workflow.log(f"Step {job.name} failed; workflow failed.")
                return
            job.status = "finished"
            job.logs = f"$ {job.command}\nstep {job.name} done\n"
        workspace = self.store.open_workspace(workflow)
        await asyncio.to_thread(write_outputs, workflow, workspace)
        workflow.status = "finished"
        workflow.run_finished_at = now_text()
        workflow.activate_retention_rules()
        workflow.log(
            f"Workflow {workflow.id} finished. Files available at /var/reana/users/{workflow.user}."
        )
