"""HTTPS REANA servers: certificates are verified by default, and can be trusted or ignored."""

from __future__ import annotations

import asyncio
import io

import pytest

from reana_openbis_lab.errors import UpstreamError
from reana_openbis_lab.reana.service import ReanaService


async def test_an_untrusted_certificate_is_refused_with_a_clear_message(api, rol_sandbox_tls):
    # When a self-signed HTTPS server is added with certificate checks on (the default)
    status, body = await api(
        "POST",
        "reana/connections",
        {
            "name": "tls",
            "url": rol_sandbox_tls.reana_url,
            "accessToken": rol_sandbox_tls.reana_token,
        },
    )
    # Then it is a 502 that says what to do, and nothing is saved
    assert status == 502
    assert body["code"] == "tls_verify_failed"
    assert "certificate" in body["message"]
    _, listed = await api("GET", "reana/connections")
    assert listed["connections"] == []


async def test_certificate_checks_can_be_turned_off_per_connection(api, rol_sandbox_tls):
    status, body = await api(
        "POST",
        "reana/connections",
        {
            "name": "tls",
            "url": rol_sandbox_tls.reana_url,
            "accessToken": rol_sandbox_tls.reana_token,
            "verifyCertificates": False,
        },
    )
    assert status == 201
    assert body["verifyCertificates"] is False
    status, page = await api("GET", "reana/connections/tls/workflows")
    assert status == 200 and page["total"] > 0


async def test_a_configured_ca_bundle_makes_the_certificate_trusted(rol_sandbox_tls, tmp_path):
    # Given the service configured with the sandbox's CA (c.ReanaOpenbisLab.reana_ca_bundle)
    service = ReanaService(tmp_path, environ={}, ca_bundle=rol_sandbox_tls.ca_cert)
    try:
        service.add("tls", rol_sandbox_tls.reana_url, rol_sandbox_tls.reana_token)
        # When the token is checked with certificate verification on
        connection = await service.check("tls")
        # Then the TLS handshake and the check succeed
        assert connection.account["email"] == "alice@example.org"
    finally:
        await service.aclose()


async def test_workspace_downloads_check_certificates_like_every_other_call(
    rol_sandbox_tls, tmp_path
):
    # Given one service trusting the sandbox's CA and one trusting only the system's CAs
    trusting = ReanaService(tmp_path / "trusting", environ={}, ca_bundle=rol_sandbox_tls.ca_cert)
    default = ReanaService(tmp_path / "default", environ={})
    try:
        for service in (trusting, default):
            service.add("tls", rol_sandbox_tls.reana_url, rol_sandbox_tls.reana_token)
        # When each downloads a workspace file (a worker thread's own HTTPS connection)
        received = io.BytesIO()
        size = await trusting.client("tls").download_file("demo-finished.1", "reana.yaml", received)
        # Then the one trusting the CA gets the file, the other refuses the certificate
        assert size == len(received.getvalue()) > 0
        with pytest.raises(UpstreamError) as caught:
            await default.client("tls").download_file("demo-finished.1", "reana.yaml", io.BytesIO())
        assert caught.value.code == "tls_verify_failed"
    finally:
        await trusting.aclose()
        await default.aclose()


async def test_two_servers_at_once(api, rol_sandbox, rol_sandbox_tls):
    # Given two different REANA servers, one over HTTP and one over HTTPS
    plain = {"name": "plain", "url": rol_sandbox.reana_url, "accessToken": rol_sandbox.reana_token}
    secure = {
        "name": "secure",
        "url": rol_sandbox_tls.reana_url,
        "accessToken": rol_sandbox_tls.reana_token,
        "verifyCertificates": False,
    }
    assert (await api("POST", "reana/connections", plain))[0] == 201
    assert (await api("POST", "reana/connections", secure))[0] == 201
    # When both are listed at the same time
    (plain_status, plain_page), (secure_status, secure_page) = await asyncio.gather(
        api("GET", "reana/connections/plain/workflows"),
        api("GET", "reana/connections/secure/workflows"),
    )
    # Then each answer comes from its own server
    assert plain_status == secure_status == 200
    assert all(w["reanaUrl"].startswith(rol_sandbox.reana_url) for w in plain_page["items"])
    assert all(w["reanaUrl"].startswith(rol_sandbox_tls.reana_url) for w in secure_page["items"])
