"""The chain as a Workflow Run RO-Crate (https://w3id.org/ro/wfrun/workflow/0.5).

Written with ro-crate-py (`rocrate`), the reference library of the RO-Crate community,
from a run's provenance record: the workflow (the REANA spec as the main workflow, its
engine as the language, its declared parameters as FormalParameters), the run (a
CreateAction with start and end, parameter values as PropertyValues), the inputs as openBIS
datasets (their permId and the server's address as identifiers), the outputs (workspace
files, and the openBIS datasets published from the run), the record itself and the
notebook folder's environment files (requirements.txt, runtime.txt). Output files are
referenced by their REANA address, not copied: a crate stays small whatever the run made.
"""

from __future__ import annotations

import io
import mimetypes
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rocrate.model.computerlanguage import ComputerLanguage
from rocrate.model.contextentity import ContextEntity
from rocrate.model.person import Person
from rocrate.rocrate import ROCrate

from ..errors import Conflict, InvalidInput
from ..reana.workspace import free_name
from . import record

PROFILES = {
    "https://w3id.org/ro/wfrun/process/0.5": "Process Run Crate",
    "https://w3id.org/ro/wfrun/workflow/0.5": "Workflow Run Crate",
    "https://w3id.org/workflowhub/workflow-ro-crate/1.0": "Workflow RO-Crate",
}
ENGINES = {
    "serial": "https://docs.reana.io/running-workflows/supported-systems/serial/",
    "cwl": "https://www.commonwl.org/",
    "yadage": "https://yadage.readthedocs.io/",
    "snakemake": "https://snakemake.readthedocs.io/",
}
FORMATS = ("zip", "folder")
LICENSE = "https://spdx.org/licenses/CC-BY-4.0"


def dataset_url(server: str, perm_id: str) -> str:
    """The dataset's page in the openBIS ELN: its server and permId, resolvable by people."""
    return (
        f"{server.rstrip('/')}/openbis/webapp/eln-lims/?menuUniqueId=null"
        f"&viewName=showViewDataSetPageFromPermId&viewData={quote(perm_id)}"
    )


def run_url(server: str, workflow_id: str) -> str:
    return f"{server.rstrip('/')}/details/{workflow_id}"


