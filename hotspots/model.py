"""Categories, priorities, location grades, review periods, and record validation."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shapely.geometry.base import BaseGeometry

from hotspots import settings
from hotspots.errors import ValidationError
from hotspots.missing import is_missing


class Category(StrEnum):
    """What a hotspot is about: problem 1.7 (crime, drugs) or 1.10 (street children)."""

    CRIME = "crime"
    STREET_CHILDREN = "street_children"


#: The plan problem each category belongs to.
CATEGORY_PROBLEM: dict[Category, str] = {
    Category.CRIME: "1.7",
    Category.STREET_CHILDREN: "1.10",
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
        return f"{self.year}-H{self.half}"


def review_periods(first: str | None = None, count: int = settings.PERIOD_COUNT) -> list[str]:
    """Return the plan's review periods in order.

    Parameters
    ----------
    first
        First period; default :func:`hotspots.settings.first_period`.
    count
        Number of periods (the plan runs 3 years, reviewed every 6 months).

    Examples
    --------
    >>> review_periods("2022-H1")
    ['2022-H1', '2022-H2', '2023-H1', '2023-H2', '2024-H1', '2024-H2']
    """
    period = Period.parse(first or settings.first_period())
    out = []
    for _ in range(count):
        out.append(str(period))
        period = period.next()
    return out


def baseline_period() -> str:
    """Return the period of the plan's baseline (the first review period)."""
    return review_periods()[0]


def current_period(today: date | None = None) -> str:
    """Return the latest review period that has started by ``today`` (clipped to the plan)."""
    today = today or date.today()
    periods = review_periods()
    started = [p for p in periods if Period.parse(p).start() <= today]
    return started[-1] if started else periods[0]


def check_period(period: str) -> str:
    """Return ``period`` if it is one of the plan's review periods, else raise."""
    periods = review_periods()
    if str(period) not in periods:
        raise ValidationError("err_period_unknown", value=period, allowed=", ".join(periods))
    return str(period)


def check_choice(value: str, allowed: type[StrEnum], field: str) -> str:
    """Return ``value`` if it is one of the values of the enum ``allowed``, else raise."""
    values = [str(v) for v in allowed]
    if value not in values:
        raise ValidationError("err_choice", field=field, value=value, allowed=", ".join(values))
    return value


def check_name(name: object) -> str:
    """Return a hotspot name, stripped, if present and of sane length, else raise.

    The text is kept verbatim otherwise: HTML or quotes in it are not refused, they are
    escaped wherever the name is shown.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("err_name_missing")
    if len(name) > settings.NAME_MAX_LEN:
        raise ValidationError("err_name_long", length=len(name), limit=settings.NAME_MAX_LEN)
    return name.strip()


def check_note(note: object) -> str:
    """Return a note or description (may be empty) if of sane length, else raise."""
    if is_missing(note):
        return ""
    if not isinstance(note, str):
        raise ValidationError("err_note_type")
    if len(note) > settings.NOTE_MAX_LEN:
        raise ValidationError("err_note_long", length=len(note), limit=settings.NOTE_MAX_LEN)
    return note


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
    return float(value)  # type: ignore[arg-type]


def check_lat_lon(lat: object, lon: object) -> tuple[float, float]:
    """Return ``(lat, lon)`` as floats if they are finite WGS84 values, else raise.

    Decimal commas are accepted. The area check (inside the municipality) is done by
    :mod:`hotspots.units`.
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

    An ``unlocated`` hotspot has no geometry; every other grade needs a valid, non-empty
    point, line or polygon with finite coordinates.
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
