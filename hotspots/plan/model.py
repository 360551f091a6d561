"""Categories, priorities, location grades, review periods, and record validation."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.base.missing import is_missing


class Category(StrEnum):
    """What a hotspot is about: crime and drugs (Elbasan: problem 1.7) or street children (1.10)."""

    CRIME = "crime"
    STREET_CHILDREN = "street_children"


#: The plan problem each category belongs to (the municipality's folder; Elbasan: 1.7 and 1.10).
CATEGORY_PROBLEM: dict[Category, str] = {
    Category(category): problem for category, problem in settings.MUNICIPALITY.categories.items()
}


class Priority(StrEnum):
    """Priority ("intensity of the measure") of a problem in a period."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"


class LocationQuality(StrEnum):
    """How much a hotspot's geometry can be trusted.

    ``exact``: a source gives the coordinates of this very place. ``landmark``: anchored
    on a named landmark next to it. ``approximate``: a weak anchor, drawn with its
    uncertainty visible. ``unlocated``: no honest position; the hotspot has no geometry.
    """

    EXACT = "exact"
    LANDMARK = "landmark"
    APPROXIMATE = "approximate"
    UNLOCATED = "unlocated"


#: The grades a placed hotspot can have, most precise first (``unlocated`` has no place).
PLACED_GRADES: tuple[str, ...] = ("exact", "landmark", "approximate")


class Status(StrEnum):
    """Status of a hotspot in one review period, as recorded by staff."""

    ACTIVE = "active"
    RESOLVED = "resolved"
    REMOVED = "removed"


_PERIOD_RE = re.compile(r"^(\d{4})-H([12])$")


