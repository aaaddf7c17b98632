"""What a REANA server offers (`/api/info`), and a spec checked against it before sending.

`/api/info` answers `{key: {title, value}}`; REANA 0.9.4 has about ten keys, 0.95 about thirty
(engines and their versions, Kubernetes requests and limits, vetted and recommended images),
and a deployment leaves many null. `summary` reads the ones a user acts on into one stable
shape and keeps every entry as text for a details view.

`problems` checks a specification (the raw reana.yaml, or the one reana-client loaded, which
holds the CWL, yadage and Snakemake steps too) against those limits as reana-server would when
the run is created or its jobs are scheduled: an engine or compute backend the server does not
offer, a memory limit or job timeout above the maximum, a retention period at or above the
maximum, an image outside the vetted list, a workspace root the server does not have. A run
that breaks one is refused before anything is created.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InvalidInput, LabError, PermissionDenied
from .validate import read_spec, spec_data

#: Kubernetes quantity suffixes (memory) and their factors.
_MEMORY_UNITS = {
    "": 1,
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
    "Ei": 2**60,
}
_QUANTITY = re.compile(
    r"^\s*(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(?P<unit>[A-Za-z]{0,2})\s*$"
)
#: Shown at most in one answer, so a hostile server cannot make it huge.
MAX_ENTRIES = 100
MAX_LIST = 50
MAX_TEXT = 300


def memory_bytes(value: Any) -> int | None:
    """A Kubernetes memory quantity ("4Gi", "512M", "1e9") in bytes; None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if not isinstance(value, str):
        return None
    match = _QUANTITY.match(value)
    if match is None or match["unit"] not in _MEMORY_UNITS:
        return None
    return int(float(match["number"]) * _MEMORY_UNITS[match["unit"]])


def _seconds(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _value(info: dict[str, Any], key: str) -> Any:
    entry = info.get(key)
    return entry.get("value") if isinstance(entry, dict) else None


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:MAX_TEXT]


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(item)[:MAX_TEXT] for item in value if isinstance(item, (str, int, float))][
        :MAX_LIST
    ]


def _mapping(value: Any) -> dict[str, Any]:
    """A spec section that should be a mapping; anything else reads as empty."""
    return value if isinstance(value, dict) else {}


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def summary(info: dict[str, Any]) -> dict[str, Any]:
    """The UI's view of `/api/info` (`ReanaServerInfo` in openapi.yaml)."""
    retention = _seconds(_value(info, "maximum_workspace_retention_period"))
    vetted_required = _flag(_value(info, "vetted_container_images_enabled"))
    vetted = _texts(_value(info, "vetted_container_images_allowlist"))
    jupyter = _texts(_value(info, "interactive_session_recommended_jupyter_images"))
    engines = _value(info, "supported_workflow_engines")
    entries = []
    for key, entry in list(info.items())[:MAX_ENTRIES]:
        if not isinstance(entry, dict):
            continue
        value = entry.get("value")
        shown = ", ".join(_texts(value)) if isinstance(value, list) else _text(value)
        entries.append(
            {"key": str(key), "title": _text(entry.get("title")) or str(key), "value": shown}
        )
    return {
        "engines": _texts(engines) if isinstance(engines, list) else None,
        "computeBackends": _texts(_value(info, "compute_backends")),
        "workspaces": _texts(_value(info, "workspaces_available")),
        "defaultWorkspace": _text(_value(info, "default_workspace")),
        # REANA applies its maximum as the default rule for every file (`**/*`) unless the
        # spec gives shorter ones; null means files are kept until the run is deleted.
        "retentionDays": retention,
        "jobs": {
            "defaultTimeout": _seconds(_value(info, "default_kubernetes_jobs_timeout")),
            "maximumTimeout": _seconds(_value(info, "maximum_kubernetes_jobs_timeout")),
            "defaultMemoryLimit": _text(_value(info, "default_kubernetes_memory_limit")),
            "maximumMemoryLimit": _text(_value(info, "kubernetes_max_memory_limit")),
        },
        "images": {
            # Images a workflow step may use when the server only runs vetted ones, else the
            # ones it recommends (REANA 0.95 names Jupyter images for interactive sessions).
            "recommended": vetted or jupyter,
            "vettedOnly": vetted_required and bool(vetted),
        },
        "entries": entries,
    }


