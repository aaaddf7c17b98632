"""The service objects built once at start-up; handlers reach them via `ApiHandler.services`.

Each field has one owner object, built by `app.py` before this record is made. The domain types
are imported for the type checker only: at run time this module needs nothing but the jobs, so
importing it never drags a domain in (and no domain imports it back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .jobs import JobManager

if TYPE_CHECKING:
    from .openbis.mount import MountManager
    from .openbis.service import OpenbisService
    from .reana.service import ReanaService
    from .reana.supervisor import SpecWorker
    from .requirements.service import RequirementsService
    from .worker.client import LabWorker


@dataclass
class Services:
    root_dir: Path
    jobs: JobManager
    version: str
    #: The lab worker process, where pybis runs and transfers move their bytes.
    worker: LabWorker
    openbis: OpenbisService
    reana: ReanaService
    reana_worker: SpecWorker
    requirements: RequirementsService
    mounts: MountManager
    #: What the frontend may offer (sshfs available, reana-client version...): for /info.
    capabilities: dict[str, Any] = field(default_factory=dict)
