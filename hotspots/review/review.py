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
from datetime import date
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.i18n import N_, direction_words, t, tn
from hotspots.base.labels import ACTIVITY_STATUS, CATEGORY, COLUMN, PRIORITY, REVIEW_CLASS, TREND, label, unit_words
from hotspots.evidence import found_hotspots, gi_views
from hotspots.evidence import views as evidence_views
from hotspots.incidents import counts, disclosure
from hotspots.incidents import table as incident_table
from hotspots.incidents.count_views import pair_counts
from hotspots.incidents.disclosure import suppressed
from hotspots.incidents.periods import period_range
from hotspots.maps import builders as maps
from hotspots.places import cameras
from hotspots.plan import editing, model, movement, units, views
from hotspots.plan.plan import Plan, load_plan
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
        table["unit"] = [t("no_unit", lang) if pd.isna(u) else t("unit_n", lang, n=int(u)) for u in table["unit"]]
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


def moves(review: Review) -> list[dict[str, Any]]:
    """Return the moved and refined hotspots with their old and new representative points (lat, lon)."""
    out = []
    before = review.before.set_index("id")
    after = review.after.set_index("id")
    for _, r in review.result[review.result["class"].isin(["moved", "refined"])].iterrows():
        g0, g1 = before.geometry.get(r["id"]), after.geometry.get(r["id"])
        if g0 is None or g1 is None:
            continue
        out.append({"id": r["id"], "class": r["class"], "from": _anchor_latlon(g0), "to": _anchor_latlon(g1),
                    "distance_m": r["distance_m"], "direction": r["direction"], "unit": r["unit_after"]})
    return out


