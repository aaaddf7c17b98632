"""The extension's log lines are Jupyter server lines: its prefix, its level, and scrubbed."""

from __future__ import annotations

import io
import logging

import pytest


@pytest.fixture
def server_lines(jp_serverapp):
    """What the running server's own log handler writes, with Jupyter's formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter = jp_serverapp._log_formatter_cls  # what the server gives its own handler
    handler.setFormatter(formatter(fmt=jp_serverapp.log_format, datefmt=jp_serverapp.log_datefmt))
    jp_serverapp.log.addHandler(handler)
    level = jp_serverapp.log.level
    yield stream
    jp_serverapp.log.removeHandler(handler)
    jp_serverapp.log.setLevel(level)


def test_a_module_logger_writes_through_the_server_log_with_its_prefix_scrubbed(
    jp_serverapp, server_lines
) -> None:
    # Given the server at level WARNING (--log-level)
    jp_serverapp.log.setLevel(logging.WARNING)
    log = logging.getLogger("reana_openbis_lab.openbis.mount")

    # When a module of the extension logs a warning with a secret in it, and an info line
    log.warning("Could not mount %s", "http://h/?sessionID=alice-240101120000000xABCDEF1234")
    log.info("Mounted, says the info line")

    # Then the warning is one Jupyter line ([W date name] message), its secret masked, and
    # the info line is below the server's level
    lines = server_lines.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("[W ") and "reana_openbis_lab.openbis.mount]" in lines[0]
    assert "sessionID=***" in lines[0] and "xABCDEF1234" not in lines[0]

    # When the server's level is lowered to INFO, then the info line shows
    jp_serverapp.log.setLevel(logging.INFO)
    log.info("Mounted, says the info line")
    assert server_lines.getvalue().splitlines()[-1].startswith("[I ")
