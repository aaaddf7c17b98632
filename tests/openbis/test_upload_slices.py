"""A slice of a local file is sent as it is read: exact bytes, announced length, changes caught."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reana_openbis_lab.errors import Conflict
from reana_openbis_lab.local_selection import LocalItem
from reana_openbis_lab.openbis.upload import SLICE_SIZE, _PieceBody, _pieces

BLOCK = 256 * 1024


def local_item(path: Path) -> LocalItem:
    status = path.stat()
    return LocalItem(path, path.name, path.name, status.st_size, status.st_mtime_ns)


def test_slices_read_block_by_block_give_the_file_back_exactly(tmp_path: Path) -> None:
    # Given a file of two and a half slices
    data = os.urandom(SLICE_SIZE * 2 + SLICE_SIZE // 2)
    (tmp_path / "big.bin").write_bytes(data)
    pieces = _pieces(local_item(tmp_path / "big.bin"))
    # When each slice is read the way urllib3 sends a body: blocks until b""
    sent = bytearray()
    for piece in pieces:
        body = _PieceBody(piece)
        blocks = list(iter(lambda body=body: body.read(BLOCK), b""))
        # Then each block is small, and the announced length (Content-Length) is what is sent
        assert max(len(block) for block in blocks) <= BLOCK
        assert sum(len(block) for block in blocks) == len(body) == piece.length
        sent[piece.start : piece.start + piece.length] = b"".join(blocks)
    assert bytes(sent) == data


def test_a_file_changed_while_its_slice_is_read_is_refused(tmp_path: Path) -> None:
    # Given a slice on its way
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(SLICE_SIZE + 1))
    body = _PieceBody(_pieces(local_item(path))[0])
    body.read(BLOCK)
    # When the file is written to meanwhile
    with path.open("r+b") as handle:
        handle.write(b"changed")
    os.utime(path, ns=(0, 0))
    # Then the end of the slice raises instead of sending bytes nobody selected
    with pytest.raises(Conflict) as refused:
        while body.read(BLOCK):
            pass
    assert refused.value.code == "changed"
