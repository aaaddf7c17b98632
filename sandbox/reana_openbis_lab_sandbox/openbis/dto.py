"""Rendering of spaces, projects, collections, objects and datasets (see dto_core for the rules)."""

from __future__ import annotations

from .dto_core import FetchOptions, Json, fetched, own_fetch_options, typed_id
from .dto_types import TypeRenderer
from .model import DataSet, Experiment, Project, Sample, Space
from .store import DATA_STORE_CODE


class Serializer(TypeRenderer):
    """Renders every DTO of one request; `fresh()` gives the next request its own instance."""

    def fresh(self) -> Serializer:
        return Serializer(self.public_url, self.store)

    def space(self, space: Space, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.space.Space",
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.space.id.SpacePermId", permId=space.code),
            "code": space.code,
            "description": space.description,
            "frozen": False,
            "frozenForProjects": False,
            "frozenForSamples": False,
            "registrationDate": space.registration_date,
            "modificationDate": space.registration_date,
            "registrator": self._rel(fo, "registrator", space.registrator, self.person),
            "projects": self._rel(
                fo, "projects", lambda: self.store.projects(space.code), self.project
            ),
            "samples": self._rel(
                fo,
                "samples",
                lambda: [x for x in self.store.samples() if x.space is space],
                self.sample,
            ),
        }

    def project(self, project: Project, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.project.Project",
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.project.id.ProjectPermId", permId=project.perm_id),
            "identifier": typed_id(
                "as.dto.project.id.ProjectIdentifier", identifier=project.identifier
            ),
            "code": project.code,
            "description": project.description,
            "frozen": False,
            "frozenForExperiments": False,
            "frozenForSamples": False,
            "registrationDate": project.registration_date,
            "modificationDate": project.registration_date,
            "space": self._rel(fo, "space", project.space, self.space),
            "registrator": self._rel(fo, "registrator", project.registrator, self.person),
            "modifier": self._rel(fo, "modifier", project.registrator, self.person),
            "leader": None,
            "experiments": self._rel(
                fo,
                "experiments",
                lambda: self.store.experiments(project.identifier),
                self.experiment,
            ),
            "samples": self._rel(
                fo,
                "samples",
                lambda: [x for x in self.store.samples() if x.project is project],
                self.sample,
            ),
            "attachments": [] if fetched(fo, "attachments") else None,
            "history": None,
        }

    def experiment(self, experiment: Experiment, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.experiment.Experiment",
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.experiment.id.ExperimentPermId", permId=experiment.perm_id),
            "identifier": typed_id(
                "as.dto.experiment.id.ExperimentIdentifier", identifier=experiment.identifier
            ),
            "code": experiment.code,
            "frozen": False,
            "frozenForDataSets": False,
            "frozenForSamples": False,
            "registrationDate": experiment.registration_date,
            "modificationDate": experiment.registration_date,
            "type": self._rel(fo, "type", experiment.type, self.entity_type),
            "project": self._rel(fo, "project", experiment.project, self.project),
            "properties": dict(experiment.properties) if fetched(fo, "properties") else None,
            "tags": self._rel(fo, "tags", experiment.tags, self.tag),
            "registrator": self._rel(fo, "registrator", experiment.registrator, self.person),
            "modifier": self._rel(fo, "modifier", experiment.registrator, self.person),
            "attachments": [] if fetched(fo, "attachments") else None,
            "samples": self._rel(
                fo,
                "samples",
                lambda: [x for x in self.store.samples() if x.experiment is experiment],
                self.sample,
            ),
            "dataSets": self._rel(
                fo,
                "dataSets",
                lambda: [d for d in self.store.datasets() if d.experiment is experiment],
                self.dataset,
            ),
            "history": None,
            "metaData": {},
        }

    def sample(self, sample: Sample, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.sample.Sample",
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.sample.id.SamplePermId", permId=sample.perm_id),
            "identifier": typed_id(
                "as.dto.sample.id.SampleIdentifier", identifier=sample.identifier
            ),
            "code": sample.code,
            "frozen": False,
            "frozenForComponents": False,
            "frozenForChildren": False,
            "frozenForParents": False,
            "frozenForDataSets": False,
            "registrationDate": sample.registration_date,
            "modificationDate": sample.registration_date,
            "type": self._rel(fo, "type", sample.type, self.entity_type),
            "space": self._rel(fo, "space", sample.space, self.space),
            "project": self._rel(fo, "project", sample.project, self.project),
            "experiment": self._rel(fo, "experiment", sample.experiment, self.experiment),
            "properties": dict(sample.properties) if fetched(fo, "properties") else None,
            "parents": self._rel(fo, "parents", sample.parents, self.sample),
            "children": self._rel(fo, "children", sample.children, self.sample),
            "container": None,
            "components": [] if fetched(fo, "components") else None,
            "dataSets": self._rel(
                fo,
                "dataSets",
                lambda: [d for d in self.store.datasets() if d.sample is sample],
                self.dataset,
            ),
            "tags": self._rel(fo, "tags", sample.tags, self.tag),
            "registrator": self._rel(fo, "registrator", sample.registrator, self.person),
            "modifier": self._rel(fo, "modifier", sample.registrator, self.person),
            "attachments": [] if fetched(fo, "attachments") else None,
            "history": None,
            "metaData": {},
        }

    def data_store(self, _unused: object, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.datastore.DataStore",
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.datastore.id.DataStorePermId", permId=DATA_STORE_CODE),
            "code": DATA_STORE_CODE,
            "downloadUrl": self.public_url,
            "remoteUrl": self.public_url,
            "registrationDate": 1_704_103_200_000,
            "modificationDate": 1_704_103_200_000,
        }

    def physical_data(self, dataset: DataSet, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.dataset.PhysicalData",
            "fetchOptions": own_fetch_options(fo),
            "shareId": "1",
            "location": dataset.location,
            "size": dataset.size,
            "storageFormat": None,
            "fileFormatType": None,
            "locatorType": None,
            "complete": "YES",
            "status": dataset.status,
            "presentInArchive": dataset.status == "ARCHIVED",
            "storageConfirmation": True,
            "speedHint": -50,
            "archivingRequested": False,
            "unarchivingRequested": False,
        }

    def dataset(self, dataset: DataSet, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.dataset.DataSet",
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.dataset.id.DataSetPermId", permId=dataset.perm_id),
            "code": dataset.code,
            "frozen": False,
            "frozenForChildren": False,
            "frozenForParents": False,
            "frozenForComponents": False,
            "frozenForContainers": False,
            "kind": dataset.kind,
            "measured": dataset.type.code == "RAW_DATA",
            "postRegistered": True,
            "type": self._rel(fo, "type", dataset.type, self.entity_type),
            "dataStore": self._rel(fo, "dataStore", DATA_STORE_CODE, self.data_store),
            "physicalData": self._rel(fo, "physicalData", dataset, self.physical_data),
            "linkedData": None,
            "experiment": self._rel(fo, "experiment", dataset.experiment, self.experiment),
            "sample": self._rel(fo, "sample", dataset.sample, self.sample),
            "properties": dict(dataset.properties) if fetched(fo, "properties") else None,
            "materialProperties": None,
            "sampleProperties": None,
            "parents": self._rel(fo, "parents", dataset.parents, self.dataset),
            "children": self._rel(fo, "children", dataset.children, self.dataset),
            "containers": [] if fetched(fo, "containers") else None,
            "components": [] if fetched(fo, "components") else None,
            "tags": self._rel(fo, "tags", dataset.tags, self.tag),
            "history": None,
            "registrationDate": dataset.registration_date,
            "modificationDate": dataset.registration_date,
            "registrator": self._rel(fo, "registrator", dataset.registrator, self.person),
            "modifier": self._rel(fo, "modifier", dataset.registrator, self.person),
            "dataProducer": None,
            "dataProductionDate": None,
            "accessDate": dataset.registration_date,
            "metaData": {},
        }
