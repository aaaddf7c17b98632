"""Absurd sizes are decided before work: every local path field refuses a path deeper or longer
than the file system can hold, with a 400 naming the field, before anything is created.

A mount point 2,000 folders deep used to hold its request for 30 s and leave an empty tree
1,312 levels deep; as a REANA download destination it was a 202, then a job failing with
RecursionError. Each field of every route that names a local path gets both shapes here.
"""
# Fixtures are imported by name and then requested as parameters of the same name:
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest

from reana_openbis_lab.paths import MAX_DEPTH, PATH_MAX
from tests.openbis.transfer_fixtures import openbis, seeded  # noqa: F401

from .support import (  # noqa: F401  (fixtures)
    CONNECTION,
    extension_config,
    snapshot,
    wait_for_jobs,
)
from .test_confinement import REMOTE, senders

#: 2,000 folders: within the 4,096 characters a field may have, far beyond any real tree.
DEEP = "a/" * 2000 + "x"
#: 4,096 characters in 21 names: shallow, but with any root in front longer than PATH_MAX.
LONG = ("n" * 200 + "/") * 19 + "n" * 255 + "/" + "n" * 21
#: Fields that take a single file name, refused by their own form before any path rule.
NAMES = {
    ("exportRequirements", "requirements_filename"),
    ("exportRequirements", "runtime_filename"),
}
LOCAL = sorted(set(senders("X")) - REMOTE)


@pytest.fixture
def root(jp_root_dir: Path) -> Path:
    """The files the valid parts of each request name."""
    (jp_root_dir / "ok.txt").write_text("harmless")
    (jp_root_dir / "nb.ipynb").write_text("{}")
    (jp_root_dir / "dl").mkdir()
    return jp_root_dir


def test_the_shapes_are_beyond_the_limits_but_within_the_fields_length() -> None:
    assert DEEP.count("/") > MAX_DEPTH and len(DEEP) <= 4096
    assert LONG.count("/") < MAX_DEPTH and len(LONG) == PATH_MAX


@pytest.mark.parametrize("field", LOCAL, ids=[f"{op}.{name}" for op, name in LOCAL])
async def test_a_path_too_deep_or_too_long_is_a_400_naming_the_field_and_makes_nothing(
    field: tuple[str, str], api, jp_fetch, seeded, root: Path
) -> None:
    send = senders(seeded.raw_measurement_1)[field]
    before = snapshot(root)
    for payload in (DEEP, LONG):
        # When the field holds the path
        status, reply = await send({"api": api, "jp_fetch": jp_fetch}, payload)
        # Then it is refused at once, naming the field
        assert status == 400, (payload[:20], status, reply)
        assert reply["field"].split("[")[0] == field[1], reply
        if field not in NAMES:
            assert "deep" in reply["message"] or "long" in reply["message"], reply
    # And no job ran and nothing was made in the root
    assert await wait_for_jobs(api) == []
    assert snapshot(root) == before
    if field[0] == "mountOpenbis":
        status, _ = await api("GET", f"openbis/connections/{CONNECTION}/mount")
        assert status == 200
