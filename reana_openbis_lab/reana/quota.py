"""A REANA user's quota: the account's usage against its limits, and the refusal when used up.

`/api/you` reports `cpu` (milliseconds) and `disk` (bytes), each with `usage` and, only when
the administrators set one, `limit` and `health` (reana-db: `healthy` below 80 % of the
limit, `warning` from 80 %, `critical` from 100 %). A real REANA 0.9.4 without limits gives
usage only. When a limit is reached reana-server refuses create, start and upload with a 403
whose text is written for its command line ("User quota exceeded.\\nResource: disk, usage:
1 GiB out of 1 GiB used (100%)\\nPlease see: <docs>"); `refusal` turns that into a sentence
that names the resource, its usage and limit, and what the user can do.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import PermissionDenied

RESOURCES = ("cpu", "disk")
HEALTHS = ("healthy", "warning", "critical")
#: Where REANA explains quotas (reana-server's REANA_QUOTAS_DOCS_URL).
DOCS_URL = "https://docs.reana.io/advanced-usage/user-quotas"
#: reana-server's words for the two refusals (the check before an action, the upload's own).
_EXCEEDED = re.compile(r"quota exceeded|would exceed the disk quota", re.IGNORECASE)
_RESOURCE_LINE = re.compile(
    r"Resource:\s*(?P<resource>\w+),\s*usage:\s*(?P<usage>.+)$", re.MULTILINE
)
_OUT_OF = re.compile(r"^(?P<usage>.+?) out of (?P<limit>.+?) used \((?P<percent>[^)]*)\)$")
_DISK_LIMIT = re.compile(r"exceed the disk quota limit \((?P<limit>[^)]*)\)")
_NAMES = {"cpu": "CPU time", "disk": "disk space"}


def _measure(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    value = raw.get("raw")
    return {
        "raw": value if isinstance(value, (int, float)) and not isinstance(value, bool) else None,
        "humanReadable": raw.get("human_readable")
        if isinstance(raw.get("human_readable"), str)
        else None,
    }


def quota_view(raw: Any) -> dict[str, Any] | None:
    """`/api/you`'s quota in the UI's shape: per resource usage, limit (None: no limit) and
    health (None when REANA gives none), plus `percent` of the limit used."""
    if not isinstance(raw, dict):
        return None
    quota: dict[str, Any] = {}
    for resource in RESOURCES:
        item = raw.get(resource)
        if not isinstance(item, dict):
            continue
        usage, limit = _measure(item.get("usage")), _measure(item.get("limit"))
        if limit is not None and not limit["raw"]:
            limit = None  # REANA writes "no limit" as 0
        health = item.get("health") if item.get("health") in HEALTHS else None
        percent = None
        if usage and limit and usage["raw"] is not None and limit["raw"]:
            percent = round(usage["raw"] * 100 / limit["raw"], 1)
        quota[resource] = {"usage": usage, "limit": limit, "health": health, "percent": percent}
    return quota


def exhausted(quota: dict[str, Any] | None) -> list[str]:
    """The resources whose usage has reached their limit."""
    return [
        resource
        for resource, item in (quota or {}).items()
        if item.get("percent") is not None and item["percent"] >= 100
    ]


def describe(resource: str, usage: str | None, limit: str | None, percent: str | None) -> str:
    name = _NAMES.get(resource, resource)
    if usage and limit:
        return f"{name}: {usage} used of {limit}" + (f" ({percent})" if percent else "")
    if limit:
        return f"{name}: limit {limit}"
    return f"{name}: {usage} used" if usage else name


def advice(resource: str | None) -> str:
    if resource == "cpu":
        what = "ask the REANA administrators for more CPU time"
    else:
        what = (
            "delete runs you no longer need (Delete… in a run's view removes its workspace) "
            "or ask the REANA administrators for more"
        )
    return f"To go on, {what}; see {DOCS_URL}"


def refusal(
    where: str, what: str, message: str, quota: dict[str, Any] | None = None
) -> PermissionDenied | None:
    """The error for a quota refusal in REANA's `message`, or None if it is not one.

    `quota` (the account's last known quota, `quota_view`) fills in what REANA's words lack.
    """
    if not _EXCEEDED.search(message):
        return None
    parts: list[str] = []
    resources: list[str] = []
    for match in _RESOURCE_LINE.finditer(message):
        resources.append(match["resource"])
        text = match["usage"].strip()
        used = _OUT_OF.match(text)
        if used:
            parts.append(describe(match["resource"], used["usage"], used["limit"], used["percent"]))
        else:
            parts.append(describe(match["resource"], text.removesuffix(" used"), None, None))
    disk = _DISK_LIMIT.search(message)
    if disk and not parts:
        resources.append("disk")
        parts.append(f"{_NAMES['disk']}: this would go beyond the limit of {disk['limit']}")
    if not parts:
        for resource in exhausted(quota):
            item = (quota or {})[resource]
            resources.append(resource)
            parts.append(
                describe(
                    resource,
                    (item.get("usage") or {}).get("humanReadable"),
                    (item.get("limit") or {}).get("humanReadable"),
                    f"{item['percent']:g}%",
                )
            )
    shown = "; ".join(parts) if parts else "a resource limit was reached"
    single = resources[0] if len(set(resources)) == 1 else None
    return PermissionDenied(
        f"{where} refused to {what}: your quota is used up ({shown}). {advice(single)}",
        code="quota_exceeded",
    )
