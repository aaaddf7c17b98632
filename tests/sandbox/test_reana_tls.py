"""The REANA sandbox over HTTPS: its certificate verifies against the written CA, and only against it."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest

from reana_openbis_lab_sandbox.handle import Sandbox

from .reana_client_cli import ReanaClient


def test_the_ca_file_verifies_the_certificate(rol_sandbox_tls: Sandbox) -> None:
    # Given
    trusted = ssl.create_default_context(cafile=rol_sandbox_tls.ca_cert)
    # When
    you = httpx.get(
        f"{rol_sandbox_tls.reana_url}/api/you",
        params={"access_token": rol_sandbox_tls.reana_token},
        verify=trusted,
    )
    # Then
    assert rol_sandbox_tls.reana_url.startswith("https://")
    assert you.status_code == 200


def test_default_verification_refuses_the_self_signed_certificate(rol_sandbox_tls: Sandbox) -> None:
    # When / Then
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"{rol_sandbox_tls.reana_url}/api/ping")


def test_reana_client_talks_https_to_the_sandbox(
    reana_client_env: Path, rol_sandbox_tls: Sandbox, tmp_path: Path
) -> None:
    # Given
    client = ReanaClient(reana_client_env, rol_sandbox_tls, tmp_path)
    # When
    output = client.ok("ping")
    # Then
    assert "Connected" in output
