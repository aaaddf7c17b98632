"""The sandbox's starting content: a small lab with two spaces, typed metadata and files.

Built at start-up from a seed so every run (and every machine) sees the same permIds,
properties and bytes; nothing large lives in git. Small files are written to disk, the
120 MB dataset and the `scale` benchmark datasets are generated on demand.

With `scale` > 0 the lab also gets the two big levels the benchmarks and `demo --scale` browse:
`scale` datasets in the collection /BENCH/LOAD/MANY, and up to `WIDE_LEVEL` empty spaces
WIDE_0001, ... at the top of the tree (their codes sort after the lab's own spaces, so those
stay on the first page).
"""

from __future__ import annotations

import json
import random
from typing import TYPE_CHECKING

from ..credentials import OPENBIS_USERS
from .content import DiskFile, GeneratedFile
from .model import (
    DataSet,
    DataSetFile,
    Experiment,
    Person,
    Project,
    Sample,
    Space,
    Tag,
)
from .seed_types import BASE_DATE_MS, seed_metadata_model

if TYPE_CHECKING:
    from .store import OpenbisStore

HOUR_MS = 3_600_000
BIG_DATASET_SIZE = 120 * 1024 * 1024
#: Spaces of the wide top level a scaled sandbox adds (at most; fewer when `scale` is smaller).
WIDE_LEVEL = 1000

PEOPLE = {
    "admin": ("Ada", "Admin", "admin@sandbox.example.org"),
    "alice": ("Alice", "Analyst", "alice@example.org"),
}


class _Clock:
    """Deterministic registration dates: one hour apart, in creation order."""

    def __init__(self) -> None:
        self.ticks = 0

    def next(self) -> int:
        self.ticks += 1
        return BASE_DATE_MS + self.ticks * HOUR_MS


