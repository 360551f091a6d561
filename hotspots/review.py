"""The six-monthly review: what changed per unit between two periods, with the plan.

Builds the data of the review page, its map (arrows from old to new places, resolved
hotspots faded), and the downloadable review pack (PDF, static maps drawn from the data
with matplotlib: no browser, no tiles).
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely

from hotspots import maps, model, movement, settings, units, views
from hotspots.errors import ValidationError
from hotspots.i18n import t
from hotspots.plan import Plan, load_plan
from hotspots.store import Store


@dataclass
class Review:
    """Everything the review page and the pack show for periods ``a`` → ``b``."""

    a: str
    b: str
    before: gpd.GeoDataFrame
    after: gpd.GeoDataFrame
    result: pd.DataFrame
    table: pd.DataFrame
    example: bool

    def sentences(self, lang: str) -> list[str]:
        """Return one plain sentence per unit."""
        return [movement.unit_sentence(u, self.result, lang) for u in settings.UNIT_NUMBERS]


def default_periods(gdf: gpd.GeoDataFrame) -> tuple[str, str]:
    """Return the last two review periods holding data (or the first two of the plan)."""
    periods = model.review_periods()
    present = [p for p in periods if p in set(gdf["period"])]
    if len(present) >= 2:
        return present[-2], present[-1]
    return periods[0], periods[1]


def build_review(gdf: gpd.GeoDataFrame, a: str, b: str) -> Review:
    """Classify the hotspots of ``gdf`` between periods ``a`` and ``b``."""
    model.check_period(a)
    model.check_period(b)
    before, after = gdf[gdf["period"] == a], gdf[gdf["period"] == b]
    for period, frame in ((a, before), (b, after)):
        if frame.empty:  # not reviewed yet: nothing can be said to have changed
            raise ValidationError("err_period_no_data", period=period)
    result = movement.classify(before, after)
    table = movement.summarise_units(result, before, after)
    return Review(a, b, before, after, result, table, bool((gdf["dataset"] == "example").any()))


def unit_table(review: Review, lang: str) -> pd.DataFrame:
    """Return the per-unit change table with translated headers."""
    table = review.table.copy()
    table["unit"] = [t("unit_n", lang, n=u) for u in table["unit"]]
    table.columns = [t(f"rv_{c}", lang) for c in table.columns]
    return table


def moves(review: Review) -> list[dict[str, Any]]:
    """Return the moved hotspots with their old and new representative points (lat, lon)."""
    out = []
    before = review.before.set_index("id")
    after = review.after.set_index("id")
    for _, r in review.result[review.result["class"] == "moved"].iterrows():
        src_id = r["matched_from"] if isinstance(r["matched_from"], str) else r["id"]
        g0, g1 = before.geometry.get(src_id), after.geometry.get(r["id"])
        if g0 is None or g1 is None:
            continue
        p0, p1 = _anchor_latlon(g0), _anchor_latlon(g1)
        out.append({"id": r["id"], "from": p0, "to": p1, "distance_m": r["distance_m"], "direction": r["direction"],
                    "unit": r["unit_after"]})
    return out


def _anchor_latlon(geom: shapely.Geometry) -> tuple[float, float]:
    metric = gpd.GeoSeries([geom], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    point = gpd.GeoSeries([movement.anchor(metric)], crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE).iloc[0]
    return (point.y, point.x)


def arrow_head(p0: tuple[float, float], p1: tuple[float, float], size_m: float = 60.0) -> list[tuple[float, float]]:
    """Return the triangle (lat, lon) of an arrow head at ``p1`` pointing away from ``p0``."""
    pts = gpd.GeoSeries([shapely.Point(p0[1], p0[0]), shapely.Point(p1[1], p1[0])], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
    a, b = pts.iloc[0], pts.iloc[1]
    angle = math.atan2(b.y - a.y, b.x - a.x)
    corners = [(b.x, b.y)]
    for side in (+1, -1):
        theta = angle + math.pi - side * math.radians(25)
        corners.append((b.x + size_m * math.cos(theta), b.y + size_m * math.sin(theta)))
    tri = gpd.GeoSeries([shapely.Polygon(corners)], crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE).iloc[0]
    return [(y, x) for x, y in tri.exterior.coords]


def review_map(review: Review, *, plan: Plan, lang: str, units_layer: gpd.GeoDataFrame, basemap: str = "none") -> folium.Map:
    """Build the review map: units, period B's hotspots, period A's faded, arrows for moves."""
    prios = {p.id: str(p.priority) for p in plan.problems}
    resolved = review.result[review.result["class"] == "resolved"]["id"]
    faded = review.before[review.before["id"].isin(resolved)].assign(status="resolved")
    payload = maps.hotspot_payload(pd.concat([review.after[review.after["status"] == "active"], faded]))
    m = maps.hotspot_map(payload, plan=plan, priorities=prios, lang=lang, units=units_layer,
                         unit_counts=views.active_counts_per_unit(review.after), approximate_units=units.units_are_approximate(units_layer),
                         municipality=units.municipality(), city=units.city_unit(), layers=("hotspots", "units"),
                         basemap=basemap, example_data=review.example)
    group = folium.FeatureGroup(name=t("rv_moves", lang))
    for mv in moves(review):
        label = html.escape(f"{mv['id']} · {int(round(float(mv['distance_m']), -1))} m {t('dir_' + str(mv['direction']), lang)}")
        folium.CircleMarker(list(mv["from"]), radius=6, color="#555", fill=False, dash_array="3 3").add_to(group)
        folium.PolyLine([list(mv["from"]), list(mv["to"])], color="#111", weight=3, tooltip=label,
                        class_name="hs-move-arrow").add_to(group)
        folium.Polygon([list(p) for p in arrow_head(mv["from"], mv["to"])], color="#111", fill=True, fill_opacity=1,
                       weight=1, class_name="hs-move-head").add_to(group)
    group.add_to(m)
    return m


def problem_status(store: Store, plan: Plan, periods: list[str], lang: str, problem_ids: list[str]) -> pd.DataFrame:
    """Return, for the given problems, their priority per period and each activity's status per period."""
    stored = store.priorities()
    status = store.activity_status()
    rows = []
    for pid in problem_ids:
        problem = plan.problem(pid)
        prios = {p: views.priorities_in_period(plan, stored, p)[pid] for p in periods}
        rows.append({t("col_activity", lang): f"{pid} {problem.title(lang)}",
                     **{p: t(f"prio_{prios[p]}", lang) for p in periods}})
        for activity in problem.activities:
            mine = status[status["activity_id"] == activity.id].set_index("period")["status"]
            rows.append({t("col_activity", lang): f"  {activity.id} {activity.text(lang)}",
                         **{p: t(f"as_{mine.get(p, 'not_started')}", lang) for p in periods}})
    return pd.DataFrame(rows)


