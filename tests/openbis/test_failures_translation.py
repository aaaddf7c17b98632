"""What pybis and requests raise becomes a domain error a user can act on, with no secret in it."""

from __future__ import annotations

import pytest
import requests

from reana_openbis_lab import errors
from reana_openbis_lab.openbis.calls import translate
from reana_openbis_lab.scrub import Scrubber

SERVER = "openBIS at https://openbis.example.org"
TOKEN = "alice-231122101112345x0123456789ABCDEF0123456789ABCDEF"


@pytest.mark.parametrize(
    ("raised", "expected", "code"),
    [
        (
            requests.exceptions.SSLError("cert verify failed"),
            errors.UpstreamError,
            "certificate_error",
        ),
        (requests.exceptions.ConnectionError("refused"), errors.UpstreamError, "unreachable"),
        (
            requests.exceptions.ReadTimeout("read timed out"),
            errors.UpstreamTimeout,
            "upstream_timeout",
        ),
        (requests.exceptions.ChunkedEncodingError("cut"), errors.UpstreamError, "upstream_error"),
        (
            ValueError("Session no longer available. Please login again."),
            errors.LoginRequired,
            "login_required",
        ),
        (
            ValueError(f"Session token '{TOKEN}' is invalid: user is not logged in."),
            errors.LoginRequired,
            "login_required",
        ),
        (
            ValueError("Authorization failure: ERROR: no access"),
            errors.PermissionDenied,
            "forbidden",
        ),
        (
            ValueError("Object with DataSetPermId = [X] has not been found."),
            errors.NotFound,
            "not_found",
        ),
        (
            ValueError("general error while performing post request. 404:Not Found"),
            errors.UpstreamError,
            "not_openbis",
        ),
        (
            ValueError("general error while performing post request. 500:Server Error"),
            errors.UpstreamError,
            "upstream_error",
        ),
        (KeyError("objects"), errors.UpstreamError, "upstream_error"),
    ],
)
def test_failures_map_to_domain_errors(raised: BaseException, expected: type, code: str) -> None:
    translated = translate(raised, server=SERVER, scrub=Scrubber([TOKEN]))
    assert type(translated) is expected
    assert translated.code == code
    assert TOKEN not in translated.message
    assert translated.message


def test_the_scrubber_removes_known_secrets_token_shapes_and_session_parameters() -> None:
    scrub = Scrubber(["hunter2-password", None, ""])
    text = (
        "login alice/hunter2-password failed; other token bob-240101000000000xDEADBEEF00; "
        "$pat-carol-240101000000000xCAFEBABE11 at https://dss/datastore_server/x?sessionID=abc-123&mode=1"
    )
    cleaned = scrub(text)
    for secret in ("hunter2-password", "bob-240101000000000xDEADBEEF00", "CAFEBABE11", "abc-123"):
        assert secret not in cleaned
    assert "mode=1" in cleaned
    assert len(scrub("x" * 5000)) < 500
