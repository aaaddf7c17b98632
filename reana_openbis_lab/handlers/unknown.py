"""Every URL under the extension's prefix that no route matches: a JSON 404, not Jupyter's page.

The UI and scripts read `{message, code}` from every answer of this API; an HTML page
from a mistyped or outdated URL would surface as "invalid JSON" instead of "no such route".
Registered last in app.py, and authenticated like every route, so it tells an anonymous
caller nothing about which URLs exist.
"""

from __future__ import annotations

from ..errors import NotFound
from .base import ApiHandler, endpoint


class UnknownRouteHandler(ApiHandler):
    documented = False

    async def _unknown(self, *args: str) -> None:
        raise NotFound(
            f"No such route of reana_openbis_lab: {self.request.method} {self.request.path[:200]}",
            code="unknown_route",
        )

    get = post = put = patch = delete = head = endpoint(_unknown)
