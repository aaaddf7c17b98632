"""Entities -> the JSON objects openBIS's Jackson mapper writes.

Rules copied from the wire: every object carries "@type" and its fetchOptions; ids are
typed objects; dates are epoch milliseconds; a relation is present only when the caller
asked for it in fetchOptions and is null otherwise (pybis indexes many of these keys
directly, so they are always present). Repeated objects are written out in full rather
than as Jackson "@id" back-references; pybis accepts both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import (
    DataSet,
    EntityType,
    Experiment,
    Person,
    Project,
    PropertyAssignment,
    PropertyType,
    Sample,
    Space,
    Tag,
    Vocabulary,
    VocabularyTerm,
)
from .store import DATA_STORE_CODE, OpenbisStore

Json = dict[str, Any]
FetchOptions = dict[str, Any] | None

TYPE_CLASSES = {
    "SAMPLE": ("as.dto.sample.SampleType", "sample"),
    "EXPERIMENT": ("as.dto.experiment.ExperimentType", "experiment"),
    "DATA_SET": ("as.dto.dataset.DataSetType", "dataset"),
}


def fetched(fo: FetchOptions, key: str) -> FetchOptions:
    """The nested fetch options of `key`, or None when the caller did not ask for it."""
    if not isinstance(fo, dict):
        return None
    value = fo.get(key)
    return value if isinstance(value, dict) else None


def _own(fo: FetchOptions) -> FetchOptions:
    """Each DTO carries its own copy of its fetch options; the nested ones stay shared."""
    return dict(fo) if isinstance(fo, dict) else fo


def _id(type_name: str, **fields: Any) -> Json:
    return {"@type": type_name, **fields}


class Serializer:
    """Renders entities for one request.

    Within a request, an entity rendered with the same nested fetch options is one shared
    dict, as openBIS shares one translated instance; `jackson.with_identities` turns the
    repeats into back-references. Use `fresh()` per request.
    """

    def __init__(self, public_url: str, store: OpenbisStore) -> None:
        self.public_url = public_url.rstrip("/")
        self.store = store
        self._memo: dict[tuple[int, int, str], Any] = {}

    def _admin(self) -> Person | None:
        return self.store.persons.get("admin")

    def fresh(self) -> Serializer:
        return Serializer(self.public_url, self.store)

    def _rel(self, fo: FetchOptions, key: str, value: Any, render: Callable[[Any, Json], Any]):
        """The related DTO(s) when `key` was fetched, else None."""
        nested = fetched(fo, key)
        if nested is None or value is None:
            return None
        if callable(value):  # a reverse relation, computed only when asked for
            value = value()
        if isinstance(value, list):
            return [self._one(item, nested, render) for item in value]
        return self._one(value, nested, render)

    def _one(self, value: Any, nested: Json, render: Callable[[Any, Json], Any]) -> Any:
        memo_key = (id(value), id(nested), render.__name__)
        rendered = self._memo.get(memo_key)
        if rendered is None:
            rendered = self._memo[memo_key] = render(value, nested)
        return rendered

    # ---- people, tags, vocabularies -------------------------------------------------

    def person(self, person: Person, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.person.Person",
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.person.id.PersonPermId", permId=person.user_id),
            "userId": person.user_id,
            "firstName": person.first_name,
            "lastName": person.last_name,
            "email": person.email,
            "registrationDate": person.registration_date,
            "active": True,
            "space": None,
            "registrator": None,
            "roleAssignments": [] if fetched(fo, "roleAssignments") else None,
            "webAppSettings": None,
        }

    def tag(self, tag: Tag, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.tag.Tag",
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.tag.id.TagPermId", permId=tag.perm_id),
            "code": tag.code,
            "description": tag.description,
            "private": True,
            "registrationDate": tag.registration_date,
            "owner": self._rel(fo, "owner", tag.owner, self.person),
        }

    def vocabulary(self, vocabulary: Vocabulary, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.vocabulary.Vocabulary",
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.vocabulary.id.VocabularyPermId", permId=vocabulary.code),
            "code": vocabulary.code,
            "description": vocabulary.description,
            "managedInternally": False,
            "chosenFromList": True,
            "urlTemplate": None,
            "terms": self._rel(fo, "terms", vocabulary.terms, self.term),
            "registrationDate": vocabulary.registration_date,
            "modificationDate": vocabulary.registration_date,
            "registrator": self._rel(fo, "registrator", self._admin(), self.person),
        }

    def term(self, term: VocabularyTerm, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.vocabulary.VocabularyTerm",
            "fetchOptions": _own(fo),
            "permId": _id(
                "as.dto.vocabulary.id.VocabularyTermPermId",
                code=term.code,
                vocabularyCode=term.vocabulary_code,
            ),
            "code": term.code,
            "label": term.label,
            "description": term.description,
            "ordinal": term.ordinal,
            "official": True,
            "managedInternally": False,
            "vocabulary": self._rel(
                fo, "vocabulary", self.store.vocabularies.get(term.vocabulary_code), self.vocabulary
            ),
            "registrationDate": term.registration_date,
            "modificationDate": term.registration_date,
            "registrator": self._rel(fo, "registrator", self._admin(), self.person),
            "modifier": self._rel(fo, "modifier", self._admin(), self.person),
        }

    # ---- types --------------------------------------------------------------------

    def property_type(self, property_type: PropertyType, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.property.PropertyType",
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.property.id.PropertyTypePermId", permId=property_type.code),
            "code": property_type.code,
            "label": property_type.label,
            "description": property_type.description,
            "managedInternally": property_type.code.startswith("$"),
            "dataType": property_type.data_type,
            "multiValue": False,
            "vocabulary": self._rel(fo, "vocabulary", property_type.vocabulary, self.vocabulary),
            "materialType": None,
            "sampleType": None,
            "schema": None,
            "transformation": None,
            "metaData": {},
            "semanticAnnotations": [] if fetched(fo, "semanticAnnotations") else None,
            "registrator": self._rel(fo, "registrator", self._admin(), self.person),
            "registrationDate": property_type.registration_date,
        }

    def assignment(
        self, assignment: PropertyAssignment, owner: EntityType, fo: FetchOptions
    ) -> Json:
        type_id = self._type_id(owner)
        return {
            "@type": "as.dto.property.PropertyAssignment",
            "fetchOptions": _own(fo),
            "permId": _id(
                "as.dto.property.id.PropertyAssignmentPermId",
                entityTypeId=type_id,
                propertyTypeId=_id(
                    "as.dto.property.id.PropertyTypePermId", permId=assignment.property_type.code
                ),
            ),
            "section": assignment.section,
            "ordinal": assignment.ordinal,
            "mandatory": assignment.mandatory,
            "initialValueForExistingEntities": None,
            "showInEditView": True,
            "showRawValueInForms": False,
            "unique": False,
            "semanticAnnotations": None,
            "semanticAnnotationsInherited": False,
            "registrationDate": owner.modification_date,
            "registrator": self._rel(fo, "registrator", self._admin(), self.person),
            "plugin": None,
            "entityType": self._rel(fo, "entityType", owner, self.entity_type),
            "propertyType": self._rel(
                fo, "propertyType", assignment.property_type, self.property_type
            ),
        }

    @staticmethod
    def _type_id(entity_type: EntityType) -> Json:
        return _id(
            "as.dto.entitytype.id.EntityTypePermId",
            permId=entity_type.code,
            entityKind=entity_type.kind,
        )

    def entity_type(self, entity_type: EntityType, fo: FetchOptions) -> Json:
        type_name, _ = TYPE_CLASSES[entity_type.kind]
        assignments = fetched(fo, "propertyAssignments")
        data: Json = {
            "@type": type_name,
            "fetchOptions": _own(fo),
            "permId": self._type_id(entity_type),
            "code": entity_type.code,
            "description": entity_type.description,
            "modificationDate": entity_type.modification_date,
            "propertyAssignments": None
            if assignments is None
            else [self.assignment(a, entity_type, assignments) for a in entity_type.assignments],
            "validationPlugin": None,
            "metaData": {},
        }
        if entity_type.kind == "SAMPLE":
            data.update(
                autoGeneratedCode=False,
                generatedCodePrefix=entity_type.generated_code_prefix,
                subcodeUnique=False,
                listable=True,
                showContainer=False,
                showParents=True,
                showParentMetadata=False,
                semanticAnnotations=None,
            )
        if entity_type.kind == "DATA_SET":
            data.update(mainDataSetPattern=None, mainDataSetPath=None, disallowDeletion=False)
        return data

    # ---- entities -----------------------------------------------------------------------

    def space(self, space: Space, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.space.Space",
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.space.id.SpacePermId", permId=space.code),
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
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.project.id.ProjectPermId", permId=project.perm_id),
            "identifier": _id("as.dto.project.id.ProjectIdentifier", identifier=project.identifier),
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
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.experiment.id.ExperimentPermId", permId=experiment.perm_id),
            "identifier": _id(
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
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.sample.id.SamplePermId", permId=sample.perm_id),
            "identifier": _id("as.dto.sample.id.SampleIdentifier", identifier=sample.identifier),
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
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.datastore.id.DataStorePermId", permId=DATA_STORE_CODE),
            "code": DATA_STORE_CODE,
            "downloadUrl": self.public_url,
            "remoteUrl": self.public_url,
            "registrationDate": 1_704_103_200_000,
            "modificationDate": 1_704_103_200_000,
        }

    def physical_data(self, dataset: DataSet, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.dataset.PhysicalData",
            "fetchOptions": _own(fo),
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
            "fetchOptions": _own(fo),
            "permId": _id("as.dto.dataset.id.DataSetPermId", permId=dataset.perm_id),
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
