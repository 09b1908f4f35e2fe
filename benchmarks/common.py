"""What every benchmark shares: a result row, medians, the printed table."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Result:
    """One line of the table: a figure, its same-run baseline and its target.

    A target is either absolute (``target_abs``, in ``unit``) or a ratio to the
    baseline (``target_ratio``); rows with neither are for information."""

    name: str
    measured: float
    baseline: float | None = None
    unit: str = "ms"
    target_abs: float | None = None
    target_ratio: float | None = None
    samples: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.measured / self.baseline

    @property
    def target(self) -> str:
        if self.target_abs is not None:
            return f"≤ {self.target_abs:g} {self.unit}"
        if self.target_ratio is not None:
            return f"≤ {self.target_ratio:g}× base"
        return "-"

    @property
    def verdict(self) -> str:
        if self.target_abs is not None:
            return "OK" if self.measured <= self.target_abs else "OVER"
        if self.target_ratio is not None and self.ratio is not None:
            return "OK" if self.ratio <= self.target_ratio else "OVER"
        return ""


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed_ms(fn: Callable[[], object], *, runs: int, warmup: int = 1) -> list[float]:
    """Milliseconds of ``runs`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    return f"{value:.1f} {unit}"


def table(results: list[Result]) -> str:
    """The results as a plain-text table."""
    head = ("benchmark", "target", "measured", "baseline", "ratio", "result")
    rows = [(r.name, r.target, _fmt(r.measured, r.unit), _fmt(r.baseline, r.unit),
             f"{r.ratio:.2f}×" if r.ratio is not None else "-", r.verdict) for r in results]
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(len(head))]
    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    out = [line(head), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)
