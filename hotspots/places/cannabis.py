"""Cannabis-risk zones (activities 1.9.1–1.9.3): zones per administrative unit, public view, trends.

Cultivation is rural: zones lie in the 12 administrative units around the city
(``geodata/admin_units.geojson``), not in lagje 1–6. A zone is a polygon with a risk level,
the years cultivation was found there (none: a risk assessment only) and its source.

**Places, never persons.** Activity 1.9.1 also speaks of "a database of the individuals
involved": this app holds none. The **public view** (1.9.3: the territories where narcotic
plants were grown) shows only zones where cultivation was found, at least
:func:`hotspots.base.settings.cannabis_min_area_ha` large, generalised (grown by
:data:`PUBLIC_BLUR_M`, simplified, clipped to the administrative unit) so that no plot —
hence no owner — can be read off it; smaller zones are only counted per administrative
unit. Sources and notes are never public.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import HotspotError, ImportFileError, ValidationError
from hotspots.places import store as places_store
from hotspots.plan import model, trends, units
from hotspots.plan.store import Store


class Risk(StrEnum):
    """Risk level of a zone, as the police or the municipality assessed it."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


#: Metres a zone is grown by (then simplified by half of it) before the public sees it.
PUBLIC_BLUR_M: float = 100.0
#: Earliest year accepted for a finding.
FIRST_YEAR: int = 2000


@dataclass(frozen=True)
class Zone:
    """A validated cannabis-risk zone, ready to store."""

    geometry: BaseGeometry
    admin_unit: str
    risk: str
    years: tuple[int, ...] = ()
    source: str = ""
    notes: str = ""
    id: str | None = None

    def row(self) -> dict[str, Any]:
        """Return the database row (``id`` only when given)."""
        row = {"admin_unit": self.admin_unit, "risk": self.risk, "years": ",".join(map(str, self.years)),
               "geometry_wkt": model.canonical(self.geometry).wkt, "source": self.source, "notes": self.notes}
        return {"id": self.id, **row} if self.id else row


def admin_units() -> gpd.GeoDataFrame:
    """Return the administrative units (``name``, geometry) in EPSG:4326 (Elbasan: 13).

    A municipality folder without them has one: the municipality itself, under its name.
    """
    if not settings.ADMIN_UNITS_FILE.is_file():
        return gpd.GeoDataFrame({"name": [settings.MUNICIPALITY.short_name]},
                                geometry=[units.municipality()], crs=settings.CRS_STORE)
    return units.read_layer(settings.ADMIN_UNITS_FILE)[["name", "geometry"]]


