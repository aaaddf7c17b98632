"""POST /reana/validate: reana-client's verdicts with our precise, located messages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ..hostile_paths import HOSTILE_PATHS, plant_escape_symlinks, snapshot
from .spec_support import copy_helloworld, server_config

SERIAL = """version: 0.3.0
inputs:
  parameters:
    message: hello
workflow:
  type: serial
  specification:
    steps:
      - environment: docker.io/library/python:3.12-slim
        commands:
          - echo "${message}"
"""


@pytest.fixture
def extension_config(reana_client_env: Path) -> dict[str, Any]:
    return server_config(reana_client_env)


def write(root: Path, name: str, content: str | bytes) -> str:
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    return name


async def test_a_valid_serial_spec_is_valid(api, jp_root_dir: Path) -> None:
    # Given
    path = write(jp_root_dir, "analysis/reana.yaml", SERIAL)
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body == {
        "path": "analysis/reana.yaml",
        "valid": True,
        "verdict": "valid",
        "engine": "serial",
        "errors": [],
        "warnings": [],
        "parameters": {"message": "hello"},
        "inputs": {
            "files": [],
            "directories": [],
            "fileCount": 0,
            "bytes": 0,
            "missing": [],
            "ignored": [],
            "ignoredCount": 0,
        },
        "defaultName": "analysis",
    }


async def test_the_answer_has_what_a_run_dialog_needs(api, jp_root_dir: Path) -> None:
    # Given a spec with typed parameters, input files and a directory, one input missing
    spec = """version: 0.9.0
inputs:
  files: [code/run.py, data/absent.csv, ../outside.txt]
  directories: [data]
  parameters: {bins: 20, title: demo, verbose: true, when: 2024-01-02}
workflow:
  type: serial
  specification:
    steps:
      - environment: docker.io/library/python:3.12-slim
        commands:
          - python code/run.py ${bins} ${title} ${verbose} ${when}
