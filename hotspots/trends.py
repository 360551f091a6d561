"""Trend labels over all review periods, in the spirit of emerging hot-spot analysis.

Emerging hot-spot analysis (ESRI) labels space-time bins from Getis-Ord Gi* hot spots in
many time steps and a Mann-Kendall trend. This plan has six half-year periods and a few
named hotspots, not counts on a grid, so the labels are adapted and written down here
(and in the README):

For a **hotspot**, the series is its presence (active = 1, otherwise 0) in each period
from the first review period up to the latest period holding any data:

- ``new``: present in the latest period only;
- ``persistent``: present in every period of the series (with six steps, ESRI's "90 %
  of the time" means all of them), at least two;
- ``consecutive``: present in an unbroken run of two or more periods ending with the
  latest, but absent before the run;
- ``sporadic``: present in the latest period, and on-again off-again before;
- ``historical``: absent in the latest period, present before;
- ``none``: never present.

For a **unit**, the series is its count of active hotspots per period. A Mann-Kendall
test (Kendall's tau of counts against time, p < 0.05, at least four periods) gives
``intensifying`` (counts rising, still present) or ``diminishing`` (falling, still
present); without a significant trend, the presence labels above apply to count > 0.
A single hotspot has no magnitude, so it is never intensifying or diminishing.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
from scipy.stats import kendalltau

from hotspots import model, settings

LABELS: tuple[str, ...] = ("new", "consecutive", "persistent", "intensifying", "diminishing", "sporadic", "historical", "none")
#: Significance level of the Mann-Kendall trend test.
ALPHA: float = 0.05
#: Fewest periods for a trend test to be tried.
MIN_TREND_PERIODS: int = 4


def presence_label(series: Sequence[int]) -> str:
    """Return the label of a presence series (oldest first).

    Examples
    --------
    >>> presence_label([0, 0, 1]), presence_label([1, 1, 1]), presence_label([1, 0, 1]), presence_label([1, 1, 0])
    ('new', 'persistent', 'sporadic', 'historical')
    """
    present = [1 if v else 0 for v in series]
    if not any(present):
        return "none"
    if not present[-1]:
        return "historical"
    if sum(present) == 1:
        return "new"
    if all(present):
        return "persistent"
    first = present.index(1)
    if all(present[first:]):
        return "consecutive"
    return "sporadic"


def trend(series: Sequence[float]) -> tuple[float, float]:
    """Return Kendall's tau and its p-value for a series against time (Mann-Kendall)."""
    if len(series) < MIN_TREND_PERIODS or len(set(series)) == 1:
        return 0.0, 1.0
    tau, p = kendalltau(list(range(len(series))), list(series))
    return float(tau), float(p)


def count_label(series: Sequence[float]) -> str:
    """Return the label of a count series (oldest first)."""
    tau, p = trend(series)
    if series and series[-1] > 0 and p < ALPHA:
        return "intensifying" if tau > 0 else "diminishing"
    return presence_label([1 if v > 0 else 0 for v in series])


def series_periods(gdf: gpd.GeoDataFrame) -> list[str]:
    """Return the review periods from the first up to the latest one holding data."""
    periods = model.review_periods()
    present = set(gdf["period"])
    last = max((i for i, p in enumerate(periods) if p in present), default=0)
    return periods[: last + 1]


def hotspot_trends(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return each hotspot's label with its presence series (``series``: one 0/1 per period)."""
    periods = series_periods(gdf)
    active = gdf[gdf["status"] == "active"]
    table = pd.crosstab(active["id"], active["period"]).reindex(index=sorted(set(gdf["id"])), columns=periods, fill_value=0)
    rows = []
    for hid, values in table.iterrows():
        series = [int(v > 0) for v in values]
        rows.append({"id": hid, "label": presence_label(series), "series": series, "periods": periods})
    return pd.DataFrame(rows, columns=["id", "label", "series", "periods"])


def unit_trends(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return each unit's label with its count series (active hotspots per period)."""
    periods = series_periods(gdf)
    active = gdf[(gdf["status"] == "active") & gdf["unit"].notna()]
    table = pd.crosstab(active["unit"].astype(int), active["period"]).reindex(
        index=list(settings.UNIT_NUMBERS), columns=periods, fill_value=0)
    rows = []
    for unit, values in table.iterrows():
        series = [int(v) for v in values]
        tau, p = trend(series)
        rows.append({"unit": unit, "label": count_label(series), "series": series, "periods": periods,
                     "tau": round(tau, 3), "p_value": round(p, 4)})
    return pd.DataFrame(rows, columns=["unit", "label", "series", "periods", "tau", "p_value"])