def build_crate(
    run: Mapping[str, Any],
    status: Mapping[str, Any],
    spec: bytes | None,
    outputs: Sequence[str],
    published: Sequence[Mapping[str, Any]],
    sizes: Mapping[str, int | None] | None = None,
) -> ROCrate:
    """The crate of one run, from its record (`run`), REANA's status (times), the spec's
    bytes, the declared outputs (with their sizes in the workspace, where known) and the
    datasets published from it. Besides the profile's required terms it carries the
    recommended ones it can know (roc-validator, tests/provenance/crate_validation.py)."""
    crate = ROCrate(version="1.1")
    reana = run.get("reana") or {}
    server = str(reana.get("server") or "")
    workflow_id = str(reana.get("workflowId") or "")
    name = reana.get("workflowName") or workflow_id
    number = reana.get("runNumber")
    run_name = f"{name}.{number}" if number else str(name)
    specification = run.get("specification") or {}
    engine = str(specification.get("engine") or "serial")
    spec_name = Path(str(specification.get("path") or "reana.yaml")).name

    crate.name = f"REANA run {run_name}"
    crate.description = f"The run {run_name} of REANA ({server}) with its inputs from openBIS"
    crate.license = crate.add(
        ContextEntity(crate, LICENSE, properties={"@type": "CreativeWork", "name": "CC BY 4.0"})
    )
    crate.root_dataset["conformsTo"] = [crate.add(_profile(crate, u)) for u in PROFILES]

    language = crate.add(
        ComputerLanguage(
            crate,
            f"#reana-{engine}",
            properties={
                "name": f"REANA {engine} workflow",
                "alternateName": engine,
                "url": {"@id": ENGINES.get(engine, "https://reana.io/")},
            },
        )
    )
    declared = ((specification.get("loaded") or {}).get("inputs") or {}).get("parameters") or {}
    formal = [
        crate.add(
            ContextEntity(
                crate,
                f"#param-{key}",
                properties={
                    "@type": "FormalParameter",
                    "name": key,
                    "additionalType": _kind(value),
                    "conformsTo": {
                        "@id": "https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE"
                    },
                },
            )
        )
        for key, value in declared.items()
    ]
    version = (specification.get("loaded") or {}).get("version")
    workflow = crate.add_workflow(
        io.BytesIO(spec or b""),
        spec_name,
        main=True,
        lang=language,
        properties={
            "name": f"{name} ({spec_name})",
            "input": formal[0] if len(formal) == 1 else formal,  # RO-Crate: no singleton lists
            "encodingFormat": "application/yaml",
            **({"version": str(version)} if version else {}),
            **({"url": workspace_url(server, workflow_id, spec_name)} if server else {}),
        },
    )

    inputs = [crate.add(_dataset(crate, i)) for i in record.openbis_inputs(run)]
    values = [
        crate.add(
            ContextEntity(
                crate,
                f"#pv-{key}",
                properties={
                    "@type": "PropertyValue",
                    "name": key,
                    "value": str(value),
                    "exampleOfWork": {"@id": f"#param-{key}"},
                },
            )
        )
        for key, value in {**_defaults(declared), **(run.get("parameters") or {})}.items()
        if f"#param-{key}" in {f.id for f in formal}
    ]
    environment = [
        crate.add_file(
            io.BytesIO(str(entry.get("text", "")).encode()),
            f"environment/{file_name}",
            properties={"name": file_name, "encodingFormat": "text/plain"},
        )
        for file_name, entry in (run.get("environment") or {}).items()
        if isinstance(entry, Mapping) and "text" in entry
    ]
    record_file = crate.add_file(
        io.BytesIO(record.to_bytes(run)),
        "provenance/run.json",
        properties={"name": "Provenance record of the run", "encodingFormat": "application/json"},
    )
    exported = _iso(datetime.now(timezone.utc))
    results: list[Any] = [
        crate.add_file(
            workspace_url(server, workflow_id, path),
            properties={
                "name": path,
                "description": "In the run's REANA workspace",
                "encodingFormat": mimetypes.guess_type(path)[0] or "application/octet-stream",
                "sdDatePublished": exported,
                **_size((sizes or {}).get(path)),
            },
        )
        for path in outputs
    ]
    results += [crate.add(_dataset(crate, d)) for d in published]

    agent = None
    user = reana.get("user")
    if isinstance(user, str) and user:
        agent = crate.add(Person(crate, f"mailto:{user}", properties={"name": user, "email": user}))
        crate.root_dataset["author"] = agent
    started = _iso(status.get("startedAt") or run.get("created"))
    ended = _iso(status.get("finishedAt"))
    outcome = _action_status(status.get("status"))
    action = crate.add_action(
        workflow,
        identifier=f"#run-{workflow_id}",
        object=[*inputs, *values, *environment],
        result=[*results, record_file],
        properties={
            "name": f"Run {run_name} on REANA",
            "description": f"The REANA run {run_name} ({workflow_id}) on {server or 'REANA'}",
            "url": run_url(server, workflow_id) if server else None,
            **({"startTime": started} if started else {}),
            **({"endTime": ended} if ended else {}),
            **({"actionStatus": outcome} if outcome else {}),
            **({"agent": agent} if agent else {}),
        },
    )
    crate.add_file(
        io.BytesIO(_readme(run_name, server, workflow_id).encode()),
        "README.md",
        properties={
            "name": "About this crate",
            "about": {"@id": "./"},
            "encodingFormat": "text/markdown",
        },
    )
    crate.root_dataset["mentions"] = action
    for entity in [*inputs, *results]:  # every data entity is part of the crate (web-based too)
        if entity not in crate.root_dataset.get("hasPart", []):
            crate.root_dataset.append_to("hasPart", entity)
    return crate


def _profile(crate: ROCrate, uri: str) -> ContextEntity:
    return ContextEntity(
        crate,
        uri,
        properties={
            "@type": "CreativeWork",
            "name": PROFILES[uri],
            "version": uri.rsplit("/", 1)[1],
        },
    )


def _dataset(crate: ROCrate, entry: Mapping[str, Any]) -> ContextEntity:
    server = str(entry.get("server") or "")
    perm_id = str(entry.get("permId"))
    return ContextEntity(
        crate,
        dataset_url(server, perm_id),
        properties={
            "@type": "Dataset",
            "name": entry.get("name") or perm_id,
            "identifier": perm_id,
            "additionalType": entry.get("type"),
            "url": dataset_url(server, perm_id),
            "publisher": server or None,
            "description": f"openBIS dataset {perm_id} on {server}",
        },
    )


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    return "Text"


def _defaults(declared: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in declared.items() if not isinstance(v, (dict, list))}


def _action_status(status: Any) -> str | None:
    """The profile allows only a run's outcome; one still going has none yet."""
    if status == "finished":
        return "http://schema.org/CompletedActionStatus"
    if status in ("failed", "stopped", "deleted"):
        return "http://schema.org/FailedActionStatus"
    return None


