"""Filtered views and summary tables of hotspots (pure functions on GeoDataFrames)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from hotspots.base import settings
from hotspots.base.i18n import N_, t
from hotspots.base.labels import (
    ACTIVITY_STATUS, CATEGORY, COLUMN, HISTORY_ACTION, PRIORITY, QUALITY, ROLE, STATUS, hotspot_names, label,
    unit_words,
)
from hotspots.base.missing import int_or_none, is_missing, text_or_empty
from hotspots.plan import model
from hotspots.plan.plan import Plan, Problem


@dataclass(frozen=True)
class Filters:
    """What a user selected: one period, and the categories, units and priorities to keep.

    An empty sequence keeps everything for that field.
    """

    period: str
    categories: tuple[str, ...] = ()
    units: tuple[int, ...] = ()
    priorities: tuple[str, ...] = ()
    layers: tuple[str, ...] = field(default=("hotspots", "units", "landmarks"))


#: Layers the map page offers.
LAYERS: tuple[str, ...] = ("hotspots", "units", "landmarks", "heat", "cluster")
#: Layers shown when the URL names none.
DEFAULT_LAYERS: tuple[str, ...] = ("hotspots", "units", "landmarks")


def shading_category(filters: Filters) -> str:
    """Return the category whose counts shade the units: the one chosen, else crime (1.7, the hot zones)."""
    return filters.categories[0] if len(filters.categories) == 1 else str(model.Category.CRIME)


def parse_filters(params: Mapping[str, str | list[str]], *, default_period: str) -> Filters:
    """Build :class:`Filters` from URL query parameters, dropping invalid values.

    Examples
    --------
    >>> parse_filters({"period": "2022-H1", "unit": "6,9"}, default_period="2022-H1").units
    (6,)
    """

    def values(key: str) -> list[str]:
        raw = params.get(key, "")
        items = raw if isinstance(raw, list) else [raw]
        # each value once (a widget refuses duplicate defaults), at most 20 of them
        return list(dict.fromkeys(v.strip() for item in items for v in str(item).split(",")[:20] if v.strip()))[:20]

    periods = model.review_periods()
    period = next((p for p in values("period") if p in periods), default_period)
    categories = tuple(c for c in values("category") if c in {str(x) for x in model.Category})
    units = tuple(int(u) for u in values("unit") if _small_number(u) and int(u) in settings.UNIT_NUMBERS)
    priorities = tuple(p for p in values("priority") if p in {str(x) for x in model.Priority})
    layers = tuple(v for v in values("layers") if v in LAYERS) if "layers" in params else DEFAULT_LAYERS
    return Filters(period, categories, units, priorities, layers)


def _small_number(text: str) -> bool:
    """Return whether ``text`` is 1-3 ASCII digits (``"²".isdigit()`` is True, ``int("²")`` fails)."""
    return 0 < len(text) <= 3 and text.isascii() and text.isdigit()


def ignored_params(params: Mapping[str, str | list[str]], filters: Filters) -> list[str]:
    """Return the names of the filter parameters whose values :func:`parse_filters` dropped.

    Examples
    --------
    >>> p = {"unit": "²", "period": "2022-H1"}
    >>> ignored_params(p, parse_filters(p, default_period="2022-H1"))
    ['unit']
    """
    kept = filters_to_params(filters)
    out = []
    for key in ("period", "category", "unit", "priority", "layers"):
        raw = params.get(key)
        if raw is None:
            continue
        items = raw if isinstance(raw, list) else [raw]
        given = {v.strip() for item in items for v in str(item).split(",") if v.strip()}
        if not given <= set(kept.get(key, "").split(",")):
            out.append(key)
    return out


def filters_to_params(filters: Filters) -> dict[str, str]:
    """Return the URL query parameters that reproduce ``filters`` (inverse of parse)."""
    params = {"period": filters.period, "layers": ",".join(filters.layers)}
    if filters.categories:
        params["category"] = ",".join(filters.categories)
    if filters.units:
        params["unit"] = ",".join(str(u) for u in filters.units)
    if filters.priorities:
        params["priority"] = ",".join(filters.priorities)
    return params


def priorities_in_period(plan: Plan, stored: pd.DataFrame, period: str) -> dict[str, str]:
    """Return each problem's priority in ``period``: the latest set at or before it, else the plan's."""
    result = {p.id: str(p.priority) for p in plan.problems}
    if stored.empty:
        return result
    earlier = stored[stored["period"] <= period].sort_values("period")
    for _, row in earlier.iterrows():
        result[str(row["problem_id"])] = str(row["priority"])
    return result


def apply_filters(gdf: gpd.GeoDataFrame, filters: Filters, priorities: dict[str, str]) -> gpd.GeoDataFrame:
    """Return the rows of ``gdf`` that pass ``filters`` (period, category, unit, priority)."""
    keep = gdf["period"] == filters.period
    if filters.categories:
        keep &= gdf["category"].isin(filters.categories)
    if filters.units:
        keep &= gdf["unit"].isin(filters.units).fillna(False).astype(bool)
    if filters.priorities:
        keep &= gdf["problem"].map(priorities).isin(filters.priorities)
    return gdf[keep]


def counts_by_unit(gdf: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """Return a table of hotspots per unit and category (rows 1-6 and "no unit", a total)."""
    cats = [str(c) for c in model.Category]
    unit = gdf["unit"].astype("Int64").astype(object).where(gdf["unit"].notna(), "—")
    table = pd.crosstab(unit, gdf["category"]).reindex(columns=cats, fill_value=0)
    table = table.reindex([*settings.UNIT_NUMBERS, *(["—"] if "—" in set(unit) else [])], fill_value=0)
    table["total"] = table.sum(axis=1)
    table.index = [unit_words(u, lang) if u != "—" else t("no_unit", lang) for u in table.index]
    table.columns = [label(CATEGORY, c, lang) if c in cats else t("total", lang) for c in table.columns]
    return table


def active_counts_per_unit(gdf: gpd.GeoDataFrame, *, category: str | None = None) -> dict[int, int]:
    """Return the number of active hotspots per unit (1-6) in ``gdf``, of one ``category``.

    Counts of problems 1.7 and 1.10 are never added together: with ``category`` None the
    frame must already hold a single category (else a ValueError says so).
    """
    if category is not None:
        gdf = gdf[gdf["category"] == category]
    elif gdf["category"].nunique() > 1:
        raise ValueError("unit counts need one category: problems 1.7 and 1.10 are never added together")
    active = gdf[(gdf["status"] == "active") & gdf["unit"].notna()]
    counts = active["unit"].astype(int).value_counts().to_dict()
    return {u: int(counts.get(u, 0)) for u in settings.UNIT_NUMBERS}


def needs_location(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the hotspots with no location (``unlocated``), to be placed by staff."""
    return gdf[gdf.geometry.isna() | (gdf["location_quality"] == "unlocated")]