@dataclass(frozen=True)
class Step:
    """One job a spec declares, with what the server limits; None where the spec says nothing."""

    name: str
    image: str | None
    compute_backend: str | None
    memory_limit: Any
    job_timeout: Any


def _serial(spec: dict[str, Any]) -> Iterator[Step]:
    for index, step in enumerate(spec.get("steps") or []):
        if isinstance(step, dict):
            yield Step(
                str(step.get("name") or index + 1),
                _text(step.get("environment")),
                _text(step.get("compute_backend")),
                step.get("kubernetes_memory_limit"),
                step.get("kubernetes_job_timeout"),
            )


def _yadage(stages: Any) -> Iterator[Step]:
    for stage in stages if isinstance(stages, list) else []:
        scheduler = stage.get("scheduler") if isinstance(stage, dict) else None
        if not isinstance(scheduler, dict):
            continue
        nested = scheduler.get("workflow")
        if isinstance(nested, dict):
            yield from _yadage(nested.get("stages"))
            continue
        step = _mapping(scheduler.get("step"))
        environment = _mapping(step.get("environment"))
        resources: dict[str, Any] = {}
        for resource in environment.get("resources") or []:
            if isinstance(resource, dict):
                resources.update(resource)
        image = _text(environment.get("image"))
        if image and environment.get("imagetag"):
            image = f"{image}:{environment['imagetag']}"
        yield Step(
            str(stage.get("name") or "stage"),
            image,
            _text(resources.get("compute_backend")),
            resources.get("kubernetes_memory_limit"),
            resources.get("kubernetes_job_timeout"),
        )


def _cwl(specification: Any) -> Iterator[Step]:
    documents = (
        specification.get("$graph", [specification]) if isinstance(specification, dict) else []
    )
    for document in documents if isinstance(documents, list) else []:
        for step in (document.get("steps") or []) if isinstance(document, dict) else []:
            if not isinstance(step, dict):
                continue
            hints = step.get("hints")
            hints = hints if isinstance(hints, list) else []
            reana = next(
                (h for h in hints if isinstance(h, dict) and h.get("class") == "reana"), {}
            )
            yield Step(
                str(step.get("id") or "step").lstrip("#"),
                None,
                _text(reana.get("compute_backend")),
                reana.get("kubernetes_memory_limit"),
                reana.get("kubernetes_job_timeout"),
            )


def steps(specification: dict[str, Any]) -> list[Step]:
    """The jobs of a spec of any engine, as far as the spec itself declares them."""
    workflow = specification.get("workflow")
    if not isinstance(workflow, dict):
        return []
    inner = workflow.get("specification")
    engine = workflow.get("type")
    if engine in ("serial", "snakemake") and isinstance(inner, dict):
        return list(_serial(inner))
    if engine == "yadage" and isinstance(inner, dict):
        return list(_yadage(inner.get("stages")))
    if engine == "cwl":
        return list(_cwl(inner))
    return []


def _bare_image(image: str) -> str:
    """Docker Hub's implicit prefixes dropped, so `python:3.11` equals `docker.io/library/python:3.11`."""
    for prefix in ("docker.io/library/", "docker.io/", "library/"):
        if image.startswith(prefix):
            return image[len(prefix) :]
    return image


def _retention_problems(specification: dict[str, Any], maximum: int | None) -> list[str]:
    workspace = specification.get("workspace")
    rules = workspace.get("retention_days") if isinstance(workspace, dict) else None
    if rules is None:
        return []
    if not isinstance(rules, dict):
        return ["workspace.retention_days must map file patterns to numbers of days"]
    found = []
    for pattern, days in rules.items():
        parts = PurePosixPath(str(pattern)).parts
        if not parts or str(pattern).startswith("/") or ".." in parts:
            found.append(
                f"workspace.retention_days: '{pattern}' must be a pattern relative to the "
                "workspace, without '..'"
            )
        elif isinstance(days, bool) or not isinstance(days, int) or days < 1:
            found.append(f"workspace.retention_days: '{pattern}' must be a whole number of days")
        elif maximum is not None and days >= maximum:
            found.append(
                f"workspace.retention_days: '{pattern}' keeps files {days} days; this server "
                f"keeps workspace files at most {maximum} days (use less than {maximum})"
            )
    return found


