"""The sandbox's openBIS entities, kept as plain records (identity equality: relations form cycles).

They hold only what the wire format needs; `dto.py` turns them into the JSON objects
real openBIS sends. Relations are stored as references to other records so criteria
can walk them (dataset -> experiment -> project -> space) exactly as openBIS joins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .content import FileSource


@dataclass(eq=False)
class Person:
    user_id: str
    first_name: str
    last_name: str
    email: str
    registration_date: int


@dataclass(eq=False)
class Vocabulary:
    code: str
    description: str
    terms: list[VocabularyTerm] = field(default_factory=list)
    registration_date: int = 0


@dataclass(eq=False)
class VocabularyTerm:
    code: str
    label: str
    description: str
    ordinal: int
    vocabulary_code: str
    registration_date: int = 0


@dataclass(eq=False)
class PropertyType:
    code: str
    label: str
    description: str
    data_type: str
    vocabulary: Vocabulary | None = None
    registration_date: int = 0


@dataclass(eq=False)
class PropertyAssignment:
    property_type: PropertyType
    mandatory: bool
    ordinal: int
    section: str | None = None


@dataclass(eq=False)
class EntityType:
    """A sample, experiment or dataset type; `kind` is SAMPLE, EXPERIMENT or DATA_SET."""

    kind: str
    code: str
    description: str
    assignments: list[PropertyAssignment] = field(default_factory=list)
    generated_code_prefix: str = "S"
    modification_date: int = 0

    def assignment(self, property_code: str) -> PropertyAssignment | None:
        for assignment in self.assignments:
            if assignment.property_type.code == property_code:
                return assignment
        return None


@dataclass(eq=False)
class Tag:
    code: str
    owner: Person
    description: str = ""
    registration_date: int = 0

    @property
    def perm_id(self) -> str:
        return f"/{self.owner.user_id}/{self.code}"


@dataclass(eq=False)
class Space:
    code: str
    description: str
    registrator: Person
    registration_date: int
    tech_id: int = 0

    @property
    def perm_id(self) -> str:
        return self.code

    @property
    def identifier(self) -> str:
        return f"/{self.code}"


@dataclass(eq=False)
class Project:
    code: str
    perm_id: str
    space: Space
    description: str
    registrator: Person
    registration_date: int
    tech_id: int = 0

    @property
    def identifier(self) -> str:
        return f"{self.space.identifier}/{self.code}"


@dataclass(eq=False)
class Experiment:
    code: str
    perm_id: str
    type: EntityType
    project: Project
    properties: dict[str, str]
    registrator: Person
    registration_date: int
    tags: list[Tag] = field(default_factory=list)
    tech_id: int = 0

    @property
    def identifier(self) -> str:
        return f"{self.project.identifier}/{self.code}"

    @property
    def space(self) -> Space:
        return self.project.space


@dataclass(eq=False)
class Sample:
    code: str
    perm_id: str
    type: EntityType
    space: Space
    project: Project | None
    experiment: Experiment | None
    properties: dict[str, str]
    registrator: Person
    registration_date: int
    parents: list[Sample] = field(default_factory=list)
    children: list[Sample] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    tech_id: int = 0

    @property
    def identifier(self) -> str:
        """Project samples carry the project in their identifier (project-samples-enabled)."""
        if self.project is not None:
            return f"{self.project.identifier}/{self.code}"
        return f"{self.space.identifier}/{self.code}"


@dataclass(eq=False)
class DataSetFile:
    """One file of a dataset: `path` is relative to the dataset root (starts with original/)."""

    path: str
    source: FileSource


@dataclass(eq=False)
class DataSet:
    perm_id: str
    type: EntityType
    experiment: Experiment | None
    sample: Sample | None
    properties: dict[str, str]
    registrator: Person
    registration_date: int
    files: list[DataSetFile] = field(default_factory=list)
    parents: list[DataSet] = field(default_factory=list)
    children: list[DataSet] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    kind: str = "PHYSICAL"
    status: str = "AVAILABLE"
    tech_id: int = 0
    #: Directories with no file below them (uploads keep empty folders); others are implied.
    empty_dirs: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.perm_id

    @property
    def size(self) -> int:
        return sum(f.source.size for f in self.files)

    @property
    def location(self) -> str:
        """Real openBIS shards by hash; pybis only reads the last segment (the permId)."""
        return f"1FD3FF61-1576-4908-AE3D-296720A3D1D0/{self.perm_id[-2:]}/{self.perm_id}"

    def file(self, path: str) -> DataSetFile | None:
        for entry in self.files:
            if entry.path == path:
                return entry
        return None
