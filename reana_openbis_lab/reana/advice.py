"""Drop reana-client advice from REANA's messages: it means nothing in JupyterLab.

reana-server words some errors for its command line (e.g. a missing workflow is "REANA_WORKON
is set to X, but that workflow does not exist. Please set your REANA_WORKON environment
variable appropriately."). The fact stays, reworded where it names the variable; sentences
that only tell a CLI user what to type or export go. Callers pass short, capped text; every
pattern is linear.
"""

from __future__ import annotations

import re

#: reana-server's wording of a workflow it cannot find, as `get_workflow_by_id_or_name` raises it.
_WORKON_MISSING = re.compile(
    r"REANA_WORKON is set to (?P<name>[^,]*), but that workflow does not exist\.?"
)
#: A sentence that only makes sense at a shell: environment variables, reana-client, options.
_CLI_ONLY = re.compile(
    r"\bREANA_[A-Z_]+\b|environment variable|\breana-client\b|(?:^|[\s`'\"])--[a-z]",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def without_cli_advice(message: str) -> str:
    """`message` with its command-line-only sentences removed; "" when nothing else is left."""
    message = _WORKON_MISSING.sub(r"Workflow \g<name> does not exist.", message)
    kept = [s for s in _SENTENCE_END.split(message.strip()) if s and not _CLI_ONLY.search(s)]
    return " ".join(kept)
