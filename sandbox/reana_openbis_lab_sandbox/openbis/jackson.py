"""Jackson's object identity on the wire: "@id" numbers and integer back-references.

openBIS serialises its DTOs with @JsonIdentityInfo: every DTO (any object with "@type",
ids and fetch options included) gets a sequential "@id" when first written, and a later
occurrence of the same Java instance is written as that bare integer. Clients must
resolve them (pybis' parse_jackson does, for the keys it knows). The sandbox reproduces
it: the serializer reuses one dict for what openBIS would share as one instance (a type,
a person, a collection, the nested fetch options), and this walk numbers the tree.
"""

from __future__ import annotations

import itertools
from typing import Any

#: Result wrappers that Jackson writes without identity.
WITHOUT_IDENTITY = {"as.dto.common.search.SearchResult"}


def with_identities(value: Any) -> Any:
    """A copy of `value` with "@id" on every DTO and repeats replaced by their number."""
    numbers: dict[int, int] = {}
    counter = itertools.count(1)

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        type_name = node.get("@type")
        if not isinstance(type_name, str) or type_name in WITHOUT_IDENTITY:
            return {key: walk(item) for key, item in node.items() if key != "@id"}
        known = numbers.get(id(node))
        if known is not None:
            return known
        number = numbers[id(node)] = next(counter)
        written: dict[str, Any] = {"@type": type_name, "@id": number}
        for key, item in node.items():
            if key not in ("@type", "@id"):
                written[key] = walk(item)
        return written

    return walk(value)
