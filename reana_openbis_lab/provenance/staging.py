"""openBIS data store -> REANA workspace, one file at a time, through a bounded pipe.

No byte touches the Jupyter server's disk: a low-priority thread reads the file from the
data store's plain file route (as downloads do, see `openbis.download`) into a `Pipe`,
checking its size and CRC32 as it goes, while the REANA client sends the pipe's bytes as
the workspace upload's body. Memory per file is the pipe's capacity. A failure on either
side aborts the pipe, which stops the other side at once; a file whose bytes turn out
wrong (short, corrupted) breaks the upload before its last byte, so REANA keeps nothing
of it. The caller deletes whatever was staged when the run does not go ahead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from isal.isal_zlib import crc32

from ..errors import LabError, UpstreamError
from ..jobs import JobCancelled, Progress
from ..openbis import transfers
from ..openbis.download import CHUNK_SIZE
from ..pipe import Pipe
from ..transfer_threads import OpenConnections, run_in_own_thread, tracked_session
from .inputs import ResolvedInput, StagedFile


async def stage_inputs(
    inputs: Sequence[ResolvedInput],
    token_source: Callable[[str], Any],
    client: Any,
    workflow_id: str,
    progress: Progress,
    staged: list[str],
) -> None:
    """Stream every input file into the workspace; `staged` collects each workspace name
    as its upload begins (a cut upload may have left something: the caller deletes them)."""
    for item in inputs:
        tokens = await token_source(item.connection)
        for file in item.files:
            progress.check_cancelled()
            progress.set_step(f"staging {item.listing.perm_id}: {file.workspace_name}")
            staged.append(file.workspace_name)
            await stage_file(item, file, tokens, client, workflow_id, progress)
            progress.file_done()


async def stage_file(
    item: ResolvedInput,
    file: StagedFile,
    tokens: transfers.TokenSource,
    client: Any,
    workflow_id: str,
    progress: Progress,
) -> None:
    pipe = Pipe(file.size)
    connections = OpenConnections()

    def stop() -> None:
        pipe.abort(JobCancelled())
        connections.cut()

    def produce() -> None:
        try:
            transfers.with_renewal(
                tokens,
                f"reading '{file.remote}' of {item.listing.perm_id}",
                lambda token: _read_into(item, file, pipe, token, tokens, connections, progress),
            )
        except BaseException as exc:
            pipe.abort(exc if isinstance(exc, (LabError, JobCancelled)) else _wrapped(exc, file))
            raise
        pipe.close()

    reader = asyncio.ensure_future(run_in_own_thread(produce, stop, name="openbis-to-reana"))
    sender = asyncio.ensure_future(
        client.upload_stream(workflow_id, file.workspace_name, pipe, progress.cancel_event)
    )
    try:
        await asyncio.gather(reader, sender)
    except BaseException as exc:
        # One side failed: stop the other, wait for both, then report the first cause.
        pipe.abort(exc if isinstance(exc, Exception) else JobCancelled())
        connections.cut()
        for task in (reader, sender):
            task.cancel()
        await asyncio.gather(reader, sender, return_exceptions=True)
        if isinstance(pipe.error, LabError) and not isinstance(exc, asyncio.CancelledError):
            raise pipe.error from None
        raise


def _read_into(
    item: ResolvedInput,
    file: StagedFile,
    pipe: Pipe,
    token: str,
    tokens: transfers.TokenSource,
    connections: OpenConnections,
    progress: Progress,
) -> None:
    """One GET of the file into the pipe, checked against what openBIS listed."""
    listing = item.listing
    what = f"reading '{file.remote}' of {listing.perm_id}"
    url = f"{listing.dss_url}/datastore_server/{quote(listing.perm_id)}/{quote(file.remote)}"
    received, checksum, held = 0, 0, b""
    try:
        with (
            tracked_session(connections) as session,
            session.get(
                url,
                params={"sessionID": token},
                stream=True,
                timeout=tokens.http_timeout,
                verify=listing.verify,
            ) as response,
        ):
            transfers.check_status(response, token, what)
            # The last chunk is held back until the file is known to be whole and intact:
            # the upload's body then never completes with wrong bytes.
            for chunk in response.iter_content(CHUNK_SIZE):
                progress.check_cancelled()
                received += len(chunk)
                if received > file.size:
                    break
                checksum = crc32(chunk, checksum)
                if held:
                    pipe.write(held)
                    progress.add_bytes(len(held))
                held = chunk
    except (JobCancelled, transfers.TokenRefused, LabError):
        raise
    except Exception as exc:
        progress.check_cancelled()
        if pipe.error is not None:  # the REANA side failed first: its error is the cause
            raise pipe.error from None
        raise transfers.transfer_error(exc, what) from None
    if received != file.size:
        raise UpstreamError(
            f"openBIS sent {received} of the {file.size} bytes of '{file.remote}'",
            code="connection_lost",
        )
    if file.crc32 is not None and checksum != file.crc32:
        raise UpstreamError(
            f"'{file.remote}' of {listing.perm_id} arrived corrupted (CRC32 mismatch)",
            code="checksum",
        )
    if held:
        pipe.write(held)
        progress.add_bytes(len(held))


def _wrapped(exc: BaseException, file: StagedFile) -> LabError:
    return UpstreamError(
        f"Reading '{file.remote}' from openBIS failed ({type(exc).__name__})", code="internal"
    )
