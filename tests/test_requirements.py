"""POST /requirements against a real ipykernel started through the server's sessions API."""

from __future__ import annotations

import json
import platform
import re
import shutil
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.kernelspec import KernelSpecManager

from tests.hostile_paths import (
    HOSTILE_PATHS,
    SYMLINK_PAYLOADS,
    plant_escape_symlinks,
    snapshot,
)

NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def make_notebook(root: Path, relative: str = "analysis/nb.ipynb", *code: str) -> str:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = [{"cell_type": "code", "source": source, "metadata": {}} for source in code]
    path.write_text(json.dumps({**NOTEBOOK, "cells": cells}))
    return relative


@pytest.fixture
def start_kernel(jp_fetch):
    """Open a notebook session the way JupyterLab does: POST /api/sessions."""

    async def start(notebook: str, kernel_name: str = "python3") -> dict[str, Any]:
        response = await jp_fetch(
            "api",
            "sessions",
            method="POST",
            body=json.dumps(
                {
                    "path": notebook,
                    "name": notebook,
                    "type": "notebook",
                    "kernel": {"name": kernel_name},
                }
            ),
        )
        return json.loads(response.body)

    return start


def lines(text: str) -> list[str]:
    return text.splitlines()


async def test_pins_what_the_notebook_imports_at_the_kernels_versions(
    api, jp_root_dir, start_kernel
) -> None:
    # Given a notebook importing standard, third-party and its own modules among magics,
    # shell lines and a %pip install, with its Python kernel running
    notebook = make_notebook(
        jp_root_dir,
        "analysis/nb.ipynb",
        "import os, sys\nimport yaml\nfrom tornado import web\n%matplotlib inline\nfiles = !ls",
        "%pip install -q requests\nfrom . import helpers\nimport my_helpers\nyaml.safe_load?",
        "%%time\nfrom jinja2 import Template",
        "%%bash\nimport not_python",
    )
    await start_kernel(notebook)

    # When its requirements are saved
    status, body = await api("POST", "requirements", {"notebook_path": notebook})

    # Then requirements.txt pins exactly the distributions providing those imports, named as
    # published (PyYAML for yaml), at the kernel's versions; runtime.txt is the kernel's Python
    assert status == 200, body
    assert (body["source"], body["scope"]) == ("kernel", "imports")
    assert lines(body["requirements"]["content"]) == [
        f"Jinja2=={version('Jinja2')}",
        f"PyYAML=={version('PyYAML')}",
        f"requests=={version('requests')}",
        f"tornado=={version('tornado')}",
    ]
    assert (jp_root_dir / "analysis" / "requirements.txt").read_text() == body["requirements"][
        "content"
    ]
    assert body["runtime"]["content"] == f"python-{platform.python_version()}\n"
    # And the notebook's own module is reported, not written
    assert body["unresolved"] == ["my_helpers"]


async def test_freezes_the_running_python_kernel_next_to_the_notebook(
    api, jp_root_dir, start_kernel
) -> None:
    # Given a notebook whose Python kernel runs
    notebook = make_notebook(jp_root_dir)
    await start_kernel(notebook)

    # When the whole environment is asked for
    status, body = await api(
        "POST", "requirements", {"notebook_path": notebook, "scope": "environment"}
    )

    # Then both files sit next to the notebook and list what the kernel has installed
    assert status == 200, body
    assert body["source"] == "kernel" and body["language"] == "python"
    assert body["scope"] == "environment"
    requirements = (jp_root_dir / "analysis" / "requirements.txt").read_text()
    runtime = (jp_root_dir / "analysis" / "runtime.txt").read_text()
    assert body["requirements"] == {
        "path": "analysis/requirements.txt",
        "content": requirements,
        "written": True,
    }
    assert body["runtime"]["path"] == "analysis/runtime.txt"
    assert runtime == f"python-{platform.python_version()}\n"
    names = {line.split("==")[0].lower().replace("-", "_"): line for line in lines(requirements)}
    assert names["jupyter_server"].endswith(f"=={version('jupyter_server')}")
    assert names["ipykernel"].endswith(f"=={version('ipykernel')}")
    assert lines(requirements) == sorted(lines(requirements), key=str.lower)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==\S+", line) for line in lines(requirements))


