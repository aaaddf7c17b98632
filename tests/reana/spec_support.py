"""Shared helpers for the reana-client tests: demo specs, broken variants, the server config."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

#: The public demo specs with reana-client's verdicts (EXPECTED.tsv); REANA_DEMOS overrides.
DEMOS = Path(
    os.environ.get("REANA_DEMOS")
    or Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "reana-demos"
)
HELLOWORLD = DEMOS / "reana-demo-helloworld"


def copy_helloworld(root: Path, name: str = "hello") -> Path:
    """The helloworld demo (serial, cwl and yadage specs) copied below the server root."""
    target = root / name
    shutil.copytree(HELLOWORLD, target)
    return target


def server_config(env: Path, **options: object) -> dict[str, object]:
    """`c.ReanaOpenbisLab` options that point the server at the reana-client environment."""
    return {"reana_client_env": str(env), **options}
