"""The sandboxes' request log masks secrets sent in query strings (the `make demo` terminal).

A sandbox of its own, so its whole output (what the demo's user sees) can be read.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from reana_openbis_lab_sandbox.access_log import scrub_uri
from reana_openbis_lab_sandbox.process import SandboxProcess

REANA_SECRET = "WRONGTOKEN-secret-123"
OPENBIS_SECRET = "WRONGSESSION-secret-456"


def test_wrong_secrets_are_masked_in_both_sandboxes_logs(tmp_path: Path) -> None:
    process = SandboxProcess(["--workflow-speed", "0.05"], workdir=tmp_path)
    state = process.start()
    try:
        reana, openbis = state["reana"]["url"], state["openbis"]["url"]
        with httpx.Client(timeout=30) as client:
            you = client.get(f"{reana}/api/you", params={"access_token": REANA_SECRET})
            download = client.get(
                f"{openbis}/datastore_server/20250101000000000-1/original/a.txt",
                params={"sessionID": OPENBIS_SECRET},
            )
            upload = client.post(
                f"{openbis}/datastore_server/session_workspace_file_upload",
                params={"filename": "a.txt", "sessionID": OPENBIS_SECRET, "startByte": "0"},
                content=b"x",
            )
    finally:
        process.stop()
    assert you.status_code == 403
    assert download.status_code >= 400 and upload.status_code >= 400
    output = process.output()
    assert REANA_SECRET not in output and OPENBIS_SECRET not in output
    assert "/api/you?access_token=***" in output
    assert "/datastore_server/20250101000000000-1/original/a.txt?sessionID=***" in output
    assert "session_workspace_file_upload?filename=a.txt&sessionID=***&startByte=0" in output


def test_scrub_keeps_everything_but_secret_values() -> None:
    assert scrub_uri("/api/x") == "/api/x"
    assert (
        scrub_uri("/api/x?a=1&Token=t&password=p&flag") == "/api/x?a=1&Token=***&password=***&flag"
    )
    assert scrub_uri("/p?sessionToken=s&sessionID=") == "/p?sessionToken=***&sessionID=***"
