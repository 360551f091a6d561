"""Forecast scoring of the named hot zones: the zones in force at period P scored against P+1.

- **hit rate**: the share of P+1's incidents inside the zones;
- **PAI** (Chainey, Tompson & Uhlig 2008): hit rate ÷ the zones' share of the study area;
- **RRI**, the Recapture Rate Index (Levine 2008): P+1's hit rate ÷ P's hit rate (above 1:
  the zones caught more of the next period's incidents than of their own);
- **stability** of the Gi* hot cells: the share of P's hot cells still hot in P+1 and the
  Jaccard index of both sets.

Zones are the catchments of :func:`hotspots.incidents.counts.catchments` (zone, street buffer
or circle) of the hotspots recorded active in P's review period, per plan problem.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.evidence import hotspot_detection
from hotspots.evidence.compstat import _shift
from hotspots.incidents import counts as incident_counts
from hotspots.incidents import periods
from hotspots.plan import model, units


#: Columns of :func:`scores`.
COLUMNS: tuple[str, ...] = ("period", "next", "problem", "offence", "zones", "incidents_before", "inside_before",
                            "incidents", "inside", "hit_rate", "area_share", "pai", "rri")


def score(zones: BaseGeometry, study: BaseGeometry, before: np.ndarray, after: np.ndarray) -> dict[str, float | int | None]:
    """Return hit rate, area share, PAI and RRI of metric ``zones`` for (n, 2) arrays of metric points.

    ``before`` are the incidents of the period the zones were named in, ``after`` those of the next.

    Examples
    --------
    >>> square = shapely.box(0, 0, 100, 100)
    >>> zone = shapely.box(0, 0, 10, 10)
    >>> after = np.array([[5, 5], [6, 6], [50, 50], [70, 70]])
    >>> before = np.array([[5, 5], [50, 50], [60, 60], [70, 70]])
    >>> score(zone, square, before, after)
    {'inside_before': 1, 'inside': 2, 'hit_rate': 0.5, 'area_share': 0.01, 'pai': 50.0, 'rri': 2.0}
    """
    zones = shapely.intersection(zones, study)
    inside_a = int(shapely.contains_xy(zones, after[:, 0], after[:, 1]).sum()) if len(after) else 0
    inside_b = int(shapely.contains_xy(zones, before[:, 0], before[:, 1]).sum()) if len(before) else 0
    share = float(zones.area / study.area)
    hit = inside_a / len(after) if len(after) else None
    hit_before = inside_b / len(before) if len(before) else None
    return {"inside_before": inside_b, "inside": inside_a, "hit_rate": None if hit is None else round(hit, 4),
            "area_share": round(share, 6), "pai": round(hit / share, 2) if hit is not None and share > 0 else None,
            "rri": round(hit / hit_before, 2) if hit is not None and hit_before else None}


def next_period(period: str) -> str:
    """Return the period after ``period`` (same length).

    Examples
    --------
    >>> next_period("2023-H2"), next_period("2023-Q4"), next_period("2023-12")
    ('2024-H1', '2024-Q1', '2024-01')
    """
    kind, _ = periods.parse_period(period)
    return _shift(period, kind, 1)


def zones_in_force(observations: gpd.GeoDataFrame, period: str, problem: str) -> tuple[BaseGeometry, int]:
    """Return the union of the catchments (EPSG:32634) of ``problem``'s hotspots active in ``period``, and their number.

    The hotspots are those recorded active in the review period (half-year) holding ``period``.
    """
    half = str(periods.half_of(pd.Series([period])).iloc[0])
    zones = incident_counts.catchments(observations, [half])
    zones = zones[(zones["status"] == "active") & (zones["place_from"] == zones["half"])]
    mine = zones[zones["category"].map({str(c): p for c, p in model.CATEGORY_PROBLEM.items()}) == problem]
    return (shapely.union_all(mine.geometry.to_numpy()) if len(mine) else shapely.Polygon()), len(mine)


def _xy(incidents: gpd.GeoDataFrame) -> np.ndarray:
    placed = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
    if placed.empty:
        return np.zeros((0, 2))
    m = placed.geometry.to_crs(settings.CRS_METRIC)
    return np.column_stack([m.x.to_numpy(), m.y.to_numpy()])


def scores(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, period: str, *,
           area: BaseGeometry | None = None) -> pd.DataFrame:
    """Return the scores of ``period``'s zones on the next period per plan problem and per offence class of it.

    A problem's own row has ``offence`` = ``all``.

    Columns: :data:`COLUMNS`.
    """
    study = gpd.GeoSeries([area or units.city_unit()], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    after_period = next_period(period)
    before = hotspot_detection.in_period(incidents, period)
    after = hotspot_detection.in_period(incidents, after_period)
    problem_of = {"before": incident_counts.incident_problems(before), "after": incident_counts.incident_problems(after)}
    rows = []
    for problem in sorted(set(model.CATEGORY_PROBLEM.values())):
        zones, n = zones_in_force(observations, period, problem)
        b, a = before[(problem_of["before"] == problem).to_numpy()], after[(problem_of["after"] == problem).to_numpy()]
        for offence in ["all", *sorted(set(b["offence"]) | set(a["offence"]))]:
            bb = b if offence == "all" else b[b["offence"] == offence]
            aa = a if offence == "all" else a[a["offence"] == offence]
            xb, xa = _within(_xy(bb), study), _within(_xy(aa), study)
            rows.append({"period": period, "next": after_period, "problem": problem, "offence": offence, "zones": n,
                         "incidents_before": len(xb), "incidents": len(xa), **score(zones, study, xb, xa)})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _within(xy: np.ndarray, study: BaseGeometry) -> np.ndarray:
    return xy[shapely.contains_xy(study, xy[:, 0], xy[:, 1])] if len(xy) else xy


def hot_cells(detection: hotspot_detection.Detection, *, level: int | None = None) -> set[str]:
    """Return the ids of the cells labelled hot at ``level`` per cent or more (default :data:`settings.GI_PROPOSAL_LEVEL`)."""
    least = settings.GI_PROPOSAL_LEVEL if level is None else level
    labels = detection.label
    hot = np.array([hotspot_detection.confidence(str(v)) >= least and str(v).startswith("hot") for v in labels], dtype=bool)
    return set(detection.grid.ids()[hot].tolist())


def stability(first: set[str], second: set[str]) -> dict[str, float | int | None]:
    """Return how many hot cells each period has, how many stay hot, the share kept and the Jaccard index.

    Examples
    --------
    >>> stability({"a", "b", "c", "d"}, {"c", "d", "e"})
    {'hot_before': 4, 'hot_after': 3, 'kept': 2, 'kept_share': 0.5, 'jaccard': 0.4}
    """
    kept, union = len(first & second), len(first | second)
    return {"hot_before": len(first), "hot_after": len(second), "kept": kept,
            "kept_share": round(kept / len(first), 4) if first else None,
            "jaccard": round(kept / union, 4) if union else None}
