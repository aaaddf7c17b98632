"""Keep REANA access tokens out of every message, log line and URL we show or write.

REANA takes the token as the `access_token` query parameter, so any URL of a request
carries it, and some exception texts hold URLs. Everything that leaves the client as text
goes through `scrub`. (httpx's own log lines never see the token: the client's transport
adds it after httpx logged the request; the lab worker keeps urllib3's below the level it
logs URLs at.)
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

#: `access_token=<value>` in a query string, however it is quoted or encoded. It starts with
#: a literal and ends with one unbounded class that nothing follows: linear time.
TOKEN_PARAMETER = re.compile(r"(access_token(?:%3D|=))[^&\s'\"<>]*", re.IGNORECASE)
MASK = "***"
#: Text is cut to this many characters before the pattern runs, bounding every message.
SCRUB_WINDOW = 4096


#: Shortest secret replaced inside the one message of a failed call (`extra`): shorter ones
#: would blank ordinary letters of it.
MIN_MESSAGE_SECRET = 3
#: Shortest token replaced wherever it appears in the process. The list is shared by every log line of the
#: process, so a token of one or a few characters would blank ordinary words everywhere (a
#: token `t` masked every "t"); a shorter one is still masked where it stands as a value
#: (`access_token=...`), and real REANA tokens are much longer.
MIN_KNOWN_SECRET = 8
#: Most tokens remembered (each update adds one); the oldest is forgotten beyond it, which
#: bounds the work every log record costs.
MAX_KNOWN_SECRETS = 256


class _KnownSecrets:
    """Every token this process has held (bounded); scrubbing replaces them wherever they
    appear.

    A replaced or deleted token stays masked: a request in flight may still carry it, and a
    token removed from this extension is still valid on its REANA server.
    """

    def __init__(self) -> None:
        self._secrets: OrderedDict[str, None] = OrderedDict()
        self._ordered: tuple[str, ...] = ()

    def add(self, secret: str) -> None:
        if len(secret) < MIN_KNOWN_SECRET:
            return
        self._secrets[secret] = None
        self._secrets.move_to_end(secret)
        while len(self._secrets) > MAX_KNOWN_SECRETS:
            self._secrets.popitem(last=False)
        # Longest first, so a token that contains another one is masked whole.
        self._ordered = tuple(sorted(self._secrets, key=len, reverse=True))

    def __iter__(self) -> Iterator[str]:
        return iter(self._ordered)


known_secrets = _KnownSecrets()


def scrub(text: object, extra: Iterable[str] = (), limit: int = SCRUB_WINDOW) -> str:
    """`text` as a string of at most about `limit` characters, every access token masked.

    Known tokens are replaced over the whole text first (plain replacement, linear), so
    cutting cannot leave half of one; the pattern then runs over the cut text only.
    """
    result = str(text)
    for secret in (*[s for s in extra if len(s) >= MIN_MESSAGE_SECRET], *known_secrets):
        result = result.replace(secret, MASK)
    if len(result) > limit:
        result = result[:limit] + "..."
    return TOKEN_PARAMETER.sub(rf"\1{MASK}", result)


def display_url(url: str) -> str:
    """scheme://host[:port]/path of a URL: no query (token), no user info, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