def seed_store(store: OpenbisStore, *, scale: int) -> None:
    rng = random.Random(store.seed)
    clock = _Clock()
    for user_id in OPENBIS_USERS:
        first, last, email = PEOPLE.get(user_id, (user_id.title(), "User", f"{user_id}@x"))
        store.persons[user_id] = Person(user_id, first, last, email, BASE_DATE_MS)
    alice = store.persons["alice"]
    admin = store.persons["admin"]

    seed_metadata_model(store)
    store.tags["IMPORTANT"] = Tag("IMPORTANT", alice, "Data worth a second look", BASE_DATE_MS)

    def new_space(code: str, description: str) -> Space:
        space = Space(code, description, admin, clock.next(), store.next_tech_id())
        store.space_list.append(space)
        return space

    def new_project(space: Space, code: str, description: str) -> Project:
        date, tech_id = clock.next(), store.next_tech_id()
        project = Project(
            code, store.perm_id_for(date, tech_id), space, description, admin, date, tech_id
        )
        store.project_list.append(project)
        return project

    def new_experiment(project: Project, code: str, type_code: str, props: dict) -> Experiment:
        date, tech_id = clock.next(), store.next_tech_id()
        experiment = Experiment(
            code,
            store.perm_id_for(date, tech_id),
            store.types["EXPERIMENT"][type_code],
            project,
            props,
            alice,
            date,
            tech_id=tech_id,
        )
        store.experiment_list.append(experiment)
        return experiment

    def new_sample(
        experiment: Experiment, code: str, type_code: str, props: dict, parents=()
    ) -> Sample:
        date, tech_id = clock.next(), store.next_tech_id()
        sample = Sample(
            code,
            store.perm_id_for(date, tech_id),
            store.types["SAMPLE"][type_code],
            experiment.space,
            experiment.project,
            experiment,
            props,
            alice,
            date,
            parents=list(parents),
            tech_id=tech_id,
        )
        for parent in parents:
            parent.children.append(sample)
        store.sample_list.append(sample)
        return sample

    def new_dataset(
        owner: Experiment | Sample,
        type_code: str,
        props: dict,
        files: dict[str, bytes | GeneratedFile],
        parents=(),
        status: str = "AVAILABLE",
        tags=(),
    ) -> DataSet:
        date, tech_id = clock.next(), store.next_tech_id()
        perm_id = store.perm_id_for(date, tech_id)
        sample = owner if isinstance(owner, Sample) else None
        experiment = owner.experiment if isinstance(owner, Sample) else owner
        dataset = DataSet(
            perm_id,
            store.types["DATA_SET"][type_code],
            experiment,
            sample,
            props,
            alice,
            date,
            parents=list(parents),
            status=status,
            tags=list(tags),
            tech_id=tech_id,
        )
        dataset.files = [
            DataSetFile(path, _materialise(store, perm_id, path, content))
            for path, content in sorted(files.items())
        ]
        return store.add_dataset(dataset)

    lab_a = new_space("LAB_A", "Alice's wet lab")
    lab_b = new_space("LAB_B", "Computational group")
    microscopy = new_project(lab_a, "MICROSCOPY", "Imaging of cell cultures")
    sequencing = new_project(lab_a, "SEQUENCING", "Genome sequencing runs")
    simulation = new_project(lab_b, "SIMULATION", "Parameter sweeps")
    new_project(lab_b, "ARCHIVE", "Finished projects")

    imaging = new_experiment(
        microscopy,
        "IMAGING_2024",
        "DEFAULT_EXPERIMENT",
        {"$NAME": "Imaging 2024", "DESCRIPTION": "Live-cell imaging series"},
    )
    calibration = new_experiment(
        microscopy, "CALIBRATION", "COLLECTION", {"$NAME": "Microscope calibration"}
    )
    run_01 = new_experiment(sequencing, "RUN_01", "DEFAULT_EXPERIMENT", {"$NAME": "Run 01"})
    sweep = new_experiment(simulation, "SWEEP_01", "COLLECTION", {"$NAME": "Temperature sweep"})

    culture = new_sample(
        imaging, "CULTURE_1", "BIO_SAMPLE", {"$NAME": "HeLa culture", "SAMPLE_COUNT": "12"}
    )
    stained = new_sample(
        imaging,
        "STAINED_1",
        "EXPERIMENTAL_STEP",
        {"$NAME": "Staining", "TEMPERATURE": "37.0"},
        parents=[culture],
    )
    library = new_sample(
        run_01, "LIBRARY_1", "BIO_SAMPLE", {"$NAME": "DNA library", "SAMPLE_COUNT": "96"}
    )
    new_sample(sweep, "SETUP_1", "EXPERIMENTAL_STEP", {"$NAME": "Simulation setup"})

    devices = ["MICROSCOPE", "SPECTROMETER", "SEQUENCER"]
    raw_sets = []
    for index in range(8):
        owner = [imaging, calibration, stained, culture][index % 4]
        props = {
            "$NAME": f"Raw measurement {index + 1}",
            "DEVICE": devices[index % 2],
            "MEASURED_ON": f"2024-02-{index + 1:02d} 09:30:00 +0000",
            "TEMPERATURE": f"{20 + index * 0.5:.1f}",
            "IS_CALIBRATED": "true" if index % 2 == 0 else "false",
        }
        files = {
            "original/README.txt": f"Raw measurement {index + 1}\n".encode(),
            "original/data/measurement.csv": _csv(rng, rows=50 + index * 10),
            f"original/data/frames/frame_{index:04d}.bin": rng.randbytes(2048 + index * 512),
            "original/metadata/params.json": json.dumps(
                {"exposure_ms": 10 + index, "gain": 1.5}, indent=2
            ).encode(),
        }
        if index == 0:
            files["original/data/empty.log"] = b""
            files["original/notes/résumé notes.txt"] = b"Unicode name, with a space\n"
        raw_sets.append(
            new_dataset(
                owner,
                "RAW_DATA",
                props,
                files,
                status="ARCHIVED" if index == 7 else "AVAILABLE",
                tags=[store.tags["IMPORTANT"]] if index in (1, 2) else [],
            )
        )

    processed_sets = []
    for index in range(8):
        parent = raw_sets[index % 7]
        props = {
            "$NAME": f"Processed {index + 1}",
            "SAMPLE_COUNT": str(10 * (index + 1)),
            "DESCRIPTION": f"Processed from {parent.perm_id}\nwith pipeline v{index % 3}",
        }
        files = {
            "original/results/summary.json": json.dumps({"mean": rng.random()}).encode(),
            "original/results/table.csv": _csv(rng, rows=20),
        }
        processed_sets.append(
            new_dataset(
                parent.sample or parent.experiment, "PROCESSED_DATA", props, files, [parent]
            )
        )

    for index in range(6):
        parents = processed_sets[index : index + 2]
        owner = [run_01, sweep, library][index % 3]
        props = {"$NAME": f"Analysis {index + 1}", "NOTES": f"Figure set {index + 1}"}
        files = {
            "original/figures/plot.svg": b"<svg xmlns='http://www.w3.org/2000/svg'></svg>\n",
            "original/report.md": f"# Analysis {index + 1}\n".encode(),
        }
        new_dataset(owner, "ANALYZED_DATA", props, files, parents)

    new_dataset(
        run_01,
        "RAW_DATA",
        {"$NAME": "Full sequencing run", "DEVICE": "SEQUENCER"},
        {"original/run/reads.bin": GeneratedFile(store.seed + 1, BIG_DATASET_SIZE)},
    )

    # A facility space alice may read but not write (openBIS role SPACE_OBSERVER).
    shared = new_space("SHARED", "Facility reference data (read-only for alice)")
    reference = new_experiment(
        new_project(shared, "FACILITY", "Instrument reference measurements"),
        "REFERENCE",
        "COLLECTION",
        {"$NAME": "Reference spectra"},
    )
    new_dataset(
        reference,
        "RAW_DATA",
        {"$NAME": "Reference spectrum", "DEVICE": "SPECTROMETER"},
        {"original/spectrum.csv": _csv(rng, rows=30)},
    )
    store.observer_spaces["alice"] = {shared.code}

    if scale > 0:
        _seed_scale(store, admin, alice, clock, scale)
        _seed_wide_level(store, admin, clock, min(scale, WIDE_LEVEL))


