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
import pandas as pd
import shapely

from hotspots.base.errors import HotspotError, ImportFileError, NotFoundError, ValidationError
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


def register_table(register: gpd.GeoDataFrame, *, internal: bool) -> pd.DataFrame:
    """Return the register as a table with ``lat``/``lon`` (and ``notes`` only when ``internal``).

    The retirement columns are left out: the register holds no retired camera. A direction or
    angle nobody recorded reads "—" (not "None").
    """
    shown = register.drop(columns=["geometry", "retired_at", "retired_reason"], errors="ignore").assign(
        lat=register.geometry.y.round(6), lon=register.geometry.x.round(6),
        **{c: [number_text(v) or "—" for v in register[c]] for c in ("direction", "angle") if c in register})
    return shown if internal else shown.drop(columns="notes")


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
