"""What a test holds of a running sandbox: URLs, credentials and its control routes."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any

import httpx

from .faults import CONTROL_PREFIX


@dataclass
class Sandbox:
    state: dict[str, Any]
    ca_cert: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.ca_cert = self.state.get("ca_cert")

    @property
    def openbis_url(self) -> str | None:
        return (self.state.get("openbis") or {}).get("url")

    @property
    def reana_url(self) -> str | None:
        return (self.state.get("reana") or {}).get("url")

    @property
    def reana_token(self) -> str | None:
        return (self.state.get("reana") or {}).get("token")

    @property
    def openbis_users(self) -> dict[str, str]:
        return dict((self.state.get("openbis") or {}).get("users") or {})

    @property
    def openbis_pat(self) -> str | None:
        return (self.state.get("openbis") or {}).get("pat")

    @property
    def sftp_port(self) -> int | None:
        return (self.state.get("sftp") or {}).get("port")

    def servers(self) -> list[str]:
        return [name for name in ("openbis", "reana") if self.state.get(name)]

    # ---- control routes
    def set_faults(self, server: str, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._control(server, "POST", "/faults", {"rules": rules})["rules"]

    def clear_faults(self, server: str) -> None:
        self._control(server, "DELETE", "/faults")

    def set_reana_account(self, **settings: Any) -> dict[str, Any]:
        """REANA user settings: `cpuLimit` (ms), `diskLimit` (bytes), `retentionDays`; None lifts."""
        return self._control("reana", "POST", "/reana/account", settings)

    def reana_account(self) -> dict[str, Any]:
        """The settings and the stored secrets (values too: what REANA would mount in jobs)."""
        return self._control("reana", "GET", "/reana/account")

    def reset_reana_account(self) -> None:
        """No limits, no retention period, no secrets: a REANA as installed."""
        self._control("reana", "DELETE", "/reana/account")

    def expire_openbis_sessions(self) -> Any:
        return self._control("openbis", "POST", "/openbis/expire-sessions", {})

    def _control(self, server: str, method: str, path: str, body: Any = None) -> Any:
        base = (self.state.get(server) or {}).get("url")
        if not base:
            raise ValueError(f"this sandbox runs no {server!r} server (it has {self.servers()})")
        verify = ssl.create_default_context(cafile=self.ca_cert) if self.ca_cert else True
        response = httpx.request(
            method, f"{base}{CONTROL_PREFIX}{path}", json=body, verify=verify, timeout=30
        )
        response.raise_for_status()
        return response.json() if response.content else None
