"""The rules of editing, callable without Streamlit: add, review, place, edit, close a period.

Each function validates first (raising a translatable error) and then writes one
transaction with the author in the history, so a refused input changes nothing. The SQL
is in :mod:`hotspots.plan.observations` and :mod:`hotspots.plan.plan_state`; a place is always
validated by :func:`hotspots.plan.records.checked_geometry` (grade, canonical form, inside the
municipality), the one sequence for imports, additions, reviews and placings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import ConflictError, NotFoundError, ValidationError
from hotspots.base.labels import hotspot_names, unit_words
from hotspots.base.missing import int_or_none, is_missing, text_or_empty
from hotspots.db.database import now
from hotspots.plan import model, observations, plan_state, units, versions
from hotspots.plan.exchange import read_features
from hotspots.plan.movement import completeness
from hotspots.plan.plan import load_plan
from hotspots.plan.records import Record, located_geometry, point_record
from hotspots.plan.store import Store


if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


#: The observation status each review outcome records.
OUTCOME_STATUS: dict[str, str] = {
    "persists": "active", "moved": "active", "refined": "active", "resolved": "resolved", "removed": "removed",
}

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
    latest = gdf.sort_values("period").groupby("id", as_index=False).tail(1).sort_values(["problem", "id"])
    return cast(gpd.GeoDataFrame, latest)  # types-geopandas: groupby() is pandas' (DataFrame); geopandas keeps the GeoDataFrame


def hotspot_labels(rows: pd.DataFrame, lang: str = "sq") -> dict[str, str]:
    """Return each hotspot's label in a choice list, by id: ``id · name`` (the English name in English, where known).

    Examples
    --------
    >>> hotspot_labels(pd.DataFrame({"id": ["H-1"], "name": ["Kalaja"], "name_en": ["The castle"]}), "en")
    {'H-1': 'H-1 · The castle'}
    """
    return {str(i): f"{i} · {name}" for i, name in zip(rows["id"], hotspot_names(rows, lang), strict=True)}


def text(value: object) -> str:
    """Return a stored text for a form field: ``""`` for a missing value, never "None" or "nan"."""
    return text_or_empty(value)


def anchor_latlon(geometry: object) -> tuple[float, float] | None:
    """Return ``(lat, lon)`` of a geometry's representative point, or None when it has none."""
    if not isinstance(geometry, BaseGeometry) or geometry.is_empty:
        return None
    point = geometry.representative_point()
    return (point.y, point.x)


def kept_grade(quality: str) -> str:
    """Return the grade a moved or placed hotspot keeps by default: its own, unless it had no place."""
    return quality if quality in model.PLACED_GRADES else "approximate"


def next_period(period: str) -> str | None:
    """Return the review period after ``period`` within the plan, or None."""
    periods = model.review_periods()
    i = periods.index(period) if period in periods else -1
    return periods[i + 1] if 0 <= i < len(periods) - 1 else None


def checked_point(lat: object, lon: object) -> tuple[float, float]:
    """Return ``(lat, lon)`` if valid numbers inside the municipality, else raise.

    Swapped coordinates land outside the municipality, and the message says so.
    """
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


# -- versions: every write of a hotspot says which version it was made from ------------------
def hotspot_version(store: Store, hotspot_id: str) -> int:
    """Return a hotspot's version (the id of its newest history row; 0 when unknown).

    A page reads it when it shows a hotspot for editing and passes it back with the save
    (``version=``): a save made from an older version is refused (:class:`StaleEditError`).
    """
    with store.read() as conn:
        return observations.hotspot_version(conn, hotspot_id)


def hotspot_versions(store: Store) -> dict[str, int]:
    """Return every hotspot's version by id (read before the rows a page shows)."""
    with store.read() as conn:
        return observations.hotspot_versions(conn)


def changes_since(store: Store, hotspot_id: str, version: int) -> pd.DataFrame:
    """Return the history rows of a hotspot newer than ``version`` (what someone else changed), newest first."""
    with store.read() as conn:
        return observations.changes_since(conn, hotspot_id, int(version))


