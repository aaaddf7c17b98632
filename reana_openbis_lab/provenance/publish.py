"""Publish a finished run's files to openBIS: REANA workspace -> data store, with lineage.

The same two phases as uploads (`openbis.upload`): every byte goes to the data store's
session workspace first, and only then is the dataset registered through pybis, with the
run's input datasets as parents. Nothing touches the Jupyter server's disk: each workspace
file is read by the REANA client into a `Pipe` and sent from it in pybis' 10 MB slices.
The new dataset carries `provenance/run.json` (the run's record) and the spec under
`provenance/`, and, in a multi-line property the caller names, a short human summary.
Afterwards the workspace's `provenance/published.json` lists the dataset, so the run view
can name it.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import Conflict, InvalidInput, LabError, UpstreamError
from ..jobs import Job, JobCancelled, JobManager, Progress, ProgressReport
from ..openbis import in_worker, transfers
from ..openbis.in_worker import Ticket
from ..openbis.service import OpenbisService
from ..openbis.upload import (
    REGISTRATION_TIMEOUT,
    SESSION_WORKSPACE,
    UPLOAD_ATTEMPTS,
    LocalSelection,
    SentUpload,
    Workspace,
    register_dataset,
    slices,
    workspace_of,
    workspace_params,
)
from ..openbis.upload_validation import (
    CheckedMetadata,
    UploadRequest,
    UploadTarget,
    check_against_openbis,
    property_specs,
)
from ..pipe import Pipe, PipeSlice, send_in_slices
from ..reana.client import ReanaClient, StreamTarget
from ..reana.workspace import check_remote_path, plan_download
from ..result_lists import capped
from ..transfer_threads import tracked_session
from ..worker.context import WorkContext
from . import record

KIND = "reana-publish"
#: Largest spec file copied into the dataset's provenance folder.
MAX_SPEC_BYTES = 5 * 1024 * 1024
#: Data types a run summary may go into.
SUMMARY_TYPES = ("MULTILINE_VARCHAR",)


@dataclass(frozen=True)
class Item:
    """One file of the new dataset: from the workspace (`content` None) or made here."""

    name: str
    size: int
    content: bytes | None = None


@dataclass(frozen=True)
class RunFacts:
    """What the run view and the publish dialog need to know about one run."""

    record: dict[str, Any] | None
    published: list[dict[str, Any]]
    status: str | None
    specification: dict[str, Any]


async def run_facts(client: Any, workflow: str) -> RunFacts:
    status, spec, raw_record, raw_published = await asyncio.gather(
        client.get_status(workflow),
        client.get_specification(workflow),
        client.read_file(workflow, record.RECORD_NAME, record.MAX_RECORD_BYTES),
        client.read_file(workflow, record.PUBLISHED_NAME, record.MAX_RECORD_BYTES),
    )
    published = record.parse(raw_published, record.PUBLISHED_SCHEMA) or {}
    datasets = given if isinstance(given := published.get("datasets"), list) else []
    specification = spec.get("specification") if isinstance(spec, dict) else None
    return RunFacts(
        record=record.parse(raw_record),
        published=[d for d in datasets if isinstance(d, dict)],
        status=status.get("status") if isinstance(status, dict) else None,
        specification=specification if isinstance(specification, dict) else {},
    )


def declared_outputs(specification: Mapping[str, Any]) -> list[str]:
    outputs = given if isinstance(given := specification.get("outputs"), dict) else {}
    found = []
    for key in ("files", "directories"):
        values = listed if isinstance(listed := outputs.get(key), list) else []
        found += [v for v in values if isinstance(v, str) and v]
    return found


def suggested_target(inputs: Sequence[Mapping[str, Any]]) -> dict[str, str] | None:
    """Where the inputs live: their one object, else their one collection, else nothing."""
    objects = {i.get("object") for i in inputs if i.get("how") == "streamed" or i.get("object")}
    objects.discard(None)
    if len(objects) == 1:
        return {"kind": "object", "id": str(objects.pop())}
    collections = {i.get("collection") for i in inputs}
    collections.discard(None)
    if len(collections) == 1:
        return {"kind": "collection", "id": str(collections.pop())}
    return None


def summary_text(facts: RunFacts, reana_url: str, workflow: str) -> str:
    reana = (facts.record or {}).get("reana") or {}
    name = reana.get("workflowName") or workflow
    number = reana.get("runNumber")
    run = f"{name}.{number}" if number else name
    run_id = reana.get("workflowId") or workflow
    server = reana.get("server") or reana_url
    inputs = ", ".join(str(i.get("permId")) for i in record.openbis_inputs(facts.record))
    lines = [
        f"Made by the REANA run {run} (id {run_id}) on {server}.",
        f"{server.rstrip('/')}/details/{run_id}",
    ]
    if inputs:
        lines.append(f"Inputs: {inputs}.")
    lines.append("Provenance: provenance/run.json in this dataset.")
    return "\n".join(lines)


def openbis_connection_for(openbis: OpenbisService, server: str | None) -> str | None:
    """The user's openBIS connection to the server a record names (same URL), if any."""
    if not server:
        return None
    wanted = server.rstrip("/")
    for info in openbis.list():
        if info.url.rstrip("/") == wanted:
            return info.name
    return None


