"""Named openBIS connections: what they are, how they are validated, where their metadata lives.

A connection is a name plus everything needed to reach one openBIS server except the secret.
Secrets (password or personal access token) live only in memory (see `session.py`); the
JSON file written here holds metadata only, so a stolen data folder reveals no credential.
Presets come from the server configuration or the environment: the administrator owns
them, so the UI may use them but never edit or delete them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import InvalidInput

#: Names appear in URL paths and file names: keep them to a safe, readable alphabet.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
STORE_VERSION = 1

log = logging.getLogger(__name__)


class AuthMethod(str, Enum):
    PASSWORD = "password"  # noqa: S105 (a method name, not a secret)
    TOKEN = "token"  # noqa: S105


@dataclass(frozen=True)
class ConnectionSpec:
    """Everything that identifies one openBIS connection. `secret` is never persisted or shown.

    `url` is the server origin (scheme://host[:port]); pybis resolves every API path from it.
    `secret` is the password (auth PASSWORD) or personal access token (auth TOKEN) a preset
    was configured with; user connections get theirs at login time.
    """

    name: str
    url: str
    verify_certificates: bool = True
    username: str | None = None
    auth: AuthMethod = AuthMethod.PASSWORD
    preset: bool = False
    secret: str | None = field(default=None, repr=False, compare=False)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int | None:
        return urlsplit(self.url).port

    @property
    def insecure_http(self) -> bool:
        """Plain HTTP sends the password and every session token in clear text."""
        return self.url.startswith("http://")

    def metadata(self) -> dict[str, Any]:
        """The persisted form: no secret, ever."""
        return {
            "name": self.name,
            "url": self.url,
            "verifyCertificates": self.verify_certificates,
            "username": self.username,
            "auth": self.auth.value,
        }


def validate_name(name: Any, field_name: str = "name") -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise InvalidInput(
            "A connection name has 1-64 letters, digits, '.', '_' or '-' and starts with a "
            "letter or digit",
            field=field_name,
        )
    return name


def normalize_url(url: Any, field_name: str = "url") -> str:
    """Reduce what a user pastes (often an ELN page URL) to the origin pybis needs.

    Credentials inside the URL are refused rather than stripped: they would otherwise be
    written to the metadata file, and the user should learn that the URL carried a secret.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("The openBIS URL is required", field=field_name)
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise InvalidInput("The openBIS URL is not a valid URL", field=field_name) from None
    if parts.scheme not in ("http", "https"):
        raise InvalidInput("The openBIS URL must start with https:// or http://", field=field_name)
    if parts.username is not None or parts.password is not None:
        raise InvalidInput(
            "The openBIS URL must not contain a user name or password; use the login fields",
            field=field_name,
        )
    if not parts.hostname:
        raise InvalidInput("The openBIS URL has no host name", field=field_name)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def parse_auth(value: Any, field_name: str = "auth") -> AuthMethod:
    try:
        return AuthMethod(value)
    except ValueError:
        raise InvalidInput("'auth' must be 'password' or 'token'", field=field_name) from None


def parse_bool(value: Any, field_name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"'{field_name}' must be true or false", field=field_name)
    return value


def parse_username(value: Any, field_name: str = "username") -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 256 or any(c.isspace() for c in value):
        raise InvalidInput(
            "The user name must be text without spaces (at most 256 characters)",
            field=field_name,
        )
    return value


@dataclass(frozen=True)
class NewConnection:
    """`POST /openbis/connections`, as the contract checked it."""

    name: str
    url: str
    verify_certificates: bool = True
    username: str | None = None
    auth: str = AuthMethod.PASSWORD.value


@dataclass(frozen=True)
class ConnectionChanges:
    """`PATCH /openbis/connections/{name}`: what is given changes, None keeps the value."""

    name: str | None = None
    url: str | None = None
    verify_certificates: bool | None = None
    username: str | None = None
    auth: str | None = None


@dataclass(frozen=True)
class Login:
    """`POST /openbis/connections/{name}/login`; secrets only ever arrive here."""

    username: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    remember: bool = True


def spec_from_input(new: NewConnection) -> ConnectionSpec:
    """A user connection from the REST form; the URL reduced to its origin (or refused)."""
    return ConnectionSpec(
        name=new.name,
        url=normalize_url(new.url),
        verify_certificates=new.verify_certificates,
        username=parse_username(new.username),
        auth=AuthMethod(new.auth),
    )


def spec_updated(spec: ConnectionSpec, changes: ConnectionChanges) -> ConnectionSpec:
    """Apply a partial REST update; the name is the identity and cannot change."""
    if changes.name is not None and changes.name != spec.name:
        raise InvalidInput("A connection cannot be renamed; delete and re-create it", field="name")
    return spec_from_input(
        NewConnection(
            name=spec.name,
            url=spec.url if changes.url is None else changes.url,
            verify_certificates=(
                spec.verify_certificates
                if changes.verify_certificates is None
                else changes.verify_certificates
            ),
            username=spec.username if changes.username is None else changes.username,
            auth=spec.auth.value if changes.auth is None else changes.auth,
        )
    )


def spec_from_metadata(item: Mapping[str, Any]) -> ConnectionSpec:
    """A connection as `ConnectionSpec.metadata` wrote it: the file may have been edited by
    hand, so every value is checked here (no contract stands in front of it)."""
    return ConnectionSpec(
        name=validate_name(item.get("name")),
        url=normalize_url(item.get("url")),
        verify_certificates=parse_bool(item.get("verifyCertificates", True), "verifyCertificates"),
        username=parse_username(item.get("username")),
        auth=parse_auth(item.get("auth", AuthMethod.PASSWORD.value)),
    )


def _preset_secret(
    raw: Mapping[str, Any], key: str, env: Mapping[str, str], where: str
) -> str | None:
    """The secret held by the environment variable that `<key>_env` names.

    A secret written in the configuration itself is refused: traitlets logs the whole
    configuration at DEBUG (`Config changed: ...`) before any extension code runs, so it
    would reach the server log; an environment variable's NAME is harmless there.
    """
    if key in raw:
        raise InvalidInput(
            f"{where} writes its {key} in the configuration, which --debug prints to the server "
            f"log; put the {key} in an environment variable and give that variable's name as "
            f"{key}_env",
            field=f"{where}.{key}",
        )
    variable = raw.get(f"{key}_env")
    if variable is None:
        return None
    if not isinstance(variable, str) or not env.get(variable):
        raise InvalidInput(
            f"{where}.{key}_env names an environment variable that is not set",
            field=f"{where}.{key}_env",
        )
    return env[variable]


def spec_from_preset(raw: Mapping[str, Any], where: str, env: Mapping[str, str]) -> ConnectionSpec:
    """A preset from `c.ReanaOpenbisLab.openbis_connections` (snake_case keys as in config)."""
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{where} must be a mapping", field=where)
    password = _preset_secret(raw, "password", env, where)
    token = _preset_secret(raw, "token", env, where)
    unknown = set(raw) - PRESET_KEYS
    if unknown:
        raise InvalidInput(f"{where} has unknown keys {sorted(unknown)}", field=where)
    if password and token:
        raise InvalidInput(f"{where} sets both a password and a token", field=where)
    if raw.get("auth"):
        auth = parse_auth(raw["auth"], f"{where}.auth")
    else:
        auth = AuthMethod.TOKEN if token else AuthMethod.PASSWORD
    if (auth is AuthMethod.TOKEN and password) or (auth is AuthMethod.PASSWORD and token):
        raise InvalidInput(f"{where}.auth does not match the secret it sets", field=f"{where}.auth")
    return ConnectionSpec(
        name=validate_name(raw.get("name"), f"{where}.name"),
        url=normalize_url(raw.get("url"), f"{where}.url"),
        verify_certificates=parse_bool(
            raw.get("verify_certificates", True), f"{where}.verify_certificates"
        ),
        username=parse_username(raw.get("username"), f"{where}.username"),
        auth=auth,
        preset=True,
        secret=token or password,
    )


PRESET_KEYS = {
    "name",
    "url",
    "verify_certificates",
    "username",
    "auth",
    "password_env",
    "token_env",
}

#: Environment variables read at start-up (the names pybis users already know).
ENV_URL = "OPENBIS_URL"
ENV_TOKEN = "OPENBIS_TOKEN"  # noqa: S105 (a variable name)
ENV_USERNAME = "OPENBIS_USERNAME"
ENV_PASSWORD = "OPENBIS_PASSWORD"  # noqa: S105
ENV_VERIFY = "OPENBIS_VERIFY_CERTIFICATES"


def spec_from_environment(env: Mapping[str, str], name: str) -> ConnectionSpec | None:
    """A preset from OPENBIS_URL plus OPENBIS_TOKEN or OPENBIS_USERNAME/OPENBIS_PASSWORD."""
    url = env.get(ENV_URL)
    if not url:
        return None
    verify = env.get(ENV_VERIFY, "true").strip().lower() not in ("0", "false", "no", "off")
    token = env.get(ENV_TOKEN) or None
    return ConnectionSpec(
        name=validate_name(name, "openbis_env_connection_name"),
        url=normalize_url(url, ENV_URL),
        verify_certificates=verify,
        username=parse_username(env.get(ENV_USERNAME), ENV_USERNAME),
        auth=AuthMethod.TOKEN if token else AuthMethod.PASSWORD,
        preset=True,
        secret=token or env.get(ENV_PASSWORD) or None,
    )


def collect_presets(
    configured: Sequence[Mapping[str, Any]],
    *,
    env_connection_name: str = "openbis",
    env: Mapping[str, str] | None = None,
) -> list[ConnectionSpec]:
    """Configuration first, then the environment.

    A broken entry is logged (by field, never by value) and skipped, so one typo in the
    configuration does not take the whole extension down.
    """
    env = os.environ if env is None else env
    presets: list[ConnectionSpec] = []
    candidates: list[tuple[str, Any]] = [
        (f"openbis_connections[{i}]", raw) for i, raw in enumerate(configured)
    ]
    candidates.append(("environment", None))
    for where, raw in candidates:
        try:
            spec = (
                spec_from_environment(env, env_connection_name)
                if raw is None
                else spec_from_preset(raw, where, env)
            )
        except InvalidInput as exc:
            log.error("Ignoring openBIS preset %s: %s", where, exc.message)
            continue
        if spec is None:
            continue
        if any(p.name == spec.name for p in presets):
            log.error("Ignoring openBIS preset %s: the name %r is already used", where, spec.name)
            continue
        presets.append(spec)
    return presets


class ConnectionStore:
    """The user's connections as a JSON file: atomic writes, owner-only permissions.

    Atomic (temp file + rename) so a crash mid-write never leaves a truncated file that
    would lose every connection at the next start; 0600 because even metadata (user names,
    internal host names) is nobody else's business on a shared machine.
    """

    def __init__(self, path: Path):
        self.path = path

    def load(self) -> list[ConnectionSpec]:
        """Read the file; an unreadable one is set aside (not overwritten) so nothing is lost."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            items = raw["connections"]
            if not isinstance(items, list):
                raise TypeError("connections is not a list")
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError) as exc:
            aside = self.path.with_name(self.path.name + ".unreadable")
            log.warning(
                "openBIS connections file %s is unreadable (%s); moved to %s",
                self.path,
                type(exc).__name__,
                aside,
            )
            with contextlib.suppress(OSError):
                self.path.replace(aside)
            return []
        specs = []
        for item in items:
            try:
                specs.append(spec_from_metadata(item))
            except (InvalidInput, TypeError, AttributeError):
                log.warning("Skipping an invalid entry in %s", self.path)
        return specs

    def save(self, specs: list[ConnectionSpec]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": STORE_VERSION,
            "connections": [s.metadata() for s in specs if not s.preset],
        }
        fd, tmp = tempfile.mkstemp(prefix=".connections-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
