"""Rendering of people, tags, vocabularies, property types and entity types (see dto_core)."""

from __future__ import annotations

from .dto_core import (
    TYPE_CLASSES,
    FetchOptions,
    Json,
    Renderer,
    fetched,
    own_fetch_options,
    typed_id,
)
from .model import (
    EntityType,
    Person,
    PropertyAssignment,
    PropertyType,
    Tag,
    Vocabulary,
    VocabularyTerm,
)


class TypeRenderer(Renderer):
    def person(self, person: Person, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.person.Person",
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.person.id.PersonPermId", permId=person.user_id),
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
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.tag.id.TagPermId", permId=tag.perm_id),
            "code": tag.code,
            "description": tag.description,
            "private": True,
            "registrationDate": tag.registration_date,
            "owner": self._rel(fo, "owner", tag.owner, self.person),
        }

    def vocabulary(self, vocabulary: Vocabulary, fo: FetchOptions) -> Json:
        return {
            "@type": "as.dto.vocabulary.Vocabulary",
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.vocabulary.id.VocabularyPermId", permId=vocabulary.code),
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
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id(
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
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id("as.dto.property.id.PropertyTypePermId", permId=property_type.code),
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
            "fetchOptions": own_fetch_options(fo),
            "permId": typed_id(
                "as.dto.property.id.PropertyAssignmentPermId",
                entityTypeId=type_id,
                propertyTypeId=typed_id(
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
        return typed_id(
            "as.dto.entitytype.id.EntityTypePermId",
            permId=entity_type.code,
            entityKind=entity_type.kind,
        )

    def entity_type(self, entity_type: EntityType, fo: FetchOptions) -> Json:
        type_name, _ = TYPE_CLASSES[entity_type.kind]
        assignments = fetched(fo, "propertyAssignments")
        data: Json = {
            "@type": type_name,
            "fetchOptions": own_fetch_options(fo),
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