# -- the review of a period: outcomes per hotspot ---------------------------------------------
def latest_observation(store: Store, hotspot_id: str, *, before: str) -> pd.Series | None:
    """Return a hotspot's observation in the latest period before ``before``, or None."""
    with store.read() as conn:
        return _latest_before(conn, hotspot_id, before)


def _latest_before(conn: Connection, hotspot_id: str, before: str) -> pd.Series | None:
    frame = observations.select(conn, ids=[hotspot_id], dataset=None)
    frame = frame[frame["period"] < before]
    return None if frame.empty else frame.iloc[-1]


def record_review(
    store: Store, hotspot_id: str, period: str, *, outcome: str, author: str, version: int | None,
    geometry: BaseGeometry | None = None, location_quality: str | None = None,
    notes: str = "", location_source: str = "",
) -> str:
    """Record a hotspot's outcome at the review of ``period``; return the write result.

    Outcomes: ``persists``, ``moved`` (to ``geometry``), ``refined`` (located more
    precisely: ``geometry`` with a better grade), ``resolved`` or ``removed`` (a data
    correction). The observation is copied from the hotspot's latest earlier period, read
    in the write's own transaction; the hotspot keeps its identity, and its grade unless
    ``location_quality`` says otherwise; its source is ``location_source`` or else says
    the outcome and period.

    Parameters
    ----------
    version
        The hotspot's version the outcome was chosen from (:func:`hotspot_version`); the
        write is refused when the stored version moved on. None: no check (the command
        line and scripts, acting on the stored state at once).

    Raises
    ------
    ValidationError, NotFoundError, ConflictError
        Bad outcome or place, no earlier record, or the review of ``period`` is closed.
    StaleEditError
        Someone changed the hotspot since ``version``; nothing is written.
    """
    model.check_period(period)
    status = OUTCOME_STATUS.get(outcome)
    if status is None:
        raise ValidationError("err_choice", field="outcome", value=outcome, allowed=", ".join(OUTCOME_STATUS))
    note = model.check_note(notes)
    with store.transaction() as conn:
        observations.check_version(conn, hotspot_id, version)
        latest = _latest_before(conn, hotspot_id, period)
        if latest is None:
            raise NotFoundError("err_no_earlier_period", id=hotspot_id, period=period)
        geom, quality, source = latest["geometry"], str(latest["location_quality"]), str(latest["location_source"])
        moved_from = None
        if outcome in ("moved", "refined"):
            quality = location_quality or (quality if quality != "unlocated" else "approximate")
            geom = located_geometry(geometry, quality)
            source = location_source or f"{'moved' if outcome == 'moved' else 'located more precisely'} at review {period}"
            moved_from = str(latest["period"])
        record = Record(
            name=str(latest["name"]), category=str(latest["category"]), problem=str(latest["problem"]),
            period=period, status=status, location_quality=quality, geometry=geom,
            location_source=source, notes=note, hotspot_id=hotspot_id,
        )
        observations.check_open(conn, period, str(latest["dataset"]))
        unit = units.units_of([record.geometry])[0]
        return observations.upsert(conn, record, unit, author=author, action=f"review:{outcome}", moved_from=moved_from)


