"""Jupyter server for the Galata UI tests: a throw-away root, fixed port, no auth prompt."""

# ruff: noqa: F821 -- `c` is the config object the Jupyter config loader injects.
import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)

c.ServerApp.port = int(os.environ.get("GALATA_PORT", "8899"))
c.ServerApp.allow_root = True
