"""The lab worker: results, progress, errors, cancel, deadlines and crashes of work that runs
in its own process, and what it inherits from the server (no secret)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from reana_openbis_lab.errors import NotFound
from reana_openbis_lab.jobs import Job, JobManager, JobState
from reana_openbis_lab.worker.client import LabWorker

from . import worker_tasks as tasks

#: The folder the tests' top-level package lives in: the worker imports `worker_tasks` from it.
TESTS_ROOT = Path(__file__).parents[len(__name__.split(".")) - 1]


@pytest.fixture(autouse=True)
def tasks_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(TESTS_ROOT), path])))


async def step_reached(job: Job, step: str) -> None:
    for _ in range(300):
        if job.step == step:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the job never reached {step!r}")


@contextlib.asynccontextmanager
async def running() -> AsyncIterator[LabWorker]:
    """A worker for one test, stopped at its end whatever happened (pytest-jupyter runs
    async tests, not async fixtures)."""
    worker = LabWorker()
    try:
        yield worker
    finally:
        await worker.stop()


async def test_a_jobs_work_reports_progress_and_returns_its_result() -> None:
    async with running() as worker:
        jobs = JobManager(worker=worker)

        async def work(progress):
            return await progress.in_worker(tasks.count_and_answer, 5, 1000)

        job = await jobs.wait(jobs.submit("test", "count", work).id)
        assert job.state is JobState.DONE, job.error
        assert job.result == {"pid": worker.pid, "files": 5}
        assert worker.pid != os.getpid()
        assert (job.bytes_done, job.bytes_total, job.files_done, job.files_total) == (
            5000,
            5000,
            5,
            5,
        )
        assert job.step == "counting"


async def test_errors_come_back_as_they_were_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running() as worker:
        # A domain error keeps its class, field and code
        with pytest.raises(NotFound) as caught:
            await worker.run(tasks.raise_not_found, "no dataset 'X'")
        assert (caught.value.message, caught.value.field) == ("no dataset 'X'", "permId")
        # A local disk failure is a local problem naming the place, in the root's words
        jobs = JobManager(worker=worker, root_dir=tmp_path)
        target = str(tmp_path / "data" / "x.bin")

        async def full(progress):
            await progress.in_worker(tasks.raise_disk_full, target)

        job = await jobs.wait(jobs.submit("test", "full", full).id)
        assert (job.state, job.error_code) == (JobState.FAILED, "local_disk_full")
        assert "data" in (job.error or "")
        # Anything else is internal, with the worker's traceback in the server log
        with caplog.at_level(logging.ERROR), pytest.raises(Exception) as unexpected:
            await worker.run(tasks.raise_unexpected)
        assert getattr(unexpected.value, "code", None) == "internal"
        assert "KeyError" in str(unexpected.value)
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "Traceback" in logged and "raise_unexpected" in logged


async def test_a_cancelled_job_ends_only_once_its_work_has_cleaned_up(tmp_path: Path) -> None:
    async with running() as worker:
        jobs = JobManager(worker=worker)
        marker = tmp_path / "marker"

        async def work(progress):
            await progress.in_worker(tasks.wait_for_cancel, str(marker), 60)

        job = jobs.submit("test", "wait", work)
        await step_reached(job, "waiting")
        jobs.cancel(job.id)
        done = await asyncio.wait_for(jobs.wait(job.id), 30)
        assert done.state is JobState.CANCELLED
        assert marker.read_text() == "cleaned up"


async def test_a_step_that_cannot_stop_halfway_completes_despite_a_cancel() -> None:
    async with running() as worker:
        jobs = JobManager(worker=worker)

        async def work(progress):
            return {"said": await progress.in_worker(tasks.stubborn, 1.0)}

        job = jobs.submit("test", "stubborn", work)
        await step_reached(job, "holding on")
        jobs.cancel(job.id)
        done = await asyncio.wait_for(jobs.wait(job.id), 30)
        assert (done.state, done.result) == (JobState.DONE, {"said": "completed"})


async def test_a_deadline_stops_waiting_and_stops_the_work(tmp_path: Path) -> None:
    async with running() as worker:
        marker = tmp_path / "marker"
        with pytest.raises(asyncio.TimeoutError):
            await worker.run(tasks.wait_for_cancel, str(marker), 60, timeout=0.5)
        for _ in range(100):
            if marker.exists():
                break
            await asyncio.sleep(0.1)
        assert marker.read_text() == "cleaned up"


async def test_a_crashed_worker_fails_its_jobs_clearly_and_a_new_one_takes_over(
    tmp_path: Path,
) -> None:
    async with running() as worker:
        # Given a job running in the worker
        jobs = JobManager(worker=worker)
        first = await worker.run(tasks.count_and_answer, 1, 1)

        async def waiting(progress):
            await progress.in_worker(tasks.wait_for_cancel, str(tmp_path / "marker"), 60)

        busy = jobs.submit("test", "waiting", waiting)
        await step_reached(busy, "waiting")
        # When the worker process dies
        with pytest.raises(Exception) as died:
            await worker.run(tasks.die, 9)
        # Then that call and the running job fail, saying what happened
        assert getattr(died.value, "code", None) == "worker_died"
        job = await asyncio.wait_for(jobs.wait(busy.id), 30)
        assert (job.state, job.error_code) == (JobState.FAILED, "worker_died")
        assert "stopped unexpectedly" in (job.error or "") and "try again" in (job.error or "")
        # And a new worker answers the next call
        again = await worker.run(tasks.count_and_answer, 1, 1)
        assert again["pid"] != first["pid"] and worker.starts >= 2


async def test_the_worker_gets_no_secret_of_the_servers_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with running() as worker:
        monkeypatch.setenv("LAB_OPENBIS_PASSWORD", "hunter2-secret")
        monkeypatch.setenv("REANA_ACCESS_TOKEN", "reana-secret")
        environment = await worker.run(tasks.environment)
        assert "hunter2-secret" not in environment.values()
        assert "reana-secret" not in environment.values()
        assert environment.get("PATH") == os.environ.get("PATH")


async def test_the_worker_exits_when_the_server_goes_away() -> None:
    async with running() as worker:
        # Given a running worker
        await worker.run(tasks.count_and_answer, 1, 1)
        proc = worker._proc
        assert proc is not None and proc.stdin is not None
        # When its stdin ends (what a killed server leaves it with)
        proc.stdin.close()
        # Then it exits by itself, promptly
        assert await asyncio.wait_for(proc.wait(), 15) == 0
