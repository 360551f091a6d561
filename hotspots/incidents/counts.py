"""Counts of incidents per hotspot, unit and period; the Prediction Accuracy Index.

A hotspot's catchment in a period is its recorded place in the review period (half-year)
holding it: its zone (plus 1 m, so an incident on the edge counts), its street buffered by
:data:`settings.INCIDENT_STREET_BUFFER_M`, or a circle of :data:`settings.INCIDENT_POINT_RADIUS_M`
around a point. With no record yet in that half-year, the latest earlier place is used (else
the first one), and ``place_from`` says which. Everything is one spatial join per period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots import settings, units
from hotspots.errors import ValidationError

#: Period lengths counts can be given in.
KINDS: tuple[str, ...] = ("half", "quarter", "month")
_LABEL_RE = {"half": re.compile(r"^\d{4}-H[12]$"), "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
             "month": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")}


def parse_period(value: str | None) -> tuple[str, str | None]:
    """Return ``(kind, label or None)`` of a ``--period`` value: a kind or one period.

    Examples
    --------
    >>> parse_period("quarter"), parse_period("2023-H2"), parse_period("2023-05")
    (('quarter', None), ('half', '2023-H2'), ('month', '2023-05'))
    """
    text = (value or "half").strip()
    if text in KINDS:
        return text, None
    for kind, pattern in _LABEL_RE.items():
        if pattern.match(text):
            return kind, text
    raise ValidationError("err_inc_period", value=text)


def labels(dates: pd.Series, kind: str = "half") -> pd.Series:
    """Return the period label of ISO dates (vectorised).

    Examples
    --------
    >>> list(labels(pd.Series(["2023-05-17", "2023-07-01"]), "quarter"))
    ['2023-Q2', '2023-Q3']
    """
    year = dates.str.slice(0, 4)
    month = dates.str.slice(5, 7).astype(int)
    if kind == "half":
        return year + "-H" + np.where(month <= 6, "1", "2")
    if kind == "quarter":
        return year + "-Q" + ((month - 1) // 3 + 1).astype(str)
    if kind == "month":
        return dates.str.slice(0, 7)
    raise ValidationError("err_inc_period", value=kind)


def half_of(label: pd.Series) -> pd.Series:
    """Return the half-year (review period) holding each period label."""
    year = label.str.slice(0, 4)
    rest = label.str.slice(5)
    first = rest.isin(["H1", "Q1", "Q2", "01", "02", "03", "04", "05", "06"])
    return year + np.where(first, "-H1", "-H2")


def catchments(observations: gpd.GeoDataFrame, halves: Sequence[str], *, radius_m: float | None = None,
               street_m: float | None = None) -> gpd.GeoDataFrame:
    """Return each located hotspot's catchment per half-year, in EPSG:32634.

    Columns: ``id``, ``category``, ``half``, ``status`` (of the record used), ``place_from``
    (its period), ``geometry``.
    """
    radius = settings.INCIDENT_POINT_RADIUS_M if radius_m is None else radius_m
    street = settings.INCIDENT_STREET_BUFFER_M if street_m is None else street_m
    obs = observations[observations.geometry.notna() & ~observations.geometry.is_empty]
    obs = obs.sort_values(["id", "period"])
    frames = []
    for half in sorted(set(halves)):  # one step per review period, never per incident
        upto = obs[obs["period"] <= half].groupby("id").tail(1)
        first = obs[~obs["id"].isin(upto["id"])].groupby("id").head(1)
        frames.append(pd.concat([upto, first]).assign(half=half))
    if not frames:
        return gpd.GeoDataFrame(columns=["id", "category", "half", "status", "place_from", "geometry"],
                                geometry="geometry", crs=settings.CRS_METRIC)
    both = pd.concat(frames, ignore_index=True)
    geom = gpd.GeoSeries(both.geometry, crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
    kind = geom.geom_type.str.replace("Multi", "", regex=False)
    dist = np.select([kind == "Polygon", kind == "LineString"], [settings.INCIDENT_EDGE_TOLERANCE_M, street], radius)
    return gpd.GeoDataFrame({"id": both["id"], "category": both["category"], "half": both["half"],
                             "status": both["status"], "place_from": both["period"]},
                            geometry=geom.buffer(dist), crs=settings.CRS_METRIC)


def _placed_metric(incidents: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    inc = incidents[incidents.geometry.notna()]
    inc = inc.assign(period=labels(inc["occurred_on"], kind))
    return inc.assign(half=half_of(inc["period"])).to_crs(settings.CRS_METRIC)


def hotspot_pairs(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *, kind: str = "half",
                  radius_m: float | None = None, street_m: float | None = None) -> pd.DataFrame:
    """Return one row per (incident, hotspot) it falls in: ``id``, ``period``, ``offence``, ``place_from``."""
    inc = _placed_metric(incidents, kind)
    zones = catchments(observations, list(inc["half"].unique()), radius_m=radius_m, street_m=street_m)
    parts = []
    for half, group in inc.groupby("half"):  # one spatial join per review period
        z = zones[zones["half"] == half]
        if z.empty:
            continue
        j = gpd.sjoin(group[["period", "offence", "geometry"]], z[["id", "place_from", "geometry"]],
                      how="inner", predicate="intersects")
        parts.append(pd.DataFrame(j[["id", "period", "offence", "place_from"]]))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["id", "period", "offence", "place_from"])


def _wide(long: pd.DataFrame, keys: list[str], offences: Sequence[str]) -> pd.DataFrame:
    table = long.groupby([*keys, "offence"]).size().unstack("offence", fill_value=0)
    table = table.reindex(columns=list(offences), fill_value=0)
    table.insert(0, "total", table.sum(axis=1))
    return table.astype(int).reset_index()


def counts_by_hotspot(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *, kind: str = "half",
                      offences: Sequence[str] = (), radius_m: float | None = None,
                      street_m: float | None = None) -> pd.DataFrame:
    """Return incidents per located hotspot and period: ``id``, ``period``, ``total``, one column per offence.

    Every located hotspot has a row for every period holding an incident (zeros included).

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> zone = shapely.Point(20.08, 41.113).buffer(0.001)
    >>> obs = gpd.GeoDataFrame({"id": ["H1"], "category": ["drugs_crime"], "period": ["2023-H1"],
    ...                         "status": ["active"]}, geometry=[zone], crs="EPSG:4326")
    >>> inc = gpd.GeoDataFrame({"occurred_on": ["2023-03-01", "2023-03-02"], "offence": ["drugs", "theft"]},
    ...                        geometry=[shapely.Point(20.08, 41.113), shapely.Point(20.2, 41.0)], crs="EPSG:4326")
    >>> counts_by_hotspot(inc, obs, offences=["drugs", "theft"]).to_dict("records")
    [{'id': 'H1', 'period': '2023-H1', 'total': 1, 'drugs': 1, 'theft': 0}]
    """
    offences = list(offences) or sorted(incidents["offence"].dropna().unique())
    pairs = hotspot_pairs(incidents, observations, kind=kind, radius_m=radius_m, street_m=street_m)
    table = _wide(pairs, ["id", "period"], offences) if not pairs.empty else pd.DataFrame(columns=["id", "period", "total", *offences])
    placed = incidents[incidents.geometry.notna()]
    periods = sorted(labels(placed["occurred_on"], kind).unique())
    located = observations[observations.geometry.notna() & ~observations.geometry.is_empty]
    full = pd.MultiIndex.from_product([sorted(located["id"].unique()), periods], names=["id", "period"])
    table = table.set_index(["id", "period"]).reindex(full, fill_value=0).reset_index()
    return table.astype({c: int for c in ["total", *offences]})


def counts_by_unit(incidents: gpd.GeoDataFrame | pd.DataFrame, *, kind: str = "half",
                   offences: Sequence[str] = ()) -> pd.DataFrame:
    """Return incidents per unit (1-6, ``none`` outside them or unplaced) and period, per offence."""
    offences = list(offences) or sorted(incidents["offence"].dropna().unique())
    if len(incidents) == 0:
        return pd.DataFrame(columns=["unit", "period", "total", *offences])
    unit = incidents["unit"].astype("Int64").astype(str).where(incidents["unit"].notna(), "none")
    long = pd.DataFrame({"unit": unit, "period": labels(incidents["occurred_on"], kind), "offence": incidents["offence"]})
    return _wide(long, ["unit", "period"], offences)


def prediction_accuracy(incidents: gpd.GeoDataFrame, observations: gpd.GeoDataFrame, *, kind: str = "half",
                        area: shapely.Geometry | None = None, radius_m: float | None = None,
                        street_m: float | None = None) -> pd.DataFrame:
    """Return the Prediction Accuracy Index of the designated hotspots per period.

    PAI = (incidents inside the catchments of hotspots recorded **active** in the period's
    review period ÷ placed incidents in the study area) ÷ (their area in it ÷ the study
    area: :data:`settings.INCIDENT_PAI_AREA`, the city unit by default). Columns: ``period``,
    ``hotspots``, ``incidents``, ``inside``, ``hit_rate``, ``area_km2``, ``area_share``,
    ``pai`` (empty when no hotspot is recorded active).
    """
    if area is None:
        area = units.city_unit() if settings.INCIDENT_PAI_AREA == "city" else units.municipality()
    study = gpd.GeoSeries([area], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    study_m2 = float(study.area)
    inc = _placed_metric(incidents, kind)
    inc = inc[shapely.contains_xy(study, inc.geometry.x.to_numpy(), inc.geometry.y.to_numpy())]
    zones = catchments(observations, list(inc["half"].unique()), radius_m=radius_m, street_m=street_m)
    zones = zones[(zones["status"] == "active") & (zones["place_from"] == zones["half"])]
    rows = []
    for period, group in inc.groupby("period"):
        z = zones[zones["half"] == str(group["half"].iloc[0])]
        union = shapely.intersection(shapely.union_all(z.geometry.to_numpy()), study) if len(z) else shapely.Polygon()
        inside = int(shapely.contains_xy(union, group.geometry.x.to_numpy(), group.geometry.y.to_numpy()).sum()) if len(z) else 0
        hit, share = inside / len(group), union.area / study_m2
        rows.append({"period": period, "hotspots": len(z), "incidents": len(group), "inside": inside,
                     "hit_rate": round(hit, 4), "area_km2": round(union.area / 1e6, 4), "area_share": round(share, 6),
                     "pai": round(hit / share, 2) if share > 0 else None})
    return pd.DataFrame(rows, columns=["period", "hotspots", "incidents", "inside", "hit_rate", "area_km2", "area_share", "pai"])


def popup_lines(counts: pd.DataFrame, hotspot_id: str, lang: str, *, last: int = 2) -> str:
    """Return "12 in 2023-H2, 8 in 2023-H1" for a hotspot: its latest periods first."""
    from hotspots.i18n import t

    rows = counts[counts["id"] == hotspot_id].sort_values("period", ascending=False).head(last)
    return ", ".join(t("inc_in_period", lang, n=int(n), period=p) for n, p in zip(rows["total"].astype(int), rows["period"]))


def named(table: pd.DataFrame, observations: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a per-hotspot count table with the hotspot's name (English name in ``en`` when given) after its id."""
    names = observations.drop_duplicates("id", keep="last").set_index("id")
    label = names["name_en"].where((names["name_en"].fillna("") != "") & (lang == "en"), names["name"]) \
        if "name_en" in names else names["name"]
    out = table.copy()
    out.insert(1, "name", out["id"].map(label))
    return out


def pai_for_role(pai: pd.DataFrame, sees_points: bool) -> pd.DataFrame:
    """Return the PAI table; without points only the ratios (no small raw counts)."""
    return pai if sees_points else pai[["period", "hotspots", "hit_rate", "area_share", "pai"]]
