"""Find a notebook's running kernel through jupyter_server and ask it for its environment.

jupyter_server's managers are passed in (no tornado here). We talk to the kernel with
jupyter_client's async client on the server's own event loop: a blocking client would
freeze every other request while the kernel thinks. Our client has its own shell socket,
so its replies never mix with the notebook's, and its channels are closed in every case.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient

from ..errors import Conflict, InvalidInput, NotAvailable, UpstreamError, UpstreamTimeout
from ..paths import confine
from .environment import Environment
from .imports import NotebookImports
from .probes import (
    PYTHON_EXPRESSION,
    R_CODE,
    language_of,
    only_imported_r_packages,
    parse_python_reply,
    parse_r_output,
    python_imports_expression,
)


async def find_kernel_id(session_manager: Any, root_dir: Path, notebook: Path) -> str:
    """The id of the live kernel of the session opened on `notebook`, or a 409 telling to start it."""
    for session in await session_manager.list_sessions():
        kernel = session.get("kernel") or {}
        try:
            path = confine(root_dir, str(session.get("path", "")).lstrip("/"))
        except InvalidInput:
            continue
        if path == notebook and kernel.get("id"):
            return str(kernel["id"])
    raise Conflict(
        "No kernel is running for this notebook: open it and start its kernel, then try again",
        field="notebook_path",
        code="no_kernel",
    )


async def probe_environment(
    kernel_manager: Any, kernel_id: str, timeout: float, imports: NotebookImports | None
) -> Environment:
    """Run the language's snippet in the kernel: every installed package when `imports` is
    None, else those providing the notebook's imports. A busy or hung kernel is a 504."""
    try:
        client = kernel_manager.get_kernel(kernel_id).client()
    except KeyError:
        raise Conflict(
            "The notebook's kernel has stopped: start it again, then retry",
            field="notebook_path",
            code="no_kernel",
        ) from None
    if not isinstance(client, AsyncKernelClient):
        raise NotAvailable("This server's kernels do not offer an asynchronous client")
    client.start_channels()
    try:
        return await asyncio.wait_for(_ask(client, timeout, imports), timeout)
    except RuntimeError as exc:  # wait_for_ready: the kernel died or never answered
        raise UpstreamError(f"The notebook's kernel is not responding: {exc}") from None
    except (TimeoutError, asyncio.TimeoutError):
        raise UpstreamTimeout(
            f"The notebook's kernel did not answer within {timeout:g} s; is a cell still running?"
        ) from None
    finally:
        client.stop_channels()


async def _ask(
    client: AsyncKernelClient, timeout: float, imports: NotebookImports | None
) -> Environment:
    info = await client.kernel_info(reply=True, timeout=timeout)
    language = language_of(info)
    if language == "python":
        reply = await client.execute(
            "",
            silent=True,
            store_history=False,
            user_expressions={
                "environment": PYTHON_EXPRESSION
                if imports is None
                else python_imports_expression(imports)
            },
            allow_stdin=False,
            reply=True,
            timeout=timeout,
        )
        _raise_on_error(reply)
        return parse_python_reply(reply["content"])
    # The stream output arrives on IOPub, whose subscription must be live before we ask.
    await client.wait_for_ready(timeout=timeout)
    stdout: list[str] = []

    def collect(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream" and msg["content"].get("name") == "stdout":
            stdout.append(msg["content"].get("text", ""))

    reply = await client.execute_interactive(
        R_CODE, store_history=False, allow_stdin=False, timeout=timeout, output_hook=collect
    )
    _raise_on_error(reply)
    environment = parse_r_output("".join(stdout))
    return environment if imports is None else only_imported_r_packages(environment, imports)


def _raise_on_error(reply: dict[str, Any]) -> None:
    content = reply.get("content", {})
    if content.get("status") != "ok":
        raise UpstreamError(
            f"The kernel failed to list its packages: {content.get('ename', 'unknown error')}"
        )
