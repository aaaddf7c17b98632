"""Functions the lab worker tests run in the worker process (it imports them by name)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from reana_openbis_lab.errors import NotFound
from reana_openbis_lab.worker.context import WorkContext


def count_and_answer(context: WorkContext, files: int, chunk: int) -> dict[str, Any]:
    progress = context.progress
    progress.set_totals(bytes_total=files * chunk, files_total=files)
    progress.set_step("counting")
    for _ in range(files):
        progress.add_bytes(chunk)
        progress.file_done()
    return {"pid": os.getpid(), "files": files}


def raise_not_found(context: WorkContext, message: str) -> None:
    raise NotFound(message, field="permId", code="not_found")


def raise_disk_full(context: WorkContext, path: str) -> None:
    raise OSError(28, "No space left on device", path)


def raise_unexpected(context: WorkContext) -> None:
    raise KeyError("deep inside")


def wait_for_cancel(context: WorkContext, marker: str, seconds: float) -> None:
    """Block until cancelled; write `marker` on the way out (a cleanup that must finish)."""
    try:
        context.progress.set_step("waiting")
        context.cancel_event.wait(seconds)
        time.sleep(0.3)  # cleanup takes a moment: the caller must wait for it
        context.check_cancelled()
    finally:
        Path(marker).write_text("cleaned up")


def die(context: WorkContext, code: int) -> None:
    os._exit(code)


def environment(context: WorkContext) -> dict[str, str]:
    return dict(os.environ)


def stubborn(context: WorkContext, seconds: float) -> str:
    """Finishes its work although cancelled: a step that cannot be taken back halfway."""
    with context.uncancellable():
        context.progress.set_step("holding on")
        time.sleep(seconds)
    return "completed"
