"""Precise diagnostics for the REANA specs that reana-client rejects without saying why.

For an empty file, a tab in the indentation, two YAML documents, Latin-1 bytes, a missing
`workflow.type` or a missing CWL file, `reana-client validate` prints only "Something
went wrong when trying to validate". These checks run in the Jupyter process (PyYAML
only, no reana-client) before the spec reaches the worker, and say what is wrong and
where. Every rule here only fires on specs that reana-client 0.9.6 also rejects (checked
against the real CLI), so the verdict never differs from reana-client's; only the words do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ENGINES = ("serial", "cwl", "yadage", "snakemake")
#: Values a spec may hold once YAML aliases are expanded: far above any real workflow, far
#: below what makes reana-client (which expands them when it sends the spec) run out of memory.
MAX_EXPANDED_VALUES = 1_000_000


@dataclass(frozen=True)
class Diagnostic:
    """One problem; line and column are 1-based, as editors show them."""

    message: str
    line: int | None = None
    column: int | None = None

    def to_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {"message": self.message}
        if self.line is not None:
            item["line"] = self.line
            item["column"] = self.column
        return item


def at(node: yaml.Node | None, message: str) -> Diagnostic:
    if node is None:
        return Diagnostic(message)
    return Diagnostic(message, node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class ParsedSpec:
    """The spec as data and as a node tree (for locations), once it is known to be YAML."""

    data: Any
    root: yaml.Node


def parse(raw: bytes) -> tuple[ParsedSpec | None, list[Diagnostic]]:
    """Decode and parse; on failure the diagnostics say where the bytes or the YAML break."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Diagnostic(
                f"The file is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded "
                "(save the file as UTF-8)",
                line,
                column,
            )
        ]
    if not text.strip():
        return None, [Diagnostic("The file is empty; a REANA specification needs a 'workflow'")]
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        return None, [yaml_error(exc)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(f"Not valid YAML: {exc}")]
    except RecursionError:
        return None, [Diagnostic("The YAML is nested too deeply to be a REANA specification")]
    documents = [d for d in documents if d is not None]
    if not documents:
        return None, [
            Diagnostic("The file holds only comments; a REANA specification needs a 'workflow'")
        ]
    if len(documents) > 1:
        return None, [
            at(
                documents[1],
                f"The file holds {len(documents)} YAML documents (separated by '---'); "
                "a REANA specification must be exactly one",
            )
        ]
    if expanded_size(documents[0]) > MAX_EXPANDED_VALUES:
        return None, [
            Diagnostic(
                f"The YAML aliases (*name) expand to more than {MAX_EXPANDED_VALUES:,} values; "
                "reana-client would run out of memory sending it"
            )
        ]
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        return None, [yaml_error(exc)]
    return ParsedSpec(data, documents[0]), []


def expanded_size(root: yaml.Node) -> int:
    """How many values the document has once every alias is expanded (without expanding).

    An alias is the same node object as its anchor, so sizes are summed per object once and
    reused: ten levels of ten aliases cost a hundred additions, not 10^10 copies.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a node that contains itself counts once, not forever
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(key) + size(value) for key, value in node.value)
        total = min(total, MAX_EXPANDED_VALUES + 1)
        sizes[id(node)] = total
        return total

    return size(root)


def yaml_error(exc: yaml.MarkedYAMLError) -> Diagnostic:
    """The parser's own problem text, pointed at the place the parser stopped."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if "'\\t'" in problem:
        problem += " (YAML indentation must use spaces, not tabs)"
    elif "expected <block end>" in problem:
        problem += " (this line's indentation does not match the lines above it)"
    text = (
        f"Not valid YAML: {exc.context}, {problem}" if exc.context else f"Not valid YAML: {problem}"
    )
    if mark is None:
        return Diagnostic(text)
    return Diagnostic(text, mark.line + 1, mark.column + 1)


def child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    """The node under a mapping key or sequence index, or None."""
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]
    return None


def key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k
    return None


def locate(root: yaml.Node, dotted: str, prop: str | None = None) -> yaml.Node | None:
    """The node at reana-commons' dotted path (e.g. `workflow.specification.steps.0`).

    With `prop`, the key node of that property inside it (an unexpected property's name).
    """
    node: yaml.Node | None = root
    for part in [p for p in dotted.split(".") if p]:
        node = child(node, int(part) if part.isdigit() else part)
        if node is None:
            return None
    if prop is not None:
        return key_node(node, prop) or node
    return node


