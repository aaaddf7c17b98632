"""The sandbox openBIS's state: entities in memory, dataset files on disk or generated.

Read-only API for other sandbox endpoints (the SFTP server walks the same data that
pybis sees; nothing here needs tornado):

- `check_password(user, password) -> bool`
- `spaces()`, `projects(space_code)`, `experiments(project_identifier)`,
  `datasets_of_experiment(experiment_identifier)`: the space/project/collection/dataset
  tree as openBIS's SFTP view shows it (`/SPACE/PROJECT/EXPERIMENT/<permId>/original/...`).
- `dataset(perm_id) -> DataSet | None`
- `dataset_files(perm_id) -> list[FileEntry]`: every directory and file of a dataset
  (paths relative to the dataset root, e.g. `original/data/a.csv`), directories included.
- `open_file(perm_id, path) -> BinaryIO`: a seekable binary reader (generated content is
  computed on demand, never held whole in memory). Raises FileNotFoundError.

- `sessions.user_of(token) -> user id | None`: whether a session token or personal access
  token is valid (openBIS's SFTP accepts a session token as password).

Writes: uploads stream into the session workspace under `data_dir/workspace`;
createUploadedDataSet moves them under `data_dir/store/<permId>/original` and calls
`add_dataset`; `updateDataSets` edits entities in place under `lock`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from ..credentials import OPENBIS_PAT, OPENBIS_USERS
from .content import open_source
from .model import (
    DataSet,
    EntityType,
    Experiment,
    Person,
    Project,
    PropertyType,
    Sample,
    Space,
    Tag,
    Vocabulary,
)
from .sessions import Sessions

DATA_STORE_CODE = "DSS1"


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    is_dir: bool


class OpenbisStore:
    """All entities of one sandbox openBIS instance; see the module docstring for the API."""

    def __init__(
        self, data_dir: Path, *, scale: int = 0, seed: int = 0, session_timeout: float = 3600.0
    ) -> None:
        self.data_dir = Path(data_dir)
        self.files_dir = self.data_dir / "store"
        self.workspace_dir = self.data_dir / "workspace"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self.workspace_dir.mkdir(parents=True, exist_ok=True)
        self.seed = seed
        self.lock = threading.RLock()
        self.passwords = dict(OPENBIS_USERS)
        self.sessions = Sessions({OPENBIS_PAT: "alice"}, idle_timeout=session_timeout)
        self.persons: dict[str, Person] = {}
        self.vocabularies: dict[str, Vocabulary] = {}
        self.property_types: dict[str, PropertyType] = {}
        self.types: dict[str, dict[str, EntityType]] = {
            "SAMPLE": {},
            "EXPERIMENT": {},
            "DATA_SET": {},
        }
        self.tags: dict[str, Tag] = {}
        self.space_list: list[Space] = []
        self.project_list: list[Project] = []
        self.experiment_list: list[Experiment] = []
        self.sample_list: list[Sample] = []
        self.dataset_index: dict[str, DataSet] = {}
        #: user -> spaces the user may only read (SPACE_OBSERVER); writing there is refused.
        self.observer_spaces: dict[str, set[str]] = {}
        self._next_tech_id = 1

        from .seed import seed_store

        seed_store(self, scale=scale)

    # ---- identities -------------------------------------------------------------------

    def check_password(self, user: str, password: str) -> bool:
        expected = self.passwords.get(user)
        return expected is not None and isinstance(password, str) and password == expected

    def next_tech_id(self) -> int:
        with self.lock:
            tech_id = self._next_tech_id
            self._next_tech_id += 1
            return tech_id

    @staticmethod
    def perm_id_for(epoch_ms: int, tech_id: int) -> str:
        moment = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc)
        return f"{moment:%Y%m%d%H%M%S}{epoch_ms % 1000:03d}-{tech_id}"

    # ---- lookups --------------------------------------------------------------------

    def spaces(self) -> list[Space]:
        return list(self.space_list)

    def projects(self, space_code: str | None = None) -> list[Project]:
        return [p for p in self.project_list if space_code in (None, p.space.code)]

    def experiments(self, project_identifier: str | None = None) -> list[Experiment]:
        return [
            e for e in self.experiment_list if project_identifier in (None, e.project.identifier)
        ]

    def samples(self) -> list[Sample]:
        return list(self.sample_list)

    def datasets(self) -> list[DataSet]:
        with self.lock:
            return list(self.dataset_index.values())

    def datasets_of_experiment(self, experiment_identifier: str) -> list[DataSet]:
        return [
            d
            for d in self.datasets()
            if d.experiment is not None and d.experiment.identifier == experiment_identifier
        ]

    def dataset(self, perm_id: str) -> DataSet | None:
        with self.lock:
            return self.dataset_index.get(perm_id)

    def space(self, code: str) -> Space | None:
        return next((s for s in self.space_list if s.code == code.upper()), None)

    def project_by(self, *, identifier: str | None = None, perm_id: str | None = None):
        for project in self.project_list:
            if identifier is not None and project.identifier == identifier.upper():
                return project
            if perm_id is not None and project.perm_id == perm_id:
                return project
        return None

    def experiment_by(self, *, identifier: str | None = None, perm_id: str | None = None):
        for experiment in self.experiment_list:
            if identifier is not None and experiment.identifier == identifier.upper():
                return experiment
            if perm_id is not None and experiment.perm_id == perm_id:
                return experiment
        return None

    def sample_by(self, *, identifier: str | None = None, perm_id: str | None = None):
        for sample in self.sample_list:
            if identifier is not None and sample.identifier == identifier.upper():
                return sample
            if perm_id is not None and sample.perm_id == perm_id:
                return sample
        return None

    def entity_type(self, kind: str, code: str) -> EntityType | None:
        return self.types[kind].get(code.upper())

    def can_write(self, user: str, space: Space) -> bool:
        return space.code not in self.observer_spaces.get(user, set())

    # ---- files ------------------------------------------------------------------------

    def dataset_files(self, perm_id: str) -> list[FileEntry]:
        dataset = self.dataset(perm_id)
        if dataset is None:
            raise FileNotFoundError(perm_id)
        return list_entries(dataset)

    def open_file(self, perm_id: str, path: str) -> BinaryIO:
        dataset = self.dataset(perm_id)
        entry = dataset.file(path.strip("/")) if dataset is not None else None
        if entry is None:
            raise FileNotFoundError(f"{perm_id}/{path}")
        return open_source(entry.source)

    # ---- writes -----------------------------------------------------------------------

    def add_dataset(self, dataset: DataSet) -> DataSet:
        with self.lock:
            self.dataset_index[dataset.perm_id] = dataset
            for parent in dataset.parents:
                parent.children.append(dataset)
        return dataset

    def new_dataset_identity(self) -> tuple[str, int, int]:
        """(permId, techId, registration date in epoch ms) for a dataset registered now."""
        now_ms = int(datetime.now(timezone.utc).timestamp() * 1000)
        tech_id = self.next_tech_id()
        return self.perm_id_for(now_ms, tech_id), tech_id, now_ms


def list_entries(dataset: DataSet) -> list[FileEntry]:
    """Files plus every directory above them, with directory size = sum of its files."""
    dir_sizes: dict[str, int] = {}
    files = []
    for entry in dataset.files:
        size = entry.source.size
        files.append(FileEntry(entry.path, size, False))
        parts = entry.path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            directory = "/".join(parts[:depth])
            dir_sizes[directory] = dir_sizes.get(directory, 0) + size
    for empty in dataset.empty_dirs:
        parts = empty.split("/")
        for depth in range(1, len(parts) + 1):
            dir_sizes.setdefault("/".join(parts[:depth]), 0)
    dirs = [FileEntry(path, size, True) for path, size in dir_sizes.items()]
    return sorted(dirs + files, key=lambda e: e.path)
