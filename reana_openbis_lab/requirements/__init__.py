"""Freeze a notebook's environment into `requirements.txt` and `runtime.txt` next to it.

The files follow the conventions Binder/repo2docker and REANA images understand, so a
notebook that works here can be rebuilt elsewhere. The package list comes from the
notebook's own running kernel (the server's environment may differ completely), or from
explicit lists sent by the caller (the older jupyter-openbis-server contract).
"""

from .environment import Environment
from .service import RequirementsService

__all__ = ["Environment", "RequirementsService"]
