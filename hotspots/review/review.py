"""The six-monthly review: what changed per unit between two periods, with the plan.

Builds the data of the review page, its map (arrows from old to new places, resolved
hotspots faded), and the downloadable review pack (PDF, static maps drawn from the data
with matplotlib: no browser, no tiles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd

from hotspots.base import settings
from hotspots.base.i18n import N_, direction_words, t, tn
from hotspots.base.labels import ACTIVITY_STATUS, CATEGORY, COLUMN, PRIORITY, REVIEW_CLASS, TREND, label, unit_words
from hotspots.incidents.count_views import pair_counts
from hotspots.incidents.disclosure import suppressed
from hotspots.incidents.periods import period_range
from hotspots.plan import model, movement, views
from hotspots.plan.plan import Plan
from hotspots.plan.store import Store


@dataclass
class Review:
    """Everything the review page and the pack show for periods ``a`` → ``b``."""

    a: str
    b: str
    observations: gpd.GeoDataFrame
    result: pd.DataFrame
    completeness: movement.Completeness
    example: bool

    @property
    def before(self) -> gpd.GeoDataFrame:
        """Return each hotspot's latest record up to period A."""
        return frame_at(self.observations, self.a, upto=True)

    @property
    def after(self) -> gpd.GeoDataFrame:
        """Return the records of period B."""
        return frame_at(self.observations, self.b, upto=False)

    def sentences(self, lang: str, *, unit: int | None = None) -> list[str]:
        """Return one plain sentence per unit (or for ``unit``) and category where anything is there."""
        out = []
        units = [unit] if unit is not None else [*settings.UNIT_NUMBERS, None]
        for category in CATEGORIES:
            mine = self.result[self.result["category"] == category]
            for u in units:
                here = mine[movement.unit_of(mine).isna()] if u is None else mine[movement.unit_of(mine) == u]
                if not here.empty:
                    sentence = movement.unit_sentence(u, self.result, lang, category=category)
                    out.append(f"{label(CATEGORY, category, lang)} · {sentence}")
        return out


#: The plan's hotspot categories, in the order tables show them.
CATEGORIES: tuple[str, ...] = tuple(str(c) for c in model.Category)


def frame_at(observations: gpd.GeoDataFrame, period: str, *, upto: bool) -> gpd.GeoDataFrame:
    """Return each hotspot's record in ``period`` (or, with ``upto``, its latest record up to it)."""
    rows = observations[observations["period"] <= period] if upto else observations[observations["period"] == period]
    return rows.sort_values("period").drop_duplicates("id", keep="last")


def default_periods(gdf: gpd.GeoDataFrame, *, today: date | None = None) -> tuple[str, str]:
    """Return the review the council most likely wants: ``(previous period, period)``.

    The period is the latest one after the baseline holding any record (a review under
    way or done); with none, the first period still to be reviewed after the latest data.
    Never a period merely because it ends a fixed list, never one after today's.
    """
    periods = model.review_periods(today=today)
    present = [p for p in periods[1:] if p in set(gdf["period"])]
    if present:
        b = present[-1]
    else:
        latest = max((p for p in periods if p in set(gdf["period"])), default=periods[0])
        b = periods[min(periods.index(latest) + 1, len(periods) - 1)]
    a = model.previous_period(b) or periods[0]
    return (a, b) if a != b else (periods[0], periods[1])


def build_review(gdf: gpd.GeoDataFrame, a: str, b: str) -> Review:
    """Classify the hotspots of ``gdf`` (one dataset, all periods) between ``a`` and ``b``.

    Raises
    ------
    ValidationError
        If the periods are not review periods, or not in order.
    """
    a, b = model.check_period_pair(a, b)
    result = movement.classify(gdf, a, b)
    example = bool((gdf["dataset"] == "example").any()) if "dataset" in gdf else False
    return Review(a, b, gdf, result, movement.completeness(gdf, b), example)


def completeness_line(review: Review, lang: str) -> str:
    """Return "Review 2022-H2: 2 of 14 hotspots reviewed" (with the not-reviewed warning)."""
    done = review.completeness
    head = tn("rv_completeness", len(done.due), lang, period=review.b, reviewed=len(done.reviewed))
    tail = t("rv_complete", lang) if done.complete else tn("rv_incomplete", len(done.not_reviewed), lang)
    return f"{head}. {tail}"


