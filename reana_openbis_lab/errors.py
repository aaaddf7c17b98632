"""Domain errors: what went wrong, in words a user can act on, with no HTTP in sight.

The handlers package maps each class to a status code in exactly one place
(`handlers.base.STATUS_FOR`), so the domain layer never needs to know about tornado.
Messages must never contain a password, token or session id: they are shown to the
user and written to the server log.
"""

from __future__ import annotations


class LabError(Exception):
    """Base class for every error the extension reports to a user on purpose."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        details: list[dict[str, str]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        #: Every failing field when a form is checked as a whole: [{"field", "message"}...].
        self.details = details


class InvalidInput(LabError):
    """The request itself is wrong; `field` names the offending part of it."""


class NotFound(LabError):
    """A named connection, dataset, workflow, job or file does not exist."""


class Conflict(LabError):
    """The request clashes with existing state (target exists, job already finished...)."""


class LoginRequired(LabError):
    """The upstream server needs (re-)authentication and no usable secret is in memory."""


class PermissionDenied(LabError):
    """Upstream rejected the credentials (bad token, wrong password, no rights)."""


class NotAvailable(LabError):
    """An optional part (reana-client environment, sshfs, a kernel) is missing here."""


class UpstreamError(LabError):
    """openBIS or REANA answered with an error or could not be reached."""


class UpstreamTimeout(LabError):
    """openBIS or REANA did not answer in time."""
