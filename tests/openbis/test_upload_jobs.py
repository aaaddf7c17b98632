"""Upload jobs against the sandbox; what arrived is checked with our own pybis session."""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pybis

from reana_openbis_lab.jobs import JobManager

from .transfer_fixtures import (  # noqa: F401  (fixtures)
    CONNECTION,
    WORKSPACE_UPLOAD_PATH,
    Seeded,
    counting,
    datasets_of_collection,
    datasets_of_sample,
    extension_config,
    finished,
    jobs,
    openbis,
    seeded,
)

OBJECT = "/LAB_A/MICROSCOPY/CULTURE_1"
COLLECTION = "/LAB_A/MICROSCOPY/IMAGING_2024"
#: Over pybis' 10 MB slice size, so the file travels as three slices.
BIG_FILE_SIZE = 25 * 1024 * 1024 + 12345


def make_analysis_folder(root: Path) -> dict[str, bytes]:
    """A results folder with a nested tree and a file that must be sliced."""
    contents = {
        "results/summary.txt": b"mean = 4.2\n",
        "results/plots/fig 1.svg": b"<svg/>\n",
        "results/big.bin": os.urandom(BIG_FILE_SIZE),
    }
    for name, data in contents.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    # Local bookkeeping that must not travel: Jupyter's autosaves, our download manifest
    for skipped in (
        "results/.ipynb_checkpoints/summary-checkpoint.txt",
        "results/.openbis/datasets.json",
    ):
        (root / skipped).parent.mkdir(parents=True, exist_ok=True)
        (root / skipped).write_text("{}")
    return contents


def files_in_openbis(openbis: pybis.Openbis, perm_id: str, where: Path) -> dict[str, bytes]:
    openbis.get_dataset(perm_id).download(destination=str(where), create_default_folders=True)
    base = where / perm_id
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in base.rglob("*") if p.is_file()}


async def start(api: Any, **body: Any) -> tuple[int, Any]:
    return await api("POST", "openbis/uploads", {"connection": CONNECTION, **body})


async def test_a_folder_goes_to_an_object_with_properties_and_parents(
    api, jobs: JobManager, openbis: pybis.Openbis, seeded: Seeded, jp_root_dir: Path, tmp_path: Path
) -> None:
    # Given a results folder with a file bigger than one upload slice
    contents = make_analysis_folder(jp_root_dir)
    # When it is uploaded to an object, with typed properties given as form text, and a parent
    status, job = await start(
        api,
        paths=["results"],
        datasetType="RAW_DATA",
        target={"kind": "object", "id": OBJECT},
        properties={
            "$NAME": "Results",
            "TEMPERATURE": "21.5",
            "IS_CALIBRATED": "true",
            "DEVICE": "microscope",
            "MEASURED_ON": "2024-05-01T10:30",
        },
        parents=[seeded.raw_measurement_1],
    )
    assert status == 202
    assert job["kind"] == "openbis-upload"
    done = await finished(jobs, job["id"])
    # Then the job counted every byte and file and names the new dataset
    assert done.state.value == "done", done.error
    assert done.bytes_done == done.bytes_total == sum(len(d) for d in contents.values())
    assert done.files_done == done.files_total == len(contents)
    perm_id = done.result["permId"]
    # And openBIS has it linked to the object and the parent, with converted properties
    dataset = openbis.get_dataset(perm_id)
    assert dataset.type.code == "RAW_DATA"
    assert dataset.sample.identifier == OBJECT
    assert dataset.parents == [seeded.raw_measurement_1]
    props = dataset.props.all()
    assert props["$name"] == "Results"
    assert float(props["temperature"]) == 21.5
    assert str(props["is_calibrated"]).lower() == "true"
    assert props["device"] == "MICROSCOPE"
    assert props["measured_on"].startswith("2024-05-01 10:30")
    # And the folder kept its tree and every byte (the big file was reassembled from slices)
    stored = files_in_openbis(openbis, perm_id, tmp_path / "check")
    assert stored == {f"original/{name}": data for name, data in contents.items()}