def display_table(gdf: gpd.GeoDataFrame, lang: str, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Return a plain table of hotspots with translated headers (text left verbatim).

    Streamlit's dataframe shows cells as text, never as HTML, so names stay inert.
    """
    columns = list(columns or ["id", "name", "category", "unit", "status", "location_quality"])
    table = pd.DataFrame(gdf[columns]).copy()
    if "category" in table:
        table["category"] = [label(CATEGORY, c, lang) for c in table["category"]]
    if "location_quality" in table:
        table["location_quality"] = [label(QUALITY, q, lang) for q in table["location_quality"]]
    if "status" in table:
        table["status"] = [label(STATUS, s, lang) for s in table["status"]]
    if "name" in table and "name_en" in gdf:
        table["name"] = hotspot_names(gdf.assign(name=table["name"]), lang)
    if "unit" in table:  # a number, or "—": never "3.0"
        table["unit"] = [str(n) if (n := int_or_none(u)) is not None else "" for u in table["unit"]]
    table = table.astype(object).where(table.notna() & (table.astype(str) != ""), "—")  # never "None" or "nan"
    table = table.astype(str)  # one type per column: the browser's table (Arrow) takes it as it is
    table.columns = [label(COLUMN, c, lang) for c in table.columns]
    return table.reset_index(drop=True)


#: History fields never shown (bookkeeping) and how the shown ones are named.
_HIDDEN_FIELDS = {"id", "created_at", "created_by", "updated_at", "updated_by", "dataset", "problem"}
_FIELD_KEYS = {"geometry_wkt": N_("hist_place"), "name_en": N_("col_name_en"), "description": N_("f_description"),
               "plan_unit": N_("hist_plan_unit"), "activities": N_("f_activities"), "priority": N_("f_priority"),
               "note": N_("f_notes"), "role": N_("col_role")}
#: Fields said of a new hotspot or observation (the rest is in the tables above the history).
_NEW_FIELDS = ("name", "category", "status", "unit", "location_quality", "moved_from", "priority", "note", "role")
_VALUE_LABELS = {"status": STATUS, "location_quality": QUALITY, "category": CATEGORY, "priority": PRIORITY}


def _flatten(value: object) -> dict[str, object]:
    """Return a history ``before``/``after`` JSON text as one flat dict (nested observation merged)."""
    if is_missing(value) or not str(value).strip():
        return {}
    try:
        data = json.loads(str(value))
    except json.JSONDecodeError:
        return {"": str(value)}
    if not isinstance(data, dict):
        return {"": data}
    nested = data.pop("observation", None)
    return {**data, **(nested if isinstance(nested, dict) else {})}


def _field_value(field: str, value: object, lang: str) -> str:
    if is_missing(value) or value == "":
        return "—"
    if field == "geometry_wkt":
        return t("hist_placed", lang)
    codes = _VALUE_LABELS.get(field, {})
    if str(value) in codes:
        return label(codes, value, lang)
    return label(ACTIVITY_STATUS, value, lang) if field == "status" else str(value)


def describe_change(before: object, after: object, lang: str) -> str:
    """Return a history row's change in words: ``key: old → new`` for what changed.

    Examples
    --------
    >>> describe_change('{"status": "active"}', '{"status": "resolved"}', "en")
    'Status: active → resolved'
    """
    old, new = _flatten(before), _flatten(after)
    if not old:  # a new record: what it is, not every field
        new = {k: v for k, v in new.items() if k in _NEW_FIELDS}
    parts = []
    for key in [k for k in {**old, **new} if k not in _HIDDEN_FIELDS]:
        a, b = old.get(key), new.get(key)
        if a == b or (is_missing(a) and is_missing(b)):
            continue
        name = t(_FIELD_KEYS[key], lang) if key in _FIELD_KEYS else label(COLUMN, key, lang)
        if key == "geometry_wkt":
            parts.append(f"{name}: {t('hist_moved', lang) if old else t('hist_placed', lang)}")
        elif key in old:
            parts.append(f"{name}: {_field_value(key, a, lang)} → {_field_value(key, b, lang)}")
        elif not is_missing(b) and b != "":
            parts.append(f"{name}: {_field_value(key, b, lang)}")
    return "; ".join(parts)


def action_words(action: str, lang: str) -> str:
    """Return a history action (``add``, ``review:moved``…) in words."""
    return label(HISTORY_ACTION, action, lang)


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return history rows in words: when, who, what, period and what changed (no raw JSON)."""
    return pd.DataFrame({
        t("col_at", lang): [str(v).replace("T", " ").replace("+00:00", " UTC") for v in history["at"]],
        t("col_author", lang): history["author"].astype(str).tolist(),
        t("col_action", lang): [action_words(a, lang) for a in history["action"]],
        t("col_period", lang): [text_or_empty(v) for v in history["period"]],
        t("col_change", lang): [describe_change(b, a, lang) for b, a in zip(history["before"], history["after"], strict=True)],
    })


def priority_table(plan: Plan, stored: pd.DataFrame, periods: Sequence[str], lang: str) -> pd.DataFrame:
    """Return each problem's priority in each period (a priority can change at each review)."""
    per_period = {p: priorities_in_period(plan, stored, p) for p in periods}
    rows = []
    for problem in plan.problems:
        rows.append({t("col_problem", lang): f"{problem.id} {problem.title(lang)}",
                     **{p: label(PRIORITY, per_period[p][problem.id], lang) for p in periods}})
    return pd.DataFrame(rows)


def activity_statuses(plan: Plan, status: pd.DataFrame, period: str) -> dict[str, str]:
    """Return every activity's status in ``period`` (``not_started`` when none was set)."""
    mine = status[status["period"] == period].set_index("activity_id")["status"].to_dict()
    return {a.id: str(mine.get(a.id, "not_started")) for p in plan.problems for a in p.activities}


def linked_activities(row: pd.Series, plan: Plan) -> list[str]:
    """Return the activities a hotspot is linked to (all of its problem's when none was chosen)."""
    chosen = [a for a in str(row.get("activities") or "").split(",") if a]
    return chosen or [a.id for a in plan.problem(str(row["problem"])).activities]


def without_activity_in_progress(gdf: gpd.GeoDataFrame, plan: Plan, status: pd.DataFrame, period: str) -> gpd.GeoDataFrame:
    """Return the active hotspots of ``period`` none of whose linked activities is in progress."""
    statuses = activity_statuses(plan, status, period)
    active = gdf[(gdf["period"] == period) & (gdf["status"] == "active")]
    keep = [not any(statuses[a] == "in_progress" for a in linked_activities(r, plan)) for _, r in active.iterrows()]
    return active[keep]


def activity_table(problem: Problem, statuses: dict[str, str], lang: str) -> pd.DataFrame:
    """Return a problem's numbered activities with their status, translated."""
    activities = problem.activities
    return pd.DataFrame({
        t("col_activity", lang): [f"{a.id} {a.text(lang)}" for a in activities],
        t("col_status", lang): [label(ACTIVITY_STATUS, statuses[a.id], lang) for a in activities],
    })


def focus_bounds(units: gpd.GeoDataFrame, numbers: Sequence[int]) -> tuple[float, float, float, float] | None:
    """Return the bounds (minx, miny, maxx, maxy) of the chosen units, or None for all.

    Examples
    --------
    >>> import shapely
    >>> layer = gpd.GeoDataFrame({"unit": [1, 2]}, geometry=[shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)])
    >>> focus_bounds(layer, [2])
    (2.0, 0.0, 3.0, 1.0)
    """
    chosen = units[units["unit"].isin(list(numbers))] if numbers else units.iloc[0:0]
    if chosen.empty:
        return None
    minx, miny, maxx, maxy = (float(v) for v in chosen.total_bounds)
    return (minx, miny, maxx, maxy)


def export_name(filters: Filters, *, lang: str) -> str:
    """Return the base name of an export: what it holds and every filter that made it.

    Examples
    --------
    >>> export_name(Filters("2023-H1", categories=("crime",), units=(2, 6)), lang="en")
    'hotspots_2023-H1_crime_units-2-6'
    """
    parts = [t("export_prefix", lang), filters.period, *filters.categories]
    if filters.units:
        parts.append(t("export_units", lang) + "-" + "-".join(str(u) for u in filters.units))
    if filters.priorities:
        parts.append(t("export_priority", lang) + "-" + "-".join(filters.priorities))
    return "_".join(parts)


def period_note(gdf: gpd.GeoDataFrame, filters: Filters, shown: int, lang: str) -> str | None:
    """Return what to say when the map is empty: nothing recorded in the period, or nothing passes the filters.

    ``gdf`` holds every period's observations; ``shown`` is the size of the filtered view.
    """
    if shown:
        return None
    if not (gdf["period"] == filters.period).any():
        latest = latest_period_with_data(gdf, "")
        if latest:
            return t("period_empty", lang, period=filters.period, latest=latest)
        return t("period_empty_all", lang, period=filters.period)
    return t("filters_empty", lang, period=filters.period)


def latest_period_with_data(gdf: gpd.GeoDataFrame, default: str) -> str:
    """Return the latest period holding observations in ``gdf``, or ``default`` when none does.

    Periods (``YYYY-H1``, ``YYYY-H2``) sort as text in time order.

    Examples
    --------
    >>> latest_period_with_data(gpd.GeoDataFrame({"period": ["2022-H1", "2023-H2", "2023-H1"]}), "2022-H1")
    '2023-H2'
    """
    present = sorted(set(gdf["period"].dropna().astype(str))) if "period" in gdf else []
    return present[-1] if present else default


def accounts_table(accounts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the account list (no hashes) with translated headers and role names."""
    table = accounts.assign(role=[label(ROLE, r, lang) for r in accounts["role"]])
    table.columns = [t("login_user", lang), t("col_role", lang), t("col_created_at", lang)]
    return table
