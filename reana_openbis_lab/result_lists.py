"""Lists in job results and job details stay small: the first names and a count.

Every open browser tab polls `GET /jobs` and receives every job change as an event, so a
job that moved 3,000 files must not carry 3,000 names (it made `GET /jobs` 138 KB). The
full list is the destination itself (a folder listing, a dataset's files, a workspace).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Names kept in one list of a job's result or details; `<key>Count` has the real number.
MAX_LISTED = 200


def capped(key: str, names: Sequence[Any], limit: int = MAX_LISTED) -> dict[str, Any]:
    """`{key: the first `limit` names, key + "Count": how many there are}`."""
    return {key: list(names[:limit]), f"{key}Count": len(names)}