def place_hotspot(
    store: Store, hotspot_id: str, period: str, geometry: BaseGeometry, *, location_quality: str,
    location_source: str, author: str, version: int | None,
) -> str:
    """Give an unlocated hotspot a place in ``period`` (history kept); return the write result.

    The status and notes kept are those stored when the write runs (read in its own
    transaction), never those of an older reading.

    Parameters
    ----------
    version
        The hotspot's version the place was chosen from (see :func:`record_review`).

    Raises
    ------
    NotFoundError, ValidationError, ConflictError
        No such hotspot in ``period``, a bad place, or the review of ``period`` is closed.
    StaleEditError
        Someone changed the hotspot since ``version``; nothing is written.
    """
    place = located_geometry(geometry, location_quality)
    source = model.check_note(location_source)
    with store.transaction() as conn:
        observations.check_version(conn, hotspot_id, version)
        obs = observations.select(conn, period=period, ids=[hotspot_id], dataset=None)
        if obs.empty:
            raise NotFoundError("err_hotspot_unknown", id=hotspot_id)
        row = obs.iloc[0]
        record = Record(
            name=str(row["name"]), category=str(row["category"]), problem=str(row["problem"]),
            period=period, status=str(row["status"]), location_quality=location_quality,
            geometry=place, location_source=source, notes=str(row["notes"]), hotspot_id=hotspot_id,
        )
        observations.check_open(conn, period, str(row["dataset"]))
        unit = units.units_of([record.geometry])[0]
        return observations.upsert(conn, record, unit, author=author, action="place")


def update_hotspot_text(store: Store, hotspot_id: str, *, author: str, version: int | None, **fields: str) -> None:
    """Edit a hotspot's name, English name or description (history kept).

    Parameters
    ----------
    version
        The hotspot's version the text was edited from (see :func:`record_review`).

    Raises
    ------
    ValidationError, NotFoundError
        An unknown field or a bad value; no such hotspot.
    StaleEditError
        Someone changed the hotspot since ``version``; nothing is written.
    """
    allowed = {"name": model.check_name, "name_en": model.check_note, "description": model.check_note}
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError("err_choice", field=",".join(sorted(unknown)), value="", allowed=", ".join(allowed))
    values = {k: allowed[k](v) for k, v in fields.items()}
    with store.transaction() as conn:
        observations.check_version(conn, hotspot_id, version)
        if not observations.update_text(conn, hotspot_id, values, author=author):
            raise NotFoundError("err_hotspot_unknown", id=hotspot_id)


# -- the review of a period as a piece of work ------------------------------------------------
def review_state(store: Store, period: str, *, dataset: str = "real") -> dict[str, Any]:
    """Return the review of ``period``: completeness now, and whether it was closed, by whom, why.

    Keys: ``period``, ``due``, ``reviewed``, ``not_reviewed`` (ids), ``complete``,
    ``closed`` (bool), ``reason``, ``updated_by``, ``updated_at``.
    """
    done = completeness(store.hotspots(dataset=dataset), period)
    with store.read() as conn:
        row = observations.review_row(conn, period, dataset)
    return {"period": period, "due": list(done.due), "reviewed": list(done.reviewed),
            "not_reviewed": list(done.not_reviewed), "complete": done.complete,
            "closed": row is not None and row["state"] == "closed",
            "reason": "" if row is None else row["reason"],
            "updated_by": None if row is None else row["updated_by"],
            "updated_at": None if row is None else row["updated_at"]}


def close_review(store: Store, period: str, *, author: str, reason: str = "", dataset: str = "real") -> None:
    """Close the review of ``period``: only when complete, or with an explicit reason.

    Raises
    ------
    ValidationError
        If hotspots are still not reviewed and no reason is given.
    ConflictError
        If it is already closed.
    """
    model.check_period(period)
    reason = model.check_note(reason).strip()
    under = versions.closing_values(store, period)  # the plan in force: the review keeps citing it
    with store.transaction() as conn:
        observations.check_open(conn, period, dataset)
        done = completeness(observations.select(conn, dataset=dataset), period)
        if not done.complete and not reason:
            raise ValidationError("err_review_incomplete", period=period, n=len(done.not_reviewed), due=len(done.due))
        values = {"state": "closed", "reason": reason, "reviewed": len(done.reviewed), "due": len(done.due), **under}
        observations.set_review(conn, period, dataset, values, author=author, action="review close")
        if dataset == "real":  # the council publishes its counts: the qark's roll-up reads them
            plan_state.publish_counts(conn, _published(conn, period, author), municipality=settings.MUNICIPALITY.key,
                                      period=period, author=author)