async def test_files_and_a_notebook_go_to_a_collection(
    api, jobs: JobManager, openbis: pybis.Openbis, jp_root_dir: Path, tmp_path: Path
) -> None:
    # Given a data file, and a notebook with its requirements and runtime next to it
    (jp_root_dir / "data.csv").write_text("a,b\n1,2\n")
    (jp_root_dir / "nb").mkdir()
    (jp_root_dir / "nb" / "analysis.ipynb").write_text('{"cells": []}')
    (jp_root_dir / "nb" / "requirements.txt").write_text("numpy==2.1.0\n")
    (jp_root_dir / "nb" / "runtime.txt").write_text("python-3.11\n")
    # When the file is uploaded to a collection with the notebook included
    status, job = await start(
        api,
        paths=["data.csv"],
        datasetType="ANALYZED_DATA",
        target={"kind": "collection", "id": COLLECTION},
        properties={"$NAME": "With notebook"},
        includeNotebook="nb/analysis.ipynb",
    )
    assert status == 202
    done = await finished(jobs, job["id"])
    # Then the dataset belongs to the collection and holds all four files, as pybis lays out several
    assert done.state.value == "done", done.error
    dataset = openbis.get_dataset(done.result["permId"])
    assert dataset.experiment.identifier == COLLECTION
    assert dataset.sample is None
    stored = files_in_openbis(openbis, done.result["permId"], tmp_path / "check")
    assert stored == {
        "original/default/data.csv": b"a,b\n1,2\n",
        "original/default/analysis.ipynb": b'{"cells": []}',
        "original/default/requirements.txt": b"numpy==2.1.0\n",
        "original/default/runtime.txt": b"python-3.11\n",
    }


async def test_a_single_file_is_stored_under_its_own_name(
    api, jobs: JobManager, openbis: pybis.Openbis, jp_root_dir: Path, tmp_path: Path
) -> None:
    # Given one file
    (jp_root_dir / "only.txt").write_text("just me")
    # When it is uploaded alone
    _, job = await start(
        api,
        paths=["only.txt"],
        datasetType="PROCESSED_DATA",
        target={"kind": "collection", "id": COLLECTION},
        properties={"SAMPLE_COUNT": 3},
    )
    done = await finished(jobs, job["id"])
    # Then it is `original/<name>`, as pybis stores a single file
    assert done.state.value == "done", done.error
    stored = files_in_openbis(openbis, done.result["permId"], tmp_path / "check")
    assert stored == {"original/only.txt": b"just me"}