def _anchor_latlon(geom: BaseGeometry) -> tuple[float, float]:
    metric = gpd.GeoSeries([geom], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    point = gpd.GeoSeries([movement.anchor(metric)], crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)
    return (float(point.y.iloc[0]), float(point.x.iloc[0]))


def arrow_head(p0: tuple[float, float], p1: tuple[float, float], size_m: float = 60.0) -> list[tuple[float, float]]:
    """Return the triangle (lat, lon) of an arrow head at ``p1`` pointing away from ``p0``."""
    pts = gpd.GeoSeries([shapely.Point(p0[1], p0[0]), shapely.Point(p1[1], p1[0])],
                        crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
    (a_x, b_x), (a_y, b_y) = pts.x.to_list(), pts.y.to_list()
    angle = math.atan2(b_y - a_y, b_x - a_x)
    corners = [(b_x, b_y)]
    for side in (+1, -1):
        theta = angle + math.pi - side * math.radians(25)
        corners.append((b_x + size_m * math.cos(theta), b_y + size_m * math.sin(theta)))
    tri = gpd.GeoSeries([shapely.Polygon(corners)], crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE).get_coordinates()
    return [(y, x) for x, y in zip(tri["x"], tri["y"], strict=True)]


#: How each review class is drawn, for every geometry (points, streets, zones), on the
#: review map and in the pack: stroke colour, fill (None: the category's colour), fill
#: opacity, stroke opacity and dash. Approximate locations are dashed on top of this.
CLASS_STYLE: dict[str, dict[str, Any]] = {
    "new": {"color": "#00a152", "fill": None, "fill_opacity": 0.85, "opacity": 1.0, "weight": 4},
    "persistent": {"color": "#212121", "fill": None, "fill_opacity": 0.85, "opacity": 1.0, "weight": 1.5},
    "moved": {"color": "#212121", "fill": None, "fill_opacity": 0.85, "opacity": 1.0, "weight": 3},
    "refined": {"color": "#6a1b9a", "fill": None, "fill_opacity": 0.85, "opacity": 1.0, "weight": 3},
    "reappeared": {"color": "#ff6f00", "fill": None, "fill_opacity": 0.85, "opacity": 1.0, "weight": 4},
    "resolved": {"color": "#757575", "fill": None, "fill_opacity": 0.15, "opacity": 0.6, "weight": 1.5},
    "removed": {"color": "#9e9e9e", "fill": "#ffffff", "fill_opacity": 0.0, "opacity": 0.7, "weight": 1},
    "not_reviewed": {"color": "#424242", "fill": "#bdbdbd", "fill_opacity": 0.9, "opacity": 1.0, "weight": 2},
}
#: Dash pattern of approximate locations (as on the map page).
APPROX_DASH = "6 4"


def class_style(cls: str, category: str, quality: str) -> dict[str, Any]:
    """Return the Leaflet path style of one review feature (any geometry type)."""
    style = CLASS_STYLE[cls]
    return {"color": style["color"], "weight": style["weight"], "opacity": style["opacity"],
            "fillColor": style["fill"] or maps.CATEGORY_COLOURS.get(category, "#666"),
            "fillOpacity": style["fill_opacity"], "dashArray": APPROX_DASH if quality == "approximate" else None}


def review_features(review: Review, lang: str, *, unit: int | None = None) -> dict[str, Any]:
    """Return the review map's features as GeoJSON.

    Each hotspot at its place in B (or its last place when it ended or is not reviewed), with
    its class and an escaped label. Column by column: the records are looked up for all rows
    at once, not one ``.loc`` per hotspot (a pack of 10,000 hotspots asks this per unit).
    """
    rows = review.result if unit is None else review.result[movement.unit_of(review.result) == unit]
    if rows.empty:
        return {"type": "FeatureCollection", "features": []}
    ids = rows["id"].astype(str)
    id_list = ids.tolist()
    use_after = rows["class"].isin(list(movement.ACTIVE_AFTER)).to_numpy()
    columns = ["name", "location_quality", "geometry"]
    before = review.before.drop_duplicates("id", keep="last").set_index("id")[columns].reindex(ids)
    after = review.after.drop_duplicates("id", keep="last").set_index("id")[columns].reindex(ids)
    found = np.where(use_after, after.index.isin(review.after["id"]), before.index.isin(review.before["id"]))
    geoms = np.where(use_after, np.asarray(after.geometry.values, dtype=object),
                     np.asarray(before.geometry.values, dtype=object))
    names = np.where(use_after, after["name"].to_numpy(object), before["name"].to_numpy(object))
    qualities = np.where(use_after, after["location_quality"].to_numpy(object),
                         before["location_quality"].to_numpy(object))
    drawn = found & ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    words = {c: label(REVIEW_CLASS, c, lang) for c in rows["class"].unique()}
    classes, categories = rows["class"].tolist(), rows["category"].tolist()
    distances, directions = rows["distance_m"].tolist(), rows["direction"].tolist()
    features = []
    for i in np.flatnonzero(drawn):
        cls, hid = classes[i], id_list[i]
        text = words[cls]
        if cls == "moved":
            text += f" {int(round(float(distances[i]), -1))} m {direction_words(str(directions[i]), lang)}"
        caption = f"{hid} · {names[i]} — {text}"
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geoms[i]),
                         "properties": {"id": html.escape(hid), "cls": cls, "category": categories[i],
                                        "quality": qualities[i], "label": html.escape(caption)}})
    return {"type": "FeatureCollection", "features": features}


def not_drawn(review: Review, *, unit: int | None = None, features: dict[str, Any] | None = None) -> list[str]:
    """Return the ids of the review's hotspots that have no location, so cannot be drawn.

    ``features``: the :func:`review_features` of the same unit, when the caller has them.
    """
    data = review_features(review, "en", unit=unit) if features is None else features
    drawn = {html.unescape(f["properties"]["id"]) for f in data["features"]}
    rows = review.result if unit is None else review.result[movement.unit_of(review.result) == unit]
    return [h for h in rows["id"] if h not in drawn]