def admin_unit_of(geom: BaseGeometry) -> str:
    """Return the administrative unit holding the largest part of ``geom`` (EPSG:4326).

    Raises
    ------
    ValidationError
        If ``geom`` meets no administrative unit.
    """
    layer = admin_units()
    metric = layer.to_crs(settings.CRS_METRIC)
    g = gpd.GeoSeries([geom], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    shares = metric.geometry.intersection(g).area
    if float(shares.max()) <= 0:
        point = geom.representative_point()
        raise ValidationError("err_outside_area", lat=round(point.y, 5), lon=round(point.x, 5))
    return str(layer["name"].iloc[int(shares.to_numpy().argmax())])


def parse_years(value: Any, *, today: date | None = None) -> tuple[int, ...]:
    """Return sorted distinct years from a list or a comma-separated text.

    Examples
    --------
    >>> parse_years("2021, 2019,2021", today=date(2026, 1, 1))
    (2019, 2021)
    """
    last = (today or settings.today()).year
    items = value if isinstance(value, list) else str(value or "").replace(";", ",").split(",")
    years = set()
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        if not item.isdigit() or not FIRST_YEAR <= int(item) <= last:
            raise ValidationError("err_zone_year", value=item, low=FIRST_YEAR, high=last)
        years.add(int(item))
    return tuple(sorted(years))


def geometry_from_text(text: str, default: BaseGeometry | None = None) -> BaseGeometry | None:
    """Return the shape of a pasted GeoJSON geometry, or ``default`` when the text is blank.

    A Feature, or a FeatureCollection of exactly one feature (what GIS programs and
    geojson.io copy), is read as its geometry.

    Raises
    ------
    ValidationError
        If the text is not a GeoJSON geometry (or holds several features).

    Examples
    --------
    >>> geometry_from_text('{"type": "Point", "coordinates": [20.1, 41.1]}').wkt
    'POINT (20.1 41.1)'
    """
    if not text.strip():
        return default
    try:
        doc = json.loads(text)
        if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
            features = doc.get("features") or []
            if len(features) != 1:
                raise ValueError(f"{len(features)} features, one expected")
            doc = features[0]
        if isinstance(doc, dict) and doc.get("type") == "Feature":
            doc = doc.get("geometry")
        return shapely.geometry.shape(doc)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        raise ValidationError("err_geometry_malformed", reason=str(exc)) from None


def make_zone(*, geometry: BaseGeometry | None, risk: str, years: Any = (), source: str = "", notes: str = "",
              admin_unit: str | None = None, id: str | None = None) -> Zone:
    """Return a validated :class:`Zone`; its administrative unit is computed from the shape.

    Raises
    ------
    ValidationError
        If the shape is not a valid polygon inside the municipality, the risk or a year is
        not allowed, or a given ``admin_unit`` differs from the computed one.
    """
    if geometry is None or geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationError("err_geometry_type", value=getattr(geometry, "geom_type", None),
                              allowed="Polygon, MultiPolygon")
    if not geometry.is_valid:
        raise ValidationError("err_geometry_invalid", reason=shapely.is_valid_reason(geometry))
    units.check_inside_municipality(geometry.representative_point())
    model.check_choice(risk, Risk, "risk")
    computed = admin_unit_of(geometry)
    if admin_unit and admin_unit.strip().casefold() != computed.casefold():
        raise ValidationError("err_zone_admin_unit", given=admin_unit, computed=computed)
    return Zone(geometry=geometry, admin_unit=computed, risk=risk, years=parse_years(years),
                source=model.check_note(source), notes=model.check_note(notes), id=id or None)


def read_zone_file(source: Path | bytes) -> list[Zone]:
    """Read and validate a GeoJSON file (a path, or its bytes) of zones, all or nothing.

    Properties: ``risk``, ``years``, ``source``, ``notes``; optional ``id``, ``admin_unit``.
    """
    features = places_store.read_features(source)
    out = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        try:
            try:
                geom = shapely.geometry.shape(feature.get("geometry") or {}) if feature.get("geometry") else None
            except (ValueError, TypeError, AttributeError, KeyError) as exc:
                raise ValidationError("err_geometry_malformed", reason=str(exc)) from None
            out.append(make_zone(geometry=geom, risk=str(props.get("risk", "")), years=props.get("years", ""),
                                 source=props.get("source") or "", notes=props.get("notes") or "",
                                 admin_unit=props.get("admin_unit"), id=props.get("id")))
        except HotspotError as exc:
            raise ImportFileError("err_feature", number=number, cause=exc) from None
    return out


def import_zones(store: Store, source: Path | bytes, *, author: str) -> list[dict[str, str]]:
    """Import a GeoJSON file (a path, or its bytes) of zones in one transaction."""
    return places_store.upsert(store, "cannabis_zone", [z.row() for z in read_zone_file(source)], author=author,
                               action="import")


def save_zone(store: Store, zone: Zone, *, author: str) -> dict[str, str]:
    """Add a zone, or update the one with ``zone.id`` (history kept)."""
    return places_store.upsert(store, "cannabis_zone", [zone.row()], author=author,
                               action="update" if zone.id else "add")[0]


def read_zones(store: Store, *, include_retired: bool = False) -> gpd.GeoDataFrame:
    """Return the zones (all fields, internal) as a GeoDataFrame in EPSG:4326."""
    return places_store.read(store, "cannabis_zone", include_retired=include_retired)


def _years(text: Any) -> list[int]:
    return [int(y) for y in str(text or "").split(",") if y.strip()]


@dataclass(frozen=True)
class PublicView:
    """What 1.9.3 allows to publish: generalised territories and counts per administrative unit."""

    zones: gpd.GeoDataFrame
    per_unit: pd.DataFrame
    hidden: int
    min_area_ha: float


def public_view(zones: gpd.GeoDataFrame, *, min_area_ha: float | None = None) -> PublicView:
    """Return the public view of ``zones``: territories, never persons.

    Only zones where cultivation was found (at least one year) are public. Those of at least
    ``min_area_ha`` are drawn, generalised; the others are counted in ``per_unit`` only.
    Columns of ``zones``: ``admin_unit``, ``risk``, ``years``, ``area_ha`` and the geometry;
    of ``per_unit``: ``admin_unit``, ``zones``, ``years``.
    """
    limit = settings.cannabis_min_area_ha() if min_area_ha is None else float(min_area_ha)
    found = zones[[bool(_years(y)) for y in zones["years"]]] if not zones.empty else zones
    metric = found.geometry.to_crs(settings.CRS_METRIC)
    area_ha = metric.area / 10_000
    big = found[(area_ha >= limit).to_numpy()]
    units_m = admin_units().to_crs(settings.CRS_METRIC).set_index("name").geometry
    shapes = [g.buffer(PUBLIC_BLUR_M).simplify(PUBLIC_BLUR_M / 2).intersection(units_m.loc[u])
              for g, u in zip(metric[(area_ha >= limit).to_numpy()], big["admin_unit"], strict=True)]
    shown = gpd.GeoDataFrame({
        "admin_unit": big["admin_unit"].to_numpy(), "risk": big["risk"].to_numpy(), "years": big["years"].to_numpy(),
        "area_ha": area_ha[(area_ha >= limit).to_numpy()].round(1).to_numpy(),
    }, geometry=gpd.GeoSeries(shapes, crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE))
    per_unit = pd.DataFrame(
        [(u, len(g), ", ".join(map(str, sorted({y for t in g["years"] for y in _years(t)}))))
         for u, g in found.groupby("admin_unit")], columns=["admin_unit", "zones", "years"])
    return PublicView(shown, per_unit, int(len(found) - len(big)), limit)


def unit_trends(zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return per administrative unit the zones found per year and the exact Mann-Kendall test.

    The years run from the first to the last year any finding was recorded (every unit on
    the same span, zeros included). ``label`` is :func:`hotspots.plan.trends.trend_label`:
    ``not_testable`` when p < 0.05 is impossible for that series (e.g. 4 years or fewer).
    """
    columns = ["admin_unit", "years", "series", "s", "p_value", "min_p", "label"]
    found = [(u, y) for u, text in zip(zones["admin_unit"], zones["years"], strict=True) for y in _years(text)]
    if not found:
        return pd.DataFrame(columns=columns)
    span = list(range(min(y for _, y in found), max(y for _, y in found) + 1))
    rows = []
    for unit in sorted({u for u, _ in found}):
        series = [sum(1 for u, y in found if u == unit and y == year) for year in span]
        test = trends.mann_kendall(series)
        rows.append((unit, span, series, test.s, round(test.p_value, 4), round(test.min_p, 4),
                     trends.trend_label(series)))
    return pd.DataFrame(rows, columns=columns)


def form_values(zones: gpd.GeoDataFrame, zone_id: str | None) -> dict[str, str]:
    """Return what the zone form starts from: the stored zone's ``risk``, ``years``, ``source``, ``notes``.

    A new zone (``zone_id`` empty) starts blank at high risk, so that changing one field of a
    stored zone never blanks the others.

    Examples
    --------
    >>> form_values(gpd.GeoDataFrame({"id": []}, geometry=[]), None)["risk"]
    'high'
    """
    if not zone_id or zone_id not in set(zones["id"]):
        return {"risk": str(Risk.HIGH), "years": "", "source": "", "notes": ""}
    row = zones.set_index("id").loc[zone_id]
    return {k: "" if pd.isna(row[k]) else str(row[k]) for k in ("risk", "years", "source", "notes")}


def zone_from_form(zones: gpd.GeoDataFrame, zone_id: str | None, *, shape_text: str, risk: str, years: str,
                   source: str, notes: str) -> Zone:
    """Return the validated zone of the form: the pasted GeoJSON shape, or the stored one when blank.

    Raises
    ------
    ValidationError
        If the text is not a GeoJSON polygon inside the municipality, a new zone has no
        shape, or another field is not allowed.
    """
    old = zones.set_index("id").geometry.get(zone_id) if zone_id else None
    return make_zone(geometry=geometry_from_text(shape_text, old), risk=risk, years=years, source=source,
                     notes=notes, id=zone_id or None)


def retire_zone(store: Store, zone_id: str, *, author: str, reason: str) -> None:
    """Retire a zone (entered by mistake, or no longer at risk); kept in the table and the history."""
    places_store.retire(store, "cannabis_zone", zone_id, author=author, reason=reason)
