"""A server that accepts connections and never answers cannot hold pybis' threads for ever."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from reana_openbis_lab.openbis import transport
from reana_openbis_lab.openbis.connections import NewConnection, spec_from_input
from reana_openbis_lab.openbis.session import new_openbis
from reana_openbis_lab.transfer_threads import OpenConnections, tracked_session


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A listening socket nobody reads from: TCP connects, HTTP never gets an answer."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_pybis_requests_get_the_calls_deadline(silent_server: str) -> None:
    # Given a pybis object for a silent server
    openbis = new_openbis(spec_from_input(NewConnection(name="silent", url=silent_server)))
    # When pybis logs in (it passes no timeout to requests) inside a call with a short deadline
    with (
        requests.Session() as session,
        transport.through(session, 0.3),
        pytest.raises(requests.exceptions.Timeout),
    ):
        openbis.login("alice", "irrelevant", save_token=False)
    # Then requests gave up by itself: the thread is free again


def test_requests_outside_a_call_get_the_default_deadline(
    silent_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a short default (what a request made outside any call falls back to)
    monkeypatch.setattr(transport, "DEFAULT_READ_TIMEOUT", 0.3)
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


def test_a_cancel_wakes_a_pybis_request_blocked_on_a_silent_server(silent_server: str) -> None:
    # Given pybis waiting for a silent server through a call's session (a long deadline)
    openbis = new_openbis(spec_from_input(NewConnection(name="silent", url=silent_server)))
    connections = OpenConnections()
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            with tracked_session(connections) as session, transport.through(session, 300):
                openbis.login("alice", "irrelevant", save_token=False)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.3)
    # When the call is cancelled (its connections are cut)
    began = time.monotonic()
    connections.cut()
    thread.join(10)
    # Then the request returned at once instead of waiting for its deadline
    assert not thread.is_alive() and time.monotonic() - began < 5
    assert isinstance(outcome[0], requests.exceptions.RequestException)