def review_legend_html(lang: str) -> str:
    """Return the review map's legend: one swatch per class, drawn as the map draws it."""
    e = html.escape
    rows = [f"<b>{e(t('rv_legend_title', lang))}</b>"]
    for cls, style in CLASS_STYLE.items():
        fill = style["fill"] or "#9e9e9e"
        swatch = (f"background:{fill};opacity:{max(style['fill_opacity'], 0.25)};"
                  f"border:{min(style['weight'], 3)}px solid {style['color']};border-radius:50%")
        rows.append(f'<div><i style="{swatch}"></i>{e(label(REVIEW_CLASS, cls, lang))}</div>')
    rows.append(f'<div><i style="border:2px dashed #555;border-radius:50%"></i>{e(t("q_approximate", lang))}</div>')
    rows.append(f'<div><i style="border:2px dashed #555;background:transparent"></i>→ {e(t("rv_before_place", lang))}</div>')
    return "".join(rows)


def review_map(review: Review, *, plan: Plan, lang: str, units_layer: gpd.GeoDataFrame, basemap: str = "none",
               unit: int | None = None, category: str = "crime") -> folium.Map:
    """Build the review map.

    Units shaded by ``category``'s active count in B, every hotspot styled by its class (same
    style for points, streets and zones), arrows for moves.
    """
    counts = views.active_counts_per_unit(review.after, category=category)
    empty = maps.hotspot_payload(review.after.iloc[0:0], lang=lang)  # the review draws its own layer below
    m = maps.hotspot_map(empty, plan=plan, priorities={}, lang=lang, units=units_layer,
                         unit_counts=counts, approximate_units=units.units_are_approximate(units_layer),
                         municipality=units.municipality(), city=units.city_unit(), layers=("units",),
                         basemap=basemap, example_data=review.example)
    data = review_features(review, lang, unit=unit)
    if data["features"]:
        folium.GeoJson(
            data, name=t("rv_legend_title", lang),
            style_function=lambda f: class_style(f["properties"]["cls"], f["properties"]["category"], f["properties"]["quality"]),
            marker=folium.CircleMarker(radius=8),
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(m)
    group = folium.FeatureGroup(name=t("rv_moves", lang))
    for mv in moves(review):
        if unit is not None and mv["unit"] != unit:
            continue
        folium.CircleMarker(list(mv["from"]), radius=6, color="#555", fill=False, dash_array="3 3").add_to(group)
        folium.PolyLine([list(mv["from"]), list(mv["to"])], color="#111", weight=3, class_name="hs-move-arrow",
                        dash_array="4 4" if mv["class"] == "refined" else None).add_to(group)
        folium.Polygon([list(p) for p in arrow_head(mv["from"], mv["to"])], color="#111", fill=True, fill_opacity=1,
                       weight=1, class_name="hs-move-head").add_to(group)
    group.add_to(m)
    maps.MapControl(review_legend_html(lang), position="bottomleft", css_class="hs-legend hs-review-legend").add_to(m)
    if unit is not None:
        shape = units_layer[units_layer["unit"] == unit]
        if not shape.empty:
            minx, miny, maxx, maxy = shape.total_bounds
            m.fit_bounds([[miny, minx], [maxy, maxx]])
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
                     **{p: label(PRIORITY, prios[p], lang) for p in periods}})
        for activity in problem.activities:
            mine = status[status["activity_id"] == activity.id].set_index("period")["status"]
            rows.append({t("col_activity", lang): f"  {activity.id} {activity.text(lang)}",
                         **{p: label(ACTIVITY_STATUS, mine.get(p, 'not_started'), lang) for p in periods}})
    return pd.DataFrame(rows)


