"""Unexpected exceptions go to the server log with their traceback, and without secrets.

A traceback is what lets an administrator find the cause of "Unexpected error", but the
texts inside it come from pybis, requests and httpx, which put URLs with session tokens
(`sessionID=`, `access_token=`) into their exceptions. So every record goes through the
one scrubber's log form (`scrub.scrub_text`: bounded, its end kept, secrets masked).

Jobs log through `log_unexpected`, and so do our handlers' uncaught exceptions
(`handlers.base.ApiHandler.log_exception`, instead of tornado's `tornado.application`
logger: a filter there would scrub every other extension's records too).

The extension's own loggers (`reana_openbis_lab.*`) write through the Jupyter server's
logger (`attach_to`), so their lines carry its `[W 2026-01-01 12:00:00.000 name]` prefix,
go where its lines go and obey its --log-level; they are scrubbed on the way, too.
"""

from __future__ import annotations

import logging
import traceback

from .scrub import scrub_text


def format_scrubbed(exc: BaseException) -> str:
    return scrub_text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def log_unexpected(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """ERROR record: `what` (no secrets in it, please), then the scrubbed traceback."""
    logger.error("%s\n%s", what, format_scrubbed(exc).rstrip())


class ScrubbedTracebacks(logging.Filter):
    """Turns a record's message and traceback into scrubbed text before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: leave it to logging's own error reporting
            return True
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}\n{format_scrubbed(record.exc_info[1]).rstrip()}"
            record.exc_info = None
            record.exc_text = None
        record.msg = scrub_text(message)
        record.args = None
        return True


_FILTER = ScrubbedTracebacks()


#: The logger above every module of this package.
PACKAGE_LOGGER = __name__.rpartition(".")[0]


class _ScrubBeforeHandlers(logging.Handler):
    """Scrubs every record of the package in place (its filter) and writes nothing itself.

    A filter on a logger does not see records of its child loggers; one on a handler sees
    all that reach it. Handlers of a logger run before those of its parents, so the server's
    handlers (reached by propagation) only ever get the scrubbed record.
    """

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(_FILTER)

    def emit(self, record: logging.LogRecord) -> None:
        """Nothing to write: the server logger's handlers do that."""


def attach_to(server_log: logging.Logger) -> None:
    """Make the package logger a child of `server_log` (ServerApp.log), as jupyter_server
    does for tornado's loggers; idempotent, the last server wins (tests start many).

    Its effective level is then the server's (--log-level) while our modules set none, and
    its records go to the server's handlers with Jupyter's prefix; before, with no handler
    on the root logger, Python's last-resort handler printed our warnings bare.
    """
    package = logging.getLogger(PACKAGE_LOGGER)
    if not any(isinstance(h, _ScrubBeforeHandlers) for h in package.handlers):
        package.addHandler(_ScrubBeforeHandlers())
    package.parent = server_log
