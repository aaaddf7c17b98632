"""The service objects built once at start-up; handlers reach them via `ApiHandler.services`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .jobs import JobManager


@dataclass
class Services:
    root_dir: Path
    jobs: JobManager
    version: str
    #: The lab worker process (pybis, transfers); `worker.client.LabWorker`.
    worker: Any = None
    #: Filled by each domain at start-up (see app.py); typed loosely here so that this module
    #: stays importable by every domain without import cycles.
    openbis: Any = None
    reana: Any = None
    reana_worker: Any = None
    requirements: Any = None
    mounts: Any = None
    capabilities: dict[str, Any] = field(default_factory=dict)
