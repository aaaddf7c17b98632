"""The sandbox openBIS store: seed shape, scale option and the read-only API the SFTP view uses."""

from __future__ import annotations

import zlib
from pathlib import Path

from reana_openbis_lab_sandbox.credentials import OPENBIS_PAT, OPENBIS_USERS
from reana_openbis_lab_sandbox.openbis import OpenbisStore
from reana_openbis_lab_sandbox.openbis.seed import BIG_DATASET_SIZE
from reana_openbis_lab_sandbox.openbis.sessions import Sessions


def test_seed_covers_what_the_issue_asks_for(tmp_path: Path) -> None:
    # When a store is seeded
    store = OpenbisStore(tmp_path)
    datasets = store.datasets()
    # Then it holds two spaces, projects, typed collections and objects, 20+ datasets of 3 types
    assert len(store.spaces()) >= 2 and len(store.projects()) >= 3
    assert len({e.type.code for e in store.experiments()}) >= 2
    assert len({s.type.code for s in store.samples()}) >= 2
    assert len(datasets) >= 20
    assert len({d.type.code for d in datasets}) >= 3
    assert any(d.parents for d in datasets) and any(d.children for d in datasets)
    assert any(f.path.count("/") >= 3 for d in datasets for f in d.files)
    assert [d.size for d in datasets if d.size >= 100 * 1024 * 1024] == [BIG_DATASET_SIZE]


def test_seed_is_deterministic(tmp_path: Path) -> None:
    # Given two stores from the same seed
    first = OpenbisStore(tmp_path / "a", seed=3)
    second = OpenbisStore(tmp_path / "b", seed=3)
    # Then permIds and bytes agree
    assert [d.perm_id for d in first.datasets()] == [d.perm_id for d in second.datasets()]
    for a, b in zip(first.datasets(), second.datasets(), strict=True):
        assert [f.source.crc32() for f in a.files if f.source.size < 10**6] == [
            f.source.crc32() for f in b.files if f.source.size < 10**6
        ]


def test_scale_adds_small_generated_datasets(tmp_path: Path) -> None:
    # When the store is built with scale=500
    store = OpenbisStore(tmp_path, scale=500)
    # Then 500 one-file datasets live in /BENCH/LOAD/MANY, nothing of them on disk
    bench = store.datasets_of_experiment("/BENCH/LOAD/MANY")
    assert len(bench) == 500
    assert all(len(d.files) == 1 and 0 < d.size < 5000 for d in bench)
    assert not any((store.files_dir / d.perm_id).exists() for d in bench)


def test_scale_adds_a_wide_top_level_after_the_lab_spaces(tmp_path: Path) -> None:
    # When stores are built with a scale above and below the wide level's length
    wide = OpenbisStore(tmp_path / "wide", scale=1500)
    narrow = OpenbisStore(tmp_path / "narrow", scale=20)
    # Then the top level holds up to 1,000 extra empty spaces, sorting after the lab's own
    codes = sorted(s.code for s in wide.spaces())
    extra = [code for code in codes if code.startswith("WIDE_")]
    assert len(extra) == 1000 and extra[0] == "WIDE_0001" and codes[-1] == "WIDE_1000"
    assert codes.index("WIDE_0001") > codes.index("SHARED")
    assert not wide.projects("WIDE_0001")
    assert sum(s.code.startswith("WIDE_") for s in narrow.spaces()) == 20


def test_read_only_api_for_the_sftp_view(tmp_path: Path) -> None:
    # Given a seeded store
    store = OpenbisStore(tmp_path)
    assert store.check_password("alice", OPENBIS_USERS["alice"])
    assert not store.check_password("alice", "wrong")
    # When a client walks space -> project -> collection -> dataset
    project = store.projects("LAB_A")[0]
    experiment = store.experiments(project.identifier)[0]
    dataset = store.datasets_of_experiment(experiment.identifier)[0]
    entries = store.dataset_files(dataset.perm_id)
    # Then directories and files are listed with sizes
    assert any(e.is_dir and e.path == "original" for e in entries)
    file_entry = next(e for e in entries if not e.is_dir and e.size > 0)
    # And a file opens as a seekable binary reader with the listed bytes
    with store.open_file(dataset.perm_id, file_entry.path) as reader:
        content = reader.read()
        reader.seek(1)
        assert reader.read(3) == content[1:4]
    assert len(content) == file_entry.size
    assert zlib.crc32(content) == dataset.file(file_entry.path).source.crc32()


def test_generated_big_file_reads_any_range(tmp_path: Path) -> None:
    # Given the 120 MB generated file
    store = OpenbisStore(tmp_path)
    big = next(d for d in store.datasets() if d.size == BIG_DATASET_SIZE)
    path = big.files[0].path
    # When ranges are read through the reader, Then they agree with each other
    with store.open_file(big.perm_id, path) as reader:
        reader.seek(BIG_DATASET_SIZE - 100_000)
        tail = reader.read()
        reader.seek(BIG_DATASET_SIZE - 100_000 + 10)
        assert reader.read(50) == tail[10:60]
    assert len(tail) == 100_000


def test_idle_sessions_expire_and_personal_access_tokens_do_not() -> None:
    # Given sessions with a 60 s idle timeout on a clock the test moves
    now = [1000.0]
    sessions = Sessions({OPENBIS_PAT: "alice"}, idle_timeout=60, clock=lambda: now[0])
    token = sessions.open("alice")
    # When it is used within the timeout, Then it stays valid and the use renews it
    now[0] += 50
    assert sessions.user_of(token) == "alice"
    now[0] += 50
    assert sessions.user_of(token) == "alice"
    # When it idles past the timeout, Then it is gone, while the PAT still works
    now[0] += 61
    assert sessions.user_of(token) is None
    assert sessions.user_of(OPENBIS_PAT) == "alice"