async def overview(client: ReanaClient, openbis: OpenbisService, workflow: str) -> dict[str, Any]:
    """The run's provenance for its view and the publish dialog's defaults."""
    facts = await run_facts(client, workflow)
    inputs = record.openbis_inputs(facts.record)
    server = inputs[0].get("server") if inputs else None
    return {
        "status": facts.status,
        "record": facts.record,
        "inputs": [
            {**_input_summary(i), "connection": openbis_connection_for(openbis, i.get("server"))}
            for i in inputs
        ],
        "published": [
            {**d, "connection": openbis_connection_for(openbis, d.get("server"))}
            for d in facts.published
        ],
        "outputs": declared_outputs(facts.specification),
        "parents": list(dict.fromkeys(str(i["permId"]) for i in inputs)),
        "target": suggested_target(inputs),
        "openbisConnection": openbis_connection_for(openbis, server),
        "summary": summary_text(facts, client.url, workflow),
    }


def _input_summary(entry: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("server", "permId", "type", "name", "how", "workspaceFolder", "collection", "object")
    return {key: entry.get(key) for key in keys}


# ---- the publish request -------------------------------------------------------------------


@dataclass(frozen=True)
class PublishRequest:
    """`POST .../workflows/{workflow}/publish`, as the contract checked it: an upload whose
    files come from the run's workspace."""

    openbis_connection: str
    paths: tuple[str, ...]
    dataset_type: str
    target: UploadTarget
    properties: Mapping[str, Any] = field(default_factory=dict)
    parents: tuple[str, ...] = ()
    summary_property: str | None = None


async def start_publish(
    request: PublishRequest,
    *,
    client: ReanaClient,
    openbis: OpenbisService,
    jobs: JobManager,
    root_dir: Path,
    workflow: str,
) -> Job:
    """Check everything first (4xx), then submit the job that streams and registers."""
    openbis_connection = request.openbis_connection
    upload_request = UploadRequest(
        connection=openbis_connection,
        paths=request.paths,
        dataset_type=request.dataset_type,
        target=request.target,
        properties=request.properties,
        parents=request.parents,
    )
    facts = await run_facts(client, workflow)
    if facts.status != "finished":
        raise Conflict(
            f"Only a finished run can be published; this one is {facts.status}",
            field="workflow",
            code="conflict",
        )
    paths = [check_remote_path(p, f"paths[{i}]") for i, p in enumerate(upload_request.paths)]
    planned = await plan_download(client, workflow, paths)
    files = sorted(
        {
            p.remote: p.size for p in planned if not p.remote.startswith(f"{record.RECORD_FOLDER}/")
        }.items()
    )
    if not files:
        raise InvalidInput("Select at least one workspace file to publish", field="paths")
    if any(size is None for _, size in files):
        raise UpstreamError("REANA did not say how large the selected files are")
    extra = await _provenance_items(client, workflow, facts)
    properties = dict(upload_request.properties)
    summary = request.summary_property
    if summary:
        await openbis.call(
            openbis_connection, _check_summary_property, upload_request.type_code, summary
        )
        text = summary_text(facts, client.url, workflow)
        given = properties.get(summary)
        properties[summary] = f"{given}\n\n{text}" if isinstance(given, str) and given else text
    upload_request = _with_properties(upload_request, properties)
    checked = await openbis.call(openbis_connection, check_against_openbis, upload_request)
    items = [Item(name, int(size or 0)) for name, size in files] + extra
    server = openbis.get(openbis_connection).url

    job = PublishJob(
        workflow=workflow,
        items=tuple(items),
        checked=checked,
        root_dir=root_dir,
        read_timeout=openbis.default_timeout,
    )

    async def work(progress: Progress) -> dict[str, Any]:
        perm_id = await progress.in_worker(
            publish_files,
            openbis.ticket(openbis_connection),
            client.stream_target(),
            job,
        )
        progress.set_step("recording")
        entry: dict[str, Any] = {
            "server": server,
            "permId": perm_id,
            "type": checked.dataset_type,
            "name": checked.properties.get("$NAME") or checked.properties.get("NAME"),
            "target": checked.target_identifier,
            "published": record.now(),
            "files": [i.name for i in items],
        }
        try:
            previous = record.parse(
                await client.read_file(workflow, record.PUBLISHED_NAME, record.MAX_RECORD_BYTES),
                record.PUBLISHED_SCHEMA,
            )
            document = record.published_document(previous, entry)
            await client.upload_content(workflow, record.PUBLISHED_NAME, record.to_bytes(document))
            noted = True
        except LabError:  # the dataset stands; only the run's list of it is missing
            noted = False
        return {"permId": perm_id, "notedInWorkspace": noted, **capped("files", entry["files"])}

    return jobs.submit(
        KIND,
        f"Publish {workflow} to {checked.target_identifier}",
        work,
        connection=openbis_connection,
        reanaConnection=client.name,
        workflow=workflow,
        datasetType=checked.dataset_type,
        target=checked.target_identifier,
        files=len(items),
    )


def _with_properties(request: Any, properties: dict[str, Any]) -> Any:
    from dataclasses import replace

    return replace(request, properties=properties)


def _check_summary_property(openbis: Any, dataset_type: str, code: str) -> None:
    try:
        specs = property_specs(openbis, openbis.get_dataset_type(dataset_type))
    except ValueError:
        return  # an unknown type is reported with the other problems of the form
    spec = specs.get(code)
    if spec is None or spec.data_type not in SUMMARY_TYPES:
        raise InvalidInput(
            f"Dataset type {dataset_type} has no multi-line property '{code}' for the run summary",
            field="summaryProperty",
        )


async def _provenance_items(client: Any, workflow: str, facts: RunFacts) -> list[Item]:
    """The record and the spec, as files of the new dataset's `provenance/` folder."""
    items = []
    if facts.record is not None:
        raw = record.to_bytes(facts.record)
        items.append(Item(record.RECORD_NAME, len(raw), raw))
        spec_path = (facts.record.get("specification") or {}).get("path")
        if isinstance(spec_path, str) and spec_path:
            name = PurePosixPath(spec_path).name
            spec = await client.read_file(workflow, name, MAX_SPEC_BYTES)
            if spec is not None:
                items.append(Item(f"{record.RECORD_FOLDER}/{name}", len(spec), spec))
    return items


# ---- the job ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishJob:
    """A publication, checked in the server, as the lab worker runs it."""

    workflow: str
    items: tuple[Item, ...]
    checked: CheckedMetadata
    root_dir: Path
    #: Longest silence of openBIS (the connection's `openbis_timeout`).
    read_timeout: float


def publish_files(
    context: WorkContext, ticket: Ticket, target: StreamTarget, job: PublishJob
) -> str:
    """Runs in the lab worker: every file through a pipe into the session workspace, then
    the registration (a cancel during it is too late: it completes and stands)."""
    progress = context.progress
    client = target.client()
    progress.set_totals(bytes_total=sum(i.size for i in job.items), files_total=len(job.items))
    session, tokens = in_worker.token_source(context, ticket, job.read_timeout)
    workspace = in_worker.run_for_transfer(context, session, job.read_timeout, workspace_of)
    for attempt in range(UPLOAD_ATTEMPTS):
        progress.set_step("uploading")
        try:
            sent = _send_all(context, job.items, client, job.workflow, workspace, tokens)
        except transfers.SessionRenewed as renewed:
            renewed.sent.uncount(progress)
            if attempt + 1 == UPLOAD_ATTEMPTS:
                raise
            continue
        progress.check_cancelled()
        progress.set_step("registering")
        # No local files: pybis only checks that the names it is given exist.
        selection = LocalSelection(files=(), sources=(job.root_dir,), prefix="default/")
        try:
            with context.uncancellable():
                return in_worker.run_for_transfer(
                    context,
                    session,
                    REGISTRATION_TIMEOUT,
                    register_dataset,
                    job.checked,
                    selection,
                    sent,
                )
        except transfers.SessionRenewed as renewed:
            renewed.sent.uncount(progress)
            if attempt + 1 == UPLOAD_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _send_all(
    context: WorkContext,
    items: Sequence[Item],
    client: ReanaClient,
    workflow: str,
    workspace: Workspace,
    tokens: transfers.TokenSource,
) -> SentUpload:
    progress = context.progress
    upload_id, token = str(uuid.uuid4()), tokens.token
    sent_bytes = sent_files = 0
    for item in items:
        progress.check_cancelled()
        progress.set_step(f"uploading {item.name}")
        try:
            _send_item(context, item, client, workflow, workspace, upload_id, token, tokens)
        except transfers.TokenRefused as refused:
            tokens.renew(refused, f"uploading '{item.name}'")
            raise transfers.SessionRenewed(
                SentUpload(upload_id, token, sent_bytes, sent_files)
            ) from None
        sent_bytes += item.size
        sent_files += 1
        progress.file_done()
    return SentUpload(upload_id, token, sent_bytes, sent_files)


def _send_item(
    context: WorkContext,
    item: Item,
    client: ReanaClient,
    workflow: str,
    workspace: Workspace,
    upload_id: str,
    token: str,
    tokens: transfers.TokenSource,
) -> None:
    """A thread reads the workspace file into the pipe while slices of the pipe's bytes are
    sent (`send_in_slices`: the next while the last awaits its answer); a failure or a
    cancel on either side stops the other at once."""
    progress = context.progress
    pipe = Pipe(item.size)
    connections = context.connections.child()
    name = f"default/{item.name}"
    pieces = slices(item.size)
    local = threading.local()  # a Session per sending thread: requests' is not thread-safe
    opened: list[Any] = []

    def send_slice(index: int, body: PipeSlice) -> None:
        progress.check_cancelled()
        if not hasattr(local, "session"):
            local.session = tracked_session(connections)
            opened.append(local.session)
        start, length, end_byte = pieces[index]
        _post(
            local.session,
            workspace,
            upload_id,
            name,
            index + 1,
            start,
            end_byte,
            body if length else b"",
            token,
            tokens,
            item,
            progress,
            length,
        )

    class Into:
        """The pipe as the REANA download's file object."""

        @staticmethod
        def write(chunk: bytes) -> int:
            pipe.write(chunk)
            return len(chunk)

    def produce() -> None:
        try:
            if item.content is not None:
                pipe.write(item.content)
            else:
                received = client.download_file_blocking(
                    workflow, item.name, Into(), None, context.cancel_event, connections
                )
                if received != item.size:
                    raise UpstreamError(
                        f"REANA sent {received} of the {item.size} bytes of '{item.name}'",
                        code="incomplete_download",
                    )
            pipe.close()
        except BaseException as exc:
            pipe.abort(exc if isinstance(exc, Exception) else JobCancelled())

    reader = threading.Thread(target=produce, name="reana-to-openbis", daemon=True)
    reader.start()
    try:
        send_in_slices(
            pipe, [length for _, length, _ in pieces], send_slice, connections.cut, "publish"
        )
    except BaseException as exc:
        pipe.abort(exc if isinstance(exc, Exception) else JobCancelled())
        connections.cut()
        reader.join()
        if isinstance(exc, transfers.TokenRefused):
            raise
        if isinstance(pipe.error, LabError) and not isinstance(exc, JobCancelled):
            raise pipe.error from None
        raise
    finally:
        for session in opened:
            session.close()
    reader.join()
    if pipe.error is not None:
        raise pipe.error


def _post(
    session: Any,
    workspace: Workspace,
    upload_id: str,
    name: str,
    number: int,
    start: int,
    end_byte: int,
    body: Any,
    token: str,
    tokens: transfers.TokenSource,
    item: Item,
    progress: ProgressReport,
    length: int,
) -> None:
    what = f"uploading '{item.name}'"
    try:
        response = session.post(
            f"{workspace.dss_url}{SESSION_WORKSPACE}",
            params=workspace_params(upload_id, name, number, start, end_byte, token=token),
            data=body,
            timeout=tokens.http_timeout,
            verify=workspace.verify,
        )
        transfers.check_status(response, token, what)
        if start == 0 and end_byte == item.size:
            reply = response.json()
            if int(reply.get("size", -1)) != item.size:
                raise UpstreamError(f"openBIS stored a different size for '{item.name}'")
    except (JobCancelled, LabError, transfers.TokenRefused):
        raise
    except Exception as exc:
        progress.check_cancelled()
        raise transfers.transfer_error(exc, what) from None
    progress.add_bytes(length)
