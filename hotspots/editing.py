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
    record = point_record(
        name=name, category=category, lat=lat, lon=lon, period=period,
        location_quality=location_quality, location_source=location_source,
        description=description, notes=notes, activities=list(activities),
    )
    return store.write_records([record], author=author, action="add")[0]


def latest_rows(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return each hotspot's observation in its latest period."""
    return gdf.sort_values("period").groupby("id", as_index=False).tail(1).sort_values(["problem", "id"])


def hotspot_label(row: pd.Series) -> str:
    """Return the label of a hotspot in a choice list: ``id · name``."""
    return f"{row['id']} · {row['name']}"


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

    flat, flon = model.check_lat_lon(lat, lon)
    units.check_inside_municipality(shapely.Point(flon, flat))
    return flat, flon


def point(lat: object, lon: object) -> shapely.Point:
    """Return a validated WGS84 point from latitude and longitude."""
    flat, flon = model.check_lat_lon(lat, lon)
    return shapely.Point(flon, flat)
