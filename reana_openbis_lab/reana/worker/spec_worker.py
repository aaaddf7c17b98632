"""A warm reana-client process that validates and loads REANA specifications on request.

It runs INSIDE the separate reana-client environment, with that environment's Python,
started by file path (`python -I spec_worker.py`), so it may import only the standard
library and what reana-client brings. It never sees a token: validation is local.

Why a separate, long-lived process: reana-commons pins `jsonschema<4`, which cannot live
next to JupyterLab, and the `reana-client validate` command spends most of its time on
imports. Imported once here, a serial or yadage spec validates in milliseconds.

Protocol (JSON lines, UTF-8):

* stdin: one request per line, `{"id": <any>, "op": <name>, ...arguments}`.
* stdout: exactly one response line per request, in order:
  `{"id": <same>, "ok": true, "result": {...}}` or
  `{"id": <same>, "ok": false, "error": {"type": <exception class>, "message": <text>}}`.
  A request that is not JSON is answered with `"id": null` and `ok: false`.
* Before reading requests the worker writes one line `{"id": null, "ok": true,
  "result": {"ready": true, ...}}` once reana-client is imported, so the supervisor
  knows when it is warm.
* Ops:
  - `ping` -> `{"reanaClient": <version>, "python": <version>, "cwlInProcess": <bool>}`.
  - `validate {path, workspace}` -> `{"verdict": "valid" | "valid-with-warnings" |
    "invalid", "errors": [...], "warnings": [...]}`. Errors are `{"message",
    "exception"}`; warnings `{"message", "path"?, "property"?}` where `path` is the
    dotted location reana-commons reports (e.g. `workflow.specification.steps.0`) and
    `property` the name of an unexpected property. The spec is judged exactly as
    `reana-client validate -f <path>` run from `workspace` judges it.
  - `load {path, workspace}` -> `{"specification": <dict>, "warnings": [...]}`: what
    `reana-client create` sends as `reana_specification` (engine-specific loading:
    CWL packed by cwltool, yadage checked then sent as None, serial parameters
    expanded), or `ok: false` with error type `SpecInvalid` when the spec is invalid.
* Absolute paths only; the worker changes its working directory to `workspace` for each
  request (requests are never concurrent), as reana-client resolves files from the CWD.

Everything reana-client, cwltool or the loggers print goes to stderr (the
protocol file descriptor is private), so nothing can corrupt the protocol.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import re
import shlex
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any

#: Framing lines reana-client prints around its real warnings; they carry no information.
FRAMING_MESSAGES = {
    "The REANA specification appears valid, but some warnings were found.",
    "Please make sure that the REANA specification file is correct.",
}
#: Longest tail of engine output (cwltool's stderr) quoted in an error message.
ENGINE_OUTPUT_TAIL = 2000
#: Most warnings sent back for one spec (the Jupyter side shows fewer still).
MAX_WARNINGS = 200
#: Terminal colour codes cwltool puts into its log lines.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def engine_output(text: str) -> str:
    """cwltool's explanation without colours and progress lines, its end if it is long."""
    lines = [ANSI_ESCAPE.sub("", line) for line in text.strip().splitlines()]
    kept = "\n".join(line for line in lines if not line.startswith("INFO "))
    return kept.strip()[-ENGINE_OUTPUT_TAIL:]