def static_unit_map(review: Review, unit: int, units_layer: gpd.GeoDataFrame, lang: str, *,
                    features: dict[str, Any] | None = None) -> bytes:
    """Draw a unit's review with matplotlib (no tiles) and return the PNG bytes.

    Classes are styled as on the review map, with a legend. The hotspots are drawn in one
    call per style (class, category, grade) and kind, not one per hotspot: a unit of
    thousands of hotspots takes as long as one of a few. ``features``: the
    :func:`review_features` of the unit, when the caller has them.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    layer = units_layer.to_crs(settings.CRS_METRIC)
    shape = layer[layer["unit"] == unit]
    fig, ax = plt.subplots(figsize=(6.0, 4.4), dpi=110)
    fig.canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]  # geopandas redraws per layer; savefig draws once
    layer.plot(ax=ax, color="#f4f4f4", edgecolor="#999", linewidth=0.6)
    shape.plot(ax=ax, color="#fde3c6", edgecolor="#555", linewidth=1.4)
    data = review_features(review, lang, unit=unit) if features is None else features
    shown: dict[str, dict[str, Any]] = {}
    groups: dict[tuple[str, str, str, bool], list[BaseGeometry]] = {}
    for feature in data["features"]:
        props = feature["properties"]
        geom = shapely.geometry.shape(feature["geometry"])
        is_line = geom.geom_type in ("LineString", "MultiLineString")
        groups.setdefault((props["cls"], props["category"], props["quality"], is_line), []).append(geom)
    for (cls, category, quality, is_line), geoms in groups.items():
        style = class_style(cls, category, quality)
        series = gpd.GeoSeries(geoms, crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
        linestyle = "--" if style["dashArray"] else "-"
        if is_line:
            series.plot(ax=ax, color=style["fillColor"], linewidth=3, linestyle=linestyle,
                        alpha=max(style["opacity"], 0.4))
        else:
            series.plot(ax=ax, markersize=60, alpha=max(style["fillOpacity"], 0.5), edgecolor=style["color"],
                        linewidth=min(style["weight"], 3), linestyle=linestyle,
                        facecolor=style["fillColor"] if style["fillOpacity"] > 0 else "none")
        shown.setdefault(cls, style)
    for mv in moves(review):
        if mv["unit"] != unit:
            continue
        pts = gpd.GeoSeries([shapely.Point(mv["from"][1], mv["from"][0]), shapely.Point(mv["to"][1], mv["to"][0])],
                            crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC)
        ax.annotate("", xy=(pts.x.iloc[1], pts.y.iloc[1]), xytext=(pts.x.iloc[0], pts.y.iloc[0]),
                    arrowprops={"arrowstyle": "-|>", "color": "#111", "lw": 1.8})
    handles = [Line2D([], [], marker="o", linestyle="none", markersize=8,
                      markerfacecolor="#bdbdbd" if c == "not_reviewed" else "#e57373",
                      markeredgecolor=st["color"], markeredgewidth=2, label=label(REVIEW_CLASS, c, lang))
               for c, st in shown.items()]
    handles += [Line2D([], [], marker="o", linestyle="none", markersize=8, markerfacecolor=maps.CATEGORY_COLOURS[c],
                       label=label(CATEGORY, c, lang)) for c in CATEGORIES]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
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


def _font_path(bold: bool = False) -> Path:
    """Return a TTF font with Albanian letters (DejaVu Sans, shipped with matplotlib)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


