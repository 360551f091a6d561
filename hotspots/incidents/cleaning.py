"""Raw rows to incidents (pure): dates, offence classes, places, references, units.

Every step is vectorised over the rows; only distinct addresses are geocoded, each once,
with the offline gazetteer. A row is either accepted (placed or not) or refused with a
reason; nothing is dropped silently. Free text is screened first
(:mod:`hotspots.incidents.screening`): a reference without the case-number shape, or an
address or landmark holding a personal number, a phone number, a date or a word about a
person refuses its row, and the report then names the column and the kind of pattern, never
the text. Where the gazetteer places a row, its place's name is kept, not the typed text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.base.labels import INCIDENT_REASON, label
from hotspots.incidents.config import ColumnMapping, Config, column_field, key, load_config, resolve_columns
from hotspots.incidents.reading import RawFile
from hotspots.incidents.screening import screen_series
from hotspots.plan import geocode, units


#: Earliest incident date accepted.
EARLIEST: str = "1990-01-01"
#: Grade of a location found by the gazetteer, by the gazetteer row's confidence.
GRADE_OF_CONFIDENCE: dict[str, str] = {"high": "landmark", "medium": "landmark", "low": "approximate"}

Geocoder = Callable[[str], "geocode.Candidate | None"]


@dataclass
class Cleaned:
    """The outcome of cleaning a file.

    Attributes
    ----------
    incidents
        Accepted rows (placed or not): ``row``, ``row_key``, ``reference``, ``occurred_on``,
        ``occurred_at``, ``offence``, ``problem``, ``lon``, ``lat``, ``unit``,
        ``location_quality``, ``location_source``, ``address``.
    refused
        ``row``, ``reason`` (a message key suffix), ``value`` (for free text refused as
        personal: the column and the kind, never the text).
    columns
        Field -> the file column read for it.
    """

    incidents: pd.DataFrame
    refused: pd.DataFrame
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def unplaced(self) -> pd.DataFrame:
        """Return the accepted rows without a usable place."""
        return self.incidents[self.incidents["lon"].isna()]


def gazetteer_lookup(address: str) -> geocode.Candidate | None:
    """Return the best located gazetteer candidate inside the municipality, or None (offline)."""
    accepted, _refused = geocode.geocode(address, online=False)
    return next((c for c in accepted if c.located), None)


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return ``(ISO date or NA, HH:MM or NA)`` of ``2023-05-17[ 14:30]`` or ``17.05.2023[ 14:30]``.

    Examples
    --------
    >>> d, t = parse_dates(pd.Series(["2023-05-17", "17.05.2023 14:30", "May 17"]))
    >>> list(d.fillna("-")), list(t.fillna("-"))
    (['2023-05-17', '2023-05-17', '-'], ['-', '14:30', '-'])
    """
    s = values.astype(str).str.strip()
    head, tail = s.str.slice(0, 10), s.str.slice(10).str.strip().str.lstrip("T")
    codes, uniques = pd.factorize(head)  # a few thousand distinct days: each parsed once
    days = pd.Series(uniques.astype(str))
    parsed = pd.to_datetime(days, format="%Y-%m-%d", errors="coerce")
    for fmt in ("%d.%m.%Y", "%d/%m/%Y"):
        parsed = parsed.fillna(pd.to_datetime(days, format=fmt, errors="coerce"))
    iso_unique = parsed.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    picked = iso_unique[np.maximum(codes, 0)] if len(iso_unique) else np.full(len(codes), None, dtype=object)
    iso = pd.Series(picked, index=values.index, dtype=object).where(codes >= 0)
    clock = tail.str.extract(r"^(\d{1,2}:\d{2})")[0]
    ok_tail = (tail == "") | clock.notna()
    iso = iso.where(iso.notna() & ok_tail)
    clock = clock.where(iso.notna()).str.zfill(5)
    return iso.astype(object), clock.astype(object)


def parse_number(values: pd.Series) -> pd.Series:
    """Return numbers of text with a dot or a decimal comma (``41,1123``); NaN where not a number."""
    return pd.to_numeric(values.astype(str).str.strip().str.replace(",", ".", regex=False), errors="coerce")


#: Longest value of a refused row echoed in the report.
SHOWN_VALUE_CHARS: int = 60


def _refuse(rows: pd.Series, mask: pd.Series, reason: str, values: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"row": rows[mask].to_numpy(), "reason": reason, "value": shown_values(values[mask]).to_numpy()})


def shown_values(values: pd.Series) -> pd.Series:
    """Return values as the report may echo them: shortened, and a personal-looking one replaced by its kind.

    A date alone is echoed (a refused date, "17/13/2023", is shown so that it can be corrected).

    Examples
    --------
    >>> shown_values(pd.Series(["17/13/2023", "tel 0691234567", "viktima"])).tolist()
    ['17/13/2023', '‹phone›', '‹personal_word›']
    """
    text = values.astype(str)
    kinds = screen_series(text)
    kinds = kinds.where(kinds != "date", None)
    short = text.where(text.str.len() <= SHOWN_VALUE_CHARS, text.str.slice(0, SHOWN_VALUE_CHARS) + "…")
    return short.where(kinds.isna(), "‹" + kinds.astype(str) + "›")