def _seed_wide_level(store: OpenbisStore, admin: Person, clock: _Clock, count: int) -> None:
    """`count` empty spaces: a top level as long as a page can be (the UI benchmark's 1,000 rows)."""
    for index in range(1, count + 1):
        store.space_list.append(
            Space(f"WIDE_{index:04d}", "Benchmark level", admin, clock.next(), store.next_tech_id())
        )


def _seed_scale(store: OpenbisStore, admin: Person, alice: Person, clock: _Clock, scale: int):
    """`scale` extra one-file datasets in /BENCH/LOAD/MANY, with lazily generated bytes."""
    space = Space("BENCH", "Benchmark data", admin, clock.next(), store.next_tech_id())
    date, tech_id = clock.next(), store.next_tech_id()
    project = Project("LOAD", store.perm_id_for(date, tech_id), space, "", admin, date, tech_id)
    date, tech_id = clock.next(), store.next_tech_id()
    experiment = Experiment(
        "MANY",
        store.perm_id_for(date, tech_id),
        store.types["EXPERIMENT"]["COLLECTION"],
        project,
        {"$NAME": "Many small datasets"},
        alice,
        date,
        tech_id=tech_id,
    )
    store.space_list.append(space)
    store.project_list.append(project)
    store.experiment_list.append(experiment)
    raw = store.types["DATA_SET"]["RAW_DATA"]
    base = clock.next()
    for index in range(scale):
        tech_id = store.next_tech_id()
        registered = base + index * 1000
        dataset = DataSet(
            store.perm_id_for(registered, tech_id),
            raw,
            experiment,
            None,
            {"$NAME": f"Bench {index}"},
            alice,
            registered,
            tech_id=tech_id,
        )
        size = 512 + (index * 37) % 3584
        dataset.files = [
            DataSetFile(
                f"original/bench_{index}.bin", GeneratedFile(store.seed + 100 + index, size)
            )
        ]
        store.add_dataset(dataset)


def _csv(rng: random.Random, rows: int) -> bytes:
    lines = ["sample,value,quality"]
    lines += [f"s{i},{rng.uniform(0, 100):.4f},{rng.choice('ABC')}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _materialise(store: OpenbisStore, perm_id: str, path: str, content: bytes | GeneratedFile):
    if isinstance(content, GeneratedFile):
        return content
    target = store.files_dir / perm_id / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return DiskFile(target)
