"""Camera coverage of the hot zones: view areas, the share of each zone a working camera sees, per unit and over periods."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.base.i18n import t
from hotspots.base.labels import COVERAGE, label
from hotspots.places.cameras import CameraStatus, _opt


#: Share of a hot zone a camera view must cover for the zone to count as ``covered``.
COVERED_MIN: float = 0.9


#: Share below which a hot zone counts as ``not`` covered (a glimpse of a corner is not coverage).
PARTLY_MIN: float = 0.1


#: Radius, in metres, of the small zone a point hotspot stands for, by its location grade.
POINT_ZONE_M: dict[str, float] = {"exact": 50.0, "landmark": 150.0, "approximate": 300.0}


#: Segments per quarter circle of the view areas (area error under 0.02 %).
QUAD_SEGS: int = 64


#: Coverage classes, best first.
CLASSES: tuple[str, ...] = ("covered", "partly", "not", "unlocated")


def view_area(x: float, y: float, radius_m: float, direction: float | None = None,
              angle: float | None = None) -> BaseGeometry:
    """Return the view area of a camera at metric ``(x, y)``: a circle, or a sector.

    ``direction`` is in degrees clockwise from north; ``angle`` is the full field of view.

    Examples
    --------
    >>> round(view_area(0, 0, 100).area / (math.pi * 100**2), 3)
    1.0
    >>> round(view_area(0, 0, 100, direction=90, angle=90).area / (math.pi * 100**2), 3)
    0.25
    """
    if direction is None or angle is None or angle >= 360:
        return shapely.Point(x, y).buffer(radius_m, quad_segs=QUAD_SEGS)
    steps = max(2, int(math.ceil(angle / 90 * QUAD_SEGS)))
    bearings = np.radians(np.linspace(direction - angle / 2, direction + angle / 2, steps + 1))
    arc = [(x + radius_m * math.sin(b), y + radius_m * math.cos(b)) for b in bearings]
    return shapely.Polygon([(x, y), *arc])


def working_view(cameras: gpd.GeoDataFrame) -> BaseGeometry:
    """Return the union of the working cameras' view areas in EPSG:32634 (empty if none)."""
    if cameras.crs is None:
        raise ValidationError("err_crs_missing")
    working = cameras[cameras["status"] == CameraStatus.WORKING]
    if working.empty:
        return shapely.Polygon()
    points = working.geometry.to_crs(settings.CRS_METRIC)
    areas = [view_area(x, y, float(r), _opt(d), _opt(a))
             for x, y, r, d, a in zip(points.x, points.y, working["radius_m"], working["direction"], working["angle"],
                                      strict=True)]
    return shapely.union_all(areas)


def hot_zone(geom: BaseGeometry, quality: str) -> BaseGeometry:
    """Return what a hotspot's coverage is measured on (metric geometry in, metric out).

    A zone or a street is itself; a point becomes the disc of :data:`POINT_ZONE_M` of its grade.
    """
    if geom.geom_type in ("Point", "MultiPoint"):
        return geom.buffer(POINT_ZONE_M.get(quality, POINT_ZONE_M["approximate"]), quad_segs=QUAD_SEGS)
    return geom


def covered_share(zone: BaseGeometry, view: BaseGeometry) -> float:
    """Return the share (0–1) of ``zone`` inside ``view``: by area, or by length for a street.

    Examples
    --------
    >>> street = shapely.LineString([(0, 0), (200, 0)])
    >>> covered_share(street, view_area(0, 0, 100))
    0.5
    """
    if view.is_empty or zone.is_empty:
        return 0.0
    part = zone.intersection(view)
    if zone.area > 0:
        return min(1.0, float(part.area / zone.area))
    if zone.length > 0:
        return min(1.0, float(part.length / zone.length))
    return 1.0 if not part.is_empty else 0.0


