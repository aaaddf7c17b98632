"""Huge and slow specs never hang the server: a size cap (400) and a time cap (504)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .spec_support import server_config

MAX_BYTES = 200_000


@pytest.fixture
def extension_config(reana_client_env: Path) -> dict[str, Any]:
    return server_config(
        reana_client_env, reana_validation_max_bytes=MAX_BYTES, reana_validation_timeout=0.5
    )


def spec_with_unused_parameters(count: int) -> str:
    """reana-client warns once per unused parameter: slow for many of them."""
    lines = ["inputs:", "  parameters:"]
    lines += [f"    p{i}: {i}" for i in range(count)]
    lines += [
        "workflow:",
        "  type: serial",
        "  specification:",
        "    steps:",
        "      - environment: python:3.12",
        "        commands: [echo hi]",
    ]
    return "\n".join(lines) + "\n"


async def test_a_spec_over_the_size_cap_is_refused_before_reading(api, jp_root_dir: Path) -> None:
    # Given
    (jp_root_dir / "reana.yaml").write_text("# padding\n" * (MAX_BYTES // 10 + 1))
    # When
    status, body = await api("POST", "reana/validate", {"path": "reana.yaml"})
    # Then
    assert status == 400
    assert body["code"] == "spec_too_large"
    assert f"{MAX_BYTES:,}" in body["message"]


async def test_a_spec_that_takes_too_long_answers_504_and_the_next_one_works(
    api, jp_root_dir: Path
) -> None:
    # Given a spec reana-client needs seconds for, and a small one
    (jp_root_dir / "slow.yaml").write_text(spec_with_unused_parameters(12_000))
    (jp_root_dir / "small.yaml").write_text(spec_with_unused_parameters(1))
    await api("POST", "reana/validate", {"path": "small.yaml"})  # worker warm
    # When
    status, body = await api("POST", "reana/validate", {"path": "slow.yaml"})
    # Then
    assert status == 504
    assert body["code"] == "worker_timeout"
    status, body = await api("POST", "reana/validate", {"path": "small.yaml"})
    assert status == 200
    assert body["verdict"] == "valid-with-warnings"


async def test_a_yaml_alias_bomb_is_refused_before_reana_client_expands_it(
    api, jp_root_dir: Path
) -> None:
    # Given ten levels of ten aliases: 10^10 strings once expanded, a few hundred bytes on disk
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        levels.append(f"a{level}: &a{level} [{refs}]")
    bomb = "\n".join(f"    {line}" for line in levels)
    spec = (
        f"inputs:\n  parameters:\n{bomb}\n"
        "workflow:\n  type: serial\n  specification:\n    steps:\n"
        "      - environment: python:3.12\n        commands:\n          - echo ${a9}\n"
    )
    (jp_root_dir / "bomb.yaml").write_text(spec)
    # When
    status, body = await api("POST", "reana/validate", {"path": "bomb.yaml"})
    # Then
    assert status == 200
    assert body["verdict"] == "invalid"
    assert "aliases (*name) expand to more than 1,000,000 values" in body["errors"][0]["message"]


async def test_absurdly_deep_nesting_is_refused_not_a_server_error(api, jp_root_dir: Path) -> None:
    # Given
    (jp_root_dir / "deep.yaml").write_text("workflow: " + "[" * 20_000 + "]" * 20_000 + "\n")
    # When
    status, body = await api("POST", "reana/validate", {"path": "deep.yaml"})
    # Then
    assert status == 200
    assert body["verdict"] == "invalid"
    assert "nested too deeply" in body["errors"][0]["message"]