async def test_invalid_metadata_is_refused_with_every_field_before_any_byte_moves(
    api, jobs: JobManager, openbis: pybis.Openbis, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given a file, and a count of the data store's upload requests
    (jp_root_dir / "x.txt").write_text("x")
    before = datasets_of_collection(openbis, COLLECTION)
    base = {"paths": ["x.txt"], "target": {"kind": "collection", "id": COLLECTION}}
    cases = [
        ({"datasetType": "ANALYZED_DATA", "properties": {}}, {"properties.$NAME"}),
        (
            {"datasetType": "PROCESSED_DATA", "properties": {"SAMPLE_COUNT": "twelve"}},
            {"properties.SAMPLE_COUNT"},
        ),
        ({"datasetType": "RAW_DATA", "properties": {"DEVICE": "TOASTER"}}, {"properties.DEVICE"}),
        (
            {
                "datasetType": "RAW_DATA",
                "properties": {"TEMPERATURE": "warm", "IS_CALIBRATED": "y"},
            },
            {"properties.TEMPERATURE", "properties.IS_CALIBRATED"},
        ),
        ({"datasetType": "RAW_DATA", "properties": {"NO_SUCH": "1"}}, {"properties.NO_SUCH"}),
        ({"datasetType": "NO_SUCH_TYPE"}, {"datasetType"}),
        (
            {"datasetType": "RAW_DATA", "target": {"kind": "object", "id": "/LAB_A/NOPE/GONE"}},
            {"target.id"},
        ),
        (
            {"datasetType": "RAW_DATA", "target": {"kind": "collection", "id": "/LAB_A/X/GONE"}},
            {"target.id"},
        ),
        ({"datasetType": "RAW_DATA", "parents": ["20990101000000000-1"]}, {"parents[0]"}),
        ({"datasetType": "RAW_DATA", "target": {"kind": "space", "id": "X"}}, {"target.kind"}),
        ({"datasetType": "RAW_DATA", "paths": []}, {"paths"}),
        ({"datasetType": "RAW_DATA", "paths": ["missing.txt"]}, {"paths[0]"}),
    ]
    with counting(rol_sandbox, uploads={"path": WORKSPACE_UPLOAD_PATH}) as requests:
        for overrides, fields in cases:
            # When the request is sent
            status, reply = await start(api, **{**base, **overrides})
            # Then it is a 400 that lists exactly the failing fields, the first one in `field`
            assert status == 400, overrides
            listed = {e["field"] for e in reply.get("errors", [])} or {reply["field"]}
            assert listed == fields, overrides
            assert reply["field"] in fields
        # And no byte reached the data store, no job started and no dataset appeared
        assert requests.count("uploads") == 0
    assert jobs.list("openbis-upload") == []
    assert datasets_of_collection(openbis, COLLECTION) == before


async def test_a_failed_transfer_creates_no_dataset(
    api, jobs: JobManager, openbis: pybis.Openbis, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given a data store that refuses the second upload request
    contents = make_analysis_folder(jp_root_dir)
    before = datasets_of_sample(openbis, OBJECT)
    rol_sandbox.set_faults(
        "openbis",
        [
            {"path": WORKSPACE_UPLOAD_PATH, "times": 1},
            {"path": WORKSPACE_UPLOAD_PATH, "status": 500},
        ],
    )
    # When a folder is uploaded
    _, job = await start(
        api,
        paths=["results"],
        datasetType="RAW_DATA",
        target={"kind": "object", "id": OBJECT},
    )
    done = await finished(jobs, job["id"])
    # Then the job failed with a message, and openBIS has no new dataset
    assert done.state.value == "failed"
    assert "HTTP 500" in done.error
    assert done.bytes_done < sum(len(d) for d in contents.values())
    assert datasets_of_sample(openbis, OBJECT) == before


async def test_a_refused_registration_creates_no_dataset(
    api, jobs: JobManager, openbis: pybis.Openbis, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given a data store that accepts the bytes but fails to register the dataset
    (jp_root_dir / "x.txt").write_text("x")
    before = datasets_of_collection(openbis, COLLECTION)
    rol_sandbox.set_faults("openbis", [{"rpc_method": "createUploadedDataSet", "status": 500}])
    # When the file is uploaded
    _, job = await start(
        api,
        paths=["x.txt"],
        datasetType="RAW_DATA",
        target={"kind": "collection", "id": COLLECTION},
    )
    done = await finished(jobs, job["id"])
    # Then the job failed at registration and nothing was created
    assert done.state.value == "failed"
    assert done.step == "registering"
    assert datasets_of_collection(openbis, COLLECTION) == before


async def test_a_cancelled_upload_creates_no_dataset(
    api, jobs: JobManager, openbis: pybis.Openbis, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given a data store that takes one upload request and then never answers again
    make_analysis_folder(jp_root_dir)
    before = datasets_of_sample(openbis, OBJECT)
    rol_sandbox.set_faults(
        "openbis",
        [
            {"path": WORKSPACE_UPLOAD_PATH, "times": 1},
            {"path": WORKSPACE_UPLOAD_PATH, "hang": True},
        ],
    )
    # When the user cancels once some bytes went out
    _, job = await start(
        api, paths=["results"], datasetType="RAW_DATA", target={"kind": "object", "id": OBJECT}
    )
    while jobs.get(job["id"]).bytes_done == 0:
        await asyncio.sleep(0.02)
    status, _ = await api("POST", f"jobs/{job['id']}/cancel")
    done = await finished(jobs, job["id"])
    # Then the job is cancelled and openBIS has no new dataset
    assert status == 202
    assert done.state.value == "cancelled"
    assert datasets_of_sample(openbis, OBJECT) == before


async def test_a_target_lookup_failing_inside_pybis_save_registers_nothing(
    api, jobs: JobManager, openbis: pybis.Openbis, rol_sandbox: Any, jp_root_dir: Path
) -> None:
    # Given an upload whose bytes are slow to arrive, so the registration step comes later
    (jp_root_dir / "x.txt").write_text("x")
    before = len(openbis.get_datasets(count=1000).df)
    rol_sandbox.set_faults("openbis", [{"path": WORKSPACE_UPLOAD_PATH, "latency": 2.0}])
    status, job = await start(
        api, paths=["x.txt"], datasetType="RAW_DATA", target={"kind": "object", "id": OBJECT}
    )
    assert status == 202
    # And openBIS failing the object lookup that pybis' DataSet.save repeats and ignores
    # (pybis 1.37.5: our lookup, new_dataset's, then save's: the third one fails)
    rol_sandbox.set_faults(
        "openbis",
        [{"rpc_method": "getSamples", "times": 2}, {"rpc_method": "getSamples", "status": 500}],
    )
    # When the job registers the dataset
    done = await finished(jobs, job["id"])
    # Then it failed, and no dataset was created, linked or not
    assert done.state.value == "failed"
    rol_sandbox.clear_faults("openbis")
    assert len(openbis.get_datasets(count=1000).df) == before
