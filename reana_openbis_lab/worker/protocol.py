"""The lab worker's wire format: length-prefixed pickle frames over the child's pipes.

Both ends are this package, in the same Python environment, talking over the private
pipes of a parent and its own child, so pickle carries calls (a module-level function by
its name, typed requests as dataclasses) and answers without a second schema. Nothing
else can write to those pipes.

Frames are `u32 big-endian length | pickle`. Messages are tuples whose first item names them:

server -> worker
    ("call", id, fn, args, kwargs)   run `fn(context, *args, **kwargs)` in a thread
    ("cancel", id)                   the caller gave up or the user cancelled
    ("guard", kind, path, on)        remember (on) or forget something to undo if the server
                                     goes away (see `worker.main.Guards`)
worker -> server
    ("ready", info)                  first frame, once the worker can take calls
    ("done", id, result)             the call returned
    ("failed", id, error)            the call raised; `error` from `encode_error`
    ("progress", id, update)         counters of a call's job (see `worker.context`)
    ("event", topic, payload)        something the server mirrors (an openBIS session's state)
    ("log", level, logger, text)     a log record of the worker, for the server's log

Errors cross as data, never as pickled exception objects (a class whose constructor
takes other arguments than its message would not unpickle): LabErrors keep their class,
message, field, code and details; OSErrors their errno, text and file names (the server
names the local path); a user's cancel is its own kind; anything else is "internal".
"""

from __future__ import annotations

import importlib
import pickle
import struct
from typing import IO, Any

from ..errors import LabError
from ..jobs import JobCancelled

HEADER = struct.Struct(">I")
#: Largest frame accepted (a dataset listing of a million files fits many times over).
MAX_FRAME = 512 * 1024 * 1024
PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL


class ProtocolError(Exception):
    """The other end wrote something that is not a frame of this protocol."""


def encode(message: tuple[Any, ...]) -> bytes:
    payload = pickle.dumps(message, protocol=PICKLE_PROTOCOL)
    if len(payload) > MAX_FRAME:
        raise ProtocolError(f"a message of {len(payload)} bytes is too large to send")
    return HEADER.pack(len(payload)) + payload


def decode(payload: bytes) -> tuple[Any, ...]:
    try:
        message = pickle.loads(payload)  # noqa: S301 - our own child process, private pipes
    except Exception as exc:
        raise ProtocolError(f"an unreadable frame ({type(exc).__name__})") from None
    if not isinstance(message, tuple) or not message or not isinstance(message[0], str):
        raise ProtocolError("a frame that is not a message")
    return message


def frame_length(header: bytes) -> int:
    (length,) = HEADER.unpack(header)
    if length > MAX_FRAME:
        raise ProtocolError(f"a frame of {length} bytes announced")
    return length


def read_frame(stream: IO[bytes]) -> tuple[Any, ...] | None:
    """The next message from a blocking stream; None at a clean end of the stream."""
    header = _read_exactly(stream, HEADER.size)
    if header is None:
        return None
    payload = _read_exactly(stream, frame_length(header))
    if payload is None:
        raise ProtocolError("the stream ended inside a frame")
    return decode(payload)


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = stream.read(left)
        if not chunk:
            if chunks:
                raise ProtocolError("the stream ended inside a frame")
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# ---- errors ---------------------------------------------------------------------------------


def encode_error(exc: BaseException) -> tuple[Any, ...]:
    if isinstance(exc, JobCancelled):
        return ("cancelled",)
    if isinstance(exc, LabError):
        cls = type(exc)
        return (
            "lab",
            cls.__module__,
            cls.__qualname__,
            exc.message,
            exc.field,
            exc.code,
            exc.details,
        )
    if isinstance(exc, OSError):
        return ("os", exc.errno, exc.strerror, exc.filename, exc.filename2)
    return ("internal", type(exc).__name__)


def decode_error(error: tuple[Any, ...]) -> BaseException:
    kind = error[0]
    if kind == "cancelled":
        return JobCancelled()
    if kind == "lab":
        _, module, qualname, message, field, code, details = error
        cls = _lab_error_class(module, qualname)
        exc = cls.__new__(cls)
        Exception.__init__(exc, message)
        exc.message, exc.field, exc.code, exc.details = message, field, code, details
        return exc
    if kind == "os":
        _, number, text, filename, filename2 = error
        return OSError(number, text, filename, None, filename2)
    return LabError(
        f"Unexpected error ({error[1]}) in the lab worker; the Jupyter server's log has the"
        " details",
        code="internal",
    )


def _lab_error_class(module: str, qualname: str) -> type[LabError]:
    """The LabError subclass named, or LabError itself for anything else (never a class
    outside the LabError tree, whatever the frame says)."""
    try:
        found: Any = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return LabError
    return found if isinstance(found, type) and issubclass(found, LabError) else LabError
