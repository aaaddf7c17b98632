"""One benchmark figure: what was measured, against which reference, and whether it met its goal.

Every figure is a ratio measured/reference with a goal on that ratio (time, bytes or latency of this
project against what a user would otherwise use, taken side by side in the same run), or, when
nothing outside the project does the same job, an absolute value with a goal on the value itself.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Figure:
    name: str
    unit: str
    measured: float
    reference: float | None = None
    reference_name: str = ""
    #: highest acceptable measured/reference (or measured, without a reference); None: reported only
    goal: float | None = None
    samples: dict[str, list[float]] = field(default_factory=dict)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.reference is None or self.reference <= 0:
            return None  # e.g. a difference of medians lost in noise: no ratio to judge
        return self.measured / self.reference

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        value = self.ratio if self.reference is not None else self.measured
        return value is not None and value <= self.goal

    def goal_text(self) -> str:
        if self.goal is None:
            return "report"
        if self.reference is None:
            return f"<= {self.goal:g} {self.unit}"
        return f"ratio <= {self.goal:g}"

    def as_json(self) -> dict[str, Any]:
        """Strict JSON: a figure that could not be measured (NaN) is null, as JSON has no NaN."""
        document = {
            **asdict(self),
            "ratio": self.ratio,
            "met": self.met,
            "goal_text": self.goal_text(),
        }
        return _finite(document)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def alternate(runs: int, ways: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Run each way `runs` times, interleaved (ABBA order), so machine noise hits all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in ways}
    order = list(ways)
    for run in range(runs):
        for name in order if run % 2 == 0 else reversed(order):
            samples[name].append(ways[name]())
    return samples


def compared(
    name: str,
    unit: str,
    samples: dict[str, list[float]],
    measured: str,
    reference: str,
    goal: float | None,
    note: str = "",
) -> Figure:
    """A figure from alternated samples: the median of `measured` against the median of `reference`."""
    return Figure(
        name=name,
        unit=unit,
        measured=median(samples[measured]),
        reference=median(samples[reference]),
        reference_name=reference,
        goal=goal,
        samples={measured: samples[measured], reference: samples[reference]},
        note=note,
    )


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def table(figures: Sequence[Figure]) -> str:
    header = ("figure", "goal", "measured", "reference", "ratio", "met/missed")
    rows = [header]
    for figure in figures:
        verdict = {True: "met", False: "MISSED", None: "-"}[figure.met]
        reference = (
            f"{_number(figure.reference, figure.unit)} ({figure.reference_name})"
            if figure.reference is not None
            else "-"
        )
        rows.append(
            (
                figure.name,
                figure.goal_text(),
                _number(figure.measured, figure.unit),
                reference,
                _number(figure.ratio),
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)