async def test_existing_files_are_kept_unless_overwrite_is_asked(
    api, jp_root_dir, start_kernel
) -> None:
    # Given a notebook with a running kernel and a hand-written requirements file
    notebook = make_notebook(jp_root_dir, "nb.ipynb")
    await start_kernel(notebook)
    (jp_root_dir / "requirements.txt").write_text("numpy\n")

    # When freezing without overwrite
    status, body = await api("POST", "requirements", {"notebook_path": notebook})

    # Then nothing is replaced, not even the runtime file that did not exist yet
    assert status == 409 and body["code"] == "exists" and body["field"] == "requirements_filename"
    assert (jp_root_dir / "requirements.txt").read_text() == "numpy\n"
    assert not (jp_root_dir / "runtime.txt").exists()

    # When asked to overwrite, then both are written; asked again, nothing changes
    status, body = await api("POST", "requirements", {"notebook_path": notebook, "overwrite": True})
    assert status == 200 and body["requirements"]["written"] and body["runtime"]["written"]
    assert (jp_root_dir / "requirements.txt").read_text() != "numpy\n"
    status, body = await api("POST", "requirements", {"notebook_path": notebook})
    assert status == 200 and not body["requirements"]["written"] and not body["runtime"]["written"]
    assert not [p.name for p in jp_root_dir.iterdir() if p.name.endswith(".tmp")]


async def test_without_a_running_kernel_the_user_is_asked_to_start_it(api, jp_root_dir) -> None:
    # Given a notebook that nobody opened
    notebook = make_notebook(jp_root_dir)

    # When freezing its requirements
    status, body = await api("POST", "requirements", {"notebook_path": notebook})

    # Then a 409 tells to start the kernel, and nothing is written
    assert status == 409
    assert body["code"] == "no_kernel" and "start" in body["message"]
    assert sorted(p.name for p in (jp_root_dir / "analysis").iterdir()) == ["nb.ipynb"]


async def test_a_busy_kernel_ends_in_a_timeout_not_a_frozen_server(
    api, jp_root_dir, jp_serverapp, jp_fetch, start_kernel
) -> None:
    # Given a kernel busy with a long cell and a short answer time
    notebook = make_notebook(jp_root_dir, "busy.ipynb")
    session = await start_kernel(notebook)
    kernel = jp_serverapp.kernel_manager.get_kernel(session["kernel"]["id"])
    client = kernel.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        client.execute("import time; time.sleep(600)")
        jp_serverapp.web_app.settings["reana_openbis_lab"].requirements.timeout = 0.5

        # When freezing, then 504 says why, and the server still answers other requests
        status, body = await api("POST", "requirements", {"notebook_path": notebook})
        assert status == 504 and "cell" in body["message"]
        assert (await jp_fetch("api", "status")).code == 200
    finally:
        client.stop_channels()
        await jp_serverapp.kernel_manager.interrupt_kernel(session["kernel"]["id"])


