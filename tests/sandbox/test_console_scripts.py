"""Every command the two distributions install works without their extras, or says in one line what to
install (non-zero exit, no traceback).

The commands run as pip's generated scripts run them (import the entry point, call it), in a child Python
where every module that only the extras (or other unrelated packages) bring is made unimportable: what a plain
`pip install <distribution>` leaves installed, computed from the installed packages' own metadata.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from functools import cache
from importlib import metadata
from pathlib import Path

import httpx
from packaging.requirements import Requirement

from reana_openbis_lab_sandbox.credentials import REANA_TOKEN

PRODUCT = "reana-openbis-lab"
SANDBOX = "reana-openbis-lab-sandbox"
INSTALL_HINT = "pip install 'reana-openbis-lab-sandbox[all]'"

#: Run in the child: refuse the blocked modules, then start the entry point as pip's script does.
SHIM = """
import importlib.abc, sys
from importlib.metadata import entry_points

BLOCKED = set(sys.argv[1].split(","))

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
script = sys.argv[2]
(entry_point,) = entry_points(group="console_scripts", name=script)
sys.argv = sys.argv[2:]
sys.exit(entry_point.load()())
"""


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_closure(name: str, extras: frozenset[str] = frozenset()) -> set[str]:
    """The distributions `pip install name[extras]` brings, following the installed metadata."""
    found: set[str] = set()
    pending = [(name, extras)]
    while pending:
        current, current_extras = pending.pop()
        if normalized(current) in found:
            continue
        found.add(normalized(current))
        try:
            requirements = metadata.requires(current) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requirements:
            requirement = Requirement(line)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in {"", *current_extras}
            )
            if wanted:
                pending.append((requirement.name, frozenset(requirement.extras)))
    return found


@cache
def modules_without_extras(distribution: str) -> frozenset[str]:
    """Top-level modules installed here that a plain install of `distribution` would not have."""
    base = requirement_closure(distribution)
    return frozenset(
        module
        for module, distributions in metadata.packages_distributions().items()
        if module not in sys.stdlib_module_names
        and not any(normalized(d) in base for d in distributions)
    )


def installed_scripts(distribution: str) -> list[str]:
    return sorted(
        ep.name
        for ep in metadata.entry_points(group="console_scripts")
        if ep.dist is not None and normalized(ep.dist.name) == distribution
    )


def run_without_extras(distribution: str, *command: str, **popen) -> subprocess.Popen[str]:
    blocked = ",".join(sorted(modules_without_extras(distribution)))
    return subprocess.Popen(
        [sys.executable, "-c", SHIM, blocked, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def finished(distribution: str, *command: str) -> tuple[int, str, str]:
    process = run_without_extras(distribution, *command)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def test_the_simulated_plain_installs_lack_the_sandbox_extras() -> None:
    for distribution in (PRODUCT, SANDBOX):
        blocked = modules_without_extras(distribution)
        assert {"cryptography", "asyncssh"} <= blocked, distribution
        assert not {"tornado", "httpx"} & blocked, distribution
    assert not {"jupyter_server", "pybis"} & modules_without_extras(PRODUCT)


def test_every_installed_command_shows_its_help_without_the_extras() -> None:
    scripts = {distribution: installed_scripts(distribution) for distribution in (PRODUCT, SANDBOX)}
    assert scripts == {
        PRODUCT: ["jupyter-reana-openbis-lab"],
        SANDBOX: ["reana-openbis-lab-sandbox"],
    }
    for distribution, names in scripts.items():
        for script in names:
            code, out, err = finished(distribution, script, "--help")
            assert code == 0, (script, err)
            assert "usage:" in out and "Traceback" not in err, script


def test_what_needs_an_extra_says_in_one_line_what_to_install() -> None:
    cases = {
        ("reana-openbis-lab-sandbox", "--tls", "--only", "reana"): "cryptography",
        ("reana-openbis-lab-sandbox", "--sftp"): "asyncssh",
    }
    for command, package in cases.items():
        code, _, err = finished(SANDBOX, *command)
        assert code != 0, command
        assert len(err.strip().splitlines()) == 1, (command, err)
        assert package in err and INSTALL_HINT in err, (command, err)


def test_the_products_command_has_no_sandbox_subcommand() -> None:
    # The sandbox servers are the test rig's own command, not a part of the product.
    code, _, err = finished(PRODUCT, "jupyter-reana-openbis-lab", "sandbox", "--tls")
    assert code == 2 and "invalid choice: 'sandbox'" in err and "Traceback" not in err


def test_the_sandbox_itself_runs_without_the_extras(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    process = run_without_extras(
        SANDBOX, "reana-openbis-lab-sandbox", "--state-file", str(state_file)
    )
    try:
        deadline = time.monotonic() + 90
        while not state_file.exists():
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the sandbox did not start"
            time.sleep(0.1)
        state = json.loads(state_file.read_text())
        reana = httpx.get(f"{state['reana']['url']}/api/you", params={"access_token": REANA_TOKEN})
        openbis = httpx.get(f"{state['openbis']['url']}/__sandbox__/faults")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert reana.status_code == 200 and openbis.status_code == 200
    assert process.returncode == 0 and "Traceback" not in err
