"""A REANA server the real reana-client 0.9.6 accepts: workflows that run (in pretence), with workspaces on disk."""

from .app import make_app
from .store import ReanaStore

__all__ = ["ReanaStore", "make_app"]
