"""The sandbox SFTP endpoint, checked with a real SSH client before sshfs ever sees it."""

from __future__ import annotations

import asyncssh
import pytest

from reana_openbis_lab_sandbox.credentials import OPENBIS_PAT, OPENBIS_USERS
from reana_openbis_lab_sandbox.openbis.store import OpenbisStore
from reana_openbis_lab_sandbox.sftp import start_sftp_server


@pytest.fixture
def endpoint(tmp_path, jp_asyncio_loop):
    """Runs on the test's own loop (pytest-jupyter has no async fixtures)."""
    store = OpenbisStore(tmp_path / "openbis")
    handle = jp_asyncio_loop.run_until_complete(start_sftp_server("127.0.0.1", 0, store))
    yield store, handle
    handle.close()
    jp_asyncio_loop.run_until_complete(handle.wait_closed())


def connect(handle, user: str, password: str):
    return asyncssh.connect(
        handle.host,
        handle.port,
        username=user,
        password=password,
        known_hosts=None,
        client_keys=None,
        agent_path=None,
    )


def first_small_dataset(store: OpenbisStore):
    dataset = next(d for d in store.datasets() if d.experiment is not None and d.size < 10_000)
    file_path = next(e.path for e in store.dataset_files(dataset.perm_id) if not e.is_dir)
    return dataset, file_path


async def test_datasets_are_listed_and_read_in_the_openbis_hierarchy(endpoint) -> None:
    # Given the sandbox's SFTP endpoint and a dataset in a collection
    store, handle = endpoint
    dataset, file_path = first_small_dataset(store)
    folder = f"{dataset.experiment.identifier}/{dataset.perm_id}"
    with store.open_file(dataset.perm_id, file_path) as stream:
        expected = stream.read()

    # When alice lists the tree and reads one file
    async with (
        connect(handle, "alice", OPENBIS_USERS["alice"]) as conn,
        conn.start_sftp_client() as sftp,
    ):
        spaces = sorted(await sftp.listdir("/"))
        listing = await sftp.listdir(folder)
        async with sftp.open(f"{folder}/{file_path}", "rb") as remote:
            content = await remote.read()
        attrs = await sftp.stat(f"{folder}/{file_path}")

    # Then spaces are at the top, the dataset holds 'original', the bytes are the store's
    assert spaces == [".", "..", *sorted(s.code for s in store.spaces())]
    assert "original" in listing
    assert content == expected and attrs.size == len(expected)


async def test_the_tree_is_read_only(endpoint) -> None:
    # Given a logged-in client
    store, handle = endpoint
    dataset, file_path = first_small_dataset(store)
    target = f"{dataset.experiment.identifier}/{dataset.perm_id}/{file_path}"
    async with (
        connect(handle, "alice", OPENBIS_USERS["alice"]) as conn,
        conn.start_sftp_client() as sftp,
    ):
        # When it tries to change anything, then permission is denied
        for attempt in (
            lambda: sftp.open(f"{target}.new", "wb"),
            lambda: sftp.open(target, "ab"),
            lambda: sftp.remove(target),
            lambda: sftp.rename(target, f"{target}.moved"),
            lambda: sftp.mkdir("/NEW_SPACE"),
            lambda: sftp.rmdir(dataset.experiment.identifier),
            lambda: sftp.chmod(target, 0o777),
            lambda: sftp.symlink(target, "/link"),
        ):
            with pytest.raises(asyncssh.SFTPPermissionDenied):
                await attempt()
        # And climbing above the root stays at the root
        assert await sftp.realpath("/../../etc") == "/etc"
        with pytest.raises(asyncssh.SFTPNoSuchFile):
            await sftp.stat("/../../etc/passwd")


async def test_a_pat_works_as_password_but_a_wrong_password_does_not(endpoint) -> None:
    _, handle = endpoint
    async with connect(handle, "alice", OPENBIS_PAT) as conn, conn.start_sftp_client() as sftp:
        assert await sftp.listdir("/")
    with pytest.raises(asyncssh.PermissionDenied):
        async with connect(handle, "alice", "wrong-password"):
            pass
    with pytest.raises(asyncssh.PermissionDenied):
        async with connect(handle, "admin", OPENBIS_PAT):
            pass
