"""confine() is the single gate for user paths; every hostile payload must be refused."""

from __future__ import annotations

import pytest

from reana_openbis_lab.errors import InvalidInput
from reana_openbis_lab.paths import confine
from tests.hostile_paths import HOSTILE_PATHS, plant_escape_symlinks


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    plant_escape_symlinks(root, tmp_path / "outside")
    return root


@pytest.mark.parametrize("payload", HOSTILE_PATHS)
def test_hostile_payload_is_refused_with_the_field_named(root, payload: str) -> None:
    with pytest.raises(InvalidInput) as info:
        confine(root, payload, field="destination")
    assert info.value.field == "destination"


@pytest.mark.parametrize(
    "payload", ["", ".", "a.txt", "a/b/c.txt", "new-folder/", "name with spaces.csv", "ü.txt"]
)
def test_ordinary_paths_stay_inside(root, payload: str) -> None:
    resolved = confine(root, payload)
    assert resolved == root.resolve() or root.resolve() in resolved.parents


def test_symlink_inside_root_is_allowed(root) -> None:
    (root / "data").mkdir()
    (root / "alias").symlink_to(root / "data")
    assert confine(root, "alias") == (root / "data").resolve()


@pytest.mark.parametrize("value", [None, 3, ["a"], {"a": 1}])
def test_non_strings_are_refused(root, value: object) -> None:
    with pytest.raises(InvalidInput):
        confine(root, value)
