"""Counts of incidents per hotspot, unit and period; the Prediction Accuracy Index.

A hotspot's catchment in a period is its recorded place in the review period (half-year)
holding it: its zone (plus 1 m, so an incident on the edge counts), its street buffered by
:data:`settings.INCIDENT_STREET_BUFFER_M`, or a circle of :data:`settings.INCIDENT_POINT_RADIUS_M`
around a point. With no record yet in that half-year, the latest earlier place is used (else
the first one), and ``place_from`` says which. Everything is one spatial join per period.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.incidents.config import load_config
from hotspots.incidents.periods import _finished, code_label, half_of, labels, period_codes, period_range
from hotspots.plan import model, trends, units


def catchments(observations: gpd.GeoDataFrame, halves: Sequence[str], *, radius_m: float | None = None,
               street_m: float | None = None, crs: str = settings.CRS_METRIC) -> gpd.GeoDataFrame:
    """Return each located hotspot's catchment per half-year (in ``crs``; built in EPSG:32634).

    Columns: ``id``, ``category``, ``half``, ``status`` (of the record used), ``place_from``
    (its period), ``shape`` (the same number for the same catchment), ``geometry``. Each
    distinct place is buffered once; the half-years only pick rows.
    """
    rows, unique = _catchment_rows(observations, halves, radius_m=radius_m, street_m=street_m, crs=crs)
    shape = rows.pop("shape").to_numpy(dtype=np.int64)
    return gpd.GeoDataFrame({**{k: rows[k] for k in rows.columns}, "shape": shape},
                            geometry=unique[shape] if len(shape) else [], crs=crs)


def _catchment_rows(observations: gpd.GeoDataFrame, halves: Sequence[str], *, radius_m: float | None,
                    street_m: float | None, crs: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the rows of :func:`catchments` without their geometry, and the distinct catchments.

    ``rows["shape"]`` indexes the distinct catchments (an array of geometries in ``crs``): the
    counts join incidents to the distinct shapes only, never build a geometry per row.
    """
    radius = settings.INCIDENT_POINT_RADIUS_M if radius_m is None else radius_m
    street = settings.INCIDENT_STREET_BUFFER_M if street_m is None else street_m
    obs = observations[observations.geometry.notna() & ~observations.geometry.is_empty].sort_values(["id", "period"])
    ids, period = obs["id"].to_numpy(dtype=str), obs["period"].to_numpy(dtype=str)
    new_id = np.r_[True, ids[1:] != ids[:-1]] if len(ids) else np.array([], dtype=bool)
    first = np.flatnonzero(new_id)
    picks, labels_ = [], []
    for half in sorted(set(halves)):  # one step per review period, never per incident
        idx = np.flatnonzero(period <= half)
        last = idx[np.r_[ids[idx][1:] != ids[idx][:-1], True]] if len(idx) else idx
        rows = np.sort(np.r_[last, first[~np.isin(ids[first], ids[last])]]).astype(np.int64)
        picks.append(rows)
        labels_.append(np.full(len(rows), half))
    rows = np.concatenate(picks) if picks else np.array([], dtype=np.int64)
    unique, shape = _buffered(obs.geometry, radius, street, crs)
    text = {"id": ids[rows], "category": obs["category"].to_numpy()[rows],
            "half": np.concatenate(labels_) if labels_ else np.array([], dtype=str),
            "status": obs["status"].to_numpy()[rows], "place_from": period[rows]}
    table = pd.DataFrame({**{k: pd.Series(v.astype(object), dtype=object) for k, v in text.items()},  # no arrow strings
                          "shape": shape[rows]})
    return table, unique


