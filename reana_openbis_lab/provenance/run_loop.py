"""What a run started from JupyterLab does beyond `reana.run`: openBIS inputs and the record.

Given to the run job as its `RunExtras`. After the spec's own files are uploaded, the
openBIS inputs are streamed into the workspace (`staging`), then the provenance record is
written, and only then is the run started. When openBIS inputs were given and anything
past creation fails or is cancelled, the workflow created for the run is deleted again
(with its workspace, so every staged byte): nothing is left half-made on REANA, and
nothing was ever written on the openBIS side.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from ..errors import LabError
from ..jobs import Progress
from ..openbis import manifest
from ..openbis.in_worker import Ticket
from ..openbis.service import OpenbisService
from ..paths import to_api_path
from ..reana.run import CreateRequest, RunRequest
from ..reana.service import ReanaService
from ..reana.validate import LoadedSpec
from ..reana.workspace import PlannedUpload
from . import record
from .inputs import (
    InputRequest,
    ResolvedInput,
    check_against_uploads,
    checked_inputs,
    resolve_all,
)
from .staging import stage_inputs


@dataclass
class LoopRun:
    """The run's openBIS inputs and who started it; `staged` grows as files are sent."""

    root_dir: Path
    inputs: Sequence[ResolvedInput]
    #: The openBIS connection's ticket for the lab worker (`OpenbisService.ticket`).
    ticket: Callable[[str], Ticket]
    #: Longest silence of openBIS (`openbis_timeout`).
    read_timeout: float
    reana_server: str
    parameters: dict[str, Any]
    operational_options: dict[str, Any]
    jupyter_user: str | None
    tool_version: str
    staged: list[str] = field(default_factory=list)

    def check_uploads(self, uploads: list[PlannedUpload]) -> None:
        check_against_uploads(self.inputs, [u.remote for u in uploads])

    async def before_start(
        self,
        progress: Progress,
        client: Any,
        workflow: dict[str, Any],
        loaded: LoadedSpec,
        uploads: list[PlannedUpload],
    ) -> None:
        local = sum(u.size for u in uploads)
        progress.set_totals(
            bytes_total=local + sum(i.bytes for i in self.inputs),
            files_total=len(uploads) + sum(len(i.files) for i in self.inputs),
        )
        # A cut upload may have left any of them behind: `undo` deletes them all.
        self.staged = [f.workspace_name for i in self.inputs for f in i.files]
        tickets = {i.connection: self.ticket(i.connection) for i in self.inputs}
        await progress.in_worker(
            stage_inputs,
            tickets,
            client.stream_target(),
            tuple(self.inputs),
            workflow["id"],
            self.read_timeout,
        )
        progress.set_step("record")
        folder = loaded.spec_file.folder
        environment, downloaded = await anyio.to_thread.run_sync(self._local_facts, folder)
        context = record.RunContext(
            reana_server=self.reana_server,
            spec_path=loaded.spec_file.api_path,
            spec_raw=loaded.spec_file.raw,
            specification=loaded.specification,
            parameters=self.parameters,
            operational_options=self.operational_options,
            jupyter_user=self.jupyter_user,
            folder=to_api_path(self.root_dir, folder),
            tool_version=self.tool_version,
            environment=environment,
            downloaded=downloaded,
        )
        document = record.build_record(
            context,
            workflow,
            self.inputs,
            [(u.remote, u.size) for u in uploads],
            await _reana_user(client),
        )
        await client.upload_content(workflow["id"], record.RECORD_NAME, record.to_bytes(document))

    def _local_facts(self, folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The environment files and the datasets downloaded earlier into the spec's folder."""
        try:
            downloaded = [dict(e) for e in manifest.read_entries(self.root_dir, folder)]
        except LabError:  # a manifest reached through a link out of the root: not read
            downloaded = []
        return record.read_environment(folder), downloaded

    async def undo(self, client: Any, workflow: dict[str, Any]) -> str | None:
        """Without openBIS inputs a run is left created, as plain runs are (the user may
        add files and start it); with them, the half-staged workflow is deleted."""
        name = workflow.get("name") or workflow["id"]
        if not self.inputs:
            return None
        try:
            await client.delete_workflow(workflow["id"], True)
        except LabError:
            for staged in self.staged:
                with contextlib.suppress(LabError):
                    await client.delete_file(workflow["id"], staged)
            return (
                f"workflow '{name}' was created but not started, and deleting it failed: "
                "delete it on REANA"
            )
        return f"the workflow '{name}' created for it was deleted again, staged inputs with it"


async def _reana_user(client: Any) -> str | None:
    """The REANA account's email for the record; the run goes ahead without it."""
    try:
        you = await client.you()
    except LabError:
        return None
    email = you.get("email")
    return email if isinstance(email, str) else None


@dataclass(frozen=True)
class RunWithInputs(RunRequest):
    """`POST /reana/run`: a run, with openBIS datasets as inputs."""

    openbis_inputs: tuple[InputRequest, ...] = ()


async def prepare(
    request: CreateRequest,
    *,
    openbis: OpenbisService,
    reana: ReanaService,
    root_dir: Path,
    user: str | None,
) -> tuple[LoopRun, dict[str, Any]]:
    """Before the job: the openBIS inputs looked up and checked (4xx for what is wrong);
    the extras for the run job and the job details that name the inputs."""
    from .._version import __version__

    asked = request.openbis_inputs if isinstance(request, RunWithInputs) else ()
    requests = checked_inputs(asked)
    inputs = await resolve_all(openbis, requests) if requests else []
    starting = request if isinstance(request, RunRequest) else None
    loop = LoopRun(
        root_dir=root_dir,
        inputs=inputs,
        ticket=openbis.ticket,
        read_timeout=openbis.default_timeout,
        reana_server=reana.get(request.connection).url,
        parameters=dict(starting.parameters) if starting else {},
        operational_options=dict(starting.operational_options) if starting else {},
        jupyter_user=user,
        tool_version=__version__,
    )
    details = {
        "openbisInputs": [
            {
                "connection": i.connection,
                "permId": i.listing.perm_id,
                "name": i.listing.name,
                "folder": i.folder,
                "files": len(i.files),
                "bytes": i.bytes,
            }
            for i in inputs
        ]
    }
    return loop, details
