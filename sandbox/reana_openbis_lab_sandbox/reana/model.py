"""A REANA workflow run as the sandbox keeps it, and its JSON views as reana-server sends them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from ..credentials import REANA_USER_EMAIL

#: reana-server answers with user UUIDs, not e-mails.
USER_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, f"mailto:{REANA_USER_EMAIL}"))
RUN_STATUSES = (
    "created",
    "queued",
    "pending",
    "running",
    "finished",
    "failed",
    "stopped",
    "deleted",
)
#: Statuses after which REANA's disk accounting has measured a run's workspace; before it,
#: sizes are -1 (and "").
ACCOUNTED_STATUSES = frozenset({"finished", "failed", "stopped"})
#: reana-server's timestamps: UTC, seconds, no zone (reana-client parses exactly this).
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def now_text() -> str:
    return datetime.now(timezone.utc).strftime(TIME_FORMAT)


def seconds_between(start: str, end: str) -> int:
    return int(
        (
            datetime.strptime(end, TIME_FORMAT) - datetime.strptime(start, TIME_FORMAT)
        ).total_seconds()
    )


def human_size(raw: int) -> str:
    """reana-server's human-readable sizes: binary units, one decimal when not whole."""
    size = float(raw)
    units = ("Bytes", "KiB", "MiB", "GiB", "TiB")
    for unit in units:
        if size < 1024 or unit == units[-1]:
            break
        size /= 1024
    return f"{f'{size:.1f}'.removesuffix('.0')} {unit}"


def size_view(raw: int) -> dict[str, Any]:
    return {"raw": raw, "human_readable": human_size(raw) if raw >= 0 else ""}


@dataclass
class Job:
    """One step's run; its id is what reana-server calls the backend job."""

    name: str
    command: str
    image: str
    backend: str = "kubernetes"
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "created"
    logs: str = ""
    started_at: str | None = None
    finished_at: str | None = None

    def log_view(self, workflow_id: str) -> dict[str, Any]:
        return {
            "workflow_uuid": workflow_id,
            "job_name": self.name,
            "compute_backend": self.backend,
            "backend_job_id": f"reana-run-job-{self.id}",
            "docker_img": self.image,
            "cmd": self.command,
            "status": self.status,
            "logs": self.logs,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }


@dataclass
class RetentionRule:
    """One workspace retention rule as reana-db keeps it: created with the run, active (with
    `apply_on`, the end of the day `days` after the run ended) once it finished or failed,
    inactive after a restart."""

    pattern: str
    days: int
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "created"
    apply_on: str | None = None

    def activate(self, ended: str) -> None:
        if self.status != "created":
            return
        day = datetime.strptime(ended, TIME_FORMAT).replace(hour=23, minute=59, second=59)
        self.apply_on = (day + timedelta(days=self.days)).strftime(TIME_FORMAT)
        self.status = "active"

    def deactivate(self) -> None:
        if self.status in ("created", "active"):
            self.status = "inactive"
            self.apply_on = None

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "workspace_files": self.pattern,
            "retention_days": self.days,
            "status": self.status,
            "apply_on": self.apply_on,
        }


@dataclass
class Workflow:
    """A run `name.N`, or `name.N.M` for the M-th restart of run N, which shares run N's workspace.

    `materialized` is False while a seeded workspace is not yet on disk.
    """

    name: str
    run_number: int
    specification: dict[str, Any]
    user: str
    created: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "created"
    input_parameters: dict[str, Any] = field(default_factory=dict)
    operational_options: dict[str, Any] = field(default_factory=dict)
    jobs: list[Job] = field(default_factory=list)
    engine_logs: list[str] = field(default_factory=list)
    run_started_at: str | None = None
    run_finished_at: str | None = None
    run_stopped_at: str | None = None
    materialized: bool = True
    restart_number: int = 0
    workspace_id: str = ""
    retention_rules: list[RetentionRule] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.workspace_id = self.workspace_id or self.id

    def section(self, key: str) -> dict[str, Any]:
        """A top-level spec section; absent, null or malformed ones read as empty."""
        value = self.specification.get(key)
        return value if isinstance(value, dict) else {}

    @property
    def run_label(self) -> str:
        """`1`, or `1.2` for a restart; reana-client reads it as the run number."""
        return (
            f"{self.run_number}.{self.restart_number}"
            if self.restart_number
            else str(self.run_number)
        )

    @property
    def full_name(self) -> str:
        return f"{self.name}.{self.run_label}"

    @property
    def type(self) -> str:
        return str(self.section("workflow").get("type", "serial"))

    def spec_parameters(self) -> dict[str, Any]:
        parameters = self.section("inputs").get("parameters")
        return dict(parameters) if isinstance(parameters, dict) else {}

    def effective_parameters(self) -> dict[str, Any]:
        return {**self.spec_parameters(), **self.input_parameters}

    def activate_retention_rules(self, at: str | None = None) -> None:
        """The run finished or failed: its rules start counting (reana-db's status listener
        dates them from the moment of the change; `at` overrides it)."""
        for rule in self.retention_rules:
            rule.activate(at or self.run_finished_at or now_text())

    def log(self, text: str) -> None:
        """Text an engine sent with a status change: all REANA keeps as the workflow's log
        (reana-server itself writes no lines of its own)."""
        self.engine_logs.append(f"{text}\n")

    def progress_view(self) -> dict[str, Any]:
        """As reana-server renders it: only the times until the engine has reported jobs
        (a created, queued or pending run has no counts)."""
        times = {
            "run_started_at": self.run_started_at,
            "run_finished_at": self.run_finished_at,
            "run_stopped_at": self.run_stopped_at,
        }
        if self.run_started_at is None:
            return times

        def bucket(status: str) -> dict[str, Any]:
            ids = [j.id for j in self.jobs if j.status == status]
            return {"total": len(ids), "job_ids": ids}

        running = next((j for j in self.jobs if j.status == "running"), None)
        planned = len(self.planned_steps())
        return {
            "total": {"total": max(planned, len(self.jobs)), "job_ids": []},
            "running": bucket("running"),
            "finished": bucket("finished"),
            "failed": bucket("failed"),
            "current_command": running.command if running else None,
            "current_step_name": running.name if running else None,
            **times,
        }

    def planned_steps(self) -> list[dict[str, Any]]:
        """Serial specs list their steps; other engines run as one opaque step here."""
        workflow = self.section("workflow")
        inner = workflow.get("specification")
        steps = inner.get("steps") if isinstance(inner, dict) and self.type == "serial" else None
        if isinstance(steps, list) and steps:
            return [s for s in steps if isinstance(s, dict)]
        return [
            {
                "name": self.type,
                "environment": "docker.io/reanahub/reana-env-jupyter:2.0.0",
                "commands": [f"run {workflow.get('file', self.type)}"],
            }
        ]

    def item_view(self, *, size: int | None) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.full_name,
            "status": self.status,
            "user": self.user,
            "created": self.created,
            "size": size_view(-1 if size is None else size),
            "progress": self.progress_view(),
            "launcher_url": None,
        }

    def logs_text(self, jobs: list[Job], *, services: bool = False) -> str:
        """The logs document, a JSON string inside the answer; 0.95 adds `service_logs`."""
        logs: dict[str, Any] = {
            "workflow_logs": "".join(self.engine_logs),
            "job_logs": {j.id: j.log_view(self.id) for j in jobs},
            "engine_specific": None,
        }
        if services:
            logs["service_logs"] = {}
        return json.dumps(logs)