class Recorder:
    """Collects what reana-client's `display_message` would have printed, by type."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.schema_warnings: list[dict[str, Any]] = []
        #: (index, count) of the messages reana-client printed for the schema warnings, which
        #: `schema_warnings` replaces with one located item per warning.
        self.schema_block = (0, 0)

    def display_message(self, msg: Any, msg_type: str | None = None, indented: bool = False):
        text = str(msg)
        if msg_type == "error":
            self.errors.append({"message": text})
        elif msg_type == "warning" and text not in FRAMING_MESSAGES:
            self.warnings.append({"message": text})


class SpecEngine:
    """reana-client imported once, with its printing and process exits made harmless."""

    def __init__(self) -> None:
        import reana_client.utils  # noqa: F401  (imports the whole validation chain)
        import reana_commons.specification
        from reana_client.validation.utils import validate_reana_spec

        self._specification = reana_commons.specification
        self._validate_reana_spec = validate_reana_spec
        self._recorder = Recorder()
        self._install_display_hook()
        self._install_schema_hook()
        self.cwl_in_process = self._install_cwl_hook()

    def _install_display_hook(self) -> None:
        """Route every module's `display_message` (imported by name) to the recorder."""
        from reana_client import printer

        original = printer.display_message
        for module in list(sys.modules.values()):
            name = getattr(module, "__name__", "")
            if name.startswith("reana_client") and getattr(module, "display_message", None) is (
                original
            ):
                # a module global replaced on purpose, in the worker process only
                module.display_message = self._display  # type: ignore[attr-defined]
        printer.display_message = self._display

    def _display(self, msg: Any, msg_type: str | None = None, indented: bool = False) -> None:
        self._recorder.display_message(msg, msg_type, indented)

    def _install_schema_hook(self) -> None:
        """Keep reana-commons' structured schema warnings (they carry the YAML location)."""
        import reana_client.validation.utils as client_validation

        original: Callable[[dict[str, Any]], dict[str, Any]] = client_validation.validate_reana_yaml

        def validate_reana_yaml(reana_yaml: dict[str, Any]) -> dict[str, Any]:
            warnings = original(reana_yaml)
            recorder = self._recorder
            recorder.schema_block = (len(recorder.warnings), len(warnings))
            for key, values in warnings.items():
                for value in values:
                    if key == "additional_properties":
                        item = {
                            "message": f"Unexpected property '{value['property']}'",
                            "property": value["property"],
                        }
                    else:
                        item = {"message": str(value.get("message"))}
                    item["path"] = value.get("path") or ""
                    recorder.schema_warnings.append(item)
            return warnings

        client_validation.validate_reana_yaml = validate_reana_yaml

    def _install_cwl_hook(self) -> bool:
        """Run cwltool in this process instead of a fresh `cwltool` command per call.

        reana-commons runs `cwltool --pack` to load and `cwltool --validate --strict` to
        check a CWL workflow, each as a subprocess that spends most of its time importing;
        cwltool's own `main` gives the same answers here in a fraction of the time, more so
        with the CWL schemas it loaded kept between calls (`CwlSchemas`). Without an
        importable cwltool the original subprocess path stays in place.
        """
        try:
            import cwltool.main
            import reana_commons.utils
        except ImportError:
            return False

        schemas = CwlSchemas()

        def cwltool_main(arguments: list[str]) -> tuple[int, str, str]:
            out, err = io.StringIO(), io.StringIO()
            with schemas.reused() as keep_schemas:
                status = cwltool.main.main(
                    arguments, stdout=out, stderr=err, custom_schema_callback=keep_schemas
                )
            return status, out.getvalue(), err.getvalue()

        def cwl_load(workflow_file: str, **kwargs: Any) -> dict[str, Any]:
            basedir = kwargs.get("basedir")
            if basedir:
                workflow_file = os.path.join(basedir, workflow_file)
            status, out, err = cwltool_main(["--pack", "--quiet", workflow_file])
            if status != 0:
                raise CwlPackError(engine_output(err))
            return json.loads(out)

        original_run_command = reana_commons.utils.run_command

        def run_command(cmd: str, *args: Any, **kwargs: Any) -> Any:
            words = shlex.split(cmd)
            if words[:3] != ["cwltool", "--validate", "--strict"]:
                return original_run_command(cmd, *args, **kwargs)
            status, out, err = cwltool_main(words[1:])
            if status != 0:  # like run_command(stderr_output=True): exit with the output
                sys.exit(engine_output(out + err))
            return out.rstrip("\r\n")

        self._specification.cwl_load = cwl_load
        reana_commons.utils.run_command = run_command
        return True

    def check(self, path: str, workspace: str) -> tuple[dict[str, Any], Recorder]:
        """Load and validate like `reana-client validate` run from `workspace`.

        Raises whatever reana-client raises; SystemExit means it printed an error and quit.
        """
        self._recorder = Recorder()
        os.chdir(workspace)
        spec = self._specification.load_reana_spec(path, workspace_path=workspace)
        self._validate_reana_spec(spec, path, skip_validate_environments=True)
        return spec, self._recorder

    @property
    def recorder(self) -> Recorder:
        return self._recorder


class CwlSchemas:
    """The CWL schemas cwltool loaded, kept from one `cwltool.main.main` call to the next.

    Every `main` call runs `setup_schema`, which empties cwltool's schema cache
    (`cwltool.process.SCHEMA_CACHE`), so each call parsed the CWL metaschema again: about
    0.5 s of a 0.55 s validation. Passing a schema callback that does nothing keeps the cache,
    and everything else still runs through `main`, so verdicts, messages and line/column
    numbers stay cwltool's own.

    What a document can leave in a cached schema loader: external `$schemas` it names are
    parsed into that loader's fetch cache and RDF graph (schema-salad's `add_schemas`), where
    a fresh `cwltool` process would not have them. So only a schema this class loaded itself
    is kept, and only while its fetch cache and graph keep the size they had when loaded; a
    call that grew one drops it, and the next call that needs it loads it again.
    """

    def __init__(self) -> None:
        #: (fetch cache entries, graph triples) of each CWL version's schema as first loaded.
        self._clean: dict[str, tuple[int, int]] = {}

    @contextlib.contextmanager
    def reused(self) -> Iterator[Callable[[], None]]:
        """Yields the `custom_schema_callback` for `main` that keeps the cache as it is."""
        from cwltool import process

        cache = process.SCHEMA_CACHE
        try:
            yield lambda: None
        finally:
            for version in list(cache):
                if self._clean.get(version) != self._footprint(cache[version]):
                    del cache[version]
                    if version not in self._clean:  # loaded during a call: load it clean
                        self._clean[version] = self._footprint(process.get_schema(version))

    @staticmethod
    def _footprint(schema: tuple[Any, ...]) -> tuple[int, int]:
        loader = schema[0]
        return len(loader.cache), len(loader.graph)