def unit_tables(review: Review, lang: str, *, unit: int | None = None) -> dict[str, pd.DataFrame]:
    """Return per category the per-unit change table with translated headers (never summed over categories)."""
    out = {}
    for category in CATEGORIES:
        table = movement.summarise_units(review.result, category=category)
        if unit is not None:
            table = table[table["unit"] == unit]
        table = table.copy()
        table["unit"] = [t("no_unit", lang) if pd.isna(u) else unit_words(int(u), lang) for u in table["unit"]]
        table.columns = [label(REVIEW_CLASS, c, lang) for c in table.columns]
        out[category] = table.reset_index(drop=True)
    return out


def event_sentences(review: Review, lang: str, *, unit: int | None = None) -> list[str]:
    """Return the shift, split and merge events in words of ``lang`` (one per event)."""
    ev = movement.events(review.result)
    if unit is not None:
        ev = ev[ev["id"].isin(review.result.loc[movement.unit_of(review.result) == unit, "id"])]
    out = []
    for _, r in ev.iterrows():
        m, d = int(round(float(r["related_distance_m"]), -1)), direction_words(str(r["related_direction"]), lang)
        if r["event"] == "shift" and r["class"] == "resolved":
            continue  # told once, from the new hotspot's side
        key = {"shift": N_("ev_shift"), "split": N_("ev_split"), "merge": N_("ev_merge")}[str(r["event"])]
        out.append(t(key, lang, a=r["id"], b=r["related"], m=m, dir=d))
    return out


def problem_status(store: Store, plan: Plan, periods: list[str], lang: str, problem_ids: list[str]) -> pd.DataFrame:
    """Return, for the given problems, their priority per period and each activity's status per period."""
    stored = store.priorities()
    status = store.activity_status()
    rows = []
    for pid in problem_ids:
        problem = plan.problem(pid)
        prios = {p: views.priorities_in_period(plan, stored, p)[pid] for p in periods}
        rows.append({t("col_activity", lang): f"{pid} {problem.title(lang)}",
                     **{p: label(PRIORITY, prios[p], lang) for p in periods}})
        for activity in problem.activities:
            mine = status[status["activity_id"] == activity.id].set_index("period")["status"]
            rows.append({t("col_activity", lang): f"  {activity.id} {activity.text(lang)}",
                         **{p: label(ACTIVITY_STATUS, mine.get(p, 'not_started'), lang) for p in periods}})
    return pd.DataFrame(rows)




def _linked_problems(review: Review, unit: int) -> list[str]:
    frames = pd.concat([review.before, review.after])
    return sorted(set(frames.loc[frames["unit"] == unit, "problem"]))


def details_table(review: Review, lang: str, *, unit: int | None = None) -> pd.DataFrame:
    """Return each hotspot's class, distance and direction in words, with names and translated headers."""
    names = pd.concat([review.before, review.after]).drop_duplicates("id", keep="last").set_index("id")["name"]
    rows = review.result if unit is None else review.result[movement.unit_of(review.result) == unit]
    out = pd.DataFrame({
        "id": rows["id"], "name": rows["id"].map(names),
        "category": [label(CATEGORY, c, lang) for c in rows["category"]],
        "class": [label(REVIEW_CLASS, c, lang) for c in rows["class"]],
        "distance_m": rows["distance_m"],
        "direction": ["" if pd.isna(d) else direction_words(str(d), lang) for d in rows["direction"]],
        "unit_before": [unit_words(u, lang) for u in rows["unit_before"]],
        "unit_after": [unit_words(u, lang) for u in rows["unit_after"]],
        "recorded_in": rows["recorded_in"].fillna(""),
    })
    out.columns = [label(COLUMN, c, lang) if c != "recorded_in" else t("rv_recorded_in", lang) for c in out.columns]
    return out.reset_index(drop=True)


def trend_table(table: pd.DataFrame, lang: str, *, unit: int | None = None) -> pd.DataFrame:
    """Return a unit trend table (category, description, exact p, counts per period) with translated headers."""
    if unit is not None:
        table = table[table["unit"] == unit]
    out = pd.DataFrame({t("col_unit", lang): [unit_words(u, lang) or t("no_unit", lang) for u in table["unit"]],
                        t("col_category", lang): [label(CATEGORY, c, lang) for c in table["category"]],
                        t("col_trend", lang): [label(TREND, x, lang) for x in table["label"]],
                        t("col_p_value", lang): [p if lab != "not_testable" else None
                                                 for p, lab in zip(table["p_value"], table["label"], strict=True)]})
    if not table.empty:
        for i, period in enumerate(table["periods"].iloc[0]):
            out[period] = [s[i] for s in table["series"]]
    return out.reset_index(drop=True)


