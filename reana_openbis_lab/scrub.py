"""The one secret scrubber: passwords and tokens out of every message, log line and URL we write.

Secrets are found three ways, in this order:
- by value: every REANA token this process has held (`known_secrets`), and the secrets a
  caller names (a connection's password, session token or personal access token);
- by place: the value after `access_token=`, `sessionID=`, `token=`, `password: ` and the
  like, in URLs, query strings (also percent-encoded) and `key: value` text;
- by shape: openBIS session tokens and personal access tokens, `<user>-<yymmddHHMMSSmmm>x<hex>`.

Values are replaced over the whole text first (plain replacement, linear), so that cutting can
never leave half of one; the patterns then run over a bounded part of it, and each runs in
linear time (no nested or overlapping quantifiers), so hostile text costs bounded work.
Messages keep their head (`scrub`, `Scrubber`); log text keeps its end, where a traceback's
exception is (`scrub_text`).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
#: Text is cut to this many characters before the patterns run, bounding every message.
SCRUB_WINDOW = 4096
#: A message for a user (a failed call's explanation) is cut to this many characters.
MAX_MESSAGE = 400
#: Log text (a record and its traceback) keeps this many characters, from its end.
MAX_LOG_CHARS = 16_000
#: A single log line longer than this (a dumped request body) is cut.
MAX_LINE_CHARS = 2_000

#: The value after a name that says "secret": `sessionID=...`, `access_token%3D...`,
#: `password: ...`, up to the next delimiter. A literal, then one unbounded class: linear.
SECRET_VALUE = re.compile(
    r"(sessionid|sessiontoken|access_token|token|password|passwd|secret)(=|%3d|: ?)[^&\s'\"<>,;]+",
    re.IGNORECASE,
)
#: openBIS session tokens and PATs: `<user>-<yymmddHHMMSSmmm>x<hex>` (PATs prefixed `$pat-`).
#: Every quantifier is bounded and the user part cannot contain the `-` that follows it, so
#: matching costs at most a few hundred steps per character (no backtracking blow-up).
OPENBIS_TOKEN = re.compile(r"(?:\$pat-)?[^\s'\"/-]{0,64}-\d{6,20}x[0-9A-Za-z]{8,128}")

#: Shortest secret a caller names that is replaced (in the one text it scrubs): shorter ones
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


def _without_values(text: str, extra: Iterable[str | None]) -> str:
    named = sorted({s for s in extra if s and len(s) >= MIN_MESSAGE_SECRET}, key=len, reverse=True)
    for secret in (*named, *known_secrets):
        text = text.replace(secret, MASK)
    return text


def _without_patterns(text: str) -> str:
    text = SECRET_VALUE.sub(rf"\1\2{MASK}", text)
    return OPENBIS_TOKEN.sub(MASK, text)


def scrub(text: object, extra: Iterable[str | None] = (), limit: int = SCRUB_WINDOW) -> str:
    """`text` as a string of at most about `limit` characters (its head), every secret masked;
    `extra` names secrets to replace besides the known ones."""
    return _without_patterns(cut(_without_values(str(text), extra), limit))


class Scrubber:
    """`scrub` with a connection's secrets bound, for messages shown to users (at most
    `max_length` characters)."""

    def __init__(self, secrets: Iterable[str | None] = (), max_length: int = MAX_MESSAGE):
        self.secrets = tuple(s for s in secrets if s)
        self.max_length = max_length

    def __call__(self, text: str) -> str:
        text = scrub(text, self.secrets)
        return text if len(text) <= self.max_length else text[: self.max_length] + "..."


def scrub_text(text: str) -> str:
    """Log text (a message and its traceback): its end kept, overlong lines cut, secrets masked."""
    text = _without_values(text, ())
    if len(text) > MAX_LOG_CHARS:
        text = "...\n" + text[-MAX_LOG_CHARS:]
    lines = [
        line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + "..."
        for line in text.split("\n")
    ]
    return _without_patterns("\n".join(lines))


def display_url(url: str) -> str:
    """scheme://host[:port]/path of a URL: no query (token), no user info, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