def _buffered(geometry: gpd.GeoSeries, radius: float, street: float, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct catchments in ``crs`` and, per geometry, the number of its catchment.

    Catchments are the zones plus the edge tolerance, and the streets and points buffered.

    A hotspot's place seldom changes between periods: ``geometry`` is sorted by hotspot and
    period, and a geometry equal to the row before it is not buffered again.
    """
    if not len(geometry):
        return np.array([], dtype=object), np.array([], dtype=np.int64)
    raw = geometry.to_numpy()
    changed = np.r_[True, ~shapely.equals_exact(raw[1:], raw[:-1], tolerance=0.0)]  # rows sorted by hotspot, period
    shape = np.cumsum(changed) - 1
    return _buffered_unique(raw[changed], radius, street, crs), shape.astype(np.int64)


def _buffered_unique(geometry: np.ndarray, radius: float, street: float, crs: str) -> np.ndarray:
    metric = gpd.GeoSeries(geometry, crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
    raw = metric.to_numpy()
    type_id = shapely.get_type_id(raw)  # 3/6: (multi)polygon, 1/5: (multi)linestring
    polygon, line = np.isin(type_id, [3, 6]), np.isin(type_id, [1, 5])
    out = np.empty(len(raw), dtype=object)
    out[polygon] = shapely.buffer(raw[polygon], settings.INCIDENT_EDGE_TOLERANCE_M, join_style="mitre")
    out[line] = shapely.buffer(raw[line], street)
    rest = ~polygon & ~line
    out[rest] = shapely.buffer(raw[rest], radius)
    if crs == settings.CRS_METRIC:
        return out
    return gpd.GeoSeries(out, crs=settings.CRS_METRIC).to_crs(crs).to_numpy()


def _placed_metric(incidents: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    inc = incidents[incidents.geometry.notna()]
    inc = inc.assign(period=labels(inc["occurred_on"], kind))
    return inc.assign(half=half_of(inc["period"])).to_crs(settings.CRS_METRIC)


def _pairs(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *, kind: str, radius_m: float | None,
           street_m: float | None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (catchment rows, placed mask, incident positions, catchment rows hit, period code of every incident).

    The catchments are built in metres and projected back to EPSG:4326, so the incidents
    are never reprojected (nor copied). ONE STRtree of the distinct catchments is queried
    with every placed incident in bulk (as one ``geopandas.sjoin``); each hit is then
    matched, by array searches, to the hotspots whose catchment that shape is in the
    incident's half-year. Never a loop per incident.
    """
    points = incidents.geometry.to_numpy()
    placed = ~shapely.is_missing(points)
    code, half = period_codes(incidents["occurred_on"], kind)
    halves = {int(h): code_label(int(h), "half") for h in np.unique(half[placed])}
    zones, unique = _catchment_rows(observations, list(halves.values()), radius_m=radius_m, street_m=street_m,
                                    crs=settings.CRS_STORE)
    shape_ids = np.arange(len(unique), dtype=np.int64)
    rows = np.flatnonzero(placed)
    pt, si = shapely.STRtree(unique).query(points[rows], predicate="intersects")
    pt = rows[pt]
    zone_half = pd.Series(zones["half"].to_numpy()).map({v: k for k, v in halves.items()}).to_numpy(dtype=np.int64)
    span = int(max(halves, default=0)) + 1
    key_z = zones["shape"].to_numpy(dtype=np.int64) * span + zone_half
    key_p = shape_ids[si] * span + half[pt]
    order = np.argsort(key_z, kind="stable")
    sorted_z = key_z[order]
    lo, hi = np.searchsorted(sorted_z, key_p, "left"), np.searchsorted(sorted_z, key_p, "right")
    n = hi - lo  # hotspots sharing that catchment in that half-year (usually 1; 0 if none recorded yet)
    start = np.repeat(lo, n) + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return zones, placed, np.repeat(pt, n), order[start], code


def _offence_codes(offences: pd.Series, wanted: Sequence[str]) -> np.ndarray:
    """Return each incident's position in ``wanted`` (-1 if not there): each distinct value looked up once."""
    rows, values = pd.factorize(offences)
    lookup = np.r_[pd.Index(list(wanted)).get_indexer(pd.Index(np.asarray(values, dtype=object))), -1]
    codes: np.ndarray = lookup[rows]  # factorize's -1 (missing) takes the trailing -1
    return codes


def hotspot_pairs(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *, kind: str = "half",
                  radius_m: float | None = None, street_m: float | None = None) -> pd.DataFrame:
    """Return one row per (incident, hotspot) it falls in: ``id``, ``period``, ``offence``, ``place_from``."""
    zones, _placed, pt, zone, code = _pairs(incidents, observations, kind=kind, radius_m=radius_m, street_m=street_m)
    codes = pd.Series(code[pt])
    return pd.DataFrame({"id": zones["id"].to_numpy()[zone],
                         "period": codes.map({c: code_label(int(c), kind) for c in codes.unique()}).to_numpy(),
                         "offence": np.asarray(incidents["offence"], dtype=object)[pt],
                         "place_from": zones["place_from"].to_numpy()[zone]})


def _wide(long: pd.DataFrame, keys: list[str], offences: Sequence[str]) -> pd.DataFrame:
    table = long.groupby([*keys, "offence"]).size().unstack("offence", fill_value=0)
    table = table.reindex(columns=list(offences), fill_value=0)
    table.insert(0, "total", table.sum(axis=1))
    return table.astype(int).reset_index()


def counts_by_hotspot(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *, kind: str = "half",
                      offences: Sequence[str] = (), radius_m: float | None = None,
                      street_m: float | None = None) -> pd.DataFrame:
    """Return incidents per located hotspot and period: ``id``, ``period``, ``total``, one column per offence.

    Every located hotspot has a row for every period holding an incident (zeros included).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> zone = shapely.Point(20.08, 41.113).buffer(0.001)
    >>> obs = gpd.GeoDataFrame({"id": ["H1"], "category": ["drugs_crime"], "period": ["2023-H1"],
    ...                         "status": ["active"]}, geometry=[zone], crs="EPSG:4326")
    >>> inc = gpd.GeoDataFrame({"occurred_on": ["2023-03-01", "2023-03-02"], "offence": ["drugs", "theft"]},
    ...                        geometry=[shapely.Point(20.08, 41.113), shapely.Point(20.2, 41.0)], crs="EPSG:4326")
    >>> counts_by_hotspot(inc, obs, offences=["drugs", "theft"]).to_dict("records")
    [{'id': 'H1', 'period': '2023-H1', 'total': 1, 'drugs': 1, 'theft': 0}]
    """
    offences = list(offences) or sorted(incidents["offence"].dropna().unique())
    points = incidents.geometry.to_numpy()
    placed = np.flatnonzero(~shapely.is_missing(points))
    code, half = period_codes(incidents["occurred_on"], kind)
    periods, first = np.unique(code[placed], return_index=True)
    halves = np.unique(half[placed])
    zones, unique = _catchment_rows(observations, [code_label(int(h), "half") for h in halves],
                                    radius_m=radius_m, street_m=street_m, crs=settings.CRS_STORE)
    ids = pd.Index(sorted(set(zones["id"])))
    cells = _shape_cells(unique, points[placed], np.searchsorted(periods, code[placed]),
                         _offence_codes(incidents["offence"], offences)[placed], len(periods), len(offences))
    at = _shape_at(zones, ids, halves)[:, np.searchsorted(halves, half[placed][first])]  # (hotspot, period)
    picked = np.where((at >= 0)[..., None], cells[np.maximum(at, 0), np.arange(len(periods))], 0)
    picked = picked.reshape(len(ids) * len(periods), len(offences))
    table = pd.DataFrame({"id": np.repeat(ids.to_numpy(), len(periods)),
                          "period": np.tile([code_label(int(c), kind) for c in periods], len(ids)),
                          "total": picked.sum(axis=1)})
    for i, offence in enumerate(offences):
        table[offence] = picked[:, i]
    return table.astype({c: int for c in ["total", *offences]})


def _shape_cells(shapes: np.ndarray, points: np.ndarray, period: np.ndarray, offence: np.ndarray, n_periods: int,
                 n_offences: int) -> np.ndarray:
    """Return the incidents per (distinct catchment, period, offence) as a dense array.

    One STRtree of the points, queried with every catchment in bulk: each catchment is
    prepared once and tested against the points in its box (as ``geopandas.sjoin`` with the
    points on the right), then one ``bincount``. Offences not wanted (-1) are left out.
    """
    shape, point = shapely.STRtree(points).query(shapes, predicate="intersects")
    keep = offence[point] >= 0
    flat = (shape * n_periods + period[point]) * n_offences + offence[point]
    size = len(shapes) * n_periods * n_offences
    return np.bincount(flat[keep], minlength=size).reshape(len(shapes), n_periods, n_offences)


def _shape_at(zones: pd.DataFrame, ids: pd.Index, halves: np.ndarray) -> np.ndarray:
    """Return, per hotspot of ``ids`` and half-year code of ``halves``, its catchment's number (-1: none)."""
    at = np.full((len(ids), len(halves)), -1, dtype=np.int64)
    code = {code_label(int(h), "half"): i for i, h in enumerate(halves)}
    at[ids.get_indexer(pd.Index(zones["id"])), zones["half"].map(code).to_numpy(dtype=np.int64)] = zones["shape"]
    return at


def counts_by_unit(incidents: gpd.GeoDataFrame | pd.DataFrame, *, kind: str = "half",
                   offences: Sequence[str] = ()) -> pd.DataFrame:
    """Return incidents per unit (1-6, ``none`` outside them or unplaced) and period, per offence."""
    offences = list(offences) or sorted(incidents["offence"].dropna().unique())
    if len(incidents) == 0:
        return pd.DataFrame(columns=["unit", "period", "total", *offences])
    unit = incidents["unit"].astype("Int64").astype(str).where(incidents["unit"].notna(), "none")
    long = pd.DataFrame({"unit": unit, "period": labels(incidents["occurred_on"], kind), "offence": incidents["offence"]})
    return _wide(long, ["unit", "period"], offences)


#: Columns of :func:`prediction_accuracy`.
PAI_COLUMNS: tuple[str, ...] = ("period", "problem", "hotspots", "incidents", "inside", "hit_rate", "area_km2",
                                "area_share", "pai")


def incident_problems(incidents: pd.DataFrame) -> pd.Series:
    """Return each incident's plan problem: its ``problem`` column, else its offence class's (``geodata/incidents.yaml``)."""
    if "problem" in incidents.columns:
        return incidents["problem"].astype(object).where(incidents["problem"].notna(), None)
    config = load_config()
    return incidents["offence"].map(lambda o: config.problem(o) if o in config.offences else None).astype(object)


def prediction_accuracy(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *, kind: str = "half",
                        area: BaseGeometry | None = None, radius_m: float | None = None,
                        street_m: float | None = None) -> pd.DataFrame:
    """Return the Prediction Accuracy Index of the designated hotspots per period and plan problem.

    Per problem P (1.7 crime, 1.10 street children: the problems hotspot categories serve,
    :data:`hotspots.plan.model.CATEGORY_PROBLEM`): PAI = (P's incidents inside the catchments of P's
    hotspots recorded **active** in the period's review period ÷ P's placed incidents in the
    study area) ÷ (those catchments' area in it ÷ the study area: :data:`settings.INCIDENT_PAI_AREA`,
    the city unit by default). An incident's problem is that of its offence class
    (``geodata/incidents.yaml``: drugs, theft, violence → 1.7; street children → 1.10); problems
    are never added, and offences of no hotspot problem (domestic violence 1.5, other) are in no
    row. Columns: :data:`PAI_COLUMNS` (``pai`` empty when no hotspot of the problem is active).

    Examples
    --------
    >>> list(PAI_COLUMNS[:3])
    ['period', 'problem', 'hotspots']
    """
    if area is None:
        area = units.city_unit() if settings.INCIDENT_PAI_AREA == "city" else units.municipality()
    study = gpd.GeoSeries([area], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    inc = _placed_metric(incidents, kind)
    inc = inc.assign(problem=incident_problems(inc).to_numpy())
    problems = sorted(set(model.CATEGORY_PROBLEM.values()), key=lambda p: [int(v) for v in p.split(".")])
    inc = inc[inc["problem"].isin(problems)]
    inc = inc[shapely.contains_xy(study, inc.geometry.x.to_numpy(), inc.geometry.y.to_numpy())]
    zones = catchments(observations, list(inc["half"].unique()), radius_m=radius_m, street_m=street_m)
    zones = zones[(zones["status"] == "active") & (zones["place_from"] == zones["half"])]
    zone_problem = zones["category"].map({str(c): p for c, p in model.CATEGORY_PROBLEM.items()})
    rows = [_pai_row(str(period), str(problem), group, zones[(zone_problem == problem).to_numpy()], study)
            for (period, problem), group in inc.groupby(["period", "problem"])]
    out = pd.DataFrame(rows, columns=list(PAI_COLUMNS))
    order = {p: k for k, p in enumerate(problems)}
    return out.sort_values(["period", "problem"], key=lambda c: c.map(order) if c.name == "problem" else c,
                           kind="stable").reset_index(drop=True)


def _pai_row(period: str, problem: str, group: pd.DataFrame, zones: gpd.GeoDataFrame,
             study: BaseGeometry) -> dict[str, object]:
    """Return one row of :func:`prediction_accuracy`: a period's incidents of one problem against its zones."""
    z = zones[zones["half"] == str(group["half"].iloc[0])]
    union = shapely.intersection(shapely.union_all(z.geometry.to_numpy()), study) if len(z) else shapely.Polygon()
    inside = int(shapely.contains_xy(union, group.geometry.x.to_numpy(), group.geometry.y.to_numpy()).sum()) if len(z) else 0
    hit, share = inside / len(group), union.area / float(study.area)
    return {"period": period, "problem": problem, "hotspots": len(z), "incidents": len(group), "inside": inside,
            "hit_rate": round(hit, 4), "area_km2": round(union.area / 1e6, 4), "area_share": round(share, 6),
            "pai": round(hit / share, 2) if share > 0 else None}


def count_trends(table: pd.DataFrame, key: str = "id", column: str = "total", *, today: str | None = None) -> pd.DataFrame:
    """Return the exact Mann-Kendall test on each hotspot's (or unit's) count series over its periods.

    ``table`` is :func:`counts_by_hotspot` (``key="id"``) or :func:`counts_by_unit` (``key="unit"``)
    output. The series runs over every period from the first to the last finished one
    (periods without an incident count as 0; the period under way is left out). Columns:
    ``key``, ``periods`` (first…last), ``series``, ``s``, ``p_value``, ``min_p``, ``label``
    (``rising``/``falling``/``no_trend``/``not_testable``). One test per hotspot or unit,
    never per incident.
    """
    return series_trends(count_series(table, [key], column=column, today=today))


def series_trends(wide: pd.DataFrame) -> pd.DataFrame:
    """Return the exact Mann-Kendall test of every row of a count table (rows = places, columns = periods).

    Columns: the index's names, ``periods`` (first…last), ``series``, ``s``, ``p_value``,
    ``min_p``, ``label`` (``rising``/``falling``/``no_trend``/``not_testable``). One test per
    row (a hotspot or a unit), never per incident.
    """
    span = f"{wide.columns[0]}…{wide.columns[-1]}" if len(wide.columns) else ""
    rows = []
    for name, series in zip(wide.index, wide.to_numpy(dtype=int).tolist(), strict=True):
        test = trends.mann_kendall(series)
        label = "not_testable" if not test.testable else (
            ("rising" if test.s > 0 else "falling") if test.p_value < trends.ALPHA else "no_trend")
        keys = dict(zip(wide.index.names, name if isinstance(name, tuple) else (name,), strict=True))
        rows.append({**keys, "periods": span, "series": series, "s": test.s, "p_value": round(test.p_value, 4),
                     "min_p": round(test.min_p, 4), "label": label})
    return pd.DataFrame(rows, columns=[*wide.index.names, "periods", "series", "s", "p_value", "min_p", "label"])


def count_series(table: pd.DataFrame, keys: list[str], *, today: str | None = None,
                 column: str = "total") -> pd.DataFrame:
    """Return a wide count table (rows ``keys``, one column per period) over every finished period.

    Periods without an incident are there as zeros; the period under way on ``today``
    (default :func:`settings.today`) is left out.
    """
    if table.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=keys))
    wide = table.pivot_table(index=keys, columns="period", values=column, aggfunc="sum", fill_value=0)
    periods = _finished(period_range(min(wide.columns), max(wide.columns)), (today or settings.today().isoformat()))
    return wide.reindex(columns=periods, fill_value=0)


