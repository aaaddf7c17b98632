"""What a dead process of the extension left in the root is recognised by its journal and
removed, before the next transfer into the same folder or at the next start; nothing else is
ever touched (a look-alike folder of the user's, a live owner's work, a link out of the root)."""

from __future__ import annotations

import os
from pathlib import Path

from reana_openbis_lab import leftovers
from reana_openbis_lab.leftovers import OPENBIS_STAGING, REANA_STAGING, Journal


def entered(journal: Journal, folder: Path, prefix: str, held: list[object]) -> Path:
    """A staging folder whose block has not ended (`held` keeps it from being closed)."""
    block = journal.staging_dir(folder, prefix)
    held.append(block)
    return block.__enter__()


def die(journal: Journal) -> None:
    """What the kernel does to a killed owner: its lock goes, its files stay."""
    os.close(journal._lock_fd)


def test_the_next_staging_into_a_folder_removes_a_dead_owners_but_nothing_else(
    tmp_path: Path,
) -> None:
    held: list[object] = []
    data_dir, folder = tmp_path / "data", tmp_path / "root" / "results"
    folder.mkdir(parents=True)
    # Given a staging folder left by an owner that died, one of a live owner, and the user's
    # own folder with a look-alike name
    dead = Journal.open(data_dir)
    left = entered(dead, folder, OPENBIS_STAGING, held)
    (left / "000001").write_bytes(b"partial")
    die(dead)
    live = Journal.open(data_dir)
    busy = entered(live, folder, REANA_STAGING, held)
    mine = folder / f"{OPENBIS_STAGING}mine"
    mine.mkdir()
    # When a transfer stages into that folder
    with Journal.open(data_dir).staging_dir(folder, OPENBIS_STAGING) as staging:
        # Then only the dead owner's staging is gone
        assert not left.exists()
        assert busy.is_dir() and mine.is_dir() and staging.is_dir()
    # And the new staging goes with its block
    assert not staging.exists()


def test_a_start_sweeps_dead_owners_inside_its_root_and_keeps_the_rest_for_others(
    tmp_path: Path,
) -> None:
    held: list[object] = []
    data_dir, root, other = tmp_path / "data", tmp_path / "root", tmp_path / "other-root"
    (root / "a").mkdir(parents=True)
    (other / "b").mkdir(parents=True)
    dead = Journal.open(data_dir)
    inside = entered(dead, root / "a", REANA_STAGING, held)
    outside = entered(dead, other / "b", REANA_STAGING, held)
    die(dead)
    # When a server for `root` starts
    undone = leftovers.sweep(data_dir, root)
    # Then the staging in its root is gone, the other root's is kept, and so is its entry
    assert not inside.exists() and outside.is_dir()
    assert undone == [f"staging {inside}"]
    assert leftovers.sweep(data_dir, other) == [f"staging {outside}"]
    assert not outside.exists()
    assert list((data_dir / "journal").glob("*.json")) == []


def test_a_live_owner_is_never_swept(tmp_path: Path) -> None:
    data_dir, root = tmp_path / "data", tmp_path / "root"
    root.mkdir()
    live = Journal.open(data_dir)
    with live.staging_dir(root, OPENBIS_STAGING) as staging:
        assert leftovers.sweep(data_dir, root) == []
        assert staging.is_dir()


def test_a_link_planted_in_the_way_is_not_followed(tmp_path: Path) -> None:
    held: list[object] = []
    data_dir, root, outside = tmp_path / "data", tmp_path / "root", tmp_path / "outside"
    (root / "a").mkdir(parents=True)
    dead = Journal.open(data_dir)
    left = entered(dead, root / "a", OPENBIS_STAGING, held)
    die(dead)
    # Given the folder replaced by a link to a place that has a folder of that name
    victim = outside / left.name
    victim.mkdir(parents=True)
    (victim / "precious").write_text("not ours")
    left.rmdir()
    (root / "a").rmdir()
    (root / "a").symlink_to(outside)
    # When the leftovers are swept
    leftovers.sweep(data_dir, root)
    # Then nothing behind the link was touched
    assert (victim / "precious").read_text() == "not ours"


def test_a_clean_end_leaves_no_journal(tmp_path: Path) -> None:
    data_dir, root = tmp_path / "data", tmp_path / "root"
    root.mkdir()
    journal = Journal.open(data_dir)
    with journal.staging_dir(root, OPENBIS_STAGING):
        pass
    journal.close()
    assert list((data_dir / "journal").iterdir()) == []
