"""One dataset in full: metadata with property labels, lineage, and its files as a folder tree.

Runs in a worker thread via `OpenbisService.call`. The file list comes from the data
store's `searchFiles` (the call pybis' `DataSet.get_dataset_files` makes); a dataset
with an enormous number of files is cut at MAX_FILES entries and says so (`truncated`)
rather than building a response nobody can display.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFound, UpstreamError
from . import transport, v3
from .browse import dataset_json
from .v3 import Json, as_dict, iso_date, perm_id_of, type_code, user_id

MAX_FILES = 20_000
FILE_SEARCH_FETCH = {"@type": "dss.dto.datasetfile.fetchoptions.DataSetFileFetchOptions"}


def _get_dataset(openbis: Any, perm_id: str, fetch_options: Json) -> Json:
    request = {
        "method": "getDataSets",
        "params": [openbis.token, [v3.perm_id("dataSet", perm_id)], fetch_options],
    }
    result = v3.resolved(transport.post_v3(openbis, request), keyed_by_id=True)
    found = result.get(perm_id) if isinstance(result, dict) else None
    if not isinstance(found, dict):
        raise NotFound(
            f"No dataset {perm_id} on this openBIS server (or no access to it)", field="permId"
        )
    return found


def _link(dataset: Any) -> Json:
    # The name is what openBIS users know a parent or child by; the permId identifies it.
    return {
        "permId": perm_id_of(dataset) or as_dict(dataset).get("code"),
        "type": type_code(dataset),
        "name": dataset_json(as_dict(dataset)).get("name"),
    }


def labelled_properties(dataset: Json) -> list[Json]:
    """Properties in the order the dataset type assigns them, with labels and data types."""
    values = as_dict(dataset.get("properties"))
    assignments = as_dict(dataset.get("type")).get("propertyAssignments") or []
    listed: list[Json] = []
    seen: set[str] = set()
    for assignment in assignments:
        property_type = as_dict(as_dict(assignment).get("propertyType"))
        code = property_type.get("code")
        if not code:
            continue
        seen.add(code)
        listed.append(
            {
                "code": code,
                "label": property_type.get("label") or code,
                "dataType": property_type.get("dataType"),
                "mandatory": bool(as_dict(assignment).get("mandatory")),
                "value": values.get(code),
            }
        )
    for code, value in values.items():
        if code not in seen:
            listed.append(
                {"code": code, "label": code, "dataType": None, "mandatory": False, "value": value}
            )
    return listed


def dataset_detail(openbis: Any, perm_id: str) -> Json:
    linked = v3.fetch("dataSet", type=v3.fetch_type("dataSet"), properties=v3.fetch_properties())
    fetch_options = v3.fetch(
        "dataSet",
        type=v3.fetch_type("dataSet", propertyAssignments=v3.fetch_assignments()),
        properties=v3.fetch_properties(),
        parents=linked,
        children=linked,
        experiment=v3.fetch("experiment"),
        sample=v3.fetch("sample"),
        registrator=v3.fetch("person"),
        modifier=v3.fetch("person"),
        physicalData=v3.fetch_physical_data(),
        dataStore=v3.fetch("dataStore"),
        tags=v3.fetch("tag"),
    )
    dataset = _get_dataset(openbis, perm_id, fetch_options)
    physical = as_dict(dataset.get("physicalData"))
    return {
        **dataset_json(dataset),
        "labelledProperties": labelled_properties(dataset),
        "parents": [_link(p) for p in dataset.get("parents") or []],
        "children": [_link(c) for c in dataset.get("children") or []],
        "modifier": user_id(dataset.get("modifier")),
        "modificationDate": iso_date(dataset.get("modificationDate")),
        "tags": [as_dict(t).get("code") for t in dataset.get("tags") or [] if as_dict(t)],
        "dataStore": as_dict(dataset.get("dataStore")).get("code"),
        "location": physical.get("location"),
    }


def dataset_files(openbis: Any, perm_id: str) -> Json:
    """The dataset's files as a tree: folders carry the total size of what they contain."""
    dataset = _get_dataset(openbis, perm_id, v3.fetch("dataSet", dataStore=v3.fetch("dataStore")))
    download_url = as_dict(dataset.get("dataStore")).get("downloadUrl")
    if not download_url:
        raise UpstreamError(f"openBIS did not say which data store holds {perm_id}")
    criteria = {
        "@type": "dss.dto.datasetfile.search.DataSetFileSearchCriteria",
        "operator": "AND",
        "criteria": [v3.criteria("dataSet", v3.code_is(perm_id), operator="OR")],
    }
    request = {"method": "searchFiles", "params": [openbis.token, criteria, FILE_SEARCH_FETCH]}
    result = v3.resolved(transport.post_dss_v3(openbis, download_url, request))
    entries = [e for e in as_dict(result).get("objects") or [] if isinstance(e, dict)]
    tree, files, size, truncated = build_tree(entries)
    return {
        "permId": perm_id,
        "files": tree,
        "fileCount": files,
        "totalSize": size,
        "truncated": truncated,
    }


def build_tree(entries: list[Json]) -> tuple[list[Json], int, int, bool]:
    """(top-level nodes, number of files, bytes, cut short?) from flat `searchFiles` entries."""
    root: Json = {"children": {}}
    files = size = 0
    truncated = len(entries) > MAX_FILES
    for entry in sorted(entries[:MAX_FILES], key=lambda e: str(e.get("path") or "")):
        path = str(entry.get("path") or "").strip("/")
        if not path:
            continue
        parts = path.split("/")
        node = root
        for depth, part in enumerate(parts[:-1]):
            node = _folder(node, part, "/".join(parts[: depth + 1]))
        if entry.get("directory"):
            _folder(node, parts[-1], path)
            continue
        length = entry.get("fileLength")
        length = length if isinstance(length, int) and length >= 0 else 0
        node["children"][parts[-1]] = {
            "name": parts[-1],
            "path": path,
            "directory": False,
            "size": length,
        }
        files += 1
        size += length
    return _finish(root)["children"], files, size, truncated


def _folder(parent: Json, name: str, path: str) -> Json:
    child = parent["children"].get(name)
    if child is None or not child["directory"]:
        child = {"name": name, "path": path, "directory": True, "size": 0, "children": {}}
        parent["children"][name] = child
    return child


def _finish(node: Json) -> Json:
    """Turn child maps into lists (folders first, then by name) and add up folder sizes."""
    children = [_finish(c) if c["directory"] else c for c in node["children"].values()]
    children.sort(key=lambda c: (not c["directory"], c["name"].lower()))
    node["children"] = children
    if node.get("directory"):
        node["size"] = sum(c["size"] for c in children)
    return node
