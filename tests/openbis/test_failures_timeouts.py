"""A server that accepts connections and never answers cannot hold pybis' threads for ever."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
import requests

from reana_openbis_lab.openbis import http_timeouts
from reana_openbis_lab.openbis.connections import NewConnection, spec_from_input
from reana_openbis_lab.openbis.session import new_openbis


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A listening socket nobody reads from: TCP connects, HTTP never gets an answer."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_pybis_requests_get_the_calls_deadline(silent_server: str) -> None:
    # Given the timeout wrapper installed and a pybis object for a silent server
    http_timeouts.install(default_read_timeout=300)
    openbis = new_openbis(spec_from_input(NewConnection(name="silent", url=silent_server)))
    # When pybis logs in (it passes no timeout to requests) inside a call with a short deadline
    with pytest.raises(requests.exceptions.Timeout), http_timeouts.read_timeout(0.3):
        openbis.login("alice", "irrelevant", save_token=False)
    # Then requests gave up by itself: the thread is free again


def test_threads_pybis_starts_itself_get_the_default_deadline(silent_server: str) -> None:
    # Given a short process default (what pybis' own upload/download threads fall back to)
    http_timeouts.install(default_read_timeout=0.3)
    openbis = new_openbis(spec_from_input(NewConnection(name="silent", url=silent_server)))
    outcome: list[BaseException] = []

    def pybis_thread() -> None:
        try:
            openbis.login("alice", "irrelevant", save_token=False)
        except BaseException as exc:
            outcome.append(exc)

    # When pybis work runs in a thread that is not one of our calls
    worker = threading.Thread(target=pybis_thread)
    worker.start()
    worker.join()
    # Then its request timed out too
    assert isinstance(outcome[0], requests.exceptions.Timeout)