def _screen(rows: pd.Series, text: dict[str, pd.Series], cols: dict[str, str],
            ok: pd.Series) -> tuple[pd.Series, list[pd.DataFrame]]:
    """Screen the free text of the rows still ``ok``; return the rows refused and their reasons.

    Each refused row names the column read and the kind of pattern (``reference_shape``,
    ``text_phone`` …), never the text.
    """
    bad = pd.Series(False, index=rows.index)
    refused = []
    for name in ("reference", "address", "landmark"):
        if name not in cols:
            continue
        kinds = screen_series(text[name], reference=name == "reference")
        hit = kinds.notna() & ok & ~bad
        for kind in sorted(set(kinds[hit])):
            mask = hit & (kinds == kind)
            reason = kind if kind == "reference_shape" else f"text_{kind}"
            refused.append(pd.DataFrame({"row": rows[mask].to_numpy(), "reason": reason, "value": f"“{cols[name]}”"}))
        bad |= hit
    return bad, refused


def clean(raw: RawFile, *, mapping: ColumnMapping | None = None, config: Config | None = None,
          geocoder: Geocoder = gazetteer_lookup, today: date | None = None) -> Cleaned:
    """Turn a raw file into incidents and refused rows.

    Parameters
    ----------
    raw
        The file as read by :mod:`hotspots.incidents.reading` (personal columns already refused).
    mapping
        A user's mapping file (column names and extra offence values).
    geocoder
        Address -> located candidate or None (the offline gazetteer; injected in tests).
    today
        Dates after it are refused (default :func:`hotspots.base.settings.today`).
    """
    config = config or load_config()
    mapping = mapping or ColumnMapping({}, {})
    frame = raw.rows
    names = [c for c in frame.columns if not c.startswith("_")]
    if "_lon" in frame and not {"lat", "lon"} & set(mapping.columns.values()):
        # a GeoJSON/GeoPackage point is the place (lat/lon properties beside it are not read)
        names = [n for n in names if column_field(n, mapping, config) not in {"lat", "lon"}] + ["_lon", "_lat"]
        mapping = ColumnMapping({"_lon": "lon", "_lat": "lat", **mapping.columns}, mapping.offences)
    cols = resolve_columns(names, mapping, config)
    text = {f: frame[c].astype(str).str.strip() if c in frame else pd.Series("", index=frame.index) for f, c in cols.items()}
    empty = pd.Series("", index=frame.index)

    def get(field: str) -> pd.Series:
        return text.get(field, empty)

    rows = frame["_row"]
    refused: list[pd.DataFrame] = []
    personal, refused = _screen(rows, text, cols, pd.Series(True, index=frame.index))
    day, clock = parse_dates(get("date"))
    if "time" in cols:
        given = get("time").str.extract(r"^(\d{1,2}:\d{2})")[0].str.zfill(5)
        clock = given.where(given.notna(), clock)
    limit = (today or settings.today()).isoformat()
    bad_date = (day.isna() | (day.fillna("") > limit) | (day.fillna("9") < EARLIEST)) & ~personal
    refused.append(_refuse(rows, bad_date, "date", get("date")))
    bad_date |= personal  # a personal row is refused once, for its text
    lookup = config.offence_lookup(mapping.offences)
    given = get("offence")
    offence = given.map({v: lookup.get(key(v)) for v in given.unique()}).astype(object)  # each distinct value once
    refused.append(_refuse(rows, offence.isna() & ~bad_date, "offence", get("offence")))
    lon, lat = parse_number(get("lon")), parse_number(get("lat"))
    has_xy_text = (get("lon") != "") | (get("lat") != "")
    bad_xy = has_xy_text & (lon.isna() | lat.isna() | (lat.abs() > 90) | (lon.abs() > 180))
    refused.append(_refuse(rows, bad_xy & offence.notna() & ~bad_date, "coordinates", get("lat") + " " + get("lon")))
    quality = pd.Series("exact", index=frame.index, dtype=object).where(lon.notna() & lat.notna() & ~bad_xy, None)
    source = pd.Series("coordinates in the file", index=frame.index, dtype=object).where(quality.notna(), "")
    lon, lat = lon.where(quality.notna()), lat.where(quality.notna())
    typed = get("address").where(get("address") != "", get("landmark")).where(~personal, "")  # never geocoded, never kept
    lon, lat, quality, source, place = _geocode(typed, lon, lat, quality, source, geocoder)
    placed = lon.notna()
    inside = pd.Series(True, index=frame.index)
    if placed.any():
        inside[placed] = shapely.contains_xy(units.municipality(), lon[placed].to_numpy(), lat[placed].to_numpy())
    ok = ~bad_date & offence.notna() & ~bad_xy
    refused.append(_refuse(rows, ok & ~inside, "outside", lat.round(5).astype(str) + ", " + lon.round(5).astype(str)))
    ok &= inside
    reference = get("reference")
    dup = (reference != "") & reference.duplicated(keep="first") & ok
    refused.append(_refuse(rows, dup, "reference_repeated", reference))
    ok &= ~dup
    out = pd.DataFrame({
        "row": rows, "reference": reference.where(reference != "", None), "occurred_on": day, "occurred_at": clock,
        "offence": offence, "problem": offence.map({o: config.problem(o) for o in config.offences}),
        "lon": lon.round(6), "lat": lat.round(6), "location_quality": quality.fillna("unlocated"),
        "location_source": source, "address": place.where(place != "", None),
    })[ok]
    out["row_key"] = row_keys(out)
    out["unit"] = units_of(out["lon"], out["lat"])
    reasons = pd.concat(refused, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
    return Cleaned(out.reset_index(drop=True), reasons, cols)


def _geocode(address: pd.Series, lon: pd.Series, lat: pd.Series, quality: pd.Series, source: pd.Series,
             geocoder: Geocoder) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, pd.Series]:
    """Place rows without coordinates by their address: each distinct address geocoded once.

    Returns the place text to keep beside lon, lat, quality and source: the gazetteer
    place's name where it placed the row, else the (screened) typed text.
    """
    place = address.copy()
    need = lon.isna() & (address != "")
    if not need.any():
        return lon, lat, quality, source, place
    found = {a: geocoder(a) for a in address[need].unique()}
    cands = address[need].map(found)
    lon, lat, quality, source = lon.copy(), lat.copy(), quality.copy(), source.copy()
    hit = cands[cands.notna()]
    lon[hit.index] = [c.lon for c in hit]
    lat[hit.index] = [c.lat for c in hit]
    quality[hit.index] = [GRADE_OF_CONFIDENCE.get(c.confidence, "approximate") for c in hit]
    source[hit.index] = [f"gazetteer: {c.name} ({c.score:.0f})" for c in hit]
    place[hit.index] = [c.name for c in hit]
    miss = cands[cands.isna()].index
    source[miss] = "address not found in the gazetteer"
    return lon, lat, quality, source, place


