"""The separate Python environment that holds reana-client (for validating and loading specs).

reana-commons pins `jsonschema<4` and JupyterLab needs `jsonschema>=4.18`, so reana-client
can never be installed beside the Jupyter server; it lives in its own venv and is used
only through the worker process (`worker/spec_worker.py`). The Jupyter process never
imports reana_client: it only looks at the environment's files to report whether it is
there, and runs its Python as a subprocess.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_data_dir

#: The reana-client release the worker and the validation verdicts were checked against.
DEFAULT_REANA_CLIENT_VERSION = "0.9.6"
#: Environment variable that points the extension and its tests at another environment.
ENV_VARIABLE = "REANA_CLIENT_ENV"
#: Seconds a working environment may take to import reana-client when it is checked.
PROBE_TIMEOUT = 120
DIST_INFO = re.compile(r"^reana_client-(?P<version>[^-]+)\.dist-info$", re.IGNORECASE)


def default_env_path() -> Path:
    """`$REANA_CLIENT_ENV`, else `<jupyter data dir>/reana_openbis_lab/reana-client-env`."""
    configured = os.environ.get(ENV_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    return Path(jupyter_data_dir()) / "reana_openbis_lab" / "reana-client-env"


def env_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def env_bin(env: Path) -> Path:
    return env_python(env).parent


@dataclass(frozen=True)
class EnvironmentInfo:
    """What GET /info reports about the reana-client environment, found without running it."""

    path: Path
    python: Path | None
    version: str | None

    @property
    def available(self) -> bool:
        return self.python is not None and self.version is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "python": str(self.python) if self.python else None,
            "version": self.version,
            "path": str(self.path),
        }


def describe(env: Path) -> EnvironmentInfo:
    """Look for the env's Python and reana-client's installed metadata (file checks only).

    Cheap enough for server start-up; whether the env really imports is only known when the
    worker starts, which reports a broken env as unavailable with the worker's own error.
    """
    python = env_python(env)
    if not python.exists():
        return EnvironmentInfo(env, None, None)
    return EnvironmentInfo(env, python, installed_version(env))


def installed_version(env: Path) -> str | None:
    candidates = [*sorted(env.glob("lib/python3*/site-packages")), env / "Lib" / "site-packages"]
    for site_packages in candidates:
        if not site_packages.is_dir():
            continue
        for entry in site_packages.iterdir():
            match = DIST_INFO.match(entry.name)
            if match:
                return match.group("version")
    return None


def probe(env: Path) -> str | None:
    """Import reana-client with the env's own Python; its version if that works, else None."""
    python = env_python(env)
    if not python.exists():
        return None
    code = "import reana_client.utils, importlib.metadata as m; print(m.version('reana-client'))"
    try:
        done = subprocess.run(
            [str(python), "-I", "-c", code],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def remove_environment(env: Path) -> None:
    """Delete an env we may own: a symlink is unlinked, a folder only if it is a venv."""
    if env.is_symlink():
        env.unlink()
    elif env.exists():
        if not (env / "pyvenv.cfg").exists():
            raise RuntimeError(
                f"{env} exists and is not a Python virtual environment; refusing to delete it"
            )
        shutil.rmtree(env)


def create_environment(env: Path, version: str) -> None:
    """A fresh venv with pip, then reana-client (it brings cwltool, yadage and snakemake)."""
    env.parent.mkdir(parents=True, exist_ok=True)
    base_python = getattr(sys, "_base_executable", None) or sys.executable
    subprocess.run([base_python, "-m", "venv", str(env)], check=True)
    python = str(env_python(env))
    subprocess.run(
        [python, "-m", "pip", "install", "--upgrade", "--disable-pip-version-check", "pip"],
        check=True,
    )
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            f"reana-client=={version}",
        ],
        check=True,
    )


def install_command(path: str | None, force: bool, version: str | None) -> int:
    """`jupyter reana-openbis-lab install-reana-client`: create or check the environment.

    Idempotent: an environment that already imports the wanted reana-client is kept unless
    `force` is given. Returns the process exit code.
    """
    env = Path(path).expanduser() if path else default_env_path()
    wanted = version or DEFAULT_REANA_CLIENT_VERSION
    if not force:
        found = probe(env)
        if found == wanted:
            print(f"reana-client {found} is ready in {env}")
            return 0
        if found:
            print(f"{env} has reana-client {found}; recreating it with {wanted}")
        elif env.exists() or env.is_symlink():
            print(f"{env} does not import reana-client; recreating it")
    try:
        remove_environment(env)
        print(f"Creating {env} with reana-client {wanted} (this takes a minute or two)")
        create_environment(env, wanted)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        print(f"Could not create the reana-client environment: {exc}", file=sys.stderr)
        return 1
    found = probe(env)
    if found != wanted:
        print(f"{env} was created but does not import reana-client {wanted}", file=sys.stderr)
        return 1
    print(f"reana-client {found} is ready in {env}")
    print(
        "If this is not the default location, set "
        f"c.ReanaOpenbisLab.reana_client_env = {str(env)!r} in jupyter_server_config.py"
    )
    return 0