"""
    path = write(jp_root_dir, "my analysis/reana.yaml", spec)
    write(jp_root_dir, "my analysis/code/run.py", "print(1)\n")
    write(jp_root_dir, "my analysis/data/a.csv", "1,2\n")
    write(jp_root_dir, "my analysis/data/sub/b.csv", "3,4,5\n")
    write(jp_root_dir, "outside.txt", "secret\n")
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then the parameters keep their types (dates as text), the inputs are counted and sized
    # inside the spec's folder only, and the default name is the folder's, made acceptable
    assert status == 200
    assert body["parameters"] == {
        "bins": 20,
        "title": "demo",
        "verbose": True,
        "when": "2024-01-02",
    }
    assert body["inputs"] == {
        "files": ["code/run.py", "data/absent.csv", "../outside.txt"],
        "directories": ["data"],
        "fileCount": 3,
        "bytes": len("print(1)\n") + len("1,2\n") + len("3,4,5\n"),
        "missing": ["data/absent.csv", "../outside.txt"],
        "ignored": [],
        "ignoredCount": 0,
    }
    assert body["defaultName"] == "my-analysis"


async def test_an_unreadable_spec_still_names_its_default(api, jp_root_dir: Path) -> None:
    path = write(jp_root_dir, "broken/reana.yaml", "workflow: [unclosed\n")
    status, body = await api("POST", "reana/validate", {"path": path})
    assert status == 200
    assert body["verdict"] == "invalid"
    assert body["parameters"] is None and body["inputs"] is None
    assert body["defaultName"] == "broken"


@pytest.mark.parametrize("spec", ["reana.yaml", "reana-cwl.yaml", "reana-yadage.yaml"])
async def test_each_engine_of_the_helloworld_demo_is_valid(
    api, jp_root_dir: Path, spec: str
) -> None:
    # Given
    copy_helloworld(jp_root_dir)
    # When
    status, body = await api("POST", "reana/validate", {"path": f"hello/{spec}"})
    # Then
    assert status == 200
    assert body["verdict"] == "valid", body


async def test_a_snakemake_spec_gets_reana_clients_verdict(api, jp_root_dir: Path) -> None:
    # Given
    write(
        jp_root_dir,
        "smk/Snakefile",
        'rule all:\n    input: "results/out.txt"\n\n'
        'rule hello:\n    output: "results/out.txt"\n'
        '    container: "docker://python:3.12"\n    shell: "echo hi > {output}"\n',
    )
    path = write(jp_root_dir, "smk/reana.yaml", "workflow:\n  type: snakemake\n  file: Snakefile\n")
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then as reana-client: valid, with a warning that the spec declares no inputs
    assert status == 200
    assert (body["engine"], body["verdict"]) == ("snakemake", "valid-with-warnings"), body
    assert body["warnings"] == [
        {"message": 'Workflow "inputs" are missing in the REANA specification.'}
    ]


async def test_an_unexpected_property_is_a_located_warning(api, jp_root_dir: Path) -> None:
    # Given
    spec = SERIAL.replace("        commands:", "        kubernetes_uid: 500\n        commands:")
    path = write(jp_root_dir, "reana.yaml", spec)
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body["verdict"] == "valid-with-warnings"
    assert body["valid"] is True
    assert body["warnings"] == [
        {
            "message": "Unexpected property 'kubernetes_uid' (at workflow.specification.steps.0)",
            "line": 10,
            "column": 9,
        }
    ]


async def test_a_dangerous_command_stays_a_located_warning(api, jp_root_dir: Path) -> None:
    # Given
    path = write(jp_root_dir, "reana.yaml", SERIAL.replace('- echo "', '- sudo echo "'))
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body["verdict"] == "valid-with-warnings"
    assert body["warnings"] == [
        {
            "message": 'Operation "sudo" found in step "0" might be dangerous.',
            "line": 11,
            "column": 13,
        }
    ]


async def test_undefined_and_unused_parameters_stay_located_warnings(
    api, jp_root_dir: Path
) -> None:
    # Given
    path = write(jp_root_dir, "reana.yaml", SERIAL.replace("${message}", "${missing}"))
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body["verdict"] == "valid-with-warnings"
    assert sorted(body["warnings"], key=lambda w: w["line"]) == [
        {
            "message": 'REANA input parameter "message" does not seem to be used.',
            "line": 4,
            "column": 5,
        },
        {
            "message": 'Serial parameter "missing" found on step "0" is not defined in '
            "input parameters.",
            "line": 11,
            "column": 19,
        },
    ]


# Each case: spec text, words our message must contain, (line, column) or None.
# reana-client 0.9.6 rejects every one of them (most with "Something went wrong").
DIAGNOSTICS = {
    "empty file": ("", "empty", None),
    "only comments": ("# nothing yet\n", "only comments", None),
    "a list instead of a mapping": ("- a\n- b\n", "must be a mapping", (1, 1)),
    "missing workflow": ("version: 0.3.0\n", "'workflow' section is missing", (1, 1)),
    "workflow not a mapping": ("workflow:\n  - serial\n", "'workflow' must be a mapping", (2, 3)),
    "missing workflow.type": (
        "workflow:\n  specification: {steps: []}\n",
        "'workflow.type' is missing",
        (1, 1),
    ),
    "unknown workflow type": ("workflow:\n  type: nextflow\n", "Unknown workflow type", (2, 9)),
    "tab indentation": (SERIAL.replace("  type: serial", "\ttype: serial"), "tabs", (6, 1)),
    "bad indentation": (
        SERIAL.replace("  type: serial", "   type: serial"),
        "indentation does not match",
        (7, 3),
    ),
    "unclosed quote": ('workflow:\n  type: "serial\n', "Not valid YAML", (3, 1)),
    "two YAML documents": (SERIAL + "---\nversion: 1\n", "2 YAML documents", (13, 1)),
    "steps not a list": (
        "workflow:\n  type: serial\n  specification:\n    steps:\n      first: {commands: [ls]}\n",
        "must be a list",
        (5, 7),
    ),
    "serial step without commands": (
        "workflow:\n  type: serial\n  specification:\n    steps:\n      - environment: x\n",
        "has no 'commands'",
        (5, 9),
    ),
    "serial step that is not a mapping": (
        "workflow:\n  type: serial\n  specification:\n    steps:\n      - echo hi\n",
        "Serial step 1 must be a mapping",
        (5, 9),
    ),
    "commands that are not a list": (
        "workflow:\n  type: serial\n  specification:\n    steps:\n"
        "      - name: greet\n        commands: echo hi\n",
        "'commands' of serial step 1 ('greet') must be a list",
        (6, 19),
    ),
    "serial without specification": (
        "workflow:\n  type: serial\n",
        "needs 'workflow.specification'",
        (2, 3),
    ),
    "missing cwl file": (
        "workflow:\n  type: cwl\n  file: workflow/missing.cwl\n",
        "'workflow/missing.cwl' does not exist",
        (3, 9),
    ),
    "missing yadage file": (
        "workflow:\n  type: yadage\n  file: workflow/missing.yaml\n",
        "'workflow/missing.yaml' does not exist",
        (3, 9),
    ),
    "missing Snakefile": (
        "workflow:\n  type: snakemake\n  file: Snakefile\n",
        "'Snakefile' does not exist",
        (3, 9),
    ),
    "cwl without workflow.file": ("workflow:\n  type: cwl\n", "needs 'workflow.file'", (2, 3)),
    "inputs not a mapping": (
        "inputs: [a]\nworkflow:\n  type: cwl\n  file: w.cwl\n",
        "'inputs' must be a mapping",
        (1, 9),
    ),
}


@pytest.mark.parametrize("case", DIAGNOSTICS, ids=list(DIAGNOSTICS))
async def test_each_broken_spec_is_invalid_with_a_precise_message(
    api, jp_root_dir: Path, case: str
) -> None:
    # Given
    text, words, location = DIAGNOSTICS[case]
    path = write(jp_root_dir, "broken/reana.yaml", text)
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body["verdict"] == "invalid" and body["valid"] is False
    error = body["errors"][0]
    assert words in error["message"], error
    if location is not None:
        assert (error["line"], error["column"]) == location, error


async def test_latin1_bytes_are_reported_with_their_position(api, jp_root_dir: Path) -> None:
    # Given
    raw = SERIAL.replace("hello", "h\u00e9llo").encode("latin-1")
    path = write(jp_root_dir, "reana.yaml", raw)
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body["verdict"] == "invalid"
    assert body["errors"] == [
        {
            "message": "The file is not UTF-8 text: byte 0xe9 cannot be decoded "
            "(save the file as UTF-8)",
            "line": 4,
            "column": 15,
        }
    ]


async def test_a_cwl_file_reana_client_cannot_load_is_explained(api, jp_root_dir: Path) -> None:
    # Given a cwl workflow file that exists but is not CWL
    write(jp_root_dir, "cwl/workflow.cwl", "this: is not cwl\n")
    path = write(jp_root_dir, "cwl/reana.yaml", "workflow:\n  type: cwl\n  file: workflow.cwl\n")
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then cwltool's reason, without its terminal colours
    assert status == 200
    assert body["verdict"] == "invalid"
    assert "No cwlVersion found" in body["errors"][0]["message"]
    assert "\x1b[" not in body["errors"][0]["message"]


async def test_a_cwl_file_failing_strict_validation_says_where(api, jp_root_dir: Path) -> None:
    # Given a tool with a field CWL does not know (reana-client runs `cwltool --validate --strict`)
    tool = (
        "cwlVersion: v1.0\nclass: CommandLineTool\nbaseCommand: [echo]\n"
        "inputs: {x: {type: string, inputBinding: {position: 1}}}\noutputs: []\nfoo: 1\n"
    )
    write(jp_root_dir, "cwl/tool.cwl", tool)
    path = write(jp_root_dir, "cwl/reana.yaml", "workflow:\n  type: cwl\n  file: tool.cwl\n")
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body["verdict"] == "invalid"
    assert "tool.cwl:6:1:" in body["errors"][0]["message"]
    assert "invalid field 'foo'" in body["errors"][0]["message"]


async def test_a_workflow_file_outside_the_root_is_refused(
    api, jp_root_dir: Path, tmp_path: Path
) -> None:
    # Given
    outside = tmp_path / "outside.cwl"
    outside.write_text("cwlVersion: v1.0\n")
    spec = f"workflow:\n  type: cwl\n  file: {os.path.relpath(outside, jp_root_dir)}\n"
    path = write(jp_root_dir, "reana.yaml", spec)
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body["verdict"] == "invalid"
    assert "outside the server root" in body["errors"][0]["message"]


async def test_a_missing_spec_is_404_and_a_folder_is_400(api, jp_root_dir: Path) -> None:
    (jp_root_dir / "folder").mkdir()
    status, body = await api("POST", "reana/validate", {"path": "nothing.yaml"})
    assert status == 404 and body["field"] == "path"
    status, body = await api("POST", "reana/validate", {"path": "folder"})
    assert status == 400 and body["field"] == "path"


async def test_a_fifo_is_refused_without_waiting_for_a_writer(api, jp_root_dir: Path) -> None:
    # Given
    os.mkfifo(jp_root_dir / "reana.yaml")
    # When
    status, body = await api("POST", "reana/validate", {"path": "reana.yaml"})
    # Then
    assert status == 400
    assert "not a regular file" in body["message"]


@pytest.mark.parametrize("body", [{}, {"path": None}, {"path": 3}, {"path": ["a"]}])
async def test_a_missing_or_mistyped_path_is_a_400_naming_it(api, body: dict) -> None:
    status, answer = await api("POST", "reana/validate", body)
    assert status == 400
    assert answer["field"] == "path"


async def test_hostile_paths_are_refused_and_nothing_is_touched(
    api, jp_root_dir: Path, tmp_path: Path
) -> None:
    # Given
    outside = tmp_path / "outside"
    plant_escape_symlinks(jp_root_dir, outside)
    (outside / "secret.txt").write_text("workflow:\n  type: serial\n")
    before = snapshot(outside), snapshot(jp_root_dir)
    for payload in HOSTILE_PATHS:
        # When
        status, body = await api("POST", "reana/validate", {"path": payload})
        # Then
        assert 400 <= status < 500, (payload, status)
        assert "secret" not in str(body.get("message", "")), payload
    assert (snapshot(outside), snapshot(jp_root_dir)) == before


async def test_info_reports_the_reana_client_environment(api, reana_client_env: Path) -> None:
    status, body = await api("GET", "info")
    assert status == 200
    capability = body["capabilities"]["reanaClient"]
    assert capability["available"] is True
    assert capability["version"] == "0.9.6"
    assert capability["python"].startswith(str(reana_client_env))
    assert capability["installCommand"] == "jupyter reana-openbis-lab install-reana-client"


async def test_thousands_of_warnings_are_counted_not_all_listed(api, jp_root_dir: Path) -> None:
    # Given a spec with 1,000 parameters no step uses
    unused = "".join(f"    p{i}: {i}\n" for i in range(1000))
    path = write(jp_root_dir, "reana.yaml", SERIAL.replace("    message: hello\n", unused))
    # When
    status, body = await api("POST", "reana/validate", {"path": path})
    # Then
    assert status == 200
    assert body["verdict"] == "valid-with-warnings"
    assert len(body["warnings"]) == 201
    assert body["warnings"][-1] == {"message": "... and 801 more warnings not shown"}
