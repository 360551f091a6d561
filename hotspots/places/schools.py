"""Schools as a context layer (problems 1.3 and 1.4): the register, its activities, distances to hotspots.

The starting data are the school nodes of OpenStreetMap (2019 extract; unnamed, ODbL);
staff import a fuller file (GeoJSON points; properties ``name``, optional ``id``,
``activities`` — plan activity ids, comma-separated — ``location_quality``, ``source``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from hotspots.base import settings
from hotspots.base.errors import HotspotError, ImportFileError, ValidationError
from hotspots.places import store as places_store
from hotspots.places.coverage import hot_zones_as_of
from hotspots.plan import model, units
from hotspots.plan.exchange import _read_bytes, parse_geojson
from hotspots.plan.plan import load_plan
from hotspots.plan.store import Store


#: The plan activities that work through schools (1.3 safety in schools, 1.4 young people).
SCHOOL_ACTIVITIES: tuple[str, ...] = ("1.3.4", "1.3.5", "1.4.1", "1.4.2", "1.4.3")
#: The same, as the comma-separated text a school's ``activities`` field holds (the default of :func:`make_school`).
SCHOOL_ACTIVITIES_TEXT: str = ",".join(SCHOOL_ACTIVITIES)
#: A school this close to an active hotspot, in metres, is flagged on the plan page.
NEAR_M: float = 300.0
SCHOOL_GRADES: tuple[str, ...] = ("exact", "landmark", "approximate")


@dataclass(frozen=True)
class School:
    """A validated school, ready to store."""

    name: str
    lat: float
    lon: float
    activities: tuple[str, ...] = SCHOOL_ACTIVITIES
    location_quality: str = "exact"
    source: str = ""
    id: str | None = None

    def row(self) -> dict[str, Any]:
        """Return the database row (``id`` only when given)."""
        row = {"name": self.name, "geometry_wkt": shapely.Point(round(self.lon, 7), round(self.lat, 7)).wkt,
               "location_quality": self.location_quality, "activities": ",".join(self.activities),
               "source": self.source}
        return {"id": self.id, **row} if self.id else row


def parse_activities(value: Any) -> tuple[str, ...]:
    """Return plan activity ids from a list or a comma-separated text, each checked against the plan.

    A problem id (``1.3``) stands for its school activities of :data:`SCHOOL_ACTIVITIES`.
    """
    items = value if isinstance(value, list) else str(value or "").split(",")
    out: list[str] = []
    plan = load_plan()
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        if item in {p.id for p in plan.problems}:
            out.extend(a for a in SCHOOL_ACTIVITIES if a.startswith(item + "."))
            continue
        try:
            plan.activity(item)
        except (KeyError, ValueError):
            raise ValidationError("err_activity_unknown", value=item) from None
        out.append(item)
    return tuple(dict.fromkeys(out))


def make_school(*, name: Any, lat: Any, lon: Any, activities: Any = SCHOOL_ACTIVITIES_TEXT,
                location_quality: str = "exact", source: str = "", id: str | None = None) -> School:
    """Return a validated :class:`School` (inside the municipality, known activities)."""
    flat, flon = model.check_lat_lon(lat, lon)
    units.check_inside_municipality(shapely.Point(flon, flat))
    if location_quality not in SCHOOL_GRADES:
        raise ValidationError("err_choice", field="location_quality", value=location_quality,
                              allowed=", ".join(SCHOOL_GRADES))
    return School(name=model.check_name(name), lat=flat, lon=flon, activities=parse_activities(activities),
                  location_quality=location_quality, source=model.check_note(source), id=id or None)


def read_school_file(path: Path) -> list[School]:
    """Read and validate a GeoJSON file of school points (all or nothing).

    Raises
    ------
    ImportFileError
        Naming the first invalid feature.
    """
    features = parse_geojson(_read_bytes(path))
    if not features:
        raise ImportFileError("err_file_empty")
    out = []
    for number, feature in enumerate(features, start=1):
        props, geom = feature.get("properties") or {}, feature.get("geometry") or {}
        try:
            if geom.get("type") != "Point":
                raise ValidationError("err_geometry_type", value=geom.get("type"), allowed="Point")
            lon, lat = geom["coordinates"][:2]
            out.append(make_school(name=props.get("name"), lat=lat, lon=lon, id=props.get("id"),
                                   activities=props.get("activities", ",".join(SCHOOL_ACTIVITIES)),
                                   location_quality=str(props.get("location_quality", "exact")),
                                   source=props.get("source") or ""))
        except HotspotError as exc:
            raise ImportFileError("err_feature", number=number, cause=exc) from None
    return out


def import_schools(store: Store, path: Path, *, author: str) -> list[dict[str, str]]:
    """Import a GeoJSON file of schools in one transaction."""
    rows = [s.row() for s in read_school_file(path)]
    return places_store.upsert(store, "school", rows, author=author, action="import")


def read_schools(store: Store, *, include_retired: bool = False) -> gpd.GeoDataFrame:
    """Return the schools as a GeoDataFrame in EPSG:4326."""
    return places_store.read(store, "school", include_retired=include_retired)


#: Columns of :func:`nearest_hotspots`.
NEAREST_COLUMNS: tuple[str, ...] = ("school_id", "school", "activities", "hotspot_id", "hotspot", "distance_m", "near")


def nearest_hotspots(schools: gpd.GeoDataFrame, hotspots: gpd.GeoDataFrame, *, period: str) -> pd.DataFrame:
    """Return, per school, the nearest located hot zone of ``period`` and its distance.

    The hot zones are :func:`hotspots.places.coverage.hot_zones_as_of` ``period`` (latest record
    up to it, active).

    Distances are measured in EPSG:32634 to the hotspot's shape (zone edge, street, point);
    0 means the school is inside the zone. ``near`` is True within :data:`NEAR_M`.
    """
    if schools.crs is None or hotspots.crs is None:
        raise ValidationError("err_crs_missing")

    zones = hot_zones_as_of(hotspots, period)
    active = zones[zones.geometry.notna() & ~zones.geometry.is_empty]
    rows: list[tuple[Any, ...]] = []
    if schools.empty:
        return pd.DataFrame(columns=list(NEAREST_COLUMNS))
    s_m = schools.geometry.to_crs(settings.CRS_METRIC)
    h_m = active.geometry.to_crs(settings.CRS_METRIC)
    for (_, school), point in zip(schools.iterrows(), s_m, strict=True):
        if h_m.empty:
            rows.append((school["id"], school["name"], school["activities"], None, None, None, False))
            continue
        distances = h_m.distance(point)
        k = int(distances.to_numpy().argmin())
        d = round(float(distances.iloc[k]), 0)
        h = active.iloc[k]
        rows.append((school["id"], school["name"], school["activities"], h["id"], h["name"], d, d <= NEAR_M))
    return pd.DataFrame(rows, columns=list(NEAREST_COLUMNS))
