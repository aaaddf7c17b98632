"""The bounded pipe between two servers' connections, and its slices sent two at a time.

Threads against threads, no network: what the provenance loop's streams rely on (bytes in
order and unchanged, memory bounded, a failure on one side stopping the other, a slice's
answer awaited while the next slice is sent) is checked here where it can be made to
happen on purpose.
"""

from __future__ import annotations

import threading
import time

import pytest

from reana_openbis_lab.pipe import Pipe, PipeAborted, PipeSlice, send_in_slices


def feed(pipe: Pipe, chunks: list[bytes]) -> threading.Thread:
    def run() -> None:
        try:
            for chunk in chunks:
                pipe.write(chunk)
            pipe.close()
        except Exception:  # the reader aborted: the writer just stops
            return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_bytes_arrive_in_order_and_unchanged_and_the_pipe_stays_bounded() -> None:
    chunks = [bytes([n]) * 1000 for n in range(50)]
    pipe = Pipe(50_000, capacity=4000)
    writer = feed(pipe, chunks)
    received, most = bytearray(), 0
    while piece := pipe.read(700):
        received += piece
        most = max(most, pipe.bytes_written - pipe.bytes_read)
        time.sleep(0.0005)
    writer.join(5)
    assert bytes(received) == b"".join(chunks)
    assert most <= 4000


def test_a_mutable_buffer_is_copied_before_the_writer_can_change_it() -> None:
    pipe = Pipe(4)
    buffer = bytearray(b"abcd")
    pipe.write(buffer)
    buffer[:] = b"wxyz"
    assert bytes(pipe.read()) == b"abcd"


def test_an_abort_stops_a_blocked_writer_with_its_reason() -> None:
    pipe = Pipe(10, capacity=2)
    pipe.write(b"ab")
    failed: list[BaseException] = []

    def write_more() -> None:
        try:
            pipe.write(b"cd")
        except Exception as exc:
            failed.append(exc)

    thread = threading.Thread(target=write_more)
    thread.start()
    pipe.abort(ValueError("REANA went away"))
    thread.join(5)
    assert isinstance(failed[0], ValueError)


def test_a_slice_whose_source_ends_early_fails() -> None:
    pipe = Pipe(10)
    pipe.write(b"abc")
    pipe.close()
    body = PipeSlice(pipe, 10)
    assert bytes(body.read()) == b"abc"
    with pytest.raises(PipeAborted):
        body.read()


def test_slices_carry_the_pipe_in_order_and_the_next_is_sent_while_one_awaits_its_answer() -> None:
    data = bytes(range(256)) * 40
    lengths = [3000, 3000, 3000, 1240]
    pipe = Pipe(len(data), capacity=1024)
    feed(pipe, [data[i : i + 500] for i in range(0, len(data), 500)])
    bodies: dict[int, bytes] = {}
    answered: list[int] = []
    started: list[int] = []
    lock = threading.Lock()

    def send(index: int, body: PipeSlice) -> None:
        with lock:
            started.append(index)
        received = bytearray()
        while piece := body.read(256):
            received += piece
        bodies[index] = bytes(received)
        if index == 0:  # a slow answer: the next slice must not wait for it
            deadline = time.monotonic() + 5
            while 1 not in bodies and time.monotonic() < deadline:
                time.sleep(0.01)
        with lock:
            answered.append(index)

    send_in_slices(pipe, lengths, send, stop=lambda: None, name="test-slices")
    assert b"".join(bodies[i] for i in range(4)) == data
    assert [len(bodies[i]) for i in range(4)] == lengths
    assert started == [0, 1, 2, 3]
    assert answered.index(1) < answered.index(0)


def test_the_first_failure_stops_the_other_slices_and_is_raised() -> None:
    pipe = Pipe(4000, capacity=1000)
    feed(pipe, [b"x" * 100] * 40)
    stopped = threading.Event()
    started: list[int] = []

    def send(index: int, body: PipeSlice) -> None:
        started.append(index)
        if index == 1:
            body.read(10)
            raise ConnectionError("openBIS dropped slice 2")
        while body.read(100):  # slice 1 waits for bytes the failure stops
            pass

    with pytest.raises(ConnectionError, match="slice 2"):
        send_in_slices(pipe, [1000] * 4, send, stop=stopped.set, name="test-slices")
    assert stopped.is_set()
    assert isinstance(pipe.error, ConnectionError)
    assert started == [0, 1]
