"""Version handshake, and that no route answers without Jupyter authentication."""

from __future__ import annotations

import re

import pytest
from tornado.httpclient import HTTPClientError

from reana_openbis_lab import __version__
from reana_openbis_lab.tests.test_contract import registered_operations


async def test_info_reports_version_and_capabilities(api) -> None:
    status, body = await api("GET", "info")
    assert status == 200
    assert body["name"] == "reana_openbis_lab"
    assert body["version"] == __version__
    assert isinstance(body["capabilities"], dict)


async def test_every_route_requires_authentication(http_server_client, jp_base_url) -> None:
    """Given no token and no cookie, every verb of every route is refused before any work."""
    ops = sorted(registered_operations())
    assert ops, "no routes registered"
    for template, method in ops:
        path = re.sub(r"\{[^}]+\}", "0" * 32, template)
        url = f"{jp_base_url}reana-openbis-lab{path}"
        body = b"{}" if method in ("post", "put", "patch") else None
        with pytest.raises(HTTPClientError) as info:
            await http_server_client.fetch(
                url, method=method.upper(), body=body, allow_nonstandard_methods=True
            )
        assert info.value.code in (401, 403), f"{method.upper()} {path} answered {info.value.code}"


async def test_unknown_job_is_404_json(api) -> None:
    status, body = await api("GET", "jobs/" + "0" * 32)
    assert status == 404
    assert body["field"] == "job_id"
