"""The paging fields reana-server's lists carry, as its workflow controller computes them."""

from __future__ import annotations

from typing import Any


def page_fields(page: int | None, size: int | None, total: int) -> dict[str, Any]:
    """`page` always; with a `size`, the slice's bounds and links to its neighbours (REANA
    links `prev` and `next` even where none exists, and says so in `has_prev`/`has_next`)."""
    number = page or 1
    fields: dict[str, Any] = {"page": number, "total": total, "has_prev": False, "has_next": False}
    if size:
        first, last = (number - 1) * size, number * size
        fields.update(
            size=size,
            from_idx=first,
            to_idx=last,
            links={
                "prev": {"page": number - 1},
                "self": {"page": number},
                "next": {"page": number + 1},
            },
            has_prev=first > 0,
            has_next=last < total,
        )
    return fields
