"""REANA's command-line advice is dropped from its messages; what they say otherwise stays."""

from __future__ import annotations

import pytest

from reana_openbis_lab.reana.advice import without_cli_advice


@pytest.mark.parametrize(
    ("upstream", "shown"),
    [
        (
            "REANA_WORKON is set to run.7, but that workflow does not exist. "
            "Please set your REANA_WORKON environment variable appropriately.",
            "Workflow run.7 does not exist.",
        ),
        (
            "Workflow w is running. Use `--force` to stop it. Retry later.",
            "Workflow w is running. Retry later.",
        ),
        ("Install reana-client 0.9 or newer.", ""),
        ("Workflow w is already finished.", "Workflow w is already finished."),
        ("", ""),
    ],
)
def test_cli_only_sentences_are_dropped(upstream: str, shown: str) -> None:
    assert without_cli_advice(upstream) == shown
