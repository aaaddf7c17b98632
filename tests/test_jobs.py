"""JobManager: the state machine every transfer and workflow run relies on."""

from __future__ import annotations

import asyncio
import threading

from reana_openbis_lab.errors import InvalidInput
from reana_openbis_lab.jobs import JobManager, JobState


async def test_a_job_runs_in_the_background_and_reports_its_result() -> None:
    events = []
    manager = JobManager(lambda job: events.append(job.state))

    async def work(progress):
        progress.set_totals(bytes_total=10, files_total=1)
        progress.add_bytes(10)
        progress.file_done()
        return {"permId": "X"}

    job = manager.submit("openbis-download", "demo", work)
    assert job.state is JobState.QUEUED
    job = await manager.wait(job.id)
    assert job.state is JobState.DONE
    assert job.result == {"permId": "X"}
    assert (job.bytes_done, job.bytes_total, job.files_done) == (10, 10, 1)
    assert events[0] is JobState.QUEUED and events[-1] is JobState.DONE


async def test_a_domain_error_fails_the_job_with_its_message() -> None:
    manager = JobManager()

    async def work(progress):
        raise InvalidInput("no such collection", field="target")

    job = await manager.wait(manager.submit("openbis-upload", "demo", work).id)
    assert job.state is JobState.FAILED
    assert job.error == "no such collection"


async def test_an_unexpected_error_reports_its_type_not_its_arguments() -> None:
    manager = JobManager()

    async def work(progress):
        raise RuntimeError("https://server/?access_token=SECRET")

    job = await manager.wait(manager.submit("reana-run", "demo", work).id)
    assert job.state is JobState.FAILED
    assert "SECRET" not in job.error


async def test_cancel_reaches_work_running_in_a_thread() -> None:
    manager = JobManager()
    started = threading.Event()

    def blocking(progress):
        started.set()
        while True:
            progress.check_cancelled()
            progress.cancel_event.wait(0.01)

    async def work(progress):
        return await asyncio.to_thread(blocking, progress)

    job = manager.submit("openbis-download", "demo", work)
    await asyncio.to_thread(started.wait, 5)
    manager.cancel(job.id)
    job = await manager.wait(job.id)
    assert job.state is JobState.CANCELLED


async def test_progress_from_threads_is_coalesced_into_few_events() -> None:
    events = []
    manager = JobManager(lambda job: events.append(job.bytes_done))

    def blocking(progress):
        for _ in range(10_000):
            progress.add_bytes(1)

    async def work(progress):
        await asyncio.to_thread(blocking, progress)

    job = await manager.wait(manager.submit("openbis-download", "demo", work).id)
    await asyncio.sleep(0.3)
    assert job.bytes_done == 10_000
    assert len(events) < 100
    assert events[-1] == 10_000


async def test_jobs_beyond_the_limit_wait_queued() -> None:
    manager = JobManager(max_running=1)
    release = asyncio.Event()

    async def work(progress):
        await release.wait()

    first = manager.submit("reana-upload", "one", work)
    second = manager.submit("reana-upload", "two", work)
    await asyncio.sleep(0.05)
    assert (first.state, second.state) == (JobState.RUNNING, JobState.QUEUED)
    release.set()
    await manager.wait(second.id)
    assert second.state is JobState.DONE


async def test_job_changes_reach_the_event_bus_and_the_rest_api(jp_serverapp, api) -> None:
    """Given a listener on jupyter_server's event bus, when a job runs, it sees every state."""
    from reana_openbis_lab.app import JOB_EVENT_SCHEMA_ID

    seen = []

    async def listener(logger, schema_id, data):
        seen.append(data["state"])

    jp_serverapp.event_logger.add_listener(schema_id=JOB_EVENT_SCHEMA_ID, listener=listener)
    services = jp_serverapp.web_app.settings["reana_openbis_lab"]

    async def work(progress):
        return {"ok": True}

    job = services.jobs.submit("reana-run", "event test", work)
    await services.jobs.wait(job.id)
    await asyncio.sleep(0.05)
    assert seen[0] == "queued" and seen[-1] == "done"
    status, body = await api("GET", f"jobs/{job.id}")
    assert status == 200 and body["state"] == "done"
    status, body = await api("POST", f"jobs/{job.id}/cancel")
    assert status == 409


async def test_a_failing_event_listener_is_logged_and_changes_no_outcome(caplog) -> None:
    # Given a listener that always raises, with a secret-looking URL in its message
    def broken(job):
        raise RuntimeError("event bus down: http://x/?sessionID=admin-231129101010123xabcdef12")

    manager = JobManager(broken)

    async def work(progress):
        progress.add_bytes(3)
        return {"ok": True}

    async def fails(progress):
        raise InvalidInput("no such collection", field="target")

    # When jobs are submitted, run, succeed and fail
    done = await manager.wait(manager.submit("openbis-download", "demo", work).id)
    failed = await manager.wait(manager.submit("openbis-upload", "demo", fails).id)
    # Then each keeps its own outcome
    assert (done.state, done.result) == (JobState.DONE, {"ok": True})
    assert (failed.state, failed.error) == (JobState.FAILED, "no such collection")
    # And the listener's failure is in the log, with its traceback, scrubbed
    assert "The listener of job events failed" in caplog.text
    assert "Traceback" in caplog.text and "RuntimeError" in caplog.text
    assert "231129101010123xabcdef12" not in caplog.text
