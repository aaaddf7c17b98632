"""The provenance record of a run: `provenance/run.json` in the REANA workspace.

Why a file in the workspace: it travels with the run (anyone with access to the run reads
it with reana-client or REANA's web UI, no JupyterLab needed), it is in the outputs a
publication copies into openBIS, and a workspace folder of its own (`provenance/`) keeps it
clear of the workflow's files. JSON, because every tool reads it; `schema` names the layout
and its version so that later readers can tell.

It holds no secret: server addresses, never a token or session id.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .inputs import RECORD_FOLDER, ResolvedInput

RECORD_NAME = f"{RECORD_FOLDER}/run.json"
#: The datasets published from a run, kept next to its record.
PUBLISHED_NAME = f"{RECORD_FOLDER}/published.json"
SCHEMA = "reana-openbis-lab/provenance/run/1"
PUBLISHED_SCHEMA = "reana-openbis-lab/provenance/published/1"
#: Files next to a notebook that say how to rebuild its environment.
ENVIRONMENT_FILES = ("requirements.txt", "runtime.txt")
#: Largest environment file copied into the record (bigger ones are named with a hash only).
MAX_ENVIRONMENT_TEXT = 64 * 1024
#: Largest record read back (a hostile workspace could hold anything under that name).
MAX_RECORD_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class RunContext:
    """What the run job knows about who started what, from where."""

    reana_server: str
    spec_path: str
    spec_raw: bytes
    specification: Mapping[str, Any]
    parameters: Mapping[str, Any]
    operational_options: Mapping[str, Any]
    jupyter_user: str | None
    folder: str
    tool_version: str
    environment: Mapping[str, Any] = field(default_factory=dict)
    downloaded: Sequence[Mapping[str, Any]] = ()


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def read_environment(folder: Path) -> dict[str, Any]:
    """requirements.txt and runtime.txt of the spec's folder: text (if small) and sha256.
    Blocking (reads files): call it in a thread."""
    found: dict[str, Any] = {}
    for name in ENVIRONMENT_FILES:
        path = folder / name
        if not path.is_file() or path.is_symlink():
            continue
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        entry: dict[str, Any] = {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
        if len(raw) <= MAX_ENVIRONMENT_TEXT:
            entry["text"] = raw.decode("utf-8", "replace")
        found[name] = entry
    return found


def input_entry(item: ResolvedInput) -> dict[str, Any]:
    listing = item.listing
    return {
        "source": "openbis",
        "how": "streamed",
        "server": item.server,
        "permId": listing.perm_id,
        "type": listing.type_code,
        "name": listing.name,
        "collection": listing.collection,
        "object": listing.object,
        "workspaceFolder": item.folder,
        "files": [
            {
                "path": f.remote,
                "workspacePath": f.workspace_name,
                "size": f.size,
                "crc32": f"{f.crc32:08x}" if f.crc32 is not None else None,
                **({"checksum": f.checksum, "checksumType": f.checksum_type} if f.checksum else {}),
            }
            for f in item.files
        ],
    }


def downloaded_entry(entry: Mapping[str, Any], folder: str) -> dict[str, Any]:
    """A dataset downloaded earlier into the spec's folder (its manifest entry)."""
    return {
        "source": "openbis",
        "how": "downloaded",
        "server": entry.get("url"),
        "permId": entry.get("permId"),
        "type": entry.get("type"),
        "downloaded": entry.get("downloaded"),
        "files": [{"path": f, "workspacePath": f} for f in entry.get("files") or []],
        "localFolder": folder,
    }


def build_record(
    context: RunContext,
    workflow: Mapping[str, Any],
    inputs: Iterable[ResolvedInput],
    uploaded: Sequence[tuple[str, int]],
    reana_user: str | None,
) -> dict[str, Any]:
    spec = context.specification
    engine = (spec.get("workflow") or {}).get("type") if isinstance(spec, Mapping) else None
    name = str(workflow.get("name") or "")
    run_number = name.split(".", 1)[1] if "." in name else None
    return {
        "schema": SCHEMA,
        "created": now(),
        "tool": {"name": "reana_openbis_lab", "version": context.tool_version},
        "reana": {
            "server": context.reana_server,
            "workflowId": workflow.get("id"),
            "workflowName": name.split(".", 1)[0] if name else None,
            "runNumber": run_number,
            "user": reana_user,
        },
        "specification": {
            "path": context.spec_path,
            "sha256": hashlib.sha256(context.spec_raw).hexdigest(),
            "engine": engine,
            "loaded": spec,
        },
        "parameters": dict(context.parameters),
        "operationalOptions": dict(context.operational_options),
        "startedBy": {"jupyterUser": context.jupyter_user, "folder": context.folder},
        "environment": dict(context.environment),
        "inputs": [input_entry(i) for i in inputs]
        + [downloaded_entry(e, context.folder) for e in context.downloaded],
        "uploaded": [{"path": path, "size": size} for path, size in uploaded],
    }


def to_bytes(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def parse(raw: bytes | None, schema: str = SCHEMA) -> dict[str, Any] | None:
    """A record read back; None when absent or not one of ours (never an error: a run
    started elsewhere simply has no record)."""
    if raw is None:
        return None
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("schema") != schema:
        return None
    return document


def openbis_inputs(record: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The record's openBIS input datasets ({server, permId, type, name, ...})."""
    if not record:
        return []
    entries = given if isinstance(given := record.get("inputs"), list) else []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("permId"), str)]


def published_document(
    previous: Mapping[str, Any] | None, entry: Mapping[str, Any]
) -> dict[str, Any]:
    datasets = list((previous or {}).get("datasets") or [])
    return {"schema": PUBLISHED_SCHEMA, "datasets": [*datasets, dict(entry)]}