def trend_notes(table: pd.DataFrame, lang: str) -> list[str]:
    """Return the sentences that go with a trend table: the test and its reach, the periods left out."""
    if table.empty:
        return []
    periods = table["periods"].iloc[0]
    min_p = 2 / math.factorial(len(periods)) if len(periods) > 1 else 1.0
    notes = [t("tr_rule", lang, n=len(periods), min_p=f"{min(min_p, 1.0):.4f}")]
    incomplete = table["incomplete_from"].iloc[0]
    if isinstance(incomplete, str) and incomplete:
        notes.append(t("tr_incomplete_from", lang, period=incomplete))
    return notes


def todo(review: Review, *, unit: int | None = None) -> pd.DataFrame:
    """Return the hotspots still to review in period B (``id``, ``name``, ``unit``), optionally of one unit."""
    before = review.before.set_index("id")
    ids = [h for h in review.completeness.not_reviewed if h in before.index]
    rows = (before.loc[ids, ["name", "unit", "category"]].reset_index() if ids
            else pd.DataFrame(columns=["id", "name", "unit", "category"]))
    return rows if unit is None else rows[rows["unit"] == unit].reset_index(drop=True)


def parse_unit(value: object) -> int | None:
    """Return a unit number 1-6 from a URL parameter, or None for anything else (total: never raises).

    Examples
    --------
    >>> parse_unit("6"), parse_unit("²"), parse_unit("9" * 5000), parse_unit(None)
    (6, None, None, None)
    """
    text = str(value or "").strip()
    return int(text) if len(text) == 1 and text in "123456" else None


# -- incident counts in the review and its pack ---------------------------------
def incident_trend_table(table: pd.DataFrame, lang: str, *, unit: int | None = None, suppress: bool = False,
                         series: bool = True) -> pd.DataFrame:
    """Return the per-unit incident trends (:func:`hotspots.incidents.counts.unit_category_trends`) with translated headers.

    Columns: unit, category, trend, exact p (blank where not testable), then, with
    ``series``, the count of every period ("<5" for counts 1-4 with ``suppress``). A table of
    :func:`hotspots.incidents.disclosure.unit_trends` (series already as text) is shown as it is.
    """
    if unit is not None:
        table = table[table["unit"] == unit]
    out = pd.DataFrame({t("col_unit", lang): [t("no_unit", lang) if u == "none" else unit_words(u, lang) for u in table["unit"]],
                        t("col_category", lang): [label(CATEGORY, c, lang) for c in table["category"]],
                        t("col_trend", lang): [label(TREND, x, lang) for x in table["label"]],
                        t("col_p_value", lang): [p if lab != "not_testable" else None
                                                 for p, lab in zip(table["p_value"], table["label"], strict=True)]})
    if series and not table.empty and table["periods"].iloc[0]:
        periods = period_range(*str(table["periods"].iloc[0]).split("…"))
        for i, period in enumerate(periods):
            values = pd.Series([s[i] for s in table["series"]])
            if values.map(lambda v: isinstance(v, str)).all():
                out[period] = values.to_numpy()
            else:
                out[period] = suppressed(values).to_numpy() if suppress else values.to_numpy()
    return out.reset_index(drop=True)


def incident_hotspot_table(review: Review, counts_table: pd.DataFrame, lang: str, *, suppress: bool) -> pd.DataFrame:
    """Return id, name, class and the incidents of both periods of every hotspot of the review."""
    names = pd.concat([review.before, review.after]).drop_duplicates("id", keep="last").set_index("id")["name"]
    rows = review.result.reset_index(drop=True)
    pair = pair_counts(rows["id"].astype(str), counts_table, review.a, review.b, suppress=suppress)
    return pd.DataFrame({t("col_id", lang): rows["id"], t("col_name", lang): rows["id"].map(names),
                         t("col_class", lang): [label(REVIEW_CLASS, c, lang) for c in rows["class"]],
                         t("inc_col_in", lang, period=review.a): pair["incidents_from"].astype(object).fillna(""),
                         t("inc_col_in", lang, period=review.b): pair["incidents_to"].astype(object).fillna("")})


