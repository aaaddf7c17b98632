"""Explain the failures of openBIS calls, in words a user can act on and without secrets.

Failures become domain errors whose messages never contain a secret: pybis puts server
messages, URLs and sometimes the whole request into its exceptions, so everything is
passed through the shared `scrub.Scrubber` before it reaches a user or a log (`in_worker`
does it in the lab worker, before an error leaves for the server).
"""

from __future__ import annotations

import logging
import re
import ssl

import requests

from ..errors import (
    LabError,
    LoginRequired,
    NotFound,
    PermissionDenied,
    UpstreamError,
    UpstreamTimeout,
)
from ..scrub import Scrubber, cut

log = logging.getLogger(__name__)

#: openBIS phrases that mean "this session is no longer valid".
SESSION_GONE = re.compile(
    r"session (?:token )?.{0,100}?(?:invalid|expired|not logged in|no longer (?:valid|available))|"
    r"not logged in|session expired|invalid session|user is not logged|please log ?in again",
    re.IGNORECASE,
)
#: openBIS phrases that mean "you may not do this".
ACCESS_DENIED = re.compile(
    r"authori[sz]ation failure|access denied|not authori[sz]ed|does not have access", re.IGNORECASE
)
#: How pybis reports a non-2xx HTTP answer to its JSON-RPC call, followed by ". <status>:<reason>".
POST_FAILED = "general error while performing post request"
#: Statuses meaning "there is no openBIS API at this URL" (another server, or a wrong path).
NO_OPENBIS_API = ("404", "405", "501")
#: openBIS phrases that mean "there is no such thing".
NOT_FOUND = re.compile(r"\bno such\b|\bnot (?:been )?found\b|does not exist", re.IGNORECASE)


def is_session_gone(exc: BaseException) -> bool:
    # openBIS says it in the first words; a shorter window keeps the phrase search cheap.
    return isinstance(exc, ValueError) and bool(SESSION_GONE.search(cut(str(exc), 1024)))


def translate(exc: BaseException, *, server: str, scrub: Scrubber) -> LabError:
    """Map what pybis/requests raised to a domain error a user can act on."""
    if isinstance(exc, LabError):
        exc.message = scrub(exc.message)
        return exc
    if isinstance(exc, (requests.exceptions.SSLError, ssl.SSLError)):
        return UpstreamError(
            f"The TLS certificate of {server} could not be verified. If this server uses a "
            "self-signed certificate, turn off certificate verification for this connection.",
            code="certificate_error",
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return UpstreamTimeout(f"{server} did not answer in time", code="upstream_timeout")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return UpstreamError(
            f"Could not reach {server}: check the URL and the network", code="unreachable"
        )
    if isinstance(exc, requests.exceptions.JSONDecodeError):
        return UpstreamError(f"{server} sent a reply that is not JSON", code="upstream_error")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return UpstreamError(
            f"{server} closed the connection in the middle of its answer", code="upstream_error"
        )
    if isinstance(exc, requests.exceptions.RequestException):
        return UpstreamError(
            f"The request to {server} failed ({type(exc).__name__})", code="upstream_error"
        )
    if isinstance(exc, ValueError):
        message = scrub(str(exc))
        if is_session_gone(exc):
            return LoginRequired(
                f"The openBIS session on {server} has expired: log in again",
                code="login_required",
            )
        if ACCESS_DENIED.search(message):
            return PermissionDenied(f"openBIS refused access: {message}", code="forbidden")
        if message.startswith(POST_FAILED):  # an HTTP status, not an openBIS answer
            status = message[len(POST_FAILED) :].strip(" .:")
            if status.startswith(NO_OPENBIS_API):
                return UpstreamError(
                    f"{server} does not answer like an openBIS server (HTTP {status} from its"
                    " API): check the connection's URL",
                    code="not_openbis",
                )
            return UpstreamError(
                f"{server} answered with an HTTP error ({status})", code="upstream_error"
            )
        if NOT_FOUND.search(message):
            return NotFound(f"openBIS: {message}")
        return UpstreamError(f"openBIS reported an error: {message}", code="upstream_error")
    log.warning("Unexpected %s from an openBIS call to %s", type(exc).__name__, server)
    return UpstreamError(
        f"{server} sent an answer this extension does not understand ({type(exc).__name__})",
        code="upstream_error",
    )