def _iso(value: Any) -> str | None:
    """A time as the profile wants it (ISO 8601 with an offset); REANA's own have none and
    are UTC."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _size(size: int | None) -> dict[str, str]:
    return {"contentSize": str(size)} if isinstance(size, int) else {}


def workspace_url(server: str, workflow_id: str, path: str) -> str:
    return f"{server.rstrip('/')}/api/workflows/{workflow_id}/workspace/{quote(path)}"


def _readme(run_name: str, server: str, workflow_id: str) -> str:
    return (
        f"# REANA run {run_name}\n\n"
        f"A Workflow Run Crate (https://w3id.org/ro/wfrun/workflow/0.5) of the run {run_name}"
        f" ({workflow_id}) on {server or 'REANA'}: its specification, parameters, inputs from"
        " openBIS, outputs and provenance record, described in ro-crate-metadata.json.\n"
    )


def write(
    crate: ROCrate,
    folder: Path,
    name: str,
    kind: str,
    *,
    overwrite: bool = False,
    keep_both: bool = False,
) -> Path:
    """Write the crate into `folder` as `name` (zip or folder), all at once: it appears only
    complete. Blocking: call it in a thread. When the name is taken: replace it (`overwrite`,
    the old one goes only once the new one is complete), write beside it under a free name
    (`keep_both`, `name (1).zip`), or a Conflict the user can answer with either."""
    target = folder / (f"{name}.zip" if kind == "zip" else name)
    taken = target.exists() or target.is_symlink()
    if taken and keep_both:
        target = free_name(target)
    elif taken and not overwrite:
        raise Conflict(
            f"'{target.name}' exists already in that folder",
            field="destination",
            code="target_exists",
        )
    scratch = Path(tempfile.mkdtemp(prefix=".ro-crate-", dir=folder))
    try:
        if kind == "zip":
            crate.write_zip(scratch / target.name)
        else:
            crate.write(scratch / target.name)
        if taken and overwrite and target.is_dir() and not target.is_symlink():
            # A folder cannot be renamed over: the old one is moved aside (and removed with
            # the scratch folder) only now that the new one is complete.
            os.rename(target, scratch / ".replaced")
        os.replace(scratch / target.name, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


# ---- export: a run's crate, or a published dataset's -----------------------------------------


@dataclass(frozen=True)
class CrateRequest:
    """`POST /provenance/crate`, as the contract checked it."""

    source: str
    connection: str
    workflow: str | None = None
    perm_id: str | None = None
    destination: str = ""
    format: str = "zip"
    #: Replace a crate of the same name in `destination`.
    overwrite: bool = False
    #: Write beside a crate of the same name, under a free name (`name (1).zip`).
    keep_both: bool = False


async def export(
    request: CrateRequest, *, openbis: Any, reana: Any, root_dir: Path
) -> dict[str, Any]:
    """Build the crate from a run (REANA) or a published dataset (openBIS) and write it into
    `destination` (a folder under the server root) as a zip or a folder."""
    import anyio

    from ..paths import check_writable, confine, to_api_path
    from ..reana import workflows
    from ..reana.workspace import file_sizes
    from .lineage import RECORD_PATHS, read_dataset_file
    from .publish import declared_outputs, run_facts

    folder = confine(root_dir, request.destination, field="destination")
    if not folder.is_dir():
        raise InvalidInput("'destination' must be an existing folder", field="destination")
    kind = request.format
    connection = request.connection
    if request.source == "run":
        workflow = request.workflow
        if not workflow:
            raise InvalidInput("'workflow' is required to export a run", field="workflow")
        client = reana.client(connection)
        facts = await run_facts(client, workflow)
        if facts.record is None:
            raise Conflict(
                "This run has no provenance record (it was not started from JupyterLab)",
                field="source",
            )
        detail = await workflows.detail(client, workflow)
        spec_path = (facts.record.get("specification") or {}).get("path") or "reana.yaml"
        spec = await client.read_file(workflow, Path(spec_path).name, 5 * 1024 * 1024)
        built = build_crate(
            facts.record,
            detail,
            spec,
            declared_outputs(facts.specification),
            facts.published,
            await file_sizes(client, workflow),
        )
        name = f"{detail.get('name') or workflow}-ro-crate"
    else:
        perm_id = request.perm_id
        if not perm_id:
            raise InvalidInput("'permId' is required to export a dataset", field="permId")
        raw = await openbis.call(connection, read_dataset_file, perm_id, RECORD_PATHS)
        run = record.parse(raw)
        if run is None:
            raise Conflict(
                f"Dataset {perm_id} carries no provenance record (provenance/run.json)",
                field="source",
            )
        spec_name = Path(str((run.get("specification") or {}).get("path") or "reana.yaml")).name
        spec = await openbis.call(
            connection,
            read_dataset_file,
            perm_id,
            tuple(f"original/{p}provenance/{spec_name}" for p in ("default/", "")),
        )
        server = openbis.get(connection).url
        built = build_crate(run, {}, spec, [], [{"server": server, "permId": perm_id}])
        name = f"{perm_id}-ro-crate"
    await anyio.to_thread.run_sync(lambda: check_writable(root_dir, folder, field="destination"))
    if request.overwrite and request.keep_both:
        raise InvalidInput("Choose 'overwrite' or 'keepBoth', not both", field="keepBoth")
    target = await anyio.to_thread.run_sync(
        lambda: write(
            built,
            folder,
            name,
            kind,
            overwrite=request.overwrite,
            keep_both=request.keep_both,
        )
    )
    return {"path": to_api_path(root_dir, target), "format": kind}
