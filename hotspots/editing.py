"""What the staff pages do, callable without Streamlit: add, review, place, edit.

Each function validates first (raising a translatable error) and then writes one
transaction with the author in the history, so a refused input changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import shapely

from hotspots import model
from hotspots.errors import ValidationError
from hotspots.missing import is_missing, text_or_empty
from hotspots.records import point_record
from hotspots.store import Store

_TOOLTIP_ID = re.compile(r"^\s*(H-[0-9.]+-[0-9A-Za-z]+)\b")


def tooltip_id(tooltip: str | None) -> str | None:
    """Return the stable hotspot id that starts a map tooltip, or None.

    Examples
    --------
    >>> tooltip_id("H-1.7-04 · Tek stacioni i trenit")
    'H-1.7-04'
    """
    match = _TOOLTIP_ID.match(tooltip or "")
    return match.group(1) if match else None


def clicked_point(result: dict[str, object] | None) -> tuple[float, float] | None:
    """Return ``(lat, lon)`` of st_folium's ``last_clicked``, or None."""
    click = (result or {}).get("last_clicked")
    if not isinstance(click, dict) or "lat" not in click or "lng" not in click:
        return None
    return float(click["lat"]), float(click["lng"])


def add_point_hotspot(
    store: Store, *, name: str, category: str, lat: object, lon: object, period: str, author: str,
    location_quality: str = "approximate", location_source: str = "", description: str = "",
    notes: str = "", activities: Sequence[str] = (),
) -> dict[str, str]:
    """Validate and add a hotspot at a point; return ``{"id", "result"}``.

    Raises
    ------
    ValidationError, ConflictError
        Nothing is written then.
    """
    if is_missing(lat) or is_missing(lon):
        raise ValidationError("err_point_missing")
    record = point_record(
        name=name, category=category, lat=lat, lon=lon, period=period,
        location_quality=location_quality, location_source=location_source,
        description=description, notes=notes, activities=list(activities),
    )
    return store.write_records([record], author=author, action="add")[0]


def latest_rows(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return each hotspot's observation in its latest period."""
    return gdf.sort_values("period").groupby("id", as_index=False).tail(1).sort_values(["problem", "id"])


def hotspot_label(row: pd.Series, lang: str = "sq") -> str:
    """Return the label of a hotspot in a choice list: ``id · name`` (the English name in English, where known)."""
    name = text(row.get("name_en")) if lang == "en" else ""
    return f"{row['id']} · {name or row['name']}"


def text(value: object) -> str:
    """Return a stored text for a form field: ``""`` for a missing value, never "None" or "nan"."""
    return text_or_empty(value)


def anchor_latlon(geometry: object) -> tuple[float, float] | None:
    """Return ``(lat, lon)`` of a geometry's representative point, or None when it has none."""
    if not isinstance(geometry, shapely.Geometry) or geometry.is_empty:
        return None
    point = geometry.representative_point()
    return (point.y, point.x)


def kept_grade(quality: str) -> str:
    """Return the grade a moved or placed hotspot keeps by default: its own, unless it had no place."""
    return quality if quality in ("exact", "landmark", "approximate") else "approximate"


def next_period(period: str) -> str | None:
    """Return the review period after ``period`` within the plan, or None."""
    periods = model.review_periods()
    i = periods.index(period) if period in periods else -1
    return periods[i + 1] if 0 <= i < len(periods) - 1 else None


def checked_point(lat: object, lon: object) -> tuple[float, float]:
    """Return ``(lat, lon)`` if valid numbers inside the municipality, else raise.

    Swapped coordinates land outside the municipality, and the message says so.
    """
    from hotspots import units

    if is_missing(lat) or is_missing(lon) or str(lat).strip() == "" or str(lon).strip() == "":
        raise ValidationError("err_point_missing")
    flat, flon = model.check_lat_lon(lat, lon)
    units.check_inside_municipality(shapely.Point(flon, flat))
    return flat, flon


def point(lat: object, lon: object) -> shapely.Point:
    """Return a validated WGS84 point from latitude and longitude (decimal commas accepted).

    Raises
    ------
    ValidationError
        ``err_point_missing`` when no point was chosen, else as :func:`model.check_lat_lon`.
    """
    if is_missing(lat) or is_missing(lon) or lat == "" or lon == "":
        raise ValidationError("err_point_missing")
    flat, flon = model.check_lat_lon(lat, lon)
    return shapely.Point(flon, flat)
