"""Security cameras (activities 1.3.1–1.3.3, 1.7.2): the register, view areas, coverage of hot zones.

A camera is a point with an owner, a status, a view radius and, optionally, a direction and
an angle of view. Its **view area** is a circle of ``radius_m`` around it, or a sector when
both ``direction`` (degrees clockwise from north) and ``angle`` (the full field of view, in
degrees) are given. Only ``working`` cameras see anything: broken and planned ones cover
nothing. Everything is measured in EPSG:32634.

The **coverage** of an active hotspot is the share of its place inside the union of the
working cameras' view areas: the share of the **area** of a zone; the share of the
**length** of a street; for a point, the share of the disc of :data:`POINT_ZONE_M` (by its
location grade) around it, since a point hotspot stands for a small zone whose extent is
as uncertain as its grade. Classes: ``covered`` (share ≥ :data:`COVERED_MIN`), ``partly``
(≥ :data:`PARTLY_MIN`), ``not`` (below), ``unlocated`` (no place: no figure).

Cameras carry no per-period history of their own status: the coverage of any period uses
the register as it stands (retired cameras are left out). The pages say so.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import HotspotError, ImportFileError, NotFoundError, ValidationError
from hotspots.base.i18n import t
from hotspots.base.labels import COVERAGE, label
from hotspots.places import store as places_store
from hotspots.plan import model, units
from hotspots.plan.store import Store


class Owner(StrEnum):
    """Who runs a camera."""

    MUNICIPALITY = "municipality"
    POLICE = "police"
    PRIVATE = "private"
    UNKNOWN = "unknown"


class CameraStatus(StrEnum):
    """Whether a camera works today: only ``working`` cameras cover anything."""

    WORKING = "working"
    BROKEN = "broken"
    PLANNED = "planned"
    #: Mapped somewhere (e.g. OpenStreetMap) but not checked on site: covers nothing.
    UNVERIFIED = "unverified"


#: Location grades a camera may have (it is always a point: never unlocated).
CAMERA_GRADES: tuple[str, ...] = ("exact", "landmark", "approximate")
#: Default view radius, in metres, of a camera added without one.
DEFAULT_RADIUS_M: float = 50.0
#: Largest accepted view radius, in metres.
MAX_RADIUS_M: float = 500.0
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


@dataclass(frozen=True)
class Camera:
    """A validated camera, ready to store.

    ``direction`` and ``angle`` are both given or both None.
    """

    lat: float
    lon: float
    owner: str
    status: str
    radius_m: float = DEFAULT_RADIUS_M
    direction: float | None = None
    angle: float | None = None
    name: str = ""
    location_quality: str = "approximate"
    source: str = ""
    notes: str = ""
    id: str | None = None

    def row(self) -> dict[str, Any]:
        """Return the database row (``id`` only when given)."""
        row: dict[str, Any] = {
            "name": self.name, "owner": self.owner, "status": self.status, "radius_m": self.radius_m,
            "direction": self.direction, "angle": self.angle,
            "geometry_wkt": shapely.Point(round(self.lon, 7), round(self.lat, 7)).wkt,
            "location_quality": self.location_quality, "source": self.source, "notes": self.notes,
        }
        return {"id": self.id, **row} if self.id else row


def _number(value: Any, field: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError("err_cam_number", field=field, value=value, low=low, high=high) from None
    if not (math.isfinite(number) and low <= number <= high):
        raise ValidationError("err_cam_number", field=field, value=value, low=low, high=high)
    return number


def make_camera(
    *, lat: Any, lon: Any, owner: str, status: str, radius_m: Any = DEFAULT_RADIUS_M, direction: Any = None,
    angle: Any = None, name: str = "", location_quality: str = "approximate", source: str = "", notes: str = "",
    id: str | None = None,
) -> Camera:
    """Return a validated :class:`Camera`.

    Raises
    ------
    ValidationError
        On a bad coordinate (or one outside the municipality), owner, status, grade,
        radius (0 < r ≤ 500 m), or a direction/angle given without the other.

    Examples
    --------
    >>> make_camera(lat=41.1152, lon=20.0823, owner="police", status="working").radius_m
    50.0
    """
    flat, flon = model.check_lat_lon(lat, lon)
    units.check_inside_municipality(shapely.Point(flon, flat))
    model.check_choice(owner, Owner, "owner")
    model.check_choice(status, CameraStatus, "status")
    if location_quality not in CAMERA_GRADES:
        raise ValidationError("err_choice", field="location_quality", value=location_quality,
                              allowed=", ".join(CAMERA_GRADES))
    radius = _number(radius_m, "radius_m", 1.0, MAX_RADIUS_M)
    given = [v is not None and not (isinstance(v, float) and math.isnan(v)) and v != "" for v in (direction, angle)]
    if given[0] != given[1]:
        raise ValidationError("err_cam_direction_pair")
    d = _number(direction, "direction", 0.0, 360.0) if given[0] else None
    a = _number(angle, "angle", 1.0, 360.0) if given[1] else None
    return Camera(lat=flat, lon=flon, owner=owner, status=status, radius_m=radius, direction=d, angle=a,
                  name=model.check_note(name).strip(), location_quality=location_quality,
                  source=model.check_note(source), notes=model.check_note(notes), id=(id or None))


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


def number_text(value: Any) -> str:
    """Return an optional number as text for a form field ("" when missing).

    Examples
    --------
    >>> number_text(None), number_text(90.0), number_text(float("nan"))
    ('', '90', '')
    """
    return "" if value is None or pd.isna(value) else f"{float(value):g}"


def _opt(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


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


def register_table(register: gpd.GeoDataFrame, *, internal: bool) -> pd.DataFrame:
    """Return the register as a table with ``lat``/``lon`` (and ``notes`` only when ``internal``).

    The retirement columns are left out: the register holds no retired camera. A direction or
    angle nobody recorded reads "—" (not "None").
    """
    shown = register.drop(columns=["geometry", "retired_at", "retired_reason"], errors="ignore").assign(
        lat=register.geometry.y.round(6), lon=register.geometry.x.round(6),
        **{c: [number_text(v) or "—" for v in register[c]] for c in ("direction", "angle") if c in register})
    return shown if internal else shown.drop(columns="notes")


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


# -- the register in the store ---------------------------------------------------------------
def add_camera(store: Store, camera: Camera, *, author: str) -> str:
    """Store a new camera (history kept); return its id."""
    return places_store.upsert(store, "camera", [camera.row()], author=author, action="add")[0]["id"]


def update_camera(store: Store, camera: Camera, *, author: str) -> str:
    """Update a stored camera (moved, status, radius …; history kept); return the result.

    Raises
    ------
    ValidationError
        If ``camera`` has no id.
    NotFoundError
        If no camera has that id.
    ConflictError
        If the camera is retired.
    """
    if not camera.id:
        raise ValidationError("err_place_unknown", id="")
    known = read_cameras(store, include_retired=True)
    if camera.id not in set(known["id"]):
        raise NotFoundError("err_place_unknown", id=camera.id)
    return places_store.upsert(store, "camera", [camera.row()], author=author, action="update")[0]["result"]


def retire_camera(store: Store, camera_id: str, *, author: str, reason: str) -> None:
    """Retire a camera (removed from the street, or entered by mistake); kept in the history."""
    places_store.retire(store, "camera", camera_id, author=author, reason=reason)


def read_cameras(store: Store, *, include_retired: bool = False) -> gpd.GeoDataFrame:
    """Return the camera register as a GeoDataFrame in EPSG:4326."""
    return places_store.read(store, "camera", include_retired=include_retired)


#: Properties of an exported camera feature, in order.
EXPORT_FIELDS: tuple[str, ...] = ("id", "name", "owner", "status", "radius_m", "direction", "angle",
                                  "location_quality", "source")


def read_camera_file(source: Path | bytes) -> list[Camera]:
    """Read and validate a GeoJSON file (a path, or its bytes) of camera points (all or nothing).

    Properties: ``owner``, ``status`` (working/broken/planned), ``radius_m``; optional
    ``id``, ``direction``, ``angle``, ``name``, ``location_quality``, ``source``, ``notes``.

    Raises
    ------
    ImportFileError
        If the file cannot be read, is too big, is not points, or any feature is invalid
        (the message names the feature).
    """
    features = places_store.read_features(source)
    return [_feature_camera(i, f) for i, f in enumerate(features, start=1)]


def _feature_camera(number: int, feature: dict[str, Any]) -> Camera:
    props = feature.get("properties") or {}
    geom = feature.get("geometry") or {}
    try:
        if geom.get("type") != "Point" or len(geom.get("coordinates") or []) < 2:
            raise ValidationError("err_geometry_type", value=geom.get("type"), allowed="Point")
        lon, lat = geom["coordinates"][:2]
        known = {k: props[k] for k in ("direction", "angle", "name", "source", "notes", "location_quality") if k in props}
        return make_camera(lat=lat, lon=lon, owner=str(props.get("owner", "")), status=str(props.get("status", "")),
                           radius_m=props.get("radius_m", DEFAULT_RADIUS_M), id=props.get("id") or None,
                           **{k: (v if v is not None else "") if k in ("name", "source", "notes") else v
                              for k, v in known.items()})
    except HotspotError as exc:
        raise ImportFileError("err_feature", number=number, cause=exc) from None


def import_cameras(store: Store, source: Path | bytes, *, author: str) -> list[dict[str, str]]:
    """Import a GeoJSON file (a path, or its bytes) of cameras in one transaction.

    Returns per camera its id and result. A feature without a ``notes`` property keeps
    the stored camera's notes (exports leave them out), so an exported file imports back
    unchanged.
    """
    data = places_store.source_bytes(source)
    features = places_store.read_features(data)
    rows = []
    for camera, feature in zip(read_camera_file(data), features, strict=True):
        row = camera.row()
        if "notes" not in (feature.get("properties") or {}):
            row.pop("notes")
        rows.append(row)
    return places_store.upsert(store, "camera", rows, author=author, action="import")


def changed_camera(register: gpd.GeoDataFrame, camera_id: str, *, point: tuple[float, float] | None = None,
                   **changes: Any) -> Camera:
    """Return the stored camera ``camera_id`` with ``changes``, validated, ready for :func:`update_camera`.

    ``point`` (lat, lon) moves it; ``changes`` are fields of :func:`make_camera` (``owner``,
    ``status``, ``radius_m``, ``direction``, ``angle`` …; a blank direction or angle is none).

    Raises
    ------
    NotFoundError
        If the register holds no camera ``camera_id``.
    ValidationError
        If a changed value is not allowed.
    """
    stored = register.set_index("id")
    if camera_id not in stored.index:
        raise NotFoundError("err_place_unknown", id=camera_id)
    row = stored.loc[camera_id]
    lat, lon = point if point is not None else (row.geometry.y, row.geometry.x)
    fields: dict[str, Any] = {k: row[k] for k in ("owner", "status", "radius_m", "direction", "angle", "name",
                                                   "location_quality", "source", "notes")}
    fields.update({k: (None if v == "" else v) for k, v in changes.items()})
    fields.update({k: str(fields[k]) for k in ("name", "location_quality", "source", "notes", "owner", "status")})
    return make_camera(lat=lat, lon=lon, id=camera_id, **fields)


def export_cameras(cameras: gpd.GeoDataFrame) -> bytes:
    """Return the cameras as GeoJSON bytes (EPSG:4326; the file ``import`` reads back).

    Notes are internal and never exported.
    """
    frame = cameras[[*EXPORT_FIELDS, "geometry"]].copy()
    frame = frame.astype({"direction": "float64", "angle": "float64"})
    doc = json.loads(frame.to_json(na="null", drop_id=True))
    buf = io.StringIO()
    json.dump(doc, buf, ensure_ascii=False, indent=1)
    return buf.getvalue().encode("utf-8")
