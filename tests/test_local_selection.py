"""The transfer walk on its own: deep trees, bookkeeping folders, files changed after selection."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from reana_openbis_lab import local_selection
from reana_openbis_lab.errors import Conflict
from reana_openbis_lab.local_selection import assert_unchanged, collect, selected
from reana_openbis_lab.openbis.atomic import STAGING_PREFIX as OPENBIS_STAGING
from reana_openbis_lab.reana.workspace import STAGING_PREFIX as REANA_STAGING


def test_a_tree_deeper_than_pythons_recursion_limit_is_walked() -> None:
    # Not in pytest's tmp_path: its cleanup (shutil.rmtree) recurses and fails on this tree.
    base = Path(tempfile.mkdtemp(prefix="deep-tree-")).resolve()
    folders = [base / "deep"]
    for _ in range(1200):
        folders.append(folders[-1] / "d")
    try:
        for folder in folders:  # one by one: mkdir(parents=True) recurses too
            folder.mkdir()
        (folders[-1] / "bottom.txt").write_text("x")
        items = collect(base, [selected("deep", "paths")])
        assert [i.name.count("/") for i in items] == [1201]
    finally:
        (folders[-1] / "bottom.txt").unlink(missing_ok=True)
        for folder in [*reversed(folders), base]:
            if folder.exists():
                folder.rmdir()


def test_our_own_and_jupyters_bookkeeping_stays_home_unless_selected(tmp_path: Path) -> None:
    assert {OPENBIS_STAGING, REANA_STAGING} <= set(local_selection.SKIPPED_PREFIXES)
    for name in (
        ".ipynb_checkpoints/a-checkpoint.txt",
        ".openbis/datasets.json",
        f"{OPENBIS_STAGING}x/000001",
        f"{REANA_STAGING}y/part",
        "kept.txt",
    ):
        (tmp_path / "folder" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "folder" / name).write_text("x")
    assert [i.name for i in collect(tmp_path, [selected("folder", "paths")])] == ["folder/kept.txt"]
    chosen = collect(tmp_path, [selected("folder/.ipynb_checkpoints", "paths")])
    assert [i.name for i in chosen] == [".ipynb_checkpoints/a-checkpoint.txt"]


def test_a_file_rewritten_with_the_same_size_counts_as_changed(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("1,2\n")
    (item,) = collect(tmp_path, [selected("data.csv", "paths")])
    assert_unchanged(item)
    (tmp_path / "data.csv").write_text("3,4\n")
    os.utime(tmp_path / "data.csv", ns=(item.mtime_ns + 1_000_000, item.mtime_ns + 1_000_000))
    with pytest.raises(Conflict) as refused:
        assert_unchanged(item)
    assert refused.value.code == "changed" and "data.csv" in refused.value.message


def test_a_file_where_a_folder_is_needed_is_a_clash(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").mkdir()
    (tmp_path / "a" / "x" / "y.txt").write_text("y")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("a file named x")
    with pytest.raises(Conflict) as refused:
        collect(tmp_path, [selected("a/x", "paths[0]"), selected("b/x", "paths[1]")])
    assert refused.value.code == "name_clash"
    assert "a/x" in refused.value.message and "b/x" in refused.value.message