def problems(specification: dict[str, Any], info: dict[str, Any]) -> list[str]:
    """What reana-server would refuse in this spec, from its `/api/info`; [] when nothing."""
    server = summary(info)
    found: list[str] = []
    workflow = _mapping(specification.get("workflow"))
    engine = workflow.get("type")
    if server["engines"] and isinstance(engine, str) and engine not in server["engines"]:
        found.append(f"This server runs {', '.join(server['engines'])} workflows, not {engine}")
    workspace = _mapping(specification.get("workspace"))
    root_path = workspace.get("root_path")
    if (
        isinstance(root_path, str)
        and server["workspaces"]
        and root_path not in server["workspaces"]
    ):
        found.append(
            f"workspace.root_path '{root_path}' is not one of this server's workspaces "
            f"({', '.join(server['workspaces'])})"
        )
    found += _retention_problems(specification, server["retentionDays"])
    max_memory_text = server["jobs"]["maximumMemoryLimit"]
    max_memory = memory_bytes(max_memory_text)
    max_timeout = server["jobs"]["maximumTimeout"]
    backends = server["computeBackends"]
    vetted = server["images"]["recommended"] if server["images"]["vettedOnly"] else []
    for step in steps(specification):
        where = f"Step '{step.name}'"
        if (
            step.compute_backend
            and backends
            and step.compute_backend.lower() not in (b.lower() for b in backends)
        ):
            found.append(
                f"{where} asks for the compute backend '{step.compute_backend}'; this server "
                f"offers {', '.join(backends)}"
            )
        if step.memory_limit is not None:
            memory = memory_bytes(step.memory_limit)
            if memory is None:
                found.append(
                    f"{where}: kubernetes_memory_limit '{step.memory_limit}' is not a memory "
                    "size such as 4Gi or 512Mi"
                )
            elif max_memory is not None and memory > max_memory:
                found.append(
                    f"{where} asks for {step.memory_limit} of memory; this server allows at "
                    f"most {max_memory_text}"
                )
        if step.job_timeout is not None:
            timeout = _seconds(step.job_timeout)
            if timeout is None or timeout < 1:
                found.append(f"{where}: kubernetes_job_timeout must be a number of seconds")
            elif max_timeout is not None and timeout > max_timeout:
                found.append(
                    f"{where} asks for a job timeout of {timeout} s; this server allows at most "
                    f"{max_timeout} s"
                )
        if (
            vetted
            and step.image
            and _bare_image(step.image) not in {_bare_image(v) for v in vetted}
        ):
            found.append(
                f"{where} uses the image '{step.image}', which this server does not run; it "
                f"runs only vetted images: {', '.join(vetted)}"
            )
    return found


async def refuse_beyond_limits(client: Any, specification: dict[str, Any]) -> None:
    """InvalidInput (code `server_limits`) naming what the server would refuse in the spec.

    A server whose `/api/info` cannot be read (REANA 0.95.0a6 answers 500 there when no
    interactive-session images are configured) is not checked: it will say so itself."""
    try:
        info = await client.info()
    except PermissionDenied:
        raise
    except LabError:
        return
    found = problems(specification, info)
    if found:
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise InvalidInput(
            f"REANA server '{client.name}' would refuse this workflow: "
            + "; ".join(found[:3])
            + more,
            field="path",
            code="server_limits",
        )


@dataclass(frozen=True)
class SpecLimitsRequest:
    """`POST .../spec-limits`, as the contract checked it."""

    path: str


async def spec_limits(
    request: SpecLimitsRequest, *, info: dict[str, Any], root_dir: Path, max_bytes: int
) -> dict[str, Any]:
    """The spec file as written (steps in other files are checked when a run loads them)
    against the server's `info`: what it would refuse, and what it offers."""
    spec = await read_spec(root_dir, request.path, max_bytes)
    data = await spec_data(root_dir, spec)
    return {
        "path": spec.api_path,
        "problems": problems(data, info) if data is not None else [],
        "server": summary(info),
    }
