"""Sizes in messages read like the panel's: 1024-based, labelled with binary prefixes."""

import pytest

from reana_openbis_lab.sizes import human_size


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1024, "1 KiB"),
        (2837, "2.8 KiB"),
        (125_829_120, "120 MiB"),
        (2_362_232_012, "2.2 GiB"),
        (1024 * 1024 - 1, "1 MiB"),
    ],
)
def test_a_size_says_what_was_computed(count: int, shown: str) -> None:
    assert human_size(count) == shown
