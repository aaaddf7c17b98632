"""Our verdict equals `reana-client validate`'s on every public REANA demo spec (EXPECTED.tsv)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest

from .spec_support import DEMOS, server_config

VERDICTS = {"yes": "valid", "yes-with-warnings": "valid-with-warnings", "no": "invalid"}


@pytest.fixture
def extension_config(reana_client_env: Path) -> dict[str, Any]:
    return server_config(reana_client_env)


def expected_verdicts() -> dict[str, str]:
    with (DEMOS / "EXPECTED.tsv").open(newline="") as table:
        rows = csv.DictReader(table, delimiter="\t")
        return {row["spec"]: VERDICTS[row["verdict"]] for row in rows}


async def test_every_demo_spec_gets_reana_clients_verdict(api, jp_root_dir: Path) -> None:
    # Given every demo repository copied below the server root
    expected = expected_verdicts()
    assert len(expected) == 45
    shutil.copytree(DEMOS, jp_root_dir / "demos")
    mismatches = []
    for spec, verdict in expected.items():
        # When
        status, body = await api("POST", "reana/validate", {"path": f"demos/{spec}"})
        # Then
        assert status == 200, (spec, body)
        if body["verdict"] != verdict:
            mismatches.append((spec, verdict, body))
        if verdict == "valid-with-warnings":
            assert body["warnings"], spec
        if verdict == "invalid":
            assert body["errors"] and "Something went wrong" not in body["errors"][0]["message"]
    assert mismatches == []
