"""Session tokens as openBIS issues them, with idle expiry and a switch to expire them all.

Tokens look like real ones (`alice-251122021500123x9F3A...`) because pybis derives the
user name from the part before the last dash. A personal access token is accepted as a
session token and survives `expire_all`, as openBIS PATs outlive login sessions.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone


class Sessions:
    def __init__(
        self,
        pats: dict[str, str],
        *,
        idle_timeout: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pats = dict(pats)  # token -> user id
        self._active: dict[str, tuple[str, float]] = {}  # token -> (user id, last use)
        self._idle_timeout = idle_timeout
        self._clock = clock
        self._lock = threading.Lock()

    def open(self, user_id: str) -> str:
        stamp = datetime.now(timezone.utc).strftime("%y%m%d%H%M%S%f")[:15]
        token = f"{user_id}-{stamp}x{secrets.token_hex(16).upper()}"
        with self._lock:
            self._active[token] = (user_id, self._clock())
        return token

    def user_of(self, token: object) -> str | None:
        """The user of a valid token (and mark it used), else None."""
        if not isinstance(token, str):
            return None
        if token in self._pats:
            return self._pats[token]
        with self._lock:
            entry = self._active.get(token)
            if entry is None:
                return None
            user_id, last_use = entry
            now = self._clock()
            if now - last_use > self._idle_timeout:
                del self._active[token]
                return None
            self._active[token] = (user_id, now)
            return user_id

    def is_personal_access_token(self, token: object) -> bool:
        return isinstance(token, str) and token in self._pats

    def close(self, token: object) -> None:
        with self._lock:
            if isinstance(token, str):
                self._active.pop(token, None)

    def expire_all(self) -> int:
        with self._lock:
            count = len(self._active)
            self._active.clear()
            return count
