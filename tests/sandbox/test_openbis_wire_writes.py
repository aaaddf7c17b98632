"""Wire-level fidelity of the sandbox openBIS's write paths: uploads, registration, updates.

Speaks JSON-RPC directly because pybis validates some inputs itself and swallows others;
the refusals here are the ones real openBIS gives.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from reana_openbis_lab_sandbox.handle import Sandbox

from .test_openbis_wire import DSS, UPLOAD, creation, raw_upload, rpc


@pytest.fixture
def token(rol_sandbox: Sandbox) -> str:
    password = rol_sandbox.openbis_users["alice"]
    return rpc(rol_sandbox.openbis_url, "login", "alice", password).json()["result"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"experimentId": {"identifier": "/NO/SUCH/EXP"}},
            "ExperimentIdentifier = [/NO/SUCH/EXP] has not been found",
        ),
        ({"typeId": {"permId": "NO_SUCH_TYPE"}}, "NO_SUCH_TYPE"),
        ({"sampleId": {"permId": "20000101000000000-1"}}, "SamplePermId"),
        ({"parentIds": [{"permId": "20000101000000000-1"}]}, "DataSetPermId"),
        ({"experimentId": None}, "Neither experiment nor sample"),
        (
            {"experimentId": {"identifier": "/SHARED/FACILITY/REFERENCE"}},
            "Authorization failure",
        ),
        (
            {"sampleId": {"identifier": "/LAB_A/SEQUENCING/LIBRARY_1"}},
            "belongs to experiment /LAB_A/SEQUENCING/RUN_01",
        ),
        ({"typeId": {"permId": "ANALYZED_DATA"}}, "mandatory property '$NAME'"),
        ({"properties": {"TEMPERATURE": "warm"}}, "does not accept value 'warm'"),
        ({"properties": {"DEVICE": "TELESCOPE"}}, "does not accept value 'TELESCOPE'"),
        ({"properties": {"NOT_ASSIGNED": "x"}}, "not assigned"),
        ({"uploadId": "never-uploaded"}, "No files have been uploaded"),
    ],
)
def test_create_uploaded_data_set_refuses_bad_input(
    rol_sandbox: Sandbox, token: str, overrides: dict[str, Any], message: str
) -> None:
    # Given a file in the session workspace
    upload_id = raw_upload(rol_sandbox.openbis_url, token)
    # When the dataset creation names something wrong
    reply = rpc(
        rol_sandbox.openbis_url,
        "createUploadedDataSet",
        token,
        creation(upload_id, **overrides),
        path=DSS,
    ).json()
    # Then openBIS refuses it with a clear message
    assert message in reply["error"]["message"]


def test_create_uploaded_data_set_returns_the_new_perm_id(rol_sandbox: Sandbox, token: str) -> None:
    upload_id = raw_upload(rol_sandbox.openbis_url, token, b"a,b\n1,2\n")
    reply = rpc(
        rol_sandbox.openbis_url,
        "createUploadedDataSet",
        token,
        creation(upload_id, properties={"TEMPERATURE": 21, "IS_CALIBRATED": True}),
        path=DSS,
    ).json()
    perm_id = reply["result"]["permId"]
    assert reply["result"]["@type"] == "as.dto.dataset.id.DataSetPermId"
    fetch = {
        "@type": "as.dto.dataset.fetchoptions.DataSetFetchOptions",
        "properties": {"@type": "as.dto.property.fetchoptions.PropertyFetchOptions"},
    }
    ids = [{"@type": "as.dto.dataset.id.DataSetPermId", "permId": perm_id}]
    stored = rpc(rol_sandbox.openbis_url, "getDataSets", token, ids, fetch).json()["result"]
    assert stored[perm_id]["properties"] == {"TEMPERATURE": "21.0", "IS_CALIBRATED": "true"}


def test_upload_refuses_bad_sessions_and_hostile_names(rol_sandbox: Sandbox, token: str) -> None:
    url = f"{rol_sandbox.openbis_url}{UPLOAD}"
    base = {"id": "1", "startByte": "0", "endByte": "1", "emptyFolder": "False"}
    no_session = {**base, "filename": "u/a.txt", "sessionID": "alice-0x0"}
    hostile = {**base, "filename": "../../escape.txt", "sessionID": token}
    assert requests.post(url, params=no_session, data=b"x", timeout=30).status_code == 401
    assert requests.post(url, params=hostile, data=b"x", timeout=30).status_code == 400


def test_upload_slices_arriving_out_of_order_are_written_in_place(
    rol_sandbox: Sandbox, token: str
) -> None:
    # Given a file cut into three slices, sent last slice first (pybis' threads race)
    content = bytes(range(256)) * 4096  # 1 MiB
    upload_id = str(uuid.uuid4())
    slices = [(0, 400_000), (400_000, 800_000), (800_000, len(content))]
    for start, end in reversed(slices):
        response = requests.post(
            f"{rol_sandbox.openbis_url}{UPLOAD}",
            params={
                "filename": f"{upload_id}/sliced.bin",
                "id": "1",
                "startByte": str(start),
                "endByte": str(end),
                "emptyFolder": "False",
                "sessionID": token,
            },
            data=content[start:end],
            timeout=30,
        )
        assert response.json()["status"] == "ok"
    # When the dataset is registered and the file read back
    reply = rpc(
        rol_sandbox.openbis_url, "createUploadedDataSet", token, creation(upload_id), path=DSS
    ).json()
    perm_id = reply["result"]["permId"]
    back = requests.get(
        f"{rol_sandbox.openbis_url}/datastore_server/{perm_id}/original/sliced.bin",
        params={"sessionID": token},
        timeout=30,
    )
    # Then the bytes are exactly the original ones
    assert back.content == content


def test_update_data_sets_links_parents_and_refuses_bad_values(
    rol_sandbox: Sandbox, token: str
) -> None:
    # Given a new dataset and a seed dataset to become its parent
    upload_id = raw_upload(rol_sandbox.openbis_url, token)
    created = rpc(
        rol_sandbox.openbis_url, "createUploadedDataSet", token, creation(upload_id), path=DSS
    ).json()["result"]["permId"]
    criteria = {"@type": "as.dto.dataset.search.DataSetSearchCriteria", "criteria": []}
    parent = rpc(rol_sandbox.openbis_url, "searchDataSets", token, criteria, {"count": 1}).json()[
        "result"
    ]["objects"][0]["code"]
    data_set_id = {"@type": "as.dto.dataset.id.DataSetPermId", "permId": created}
    add_parent = {
        "@type": "as.dto.common.update.IdListUpdateValue",
        "actions": [
            {
                "@type": "as.dto.common.update.ListUpdateActionAdd",
                "items": [{"@type": "as.dto.dataset.id.DataSetPermId", "permId": parent}],
            }
        ],
    }
    # When its parents are updated, Then both sides of the link show it
    update = {"@type": "as.dto.dataset.update.DataSetUpdate", "dataSetId": data_set_id}
    reply = rpc(
        rol_sandbox.openbis_url, "updateDataSets", token, [{**update, "parentIds": add_parent}]
    ).json()
    assert "error" not in reply
    fetch = {
        "parents": {"@type": "as.dto.dataset.fetchoptions.DataSetFetchOptions"},
        "children": {"@type": "as.dto.dataset.fetchoptions.DataSetFetchOptions"},
    }
    ids = [data_set_id, {"@type": "as.dto.dataset.id.DataSetPermId", "permId": parent}]
    stored = rpc(rol_sandbox.openbis_url, "getDataSets", token, ids, fetch).json()["result"]
    assert [p["code"] for p in stored[created]["parents"]] == [parent]
    assert created in [c["code"] for c in stored[parent]["children"] if isinstance(c, dict)]
    # And a property value of the wrong type is refused
    bad = {**update, "properties": {"TEMPERATURE": "hot"}}
    reply = rpc(rol_sandbox.openbis_url, "updateDataSets", token, [bad]).json()
    assert "does not accept value 'hot'" in reply["error"]["message"]
