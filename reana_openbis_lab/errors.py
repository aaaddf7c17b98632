"""Domain errors: what went wrong, in words a user can act on, with no HTTP in sight.

The handlers package maps each class to a status code in exactly one place
(`handlers.base.STATUS_FOR`), so the domain layer never needs to know about tornado.
Messages must never contain a password, token or session id: they are shown to the
user and written to the server log.

Every error carries a `code` from the closed list `ErrorCode` in openapi.yaml (a test keeps
the two in step): the raiser names a precise one, else the class gives its default, so the
UI never sees a Python class name or nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class LabError(Exception):
    """Base class for every error the extension reports to a user on purpose."""

    #: The code when the raiser names none (subclasses name their own).
    default_code = "internal"

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
        self.code = code or self.default_code
        #: Every failing field when a form is checked as a whole: [{"field", "message"}...].
        self.details = details


class InvalidInput(LabError):
    """The request itself is wrong; `field` names the offending part of it."""

    default_code = "invalid_input"


class NotFound(LabError):
    """A named connection, dataset, workflow, job or file does not exist."""

    default_code = "not_found"


class Conflict(LabError):
    """The request clashes with existing state (target exists, job already finished...)."""

    default_code = "conflict"


class LoginRequired(LabError):
    """The upstream server needs (re-)authentication and no usable secret is in memory."""

    default_code = "login_required"


class PermissionDenied(LabError):
    """Upstream rejected the credentials (bad token, wrong password, no rights)."""

    default_code = "forbidden"


class NotAvailable(LabError):
    """An optional part (reana-client environment, sshfs, a kernel) is missing here."""

    default_code = "not_available"


class UpstreamError(LabError):
    """openBIS or REANA answered with an error or could not be reached."""

    default_code = "upstream_error"


class UpstreamTimeout(LabError):
    """openBIS or REANA did not answer in time."""

    default_code = "upstream_timeout"


class LocalProblem(Conflict):
    """The Jupyter server's own file system refused: read-only, full, no permission, a name
    too long, a file or link in the way. Not the user's input and not the upstream's fault;
    the message names the local path. Built from an OSError by `paths.local_problem`."""

    default_code = "local_io"


@dataclass
class FieldErrors:
    """Collects every problem of a form, then raises them together."""

    items: list[dict[str, str]] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.items.append({"field": field_name, "message": message})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]
        others = len(self.items) - 1
        summary = first["message"]
        if others:
            summary += f" (and {others} more problem{'s' if others > 1 else ''})"
        raise InvalidInput(summary, field=first["field"], details=list(self.items))