def unit_category_counts(incidents: pd.DataFrame, *, kind: str = "quarter") -> pd.DataFrame:
    """Return incidents per unit, hotspot category and period (``unit``, ``category``, ``period``, ``total``).

    An incident belongs to the category whose plan problem its offence class serves
    (drugs, theft, violence: 1.7 ``crime``; street children: 1.10 ``street_children``);
    the two categories are never added together, other offences count in neither. Units
    are 1-6, or ``none`` outside them.
    """
    of_problem = {p: str(c) for c, p in model.CATEGORY_PROBLEM.items()}
    category = incidents["problem"].map(of_problem)
    mine = incidents[category.notna()]
    unit = pd.to_numeric(mine["unit"], errors="coerce").astype("Int64")
    long = pd.DataFrame({"unit": unit.astype(object).where(unit.notna(), "none"),
                         "category": category[category.notna()], "period": labels(mine["occurred_on"], kind)})
    return long.groupby(["unit", "category", "period"]).size().rename("total").reset_index()


def unit_category_trends(incidents: pd.DataFrame, *, kind: str = "quarter", today: str | None = None) -> pd.DataFrame:
    """Return the exact Mann-Kendall test on each unit's incident counts per category (see :func:`series_trends`).

    Every unit 1-6 and category has a row (an all-zero series is ``not_testable``); ``none``
    (outside the units) only when it holds incidents.
    """
    wide = count_series(unit_category_counts(incidents, kind=kind), ["unit", "category"], today=today)
    units_ = [*settings.UNIT_NUMBERS, *(["none"] if "none" in set(wide.index.get_level_values(0)) else [])]
    grid = pd.MultiIndex.from_product([units_, [str(c) for c in model.Category]], names=["unit", "category"])
    return series_trends(wide.reindex(grid, fill_value=0))
