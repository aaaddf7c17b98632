"""Large uploads: REANA answers only after relaying the body to its workflow controller.

A 50 MiB upload to the real 0.9.4 server was reported failed ("did not answer within 30 s")
although REANA listed the file complete 40 s later. A sandbox whose answer waits in
proportion to the size (`--upload-relay`, seconds per MiB) shows the same with small files
and a short client timeout.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reana_openbis_lab.errors import UpstreamTimeout
from reana_openbis_lab.reana.client import ReanaClient
from reana_openbis_lab_sandbox.handle import Sandbox
from reana_openbis_lab_sandbox.process import SandboxProcess
from reana_openbis_lab_sandbox.reana.seed import demo_specification

#: Seconds per MiB the slow sandbox waits before answering an upload.
RELAY = 30.0


@pytest.fixture(scope="module")
def slow_reana(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    process = SandboxProcess(
        ["--only", "reana", "--upload-relay", str(RELAY)],
        workdir=tmp_path_factory.mktemp("slow-reana"),
    )
    state = process.start()
    try:
        yield Sandbox(state)
    finally:
        process.stop()


async def _run_and_file(
    sandbox: Sandbox, tmp_path: Path, size: int
) -> tuple[ReanaClient, str, Path]:
    client = ReanaClient(sandbox.reana_url or "", sandbox.reana_token, timeout=1.0)
    created = await client.create_workflow("slow", demo_specification("slow"))
    local = tmp_path / "big.bin"
    local.write_bytes(b"x" * size)
    return client, created["workflow_id"], local


def test_the_wait_for_the_answer_grows_with_the_size() -> None:
    # 50 MiB took up to 70 s after its last byte on a busy real server: the wait covers that
    client = ReanaClient("https://reana.example", "token", timeout=30.0)
    assert client.upload_timeout(50 * 2**20).read >= 70 + 30
    assert client.upload_timeout(0).read == 30
    assert client.upload_timeout(50 * 2**20).connect == 30


async def test_a_file_that_arrived_whole_is_a_success_even_without_an_answer(
    slow_reana: Sandbox, tmp_path: Path
):
    # Given a server that answers 7.5 s after the last byte of 256 KiB, longer than the
    # size-scaled wait (about 2 s here)
    client, workflow_id, local = await _run_and_file(slow_reana, tmp_path, 256 * 1024)
    try:
        # When the file is uploaded
        answer = await client.upload_file(workflow_id, "data/big.bin", local)
        # Then the workspace, looked at after the wait ran out, decides: the file is there
        assert "successfully" in answer["message"]
        items, _ = await client.list_workspace(workflow_id, search="data/big.bin")
        assert [(i["name"], i["size"]["raw"]) for i in items] == [("data/big.bin", 256 * 1024)]
    finally:
        await client.aclose()


async def test_a_file_that_did_not_arrive_still_fails(slow_reana: Sandbox, tmp_path: Path):
    # Given a server that never answers the upload and never stores it
    client, workflow_id, local = await _run_and_file(slow_reana, tmp_path, 1024)
    slow_reana.set_faults("reana", [{"path": "/workspace$", "http_method": "POST", "hang": True}])
    try:
        # When the file is uploaded, the timeout is reported after the workspace was checked
        with pytest.raises(UpstreamTimeout):
            await client.upload_file(workflow_id, "data/lost.bin", local)
    finally:
        slow_reana.clear_faults("reana")
        await client.aclose()
