"""Browsing the sandbox openBIS through the REST API with the real pybis underneath."""

from __future__ import annotations

from typing import Any

import pytest

from .openbis_core_fixtures import BASE, connect, extension_config  # noqa: F401


async def test_the_hierarchy_can_be_walked_down_to_datasets(api, rol_sandbox) -> None:
    await connect(api, rol_sandbox)
    # Given alice is logged in
    # When she opens spaces, then the first project, collection and its datasets
    status, spaces = await api("GET", f"{BASE}/spaces")
    assert status == 200
    assert spaces["total"] == len(spaces["items"]) > 0
    space = spaces["items"][0]["code"]
    status, projects = await api("GET", f"{BASE}/projects", space=space)
    assert status == 200
    assert {p["space"] for p in projects["items"]} == {space}
    project = projects["items"][0]["identifier"]
    status, collections = await api("GET", f"{BASE}/collections", project=project)
    assert status == 200
    assert {c["project"] for c in collections["items"]} == {project}
    with_data = None
    for collection in collections["items"]:
        status, datasets = await api("GET", f"{BASE}/datasets", collection=collection["identifier"])
        assert status == 200
        if datasets["total"]:
            with_data = (collection["identifier"], datasets)
            break
    # Then every level lists only what belongs to the level above, with registration data
    assert with_data is not None, "the sandbox seeds datasets in its first project"
    identifier, datasets = with_data
    first = datasets["items"][0]
    assert first["collection"] == identifier
    assert first["registrationDate"].endswith("Z")
    assert first["registrator"]
    assert isinstance(first["size"], int)


async def test_objects_can_be_listed_by_space_project_or_collection(api, rol_sandbox) -> None:
    await connect(api, rol_sandbox)
    status, everything = await api("GET", f"{BASE}/objects")
    assert status == 200
    some = next(o for o in everything["items"] if o["collection"])
    for query in (
        {"space": some["space"]},
        {"project": some["project"]},
        {"collection": some["collection"]},
    ):
        status, page = await api("GET", f"{BASE}/objects", **query)
        assert status == 200, query
        assert some["identifier"] in [o["identifier"] for o in page["items"]]
        assert page["total"] <= everything["total"]
    status, of_object = await api("GET", f"{BASE}/datasets", object=some["permId"])
    assert status == 200
    assert all(d["objectPermId"] == some["permId"] for d in of_object["items"])


async def test_lists_are_paged_on_the_server(api, rol_sandbox) -> None:
    await connect(api, rol_sandbox)
    # Given all objects in one page
    status, whole = await api("GET", f"{BASE}/objects", count="1000")
    assert status == 200 and whole["total"] >= 3
    codes = [o["identifier"] for o in whole["items"]]
    # When they are fetched two at a time
    pages = []
    for start in range(0, whole["total"], 2):
        status, page = await api("GET", f"{BASE}/objects", start=str(start), count="2")
        assert status == 200
        assert page["total"] == whole["total"]
        assert len(page["items"]) <= 2
        pages.extend(o["identifier"] for o in page["items"])
    # Then the pages add up to the whole list, in the same order
    assert pages == codes


@pytest.mark.parametrize("sort", ["code", "registrationDate"])
async def test_lists_are_sorted_both_ways(api, rol_sandbox, sort: str) -> None:
    await connect(api, rol_sandbox)
    status, ascending = await api("GET", f"{BASE}/objects", sort=sort, order="asc", count="1000")
    assert status == 200
    status, descending = await api("GET", f"{BASE}/objects", sort=sort, order="desc", count="1000")
    assert status == 200
    keys = [o[sort] for o in ascending["items"]]
    assert keys == sorted(keys)
    assert [o[sort] for o in descending["items"]] == sorted(keys, reverse=True)


async def test_search_matches_code_name_and_properties(api, rol_sandbox) -> None:
    await connect(api, rol_sandbox)
    # Given an object with a name
    status, everything = await api("GET", f"{BASE}/objects", count="1000")
    named = next(o for o in everything["items"] if o["name"])
    word = named["name"].split()[0]
    # When searching for a word of its name, and for part of its code in lower case
    status, by_name = await api("GET", f"{BASE}/objects", search=word)
    assert status == 200
    status, by_code = await api("GET", f"{BASE}/objects", search=named["code"][1:-1].lower())
    assert status == 200
    # Then it is found both ways, and the search narrows the list
    assert named["identifier"] in [o["identifier"] for o in by_name["items"]]
    assert named["identifier"] in [o["identifier"] for o in by_code["items"]]
    assert by_name["total"] < everything["total"]
    status, none = await api("GET", f"{BASE}/spaces", search="no-such-space-anywhere")
    assert (status, none["total"], none["items"]) == (200, 0, [])


