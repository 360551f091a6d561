"""What the review periods show over time: presence per hotspot, an exact trend test per unit.

The rules (also in the README):

**Which periods count.** A series runs from the first review period up to the last period
whose review is complete (every hotspot active before it has a recorded outcome). A period
still being reviewed would turn "not reviewed" into "absent": it is left out, and the
tables say from which period on the data are incomplete.

**Hotspots** are described, not tested: a presence series (1 = recorded active) over the
counted periods gets one of these plain descriptions:

- ``only_latest``: active in the latest counted period only;
- ``all_periods``: active in every counted period (at least two);
- ``unbroken_recent``: active in an unbroken run of two or more periods up to the latest,
  absent before the run;
- ``on_and_off``: active in the latest period, with a gap before;
- ``not_in_latest``: active before, not in the latest period;
- ``never``: never active.

These names deliberately avoid the vocabulary of Esri's and R sfdep's emerging hot-spot
analysis ("new", "persistent", "historical" …), whose categories rest on Getis-Ord Gi*
significance in most time steps: no such test is run here.

**Units** (per category, never the two added together) get a trend test on their count
of active hotspots per counted period: the Mann-Kendall statistic S with its **exact**
two-sided p-value, computed from the permutation distribution of the observed values
(ties included: every distinct arrangement of the multiset of counts is equally likely
under "no trend"). The smallest p a series can reach is 2 / (number of distinct
arrangements), e.g. 0.083 for 4 distinct values and 0.100 for [1, 1, 1, 2, 2, 2]:

- ``not_testable``: that smallest p is not below :data:`ALPHA` (too few periods or too
  many ties), so no trend can be claimed whatever the counts;
- ``rising`` / ``falling``: p < :data:`ALPHA`, S > 0 / S < 0;
- ``no_trend``: testable, p ≥ :data:`ALPHA`.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np
import pandas as pd

from hotspots.base import settings
from hotspots.plan import model, movement


#: Significance level of the Mann-Kendall trend test.
ALPHA: float = 0.05
#: Longest series with the exact distribution of S; beyond, a seeded permutation test.
EXACT_MAX_N: int = 400
#: Draws of the permutation test used beyond :data:`EXACT_MAX_N`.
PERMUTATIONS: int = 100_000


def presence_label(series: Sequence[int]) -> str:
    """Return the plain description of a presence series (oldest first).

    Examples
    --------
    >>> [presence_label(s) for s in ([0, 0, 1], [1, 1, 1], [1, 0, 1], [1, 1, 0], [0, 1, 1])]
    ['only_latest', 'all_periods', 'on_and_off', 'not_in_latest', 'unbroken_recent']
    """
    present = [1 if v else 0 for v in series]
    if not any(present):
        return "never"
    if not present[-1]:
        return "not_in_latest"
    if sum(present) == 1:
        return "only_latest"
    if all(present):
        return "all_periods"
    first = present.index(1)
    return "unbroken_recent" if all(present[first:]) else "on_and_off"


def mk_statistic(series: Sequence[float]) -> int:
    """Return the Mann-Kendall S: the sum of sign(x_j - x_i) over all i < j.

    Examples
    --------
    >>> mk_statistic([1, 1, 1, 2, 2, 2]), mk_statistic([3, 2, 1])
    (9, -3)
    """
    x = list(series)
    return sum((x[j] > x[i]) - (x[j] < x[i]) for i in range(len(x)) for j in range(i + 1, len(x)))


@dataclass(frozen=True)
class MannKendall:
    """An exact Mann-Kendall test: S, its two-sided p, the smallest p the series could reach."""

    n: int
    s: int
    p_value: float
    min_p: float
    exact: bool

    @property
    def testable(self) -> bool:
        """Return whether p < ALPHA is possible at all for this series."""
        return self.min_p < ALPHA


def _s_distribution(counts: Sequence[int]) -> dict[int, int] | None:
    """Return {S: number of distinct arrangements} for a multiset with value counts ``counts``.

    The inversions of the distinct arrangements of a multiset are counted by the
    q-multinomial coefficient [n]!_q / prod [c]!_q (MacMahon), a polynomial whose k-th
    coefficient is the number of arrangements with k inversions; S = P - 2k with P the
    number of untied pairs. Exact integers, cached per tie structure. Returns None past
    :data:`EXACT_MAX_N` values (the permutation test is used then).
    """
    key = tuple(sorted(int(c) for c in counts))
    if sum(key) > EXACT_MAX_N:
        return None
    return dict(_s_distribution_cached(key))


@lru_cache(maxsize=1024)
def _s_distribution_cached(counts: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    n = sum(counts)
    poly = np.array(_q_factorial(n), dtype=object)  # Python integers: exact at any size
    for c in counts:  # divide by [c]!_q = prod_k (1 - q^k) / (1 - q)
        for k in range(2, c + 1):
            poly = _divide_one_minus_q_power(np.append(poly, 0) - np.insert(poly, 0, 0), k)
    pairs = n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in counts)
    return tuple((pairs - 2 * k, int(ways)) for k, ways in enumerate(poly) if ways)


@lru_cache(maxsize=64)
def _q_factorial(n: int) -> tuple[int, ...]:
    """Return the coefficients of [n]!_q = prod_{k=1..n} (1 + q + … + q^(k-1)) (inversions of n distinct values)."""
    if n <= 1:
        return (1,)
    prev = _q_factorial(n - 1)
    out = [0] * (len(prev) + n - 1)
    running = 0
    for i in range(len(out)):  # multiply by 1 + … + q^(n-1): a sliding window sum
        running += prev[i] if i < len(prev) else 0
        running -= prev[i - n] if 0 <= i - n < len(prev) else 0
        out[i] = running
    return tuple(out)


def _divide_one_minus_q_power(poly: np.ndarray, k: int) -> np.ndarray:
    """Return poly / (1 - q^k) (the division is exact): out[i] = poly[i] + out[i - k], by columns of k."""
    size = len(poly)
    rows = -(-size // k)
    padded = np.zeros(rows * k, dtype=object)
    padded[:size] = poly
    out = np.cumsum(padded.reshape(rows, k), axis=0).ravel()[:size]
    last = len(out)
    while last and out[last - 1] == 0:
        last -= 1
    return out[:last]


def mann_kendall(series: Sequence[float], *, seed: int = 0) -> MannKendall:
    r"""Return the Mann-Kendall test of a series against time, with an exact, tie-aware p.

    Under "no trend" every distinct arrangement of the observed values is equally likely;
    the two-sided p is the share of arrangements with \|S\| at least the observed one.
    For long series (more than :data:`EXACT_MAX_N` values) a seeded permutation test
    with :data:`PERMUTATIONS` draws is used instead (``exact`` False).

    Examples
    --------
    >>> round(mann_kendall([1, 1, 1, 2, 2, 2]).p_value, 4)
    0.1
    >>> [round(mann_kendall(list(range(n))).min_p, 4) for n in (4, 5, 6)]
    [0.0833, 0.0167, 0.0028]
    """
    values = list(series)
    n, s = len(values), mk_statistic(values)
    counts = list(Counter(values).values())
    if n < 2 or len(counts) < 2:
        return MannKendall(n, s, 1.0, 1.0, True)
    total = math.factorial(n) // math.prod(math.factorial(c) for c in counts)
    min_p = float(Fraction(2, total))
    dist = _s_distribution(counts)
    if dist is not None:
        extreme = sum(w for k, w in dist.items() if abs(k) >= abs(s))
        return MannKendall(n, s, float(Fraction(extreme, total)), min_p, True)
    rng = random.Random(seed)
    hits = sum(abs(mk_statistic(rng.sample(values, n))) >= abs(s) for _ in range(PERMUTATIONS))
    return MannKendall(n, s, (hits + 1) / (PERMUTATIONS + 1), min_p, False)


def trend_label(series: Sequence[float]) -> str:
    """Return ``rising``, ``falling``, ``no_trend`` or ``not_testable`` for a count series.

    Examples
    --------
    >>> trend_label([1, 1, 1, 2, 2, 2]), trend_label([1, 2, 3, 4, 5, 6]), trend_label([5, 2, 6, 3, 7, 4])
    ('not_testable', 'rising', 'no_trend')
    """
    test = mann_kendall(series)
    if not test.testable:
        return "not_testable"
    if test.p_value < ALPHA:
        return "rising" if test.s > 0 else "falling"
    return "no_trend"


@dataclass(frozen=True)
class Span:
    """The periods a series counts, and the first period left out for an incomplete review."""

    periods: list[str]
    incomplete_from: str | None


def counted_periods(observations: pd.DataFrame) -> Span:
    """Return the periods from the first up to the last one whose review is complete."""
    present = set(observations["period"])
    all_periods = model.review_periods()
    last = max((i for i, p in enumerate(all_periods) if p in present), default=0)
    counted: list[str] = []
    for period in all_periods[: last + 1]:
        if counted and not movement.completeness(observations, period).complete:
            return Span(counted, period)
        counted.append(period)
    return Span(counted, None)


def _active_table(observations: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    active = observations[(observations["status"] == "active") & observations["period"].isin(periods)]
    return active


def hotspot_trends(observations: pd.DataFrame) -> pd.DataFrame:
    """Return each hotspot's presence description with its series over the counted periods."""
    span = counted_periods(observations)
    active = _active_table(observations, span.periods)
    table = pd.crosstab(active["id"], active["period"]).reindex(
        index=sorted(set(observations["id"])), columns=span.periods, fill_value=0)
    category = observations.drop_duplicates("id", keep="last").set_index("id")["category"]
    rows = [{"id": hid, "category": category.get(hid), "label": presence_label([int(v > 0) for v in values]),
             "series": [int(v > 0) for v in values], "periods": span.periods, "incomplete_from": span.incomplete_from}
            for hid, values in table.iterrows()]
    return pd.DataFrame(rows, columns=["id", "category", "label", "series", "periods", "incomplete_from"])


def unit_trends(observations: pd.DataFrame) -> pd.DataFrame:
    """Return per unit and category the count series over the counted periods and its exact test."""
    span = counted_periods(observations)
    active = _active_table(observations, span.periods)
    rows = []
    for category in [str(c) for c in model.Category]:
        mine = active[active["category"] == category]
        units = [*settings.UNIT_NUMBERS, *([None] if mine["unit"].isna().any() else [])]
        for unit in units:
            here = mine[mine["unit"].isna()] if unit is None else mine[mine["unit"] == unit]
            series = [int((here["period"] == p).sum()) for p in span.periods]
            test = mann_kendall(series)
            rows.append({"unit": unit, "category": category, "label": trend_label(series), "series": series,
                         "periods": span.periods, "s": test.s, "p_value": round(test.p_value, 4),
                         "min_p": round(test.min_p, 4), "exact": test.exact, "incomplete_from": span.incomplete_from})
    return pd.DataFrame(rows, columns=["unit", "category", "label", "series", "periods", "s", "p_value", "min_p",
                                       "exact", "incomplete_from"])
