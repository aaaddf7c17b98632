"""Every function that runs a pattern over user or upstream text finishes on 1 MB of hostile text.

Each call runs in a forked child with a wall-clock guard of many seconds: linear work takes
milliseconds, while the backtracking the openBIS token pattern used to do took minutes on
40 KB. The guard is not a speed target (those live in `make bench`); it only turns "never
returns" into a failure. Each test also checks what the function returns.
"""

from __future__ import annotations

import logging
import multiprocessing
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reana_openbis_lab import diagnostics, paths, scrub
from reana_openbis_lab.errors import InvalidInput, LabError
from reana_openbis_lab.handlers import contract
from reana_openbis_lab.openbis import browse, calls
from reana_openbis_lab.reana import workflows
from reana_openbis_lab.reana.validate import workflow_name
from reana_openbis_lab.requirements import environment

MB = 1_000_000
#: Seconds a child may take; linear work on 1 MB needs well under one.
GUARD = 30

#: Text shaped to make a backtracking pattern try every split: long runs of what a token's
#: user part, digits, separators and phrase prefixes are made of, never completing a match.
HOSTILE = {
    "letters": "a" * MB,
    "dash-letters": "a-" * (MB // 2),
    "dash-digits": "a-000000" * (MB // 8),
    "digits-no-x": "u-" + "1" * MB,
    "almost-token": ("b-240101000000000x" + "A" * 7 + "-") * (MB // 26),
    "session-words": "session " * (MB // 8),
    "session-token-words": "session token " * (MB // 14),
    "parameters": "sessionID=token=access_token=" * (MB // 29),
    "quotes": '"' * MB,
    "escapes": "\x1b[" * (MB // 2),
    "encoded-dots": "%2e" * (MB // 3),
    "slashes": "/a" * (MB // 2),
}


def _child(queue: Any, fn: Callable[[str], Any], text: str) -> None:
    try:
        queue.put(("ok", repr(fn(text))[:2000]))
    except LabError as exc:
        queue.put(("lab-error", f"{type(exc).__name__}: {exc.message[:2000]}"))
    except BaseException:
        queue.put(("crash", traceback.format_exc()[-2000:]))


def run_guarded(fn: Callable[[str], Any], text: str) -> tuple[str, str]:
    """(outcome, value) of fn(text) in a forked child; a child still busy after GUARD fails."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue, fn, text))
    child.start()
    try:
        outcome = queue.get(timeout=GUARD)
    except Exception:
        outcome = None
    child.join(5)
    if child.is_alive():
        child.kill()
        child.join()
    assert outcome is not None, f"{getattr(fn, '__name__', fn)} did not return within {GUARD} s"
    return outcome


def _scrubber(text: str) -> str:
    return scrub.Scrubber(["hunter2-password"])(text)


def _translate(text: str) -> str:
    return calls.translate(ValueError(text), server="openBIS", scrub=scrub.Scrubber()).message


def _session_gone(text: str) -> bool:
    return calls.is_session_gone(ValueError(text))


def _log_record(text: str) -> str:
    """What the extension's loggers (the server's and the lab worker's, which forwards its
    records) do to a record before any handler sees it."""
    record = logging.LogRecord(
        "reana_openbis_lab.worker", logging.DEBUG, __file__, 1, "%s", (text,), None
    )
    diagnostics.ScrubbedTracebacks().filter(record)
    return record.getMessage()


#: The one scrubber's forms: a connection's messages, an openBIS failure explained, any text,
#: one of the extension's log records, log text with its traceback.
SCRUBBERS: dict[str, Callable[[str], Any]] = {
    "scrubber": _scrubber,
    "openbis-translate": _translate,
    "scrub": scrub.scrub,
    "log-record": _log_record,
    "log-text": scrub.scrub_text,
}

CHECKS: dict[str, Callable[[str], Any]] = {
    "session-gone": _session_gone,
    "confine": lambda text: paths.confine(Path("/tmp"), text, field="path"),
    "openbis-code": browse.upper_code,
    "openbis-identifier": lambda text: browse.identifier(text, "project", 2),
    "openbis-object": lambda text: browse.entity_ref(text, "object"),
    "reana-run-name": lambda text: workflow_name(text, "a/reana.yaml"),
    "reana-run-number": workflows.split_run_name,
    "runtime": environment.check_runtime,
    "requirement-lines": lambda text: environment.check_requirement_lines([text]),
    "requirements-file-name": lambda text: environment.check_file_name(text, field="f"),
    "request-body": lambda text: contract.parse_body(('{"a": "' + text + '"}').encode()),
}


@pytest.mark.parametrize("shape", sorted(HOSTILE))
@pytest.mark.parametrize("name", sorted(SCRUBBERS))
def test_scrubbing_one_megabyte_returns_short_text(name: str, shape: str) -> None:
    outcome, value = run_guarded(SCRUBBERS[name], HOSTILE[shape])
    assert outcome == "ok", value
    assert len(value) < 20_000  # cut before any pattern ran: a bounded message or log line


@pytest.mark.parametrize("shape", sorted(HOSTILE))
@pytest.mark.parametrize("name", sorted(CHECKS))
def test_checks_on_one_megabyte_answer_without_crashing(name: str, shape: str) -> None:
    outcome, value = run_guarded(CHECKS[name], HOSTILE[shape])
    assert outcome in ("ok", "lab-error"), value


def test_the_scrubber_still_masks_tokens_after_the_bounds() -> None:
    scrubber = scrub.Scrubber(["hunter2-password"])
    text = "x" * 10_000 + " hunter2-password " + "jean-luc-240101000000000xDEADBEEF00 "
    assert "hunter2" not in scrubber(text)
    head = "see $pat-carol-240101000000000xCAFEBABE11 and bob-240101000000000xDEADBEEF00 "
    cleaned = scrubber(head + "y " * 3000)
    assert "CAFEBABE11" not in cleaned and "DEADBEEF00" not in cleaned
    assert len(cleaned) <= scrub.MAX_MESSAGE + 3


def test_a_token_cut_by_the_window_is_dropped_not_shown() -> None:
    """The window cuts inside a token: its head no longer matches, so the word goes."""
    token = "bob-240101000000000xDEADBEEF00112233"
    text = "w " * ((scrub.SCRUB_WINDOW - 10) // 2) + token
    assert "240101" not in scrub.cut(text)


def test_a_known_secret_longer_than_the_window_is_still_masked() -> None:
    secret = "s3cr3t" * 2000
    assert "s3cr3t" not in scrub.Scrubber([secret])(f"prefix {secret} suffix")
    assert "s3cr3t" not in scrub.scrub(f"prefix {secret} suffix", [secret])


def test_session_expiry_phrases_are_still_recognised() -> None:
    for phrase in (
        "Session token 'alice-240101000000000xABCDEF12' is invalid: user is not logged in.",
        "session no longer valid",
        "Invalid session",
    ):
        assert calls.is_session_gone(ValueError(phrase)), phrase
    assert not calls.is_session_gone(ValueError("session " * 100))


def test_nested_request_bodies_name_their_field() -> None:
    deep = '{"ok": 1, "paths": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(InvalidInput) as caught:
        contract.parse_body(deep.encode())
    assert caught.value.field == "paths"


def _first_schema_error(text: str) -> str:
    """A pattern that backtracks exponentially, behind a maxLength written after it."""
    schema = contract.to_json_schema(
        {"type": "string", "pattern": "^(a+)+$", "maxLength": 64}, document={}
    )
    error = next(contract.RequestValidator(schema).iter_errors(text))
    return str(error.validator)


def test_size_limits_are_checked_before_patterns_whatever_the_order_written() -> None:
    outcome, value = run_guarded(_first_schema_error, "a" * 50_000 + "!")
    assert (outcome, value) == ("ok", "'maxLength'")
