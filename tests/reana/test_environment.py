"""The reana-client environment: found without importing it, kept when it works, never clobbered."""

from __future__ import annotations

from pathlib import Path

import pytest

from reana_openbis_lab.cli import main as cli_main
from reana_openbis_lab.reana.environment import (
    ENV_VARIABLE,
    default_env_path,
    describe,
    install_command,
)


def test_a_working_environment_is_described_from_its_files(reana_client_env: Path) -> None:
    # When
    info = describe(reana_client_env)
    # Then
    assert info.available is True
    assert info.version == "0.9.6"
    assert info.to_json()["python"] == str(reana_client_env / "bin" / "python")


def test_a_missing_environment_is_unavailable(tmp_path: Path) -> None:
    info = describe(tmp_path / "nothing")
    assert info.to_json() == {
        "available": False,
        "python": None,
        "version": None,
        "path": str(tmp_path / "nothing"),
    }


def test_the_environment_variable_overrides_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "custom"))
    # Then
    assert default_env_path() == tmp_path / "custom"
    # And without it, the default lives in Jupyter's data dir
    monkeypatch.delenv(ENV_VARIABLE)
    assert default_env_path().parts[-2:] == ("reana_openbis_lab", "reana-client-env")


def test_installing_over_a_working_environment_keeps_it(
    reana_client_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given
    marker = reana_client_env / "pyvenv.cfg"
    before = marker.stat().st_mtime_ns
    # When (through the command line, as users run it)
    code = cli_main(["install-reana-client", "--path", str(reana_client_env)])
    # Then
    assert code == 0
    assert "reana-client 0.9.6 is ready" in capsys.readouterr().out
    assert marker.stat().st_mtime_ns == before


def test_a_folder_that_is_not_a_venv_is_never_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a folder of the user's at the chosen path
    folder = tmp_path / "my-files"
    folder.mkdir()
    (folder / "thesis.tex").write_text("precious")
    # When
    code = install_command(path=str(folder), force=True, version=None)
    # Then
    assert code == 1
    assert "refusing to delete it" in capsys.readouterr().err
    assert (folder / "thesis.tex").read_text() == "precious"