def covers(zone: BaseGeometry, view: BaseGeometry) -> bool:
    """Return whether a view area covers a hot zone (metric): the one test of coverage and siting alike.

    ``zone`` is what the hotspot's coverage is measured on (:func:`hot_zone`); it is covered
    when its share inside ``view`` reaches :data:`COVERED_MIN`, as :func:`coverage_class` says.

    Examples
    --------
    >>> covers(shapely.Point(0, 0).buffer(150), view_area(0, 0, 50)), covers(shapely.Point(30, 0), view_area(0, 0, 50))
    (False, True)
    """
    return coverage_class(covered_share(zone, view)) == "covered"


def coverage_class(share: float | None) -> str:
    """Return ``covered``, ``partly``, ``not`` (or ``unlocated`` for None) for a share.

    Examples
    --------
    >>> [coverage_class(s) for s in (0.95, 0.5, 0.05, None)]
    ['covered', 'partly', 'not', 'unlocated']
    """
    if share is None:
        return "unlocated"
    if share >= COVERED_MIN:
        return "covered"
    return "partly" if share >= PARTLY_MIN else "not"


#: Columns of :func:`coverage`.
COVERAGE_COLUMNS: tuple[str, ...] = ("id", "name", "category", "unit", "recorded_in", "share", "class", "measured_on")


def hot_zones_as_of(hotspots: gpd.GeoDataFrame, period: str) -> gpd.GeoDataFrame:
    """Return each hotspot's latest record up to ``period``, if that record is active.

    Hot zones are recorded at reviews; a zone recorded active in 2022-H1 and not reviewed
    since is still the place to watch in a later period (its ``period`` says when it was
    recorded). Resolved and removed hotspots are left out.
    """
    upto = hotspots[hotspots["period"] <= period].sort_values("period", kind="stable")
    latest = upto.drop_duplicates("id", keep="last")
    return latest[latest["status"] == "active"]


def coverage(hotspots: gpd.GeoDataFrame, cameras: gpd.GeoDataFrame, *, period: str) -> pd.DataFrame:
    """Return the coverage of every hot zone of ``period`` by the working cameras.

    Parameters
    ----------
    hotspots
        Observations as :meth:`hotspots.plan.store.Store.hotspots` returns them (EPSG:4326);
        the hot zones are :func:`hot_zones_as_of` ``period``.
    cameras
        The camera register (:func:`read_cameras`), EPSG:4326.
    period
        The review period.

    Returns
    -------
    pandas.DataFrame
        One row per hotspot (:data:`COVERAGE_COLUMNS`); ``share`` is missing for an
        unlocated hotspot; ``measured_on`` says ``area``, ``length`` or ``disc <r> m``.
    """
    if hotspots.crs is None or cameras.crs is None:
        raise ValidationError("err_crs_missing")
    view = working_view(cameras)
    active = hot_zones_as_of(hotspots, period)
    metric = active.geometry.to_crs(settings.CRS_METRIC).to_numpy()
    quality = active["location_quality"].astype(str).to_numpy()
    located = ~shapely.is_missing(metric) & ~shapely.is_empty(metric)
    share = np.round(_covered_shares(_hot_zones(metric[located], quality[located]), view), 4)
    shares = pd.Series([None] * len(active), dtype=object)
    shares[located] = share
    basis = [_basis(g, q) if ok else "" for g, q, ok in zip(metric, quality, located, strict=True)]
    rows = list(zip(active["id"], active["name"], active["category"],
                    [None if pd.isna(u) else int(u) for u in active["unit"]], active["period"], shares,
                    [coverage_class(None if v is None else float(v)) for v in shares], basis, strict=True))
    out = pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))
    out["unit"] = out["unit"].astype("Int64")
    out["share"] = out["share"].astype("Float64")
    return out


