"""Wire-level fidelity of the sandbox openBIS: envelopes, id-keyed maps, DTO shapes, refusals.

These speak JSON-RPC directly where pybis would hide the detail (it validates some inputs
itself and swallows others), so client code of our own meets the same answers a real
openBIS gives.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests
from pybis import Openbis

from reana_openbis_lab_sandbox.handle import Sandbox

AS = "/openbis/openbis/rmi-application-server-v3.json"
DSS = "/datastore_server/rmi-data-store-server-v3.json"
UPLOAD = "/datastore_server/session_workspace_file_upload"
IMAGING = "/LAB_A/MICROSCOPY/IMAGING_2024"


def rpc(url: str, method: str, *params: Any, path: str = AS) -> requests.Response:
    body = {"method": method, "params": list(params), "id": "7", "jsonrpc": "2.0"}
    return requests.post(f"{url}{path}", json=body, timeout=30)


@pytest.fixture
def token(rol_sandbox: Sandbox) -> str:
    return rpc(
        rol_sandbox.openbis_url, "login", "alice", rol_sandbox.openbis_users["alice"]
    ).json()["result"]


def raw_upload(url: str, token: str, content: bytes = b"hello\n") -> str:
    upload_id = str(uuid.uuid4())
    response = requests.post(
        f"{url}{UPLOAD}",
        params={
            "filename": f"{upload_id}/hello.txt",
            "id": "1",
            "startByte": "0",
            "endByte": str(len(content)),
            "emptyFolder": "False",
            "sessionID": token,
        },
        data=content,
        timeout=30,
    )
    assert response.json()["size"] == len(content)
    return upload_id


def creation(upload_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "@type": "dss.dto.dataset.create.UploadedDataSetCreation",
        "typeId": {"@type": "as.dto.entitytype.id.EntityTypePermId", "permId": "RAW_DATA"},
        "experimentId": {
            "@type": "as.dto.experiment.id.ExperimentIdentifier",
            "identifier": IMAGING,
        },
        "properties": {},
        "parentIds": [],
        "uploadId": upload_id,
        **overrides,
    }


def test_login_answers_null_for_a_wrong_password(rol_sandbox: Sandbox) -> None:
    # When the password is wrong, Then the result is null (not an error), as in openBIS
    reply = rpc(rol_sandbox.openbis_url, "login", "alice", "wrong").json()
    assert reply == {"jsonrpc": "2.0", "id": "7", "result": None}


def test_server_errors_use_the_envelope_with_http_200(rol_sandbox: Sandbox) -> None:
    # When a call carries an invalid session token
    response = rpc(rol_sandbox.openbis_url, "searchSpaces", "alice-0x0", {}, {})
    # Then HTTP is 200 (as jsonrpc4j answers) and the error names message and Java exception type
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json-rpc"
    error = response.json()["error"]
    assert error["message"] == "Session no longer available. Please login again."
    assert error["data"]["exceptionTypeName"].endswith("InvalidSessionException")
    # And an unknown method is a JSON-RPC "method not found"
    assert rpc(rol_sandbox.openbis_url, "noSuchMethod", "x").json()["error"]["code"] == -32601


def test_get_maps_are_keyed_by_the_id_as_sent(rol_sandbox: Sandbox, token: str) -> None:
    # Given a known and an unknown experiment identifier
    ids = [
        {"@type": "as.dto.experiment.id.ExperimentIdentifier", "identifier": IMAGING},
        {"@type": "as.dto.experiment.id.ExperimentIdentifier", "identifier": "/NO/SUCH/EXP"},
    ]
    fetch = {"@type": "as.dto.experiment.fetchoptions.ExperimentFetchOptions"}
    # When they are fetched
    result = rpc(rol_sandbox.openbis_url, "getExperiments", token, ids, fetch).json()["result"]
    # Then the map holds only the known one, keyed as sent, with unfetched relations null
    assert list(result) == [IMAGING]
    experiment = result[IMAGING]
    assert experiment["@type"] == "as.dto.experiment.Experiment"
    assert experiment["permId"]["@type"] == "as.dto.experiment.id.ExperimentPermId"
    assert experiment["project"] is None and experiment["properties"] is None
    assert isinstance(experiment["registrationDate"], int)


def test_dataset_dto_carries_every_key_pybis_reads(rol_sandbox: Sandbox, token: str) -> None:
    # When datasets are searched with bare fetch options, sorted by code descending, paged
    fetch = {
        "@type": "as.dto.dataset.fetchoptions.DataSetFetchOptions",
        "from": 0,
        "count": 3,
        "sort": {
            "@type": "as.dto.dataset.fetchoptions.DataSetSortOptions",
            "sortings": [
                {
                    "@type": "as.dto.common.fetchoptions.Sorting",
                    "field": "CODE",
                    "order": {"@type": "as.dto.common.fetchoptions.SortOrder", "asc": False},
                }
            ],
        },
    }
    criteria = {"@type": "as.dto.dataset.search.DataSetSearchCriteria", "criteria": []}
    result = rpc(rol_sandbox.openbis_url, "searchDataSets", token, criteria, fetch).json()["result"]
    # Then paging, sorting and the null-when-unfetched keys hold
    codes = [d["code"] for d in result["objects"]]
    assert len(codes) == 3 and codes == sorted(codes, reverse=True)
    assert result["totalCount"] > 20
    keys = {"code", "permId", "kind", "type", "experiment", "sample", "parents", "children"}
    keys |= {"components", "containers", "tags", "properties", "physicalData", "dataStore"}
    keys |= {"registrator", "registrationDate", "modificationDate", "linkedData"}
    for dataset in result["objects"]:
        assert keys <= set(dataset)
        assert dataset["type"] is None and dataset["physicalData"] is None


def test_unsupported_criteria_are_refused_not_ignored(rol_sandbox: Sandbox, token: str) -> None:
    criteria = {
        "@type": "as.dto.dataset.search.DataSetSearchCriteria",
        "criteria": [{"@type": "as.dto.common.search.NoSuchSearchCriteria"}],
    }
    reply = rpc(rol_sandbox.openbis_url, "searchDataSets", token, criteria, {}).json()
    assert "NoSuchSearchCriteria" in reply["error"]["message"]


def test_archived_datasets_list_but_do_not_download(rol_sandbox: Sandbox, token: str) -> None:
    # Given the archived seed dataset
    criteria = {
        "@type": "as.dto.dataset.search.DataSetSearchCriteria",
        "criteria": [
            {
                "@type": "as.dto.dataset.search.PhysicalDataSearchCriteria",
                "criteria": [
                    {
                        "@type": "as.dto.dataset.search.StatusSearchCriteria",
                        "fieldValue": "ARCHIVED",
                    }
                ],
            }
        ],
    }
    found = rpc(rol_sandbox.openbis_url, "searchDataSets", token, criteria, {}).json()["result"]
    perm_id = found["objects"][0]["code"]
    # When a fast download of one of its files is requested, Then it is refused
    file_id = {
        "dataSetId": {"@type": "as.dto.dataset.id.DataSetPermId", "permId": perm_id},
        "filePath": f"{perm_id}/original/README.txt",
    }
    reply = rpc(
        rol_sandbox.openbis_url, "createFastDownloadSession", token, [file_id], {}, path=DSS
    ).json()
    assert "not available" in reply["error"]["message"]


def test_pybis_raises_on_an_injected_server_failure(rol_sandbox: Sandbox, o: Openbis) -> None:
    # Given a logged-in pybis and a fault: searchSpaces answers HTTP 500 once
    rol_sandbox.set_faults("openbis", [{"rpc_method": "searchSpaces", "status": 500, "times": 1}])
    # When pybis lists spaces, Then it raises its "general error"
    with pytest.raises(ValueError, match="500"):
        o.get_spaces()
    # And the next call works again
    assert "LAB_A" in set(o.get_spaces().df["code"])


def test_pybis_fast_download_fails_on_a_transfer_error(
    rol_sandbox: Sandbox, o: Openbis, tmp_path
) -> None:
    # Given a logged-in pybis and a fault: the next file-transfer call answers 503
    frame = o.get_datasets(type="ANALYZED_DATA", count=1).df
    dataset = o.get_dataset(frame["permId"][0])
    rol_sandbox.set_faults("openbis", [{"path": "file-transfer", "status": 503, "times": 1}])
    # When pybis downloads, Then it fails: its urllib3 retries never repeat a POST
    with pytest.raises(ValueError, match="general error"):
        dataset.download(destination=str(tmp_path))
    # And once the fault has passed the same download succeeds
    dataset.download(destination=str(tmp_path))
    assert (tmp_path / dataset.permId / "original/report.md").read_text().startswith("# Analysis")


def test_a_dropped_download_connection_can_be_retried(rol_sandbox: Sandbox, token: str) -> None:
    # Given a fault that cuts the next plain download after 1 MB
    criteria = {
        "@type": "as.dto.dataset.search.DataSetSearchCriteria",
        "criteria": [
            {
                "@type": "as.dto.common.search.StringPropertySearchCriteria",
                "fieldName": "$NAME",
                "fieldValue": {
                    "@type": "as.dto.common.search.StringEqualToValue",
                    "value": "Full sequencing run",
                },
            }
        ],
    }
    found = rpc(rol_sandbox.openbis_url, "searchDataSets", token, criteria, {}).json()["result"]
    url = f"{rol_sandbox.openbis_url}/datastore_server/{found['objects'][0]['code']}/original/run/reads.bin"
    rol_sandbox.set_faults(
        "openbis", [{"path": "reads.bin", "drop_after_bytes": 1_000_000, "times": 1}]
    )
    # When the client reads it, Then the transfer breaks off
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(url, params={"sessionID": token}, timeout=60).raise_for_status()
    # And a second attempt streams the first MiB again
    with requests.get(url, params={"sessionID": token}, stream=True, timeout=60) as response:
        assert len(next(response.iter_content(1024 * 1024))) > 0


def test_search_sorts_by_registration_date_ascending(rol_sandbox: Sandbox, token: str) -> None:
    fetch = {
        "@type": "as.dto.sample.fetchoptions.SampleFetchOptions",
        "sort": {
            "@type": "as.dto.sample.fetchoptions.SampleSortOptions",
            "sortings": [
                {
                    "@type": "as.dto.common.fetchoptions.Sorting",
                    "field": "REGISTRATION_DATE",
                    "order": {"@type": "as.dto.common.fetchoptions.SortOrder", "asc": True},
                }
            ],
        },
    }
    criteria = {"@type": "as.dto.sample.search.SampleSearchCriteria", "criteria": []}
    result = rpc(rol_sandbox.openbis_url, "searchSamples", token, criteria, fetch).json()["result"]
    dates = [s["registrationDate"] for s in result["objects"]]
    assert len(dates) >= 4 and dates == sorted(dates)


@pytest.mark.parametrize("filename", ["../escape.txt", "/etc/escape.txt", "a/../../escape.txt"])
def test_a_workspace_upload_outside_the_session_workspace_is_refused(
    rol_sandbox: Sandbox, token: str, filename: str
) -> None:
    # When a slice names a file outside the session's workspace
    response = requests.post(
        f"{rol_sandbox.openbis_url}{UPLOAD}",
        params={"filename": filename, "id": "1", "startByte": "0", "sessionID": token},
        data=b"x",
        timeout=30,
    )
    # Then it is a 400 with the data store's error shape
    assert response.status_code == 400
    assert response.json()["status"] == "error"