def row_keys(frame: pd.DataFrame) -> pd.Series:
    """Return each row's idempotency key: its case reference, else a hash of its content.

    Rows without a reference that are identical get their rank appended, so a file that
    honestly holds two such incidents keeps both, and its re-import adds neither.
    """
    ref = frame["reference"]
    keys = ("r:" + ref.astype(str)).where(ref.notna(), "")
    plain = frame[ref.isna()]  # only rows without a reference are hashed
    if plain.empty:
        return keys
    cols = ["occurred_on", "occurred_at", "offence", "lon", "lat", "address"]
    content = plain[cols].astype(object).where(plain[cols].notna(), "").astype(str)
    digest = pd.Series(pd.util.hash_pandas_object(content, index=False).to_numpy(), index=plain.index)
    rank = digest.groupby(digest).cumcount()
    keys[plain.index] = "h:" + digest.map("{:016x}".format) + "-" + rank.astype(str)
    return keys


def units_of(lon: pd.Series, lat: pd.Series, layer: gpd.GeoDataFrame | None = None) -> pd.Series:
    """Return the unit (1-6 or NA) of each point, by one spatial join."""
    layer = units.load_units() if layer is None else layer
    out = pd.Series(pd.NA, index=lon.index, dtype="Int64")
    ok = lon.notna() & lat.notna()
    if not ok.any():
        return out
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[ok], lat[ok]), index=lon[ok].index, crs=settings.CRS_STORE)
    joined = gpd.sjoin(pts, layer[["unit", "geometry"]].to_crs(settings.CRS_STORE), how="inner", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    out.loc[joined.index] = joined["unit"].astype(int).to_numpy()
    return out


def report_frame(refused: pd.DataFrame, unplaced: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the import report: row, outcome, reason in words, value (refused, then unplaced)."""
    a = pd.DataFrame({"row": refused["row"], "outcome": t("inc_refused", lang),
                      "reason": [label(INCIDENT_REASON, r, lang) for r in refused["reason"]], "value": refused["value"]})
    b = pd.DataFrame({"row": unplaced["row"], "outcome": t("inc_unplaced", lang),
                      "reason": t("inc_reason_no_place", lang), "value": unplaced["address"].fillna("")})
    return pd.concat([a, b], ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)


def offence_values(config: Config | None = None) -> Mapping[str, list[str]]:
    """Return each offence class with the values understood for it (for messages and the README)."""
    config = config or load_config()
    return {c: [c, *map(str, e.get("aliases", []))] for c, e in config.offences.items()}

