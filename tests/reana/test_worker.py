"""The supervised reana-client worker: protocol, warm reuse, crashes, timeouts, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from reana_openbis_lab.errors import NotAvailable, UpstreamTimeout
from reana_openbis_lab.reana.environment import env_bin
from reana_openbis_lab.reana.supervisor import SpecWorker, WorkerFailed

from .spec_support import HELLOWORLD


@contextlib.asynccontextmanager
async def running(env: Path, request_timeout: float = 60.0) -> AsyncIterator[SpecWorker]:
    """A worker for one test, stopped at its end whatever happened."""
    worker = SpecWorker(env, request_timeout=request_timeout)
    try:
        yield worker
    finally:
        await worker.stop()


def helloworld(name: str) -> dict[str, str]:
    return {"path": str(HELLOWORLD / name), "workspace": str(HELLOWORLD)}


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_ping_reports_the_reana_client_version(reana_client_env: Path) -> None:
    async with running(reana_client_env) as worker:
        # When
        answer = await worker.request("ping")
        # Then
        assert answer["reanaClient"] == "0.9.6"
        assert worker.pid is not None


async def test_the_worker_stays_warm_between_requests(reana_client_env: Path) -> None:
    async with running(reana_client_env) as worker:
        # Given
        await worker.request("ping")
        pid = worker.pid
        for _ in range(3):
            # When
            verdict = await worker.request("validate", **helloworld("reana.yaml"))
            # Then
            assert verdict == {"verdict": "valid", "errors": [], "warnings": []}
        assert worker.pid == pid and worker.starts == 1


async def test_load_packs_cwl_exactly_like_the_cwltool_command(reana_client_env: Path) -> None:
    # Given what reana-commons gets from `cwltool --pack` (its own, subprocess, way)
    cwltool = env_bin(reana_client_env) / "cwltool"
    packed = subprocess.run(
        [str(cwltool), "--pack", "--quiet", "workflow/cwl/helloworld.cwl"],
        cwd=HELLOWORLD,
        capture_output=True,
        check=True,
    )
    async with running(reana_client_env) as worker:
        # When
        loaded = await worker.request("load", **helloworld("reana-cwl.yaml"))
    # Then
    specification = loaded["specification"]
    assert specification["workflow"]["specification"] == json.loads(packed.stdout)
    assert specification["inputs"]["parameters"]["sleeptime"] == 0


CWL_TOOLS = {
    # names an external schema, which cwltool parses into its cached schema loader
    "schemas": (
        "cwlVersion: v1.0\nclass: CommandLineTool\n$namespaces: {ex: 'http://example.org/ns#'}\n"
        "$schemas: [ext.ttl]\nbaseCommand: [echo]\ninputs:\n  f: {type: File, format: ex:fmt}\n"
        "outputs: []\n"
    ),
    "strict": (
        "cwlVersion: v1.0\nclass: CommandLineTool\nbaseCommand: [echo]\ninputs: []\n"
        "outputs: []\nfoo: 1\n"
    ),
    "v1.2": (
        "cwlVersion: v1.2\nclass: CommandLineTool\nbaseCommand: [echo]\ninputs:\n"
        "  x: {type: NoSuchType}\noutputs: []\n"
    ),
}


async def test_a_warm_worker_judges_cwl_like_a_fresh_one(
    reana_client_env: Path, tmp_path: Path
) -> None:
    # Given CWL tools in several versions, one valid, and one naming an external schema
    requests = []
    for name, tool in CWL_TOOLS.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "tool.cwl").write_text(tool)
        (tmp_path / name / "reana.yaml").write_text("workflow:\n  type: cwl\n  file: tool.cwl\n")
        requests.append(
            {"path": str(tmp_path / name / "reana.yaml"), "workspace": str(tmp_path / name)}
        )
    (tmp_path / "schemas" / "ext.ttl").write_text(
        "@prefix ex: <http://example.org/ns#> .\n"
        "ex:fmt a <http://www.w3.org/2000/01/rdf-schema#Class> .\n"
    )
    fresh = []
    for request in requests:
        async with running(reana_client_env) as worker:
            fresh.append(await worker.request("validate", **request))
    async with running(reana_client_env) as worker:
        # When one worker validates them all, twice, keeping cwltool's schemas between calls
        warm = [await worker.request("validate", **request) for request in requests * 2]
    # Then every verdict and message is the fresh process's
    assert warm == fresh * 2
    assert [answer["verdict"] for answer in fresh][1:] == ["invalid", "invalid"]
    assert fresh[0]["verdict"] != "invalid"
    assert "tool.cwl:6:1:" in fresh[1]["errors"][0]["message"]


async def test_load_sends_no_yadage_specification_like_reana_client(
    reana_client_env: Path,
) -> None:
    async with running(reana_client_env) as worker:
        # When
        loaded = await worker.request("load", **helloworld("reana-yadage.yaml"))
    # Then
    assert loaded["specification"]["workflow"]["type"] == "yadage"
    assert loaded["specification"]["workflow"]["specification"] is None


async def test_load_of_an_invalid_spec_answers_an_error_and_the_worker_lives_on(
    reana_client_env: Path, tmp_path: Path
) -> None:
    # Given
    (tmp_path / "reana.yaml").write_text("workflow:\n  type: nextflow\n")
    async with running(reana_client_env) as worker:
        # When
        with pytest.raises(WorkerFailed) as failure:
            await worker.request("load", path=str(tmp_path / "reana.yaml"), workspace=str(tmp_path))
        # Then
        assert failure.value.code == "spec_invalid"
        assert "nextflow" in failure.value.message
        assert (await worker.request("ping"))["reanaClient"] == "0.9.6"
        assert worker.starts == 1


async def test_a_worker_killed_mid_request_answers_with_an_error_and_restarts(
    reana_client_env: Path, tmp_path: Path
) -> None:
    async with running(reana_client_env) as worker:
        # Given a request that blocks inside the worker (it opens a FIFO nobody writes to)
        await worker.request("ping")
        first_pid = worker.pid
        fifo = tmp_path / "reana.yaml"
        os.mkfifo(fifo)
        pending = asyncio.ensure_future(
            worker.request("validate", path=str(fifo), workspace=str(tmp_path))
        )
        await asyncio.sleep(0.5)
        # When
        os.kill(first_pid, signal.SIGKILL)
        # Then
        with pytest.raises(WorkerFailed) as failure:
            await pending
        assert failure.value.code == "worker_died"
        assert (await worker.request("ping"))["reanaClient"] == "0.9.6"
        assert worker.pid not in (None, first_pid)


async def test_a_request_that_takes_too_long_is_stopped_with_a_timeout(
    reana_client_env: Path, tmp_path: Path
) -> None:
    async with running(reana_client_env, request_timeout=1.0) as worker:
        # Given a warm worker with a short limit and a request that never finishes
        await worker.request("ping", timeout=60)
        stuck_pid = worker.pid
        fifo = tmp_path / "reana.yaml"
        os.mkfifo(fifo)
        # When
        with pytest.raises(UpstreamTimeout) as failure:
            await worker.request("validate", path=str(fifo), workspace=str(tmp_path))
        # Then the stuck process is gone and a fresh one answers
        assert failure.value.code == "worker_timeout"
        assert (await worker.request("ping", timeout=60))["reanaClient"] == "0.9.6"
        assert worker.pid != stuck_pid
        assert gone(stuck_pid)


async def test_unknown_ops_and_bad_arguments_are_refused(reana_client_env: Path) -> None:
    async with running(reana_client_env) as worker:
        with pytest.raises(WorkerFailed, match="unknown op"):
            await worker.request("format-disk")
        with pytest.raises(WorkerFailed, match="must be strings"):
            await worker.request("validate", path=3, workspace=None)


async def test_the_worker_gets_no_secrets_from_the_server_environment(
    reana_client_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given
    monkeypatch.setenv("REANA_ACCESS_TOKEN", "sandbox-secret-token")
    monkeypatch.setenv("OPENBIS_PASSWORD", "sandbox-secret-password")
    async with running(reana_client_env) as worker:
        # When
        await worker.request("ping")
        # Then
        environ = Path(f"/proc/{worker.pid}/environ").read_bytes()
    assert b"sandbox-secret" not in environ
    assert b"REANA_ACCESS_TOKEN" not in environ


async def test_stop_ends_the_worker_process(reana_client_env: Path) -> None:
    # Given
    worker = SpecWorker(reana_client_env)
    await worker.request("ping")
    pid = worker.pid
    # When
    await worker.stop()
    # Then
    assert worker.pid is None
    assert gone(pid)


async def test_without_an_environment_requests_name_the_install_command(tmp_path: Path) -> None:
    # Given
    worker = SpecWorker(tmp_path / "no-env")
    # When
    with pytest.raises(NotAvailable) as failure:
        await worker.request("ping")
    # Then
    assert "jupyter reana-openbis-lab install-reana-client" in failure.value.message
    assert worker.info.to_json()["available"] is False


async def test_concurrent_requests_are_answered_one_at_a_time_each_with_its_own_answer(
    reana_client_env: Path,
) -> None:
    async with running(reana_client_env) as worker:
        # When several callers ask at once
        specs = ["reana.yaml", "reana-yadage.yaml", "reana-cwl.yaml", "reana.yaml"] * 2
        answers = await asyncio.gather(
            *(worker.request("load", **helloworld(spec)) for spec in specs)
        )
    # Then each got the answer for its own spec, from one warm process
    engines = [a["specification"]["workflow"]["type"] for a in answers]
    assert engines == ["serial", "yadage", "cwl", "serial"] * 2
    assert worker.starts == 1
