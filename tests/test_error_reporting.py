"""Errors name the right party and a stable code, and unexpected ones reach the server log.

Issue 8 §7: jobs never carry a Python class name as `errorCode`; an OSError of the local
disk is a `local_*` problem naming the path; anything unexpected is `internal` in the job
and logged with its traceback, secrets scrubbed. Unknown URLs under the extension's
prefix answer its JSON error.
"""

from __future__ import annotations

import errno
import logging
import time
from pathlib import Path

import pytest

from reana_openbis_lab import diagnostics, scrub
from reana_openbis_lab.errors import LocalProblem, UpstreamError
from reana_openbis_lab.jobs import JobManager, JobState
from reana_openbis_lab.paths import check_writable, local_problem
from tests.local_mounts import tmpfs

OPENBIS_TOKEN = "alice-251129093012345xA1B2C3D4E5F6"
SECRETS = (OPENBIS_TOKEN, "s3cr3t-access", "hunter2")


async def test_an_upstream_error_without_a_code_gets_its_class_default_not_its_name() -> None:
    manager = JobManager()

    async def work(progress):
        raise UpstreamError("REANA said no")

    job = await manager.wait(manager.submit("reana-run", "demo", work).id)
    assert (job.state, job.error_code) == (JobState.FAILED, "upstream_error")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (errno.EROFS, "local_read_only"),
        (errno.EACCES, "local_permission"),
        (errno.ENOSPC, "local_disk_full"),
        (errno.ENAMETOOLONG, "local_name_too_long"),
        (errno.EEXIST, "local_in_the_way"),
        (errno.EIO, "local_io"),
    ],
)
async def test_a_local_os_error_fails_the_job_as_a_local_problem_naming_the_path(
    tmp_path: Path, number: int, code: str
) -> None:
    manager = JobManager(root_dir=tmp_path)
    where = tmp_path / "results" / "run1.csv"

    async def work(progress):
        raise OSError(number, "refused", str(where))

    job = await manager.wait(manager.submit("reana-download", "demo", work).id)
    assert (job.state, job.error_code) == (JobState.FAILED, code)
    assert "'results/run1.csv'" in (job.error or "")
    assert str(tmp_path) not in (job.error or "")


async def test_an_unexpected_error_is_internal_and_logged_with_a_scrubbed_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    manager = JobManager()

    def deep_down() -> None:
        raise RuntimeError(
            f"GET https://dss/x?sessionID={OPENBIS_TOKEN}&access_token=s3cr3t-access"
            " password: hunter2"
        )

    async def work(progress):
        deep_down()

    with caplog.at_level(logging.ERROR, logger="reana_openbis_lab.jobs"):
        job = await manager.wait(manager.submit("openbis-upload", "demo", work).id)
    assert (job.state, job.error_code) == (JobState.FAILED, "internal")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert job.id in logged and "Traceback" in logged and "deep_down" in logged
    assert not [s for s in SECRETS if s in logged]


def test_scrubbing_a_traceback_masks_tokens_and_stays_linear_on_hostile_text() -> None:
    text = f"token {OPENBIS_TOKEN} and $pat-{OPENBIS_TOKEN} in ?access_token%3Ds3cr3t-access"
    scrubbed = scrub.scrub_text(text)
    assert not [s for s in SECRETS if s in scrubbed]
    for hostile in ("a-" * 500_000, "1" * 1_000_000, "token=" * 200_000, "-1234567x" * 100_000):
        started = time.perf_counter()
        scrub.scrub_text(hostile)
        assert time.perf_counter() - started < 5  # a hang guard; the speed lives in `make bench`


def test_the_tornado_filter_scrubs_a_handlers_traceback() -> None:
    record = logging.LogRecord(
        "tornado.application",
        logging.ERROR,
        __file__,
        1,
        "Uncaught %s",
        (f"GET /x?token={OPENBIS_TOKEN}",),
        None,
    )
    try:
        raise ValueError(f"sessionID={OPENBIS_TOKEN}")
    except ValueError as exc:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    diagnostics.ScrubbedTracebacks().filter(record)
    text = logging.Formatter().format(record)
    assert "Traceback" in text and OPENBIS_TOKEN not in text


