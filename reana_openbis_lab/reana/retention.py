"""Workspace retention: which of a run's files REANA will delete, and when.

A run gets its rules at creation from the spec's `workspace.retention_days` (`{glob: days}`)
plus, when the server sets a maximum retention period, a default rule for every file (`**/*`)
with that period. A rule is `created` until the run ends, then `active` with `apply_on` (the
end of the day, `retention_days` after the run finished or failed); a restart makes the
previous run's rules `inactive`; REANA's cron job deletes the matching files and marks the
rule `applied`. Patterns match workspace paths as reana-commons' `workspace.glob` matches them:
wcmatch globs with `**` and dot files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from wcmatch import glob as wcglob

#: Rules whose files are still to be deleted (a created rule waits for the run's end).
PENDING = ("created", "active", "pending")
_FLAGS = wcglob.GLOBSTAR | wcglob.DOTGLOB


def rule_view(raw: dict[str, Any]) -> dict[str, Any]:
    days = raw.get("retention_days")
    apply_on = raw.get("apply_on")
    return {
        "pattern": str(raw.get("workspace_files") or ""),
        "days": days if isinstance(days, int) and not isinstance(days, bool) else None,
        "status": str(raw.get("status") or ""),
        "applyOn": apply_on if isinstance(apply_on, str) and apply_on else None,
    }


def _pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        include, exclude = wcglob.translate(pattern, flags=_FLAGS)
    except (ValueError, re.error):
        return None
    if len(include) != 1 or exclude:  # reana-commons refuses these patterns too
        return None
    try:
        return re.compile(include[0])
    except re.error:
        return None


def matcher(rules: list[dict[str, Any]]) -> Callable[[str], dict[str, Any] | None]:
    """For a workspace path, the rule that deletes it first (None: kept until the run is
    deleted). Active rules with a date come before those still waiting for the run's end."""
    compiled = [
        (rule, regex)
        for rule in rules
        if rule["status"] in PENDING and (regex := _pattern(rule["pattern"])) is not None
    ]
    compiled.sort(
        key=lambda pair: (
            pair[0]["applyOn"] is None,
            pair[0]["applyOn"] or "",
            pair[0]["days"] or 0,
        )
    )

    def first(path: str) -> dict[str, Any] | None:
        for rule, regex in compiled:
            if regex.match(path):
                return rule
        return None

    return first


def summary(raw_rules: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's rules and its expiry: the first date on which REANA deletes files of it
    (`expiresOn`), or, before the run has ended, how many days after its end it will."""
    rules = [rule_view(r) for r in raw_rules]
    pending = [r for r in rules if r["status"] in PENDING]
    dated = sorted(r["applyOn"] for r in pending if r["applyOn"])
    waiting = [r["days"] for r in pending if not r["applyOn"] and r["days"] is not None]
    return {
        "rules": rules,
        "expiresOn": dated[0] if dated else None,
        "expiresAfterDays": min(waiting) if waiting and not dated else None,
    }
