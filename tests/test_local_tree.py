"""Trees a user made as deep as the kernel allows are made, walked and removed without recursion.

Python 3.11's `os.walk`, `shutil.rmtree` and `Path.mkdir(parents=True)` recurse once per level:
at 1,100 levels they raise RecursionError, which no `except OSError` catches (a REANA download
into such a destination failed its job as `internal`; a run dialog over such an input folder
was a 500).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reana_openbis_lab.local_tree import make_folders, remove_tree, walk_files
from reana_openbis_lab.reana.spec_inputs import inputs_of

#: Deeper than Python's recursion limit, within PATH_MAX from a short base.
LEVELS = 1100


@pytest.fixture
def base() -> Iterator[Path]:
    """A folder of its own, not pytest's tmp_path: pytest removes old tmp_paths with
    shutil.rmtree, which a tree left behind by a failing test would stop with RecursionError."""
    folder = Path(tempfile.mkdtemp(prefix="deep-tree-"))
    yield folder
    remove_tree(folder)


def deep_tree(base: Path) -> Path:
    """`base/d/d/.../d/leaf.txt`, made one level at a time with relative names (as a user's
    shell would), so that making it does not depend on the code under test."""
    fd = os.open(base, os.O_RDONLY)
    try:
        for _ in range(LEVELS):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        leaf = os.open("leaf.txt", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd)
        os.write(leaf, b"x")
        os.close(leaf)
    finally:
        os.close(fd)
    return base.joinpath(*["d"] * LEVELS)


def test_the_tree_is_deeper_than_python_recursion_goes() -> None:
    assert sys.getrecursionlimit() < LEVELS


def test_a_deep_tree_is_made_walked_and_removed(base: Path) -> None:
    made = make_folders(base / "made" / Path(*["m"] * LEVELS))
    assert len(made) == LEVELS + 1
    deep_tree(base)
    assert [p.name for p in walk_files(base / "d", limit=10)] == ["leaf.txt"]
    remove_tree(base / "d")
    remove_tree(base / "made")
    assert list(base.iterdir()) == []


def test_removing_never_follows_a_link(tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "precious.txt").write_text("mine")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "link").symlink_to(kept)
    remove_tree(tree)
    assert not tree.exists() and (kept / "precious.txt").read_text() == "mine"


def test_a_run_dialog_counts_an_input_folder_of_any_depth(base: Path) -> None:
    deep_tree(base)
    facts = inputs_of({"inputs": {"directories": ["d"]}}, base)
    assert facts is not None and (facts["fileCount"], facts["bytes"]) == (1, 1)
