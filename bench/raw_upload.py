"""The least an openBIS upload can cost: the extension's slices POSTed raw, in a process of its own.

The same protocol the extension and pybis speak (`POST /datastore_server/session_workspace_file_upload`
with `filename`/`id`/`startByte`/`endByte`/`emptyFolder`/`sessionID`), the same slice size and the
same number of parallel streams as the extension, but each slice goes from the file to the socket
with `sendfile` (no copy through Python), and the dataset is registered with one JSON-RPC
`createUploadedDataSet`. Logging in comes before the clock starts, as the extension and pybis are
logged in before theirs.

Usage (a child of the benchmarks): `python bench/raw_upload.py <openBIS URL> <password> <file>
<collection>`; prints `ready` once logged in, starts when a line arrives on standard input (ends
if it closes instead), and prints {"seconds", "permId"} as JSON.
"""

from __future__ import annotations

import http.client
import json
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from reana_openbis_lab.openbis.streams import PARALLEL_STREAMS
from reana_openbis_lab.openbis.upload import SESSION_WORKSPACE, SLICE_SIZE

AS_V3 = "/openbis/openbis/rmi-application-server-v3.json"
DSS_V3 = "/datastore_server/rmi-data-store-server-v3.json"
USER = "alice"


def json_rpc(url: str, path: str, method: str, params: list[Any]) -> Any:
    connection = _connection(url)
    body = json.dumps({"jsonrpc": "2.0", "id": "1", "method": method, "params": params})
    connection.request("POST", path, body, {"Content-Type": "application/json"})
    reply = json.loads(connection.getresponse().read())
    connection.close()
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)


def slices(size: int) -> list[tuple[int, int, int]]:
    """(number, start, length) of each slice, as the extension cuts a file."""
    if size <= SLICE_SIZE:
        return [(1, 0, size)]
    return [
        (number, start, min(SLICE_SIZE, size - start))
        for number, start in enumerate(range(0, size, SLICE_SIZE), start=1)
    ]


def send_slice(url: str, token: str, upload_id: str, source: Path, piece: tuple[int, int, int]):
    number, start, length = piece
    size = source.stat().st_size
    end = min(start + SLICE_SIZE - 1, size)  # pybis' endByte: the file size for the last slice
    query = urlencode(
        {
            "filename": f"{upload_id}/{source.name}",
            "id": number,
            "startByte": start,
            "endByte": end,
            "emptyFolder": "False",
            "sessionID": token,
        }
    )
    connection = _connection(url)
    connection.putrequest("POST", f"{SESSION_WORKSPACE}?{query}")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    assert connection.sock is not None
    with source.open("rb") as handle:
        sent = connection.sock.sendfile(handle, start, length)
    reply = connection.getresponse()
    reply.read()
    connection.close()
    if reply.status != 200 or sent != length:
        raise RuntimeError(f"slice {number}: HTTP {reply.status}, {sent} of {length} bytes sent")


def upload(url: str, token: str, source: Path, collection: str) -> str:
    upload_id = str(uuid.uuid4())
    with ThreadPoolExecutor(PARALLEL_STREAMS) as pool:
        for done in [
            pool.submit(send_slice, url, token, upload_id, source, piece)
            for piece in slices(source.stat().st_size)
        ]:
            done.result()
    creation = {
        "@type": "dss.dto.dataset.create.UploadedDataSetCreation",
        "typeId": {
            "@type": "as.dto.entitytype.id.EntityTypePermId",
            "permId": "RAW_DATA",
            "entityKind": "DATA_SET",
        },
        "experimentId": {
            "@type": "as.dto.experiment.id.ExperimentIdentifier",
            "identifier": collection,
        },
        "properties": {},
        "parentIds": [],
        "uploadId": upload_id,
    }
    return json_rpc(url, DSS_V3, "createUploadedDataSet", [token, creation])["permId"]


def main() -> None:
    url, password, source, collection = sys.argv[1:5]
    token = json_rpc(url, AS_V3, "login", [USER, password])
    print("ready", flush=True)
    if not sys.stdin.readline():  # the benchmark ended (or failed) before saying go
        json_rpc(url, AS_V3, "logout", [token])
        sys.exit(1)
    started = time.perf_counter()
    perm_id = upload(url, token, Path(source), collection)
    seconds = time.perf_counter() - started
    json_rpc(url, AS_V3, "logout", [token])
    print(json.dumps({"seconds": seconds, "permId": perm_id}), flush=True)


if __name__ == "__main__":
    main()
