"""Validated records: what a hotspot observation must hold before it is written.

The transform from raw input (a form, an import feature) to a :class:`Record` is pure
and raises :class:`~hotspots.base.errors.ValidationError` on the first problem, so that
nothing is written unless every record is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Mapping

import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base.errors import ValidationError
from hotspots.base.missing import is_missing, text_or_empty
from hotspots.plan import model, units
from hotspots.plan.model import CATEGORY_PROBLEM, Category, LocationQuality, Status
from hotspots.plan.plan import load_plan


@dataclass(frozen=True)
class Record:
    """One hotspot in one review period, validated.

    ``hotspot_id`` is None for a new hotspot (the store gives it an id).
    """

    name: str
    category: str
    problem: str
    period: str
    status: str
    location_quality: str
    geometry: BaseGeometry | None
    location_source: str = ""
    description: str = ""
    notes: str = ""
    plan_unit: int | None = None
    hotspot_id: str | None = None
    name_en: str = ""
    activities: tuple[str, ...] = ()

    def with_id(self, hotspot_id: str) -> Record:
        """Return a copy with ``hotspot_id`` set."""
        return replace(self, hotspot_id=hotspot_id)


def _plan_unit(value: object) -> int | None:
    """Return the unit the plan names (1-6) from an int, a whole float or short text.

    Anything else (a bool, Infinity, 1e999, a 400-digit number, "²") is refused with
    the value shown shortened, never converted blindly.
    """
    if is_missing(value) or value == "":
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value if -100 < value < 100 else None
    elif isinstance(value, float) and value.is_integer() and abs(value) < 100:
        number = int(value)
    elif isinstance(value, str) and len(value.strip()) <= 4:
        text = value.strip()
        text = text[:-2] if text.endswith(".0") else text
        number = int(text) if text.isascii() and text.isdigit() else None
    if number not in (1, 2, 3, 4, 5, 6):
        shown = "…" if isinstance(value, int) and value.bit_length() > 64 else str(value)[:20]
        raise ValidationError("err_choice", field="plan_unit", value=shown, allowed="1-6")
    return number


def _activities(value: object, problem: str) -> tuple[str, ...]:
    """Return the linked activity numbers (e.g. ``1.7.5``), each of ``problem``."""
    if is_missing(value) or value == "":
        return ()
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    known = {a.id for a in load_plan().problem(problem).activities}
    out = tuple(str(i).strip() for i in items if str(i).strip())
    # an activity the council added later (1.7.6) is checked against the store's plan when written
    bad = [a for a in out if a not in known and not re.fullmatch(rf"{re.escape(problem)}\.\d{{1,3}}", a)]
    if bad:
        raise ValidationError("err_choice", field="activities", value=", ".join(bad), allowed=", ".join(sorted(known)))
    return out


_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def _hotspot_id(props: Mapping[str, Any]) -> str | None:
    """Return the record's stable id (letters, digits, . _ -), or None for a new hotspot."""
    value = _text(props, "id").strip()
    if not value:
        return None
    if not _ID_RE.match(value):
        raise ValidationError("err_id", value=value[:60])
    return value


def _text(props: Mapping[str, Any], key: str) -> str:
    value = props.get(key)
    return text_or_empty(value)


def make_record(
    props: Mapping[str, Any],
    geometry: BaseGeometry | None,
    *,
    default_period: str | None = None,
    check_area: bool = True,
) -> Record:
    """Validate raw properties and a geometry into a :class:`Record`.

    Parameters
    ----------
    props
        ``name`` and ``category`` are required; ``problem`` must match the category;
        ``period`` defaults to ``default_period``; ``location_quality`` defaults to
        ``approximate`` for a geometry and ``unlocated`` without one (a guess is never
        taken as exact).
    geometry
        WGS84 geometry, or None for an unlocated hotspot.
    check_area
        Refuse geometries outside the municipality.

    Raises
    ------
    ValidationError
        On the first invalid value.
    """
    name = model.check_name(props.get("name"))
    category = model.check_choice(_text(props, "category"), Category, "category")
    problem = _text(props, "problem") or CATEGORY_PROBLEM[Category(category)]
    if problem != CATEGORY_PROBLEM[Category(category)]:
        raise ValidationError(
            "err_problem_category", problem=problem, category=category,
            expected=CATEGORY_PROBLEM[Category(category)],
        )
    period = model.check_period(_text(props, "period") or default_period or model.current_period())
    status = model.check_choice(_text(props, "status") or Status.ACTIVE, Status, "status")
    if geometry is not None and geometry.is_empty:
        geometry = None
    default_quality = LocationQuality.UNLOCATED if geometry is None else LocationQuality.APPROXIMATE
    quality = _text(props, "location_quality") or str(default_quality)
    geometry = checked_geometry(geometry, quality, check_area=check_area)
    return Record(
        name=name,
        name_en=model.check_note(props.get("name_en")),
        category=category,
        problem=problem,
        period=period,
        status=status,
        location_quality=quality,
        geometry=geometry,
        location_source=model.check_note(props.get("location_source")),
        description=model.check_note(props.get("description")),
        notes=model.check_note(props.get("notes")),
        plan_unit=_plan_unit(props.get("plan_unit")),
        hotspot_id=_hotspot_id(props),
        activities=_activities(props.get("activities"), problem),
    )


def checked_geometry(geometry: BaseGeometry | None, quality: str, *, check_area: bool = True) -> BaseGeometry | None:
    """Return a hotspot's place validated for its grade: the one sequence every write uses.

    :func:`hotspots.plan.model.check_geometry` (the grade fits: none when ``unlocated``, a valid
    finite shape otherwise), :func:`hotspots.plan.model.canonical` (a 1 cm grid, normal form, so
    equal places compare equal), then — unless ``check_area`` is False — inside the
    municipality (:func:`hotspots.plan.units.check_inside_municipality`; swapped coordinates
    land outside and are refused).

    Raises
    ------
    ValidationError
        On the first problem.
    """
    geometry = model.check_geometry(geometry, quality)
    if geometry is None:
        return None
    geometry = model.canonical(geometry)
    if check_area:
        units.check_inside_municipality(geometry)
    return geometry


def located_geometry(geometry: BaseGeometry | None, quality: str) -> BaseGeometry:
    """Return :func:`checked_geometry` for a place that must exist (a move, a placing).

    Raises
    ------
    ValidationError
        ``err_geometry_missing`` when there is no shape (or the grade is ``unlocated``).
    """
    checked = checked_geometry(geometry, quality)
    if checked is None:
        raise ValidationError("err_geometry_missing", quality=quality)
    return checked


def point_record(
    *, name: str, category: str, lat: object, lon: object, period: str, **extra: Any
) -> Record:
    """Validate a hotspot placed at a point (a map click, typed lat/lon, a geocoded place)."""
    flat, flon = model.check_lat_lon(lat, lon)
    props = {"name": name, "category": category, "period": period, **extra}
    return make_record(props, shapely.Point(flon, flat))
