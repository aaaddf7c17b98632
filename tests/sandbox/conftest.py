"""Fixtures shared by the fidelity tests of the sandboxes."""

from __future__ import annotations

import pytest
from pybis import Openbis

from reana_openbis_lab_sandbox.handle import Sandbox


@pytest.fixture
def o(rol_sandbox: Sandbox) -> Openbis:
    """The real pybis, logged in to the sandbox openBIS as alice (pybis' own examples call it `o`)."""
    client = Openbis(
        rol_sandbox.openbis_url,
        verify_certificates=False,
        allow_http_but_do_not_use_this_in_production_and_only_within_safe_networks=True,
    )
    client.login("alice", rol_sandbox.openbis_users["alice"])
    return client
