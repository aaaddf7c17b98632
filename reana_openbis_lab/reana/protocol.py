"""Which REANA protocol a server speaks, from what its `GET /api/ping` declares.

REANA 0.9 servers (and the public 0.95.0a6) answer the ping with `{"message", "status"}`
only; reana-server 0.95.0a7 (reana-commons 0.95.0a26's specification) adds
`reana_server_version` and `api_capabilities`. A server listing
`workflow-specification-bundles-v1` creates runs only from a multipart ZIP bundle,
validates bundles itself (`POST /api/workflows/validate`) and restarts with a replacement
specification (`POST .../restart`). Support is decided by the capability, never by
comparing version strings, as reana-client 0.95 does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The capability of servers that take specification bundles (reana-commons' constant).
BUNDLES = "workflow-specification-bundles-v1"


@dataclass(frozen=True)
class ServerApi:
    """What one server declared; `version` is None on servers that predate the negotiation."""

    version: str | None
    capabilities: tuple[str, ...]

    @property
    def bundles(self) -> bool:
        return BUNDLES in self.capabilities

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "capabilities": list(self.capabilities)}

    @classmethod
    def from_ping(cls, body: Any) -> ServerApi:
        """Read leniently: unknown or malformed fields mean "nothing declared"."""
        body = body if isinstance(body, dict) else {}
        version = body.get("reana_server_version")
        raw = body.get("api_capabilities")
        capabilities = tuple(c for c in raw if isinstance(c, str)) if isinstance(raw, list) else ()
        return cls(version if isinstance(version, str) else None, capabilities)
