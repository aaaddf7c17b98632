"""Byte counts in words, in the one unit system the panel uses (src/components/format.ts).

1024-based like JupyterLab's file browser, and labelled with binary prefixes because that is
what is computed: 125,829,120 bytes are "120 MiB", not "120 MB".
"""

from __future__ import annotations

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def human_size(count: int) -> str:
    """`count` bytes as the panel shows them, e.g. "2.2 GiB"; whole bytes below 1 KiB."""
    value = float(max(count, 0))
    unit = 0
    while unit < len(_UNITS) - 1 and round(value, 1) >= 1024:
        value /= 1024
        unit += 1
    if unit == 0:
        return f"{int(value)} B"
    shown = f"{value:.1f}".removesuffix(".0")
    return f"{shown} {_UNITS[unit]}"
