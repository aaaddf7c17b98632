"""Transfer threads: low priority for themselves only, and a cancel waits for them to stop."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

from reana_openbis_lab.jobs import JobCancelled
from reana_openbis_lab.transfer_threads import TRANSFER_NICENESS, run_in_own_thread


def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
async def test_the_work_runs_at_low_priority_and_the_event_loop_keeps_its_own() -> None:
    before = niceness()
    seen = await run_in_own_thread(niceness, lambda: None, "priority-check")
    assert seen >= TRANSFER_NICENESS
    assert niceness() == before


async def test_a_cancel_stops_the_work_and_returns_only_once_the_thread_has_ended() -> None:
    stopped, ended = threading.Event(), threading.Event()

    def work() -> None:
        stopped.wait(30)
        ended.set()
        raise JobCancelled()

    task = asyncio.ensure_future(run_in_own_thread(work, stopped.set, "cancel-check"))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(JobCancelled):
        await task
    assert ended.is_set()


async def test_the_result_and_the_failure_of_the_work_reach_the_caller() -> None:
    assert await run_in_own_thread(lambda: 42, lambda: None, "result") == 42
    with pytest.raises(ValueError, match="broken"):
        await run_in_own_thread(lambda: int("broken"), lambda: None, "failure")
