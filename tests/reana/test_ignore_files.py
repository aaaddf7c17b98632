"""Uploads honour .gitignore and .reanaignore as reana-client does (reana-client issue 406,
PRs 603/608): the spec folder's files filter `inputs.directories`, `inputs.files` always go,
and an ignore file inside a folder sent applies below it, as in git."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab.ignore_files import IgnoreRules
from reana_openbis_lab.local_selection import collect, selected

from .reana_helpers import wait_for_job
from .spec_support import server_config
from .test_run import connected

SPEC = """version: 0.9.0
inputs:
  files:
    - code/run.py
    - notes.tmp
  directories:
    - data
    - code
workflow:
  type: serial
  specification:
    steps:
      - environment: python:3.12-slim
        commands: ["python code/run.py"]
"""


@pytest.fixture
def extension_config(reana_client_env: Path) -> dict[str, Any]:
    return server_config(reana_client_env)


def project(root: Path) -> Path:
    """A spec folder with an ignore file of each kind, one nested, and files they match."""
    base = root / "proj"
    for name, text in {
        "reana.yaml": SPEC,
        ".gitignore": "*.tmp\n__pycache__/\n",
        ".reanaignore": "data/raw/\n",
        "notes.tmp": "listed in inputs.files: sent anyway\n",
        "code/run.py": "print(1)\n",
        "code/__pycache__/run.cpython-311.pyc": "junk",
        "data/events.csv": "1,2\n",
        "data/scratch.tmp": "left out by .gitignore\n",
        "data/raw/huge.bin": "left out by .reanaignore\n",
        "data/cache/.gitignore": "*\n!keep.txt\n!.gitignore\n",
        "data/cache/keep.txt": "re-included below\n",
        "data/cache/drop.txt": "left out by the nested .gitignore\n",
    }.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return base


SENT = {
    "reana.yaml",
    "notes.tmp",
    "code/run.py",
    "data/events.csv",
    "data/cache/.gitignore",
    "data/cache/keep.txt",
}
LEFT_OUT = {"code/__pycache__/", "data/scratch.tmp", "data/raw/", "data/cache/drop.txt"}


def test_nested_rules_override_and_both_kinds_count(tmp_path: Path):
    base = project(tmp_path)
    rules = IgnoreRules()
    rules.read("", base)
    items = collect(tmp_path, [selected("proj/data", "path", "data")], rules)
    assert {i.name for i in items} == {
        "data/events.csv",
        "data/cache/.gitignore",
        "data/cache/keep.txt",
    }
    assert set(rules.ignored) == {"data/scratch.tmp", "data/raw/", "data/cache/drop.txt"}
    # A .reanaignore cannot send what .gitignore leaves out (reana-client filters with both)
    (base / ".reanaignore").write_text("!*.tmp\n")
    rules = IgnoreRules()
    rules.read("", base)
    items = collect(tmp_path, [selected("proj/data", "path", "data")], rules)
    assert "data/scratch.tmp" not in {i.name for i in items}


def test_a_folder_whose_every_file_is_left_out_is_not_an_empty_folder(tmp_path: Path):
    base = tmp_path / "proj"
    (base / "data" / "only-tmp").mkdir(parents=True)
    (base / "data" / "only-tmp" / "a.tmp").write_text("x")
    (base / "data" / "b.csv").write_text("x")
    (base / ".gitignore").write_text("*.tmp\n")
    rules = IgnoreRules()
    rules.read("", base)
    items = collect(tmp_path, [selected("proj/data", "path", "data")], rules)
    assert [(i.name, i.source is not None) for i in items] == [("data/b.csv", True)]


async def test_the_run_dialog_shows_what_is_left_out(api, jp_root_dir: Path):
    project(jp_root_dir)
    status, report = await api("POST", "reana/validate", {"path": "proj/reana.yaml"})
    assert status == 200, report
    assert set(report["inputs"]["ignored"]) == LEFT_OUT
    assert report["inputs"]["ignoredCount"] == len(LEFT_OUT)
    # what is counted is what a run sends from the folders (inputs.files always count)
    assert report["inputs"]["fileCount"] == len(SENT - {"reana.yaml"})


async def test_a_run_sends_what_the_ignore_files_leave(api, rol_sandbox, jp_root_dir: Path):
    project(jp_root_dir)
    connection = await connected(api, rol_sandbox)
    status, job = await api(
        "POST", "reana/create", {"connection": connection, "path": "proj/reana.yaml"}
    )
    assert status == 202, job
    job = await wait_for_job(api, job["id"])
    assert job["state"] == "done", job
    assert set(job["result"]["uploaded"]) == SENT
    assert set(job["details"]["ignored"]) == LEFT_OUT
    assert job["details"]["ignoredCount"] == len(LEFT_OUT)


async def test_a_workspace_upload_honours_the_ignore_files_of_the_folders_sent(
    api, rol_sandbox, jp_root_dir: Path
):
    project(jp_root_dir)
    connection = await connected(api, rol_sandbox)
    status, job = await api(
        "POST", "reana/create", {"connection": connection, "path": "proj/reana.yaml"}
    )
    job = await wait_for_job(api, job["id"])
    workflow = job["result"]["workflowId"]
    # When the folder `proj` is uploaded into the workspace under `again/`
    status, upload = await api(
        "POST",
        f"reana/connections/{connection}/workflows/{workflow}/workspace/upload",
        {"sources": ["proj"], "target": "again"},
    )
    assert status == 202, upload
    upload = await wait_for_job(api, upload["id"])
    # Then its own .gitignore and .reanaignore left out what they match
    assert upload["state"] == "done", upload
    assert set(upload["result"]["ignored"]) == {
        "proj/notes.tmp",
        "proj/code/__pycache__/",
        "proj/data/scratch.tmp",
        "proj/data/raw/",
        "proj/data/cache/drop.txt",
    }
    assert "again/proj/code/run.py" in upload["result"]["files"]