def _hot_zones(geoms: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Return :func:`hot_zone` of every metric geometry (points buffered in one call), vectorised."""
    point = np.isin(shapely.get_type_id(geoms), [0, 4])
    radius = np.array([POINT_ZONE_M.get(q, POINT_ZONE_M["approximate"]) for q in quality[point]], dtype=float)
    out = geoms.copy()
    out[point] = shapely.buffer(geoms[point], radius, quad_segs=QUAD_SEGS)
    return out


def _covered_shares(zones: np.ndarray, view: BaseGeometry) -> np.ndarray:
    """Return :func:`covered_share` of every zone in ``view``, vectorised (only zones meeting the view are cut)."""
    out = np.zeros(len(zones))
    if view.is_empty or not len(zones):
        return out
    shapely.prepare(view)
    meet = shapely.intersects(view, zones) & ~shapely.is_empty(zones)
    zone = zones[meet]
    part = shapely.intersection(zone, view)
    area, length = shapely.area(zone), shapely.length(zone)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(area > 0, shapely.area(part) / area,
                         np.where(length > 0, shapely.length(part) / length, (~shapely.is_empty(part)).astype(float)))
    out[meet] = np.minimum(1.0, share)
    return out


def _basis(geom: BaseGeometry, quality: str) -> str:
    if geom.geom_type in ("Point", "MultiPoint"):
        return f"disc {POINT_ZONE_M.get(quality, POINT_ZONE_M['approximate']):.0f} m"
    return "area" if geom.area > 0 else "length"


def coverage_by_unit(table: pd.DataFrame) -> pd.DataFrame:
    """Return per unit (and "no unit") and category the number of hotspots per class.

    Columns: ``unit`` (None for no unit), ``category``, one per class of :data:`CLASSES`,
    ``total``.
    """
    if table.empty:
        return pd.DataFrame(columns=["unit", "category", *CLASSES, "total"])
    frame = table.assign(unit=table["unit"].astype("Int64"))
    counts = pd.crosstab([frame["unit"].fillna(0), frame["category"]], frame["class"])
    counts = counts.reindex(columns=list(CLASSES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    out = counts.reset_index()
    out["unit"] = pd.array([pd.NA if u == 0 else int(u) for u in out["unit"]], dtype="Int64")
    return out


def summary(table: pd.DataFrame, register: gpd.GeoDataFrame) -> dict[str, int]:
    """Return the number of hot zones per coverage class and of ``working`` cameras."""
    counts = table["class"].value_counts()
    out = {k: int(counts.get(k, 0)) for k in CLASSES}
    out["working"] = int((register["status"] == CameraStatus.WORKING).sum()) if not register.empty else 0
    return out


def summary_labels(table: pd.DataFrame, register: gpd.GeoDataFrame, lang: str) -> list[tuple[str, int]]:
    """Return :func:`summary` as (label in ``lang``, number) pairs: the classes, then working cameras."""
    return [(t("cam_working", lang) if k == "working" else label(COVERAGE, k, lang), v)
            for k, v in summary(table, register).items()]


def coverage_over_periods(hotspots: gpd.GeoDataFrame, cameras: gpd.GeoDataFrame,
                          periods: list[str]) -> pd.DataFrame:
    """Return per period the number of hot zones per coverage class (today's camera register).

    Periods before the first record of any hotspot are left out.
    """
    first = hotspots["period"].min() if not hotspots.empty else None
    rows = []
    for period in periods:
        if first is None or period < first:
            continue
        counts = coverage(hotspots, cameras, period=period)["class"].value_counts()
        rows.append({"period": period, **{k: int(counts.get(k, 0)) for k in CLASSES}})
    return pd.DataFrame(rows, columns=["period", *CLASSES])


def display_coverage(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a coverage table for people: the share in per cent, the class in words of ``lang``."""
    return pd.DataFrame({
        t("col_id", lang): table["id"], t("col_name", lang): table["name"],
        t("col_unit_short", lang): [("—" if pd.isna(u) else str(int(u))) for u in table["unit"]],
        t("col_recorded_in", lang): table["recorded_in"],
        t("col_share", lang): [("—" if pd.isna(s) else f"{float(s):.0%}") for s in table["share"]],
        t("col_coverage_class", lang): [label(COVERAGE, c, lang) for c in table["class"]],
    })


def without_camera(table: pd.DataFrame) -> pd.DataFrame:
    """Return the located hot zones no working camera covers (class ``not``)."""
    return table[table["class"] == "not"].reset_index(drop=True)
