"""Geocoding: an offline gazetteer first, OpenStreetMap Nominatim only when enabled.

:class:`GazetteerGeocoder` is a geopy ``Geocoder`` built on ``geodata/places.csv``:
diacritic-insensitive ("Saraceve" finds "Sheshi i Saraçëve"), tolerant of small
misspellings, aliases included. :func:`geocode` answers with ranked
:class:`Candidate` objects; places the gazetteer knows but cannot locate come back
with no coordinates, so nobody mistakes a guess for a place. Results outside the
municipality are refused.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from rapidfuzz import fuzz, process

from hotspots.base import settings
from hotspots.plan import units


#: Smallest fuzzy score (0-100) a gazetteer match needs.
MIN_SCORE: float = 80.0
#: User agent sent to Nominatim (its usage policy asks for one naming the application).
USER_AGENT: str = f"{settings.MUNICIPALITY.key}-hotspot-map/0.1 (municipal crime-prevention plan)"
NOMINATIM_CACHE: Path = settings.DATA_DIR / "nominatim_cache.json"


@dataclass(frozen=True)
class Candidate:
    """One geocoding answer: a named place, maybe without coordinates."""

    name: str
    lat: float | None
    lon: float | None
    source: str
    score: float
    confidence: str
    kind: str = ""
    matched: str = ""

    @property
    def located(self) -> bool:
        """Return whether the candidate has coordinates."""
        return self.lat is not None and self.lon is not None


def normalise(text: str) -> str:
    """Return ``text`` without diacritics, quotes or punctuation, lower-cased.

    Examples
    --------
    >>> normalise('Sheshi i “Saraçëve”')
    'sheshi i saraceve'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[^\w\s]", " ", plain.casefold())
    return re.sub(r"\s+", " ", plain).strip()


@dataclass(frozen=True)
class Place:
    """A row of the gazetteer."""

    name: str
    kind: str
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...]
    confidence: str
    source: str


@lru_cache(maxsize=2)
def load_places(path: Path = settings.PLACES_FILE) -> tuple[Place, ...]:
    """Read the gazetteer (``geodata/places.csv``)."""
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Place(r["name"], r["kind"], float(r["lat"]) if r["lat"] else None, float(r["lon"]) if r["lon"] else None,
              tuple(a for a in r["aliases"].split("|") if a), r["confidence"], r["source"])
        for r in rows
    )


def _choices(places: tuple[Place, ...]) -> tuple[list[str], list[tuple[int, str]]]:
    keys, owners = [], []
    for i, place in enumerate(places):
        for label in (place.name, *place.aliases):
            keys.append(normalise(label))
            owners.append((i, label))
    return keys, owners


def _score(query: str, choice: str, **_: Any) -> float:
    """Similarity of a query and a gazetteer label: whole-string typos or a contained name."""
    whole = fuzz.ratio(query, choice)
    partial = fuzz.partial_ratio(query, choice) if min(len(query), len(choice)) >= 5 else 0.0
    return float(max(whole, partial * 0.95))


def search_gazetteer(query: str, *, places: tuple[Place, ...] | None = None, limit: int = 5) -> list[Candidate]:
    """Return the gazetteer places matching ``query``, best first (pure, no network)."""
    places = places or load_places()
    norm = normalise(query)
    if not norm:
        return []
    keys, owners = _choices(places)
    hits = process.extract(norm, keys, scorer=_score, limit=limit * 4, score_cutoff=MIN_SCORE)
    best: dict[int, Candidate] = {}
    for _key, score, index in hits:
        owner, label = owners[index]
        place = places[owner]
        if owner not in best or score > best[owner].score:
            best[owner] = Candidate(place.name, place.lat, place.lon, place.source, round(float(score), 1),
                                    place.confidence, place.kind, label)
    return sorted(best.values(), key=lambda c: (-c.score, not c.located, c.name))[:limit]


class GazetteerGeocoder(Geocoder):  # type: ignore[misc]  # geopy 2.5 publishes no types: Geocoder is Any
    """A geopy geocoder answering from the offline gazetteer (located places only)."""

    def __init__(self, places: tuple[Place, ...] | None = None) -> None:
        super().__init__()
        self.places = places or load_places()

    def geocode(self, query: str, *, exactly_one: bool = True, limit: int = 5) -> Location | list[Location] | None:
        """Return geopy Locations for ``query``; the raw dict holds score and source."""
        found = [
            Location(c.name, (c.lat, c.lon), asdict(c))
            for c in search_gazetteer(query, places=self.places, limit=limit) if c.located
        ]
        if not found:
            return None
        return found[0] if exactly_one else found


def _nominatim_candidates(query: str) -> list[Candidate]:
    """Ask OpenStreetMap Nominatim (online; rate-limited, bounded to the municipality, cached)."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    cache = json.loads(NOMINATIM_CACHE.read_text(encoding="utf-8")) if NOMINATIM_CACHE.exists() else {}
    if query in cache:
        return [Candidate(**c) for c in cache[query]]
    minx, miny, maxx, maxy = units.municipality().bounds
    service = Nominatim(user_agent=USER_AGENT, timeout=10)
    lookup = RateLimiter(service.geocode, min_delay_seconds=1.0, max_retries=1)
    found = lookup(query, exactly_one=False, limit=5, viewbox=[(miny, minx), (maxy, maxx)],
                   bounded=True, country_codes="al") or []
    out = [Candidate(loc.address, loc.latitude, loc.longitude, "OpenStreetMap Nominatim (© OpenStreetMap contributors, ODbL)",
                     70.0, "medium", "nominatim", query) for loc in found]
    NOMINATIM_CACHE.parent.mkdir(parents=True, exist_ok=True)
    cache[query] = [asdict(c) for c in out]
    NOMINATIM_CACHE.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    return out


def inside_municipality(candidate: Candidate) -> bool:
    """Return whether a located candidate lies in the municipality (unlocated: True)."""
    if candidate.lat is None or candidate.lon is None:
        return True
    return bool(units.municipality().contains(shapely.Point(candidate.lon, candidate.lat)))


def geocode(
    query: str, *, online: bool | None = None,
    online_lookup: Callable[[str], list[Candidate]] = _nominatim_candidates,
) -> tuple[list[Candidate], list[Candidate]]:
    """Geocode ``query``: the gazetteer first, then Nominatim if enabled and nothing was found.

    Parameters
    ----------
    online
        Allow the online service; default :func:`hotspots.base.settings.nominatim_enabled`.
    online_lookup
        The online service (injected in tests).

    Returns
    -------
    tuple
        ``(accepted, refused)``: candidates inside the municipality (or unlocated) and
        candidates refused because they lie outside it.
    """
    found = search_gazetteer(query)
    allowed = settings.nominatim_enabled() if online is None else online
    if allowed and not any(c.located for c in found):
        found = [*found, *online_lookup(query)]
    accepted = [c for c in found if inside_municipality(c)]
    refused = [c for c in found if not inside_municipality(c)]
    return accepted, refused
