"""The recorded answers of real REANA servers (`recorded/`, one exchange per file), by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).parent / "recorded"


def recorded(server: str, name: str) -> dict[str, Any]:
    """`recorded("reana-0.9.4", "03-you")`: the exchange's {request, response, note}."""
    return json.loads((RECORDED / server / f"{name}.json").read_text(encoding="utf-8"))


def answer(server: str, name: str) -> Any:
    """The body the real server answered."""
    return recorded(server, name)["response"]["body"]
