"""Jupyter server for the Galata UI tests: a throw-away root, fixed port, no auth prompt.

No `allow_root` here: the demo launcher passes `--allow-root` itself when run as root, so the UI tests
start JupyterLab the way users do."""

# ruff: noqa: F821 -- `c` is the config object the Jupyter config loader injects.
import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)

c.ServerApp.port = int(os.environ.get("GALATA_PORT", "8899"))