@dataclass(frozen=True, order=True)
class Period:
    """A half-year review period such as ``2022-H1``."""

    year: int
    half: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-H1`` or ``YYYY-H2``.

        Raises
        ------
        ValidationError
            If ``text`` is not of that form.

        Examples
        --------
        >>> Period.parse("2023-H2").next()
        Period(year=2024, half=1)
        """
        match = _PERIOD_RE.match(str(text).strip())
        if not match:
            raise ValidationError("err_period_format", value=text)
        return cls(int(match.group(1)), int(match.group(2)))

    def next(self) -> Period:
        """Return the following half-year."""
        return Period(self.year + 1, 1) if self.half == 2 else Period(self.year, 2)

    def start(self) -> date:
        """Return the first day of the period."""
        return date(self.year, 1 if self.half == 1 else 7, 1)

    def __str__(self) -> str:
        """Return the period as ``YYYY-H1`` or ``YYYY-H2``."""
        return f"{self.year}-H{self.half}"


def period_of(day: date) -> str:
    """Return the half-year period that contains ``day``.

    Examples
    --------
    >>> period_of(date(2026, 12, 1)), period_of(date(2023, 3, 31))
    ('2026-H2', '2023-H1')
    """
    return str(Period(day.year, 1 if day.month <= 6 else 2))


def review_periods(first: str | None = None, *, until: str | None = None, today: date | None = None) -> list[str]:
    """Return the review periods in order, from the first one up to today's half-year.

    The plan is reviewed every six months and renewed when it ends, so the list is not
    fixed at the plan's six periods: it grows with time. It runs to the later of today's
    half-year and the end of the first plan (so a plan's future periods can be planned).

    Parameters
    ----------
    first
        First period; default :func:`hotspots.base.settings.first_period`.
    until
        Last period; default the later of today's half-year and the first plan's last period.
    today
        The date that decides "today's half-year"; default :func:`hotspots.base.settings.today`.

    Examples
    --------
    >>> review_periods("2022-H1", until="2024-H2")
    ['2022-H1', '2022-H2', '2023-H1', '2023-H2', '2024-H1', '2024-H2']
    >>> review_periods("2022-H1", today=date(2026, 12, 1))[-1]
    '2026-H2'
    """
    period = Period.parse(first or settings.first_period())
    plan_end = period
    for _ in range(settings.PERIOD_COUNT - 1):
        plan_end = plan_end.next()
    last = Period.parse(until) if until else max(plan_end, Period.parse(period_of(today or settings.today())))
    out = []
    while period <= last:
        out.append(str(period))
        period = period.next()
    return out


def baseline_period() -> str:
    """Return the period of the plan's baseline (the first review period)."""
    return str(Period.parse(settings.first_period()))


def current_period(today: date | None = None) -> str:
    """Return today's half-year (never before the first review period).

    Examples
    --------
    >>> current_period(date(2026, 12, 1))
    '2026-H2'
    """
    day = today or settings.today()
    return max(period_of(day), baseline_period(), key=Period.parse)


def previous_period(period: str) -> str | None:
    """Return the half-year before ``period``, or None for the first review period.

    Examples
    --------
    >>> previous_period("2023-H1"), previous_period("2022-H2")
    ('2022-H2', '2022-H1')
    """
    p = Period.parse(period)
    before = Period(p.year, 1) if p.half == 2 else Period(p.year - 1, 2)
    return None if before < Period.parse(baseline_period()) else str(before)


def check_period(period: str) -> str:
    """Return ``period`` if it is a review period up to today's half-year, else raise.

    Raises
    ------
    ValidationError
        If it is malformed, before the first review period or after the last one.
    """
    Period.parse(str(period))
    periods = review_periods()
    if str(period).strip() not in periods:
        raise ValidationError("err_period_unknown", value=period,
                              allowed=f"{periods[0]} … {periods[-1]}")
    return str(period).strip()


def check_period_pair(before: str, after: str) -> tuple[str, str]:
    """Return two review periods if ``before`` comes strictly before ``after``, else raise.

    Raises
    ------
    ValidationError
        If either is not a review period, or they are the same or reversed.
    """
    a, b = check_period(before), check_period(after)
    if a == b:
        raise ValidationError("err_period_same", period=a)
    if Period.parse(a) > Period.parse(b):
        raise ValidationError("err_period_order", before=a, after=b)
    return a, b


def check_choice(value: str, allowed: type[StrEnum], field: str) -> str:
    """Return ``value`` if it is one of the values of the enum ``allowed``, else raise."""
    values = [str(v) for v in allowed]
    if value not in values:
        raise ValidationError("err_choice", field=field, value=value, allowed=", ".join(values))
    return value


def _bad_character(text: str, *, allowed: str) -> str | None:
    """Return the first control character (not in ``allowed``) or lone surrogate of ``text``."""
    for char in text:
        code = ord(char)
        if (code < 32 or 127 <= code < 160 or 0xD800 <= code <= 0xDFFF) and char not in allowed:
            return f"U+{code:04X}"
    return None


def check_text_characters(text: str, *, allowed: str = "") -> str:
    """Return ``text`` if it holds no control character and no lone surrogate, else raise.

    Characters in ``allowed`` are accepted; a lone surrogate could not be stored as UTF-8.
    Anything else raises :class:`ValidationError`.

    Examples
    --------
    >>> check_text_characters("Rruga “Kristoforidhi”")
    'Rruga “Kristoforidhi”'
    """
    bad = _bad_character(text, allowed=allowed)
    if bad is not None:
        raise ValidationError("err_text_control", char=bad)
    return text


def check_name(name: object) -> str:
    """Return a hotspot name, stripped, if present, of sane length and printable, else raise.

    The text is kept verbatim otherwise: HTML or quotes in it are not refused, they are
    escaped wherever the name is shown.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("err_name_missing")
    if len(name) > settings.NAME_MAX_LEN:
        raise ValidationError("err_name_long", length=len(name), limit=settings.NAME_MAX_LEN)
    return check_text_characters(name.strip())


def check_note(note: object) -> str:
    """Return a note or description (may be empty) if of sane length, else raise."""
    if is_missing(note):
        return ""
    if not isinstance(note, str):
        raise ValidationError("err_note_type")
    if len(note) > settings.NOTE_MAX_LEN:
        raise ValidationError("err_note_long", length=len(note), limit=settings.NOTE_MAX_LEN)
    return check_text_characters(note, allowed="\n\t\r")


def to_number(value: object) -> float:
    """Return a typed number as a float, accepting a decimal comma (``"41,1125"``).

    Raises ``ValueError`` or ``TypeError`` as :class:`float` does.

    Examples
    --------
    >>> to_number("41,1125"), to_number(" 20.0822 ")
    (41.1125, 20.0822)
    """
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        return float(text)
    return float(value)  # type: ignore[arg-type]  # any other object: float() raises, check_lat_lon reports it


def check_lat_lon(lat: object, lon: object) -> tuple[float, float]:
    """Return ``(lat, lon)`` as floats if they are finite WGS84 values, else raise.

    Decimal commas are accepted. The area check (inside the municipality) is done by
    :mod:`hotspots.plan.units`.
    """
    try:
        flat, flon = to_number(lat), to_number(lon)
    except (TypeError, ValueError):
        raise ValidationError("err_coord_number", lat=lat, lon=lon) from None
    if not (math.isfinite(flat) and math.isfinite(flon)):
        raise ValidationError("err_coord_number", lat=lat, lon=lon)
    if not (-90 <= flat <= 90 and -180 <= flon <= 180):
        raise ValidationError("err_coord_range", lat=lat, lon=lon)
    return flat, flon


#: Geometry types a hotspot may have: a place, a street, a zone.
GEOMETRY_TYPES: tuple[str, ...] = (
    "Point",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


def check_geometry(geom: BaseGeometry | None, quality: str) -> BaseGeometry | None:
    """Check a hotspot geometry against its location grade.

    An ``unlocated`` hotspot has no geometry; every other grade needs a valid, non-empty,
    two-dimensional point, line or polygon with finite coordinates and at most
    :data:`hotspots.base.settings.GEOMETRY_MAX_VERTICES` vertices.
    """
    check_choice(quality, LocationQuality, "location_quality")
    if quality == LocationQuality.UNLOCATED:
        if geom is not None and not geom.is_empty:
            raise ValidationError("err_unlocated_with_geometry")
        return None
    if geom is None or geom.is_empty:
        raise ValidationError("err_geometry_missing", quality=quality)
    if geom.geom_type not in GEOMETRY_TYPES:
        raise ValidationError(
            "err_geometry_type", value=geom.geom_type, allowed=", ".join(GEOMETRY_TYPES)
        )
    import shapely

    if geom.has_z:  # a height (GPS altitude) is not part of a place on the map: said, not dropped silently
        raise ValidationError("err_geometry_3d")
    vertices = int(shapely.get_num_coordinates(geom))
    if vertices > settings.GEOMETRY_MAX_VERTICES:
        raise ValidationError("err_geometry_vertices", n=vertices, limit=settings.GEOMETRY_MAX_VERTICES)
    coords = shapely.get_coordinates(geom)
    if not all(math.isfinite(v) for v in coords.ravel()):
        raise ValidationError("err_coord_number", lat="NaN", lon="NaN")
    if not geom.is_valid:
        raise ValidationError("err_geometry_invalid", reason=shapely.is_valid_reason(geom))
    return geom


class ActivityStatus(StrEnum):
    """Status of a plan activity in a review period."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


def canonical(geom: BaseGeometry) -> BaseGeometry:
    """Return ``geom`` on a 1e-7° grid (about 1 cm) in normal form, so equal places compare equal."""
    import shapely

    return shapely.normalize(shapely.set_precision(geom, 1e-7))
