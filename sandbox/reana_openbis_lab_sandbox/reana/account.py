"""The sandbox user's account as reana-server keeps it: quota, retention period, secrets.

Defaults follow a REANA deployment left as installed: no quota limits (`/api/you` reports
usage only), no maximum retention ("forever": no default rule), no secrets. The CLI and the
test control route (`/__sandbox__/reana/account`) set limits and a retention period, so the
refusals and rules REANA then applies can be seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .model import human_size

#: reana-server's REANA_QUOTAS_DOCS_URL, quoted in its refusals.
QUOTAS_DOCS_URL = "https://docs.reana.io/advanced-usage/user-quotas"
#: Where every rule applies when the spec names none (reana-server's default rule).
DEFAULT_RETENTION_RULE = "**/*"


class BadRetention(Exception):
    """A `workspace.retention_days` reana-server refuses (400 REANAValidationError)."""


def human_milliseconds(value: int) -> str:
    """reana-db's CPU time words: `1h 2m 3s`, `0s`."""
    seconds = abs(value) // 1000
    parts = [(seconds // 3600, "h"), ((seconds // 60) % 60, "m"), (seconds % 60, "s")]
    text = " ".join(f"{amount}{unit}" for amount, unit in parts if amount >= 1)
    return ("-" if value < 0 else "") + (text or "0s")


def _human_bytes(value: int) -> str:
    return "0 Bytes" if value == 0 else human_size(value)


def _health(usage: int, limit: int) -> str:
    """reana-db: warning from 80 % of the limit, critical from 100 %."""
    percentage = usage / limit * 100
    return "critical" if percentage >= 100 else "warning" if percentage >= 80 else "healthy"


@dataclass
class Account:
    #: Limits in REANA's units: CPU milliseconds, disk bytes; None: no limit set.
    cpu_limit: int | None = None
    disk_limit: int | None = None
    #: WORKSPACE_RETENTION_PERIOD in days; None: "forever".
    retention_days: int | None = None
    #: name -> (type, base64 value), as REANA's Kubernetes secret store keeps them.
    secrets: dict[str, tuple[str, str]] = field(default_factory=dict)

    def quota(self, cpu_ms: int, disk_bytes: int) -> dict[str, Any]:
        """`/api/you`'s quota: usage always, limit and health only where a limit is set."""
        quota: dict[str, Any] = {}
        for name, usage, limit, words in (
            ("cpu", cpu_ms, self.cpu_limit, human_milliseconds),
            ("disk", disk_bytes, self.disk_limit, _human_bytes),
        ):
            item: dict[str, Any] = {"usage": {"raw": usage, "human_readable": words(usage)}}
            if limit:
                item["limit"] = {"raw": limit, "human_readable": words(limit)}
                item["health"] = _health(usage, limit)
            quota[name] = item
        return quota

    def excess_message(self, cpu_ms: int, disk_bytes: int) -> str | None:
        """reana-server's refusal text when a limit is reached (`get_quota_excess_message`)."""
        lines = []
        for name, usage, limit, words in (
            ("cpu", cpu_ms, self.cpu_limit, human_milliseconds),
            ("disk", disk_bytes, self.disk_limit, _human_bytes),
        ):
            if limit and 0 < limit <= usage:
                percent = f"{usage / limit:.0%}"
                lines.append(
                    f"Resource: {name}, usage: {words(usage)} out of {words(limit)} used ({percent})"
                )
        if not lines:
            return None
        return "User quota exceeded.\n" + "\n".join(lines) + f"\nPlease see: {QUOTAS_DOCS_URL}"

    def disk_excess_message(self, disk_bytes: int, adding: int, action: str) -> str | None:
        """The upload's own check (`prevent_disk_quota_excess`)."""
        if self.disk_limit and 0 < self.disk_limit < disk_bytes + adding:
            return (
                f"{action} would exceed the disk quota limit ({_human_bytes(self.disk_limit)}). "
                f"Aborting. Please see: {QUOTAS_DOCS_URL}"
            )
        return None

    def retention_rules(self, specification: dict[str, Any]) -> list[tuple[str, int]]:
        """`(pattern, days)` for a new run, checked as reana-server checks them, plus the
        default rule for every file when a retention period is set."""
        workspace = specification.get("workspace")
        asked = workspace.get("retention_days") if isinstance(workspace, dict) else None
        rules: list[tuple[str, int]] = []
        for pattern, days in (asked or {}).items() if isinstance(asked, dict) else []:
            parts = PurePosixPath(str(pattern)).parts
            if str(pattern).startswith("/"):
                raise BadRetention(f"Retention rule {pattern} cannot be an absolute path")
            if not parts:
                raise BadRetention(f"Retention rule {pattern} cannot be empty")
            if ".." in parts:
                raise BadRetention(f"Retention rule {pattern} cannot contain '..'")
            if not isinstance(days, int) or isinstance(days, bool):
                raise BadRetention(f"Retention days of {pattern} must be an integer")
            if self.retention_days is not None and days >= self.retention_days:
                raise BadRetention(
                    "Maximum workflow retention period was reached. "
                    f"Please use less than {self.retention_days} days."
                )
            rules.append((str(pattern), days))
        if self.retention_days is not None and all(p != DEFAULT_RETENTION_RULE for p, _ in rules):
            rules.append((DEFAULT_RETENTION_RULE, self.retention_days))
        return rules

    def settings(self) -> dict[str, Any]:
        return {
            "cpuLimit": self.cpu_limit,
            "diskLimit": self.disk_limit,
            "retentionDays": self.retention_days,
        }
