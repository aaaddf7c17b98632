"""The REANA 0.95 protocol of reana-commons 0.95.0a26's `reana_server.json` (reana-server
0.95.0a7): specification bundles, server-side validation, `/restart`, strict bodies.

The sandbox speaks it with `--reana-api 0.95`. A bundle is an uncompressed ZIP whose
`reana.yaml` is the spec; validation here is the sandbox's own small judgement (the
engine is known, serial steps have commands, parameters used are declared), answered
in the specification's `{valid, errors[{code, path, message}], warnings}` shape.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import yaml
from tornado import web

from .account import BadRetention
from .handler_base import ReanaHandler
from .model import Workflow

#: What a 0.95 server declares in `GET /api/ping`.
CAPABILITIES = ["workflow-specification-bundles-v1"]
SERVER_VERSION_095 = "0.95.0a7"
ENGINES = ("yadage", "cwl", "serial", "snakemake")
#: Top-level keys of a REANA specification; others are warned about.
KNOWN_KEYS = {"version", "inputs", "workflow", "outputs", "tests", "workspace"}
_PARAMETER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
#: Invenio's generic answer to a body field the operation does not declare.
UNPROCESSABLE = "The request was well-formed but was unable to be followed due to semantic errors."


def finding(code: str, path: str, message: str) -> dict[str, str]:
    return {"code": code, "path": path, "message": message}


def judge(spec: Any) -> dict[str, Any]:
    """`{valid, errors, warnings}` for a loaded spec."""
    errors: list[dict[str, str]] = []
    warnings: list[dict[str, str]] = []
    if not isinstance(spec, dict):
        errors.append(finding("spec.not-mapping", "", "The specification must be a mapping."))
        return {"valid": False, "errors": errors, "warnings": warnings}
    for key in sorted(set(spec) - KNOWN_KEYS):
        warnings.append(finding("spec.unexpected-property", key, f"Unexpected property {key}."))
    workflow = spec.get("workflow")
    engine = workflow.get("type") if isinstance(workflow, dict) else None
    if engine not in ENGINES:
        errors.append(
            finding("workflow.type.unknown", "workflow.type", f"Unknown workflow type {engine!r}.")
        )
    elif engine == "serial":
        inner = workflow.get("specification")
        steps = inner.get("steps") if isinstance(inner, dict) else None
        if not isinstance(steps, list) or not steps:
            errors.append(
                finding(
                    "serial.steps.missing",
                    "workflow.specification.steps",
                    "A serial workflow needs a list of steps.",
                )
            )
            steps = []
        inputs = spec.get("inputs") if isinstance(spec.get("inputs"), dict) else {}
        declared = inputs.get("parameters") if isinstance(inputs.get("parameters"), dict) else {}
        for index, step in enumerate(steps):
            where = f"workflow.specification.steps.{index}"
            commands = step.get("commands") if isinstance(step, dict) else None
            if not isinstance(commands, list) or not commands:
                errors.append(finding("serial.step.commands", where, "The step has no commands."))
                continue
            for name in _PARAMETER.findall(" ".join(str(c) for c in commands)):
                if name not in declared:
                    warnings.append(
                        finding(
                            "parameter.undeclared",
                            f"{where}.commands",
                            f'Serial parameter "{name}" is not defined in inputs.parameters.',
                        )
                    )
    return {"valid": not errors, "errors": errors, "warnings": warnings}


def bundle_spec(handler: ReanaHandler, field: str = "bundle") -> Any:
    """The spec in the request's multipart bundle (400 when there is none or it is broken)."""
    files = handler.request.files.get(field)
    if not files:
        raise web.HTTPError(400, f"Missing multipart file field '{field}'.")
    try:
        with zipfile.ZipFile(io.BytesIO(files[0]["body"])) as archive:
            raw = archive.read("reana.yaml")
    except (zipfile.BadZipFile, KeyError):
        raise web.HTTPError(400, "The bundle must be a ZIP archive holding reana.yaml.") from None
    return load_yaml(raw)


def load_yaml(raw: bytes) -> Any:
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise web.HTTPError(400, f"reana.yaml is not valid YAML: {exc}") from None


def strict_body(handler: ReanaHandler, allowed: set[str]) -> dict[str, Any]:
    """The JSON body, refused when it holds a field the operation does not declare (or is not
    an object), as webargs refuses it in REANA 0.95: 0.95.0a6 answers 422, which reana-commons
    0.95.0a26 declares for none of these operations, so the declared 400 carries its text."""
    if not handler.request.body:
        return {}
    try:
        parsed = json.loads(handler.request.body)
    except ValueError:
        raise web.HTTPError(
            400, "The browser (or proxy) sent a request that this server could not understand."
        ) from None
    if not isinstance(parsed, dict) or set(parsed) - allowed:
        raise web.HTTPError(422, UNPROCESSABLE)
    return parsed


class ValidateHandler(ReanaHandler):
    """`POST /api/workflows/validate`: the server's verdict on a bundle."""

    declared = {"post": frozenset({200, 400, 401, 403, 413, 429, 500, 503})}

    def post(self) -> None:
        self.reply(judge(bundle_spec(self)))


class RestartHandler(ReanaHandler):
    """`POST .../restart`: a clone of a finished or failed run, from a replacement spec."""

    declared = {"post": frozenset({200, 400, 401, 403, 404, 409, 413, 429, 500, 503})}

    async def post(self, id_or_name: str) -> None:
        from .handlers_account import refuse_over_quota
        from .handlers_workflows import launch, submission

        workflow = self.workflow(id_or_name)
        files = self.request.files.get("replacement")
        if not files:
            raise web.HTTPError(400, "Missing multipart file field 'replacement'.")
        specification = load_yaml(files[0]["body"])
        report = judge(specification)
        if not report["valid"]:
            raise web.HTTPError(400, report["errors"][0]["message"])
        raw_options = self.get_body_argument("parameters", "{}")
        try:
            options = json.loads(raw_options)
        except ValueError:
            raise web.HTTPError(400, "Field 'parameters' must be a JSON object.") from None
        if not isinstance(options, dict) or set(options) - {
            "input_parameters",
            "operational_options",
        }:
            raise web.HTTPError(400, "Field 'parameters' must be a JSON object.")
        if workflow.status not in ("finished", "failed"):
            raise web.HTTPError(403, "Only finished or failed workflows can be restarted.")
        await refuse_over_quota(self)
        try:
            clone = self.store.restart(workflow, specification)
        except BadRetention as exc:
            raise web.HTTPError(400, str(exc)) from None
        launch(self, clone, options)
        self.reply(submission(clone, report["warnings"], self.api095))


def item_extras(workflow: Workflow) -> dict[str, Any]:
    """Fields 0.95 list items gain: the owner's email, who it is shared with, services."""
    from ..credentials import REANA_USER_EMAIL

    return {"owner_email": REANA_USER_EMAIL, "shared_with": [], "services": []}
