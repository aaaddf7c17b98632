"""openBIS data store -> REANA workspace, one file at a time, through a bounded pipe.

It runs in the lab worker. No byte touches the disk: a thread reads the file from the
data store's plain file route (as downloads do, see `openbis.download`) into a `Pipe`,
checking its size and CRC32 as it goes, while the REANA client sends the pipe's bytes as
the workspace upload's body. Memory per file is the pipe's capacity. A failure on either
side aborts the pipe, which stops the other side at once; a file whose bytes turn out
wrong (short, corrupted) breaks the upload before its last byte, so REANA keeps nothing
of it. The caller deletes whatever was staged when the run does not go ahead.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from isal.isal_zlib import crc32

from ..errors import LabError, UpstreamError
from ..jobs import JobCancelled, ProgressReport
from ..openbis import in_worker, transfers
from ..openbis.download import CHUNK_SIZE
from ..openbis.in_worker import Ticket
from ..pipe import Pipe
from ..reana.client import ReanaClient, StreamTarget
from ..transfer_threads import OpenConnections, tracked_session
from ..worker.context import WorkContext
from .inputs import ResolvedInput, StagedFile


def stage_inputs(
    context: WorkContext,
    tickets: Mapping[str, Ticket],
    target: StreamTarget,
    inputs: Sequence[ResolvedInput],
    workflow_id: str,
    read_timeout: float,
) -> None:
    """Runs in the lab worker: stream every input file into the workspace (`tickets`: the
    openBIS connections by name). A cut upload may have left something behind: the caller
    deletes the workflow, or else every input name, when the run does not go ahead."""
    progress = context.progress
    client = target.client()
    for item in inputs:
        _, tokens = in_worker.token_source(context, tickets[item.connection], read_timeout)
        for file in item.files:
            progress.check_cancelled()
            progress.set_step(f"staging {item.listing.perm_id}: {file.workspace_name}")
            stage_file(context, item, file, tokens, client, workflow_id)
            progress.file_done()


def stage_file(
    context: WorkContext,
    item: ResolvedInput,
    file: StagedFile,
    tokens: transfers.TokenSource,
    client: ReanaClient,
    workflow_id: str,
) -> None:
    """A thread reads the file from the data store into the pipe while this one sends the
    pipe's bytes as the workspace upload; either side's failure stops the other at once."""
    progress = context.progress
    pipe = Pipe(file.size)
    connections = context.connections.child()

    def produce() -> None:
        try:
            transfers.with_renewal(
                tokens,
                f"reading '{file.remote}' of {item.listing.perm_id}",
                lambda token: _read_into(item, file, pipe, token, tokens, connections, progress),
            )
        except BaseException as exc:
            pipe.abort(exc if isinstance(exc, (LabError, JobCancelled)) else _wrapped(exc, file))
            return
        pipe.close()

    reader = threading.Thread(target=produce, name="openbis-to-reana", daemon=True)
    reader.start()
    try:
        client.upload_stream_blocking(
            workflow_id, file.workspace_name, pipe, context.cancel_event, connections
        )
    except BaseException as exc:
        # One side failed: stop the other, wait for it, then report the first cause.
        pipe.abort(exc if isinstance(exc, Exception) else JobCancelled())
        connections.cut()
        reader.join()
        if isinstance(pipe.error, LabError) and not isinstance(exc, JobCancelled):
            raise pipe.error from None
        raise
    reader.join()
    if pipe.error is not None:
        raise pipe.error


def _read_into(
    item: ResolvedInput,
    file: StagedFile,
    pipe: Pipe,
    token: str,
    tokens: transfers.TokenSource,
    connections: OpenConnections,
    progress: ProgressReport,
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
