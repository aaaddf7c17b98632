"""openBIS domain: connections, sessions, browsing and transfers. No tornado in here.

Other parts of the extension reach openBIS only through `OpenbisService` (see
`service.py` for its public API); they never build a pybis object themselves.
"""

from .connections import AuthMethod, ConnectionSpec, collect_presets
from .service import ConnectionInfo, MountCredentials, OpenbisService
from .session import Status

__all__ = [
    "AuthMethod",
    "ConnectionInfo",
    "ConnectionSpec",
    "MountCredentials",
    "OpenbisService",
    "Status",
    "collect_presets",
]