async def test_a_handlers_uncaught_exception_is_logged_scrubbed_by_our_own_logger(
    api, jp_serverapp, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a route whose domain fails in a way nobody expected, with a token in the message
    service = jp_serverapp.web_app.settings["reana_openbis_lab"].openbis

    def broken() -> None:
        raise RuntimeError(f"GET https://dss/x?sessionID={OPENBIS_TOKEN}")

    monkeypatch.setattr(service, "list", broken)
    # When it is asked
    with caplog.at_level(logging.ERROR):
        status, body = await api("GET", "openbis/connections")
    # Then the answer is a 500 without details, and the server log has the traceback, scrubbed,
    # from the extension's logger (tornado's own logger is left to tornado)
    assert status == 500 and OPENBIS_TOKEN not in str(body)
    ours = [r for r in caplog.records if r.name.startswith("reana_openbis_lab")]
    assert any("Traceback" in r.getMessage() and "broken" in r.getMessage() for r in ours)
    assert not [r for r in caplog.records if OPENBIS_TOKEN in r.getMessage()]


def test_local_problem_names_the_destination_not_a_staging_folder(tmp_path: Path) -> None:
    staged = tmp_path / "data" / ".openbis-partial-x1y2" / "000003"
    problem = local_problem(OSError(errno.ENOSPC, "full"), tmp_path, staged)
    assert problem.code == "local_disk_full"
    assert "'data'" in problem.message and "partial" not in problem.message


def test_a_name_too_long_for_the_disk_is_named_as_such(tmp_path: Path) -> None:
    try:
        (tmp_path / ("x" * 300)).write_text("x")
    except OSError as exc:
        assert local_problem(exc, tmp_path).code == "local_name_too_long"
    else:
        pytest.fail("the file system took a 300-byte name")


def test_check_writable_refuses_a_read_only_folder_and_a_missing_one_below_it(
    tmp_path: Path,
) -> None:
    with tmpfs(tmp_path / "ro", read_only=True):
        for folder in (tmp_path / "ro", tmp_path / "ro" / "not" / "yet"):
            with pytest.raises(LocalProblem) as refused:
                check_writable(tmp_path, folder, field="destination")
            assert (refused.value.code, refused.value.field) == ("local_read_only", "destination")
            assert "'ro'" in refused.value.message


def test_check_writable_refuses_when_the_disk_has_too_little_room(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", size="1m"):
        check_writable(tmp_path, tmp_path / "small", field="destination", needed_bytes=1000)
        with pytest.raises(LocalProblem) as refused:
            check_writable(tmp_path, tmp_path / "small", field="destination", needed_bytes=10**7)
        assert refused.value.code == "local_disk_full"
        # In the panel's unit system, not 10000000 bare bytes.
        assert "9.5 MiB are needed" in refused.value.message
        assert list((tmp_path / "small").iterdir()) == []


async def test_unknown_urls_under_the_prefix_answer_the_json_error(api, jp_fetch) -> None:
    for method, path in (("GET", "no/such/route"), ("POST", "openbis/nope"), ("DELETE", "x")):
        status, body = await api(method, path)
        assert status == 404, (method, path, body)
        assert body["code"] == "unknown_route" and path in body["message"]


async def test_unknown_urls_need_authentication_too(http_server_client, jp_base_url) -> None:
    """Without a token the catch-all says nothing about which URLs exist."""
    response = await http_server_client.fetch(
        f"{jp_base_url}reana-openbis-lab/no/such/route", raise_error=False
    )
    assert response.code in (401, 403)


async def test_an_unexpected_exception_in_a_handler_is_a_json_500_and_a_scrubbed_log_traceback(
    api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a bug deep in the domain code that puts a session token into its message
    from reana_openbis_lab.openbis import transfer_jobs

    def broken(services, relative):
        raise RuntimeError(f"GET https://dss/x?sessionID={OPENBIS_TOKEN}")

    monkeypatch.setattr(transfer_jobs, "manifest_entries", broken)
    # When the route is called
    with caplog.at_level(logging.ERROR):
        status, body = await api("GET", "openbis/manifest")
    # Then the caller gets the extension's JSON 500 without details
    assert status == 500 and OPENBIS_TOKEN not in str(body)
    # And the server log has the traceback, without the token
    logged = "\n".join(logging.Formatter().format(r) for r in caplog.records)
    assert "Traceback" in logged and "RuntimeError" in logged and "broken" in logged
    assert OPENBIS_TOKEN not in logged
