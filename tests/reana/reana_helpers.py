"""Small shared steps of the REANA route tests (a module, not a conftest, so it is explicit)."""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from typing import Any

import yaml

from reana_openbis_lab_sandbox.handle import Sandbox

#: An access_token query parameter with any value but the mask.
UNMASKED_PARAMETER = re.compile(r"access_token(=|%3D)(?!\*\*\*)", re.IGNORECASE)


async def add_connection(
    api: Any, sandbox: Sandbox, name: str = "sandbox", token: str | None = None, **extra: Any
) -> tuple[int, Any]:
    body = {"name": name, "url": sandbox.reana_url, "accessToken": token or sandbox.reana_token}
    body.update(extra)
    return await api("POST", "reana/connections", body)


async def wait_for_job(api: Any, job_id: str) -> dict[str, Any]:
    """Poll the job route until the job is finished (the UI does the same over events)."""
    while True:
        status, job = await api("GET", f"jobs/{job_id}")
        assert status == 200
        if job["state"] in ("done", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.05)


def assert_no_token(*texts: Any, token: str) -> None:
    """The token, or an unmasked access_token query parameter, appears in none of `texts`."""
    for text in texts:
        rendered = text if isinstance(text, str) else json.dumps(text, default=str)
        assert token not in rendered
        assert not UNMASKED_PARAMETER.search(rendered)


def bundle_of(spec: dict[str, Any]) -> bytes:
    """A specification bundle holding only `reana.yaml` (specs that declare no workflow files)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("reana.yaml", yaml.safe_dump(spec))
    return buffer.getvalue()


async def create_on_server(client: Any, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Create a run as the server's protocol wants it: a bundle (0.95) or the spec as JSON."""
    if (await client.server_api()).bundles:
        return await client.create_workflow_bundle(name, bundle_of(spec))
    return await client.create_workflow(name, spec)