def _pdf(draft: str | None) -> Any:
    """Return an A4 PDF whose every page carries ``draft`` (when given) in red at the top."""
    from fpdf import FPDF

    class Pack(FPDF):
        def header(self) -> None:
            if draft:
                self.set_font("DejaVu", "B", 11)
                self.set_text_color(190, 0, 0)
                self.cell(0, 6, draft, align="C", new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0, 0, 0)
                self.set_font("DejaVu", "", 10)

    pdf = Pack(format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_font("DejaVu", "", str(_font_path()))
    pdf.add_font("DejaVu", "B", str(_font_path(bold=True)))
    pdf.set_font("DejaVu", size=10)
    return pdf


#: Most rows a long list of hotspots takes in the pack; the rest is counted under it (the page exports all).
PACK_MAX_ROWS = 60


def _pdf_table(pdf: Any, table: pd.DataFrame, *, size: int = 8, max_rows: int | None = None,
               lang: str = "sq") -> None:
    """Write a DataFrame as a real table (header row, one cell per value).

    With ``max_rows``, only the first rows are written and a line under the table says how
    many more there are (a pack of 10,000 hotspots stays a few pages).
    """
    shown = table if max_rows is None else table.head(max_rows)
    pdf.set_font("DejaVu", size=size)
    with pdf.table(text_align="LEFT", line_height=size * 0.55, first_row_as_headings=True) as out:
        out.row([str(c) for c in shown.columns])
        for values in shown.itertuples(index=False):
            out.row(["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values])
    if len(shown) < len(table):
        pdf.multi_cell(0, 5, t("pack_more_rows", lang, n=len(table) - len(shown)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def review_pack(store: Store, a: str, b: str, *, lang: str = "sq", dataset: str = "real",
                suppress_counts: bool = True) -> bytes:
    """Return the review pack as PDF bytes.

    The completeness line, per category the unit tables, the sentences, then per unit a static
    map with its legend, its tables and the linked activities' status. Every page says DRAFT
    while the review of ``b`` is not closed.

    With incident records, a section gives each hotspot's incidents in both periods and the
    per-unit incident trends; with ``suppress_counts`` (the default: the pack is the
    council's document) counts from 1 to 4 read "<5".
    """
    plan = load_plan()
    observations = store.hotspots(dataset=dataset)  # read once: every section below shares it
    incidents = incident_table.read(store, dataset=dataset)
    review = build_review(observations, a, b)
    state = editing.review_state(store, b, dataset=dataset)
    layer = units.load_units()
    pdf = _pdf(None if state["closed"] else t("pack_draft", lang, period=b))
    pdf.set_title(f"{t('pack_title', lang)} {a} - {b}")

    def line(text: str, size: int = 10, height: float = 5.5) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    line(plan.title(lang), 14, 7)
    line(f"{t('pack_title', lang)}: {a} → {b}", 12, 7)
    if review.example:
        line(t("note_example", lang), 12, 7)
    line(completeness_line(review, lang), 10)
    if state["closed"]:
        line(t("rv_closed_by", lang, who=state["updated_by"], at=state["updated_at"]), 9)
        if state["reason"]:
            line(t("rv_closed_reason", lang, reason=state["reason"]), 9)
    line(t("approx_units_banner", lang) if units.units_are_approximate(layer) else "", 8)
    line(f"{t('plan_source', lang)}. {settings.OSM_ATTRIBUTION}.", 8)
    for category, table in unit_tables(review, lang).items():
        line(t("rv_category_table", lang, category=label(CATEGORY, category, lang)), 10, 6)
        _pdf_table(pdf, table, size=6)
    for sentence in [*review.sentences(lang), *event_sentences(review, lang)]:
        line(sentence, 9)
    _incident_section(pdf, review, incidents, lang=lang, suppress=suppress_counts)
    for text in _evidence_lines(store, b, lang, observations, incidents, protect=suppress_counts):  # Gi*, emerging, displacement
        line(text, 9)

    evidence_views.add_to_pack(pdf, store, b, lang=lang, dataset=dataset, suppress=suppress_counts, table=_pdf_table)
    for unit in settings.UNIT_NUMBERS:
        pdf.add_page()
        line(f"{t('pack_unit_section', lang, n=unit)}", 13, 7)
        features = review_features(review, lang, unit=unit)
        pdf.image(io.BytesIO(static_unit_map(review, unit, layer, lang, features=features)), w=180)
        hidden = not_drawn(review, unit=unit, features=features)
        if hidden:
            line(t("rv_not_drawn", lang, n=len(hidden), ids=", ".join(hidden)), 8)
        for category, table in unit_tables(review, lang, unit=unit).items():
            line(t("rv_category_table", lang, category=label(CATEGORY, category, lang)), 9, 5)
            _pdf_table(pdf, table, size=6)
        for sentence in review.sentences(lang, unit=unit) or [f"{t('unit_n', lang, n=unit)}: {t('sent_nothing', lang)}"]:
            line(sentence, 10)
        linked = _linked_problems(review, unit)
        if linked:
            _pdf_table(pdf, problem_status(store, plan, [a, b], lang, linked), size=6)
    # --- issue 15: cameras (1.7.2) ---
    _pack_cameras(pdf, store, b, observations, lang=lang)
    # --- end of issue 15 ---
    return bytes(pdf.output())


# --- issue 15: the cameras page of the review pack ------------------------------------------
def _pack_cameras(pdf: Any, store: Store, period: str, observations: gpd.GeoDataFrame, *, lang: str) -> None:
    """Add the page on cameras (activity 1.7.2).

    The coverage figures of ``period`` and the hot zones without a working camera, as the plan
    page shows them.
    """
    model.check_period(period)
    registered = cameras.read_cameras(store)
    table = cameras.coverage(observations, registered, period=period)  # as places.coverage_for, on the frame read once
    figures = cameras.summary(table, registered)
    missing = cameras.without_camera(table)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, t("pack_cameras_title", lang, period=period), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=10)
    for text in (t("pl_places_figures", lang, **figures), t("cam_period_note", lang, period=period)):
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 5.5, t("pl_without_camera", lang), new_x="LMARGIN", new_y="NEXT")
    if missing.empty:
        pdf.set_font("DejaVu", size=10)
        pdf.multi_cell(0, 5.5, t("pack_cameras_none", lang), new_x="LMARGIN", new_y="NEXT")
    else:
        _pdf_table(pdf, cameras.display_coverage(missing, lang), size=7, max_rows=PACK_MAX_ROWS, lang=lang)
# --- end of issue 15 ---


def _evidence_lines(store: Store, period: str, lang: str, observations: gpd.GeoDataFrame,
                    incidents: gpd.GeoDataFrame, *, protect: bool = True) -> list[str]:
    """Return the pack's Gi*, emerging and displacement lines (nothing without incidents); long lists capped.

    Lists are capped at :data:`PACK_MAX_ROWS`. With ``protect`` (the council's pack) they follow
    the disclosure rules (:func:`hotspots.evidence.gi_views.build` and :func:`hotspots.evidence.gi_views.pack_lines`
    with ``protect``).
    """
    if incidents.empty:
        return []
    evidence = gi_views.build(incidents, observations, period, dismissed=found_hotspots.dismissed_keys(store),
                              protect=protect)
    return gi_views.pack_lines(evidence, observations, incidents, lang, max_rows=PACK_MAX_ROWS, protect=protect)


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


# -- issue 13: incident counts in the review and its pack ---------------------------------
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


def _incident_section(pdf: Any, review: Review, data: gpd.GeoDataFrame, *, lang: str, suppress: bool) -> None:
    """Add the incident pages of the pack: counts per hotspot in both periods, trends per unit (when incidents exist)."""
    if data.empty:
        return
    pdf.add_page()
    pdf.set_font("DejaVu", size=13)
    pdf.multi_cell(0, 7, t("pack_inc_title", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=8)
    below = settings.INCIDENT_SUPPRESS_BELOW
    note = (t("pack_inc_note", lang, n=below, m=below - 1) + " " + t("inc_secondary_note", lang, n=below)
            if suppress else t("pack_inc_note_raw", lang))
    pdf.multi_cell(0, 4.5, note, new_x="LMARGIN", new_y="NEXT")
    by_hotspot = counts.counts_by_hotspot(data, review.observations)
    _pdf_table(pdf, incident_hotspot_table(review, by_hotspot, lang, suppress=suppress), size=6,
               max_rows=PACK_MAX_ROWS, lang=lang)
    trends_table = disclosure.unit_trends(data) if suppress else counts.unit_category_trends(data)
    pdf.set_font("DejaVu", size=10)
    heading = t("rv_inc_trends_protected", lang) if suppress else t("rv_inc_trends", lang)
    pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
    _pdf_table(pdf, incident_trend_table(trends_table, lang, series=False), size=6)
    pdf.set_font("DejaVu", size=8)
    periods = str(trends_table["periods"].iloc[0]) if len(trends_table) else ""
    trend_note = (t("rv_inc_trends_note_protected", lang, periods=periods) if suppress
                  else t("rv_inc_trends_note", lang, periods=periods))
    pdf.multi_cell(0, 4.5, trend_note, new_x="LMARGIN", new_y="NEXT")
