"""Every use of a private pybis member, in one place (pyproject bounds pybis below 1.38).

pybis is the reference for logging in and for registering datasets, so it stays the
client for those; three things it offers no public way to change are changed here, on
our own subclass, never on pybis itself:

- token files: pybis reads and writes `~/.pybis/<host>.token`, one file per host shared
  by every connection of the process and readable by every notebook of the user; ours
  never touches it (`_get_saved_token`, `_save_token_to_disk`);
- transport: pybis posts with a bare `requests.post`, without timeout, and prints the
  whole request (session token, or password at login) when openBIS answers with an
  error; ours posts through `transport.post` (`_post_request_full_url`, which pybis'
  `_post_request` ends in too);
- the upload step of `DataSet.save()`: the bytes are already in the session workspace
  (sent by `upload.send_to_workspace`, with progress and cancel), so `save` is handed their
  upload id instead of uploading again (`upload_files_v3`).

Anything else the extension needs from pybis goes through its public API.
"""

from __future__ import annotations

import functools
from typing import Any

from . import transport


@functools.cache
def isolated_openbis_class() -> type:
    """pybis' Openbis without token files and with the extension's transport.

    Made on first use: the Jupyter server imports this module's users to name the
    functions it runs in the lab worker, and must not import pybis (and pandas) itself.
    """
    import pybis

    class IsolatedOpenbis(pybis.Openbis):
        def _get_saved_token(self) -> None:
            return None

        def _save_token_to_disk(self, os_home: str | None = None) -> str:
            raise RuntimeError("reana_openbis_lab never writes openBIS tokens to disk")

        def _post_request_full_url(self, full_url: str, request: dict[str, Any]) -> Any:
            return transport.post(full_url, request, verify=self.verify_certificates)

    return IsolatedOpenbis


def use_uploaded_files(dataset: Any, upload_id: str) -> None:
    """Make `dataset.save()` register the files already uploaded under `upload_id`."""
    dataset.__dict__["upload_files_v3"] = lambda **_: upload_id
