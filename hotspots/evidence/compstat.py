"""A CompStat table per unit: this period against the last, the same period a year ago and the three-period average.

Each comparison gives both counts, the change in per cent and an exact test on two counts:
the conditional binomial test (Przyborowski & Wilenski 1940). If both periods share one rate,
then given the total ``n = now + base``, ``now`` is binomial with ``p = 1 / (1 + k)`` (``k`` the
number of base periods: 1, or 3 for the average). The two-sided mid-p value (Lancaster 1961)
is read against :data:`ALPHA`; only below it is the change called more than chance.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy import stats

from hotspots.incidents import periods


#: Level of the test on two counts.
ALPHA: float = 0.05
#: The comparisons of a CompStat row: name -> (periods back, number of base periods).
COMPARISONS: dict[str, tuple[int, int]] = {"last": (1, 1), "year": (0, 1), "average": (1, 3)}


@dataclass(frozen=True)
class TwoCounts:
    """The test of ``now`` against ``base`` (summed over ``k`` periods)."""

    now: int
    base: int
    k: int
    p_exact: float
    p_mid: float

    @property
    def change(self) -> float | None:
        """Return the change in per cent against the base per period (None when the base is 0)."""
        mean = self.base / self.k
        return None if mean == 0 else round(100.0 * (self.now - mean) / mean, 1)

    @property
    def reading(self) -> str:
        """Return ``up``, ``down`` (more than chance at :data:`ALPHA`) or ``chance``."""
        if self.p_mid >= ALPHA:
            return "chance"
        return "up" if self.now * self.k > self.base else "down"


def two_counts(now: int, base: int, *, k: int = 1) -> TwoCounts:
    """Return the conditional binomial test of ``now`` against ``base`` counted over ``k`` periods.

    Examples
    --------
    >>> small, large = two_counts(6, 4), two_counts(60, 40)
    >>> small.change, small.reading, round(small.p_mid, 3)
    (50.0, 'chance', 0.549)
    >>> large.change, large.reading, round(large.p_exact, 4), round(large.p_mid, 4)
    (50.0, 'up', 0.0569, 0.046)
    """
    n, p = now + base, 1.0 / (1 + k)
    if n == 0:
        return TwoCounts(now, base, k, 1.0, 1.0)
    upper, lower = stats.binom.sf(now - 1, n, p), stats.binom.cdf(now, n, p)
    point = stats.binom.pmf(now, n, p)
    exact = min(1.0, 2 * min(upper, lower))
    mid = min(1.0, 2 * min(upper - point / 2, lower - point / 2))
    return TwoCounts(now, base, k, float(exact), float(mid))


def base_periods(period: str, comparison: str) -> list[str]:
    """Return the periods ``period`` is compared with for ``comparison`` (a key of :data:`COMPARISONS`).

    Examples
    --------
    >>> base_periods("2024-H1", "last"), base_periods("2024-H1", "year"), base_periods("2024-Q1", "average")
    (['2023-H2'], ['2023-H1'], ['2023-Q2', '2023-Q3', '2023-Q4'])
    """
    kind, _ = periods.parse_period(period)
    per_year = {"half": 2, "quarter": 4, "month": 12}[kind]
    back, k = COMPARISONS[comparison]
    back = per_year if comparison == "year" else back
    first = _shift(period, kind, -(back + k - 1))
    return periods.period_range(first, _shift(period, kind, -back))


def _shift(period: str, kind: str, steps: int) -> str:
    """Return the period ``steps`` periods after ``period`` (before when negative)."""
    per_year = {"half": 2, "quarter": 4, "month": 12}[kind]
    year, rest = int(period[:4]), period[5:]
    index = int(rest.lstrip("HQ")) - 1 + steps
    y, i = year + index // per_year, index % per_year
    return {"half": f"{y}-H{i + 1}", "quarter": f"{y}-Q{i + 1}", "month": f"{y}-{i + 1:02d}"}[kind]


def table(wide: pd.DataFrame, period: str, *, key: str = "unit", column: str = "total") -> pd.DataFrame:
    """Return the CompStat rows of ``period`` from a table of counts per ``key`` and ``period``.

    Columns: ``key``, ``now``, then per comparison ``<c>_total`` (the base count, summed over
    its periods), ``<c>_base`` (the base per period), ``<c>_change`` (%), ``<c>_p`` (mid-p) and
    ``<c>_reading`` (``up``/``down``/``chance``).
    """
    counts = wide.pivot_table(index=key, columns="period", values=column, aggfunc="sum", fill_value=0)
    rows = []
    for name in counts.index:
        series = {str(p): int(v) for p, v in counts.loc[name].items()}
        now = series.get(period, 0)
        row: dict[str, object] = {key: name, "now": now}
        for comparison in COMPARISONS:
            bases = base_periods(period, comparison)
            base = sum(series.get(b, 0) for b in bases)
            test = two_counts(now, base, k=len(bases))
            row.update({f"{comparison}_total": base, f"{comparison}_base": round(base / len(bases), 1),
                        f"{comparison}_change": test.change, f"{comparison}_p": round(test.p_mid, 4),
                        f"{comparison}_reading": test.reading})
        rows.append(row)
    columns = [key, "now", *(f"{c}_{x}" for c in COMPARISONS for x in ("total", "base", "change", "p", "reading"))]
    return pd.DataFrame(rows, columns=columns)
