"""Planning, all-or-nothing placement and the manifest of downloads, on a plain filesystem."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reana_openbis_lab.errors import InvalidInput, LocalProblem, UpstreamError
from reana_openbis_lab.openbis import manifest
from reana_openbis_lab.openbis.atomic import STAGING_PREFIX, place_all
from reana_openbis_lab.openbis.download import RemoteFile, plan_targets
from tests.local_mounts import entries, fill_leaving, tmpfs


def make_staging_dir(parent: Path) -> Path:
    staging = parent / f"{STAGING_PREFIX}test"
    staging.mkdir()
    return staging


def staged_file(staging: Path, name: str, text: str) -> Path:
    path = staging / name
    path.write_text(text)
    return path


def test_all_staged_files_are_placed_and_existing_ones_replaced(tmp_path: Path) -> None:
    # Given one existing file and two staged ones, one of them in a new sub-folder
    (tmp_path / "a.txt").write_text("old")
    staging = make_staging_dir(tmp_path)
    pairs = [
        (staged_file(staging, "1", "new a"), tmp_path / "a.txt"),
        (staged_file(staging, "2", "new b"), tmp_path / "sub" / "b.txt"),
    ]
    # When they are placed
    place_all(pairs, staging)
    # Then both are in place
    assert (tmp_path / "a.txt").read_text() == "new a"
    assert (tmp_path / "sub" / "b.txt").read_text() == "new b"


def test_a_failure_halfway_puts_everything_back(tmp_path: Path) -> None:
    # Given an existing file, and a second target that cannot be written (its parent is a file)
    (tmp_path / "a.txt").write_text("old")
    (tmp_path / "blocker").write_text("a file where a folder is needed")
    staging = make_staging_dir(tmp_path)
    pairs = [
        (staged_file(staging, "1", "new a"), tmp_path / "a.txt"),
        (staged_file(staging, "2", "new c"), tmp_path / "new-dir" / "c.txt"),
        (staged_file(staging, "3", "new b"), tmp_path / "blocker" / "b.txt"),
    ]
    # When placing fails on the last one
    with pytest.raises(OSError):
        place_all(pairs, staging)
    # Then the replaced file is back, and the new file and its new folder are gone
    assert (tmp_path / "a.txt").read_text() == "old"
    assert not (tmp_path / "new-dir").exists()


def test_a_failing_bookkeeping_step_undoes_the_placement(tmp_path: Path) -> None:
    staging = make_staging_dir(tmp_path)
    pairs = [(staged_file(staging, "1", "new"), tmp_path / "x.txt")]

    def broken_manifest() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        place_all(pairs, staging, then=broken_manifest)
    assert not (tmp_path / "x.txt").exists()


def test_the_manifest_keeps_one_entry_per_dataset_and_server(tmp_path: Path) -> None:
    # Given a dataset recorded twice from one server (two partial downloads) and once from another
    for url, files in (("https://a", ["x"]), ("https://a", ["y"]), ("https://b", ["z"])):
        manifest.record_download(
            tmp_path,
            tmp_path,
            connection="c",
            url=url,
            perm_id="P-1",
            dataset_type="RAW",
            files=files,
        )
    # Then one entry per server remains, holding the files of both partial downloads
    entries = manifest.read_entries(tmp_path, tmp_path)
    assert [(e["url"], e["files"]) for e in entries] == [
        ("https://a", ["x", "y"]),
        ("https://b", ["z"]),
    ]
    # And the file is the JSON document other tools can read, with no temporary file left
    document = json.loads((tmp_path / ".openbis" / "datasets.json").read_text())
    assert document["version"] == 1
    assert os.listdir(tmp_path / ".openbis") == ["datasets.json"]


def test_an_unreadable_manifest_reads_as_empty(tmp_path: Path) -> None:
    (tmp_path / ".openbis").mkdir()
    (tmp_path / ".openbis" / "datasets.json").write_text("{not json")
    assert manifest.read_entries(tmp_path, tmp_path) == []


@pytest.mark.parametrize(
    "hostile",
    ["original/../../escape.txt", "/etc/passwd", "original/a/../../../x"],
)
def test_file_names_from_openbis_cannot_leave_the_destination(tmp_path: Path, hostile: str) -> None:
    # Given a root with a link to the outside, and a server listing a hostile file name
    root = tmp_path / "root"
    (root / "link").parent.mkdir(parents=True)
    (root / "link").symlink_to(tmp_path)
    # When the download is planned
    with pytest.raises(UpstreamError, match="leave the destination"):
        plan_targets(root, "", [RemoteFile(hostile, 1, None)], overwrite=False)
    # Then nothing was created
    assert os.listdir(root) == ["link"]


def test_a_local_link_in_the_way_is_the_destinations_problem_not_openbis(tmp_path: Path) -> None:
    # Given a destination holding a link out of the root where a listed folder would go
    root = tmp_path / "root"
    (root / "dest").mkdir(parents=True)
    (root / "dest" / "link").symlink_to(tmp_path)
    # When a safe name below it is planned, it is refused as a local link, named, not as openBIS'
    with pytest.raises(InvalidInput, match="'dest/link' in the destination is a link") as caught:
        plan_targets(root, "dest", [RemoteFile("original/link/x", 1, None)], overwrite=True)
    assert (caught.value.code, caught.value.field) == ("outside_root", "destination")
    assert os.listdir(root / "dest") == ["link"]


def test_names_are_stored_without_openbis_prefixes(tmp_path: Path) -> None:
    files = [RemoteFile("original/DEFAULT/a.txt", 1, None), RemoteFile("original/b/c.txt", 1, None)]
    planned = plan_targets(tmp_path, "", files, overwrite=False)
    assert [p.name for p in planned] == ["a.txt", "b/c.txt"]
    assert [p.target for p in planned] == [tmp_path / "a.txt", tmp_path / "b" / "c.txt"]


def test_a_listed_name_too_long_for_the_local_disk_is_a_local_problem(tmp_path: Path) -> None:
    # Given openBIS listing a file whose name is longer than a local file system allows
    long_name = "original/data/" + "x" * 300 + ".csv"
    # When the download is planned
    with pytest.raises(LocalProblem) as refused:
        plan_targets(tmp_path, "", [RemoteFile(long_name, 1, None)], overwrite=False)
    # Then the local limit is named, not openBIS blamed, before anything is created
    assert (refused.value.code, refused.value.field) == ("local_name_too_long", "files")
    assert os.listdir(tmp_path) == []


def test_a_manifest_the_disk_refuses_is_a_local_problem_naming_it(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", size="64k") as folder:
        fill_leaving(folder, 0)
        with pytest.raises(LocalProblem) as refused:
            manifest.record_download(
                tmp_path, folder, connection="c", url="u", perm_id="P", dataset_type=None, files=[]
            )
        left = entries(folder)
    assert refused.value.code == "local_disk_full"
    assert "'small/.openbis/datasets.json'" in refused.value.message
    assert left <= {"filler.bin", ".openbis"}
