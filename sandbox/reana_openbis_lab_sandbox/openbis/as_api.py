"""The application server's v3 API: login, server information, search* and get* methods.

Each method takes the JSON-RPC params exactly as pybis sends them and returns the
`result` payload. Searches return `{"@type": SearchResult, "objects", "totalCount"}`
paged by fetchOptions.from/count; get* returns a map keyed by each requested id's
string form as sent, omitting ids that do not resolve (openBIS does not fail on them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .criteria import UnsupportedCriterion, matches
from .dataset_updates import update_data_sets
from .dto import Serializer
from .ids import resolve_id
from .jackson import with_identities
from .model import EntityType, PropertyType, Vocabulary, VocabularyTerm
from .paging import page, sort_objects
from .rpc import RpcError, invalid_session
from .store import DATA_STORE_CODE, OpenbisStore

Json = dict[str, Any]

SERVER_INFORMATION = {
    "api-version": "3.7",
    "openbis-version": "20.10.7",
    "project-samples-enabled": "true",
    "archiving-configured": "false",
    "authentication-service": "file-authentication-service",
    "enabled-technologies": "eln-lims",
    "create-continuous-sample-codes": "false",
    "personal-access-tokens-enabled": "true",
    "personal-access-tokens-max-validity-period": "2592000",
    "personal-access-tokens-validity-warning-period": "432000",
    "openbis.support.email": "support@sandbox.example.org",
}

_TYPE_KIND = {"SampleTypes": "SAMPLE", "ExperimentTypes": "EXPERIMENT", "DataSetTypes": "DATA_SET"}


def id_key(object_id: Any) -> str:
    """The string openBIS uses as map key for an id object (its toString())."""
    if not isinstance(object_id, dict):
        return str(object_id)
    if "vocabularyCode" in object_id:
        return f"{object_id.get('code')} ({object_id.get('vocabularyCode')})"
    for field in ("identifier", "permId", "code", "techId"):
        if field in object_id:
            return str(object_id[field])
    return str(object_id)


class ApplicationServer:
    def __init__(self, store: OpenbisStore, serializer: Serializer) -> None:
        self.store = store
        self.dto = serializer
        self._methods = self._build_methods()

    def methods(self) -> dict[str, Callable[..., Any]]:
        return self._methods

    def _build_methods(self) -> dict[str, Callable[..., Any]]:
        methods: dict[str, Callable[..., Any]] = {
            "login": self.login,
            "logout": self.logout,
            "isSessionActive": self.is_session_active,
            "getServerInformation": self.get_server_information,
            "getSessionInformation": self.get_session_information,
            "updateDataSets": self.update_data_sets,
        }
        for noun, (candidates, render) in self._searchables().items():
            methods[f"search{noun}"] = self._searcher(candidates, render)
        for noun, (resolve, render) in self._gettables().items():
            methods[f"get{noun}"] = self._getter(resolve, render)
        return methods

    # ---- sessions ---------------------------------------------------------------------

    def user(self, token: Any) -> str:
        user = self.store.sessions.user_of(token)
        if user is None:
            raise invalid_session()
        return user

    def login(self, user: Any, password: Any, *_: Any) -> str | None:
        if not isinstance(user, str) or not self.store.check_password(user, password):
            return None
        return self.store.sessions.open(user)

    def logout(self, token: Any) -> None:
        self.store.sessions.close(token)

    def is_session_active(self, token: Any) -> bool:
        return self.store.sessions.user_of(token) is not None

    def get_server_information(self, token: Any) -> dict[str, str]:
        self.user(token)
        return dict(SERVER_INFORMATION)

    def get_session_information(self, token: Any) -> Json:
        user = self.user(token)
        person = self.dto.fresh().person(self.store.persons[user], {})
        return with_identities(
            {
                "@type": "as.dto.session.SessionInformation",
                "sessionToken": token,
                "userName": user,
                "homeGroupCode": None,
                "personalAccessTokenSession": self.store.sessions.is_personal_access_token(token),
                "personalAccessTokenSessionName": None,
                "person": person,
                "creatorPerson": person,
            }
        )

    def update_data_sets(self, token: Any, updates: list[Json] | None = None) -> None:
        update_data_sets(self.store, self.user(token), updates or [])

    # ---- search -------------------------------------------------------------------------

    def _searchables(self) -> dict[str, tuple[Callable[[], Iterable[Any]], str]]:
        """Search noun -> (all candidates, name of the Serializer method rendering one)."""
        store = self.store
        return {
            "Spaces": (store.spaces, "space"),
            "Projects": (store.projects, "project"),
            "Experiments": (store.experiments, "experiment"),
            "Samples": (store.samples, "sample"),
            "DataSets": (store.datasets, "dataset"),
            "SampleTypes": (lambda: store.types["SAMPLE"].values(), "entity_type"),
            "ExperimentTypes": (lambda: store.types["EXPERIMENT"].values(), "entity_type"),
            "DataSetTypes": (lambda: store.types["DATA_SET"].values(), "entity_type"),
            "PropertyTypes": (lambda: store.property_types.values(), "property_type"),
            "Vocabularies": (lambda: store.vocabularies.values(), "vocabulary"),
            "VocabularyTerms": (self._all_terms, "term"),
            "Tags": (lambda: store.tags.values(), "tag"),
            "Persons": (lambda: store.persons.values(), "person"),
            "DataStores": (lambda: [DATA_STORE_CODE], "data_store"),
        }

    def _all_terms(self) -> list[VocabularyTerm]:
        return [term for v in self.store.vocabularies.values() for term in v.terms]

    def _searcher(self, candidates: Callable[[], Iterable[Any]], render_name: str) -> Callable:
        def search(token: Any, criteria: Json | None = None, fetch_options: Json | None = None):
            self.user(token)
            render = getattr(self.dto.fresh(), render_name)
            try:
                found = [o for o in candidates() if matches(self._subject(o), criteria or {})]
            except UnsupportedCriterion as exc:
                raise RpcError(str(exc)) from None
            found = sort_objects(found, fetch_options)
            return with_identities(
                {
                    "@type": "as.dto.common.search.SearchResult",
                    "objects": [render(o, fetch_options) for o in page(found, fetch_options)],
                    "totalCount": len(found),
                }
            )

        return search

    def _subject(self, obj: Any) -> Any:
        """Vocabulary terms are searched through their vocabulary, like openBIS joins them."""
        if isinstance(obj, VocabularyTerm):
            return _TermSubject(obj, self.store.vocabularies.get(obj.vocabulary_code))
        return obj

    # ---- get ---------------------------------------------------------------------------

    def _gettables(self) -> dict[str, tuple[Callable[[Json], Any], str]]:
        """Get noun -> (id object resolver, name of the Serializer method rendering one)."""
        store = self.store

        def by_ids(finder: Callable[..., Any]) -> Callable[[Json], Any]:
            return lambda object_id: resolve_id(finder, object_id)

        def entity_type(kind: str) -> Callable[[Json], EntityType | None]:
            return lambda object_id: store.entity_type(kind, str(object_id.get("permId", "")))

        def data_set(object_id: Json) -> Any:
            return store.dataset(str(object_id.get("permId", "")))

        def space(object_id: Json) -> Any:
            return store.space(str(object_id.get("permId", "")))

        def property_type(object_id: Json) -> PropertyType | None:
            return store.property_types.get(str(object_id.get("permId", "")).upper())

        def vocabulary(object_id: Json) -> Vocabulary | None:
            return store.vocabularies.get(str(object_id.get("permId", "")).upper())

        def term(object_id: Json) -> VocabularyTerm | None:
            owner = store.vocabularies.get(str(object_id.get("vocabularyCode", "")).upper())
            code = str(object_id.get("code", "")).upper()
            return next((t for t in owner.terms if t.code == code), None) if owner else None

        def tag(object_id: Json) -> Any:
            wanted = str(object_id.get("permId") or object_id.get("code") or "")
            return next(
                (t for t in store.tags.values() if wanted in (t.perm_id, t.code)),
                None,
            )

        return {
            "Spaces": (space, "space"),
            "Projects": (by_ids(store.project_by), "project"),
            "Experiments": (by_ids(store.experiment_by), "experiment"),
            "Samples": (by_ids(store.sample_by), "sample"),
            "DataSets": (data_set, "dataset"),
            "SampleTypes": (entity_type("SAMPLE"), "entity_type"),
            "ExperimentTypes": (entity_type("EXPERIMENT"), "entity_type"),
            "DataSetTypes": (entity_type("DATA_SET"), "entity_type"),
            "PropertyTypes": (property_type, "property_type"),
            "Vocabularies": (vocabulary, "vocabulary"),
            "VocabularyTerms": (term, "term"),
            "Tags": (tag, "tag"),
            "Persons": (
                lambda object_id: store.persons.get(str(object_id.get("permId"))),
                "person",
            ),
        }

    def _getter(self, resolve: Callable[[Json], Any], render_name: str) -> Callable:
        def get(token: Any, ids: list[Any] | None = None, fetch_options: Json | None = None):
            self.user(token)
            render = getattr(self.dto.fresh(), render_name)
            result: Json = {}
            for object_id in ids or []:
                found = resolve(object_id) if isinstance(object_id, dict) else None
                if found is not None:
                    result[id_key(object_id)] = render(found, fetch_options)
            return with_identities(result)

        return get


class _TermSubject:
    """A vocabulary term seen by the criteria evaluator, with its vocabulary as a relation."""

    def __init__(self, term: VocabularyTerm, vocabulary: Vocabulary | None) -> None:
        self.term = term
        self.vocabulary = vocabulary
        self.code = term.code
        self.label = term.label
        self.perm_id = f"{term.code} ({term.vocabulary_code})"
