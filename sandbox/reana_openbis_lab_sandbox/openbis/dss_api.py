"""The data store server's v3 API: searchFiles, createFastDownloadSession, createUploadedDataSet.

createUploadedDataSet refuses what real openBIS refuses (unknown type, experiment,
sample or parent; a property the type does not assign; a missing mandatory property;
a value that does not fit the property's data type; an upload id with no files), so
client code that forgets to check its inputs fails here as it would in production.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .content import DiskFile
from .criteria import UnsupportedCriterion, matches, pinned_codes
from .fast_download import FileTransfer
from .ids import require_id
from .jackson import with_identities
from .model import DataSet, DataSetFile
from .paging import page
from .properties import validate_properties
from .rpc import RpcError, invalid_session, not_allowed, not_found
from .store import DATA_STORE_CODE, OpenbisStore, list_entries

Json = dict[str, Any]


def workspace_key(token: str) -> str:
    """Session workspaces are per session; name them by a hash so no token touches the disk."""
    return hashlib.sha256(token.encode()).hexdigest()[:24]


def to_signed_crc(crc: int) -> int:
    """openBIS reports CRC32 as a Java int (signed 32 bit)."""
    return crc - (1 << 32) if crc >= (1 << 31) else crc


class DataStoreServer:
    def __init__(self, store: OpenbisStore, public_url: str, transfer: FileTransfer) -> None:
        self.store = store
        self.public_url = public_url.rstrip("/")
        self.transfer = transfer

    def methods(self) -> dict[str, Callable[..., Any]]:
        return {
            "searchFiles": self.search_files,
            "createFastDownloadSession": self.create_fast_download_session,
            "createUploadedDataSet": self.create_uploaded_data_set,
        }

    def user(self, token: Any) -> str:
        user = self.store.sessions.user_of(token)
        if user is None:
            raise invalid_session()
        return user

    # ---- files -------------------------------------------------------------------------

    def _data_store(self) -> Json:
        return {
            "@type": "as.dto.datastore.DataStore",
            "permId": {"@type": "as.dto.datastore.id.DataStorePermId", "permId": DATA_STORE_CODE},
            "code": DATA_STORE_CODE,
            "downloadUrl": self.public_url,
            "remoteUrl": self.public_url,
        }

    def search_files(
        self, token: Any, criteria: Json | None = None, fetch_options: Json | None = None
    ):
        self.user(token)
        codes = pinned_codes(criteria or {})
        candidates = (
            self.store.datasets()
            if codes is None
            else [d for d in map(self.store.dataset, sorted(codes)) if d is not None]
        )
        try:
            datasets = [d for d in candidates if matches(d, criteria or {})]
        except UnsupportedCriterion as exc:
            raise RpcError(str(exc)) from None
        objects = []
        for dataset in datasets:
            sources = {f.path: f.source for f in dataset.files}
            for entry in list_entries(dataset):
                source = sources.get(entry.path)
                objects.append(
                    {
                        "@type": "dss.dto.datasetfile.DataSetFile",
                        "permId": {
                            "@type": "dss.dto.datasetfile.id.DataSetFilePermId",
                            "dataSetId": {
                                "@type": "as.dto.dataset.id.DataSetPermId",
                                "permId": dataset.perm_id,
                            },
                            "filePath": entry.path,
                        },
                        "dataSetPermId": {
                            "@type": "as.dto.dataset.id.DataSetPermId",
                            "permId": dataset.perm_id,
                        },
                        "dataStore": self._data_store(),
                        "path": entry.path,
                        "directory": entry.is_dir,
                        "fileLength": entry.size,
                        "checksumCRC32": 0 if source is None else to_signed_crc(source.crc32()),
                        "checksum": None,
                        "checksumType": None,
                    }
                )
        return with_identities(
            {
                "@type": "as.dto.common.search.SearchResult",
                "objects": page(objects, fetch_options),
                "totalCount": len(objects),
            }
        )

    def create_fast_download_session(
        self, token: Any, file_ids: list[Json] | None = None, options: Json | None = None
    ) -> Json:
        self.user(token)
        items: dict[str, tuple[DataSet, str]] = {}
        for file_id in file_ids or []:
            perm_id = str(((file_id or {}).get("dataSetId") or {}).get("permId", ""))
            dataset = self.store.dataset(perm_id)
            if dataset is None:
                raise not_found("DataSetPermId", perm_id)
            if dataset.status != "AVAILABLE":
                raise RpcError(f"Data set {perm_id} is not available (status {dataset.status}).")
            raw_path = str(file_id.get("filePath", ""))
            path = raw_path[len(perm_id) + 1 :] if raw_path.startswith(perm_id + "/") else raw_path
            path = path.strip("/")
            if not any(e.path == path for e in list_entries(dataset)):
                raise RpcError(f"File '{path}' does not exist in data set {perm_id}.")
            items[raw_path] = (dataset, path)
        wished = int((options or {}).get("wishedNumberOfStreams") or 1)
        grant_id = self.transfer.grant(token, items)
        return with_identities(
            {
                "@type": "dss.dto.datasetfile.fastdownload.FastDownloadSession",
                "downloadUrl": f"{self.public_url}{self.transfer.route}",
                "fileTransferUserSessionId": grant_id,
                "files": file_ids or [],
                "options": {
                    "@type": "dss.dto.datasetfile.fastdownload.FastDownloadSessionOptions",
                    "wishedNumberOfStreams": wished,
                },
            }
        )

    # ---- upload ----------------------------------------------------------------------------

    def create_uploaded_data_set(self, token: Any, creation: Json | None = None) -> Json:
        user = self.user(token)
        creation = creation or {}
        type_code = str((creation.get("typeId") or {}).get("permId", ""))
        data_set_type = self.store.entity_type("DATA_SET", type_code) if type_code else None
        if data_set_type is None:
            raise not_found("EntityTypePermId", f"{type_code} (DATA_SET)")
        experiment, sample = self._owner(creation)
        space = (sample or experiment).space
        if not self.store.can_write(user, space):
            raise not_allowed(user, space.code)
        parents = []
        for parent_id in creation.get("parentIds") or []:
            parent_perm_id = str((parent_id or {}).get("permId", ""))
            parent = self.store.dataset(parent_perm_id)
            if parent is None:
                raise not_found("DataSetPermId", parent_perm_id)
            parents.append(parent)
        properties = validate_properties(data_set_type, creation.get("properties") or {})
        upload_dir = self._upload_dir(token, creation.get("uploadId"))

        perm_id, tech_id, registered = self.store.new_dataset_identity()
        target = self.store.files_dir / perm_id / "original"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(upload_dir), str(target))
        files, empty_dirs = _scan(target)
        dataset = DataSet(
            perm_id,
            data_set_type,
            experiment,
            sample,
            properties,
            self.store.persons[user],
            registered,
            files=files,
            parents=parents,
            tech_id=tech_id,
            empty_dirs=empty_dirs,
        )
        self.store.add_dataset(dataset)
        return with_identities({"@type": "as.dto.dataset.id.DataSetPermId", "permId": perm_id})

    def _owner(self, creation: Json):
        experiment_id = creation.get("experimentId")
        sample_id = creation.get("sampleId")
        experiment = sample = None
        if sample_id:
            sample = require_id(self.store.sample_by, sample_id, "Sample")
            experiment = sample.experiment
        if experiment_id:
            named = require_id(self.store.experiment_by, experiment_id, "Experiment")
            if experiment is not None and named is not experiment:
                raise RpcError(
                    f"Sample {sample.identifier} belongs to experiment {experiment.identifier}, "
                    f"not to {named.identifier}."
                )
            experiment = named
        if experiment is None and sample is None:
            raise RpcError("Neither experiment nor sample specified for the new data set.")
        return experiment, sample

    def _upload_dir(self, token: str, upload_id: Any) -> Path:
        if not isinstance(upload_id, str) or not upload_id or "/" in upload_id or ".." in upload_id:
            raise RpcError("Upload id is missing or invalid.")
        upload_dir = self.store.workspace_dir / workspace_key(token) / upload_id
        if not upload_dir.is_dir() or not any(upload_dir.rglob("*")):
            raise RpcError(f"No files have been uploaded for upload id {upload_id}.")
        return upload_dir


def _scan(root: Path) -> tuple[list[DataSetFile], list[str]]:
    """The files below `root` and its empty directories, as dataset paths (original/...)."""
    files, empty_dirs = [], []
    for directory, dirs, names in os.walk(root):
        if not dirs and not names:
            empty_dirs.append(Path(directory).relative_to(root.parent).as_posix())
        for name in names:
            path = Path(directory) / name
            relative = path.relative_to(root.parent).as_posix()
            files.append(DataSetFile(relative, DiskFile(path)))
    return sorted(files, key=lambda f: f.path), sorted(empty_dirs)
