"""Keep pybis from writing secrets to the server's output, and from muting warnings globally.

pybis `print()`s the whole JSON-RPC request when openBIS answers with an error: that
request holds the session token, and for a failed login the password. In a notebook that
is a nuisance; in a Jupyter server it puts credentials into the server log. pybis also
calls `urllib3.disable_warnings()` (process-wide) when certificate checks are off.

`sys.stdout` is shared by the whole process and swapped by test harnesses, so instead of
wrapping it we shadow the name `print` inside pybis' own modules: every print pybis makes,
from any thread it or we start, goes nowhere, and nobody else's output is touched.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import threading
import warnings
from typing import Any

from urllib3.exceptions import InsecureRequestWarning

_lock = threading.Lock()
_silenced_hosts: set[str] = set()
_silenced = False


def _discard(*_args: Any, **_kwargs: Any) -> None:
    """Stands in for print() inside pybis: its output may contain tokens and passwords."""


def silence_pybis() -> None:
    """Shadow print() in every pybis module (importing those pybis did not); once per process."""
    import pybis

    global _silenced
    with _lock:
        if _silenced:
            return
        modules = [pybis] + [
            importlib.import_module(info.name)
            for info in pkgutil.iter_modules(pybis.__path__, prefix="pybis.")
        ]
        for module in modules:
            module.print = _discard
        _silenced = True


def accept_unverified_host(host: str) -> None:
    """Mute urllib3's per-request warning for a host the user chose not to verify, only that host.

    The choice is shown in the connection list already; repeating it in the log for every
    request would drown real problems, while muting it for every host (what pybis does)
    would hide other libraries' insecure requests.
    """
    with _lock:
        if host in _silenced_hosts:
            return
        _silenced_hosts.add(host)
        warnings.filterwarnings(
            "ignore",
            message=rf"Unverified HTTPS request is being made to host '{re.escape(host)}'",
            category=InsecureRequestWarning,
        )