def check_structure(spec: ParsedSpec, spec_dir: Path, root_dir: Path) -> list[Diagnostic]:
    """Shape rules that reana-client enforces only by crashing."""
    data, root = spec.data, spec.root
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        return [at(root, f"A REANA specification must be a mapping (key: value), not {kind}")]
    problems: list[Diagnostic] = []
    if "inputs" in data and not isinstance(data["inputs"], dict):
        problems.append(at(child(root, "inputs"), "'inputs' must be a mapping"))
    workflow = data.get("workflow")
    workflow_node = child(root, "workflow")
    if "workflow" not in data:
        return [
            *problems,
            Diagnostic(
                "The 'workflow' section is missing (it names the engine and its steps)", 1, 1
            ),
        ]
    if not isinstance(workflow, dict):
        return [
            *problems,
            at(workflow_node, "'workflow' must be a mapping with 'type' and the steps"),
        ]
    engine = workflow.get("type")
    if "type" not in workflow:
        return [
            *problems,
            at(
                key_node(root, "workflow"),
                f"'workflow.type' is missing; it must be one of: {', '.join(ENGINES)}",
            ),
        ]
    if engine not in ENGINES:
        return [
            *problems,
            at(
                child(workflow_node, "type"),
                f"Unknown workflow type {engine!r}; it must be one of: {', '.join(ENGINES)}",
            ),
        ]
    if engine == "serial":
        problems.extend(check_serial(workflow, workflow_node))
    else:
        problems.extend(check_workflow_file(workflow, workflow_node, engine, spec_dir, root_dir))
    return problems


def check_serial(workflow: dict[str, Any], workflow_node: yaml.Node | None) -> list[Diagnostic]:
    spec_node = child(workflow_node, "specification")
    if "specification" not in workflow:
        return [
            at(
                key_node(workflow_node, "type"),
                "A serial workflow needs 'workflow.specification' with its 'steps'",
            )
        ]
    specification = workflow["specification"]
    if not isinstance(specification, dict):
        return [at(spec_node, "'workflow.specification' must be a mapping with 'steps'")]
    steps = specification.get("steps")
    steps_node = child(spec_node, "steps")
    if "steps" in specification and not isinstance(steps, list):
        return [
            at(
                steps_node,
                "'workflow.specification.steps' must be a list (each step starts with '- ')",
            )
        ]
    problems = []
    for index, step in enumerate(steps or []):
        step_node = child(steps_node, index)
        label = f"step {index + 1}"
        if isinstance(step, dict) and step.get("name"):
            label += f" ('{step['name']}')"
        if not isinstance(step, dict):
            problems.append(at(step_node, f"Serial {label} must be a mapping with 'commands'"))
        elif "commands" not in step:
            problems.append(at(step_node, f"Serial {label} has no 'commands'"))
        elif not isinstance(step["commands"], list):
            problems.append(
                at(child(step_node, "commands"), f"'commands' of serial {label} must be a list")
            )
    return problems


def check_workflow_file(
    workflow: dict[str, Any],
    workflow_node: yaml.Node | None,
    engine: str,
    spec_dir: Path,
    root_dir: Path,
) -> list[Diagnostic]:
    file_node = child(workflow_node, "file")
    name = workflow.get("file")
    if not isinstance(name, str) or not name:
        return [
            at(
                key_node(workflow_node, "type"),
                f"A {engine} workflow needs 'workflow.file' naming its workflow file",
            )
        ]
    target = (spec_dir / name).resolve()
    if root_dir not in target.parents:
        # reana-client would read it; a server must not let a spec open files outside root.
        return [at(file_node, f"The {engine} workflow file '{name}' is outside the server root")]
    if not target.is_file():
        return [
            at(
                file_node,
                f"The {engine} workflow file '{name}' does not exist "
                "(paths are relative to the specification's folder)",
            )
        ]
    return []


def inspect(
    raw: bytes, spec_dir: Path, root_dir: Path
) -> tuple[ParsedSpec | None, list[Diagnostic]]:
    """The parsed spec (when it is YAML) and every problem found in it.

    No problems means only reana-client can judge further. `spec_dir` and `root_dir`
    must be resolved paths.
    """
    spec, problems = parse(raw)
    if spec is None:
        return None, problems
    return spec, check_structure(spec, spec_dir, root_dir)
