"""Explain the failures of openBIS calls, in words a user can act on and without secrets.

Failures become domain errors whose messages never contain a secret: pybis puts server
messages, URLs and sometimes the whole request into its exceptions, so everything is
passed through `Scrubber` before it reaches a user or a log (`in_worker` does it in the
lab worker, before an error leaves for the server).
"""

from __future__ import annotations

import logging
import re
import ssl
from collections.abc import Iterable

import requests

from ..errors import (
    LabError,
    LoginRequired,
    NotFound,
    PermissionDenied,
    UpstreamError,
    UpstreamTimeout,
)
from ..reana.scrub import MIN_MESSAGE_SECRET

log = logging.getLogger(__name__)

#: Text is cut to this many characters before any pattern runs over it, so that no message
#: (however long openBIS or a request made it) costs more than a bounded amount of work.
SCRUB_WINDOW = 4096
#: openBIS session tokens and PATs: `<user>-<yymmddHHMMSSmmm>x<hex>` (PATs prefixed `$pat-`).
#: Every quantifier is bounded and the user part cannot contain the `-` that follows it, so
#: matching costs at most a few hundred steps per character (no backtracking blow-up).
TOKEN_SHAPE = re.compile(r"(?:\$pat-)?[^\s'\"/-]{0,64}-\d{6,20}x[0-9A-Za-z]{8,128}")
#: A `sessionID=...` query parameter in URLs pybis builds for downloads.
SESSION_PARAM = re.compile(r"(sessionID|sessionToken|token)=[^&\s'\"]+", re.IGNORECASE)
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
MAX_MESSAGE = 400
#: Shorter secrets are not replaced: that would blank out ordinary words of every message.
MIN_SECRET = MIN_MESSAGE_SECRET


def cut(text: str, limit: int = SCRUB_WINDOW) -> str:
    """`text` shortened to `limit` characters, without a word cut in half at the end.

    A token cut in two no longer has the shape the patterns look for, so the partial last
    word (tokens never contain whitespace) goes too.
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    words = head.rsplit(maxsplit=1)
    return (words[0] if len(words) == 2 else "") + "..."


class Scrubber:
    """Removes known secrets and anything shaped like an openBIS token from text."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        self.secrets = sorted(
            {s for s in secrets if s and len(s) >= MIN_SECRET}, key=len, reverse=True
        )

    def __call__(self, text: str) -> str:
        # Known secrets first, over the whole text (plain replacement is linear), so that
        # cutting can never leave half of one behind; then the patterns over a bounded head.
        for secret in self.secrets:
            text = text.replace(secret, "***")
        text = cut(text)
        text = SESSION_PARAM.sub(r"\1=***", text)
        text = TOKEN_SHAPE.sub("***", text)
        if len(text) > MAX_MESSAGE:
            text = text[:MAX_MESSAGE] + "..."
        return text


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