def _published(conn: Connection, period: str, author: str) -> list[dict[str, Any]]:
    """Return the rows a closed review publishes: active hotspots per unit and category (zeros too)."""
    place, stamp = settings.MUNICIPALITY, now()
    return [{"municipality": place.key, "qark": place.qark, "period": period, "category": str(category),
             "unit": unit, "unit_name": unit_words(unit, "sq"), "active": n, "published_at": stamp,
             "published_by": author}
            for category in model.Category
            for unit, n in observations.unit_counts(conn, period, category=str(category)).items()]


def reopen_review(store: Store, period: str, *, author: str, reason: str, dataset: str = "real") -> None:
    """Reopen a closed review (the reason is required and kept in the history).

    Raises
    ------
    ValidationError
        If no reason is given, or the review is not closed.
    """
    reason = model.check_note(reason).strip()
    if not reason:
        raise ValidationError("err_reason_missing")
    with store.transaction() as conn:
        row = observations.review_row(conn, period, dataset)
        if row is None or row["state"] != "closed":
            raise ValidationError("err_review_not_closed", period=period)
        observations.set_review(conn, period, dataset, {"state": "open", "reason": reason}, author=author,
                                action="review reopen")
        if dataset == "real":
            plan_state.withdraw_counts(conn, municipality=settings.MUNICIPALITY.key, period=period, author=author)


# -- the plan's state per period --------------------------------------------------------------
def set_activity_status(store: Store, activity_id: str, period: str, status: str, *, author: str,
                        note: str = "") -> None:
    """Set an activity's status in a period (history kept).

    Raises
    ------
    NotFoundError, ValidationError
        An activity the plan does not have; a bad period, status or note.
    """
    load_plan().activity(activity_id)
    model.check_period(period)
    model.check_choice(status, model.ActivityStatus, "status")
    with store.transaction() as conn:
        plan_state.set_activity_status(conn, activity_id, period, status=status, note=model.check_note(note),
                                       author=author)


def set_priority(store: Store, problem_id: str, period: str, priority: str, *, author: str) -> None:
    """Set a problem's priority in a period (history kept).

    Raises
    ------
    NotFoundError, ValidationError
        A problem the plan does not have; a bad period or priority.
    """
    load_plan().problem(problem_id)
    model.check_period(period)
    model.check_choice(priority, model.Priority, "priority")
    with store.transaction() as conn:
        plan_state.set_priority(conn, problem_id, period, priority=priority, author=author)


# -- whole layers: units, the example series --------------------------------------------------
def recompute_units(store: Store, *, author: str, layer: gpd.GeoDataFrame | None = None) -> int:
    """Recompute every observation's unit (after the unit layer changed); return how many changed.

    ``layer`` is the unit layer to use (default: the installed one).
    """
    gdf = store.hotspots(dataset=None)
    computed = units.assign_units(gdf, layer)
    changes = [(str(hid), str(period), int_or_none(old), int_or_none(new))
               for hid, period, old, new in zip(gdf["id"], gdf["period"], gdf["unit_computed"], computed, strict=True)
               if int_or_none(old) != int_or_none(new)]
    with store.transaction() as conn:
        return observations.set_units(conn, changes, author=author)


def load_example(store: Store, *, author: str, path: Path | None = None) -> int:
    """Load the example series (training data, kept apart as dataset ``example``); return hotspots.

    Raises
    ------
    ConflictError
        If it is already loaded.
    """
    if store.example_loaded():
        raise ConflictError("err_demo_loaded")
    records = read_features(Path(path or settings.EXAMPLE_SERIES_FILE))
    store.write_records(records, author=author, action="demo load", dataset="example", reject_duplicates=False)
    return len(records)


def unload_example(store: Store, *, author: str) -> int:
    """Remove the example series (and only it); the removal is recorded in the history."""
    with store.transaction() as conn:
        return observations.delete_dataset(conn, "example", author=author)