class CwlPackError(Exception):
    """cwltool could not pack the workflow; the message is cwltool's own explanation."""


def error_message(exc: BaseException, recorder: Recorder) -> str:
    """What went wrong, in the words reana-client would have used, plus the cause it hides."""
    if isinstance(exc, SystemExit):
        if recorder.errors:
            return "; ".join(e["message"] for e in recorder.errors)
        if isinstance(exc.code, str) and exc.code.strip():  # cwltool's output, via run_command
            return engine_output(exc.code)
        return "reana-client stopped the validation without a message"
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    problem_mark = getattr(exc, "problem_mark", None)
    if problem_mark is not None:
        return f"Not a valid YAML file: {exc}"
    if type(exc).__name__ == "ValidationError":
        return f"Not a valid REANA specification: {message}"
    return message


def validate(engine: SpecEngine, path: str, workspace: str) -> dict[str, Any]:
    try:
        engine.check(path, workspace)
    except (Exception, SystemExit) as exc:
        recorder = engine.recorder
        errors = [{"message": error_message(exc, recorder), "exception": type(exc).__name__}]
        return {"verdict": "invalid", "errors": errors, "warnings": collect_warnings(recorder)}
    warnings = collect_warnings(engine.recorder)
    return {
        "verdict": "valid-with-warnings" if warnings else "valid",
        "errors": [],
        "warnings": warnings,
    }


def collect_warnings(recorder: Recorder) -> list[dict[str, Any]]:
    """Schema warnings with their location, then parameter and command warnings.

    At most MAX_WARNINGS and a last item counting the rest: 5 MB of unused parameters make
    reana-client warn hundreds of thousands of times, which nobody reads.
    """
    start, count = recorder.schema_block
    others = recorder.warnings[:start] + recorder.warnings[start + count :]
    warnings = recorder.schema_warnings + others
    if len(warnings) <= MAX_WARNINGS:
        return warnings
    rest = len(warnings) - MAX_WARNINGS
    return [*warnings[:MAX_WARNINGS], {"message": f"... and {rest:,} more warnings not shown"}]


def load(engine: SpecEngine, path: str, workspace: str) -> dict[str, Any]:
    try:
        spec, recorder = engine.check(path, workspace)
    except SystemExit as exc:
        raise SpecInvalid(error_message(exc, engine.recorder)) from None
    except Exception as exc:
        raise SpecInvalid(error_message(exc, engine.recorder)) from exc
    if spec["workflow"]["type"] == "yadage":
        # Like reana-client: the server loads yadage itself, so UI and engine agree.
        spec["workflow"]["specification"] = None
    return {"specification": spec, "warnings": collect_warnings(recorder)}


class SpecInvalid(Exception):
    """The spec cannot be loaded because it is not valid; the message says why."""


def ping(engine: SpecEngine) -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "reanaClient": version("reana-client"),
        "python": platform.python_version(),
        "cwlInProcess": engine.cwl_in_process,
    }


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Library prints (click echo, print) land in a buffer that is thrown away."""
    saved = sys.stdout
    sys.stdout = io.StringIO()
    try:
        yield
    finally:
        sys.stdout = saved


def handle(engine: SpecEngine, request: Any) -> dict[str, Any]:
    if not isinstance(request, dict):
        raise ValueError("request must be a JSON object")
    op = request.get("op")
    if op == "ping":
        return ping(engine)
    if op not in ("validate", "load"):
        raise ValueError(f"unknown op {op!r}")
    path, workspace = request.get("path"), request.get("workspace")
    if not isinstance(path, str) or not isinstance(workspace, str):
        raise ValueError("'path' and 'workspace' must be strings")
    if op == "validate":
        return validate(engine, path, workspace)
    return load(engine, path, workspace)


def open_protocol_channel() -> io.TextIOWrapper:
    """Keep fd 1 for the protocol only; everything else that writes to fd 1 gets stderr."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return channel


def reply(channel: io.TextIOWrapper, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message, default=str) + "\n")
    channel.flush()


def main() -> int:
    channel = open_protocol_channel()
    with quiet_stdout():
        engine = SpecEngine()
    reply(channel, {"id": None, "ok": True, "result": {"ready": True, **ping(engine)}})
    for line in sys.stdin:
        if not line.strip():
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id") if isinstance(request, dict) else None
            with quiet_stdout():
                result = handle(engine, request)
            answer = {"id": request_id, "ok": True, "result": result}
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            answer = {
                "id": request_id,
                "ok": False,
                "error": {"type": type(exc).__name__, "message": str(exc)},
            }
        reply(channel, answer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
