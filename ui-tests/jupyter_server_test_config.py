"""Jupyter server for the Galata UI tests: a throw-away root, fixed port, no auth prompt."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is injected by the config loader)

c.ServerApp.port = 8899
c.ServerApp.allow_root = True
