"""A dataset's lineage as a graph: parents and children a few levels out, and its REANA run.

One `getDataSets` call fetches the dataset with its parents and children nested `depth`
levels (one more, codes only, to tell which outermost nodes can be expanded). The run
that made the dataset comes from the `provenance/run.json` it carries (a publication
from this extension): a node of its own between the run's inputs and the dataset.
Runs in a pybis thread (`OpenbisService.call`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from ..errors import NotFound
from ..openbis import v3
from ..openbis.browse import dataset_json
from ..openbis.v3 import Json, as_dict, perm_id_of, type_code
from . import record

#: Deepest lineage asked for at once (each level multiplies what openBIS returns).
MAX_DEPTH = 3
#: Where a publication puts the record inside a dataset (several items: `default/`).
RECORD_PATHS = (
    f"original/default/{record.RECORD_NAME}",
    f"original/{record.RECORD_NAME}",
)


def _fetch(depth: int) -> Json:
    """Fetch options for one dataset and `depth` levels of relatives on each side."""
    if depth < 0:
        return v3.fetch("dataSet")
    return v3.fetch(
        "dataSet",
        type=v3.fetch_type("dataSet"),
        properties=v3.fetch_properties(),
        parents=_fetch(depth - 1) if depth else v3.fetch("dataSet"),
        children=_fetch(depth - 1) if depth else v3.fetch("dataSet"),
    )


def dataset_lineage(openbis: Any, perm_id: str, depth: int) -> Json:
    depth = max(1, min(depth, MAX_DEPTH))
    request = {
        "method": "getDataSets",
        "params": [openbis.token, [v3.perm_id("dataSet", perm_id)], _fetch(depth)],
    }
    result = v3.resolved(openbis._post_request(openbis.as_v3, request), keyed_by_id=True)
    center = result.get(perm_id) if isinstance(result, dict) else None
    if not isinstance(center, dict):
        raise NotFound(f"No dataset {perm_id} on this openBIS server (or no access to it)")
    nodes: dict[str, Json] = {}
    edges: set[tuple[str, str]] = set()

    def add(dataset: Json, level: int) -> Json:
        node_id = perm_id_of(dataset) or str(as_dict(dataset).get("code"))
        return nodes.setdefault(
            node_id,
            {
                "id": node_id,
                "kind": "dataset",
                "permId": node_id,
                "name": dataset_json(dataset).get("name"),
                "type": type_code(dataset),
                "level": level,
                "moreParents": False,
                "moreChildren": False,
            },
        )

    def walk(dataset: Json, level: int, side: str) -> str:
        """Add the dataset and its relatives on `side` (parents: level < 0) up to `depth`."""
        node = add(dataset, level)
        relatives = [as_dict(r) for r in as_dict(dataset).get(side) or [] if as_dict(r)]
        if abs(level) >= depth:
            flag = "moreParents" if side == "parents" else "moreChildren"
            node[flag] = node[flag] or bool(relatives)
            return node["id"]
        step = -1 if side == "parents" else 1
        for relative in relatives:
            other = walk(relative, level + step, side)
            edges.add((other, node["id"]) if side == "parents" else (node["id"], other))
        return node["id"]

    add(center, 0)
    for side, step in (("parents", -1), ("children", 1)):
        for relative in [as_dict(r) for r in center.get(side) or [] if as_dict(r)]:
            other = walk(relative, step, side)
            edges.add((other, perm_id) if side == "parents" else (perm_id, other))
    run = _run_node(openbis, center)
    if run is not None:
        nodes[run["id"]] = run
        inputs = set(run.pop("inputs"))
        for source, target in list(edges):
            if target == perm_id and source in inputs:
                edges.discard((source, target))
                edges.add((source, run["id"]))
        edges.add((run["id"], perm_id))
    return {
        "center": perm_id,
        "depth": depth,
        "nodes": sorted(nodes.values(), key=lambda n: (n.get("level", 0), str(n["id"]))),
        "edges": [{"from": a, "to": b} for a, b in sorted(edges)],
    }


def _run_node(openbis: Any, dataset: Json) -> Json | None:
    document = record.parse(read_dataset_file(openbis, perm_id_of(dataset) or "", RECORD_PATHS))
    if document is None:
        return None
    reana = document.get("reana") or {}
    workflow_id = reana.get("workflowId")
    if not isinstance(workflow_id, str):
        return None
    name = reana.get("workflowName") or workflow_id
    return {
        "id": f"run:{workflow_id}",
        "kind": "run",
        "workflowId": workflow_id,
        "name": f"{name}.{reana['runNumber']}" if reana.get("runNumber") else name,
        "server": reana.get("server"),
        "level": 0,
        "inputs": [str(i["permId"]) for i in record.openbis_inputs(document)],
    }


def read_dataset_file(
    openbis: Any, perm_id: str, paths: tuple[str, ...], limit: int = record.MAX_RECORD_BYTES
) -> bytes | None:
    """The first of `paths` the dataset has, whole (small files only); None if none."""
    try:
        dataset = openbis.get_dataset(perm_id)
    except ValueError:
        return None
    base = dataset._get_download_url().rstrip("/")
    session = requests.Session()
    try:
        for path in paths:
            response = session.get(
                f"{base}/datastore_server/{quote(perm_id)}/{quote(path)}",
                params={"sessionID": openbis.token},
                stream=True,
                timeout=(10, 30),
                verify=openbis.verify_certificates,
            )
            with response:
                if response.status_code != 200:
                    continue
                data = b""
                for chunk in response.iter_content(64 * 1024):
                    data += chunk
                    if len(data) > limit:
                        return None
                return data
    except requests.RequestException:
        return None
    finally:
        session.close()
    return None