async def test_explicit_lists_need_no_kernel(api, jp_root_dir) -> None:
    # Given a notebook without kernel and the older server's explicit lists
    notebook = make_notebook(jp_root_dir)
    request = {
        "notebook_path": notebook,
        "requirements_list": ["pandas==2.2.3", " pybis>=1.37 "],
        "runtime": "python-3.11",
        "requirements_filename": "env-requirements.txt",
        "runtime_filename": "env-runtime.txt",
    }

    # When freezing
    status, body = await api("POST", "requirements", request)

    # Then exactly those lines land in the chosen files
    assert status == 200 and body["source"] == "request"
    folder = jp_root_dir / "analysis"
    assert (folder / "env-requirements.txt").read_text() == "pandas==2.2.3\npybis>=1.37\n"
    assert (folder / "env-runtime.txt").read_text() == "python-3.11\n"
    assert body["runtime"] == {
        "path": "analysis/env-runtime.txt",
        "content": "python-3.11\n",
        "written": True,
    }


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"requirements_list": "numpy"}, "requirements_list"),
        ({"requirements_list": ["numpy", 3]}, "requirements_list"),
        ({"requirements_list": ["numpy\n--index-url http://evil"]}, "requirements_list"),
        ({"requirements_list": ["--index-url=http://evil"]}, "requirements_list"),
        ({"requirements_list": ["-r /etc/passwd"]}, "requirements_list"),
        ({"requirements_list": ["x" * 501]}, "requirements_list"),
        ({"requirements_list": ["a"] * 5001}, "requirements_list"),
        ({"requirements_list": [""]}, "requirements_list"),
        ({"runtime": "python-3.11\nr-4.3"}, "runtime"),
        ({"runtime": "ruby-3"}, "runtime"),
        ({"runtime": 3.11}, "runtime"),
        ({"requirements_filename": "reqs\n.txt"}, "requirements_filename"),
        ({"requirements_filename": ".bashrc"}, "requirements_filename"),
        ({"requirements_filename": "requirements"}, "requirements_filename"),
        ({"requirements_filename": "sub/requirements.txt"}, "requirements_filename"),
        ({"runtime_filename": "requirements.txt"}, "runtime_filename"),
        ({"overwrite": "yes"}, "overwrite"),
        ({"notebook_path": 5}, "notebook_path"),
        ({"scope": "everything"}, "scope"),
        ({"scope": ["imports"]}, "scope"),
    ],
)
async def test_bad_input_is_refused_naming_the_field(api, jp_root_dir, patch, field) -> None:
    # Given a notebook and a request with one bad field
    notebook = make_notebook(jp_root_dir)
    request = {"notebook_path": notebook, "requirements_list": ["numpy"], "runtime": "python-3.12"}

    # When freezing
    status, body = await api("POST", "requirements", {**request, **patch})

    # Then a 400 names it and nothing is written
    assert status == 400, body
    assert body["field"].split("[")[0] == field  # list items are named by index
    assert sorted(p.name for p in (jp_root_dir / "analysis").iterdir()) == ["nb.ipynb"]


async def test_a_missing_notebook_is_not_found(api) -> None:
    status, body = await api(
        "POST",
        "requirements",
        {"notebook_path": "nope.ipynb", "requirements_list": [], "runtime": "r-4.3.1"},
    )
    assert status == 404 and body["field"] == "notebook_path"


@pytest.mark.parametrize("payload", HOSTILE_PATHS)
async def test_hostile_paths_write_nothing_anywhere(api, jp_root_dir, tmp_path, payload) -> None:
    # Given a root with a notebook and symlinks leading out of it
    outside = tmp_path / "outside"
    plant_escape_symlinks(jp_root_dir, outside)
    make_notebook(jp_root_dir, "nb.ipynb")
    (outside / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    before_outside, before_root = snapshot(outside), snapshot(jp_root_dir)
    explicit = {"requirements_list": ["numpy"], "runtime": "python-3.12"}

    # When the payload is the notebook path, then each file name
    answers = [
        await api("POST", "requirements", {"notebook_path": payload, **explicit}),
        await api(
            "POST",
            "requirements",
            {"notebook_path": "nb.ipynb", "requirements_filename": payload, **explicit},
        ),
        await api(
            "POST",
            "requirements",
            {"notebook_path": "nb.ipynb", "runtime_filename": payload, **explicit},
        ),
    ]

    # Then every answer is a 4xx and no file changed inside or outside the root
    assert all(400 <= status < 500 for status, _ in answers), answers
    assert snapshot(outside) == before_outside
    assert snapshot(jp_root_dir) == before_root
    if payload in SYMLINK_PAYLOADS:
        assert sorted(p.name for p in outside.iterdir()) == ["inner.txt", "nb.ipynb", "secret.txt"]


@pytest.mark.skipif(
    "ir" not in KernelSpecManager().find_kernel_specs() or not shutil.which("R"),
    reason="no R kernel (IRkernel) on this machine",
)
async def test_freezes_a_running_r_kernel(api, jp_root_dir, start_kernel) -> None:
    # Given a notebook whose R kernel runs and that loads IRkernel
    notebook = make_notebook(jp_root_dir, "r.ipynb", "library(IRkernel)\nx <- 1")
    await start_kernel(notebook, "ir")

    # When freezing, then the runtime names R's version and the list holds IRkernel only
    status, body = await api("POST", "requirements", {"notebook_path": notebook})
    assert status == 200, body
    assert body["language"] == "r"
    assert re.fullmatch(r"r-\d+\.\d+\.\d+\n", body["runtime"]["content"])
    assert [line.split("==")[0] for line in lines(body["requirements"]["content"])] == ["IRkernel"]