def static_unit_map(review: Review, unit: int, units_layer: gpd.GeoDataFrame, lang: str) -> bytes:
    """Draw a unit's two periods with matplotlib (no tiles): PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    layer = units_layer.to_crs(settings.CRS_METRIC)
    shape = layer[layer["unit"] == unit]
    fig, ax = plt.subplots(figsize=(6.0, 4.2), dpi=110)
    layer.plot(ax=ax, color="#f4f4f4", edgecolor="#999", linewidth=0.6)
    shape.plot(ax=ax, color="#fde3c6", edgecolor="#555", linewidth=1.4)
    for frame, style in ((review.before, {"facecolor": "none", "edgecolor": "#888", "linestyle": "--"}),
                         (review.after[review.after["status"] == "active"], {"edgecolor": "#222"})):
        located = frame[frame.geometry.notna()]
        if located.empty:
            continue
        metric = located.to_crs(settings.CRS_METRIC)
        if style.get("facecolor") == "none":
            metric.plot(ax=ax, facecolor="none", edgecolor="#888", linestyle="--", markersize=40, linewidth=1)
        else:
            maps.plot_hotspots(ax, metric)  # the map's and legend's styles
    for mv in moves(review):
        pts = gpd.GeoSeries([shapely.Point(mv["from"][1], mv["from"][0]), shapely.Point(mv["to"][1], mv["to"][0])],
                            crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
        ax.annotate("", xy=(pts.iloc[1].x, pts.iloc[1].y), xytext=(pts.iloc[0].x, pts.iloc[0].y),
                    arrowprops={"arrowstyle": "-|>", "color": "#111", "lw": 1.8})
    minx, miny, maxx, maxy = shape.total_bounds
    pad = 400
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_axis_off()
    ax.set_title(f"{t('unit_n', lang, n=unit)}: {review.a} → {review.b}", fontsize=10)
    note = t("note_approx_units", lang) if units.units_are_approximate(units_layer) else ""
    fig.text(0.01, 0.01, f"{note} {settings.OSM_ATTRIBUTION}", fontsize=6, color="#555")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _font_path() -> Path:
    """Return a TTF font with Albanian letters (DejaVu Sans, shipped with matplotlib)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def review_pack(store: Store, a: str, b: str, *, lang: str = "sq", dataset: str = "real") -> bytes:
    """Return the review pack as PDF bytes: per unit a static map, the change table, the
    sentence, and the linked activities' status."""
    from fpdf import FPDF

    plan = load_plan()
    review = build_review(store.hotspots(dataset=dataset), a, b)
    layer = units.load_units()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_font("DejaVu", "", str(_font_path()))
    pdf.set_font("DejaVu", size=10)
    pdf.set_title(f"{t('pack_title', lang)} {a} - {b}")

    def line(text: str, size: int = 10, height: float = 5.5) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    line(plan.title(lang), 14, 7)
    line(f"{t('pack_title', lang)}: {a} → {b}", 12, 7)
    if review.example:
        line(t("note_example", lang), 12, 7)
    line(t("approx_units_banner", lang) if units.units_are_approximate(layer) else "", 8)
    line(f"{t('plan_source', lang)}. {settings.OSM_ATTRIBUTION}.", 8)
    table = unit_table(review, lang)
    line(" | ".join(table.columns), 9)
    for _, r in table.iterrows():
        line(" | ".join(str(v) for v in r.values), 9)
    for sentence in review.sentences(lang):
        line(sentence, 9)
    for unit in settings.UNIT_NUMBERS:
        pdf.add_page()
        line(f"{t('pack_unit_section', lang, n=unit)}", 13, 7)
        pdf.image(io.BytesIO(static_unit_map(review, unit, layer, lang)), w=170)
        row = review.table.set_index("unit").loc[unit]
        line(" · ".join(f"{t('rv_' + str(k), lang)}: {int(v)}" for k, v in row.to_dict().items()), 9)
        line(movement.unit_sentence(unit, review.result, lang), 10)
        linked = _linked_problems(review, unit)
        if linked:
            status = problem_status(store, plan, [a, b], lang, linked)
            for _, r in status.iterrows():
                line(" | ".join(str(v) for v in r.values), 7, 4)
    return bytes(pdf.output())


def _linked_problems(review: Review, unit: int) -> list[str]:
    frames = pd.concat([review.before, review.after])
    return sorted(set(frames.loc[frames["unit"] == unit, "problem"]))


def details_table(review: Review, lang: str) -> pd.DataFrame:
    """Return each hotspot's class, distance and direction, with names, translated headers."""
    names = pd.concat([review.before, review.after]).drop_duplicates("id", keep="last").set_index("id")["name"]
    table = review.result.assign(name=review.result["id"].map(names))
    table = table[["id", "name", "class", "distance_m", "direction", "unit_before", "unit_after", "event"]].copy()
    table["class"] = [t(f"rv_{c}", lang) for c in table["class"]]
    table.columns = [t(f"col_{c}", lang) for c in table.columns]
    return table


def trend_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a unit trend table (label and per-period counts) with translated headers."""
    out = pd.DataFrame({t("col_unit", lang): [t("unit_n", lang, n=u) for u in table["unit"]],
                        t("col_trend", lang): [t(f"tr_{x}", lang) for x in table["label"]]})
    if not table.empty:
        for i, period in enumerate(table["periods"].iloc[0]):
            out[period] = [s[i] for s in table["series"]]
    return out
