"""What the map's scripts receive: compact, columnar payloads of hotspots, landmarks, unit shading and popup texts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.base.i18n import N_, t
from hotspots.base.labels import LANDMARK, PRIORITY, hotspot_names, label, unit_short
from hotspots.maps.styles import CATEGORY_CODES, QUALITY_CODES, STATUS_CODES, unit_colour
from hotspots.plan.plan import Plan


def unit_shading(units: gpd.GeoDataFrame, counts: Mapping[int, int], lang: str) -> dict[str, dict[str, str]]:
    """Return each unit's fill colour and label text for ``counts`` (keys: the unit numbers as text).

    Examples
    --------
    >>> import shapely
    >>> layer = gpd.GeoDataFrame({"unit": [1]}, geometry=[shapely.box(0, 0, 1, 1)])
    >>> unit_shading(layer, {1: 2}, "en")["fills"]
    {'1': '#f99b5b'}
    """
    numbers = [int(u) for u in units["unit"]]
    return {"fills": {str(u): unit_colour(counts.get(u, 0)) for u in numbers},
            "labels": {str(u): t("unit_label", lang, name=unit_short(u, lang), count=counts.get(u, 0)) for u in numbers}}


def landmark_labels(landmarks: pd.DataFrame, lang: str) -> list[list[Any]]:
    """Return ``[lat, lon, label]`` per landmark: its name in ``lang`` where known, else its kind."""
    labels = []
    for lat, lon, kind, name, name_en in zip(landmarks["lat"], landmarks["lon"], landmarks["kind"],
                                            landmarks["name"], landmarks["name_en"], strict=True):
        text = (str(name_en) if lang == "en" and name_en else str(name)) or label(LANDMARK, kind, lang)
        labels.append([round(float(lat), 6), round(float(lon), 6), text])
    return labels


def hotspot_payload(gdf: gpd.GeoDataFrame, *, lang: str = "sq") -> dict[str, Any]:
    """Return the compact, JSON-ready data of :class:`HotspotLayer` (located rows only).

    Built column by column (no per-row Python): one list per field, categorical fields
    as codes, repeated texts (sources, problems, periods) as indexes into a list of their
    distinct values. Points are a flat ``[lon, lat, lon, lat, ...]`` list; streets and
    zones (few) are ``[row, type, coordinates]`` entries in ``shapes``. Coordinates are
    rounded to 6 decimals (about 10 cm); unit 0 means "no unit". Texts are left raw: the
    browser escapes them. In English the English name is used where one exists. An optional
    ``inc`` list (one text per hotspot, e.g. "12 in 2023-H2, 8 in 2023-H1", added by
    :func:`hotspots.app.incident_parts.with_incident_popups`) puts incident counts in the popups.

    Examples
    --------
    >>> import shapely
    >>> gdf = gpd.GeoDataFrame({"id": ["H-1"], "name": ["A"], "category": ["crime"],
    ...     "location_quality": ["exact"], "status": ["active"], "unit": [pd.NA], "problem": ["1.7"],
    ...     "location_source": ["x"], "period": ["2022-H1"]}, geometry=[shapely.Point(20.08, 41.11)])
    >>> hotspot_payload(gdf)["xy"], hotspot_payload(gdf)["unit"]
    ([20.08, 41.11], [0])
    """
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    frame, geoms = gdf[located], geoms[located]
    is_point = shapely.get_type_id(geoms) == 0
    xy = np.zeros((len(geoms), 2))
    xy[is_point] = shapely.get_coordinates(geoms[is_point])
    shapes = [[int(i), g["type"], g["coordinates"]] for i, g in zip(
        np.flatnonzero(~is_point),
        (json.loads(text) for text in shapely.to_geojson(shapely.transform(geoms[~is_point], _round6))), strict=True
    )]
    problem, problems = pd.factorize(frame["problem"].astype(str))
    source, sources = pd.factorize(frame["location_source"].astype(str))
    period, periods = pd.factorize(frame["period"].astype(str))
    return {
        "id": frame["id"].astype(str).tolist(),
        "name": _names(frame, lang).tolist(),
        "cat": _codes(frame["category"], CATEGORY_CODES, 0),
        "q": _codes(frame["location_quality"], QUALITY_CODES, 2),
        "st": _codes(frame["status"], STATUS_CODES, 0),
        "unit": pd.to_numeric(frame["unit"], errors="coerce").fillna(0).astype(int).tolist(),
        "problem": problem.tolist(), "problems": list(problems),
        "src": source.tolist(), "sources": list(sources),
        "period": period.tolist(), "periods": list(periods),
        "xy": np.round(xy, 6).ravel().tolist(),
        "shapes": shapes,
    }


def _round6(coords: np.ndarray) -> np.ndarray:
    return np.round(coords, 6)


def _codes(values: pd.Series, codes: Mapping[str, int], default: int) -> list[int]:
    return list(values.map(codes).fillna(default).astype(int).tolist())


def _names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Return each hotspot's name in ``lang``: the English one where it exists, else the plan's."""
    return hotspot_names(frame, lang)


def payload_size(payload: Mapping[str, Any]) -> int:
    """Return the number of hotspots drawn by a :func:`hotspot_payload`."""
    return len(payload["id"])


def problem_payload(plan: Plan, priorities: Mapping[str, str], lang: str, problem_ids: Iterable[str]) -> dict[str, Any]:
    """Return, per problem id, the text the popups show: title, priority, activities, institutions."""
    out = {}
    for pid in sorted(set(problem_ids)):
        problem = plan.problem(pid)
        out[pid] = {
            "title": problem.title(lang),
            "priority": label(PRIORITY, priorities.get(pid, str(problem.priority)), lang),
            "activities": [f"{a.id} {a.text(lang)}" for a in problem.activities],
            "institutions": plan.institution_names(problem, lang),
        }
    return out


POPUP_LABELS = (N_("pp_id"), N_("pp_unit"), N_("pp_period"), N_("pp_status"), N_("pp_quality"), N_("pp_source"),
                N_("pp_problem"), N_("pp_priority"), N_("pp_activities"), N_("pp_institutions"), N_("pp_incidents"))


def popup_labels(lang: str) -> dict[str, Any]:
    """Return the translated labels and code names the popups and tooltips use."""
    return {
        **{k: t(k, lang) for k in POPUP_LABELS},
        "no_unit": t("no_unit", lang),
        "cat": [t("cat_crime", lang), t("cat_street_children", lang)],
        "quality": [t("q_exact", lang), t("q_landmark", lang), t("q_approximate", lang)],
        "status": [t("st_active", lang), t("st_resolved", lang), t("st_removed", lang)],
    }
