"""Follow a running workflow's logs without re-sending what the browser already has.

REANA's logs endpoint always returns every log in full. We keep no state per viewer:
the answer carries an opaque cursor (how many characters of each log the caller has
seen) and the next call with that cursor gets only the new text of each log, plus the
(small) metadata of every job so statuses stay current. A log that got shorter than
the cursor says (the server rotated or replaced it) is sent whole again with `reset`.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput

#: A cursor travels in a URL; anything longer than this is not one of ours.
MAX_CURSOR_LENGTH = 16 * 1024
#: Jobs are keyed by a prefix of their UUID, so a run of a thousand jobs still fits in a URL.
JOB_KEY_LENGTH = 12


@dataclass
class LogCursor:
    """Characters already delivered, per log: the engine log, engine internals, each job."""

    workflow: int = 0
    engine: int = 0
    jobs: dict[str, int] = field(default_factory=dict)

    def encode(self) -> str:
        raw = json.dumps(
            {"w": self.workflow, "e": self.engine, "j": self.jobs}, separators=(",", ":")
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> LogCursor:
        """The cursor of a previous answer; empty means 'from the beginning'."""
        if not text:
            return cls()
        if len(text) > MAX_CURSOR_LENGTH:
            raise InvalidInput("'cursor' is too long", field="cursor")
        try:
            padded = text + "=" * (-len(text) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            cursor = cls(
                workflow=_offset(data.get("w", 0)),
                engine=_offset(data.get("e", 0)),
                jobs={str(k): _offset(v) for k, v in dict(data.get("j", {})).items()},
            )
        except (
            ValueError,
            TypeError,
            AttributeError,
            binascii.Error,
            UnicodeError,
            RecursionError,
        ):
            raise InvalidInput(
                "'cursor' is not a cursor returned by this route", field="cursor"
            ) from None
        return cursor


def _offset(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("bad offset")
    return value


def _piece(text: Any, seen: int) -> tuple[dict[str, Any], int]:
    """The unseen part of one log and the new offset."""
    if text is None:
        text = ""
    elif not isinstance(text, str):
        text = json.dumps(text, indent=2)
    reset = seen > len(text)
    start = 0 if reset else seen
    return {"text": text[start:], "offset": start, "reset": reset}, len(text)


def new_log_text(logs: dict[str, Any], cursor: LogCursor) -> dict[str, Any]:
    """What is new since `cursor` in REANA's decoded logs document, and the next cursor."""
    after = LogCursor()
    workflow, after.workflow = _piece(logs.get("workflow_logs"), cursor.workflow)
    engine, after.engine = _piece(logs.get("engine_specific"), cursor.engine)
    jobs = []
    raw_jobs = logs.get("job_logs")
    for job_id, job in raw_jobs.items() if isinstance(raw_jobs, dict) else []:
        job = job if isinstance(job, dict) else {}
        key = str(job_id)[:JOB_KEY_LENGTH]
        piece, after.jobs[key] = _piece(job.get("logs"), cursor.jobs.get(key, 0))
        jobs.append(
            {
                "id": str(job_id),
                "name": job.get("job_name") or str(job_id),
                "status": job.get("status"),
                "backend": job.get("compute_backend"),
                "backendJobId": job.get("backend_job_id"),
                "image": job.get("docker_img"),
                "command": job.get("cmd"),
                "startedAt": job.get("started_at"),
                "finishedAt": job.get("finished_at"),
                **piece,
            }
        )
    return {"workflow": workflow, "engine": engine, "jobs": jobs, "cursor": after.encode()}


#: The end of a log shown as a failed run's reason.
REASON_LINES = 12
REASON_CHARS = 2000


def _tail(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    lines = [line.rstrip() for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines[-REASON_LINES:])[-REASON_CHARS:]


def failure_reason(logs: dict[str, Any]) -> dict[str, Any] | None:
    """Why a failed run failed, from its logs: the failed step and the end of its log, or,
    when no step failed (a start that never reached the engine, e.g. the scheduler's
    "failed to schedule ... Giving up"), the end of the workflow log. None when the logs
    say nothing."""
    jobs = logs.get("job_logs")
    for job in jobs.values() if isinstance(jobs, dict) else []:
        if isinstance(job, dict) and job.get("status") == "failed":
            name = job.get("job_name")
            return {"step": str(name) if name else None, "message": _tail(job.get("logs"))}
    message = _tail(logs.get("workflow_logs"))
    return {"step": None, "message": message} if message else None
