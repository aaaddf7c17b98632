"""Reading openBIS' wire format: Jackson back-references and missing relations (no server needed)."""

from __future__ import annotations

from reana_openbis_lab.openbis.browse import dataset_json, object_json
from reana_openbis_lab.openbis.dataset_detail import build_tree
from reana_openbis_lab.openbis.v3 import resolved


def jackson_search_result() -> dict:
    """Two samples as a real server writes them: the second one's type, registrator and
    parent are back-references to objects written inside the first."""
    return {
        "@type": "as.dto.common.search.SearchResult",
        "objects": [
            {
                "@type": "as.dto.sample.Sample",
                "@id": 1,
                "code": "S1",
                "permId": {
                    "@type": "as.dto.sample.id.SamplePermId",
                    "@id": 2,
                    "permId": "20240101000000000-1",
                },
                "identifier": {"@id": 3, "identifier": "/LAB/P/S1"},
                "type": {"@type": "as.dto.sample.SampleType", "@id": 4, "code": "MOLECULE"},
                "registrator": {"@type": "as.dto.person.Person", "@id": 5, "userId": "admin"},
                "registrationDate": 1704067200000,
                "properties": {"$NAME": "first"},
                "parents": [],
            },
            {
                "@type": "as.dto.sample.Sample",
                "@id": 6,
                "code": "S2",
                "permId": {"@id": 7, "permId": "20240101000000000-2"},
                "identifier": {"@id": 8, "identifier": "/LAB/P/S2"},
                "type": 4,
                "registrator": 5,
                "modifier": 5,
                "registrationDate": 1704070800000,
                "properties": {},
                "parents": [1],
            },
            1,
        ],
        "totalCount": 3,
    }


def test_back_references_are_resolved_wherever_an_object_belongs() -> None:
    result = resolved(jackson_search_result())
    first, second, repeated = result["objects"]
    assert second["type"]["code"] == "MOLECULE"
    assert second["registrator"]["userId"] == second["modifier"]["userId"] == "admin"
    assert second["parents"][0]["code"] == "S1"
    assert repeated is first
    assert result["totalCount"] == 3
    shaped = object_json(second)
    assert (shaped["type"], shaped["registrator"], shaped["identifier"]) == (
        "MOLECULE",
        "admin",
        "/LAB/P/S2",
    )
    assert shaped["registrationDate"] == "2024-01-01T01:00:00Z"


def test_a_get_map_may_hold_a_reference_as_a_value() -> None:
    dataset = {"@id": 1, "code": "DS1", "permId": {"permId": "DS1"}, "type": {"code": "RAW"}}
    result = resolved({"DS1": dataset, "DS1-again": 1}, keyed_by_id=True)
    assert result["DS1-again"] is dataset


def test_relations_that_were_not_fetched_read_as_empty() -> None:
    shaped = dataset_json({"code": "DS1", "type": None, "experiment": None, "physicalData": None})
    assert shaped["permId"] == "DS1"
    assert (shaped["type"], shaped["collection"], shaped["size"], shaped["registrationDate"]) == (
        None,
        None,
        None,
        None,
    )


def test_a_flat_file_list_becomes_a_tree_with_folder_sizes() -> None:
    entries = [
        {"path": "", "directory": True, "fileLength": 0},
        {"path": "original", "directory": True, "fileLength": 0},
        {"path": "original/b.txt", "directory": False, "fileLength": 5},
        {"path": "original/data/a.csv", "directory": False, "fileLength": 10},
        {"path": "original/empty", "directory": True},
    ]
    tree, files, size, truncated = build_tree(entries)
    (original,) = tree
    assert (files, size, truncated, original["size"]) == (2, 15, False, 15)
    assert [c["name"] for c in original["children"]] == ["data", "empty", "b.txt"]
    assert original["children"][0]["children"][0]["path"] == "original/data/a.csv"
    assert original["children"][1]["size"] == 0
