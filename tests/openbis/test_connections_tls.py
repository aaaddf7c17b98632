"""HTTPS with a self-signed certificate: refused by default, accepted only when the user says so."""

from __future__ import annotations

import warnings

from urllib3.exceptions import InsecureRequestWarning

CONNECTION = "tls"
BASE = f"openbis/connections/{CONNECTION}"


def blanket_insecure_filters() -> list[tuple]:
    """Warning filters that silence InsecureRequestWarning for every host (what pybis installs)."""
    return [
        f
        for f in warnings.filters
        if f[0] == "ignore" and f[2] is InsecureRequestWarning and f[1] is None
    ]


async def test_a_self_signed_certificate_is_refused_unless_verification_is_off(
    api, rol_sandbox_tls
) -> None:
    # Given a connection to an HTTPS openBIS whose certificate no authority signed
    status, info = await api(
        "POST",
        "openbis/connections",
        {"name": CONNECTION, "url": rol_sandbox_tls.openbis_url, "username": "alice"},
    )
    assert (status, info["verifyCertificates"], info["insecureHttp"]) == (201, True, False)
    password = rol_sandbox_tls.openbis_users["alice"]
    # When alice logs in with certificate checks on (the default)
    status, body = await api("POST", f"{BASE}/login", {"password": password})
    # Then the login fails with a message that says what to do
    assert (status, body["code"]) == (502, "certificate_error")
    assert "certificate" in body["message"]
    # When she turns verification off for this connection, explicitly
    status, info = await api("PATCH", BASE, {"verifyCertificates": False})
    assert (status, info["verifyCertificates"]) == (200, False)
    before = blanket_insecure_filters()
    status, info = await api("POST", f"{BASE}/login", {"password": password})
    # Then she is connected, and urllib3's warnings were not muted for every other host
    assert (status, info["status"]) == (200, "connected")
    status, _ = await api("GET", f"{BASE}/spaces")
    assert status == 200
    assert blanket_insecure_filters() == before
