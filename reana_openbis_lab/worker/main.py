"""The lab worker process: pybis and every transfer's bytes, away from the Jupyter server.

Started by `worker.client.LabWorker` as `python -m reana_openbis_lab.worker`, with the
server's own Python. It reads calls from stdin and runs each in a thread of its own;
answers, progress, events and log records go back on a private copy of stdout (frames of
`worker.protocol`). Whatever a library prints (pybis prints whole requests, session token
included, when openBIS answers with an error) goes to /dev/null: fd 1 is not the protocol.

This process is the extension's own, so it configures itself for its work: the loggers
of the HTTP stack stay quiet below WARNING (their DEBUG lines hold URLs with session
tokens), a data store whose certificate the user chose not to check does not warn on
every request, and transfer threads run at a lower priority than the server's.

When its stdin ends (the server stopped, with or without its shutdown hooks, or was
killed), the worker cancels every call, waits a little for them to clean up after
themselves, removes whatever staging is still in its journal, unmounts the server's mounts
(`guards`) and exits. If it is killed itself, its journal (`leftovers`) says what the
server or the next transfer into the same folder has to remove.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from .. import diagnostics, leftovers
from . import guards, protocol
from .context import PROGRESS_INTERVAL, WorkContext

log = logging.getLogger("reana_openbis_lab.worker")

#: Seconds running calls get to stop and clean up when the server goes away.
SHUTDOWN_GRACE = 5.0
#: Loggers whose records carry URLs with tokens; kept at WARNING in this process.
QUIET_LOGGERS = ("urllib3", "requests", "pybis")


class FrameWriter:
    """One writer for all threads: frames never interleave."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self.broken = False

    def send(self, message: tuple[Any, ...]) -> None:
        frame = protocol.encode(message)
        with self._lock:
            if self.broken:
                return
            try:
                self._stream.write(frame)
                self._stream.flush()
            except (BrokenPipeError, OSError, ValueError):
                self.broken = True  # the server is gone: the reader sees the end too


class ForwardToServer(logging.Handler):
    """Log records of this process travel to the server, which logs them as its own."""

    def __init__(self, writer: FrameWriter) -> None:
        super().__init__()
        self._writer = writer

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                text = f"{text}\n{diagnostics.format_scrubbed(record.exc_info[1]).rstrip()}"
            self._writer.send(("log", record.levelno, record.name, diagnostics.scrub_text(text)))
        except Exception:
            self.handleError(record)


class Calls:
    """The calls running now, each in its own thread."""

    def __init__(self, writer: FrameWriter, journal: leftovers.Journal | None) -> None:
        self._writer = writer
        self._journal = journal
        self._lock = threading.Lock()
        self._running: dict[int, tuple[WorkContext, threading.Thread]] = {}

    def start(self, call_id: int, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        context = WorkContext(call_id, self._writer.send, self._journal)
        thread = threading.Thread(
            target=self._run,
            args=(context, fn, args, kwargs),
            name=f"call-{call_id}-{getattr(fn, '__name__', 'fn')}",
            daemon=True,
        )
        with self._lock:
            self._running[call_id] = (context, thread)
        thread.start()

    def cancel(self, call_id: int) -> None:
        with self._lock:
            running = self._running.get(call_id)
        if running is not None:
            running[0].cancel()

    def cancel_all(self) -> list[threading.Thread]:
        with self._lock:
            running = list(self._running.values())
        for context, _ in running:
            context.cancel()
        return [thread for _, thread in running]

    def flush_progress(self) -> None:
        with self._lock:
            contexts = [context for context, _ in self._running.values()]
        for context in contexts:
            context.progress.flush()

    def _run(self, context: WorkContext, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        try:
            result = fn(context, *args, **kwargs)
        except BaseException as exc:  # every failure is answered; the thread ends either way
            if protocol.encode_error(exc)[0] == "internal":
                log.error(
                    "Unexpected error in %s",
                    getattr(fn, "__qualname__", fn),
                    exc_info=(type(exc), exc, exc.__traceback__),
                )
            answer: tuple[Any, ...] = ("failed", context.call_id, protocol.encode_error(exc))
        else:
            answer = ("done", context.call_id, result)
        finally:
            context.close()
            with self._lock:
                self._running.pop(context.call_id, None)
        try:
            self._writer.send(answer)
        except protocol.ProtocolError as exc:  # an answer too large or not picklable
            log.error("The answer of %s could not be sent: %s", getattr(fn, "__name__", fn), exc)
            self._writer.send(("failed", context.call_id, ("internal", type(exc).__name__)))


def open_protocol_channel() -> IO[bytes]:
    """Keep fd 1 for the protocol only; whatever else writes to fd 1 goes to /dev/null."""
    channel = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    return channel


def configure(writer: FrameWriter, level: int) -> None:
    root = logging.getLogger()
    root.handlers[:] = [ForwardToServer(writer)]
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    logging.captureWarnings(True)
    # The user chose not to verify that server's certificate: the UI shows that choice.
    warnings.filterwarnings("ignore", message="Unverified HTTPS request")


def flush_periodically(calls: Calls, stop: threading.Event) -> None:
    while not stop.wait(PROGRESS_INTERVAL):
        calls.flush_progress()


def serve(source: IO[bytes], writer: FrameWriter, journal: leftovers.Journal | None) -> None:
    """Read frames until the server goes away, then shut down."""
    calls = Calls(writer, journal)
    stop = threading.Event()
    threading.Thread(
        target=flush_periodically, args=(calls, stop), name="progress", daemon=True
    ).start()
    writer.send(("ready", {"pid": os.getpid()}))
    try:
        while True:
            message = protocol.read_frame(source)
            if message is None:
                break
            kind = message[0]
            if kind == "call":
                _, call_id, fn, args, kwargs = message
                calls.start(call_id, fn, args, kwargs)
            elif kind == "cancel":
                calls.cancel(message[1])
            elif kind == "guard":
                _, what, path, on = message
                guards.GUARDS.set(what, path, on)
            else:
                log.warning("Unknown message %r from the server", kind)
    except protocol.ProtocolError as exc:
        log.error("The server wrote something unreadable (%s): stopping", exc)
    finally:
        stop.set()
        shut_down(calls, journal)


def shut_down(calls: Calls, journal: leftovers.Journal | None) -> None:
    """Cancel every call, give them SHUTDOWN_GRACE to clean up, remove the staging they
    could not, unmount the server's mounts."""
    threads = calls.cancel_all()
    deadline = time.monotonic() + SHUTDOWN_GRACE
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if journal is not None:
        for entry in journal.held():
            if entry.kind == leftovers.STAGING:
                leftovers.staging_entry_removed(entry)
                journal.remove(entry.kind, entry.path)
        journal.close()
    guards.GUARDS.undo_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reana_openbis_lab.worker")
    parser.add_argument("--log-level", type=int, default=logging.INFO)
    parser.add_argument("--data-dir", type=Path, help="where its journal lives (`leftovers`)")
    args = parser.parse_args(argv)
    channel = open_protocol_channel()
    writer = FrameWriter(channel)
    configure(writer, args.log_level)
    journal = leftovers.Journal.open(args.data_dir) if args.data_dir else None
    serve(sys.stdin.buffer, writer, journal)
    logging.shutdown()
    # Daemon threads may still be blocked on a socket: nothing of theirs needs to finish.
    os._exit(0)
