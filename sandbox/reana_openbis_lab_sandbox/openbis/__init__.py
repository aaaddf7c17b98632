"""A local openBIS (application server + data store server) that the real pybis accepts.

`make_app(store=, faults=, public_url=)` builds the tornado application; `OpenbisStore`
holds the seeded data (see its docstring for the read-only API other endpoints use).
"""

from .app import make_app, serve
from .store import OpenbisStore

__all__ = ["OpenbisStore", "make_app", "serve"]
