"""The `reana_client_env` fixture: the product's separate reana-client environment.

It is the product's own (`reana.environment`), so it lives with the tests, not in the sandbox.
A missing environment fails the test, loudly, and never skips it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reana_openbis_lab.reana.environment import default_env_path


def find_reana_client_env() -> Path:
    """The reana-client environment the tests use; a missing one fails the test, loudly."""
    env = default_env_path()
    if not (env / "bin" / "reana-client").exists():
        pytest.fail(
            f"reana-client environment missing at {env}: run "
            "`jupyter reana-openbis-lab install-reana-client` (or set REANA_CLIENT_ENV)",
            pytrace=False,
        )
    return env


@pytest.fixture(scope="session")
def reana_client_env() -> Path:
    return find_reana_client_env()
