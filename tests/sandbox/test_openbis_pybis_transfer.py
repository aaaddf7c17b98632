"""The real pybis lists, downloads and uploads dataset files through the sandbox openBIS."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import pytest
import requests
from pybis import Openbis

from reana_openbis_lab_sandbox.handle import Sandbox

IMAGING = "/LAB_A/MICROSCOPY/IMAGING_2024"
STAINED = "/LAB_A/MICROSCOPY/STAINED_1"
BIG_SIZE = 120 * 1024 * 1024


def first_raw_dataset(o: Openbis):
    """The seed dataset with nested folders, an empty file and a non-ASCII name."""
    frame = o.get_datasets(type="RAW_DATA", where={"$NAME": "Raw measurement 1"}).df
    return o.get_dataset(frame["permId"][0])


def plain_get(o: Openbis, perm_id: str, path: str) -> bytes:
    response = requests.get(
        f"{o.url}/datastore_server/{perm_id}/{path}",
        params={"sessionID": o.token},
        timeout=60,
    )
    response.raise_for_status()
    return response.content


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def test_file_list_and_checksums(o: Openbis) -> None:
    # Given a seed dataset with nested folders
    dataset = first_raw_dataset(o)
    # When pybis lists its files
    files = dataset.get_files()
    # Then folders and files are listed, and each file's size and CRC32 match its bytes
    assert "original/data/frames/frame_0000.bin" in dataset.file_list
    assert "original/notes/résumé notes.txt" in dataset.file_list
    assert "original/data" not in dataset.file_list
    assert bool(files[files["pathInDataSet"] == "original/data"]["isDirectory"].iloc[0])
    for _, row in files[~files["isDirectory"]].iterrows():
        content = plain_get(o, dataset.permId, row["pathInDataSet"])
        assert len(content) == row["fileSize"]
        assert f"{zlib.crc32(content):x}" == row["crc32Checksum"]


def test_fast_download_with_default_folders(o: Openbis, tmp_path: Path) -> None:
    # Given a seed dataset
    dataset = first_raw_dataset(o)
    # When pybis downloads it with the fast-download protocol
    destination = dataset.download(destination=str(tmp_path))
    # Then every file lands under <permId>/original/... with the bytes the DSS serves
    root = Path(destination)
    assert root == tmp_path / dataset.permId
    for path in dataset.file_list:
        assert (root / path).read_bytes() == plain_get(o, dataset.permId, path)
    assert (root / "original/data/empty.log").stat().st_size == 0


def test_fast_download_without_default_folders(o: Openbis, tmp_path: Path) -> None:
    # Given a seed dataset
    dataset = first_raw_dataset(o)
    # When pybis downloads two files without the default folders
    wanted = ["original/README.txt", "original/data/measurement.csv"]
    dataset.download(files=wanted, destination=str(tmp_path), create_default_folders=False)
    # Then "original/" is stripped and only those files arrive
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*")) == [
        "README.txt",
        "data/measurement.csv",
    ]


def test_big_dataset_is_listed_and_streams(o: Openbis) -> None:
    # Given the 120 MB seed dataset
    frame = o.get_datasets(where={"$NAME": "Full sequencing run"}).df
    dataset = o.get_dataset(frame["permId"][0])
    # When pybis lists it
    files = dataset.get_files()
    # Then its size is reported without the file ever being written
    reads = files[files["pathInDataSet"] == "original/run/reads.bin"]
    assert int(reads["fileSize"].iloc[0]) == BIG_SIZE
    assert dataset.physicalData.size == BIG_SIZE
    # And the plain GET streams it: the first MiB reads the same twice
    url = f"{o.url}/datastore_server/{dataset.permId}/original/run/reads.bin"
    heads = []
    for _ in range(2):
        with requests.get(url, params={"sessionID": o.token}, stream=True, timeout=60) as response:
            assert int(response.headers["Content-Length"]) == BIG_SIZE
            heads.append(next(response.iter_content(1024 * 1024)))
    assert heads[0] == heads[1] and len(heads[0]) > 0


@pytest.mark.slow
def test_big_dataset_full_fast_download(o: Openbis, tmp_path: Path) -> None:
    # Given the 120 MB seed dataset
    frame = o.get_datasets(where={"$NAME": "Full sequencing run"}).df
    dataset = o.get_dataset(frame["permId"][0])
    expected_crc = dataset.get_files().set_index("pathInDataSet")["crc32Checksum"]
    # When pybis fast-downloads all of it
    dataset.download(destination=str(tmp_path))
    # Then size and CRC32 match what the DSS reported
    target = tmp_path / dataset.permId / "original/run/reads.bin"
    assert target.stat().st_size == BIG_SIZE
    crc = 0
    with open(target, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            crc = zlib.crc32(block, crc)
    assert f"{crc:x}" == expected_crc["original/run/reads.bin"]


def test_new_dataset_in_experiment_with_parents_and_properties(o: Openbis, tmp_path: Path) -> None:
    # Given a small file and a raw parent dataset
    source = tmp_path / "result.txt"
    source.write_text("42\n")
    parent = first_raw_dataset(o).permId
    # When pybis registers a new dataset in a collection
    dataset = o.new_dataset(
        type="PROCESSED_DATA",
        experiment=IMAGING,
        parents=[parent],
        files=[str(source)],
        props={"$name": "Fidelity upload", "sample_count": 7, "description": "two\nlines"},
    )
    dataset.save()
    # Then it is a real dataset: searchable, linked, typed, and its file downloads again
    stored = o.get_dataset(dataset.permId)
    assert stored.experiment.identifier == IMAGING
    assert stored.parents == [parent]
    assert stored.props["sample_count"] == "7"
    assert stored.props["description"] == "two\nlines"
    assert stored.file_list == ["original/result.txt"]
    found = o.get_datasets(experiment=IMAGING, where={"$NAME": "Fidelity upload"}).df
    assert dataset.permId in set(found["permId"])
    stored.download(destination=str(tmp_path / "back"))
    assert (tmp_path / "back" / dataset.permId / "original/result.txt").read_text() == "42\n"


def test_new_dataset_of_a_sample_with_a_folder(o: Openbis, tmp_path: Path) -> None:
    # Given two files in a folder
    folder = tmp_path / "run"
    (folder / "sub").mkdir(parents=True)
    (folder / "empty").mkdir()
    (folder / "a.csv").write_text("a\n")
    (folder / "sub" / "b.csv").write_text("b\n")
    # When pybis registers them as a dataset of an object
    dataset = o.new_dataset(
        type="RAW_DATA", sample=STAINED, files=[str(folder)], props={"device": "microscope"}
    )
    dataset.save()
    # Then the tree is kept, the object and its collection are linked, the term is canonical
    stored = o.get_dataset(dataset.permId)
    assert stored.sample.identifier == STAINED
    assert stored.experiment.identifier == IMAGING
    assert stored.props["device"] == "MICROSCOPE"
    assert sorted(stored.file_list) == ["original/run/a.csv", "original/run/sub/b.csv"]
    # And the empty folder is kept, as a directory entry
    folders = stored.get_files()
    assert "original/run/empty" in set(folders[folders["isDirectory"]]["pathInDataSet"])


def test_sliced_25_mb_upload_round_trips_byte_identical(o: Openbis, tmp_path: Path) -> None:
    # Given a 25 MB file (pybis sends it as three 10 MB slices from ten threads)
    source = tmp_path / "big.bin"
    with open(source, "wb") as fh:
        for index in range(25):
            fh.write(hashlib.sha256(str(index).encode()).digest() * (1024 * 1024 // 32))
    # When pybis uploads it and downloads it again
    dataset = o.new_dataset(type="RAW_DATA", experiment=IMAGING, files=[str(source)])
    dataset.save()
    stored = o.get_dataset(dataset.permId)
    stored.download(destination=str(tmp_path / "back"))
    # Then the bytes are identical
    back = tmp_path / "back" / dataset.permId / "original/big.bin"
    assert back.stat().st_size == source.stat().st_size
    assert sha256(back) == sha256(source)


def test_several_files_upload_into_the_default_folder(o: Openbis, tmp_path: Path) -> None:
    # Given two loose files
    first, second = tmp_path / "a.txt", tmp_path / "b é&x=1.txt"
    first.write_text("a")
    second.write_text("b")
    # When pybis uploads them together (it names them <uploadId>/default/<name>)
    dataset = o.new_dataset(type="RAW_DATA", experiment=IMAGING, files=[str(first), str(second)])
    dataset.save()
    # Then they land side by side under original/default, odd names intact
    assert sorted(o.get_dataset(dataset.permId).file_list) == [
        "original/default/a.txt",
        "original/default/b é&x=1.txt",
    ]


def test_existing_dataset_edits_are_saved(o: Openbis, tmp_path: Path) -> None:
    # Given a fresh dataset (so no other test sees the edits)
    source = tmp_path / "edit.txt"
    source.write_text("x")
    created = o.new_dataset(type="PROCESSED_DATA", experiment=IMAGING, files=[str(source)])
    created.save()
    # When pybis changes a property, adds a tag, and saves (pybis 1.37.5 cannot save new
    # dataset parents: it looks for an "identifier" that datasets do not have)
    dataset = o.get_dataset(created.permId)
    dataset.props["$name"] = "Renamed"
    dataset.props["sample_count"] = 3
    dataset.add_tags(["IMPORTANT"])
    dataset.save()
    # Then openBIS keeps the edits
    stored = o.get_dataset(created.permId)
    assert stored.props["$name"] == "Renamed"
    assert stored.props["sample_count"] == "3"
    assert stored.tags == ["IMPORTANT"]


def test_pybis_over_https_logs_in_and_downloads(rol_sandbox_tls: Sandbox, tmp_path: Path) -> None:
    # Given the sandbox behind a self-signed certificate
    o = Openbis(rol_sandbox_tls.openbis_url, verify_certificates=False)
    o.login("alice", rol_sandbox_tls.openbis_users["alice"])
    # When pybis fast-downloads a dataset over HTTPS
    frame = o.get_datasets(type="ANALYZED_DATA", count=1).df
    dataset = o.get_dataset(frame["permId"][0])
    dataset.download(destination=str(tmp_path))
    # Then the DSS URL it followed is the HTTPS one and the files arrived
    assert dataset.data["dataStore"]["downloadUrl"].startswith("https://")
    assert (tmp_path / dataset.permId / "original/report.md").read_text().startswith("# Analysis")


def test_writing_where_alice_only_observes_is_refused(
    o: Openbis, rol_sandbox: Sandbox, tmp_path: Path
) -> None:
    # Given the facility collection, which alice may read but not write
    reference = "/SHARED/FACILITY/REFERENCE"
    assert len(o.get_datasets(experiment=reference).df) >= 1
    source = tmp_path / "mine.csv"
    source.write_text("a\n")
    # When alice registers a dataset there, Then openBIS refuses it for lack of a role
    dataset = o.new_dataset(type="RAW_DATA", experiment=reference, files=[str(source)])
    with pytest.raises(ValueError, match="Authorization failure"):
        dataset.save()
    # And admin may
    admin = Openbis(
        rol_sandbox.openbis_url,
        verify_certificates=False,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
    )
    admin.login("admin", rol_sandbox.openbis_users["admin"])
    allowed = admin.new_dataset(type="RAW_DATA", experiment=reference, files=[str(source)])
    allowed.save()
    assert allowed.permId in set(o.get_datasets(experiment=reference).df["permId"])