async def test_dataset_detail_has_labels_lineage_and_a_file_tree(api, rol_sandbox) -> None:
    await connect(api, rol_sandbox)
    # Given a dataset that has children
    status, datasets = await api("GET", f"{BASE}/datasets", count="1000")
    assert status == 200
    details = []
    for item in datasets["items"]:
        status, detail = await api("GET", f"{BASE}/datasets/{item['permId']}")
        assert status == 200
        details.append(detail)
    parent = next(d for d in details if d["children"])
    # Then its properties carry labels and data types, and its lineage links both ways
    labelled = {p["code"]: p for p in parent["labelledProperties"]}
    assert all(p["label"] for p in labelled.values())
    assert any(p["label"] != p["code"] for p in labelled.values())
    child = next(d for d in details if d["permId"] == parent["children"][0]["permId"])
    assert parent["permId"] in [p["permId"] for p in child["parents"]]
    # And each link names the dataset as the dataset itself does
    assert child["name"] and parent["children"][0]["name"] == child["name"]
    assert {"permId": parent["permId"], "type": parent["type"], "name": parent["name"]} in child[
        "parents"
    ]
    # And its files form a tree whose folder sizes add up to the dataset's total
    status, files = await api("GET", f"{BASE}/datasets/{parent['permId']}/files")
    assert status == 200
    assert files["fileCount"] > 0 and files["truncated"] is False

    def walk(nodes: list[dict[str, Any]]) -> int:
        total = 0
        for node in nodes:
            if node["directory"]:
                assert node["size"] == walk(node["children"])
            total += node["size"]
        return total

    assert walk(files["files"]) == files["totalSize"]


@pytest.mark.parametrize("kind", ["datasets", "objects", "collections"])
async def test_types_list_their_properties_for_the_upload_form(api, rol_sandbox, kind: str) -> None:
    await connect(api, rol_sandbox)
    status, listing = await api("GET", f"{BASE}/types/{kind}")
    assert status == 200
    assert listing["kind"] == kind and listing["types"]
    properties = [p for t in listing["types"] for p in t["properties"]]
    assert properties and all(p["label"] and p["dataType"] for p in properties)
    if kind == "datasets":
        vocabulary = next(p for p in properties if p["dataType"] == "CONTROLLEDVOCABULARY")
        assert vocabulary["terms"] and all(t["code"] and t["label"] for t in vocabulary["terms"])
        assert any(p["mandatory"] for p in properties)


@pytest.mark.parametrize("kind", ["objects", "collections"])
async def test_upload_targets_are_found_by_code_or_name(api, rol_sandbox, kind: str) -> None:
    await connect(api, rol_sandbox)
    status, everything = await api("GET", f"{BASE}/{kind}", count="1000")
    target = everything["items"][0]
    status, found = await api("GET", f"{BASE}/search", q=target["code"].lower(), kind=kind)
    assert status == 200
    assert target["identifier"] in [i["identifier"] for i in found["items"]]


async def test_an_unknown_dataset_is_a_404(api, rol_sandbox) -> None:
    await connect(api, rol_sandbox)
    status, body = await api("GET", f"{BASE}/datasets/20990101000000000-1")
    assert status == 404
    assert body["field"] == "permId"
    status, body = await api("GET", f"{BASE}/datasets/20990101000000000-1/files")
    assert status == 404


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("spaces", {"count": "0"}, "count"),
        ("spaces", {"count": "1001"}, "count"),
        ("spaces", {"start": "-1"}, "start"),
        ("spaces", {"start": "one"}, "start"),
        ("spaces", {"sort": "name"}, "sort"),
        ("spaces", {"order": "up"}, "order"),
        ("spaces", {"search": "x" * 201}, "search"),
        ("spaces", {"space": "LAB_A"}, "space"),
        ("projects", {"space": "LAB A"}, "space"),
        ("collections", {"project": "LAB_A"}, "project"),
        ("collections", {"project": "/LAB_A/P/X"}, "project"),
        ("objects", {"collection": "/A/B"}, "collection"),
        ("objects", {"colection": "/A/B/C"}, "colection"),
        ("datasets", {"object": "../../etc"}, "object"),
        ("datasets/..%2F..%2Fetc", {}, "perm_id"),
        ("types/samples", {}, "kind"),
        ("search", {}, "q"),
        ("search", {"q": "x", "kind": "datasets"}, "kind"),
    ],
)
async def test_bad_parameters_are_a_400_naming_them(
    api, rol_sandbox, path: str, params: dict, field: str
) -> None:
    await connect(api, rol_sandbox)
    status, body = await api("GET", f"{BASE}/{path}", **params)
    assert status == 400, body
    assert body["field"] == field


async def test_collections_can_be_listed_by_space(api, rol_sandbox) -> None:
    await connect(api, rol_sandbox)
    status, everything = await api("GET", f"{BASE}/collections", count="1000")
    assert status == 200
    spaces = {c["space"] for c in everything["items"]}
    assert len(spaces) > 1, "the sandbox seeds collections in several spaces"
    for space in spaces:
        status, page = await api("GET", f"{BASE}/collections", space=space)
        assert status == 200
        assert page["items"] and {c["space"] for c in page["items"]} == {space}
