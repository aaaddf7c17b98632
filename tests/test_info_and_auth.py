"""Version handshake; authentication of every route is in hardening/test_auth.py."""

from __future__ import annotations

from reana_openbis_lab import __version__


async def test_info_reports_version_and_capabilities(api) -> None:
    status, body = await api("GET", "info")
    assert status == 200
    assert body["name"] == "reana_openbis_lab"
    assert body["version"] == __version__
    assert isinstance(body["capabilities"], dict)


async def test_unknown_job_is_404_json(api) -> None:
    status, body = await api("GET", "jobs/" + "0" * 32)
    assert status == 404
    assert body["field"] == "job_id"
