"""What `pip install` puts on a machine: the product's wheel holds the product only, and loads on its own.

Both wheels are built from this checkout (the product's reuses the labextension `make setup` built:
the builder skips when it exists) and read as archives. The product's wheel is then installed,
at the locked versions, into a fresh environment beside JupyterLab and nothing else (no sandbox,
no test tools), where the server extension must validate, the labextension be listed, and a
started server answer the extension's own route.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "constraints.txt"
JUPYTERLAB = "jupyterlab>=4.4,<5"
#: Paths that belong to our tests and test rig, never to the product.
NOT_PRODUCT = re.compile(
    r"(^|/)(tests?|bench|ui-tests|sandbox|reana_openbis_lab_sandbox|demo_workspace)(/|$)"
    r"|(^|/)(test_[^/]*|conftest|pytest_plugin)\.py$"
)


def run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run and return the finished process; on failure show its output, not just the exit code."""
    finished = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, **kwargs
    )
    assert finished.returncode == 0, (command, finished.stdout[-3000:], finished.stderr[-3000:])
    return finished


def output(finished: subprocess.CompletedProcess[str]) -> str:
    """stdout and stderr without colours (Jupyter's listings colour "enabled" and "OK")."""
    return re.sub(r"\x1b\[[0-9;]*m", "", finished.stdout + finished.stderr)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("wheels")
    for source in (ROOT, ROOT / "sandbox"):
        run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, source)
    (product,) = out.glob("reana_openbis_lab-*.whl")
    (sandbox,) = out.glob("reana_openbis_lab_sandbox-*.whl")
    return {"product": product, "sandbox": sandbox}


def names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def entry_points(wheel: Path) -> dict[str, set[str]]:
    """Entry point group -> names, from the wheel's own metadata."""
    with zipfile.ZipFile(wheel) as archive:
        (path,) = (n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
        parser = configparser.ConfigParser()
        parser.read_string(archive.read(path).decode())
    return {group: set(parser[group]) for group in parser.sections()}


def test_the_product_wheel_holds_the_product_and_its_labextension_only(
    wheels: dict[str, Path],
) -> None:
    listed = names(wheels["product"])
    python = [name for name in listed if name.endswith(".py")]
    assert python and all(name.startswith("reana_openbis_lab/") for name in python)
    assert [name for name in listed if NOT_PRODUCT.search(name)] == []
    (data,) = {name.split("/data/")[0] + "/data/" for name in listed if ".data/data/" in name}
    assert "reana_openbis_lab/openapi.yaml" in listed
    assert f"{data}etc/jupyter/jupyter_server_config.d/reana_openbis_lab.json" in listed
    labextension = f"{data}share/jupyter/labextensions/reana-openbis-lab/"
    assert {f"{labextension}package.json", f"{labextension}install.json"} <= set(listed)
    assert any(name.startswith(f"{labextension}static/remoteEntry.") for name in listed)


def test_the_sandbox_wheel_holds_the_sandbox_and_no_tests(wheels: dict[str, Path]) -> None:
    listed = names(wheels["sandbox"])
    python = [name for name in listed if name.endswith(".py")]
    assert python and all(name.startswith("reana_openbis_lab_sandbox/") for name in python)
    assert not [name for name in python if re.search(r"(^|/)(tests?/|test_|conftest)", name)]
    assert "reana_openbis_lab_sandbox/demo_workspace/analysis/reana.yaml" in listed


def test_neither_wheel_registers_a_pytest_plugin_and_each_has_its_own_command(
    wheels: dict[str, Path],
) -> None:
    product, sandbox = entry_points(wheels["product"]), entry_points(wheels["sandbox"])
    assert "pytest11" not in product and "pytest11" not in sandbox
    assert product == {"console_scripts": {"jupyter-reana-openbis-lab"}}
    assert sandbox == {"console_scripts": {"reana-openbis-lab-sandbox"}}


@pytest.fixture(scope="module")
def fresh_lab(wheels: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new environment with JupyterLab and the product's wheel, at the locked versions.

    uv (a dev tool, in the lock) installs it: from its cache this takes seconds where pip takes
    a minute; what lands in the environment is the same wheel's content.
    """
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    uv = Path(sys.executable).with_name("uv")
    run(uv, "venv", "--quiet", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    run(
        *(uv, "pip", "install", "--quiet", "--python", python),
        *("--constraint", LOCK),
        wheels["product"],
        JUPYTERLAB,
    )
    return venv


@pytest.fixture
def isolated(tmp_path: Path) -> dict[str, str]:
    """An environment for the fresh lab's commands: no user config, no checkout on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))}
    for name in ("CONFIG", "DATA", "RUNTIME"):
        env[f"JUPYTER_{name}_DIR"] = str(tmp_path / name.lower())
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def test_the_product_wheel_loads_beside_jupyterlab_without_the_sandbox(
    fresh_lab: Path, isolated: dict[str, str], tmp_path: Path
) -> None:
    bin_dir = fresh_lab / "bin"
    # The server extension is enabled by the wheel's config and validates (imports, entry points)
    listing = output(
        run(bin_dir / "jupyter", "server", "extension", "list", env=isolated, cwd=tmp_path)
    )
    assert re.search(r"reana_openbis_lab\s+enabled", listing), listing
    assert re.search(r"reana_openbis_lab\s+\S+\s+OK", listing), listing
    # The prebuilt labextension is found where pip put it
    lab = output(run(bin_dir / "jupyter", "labextension", "list", env=isolated, cwd=tmp_path))
    assert re.search(r"reana-openbis-lab v\S+ enabled\s+OK \(python, reana_openbis_lab\)", lab), lab
    # Neither the sandbox, nor a pytest plugin, nor the sandbox's command came with it
    probe = run(
        bin_dir / "python",
        "-c",
        "import importlib.util, importlib.metadata as m, json; print(json.dumps("
        "[importlib.util.find_spec('reana_openbis_lab_sandbox') is None,"
        " [e.value for e in m.entry_points(group='pytest11') if 'reana' in e.value]]))",
        env=isolated,
        cwd=tmp_path,
    )
    assert json.loads(probe.stdout) == [True, []]
    assert not (bin_dir / "reana-openbis-lab-sandbox").exists()


@pytest.fixture
def fresh_server(
    fresh_lab: Path, isolated: dict[str, str], tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """`jupyter server` of the fresh environment on a free port; yields (base URL, token)."""
    token = "wheel-check-token"
    root = tmp_path / "root"
    root.mkdir()
    process = subprocess.Popen(
        [
            str(fresh_lab / "bin" / "jupyter"),
            "server",
            "--ServerApp.port=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.open_browser=False",
            "--allow-root",
        ],
        env=isolated,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "server.log").open("w"),
    )
    try:
        runtime = Path(isolated["JUPYTER_RUNTIME_DIR"])
        deadline = time.monotonic() + 60
        while not (found := list(runtime.glob("jpserver-*.json"))):
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written whole, but give the writer its close
        yield json.loads(found[0].read_text())["url"], token
    finally:
        process.terminate()
        process.wait(timeout=30)
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log and "failed to load" not in log.lower(), log


def test_a_server_of_the_fresh_environment_serves_the_extension(
    fresh_server: tuple[str, str],
) -> None:
    url, token = fresh_server
    response = httpx.get(
        f"{url.rstrip('/')}/reana-openbis-lab/info",
        headers={"Authorization": f"token {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "reana_openbis_lab"
