"""The review's maps: what changed per unit on a folium map (arrows, classes, legend) and on a static map for the pack."""

from __future__ import annotations

import html
import io
import math
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.i18n import direction_words, t
from hotspots.base.labels import CATEGORY, REVIEW_CLASS, label
from hotspots.maps import builders as maps
from hotspots.maps import elements as map_elements
from hotspots.maps import payloads as map_payloads
from hotspots.maps import styles as map_styles
from hotspots.plan import movement, units, views
from hotspots.plan.plan import Plan
from hotspots.review.review import CATEGORIES, Review


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
            "fillColor": style["fill"] or map_styles.CATEGORY_COLOURS.get(category, "#666"),
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
    empty = map_payloads.hotspot_payload(review.after.iloc[0:0], lang=lang)  # the review draws its own layer below
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
    map_elements.MapControl(review_legend_html(lang), position="bottomleft", css_class="hs-legend hs-review-legend").add_to(m)
    if unit is not None:
        shape = units_layer[units_layer["unit"] == unit]
        if not shape.empty:
            minx, miny, maxx, maxy = shape.total_bounds
            m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


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
    handles += [Line2D([], [], marker="o", linestyle="none", markersize=8, markerfacecolor=map_styles.CATEGORY_COLOURS[c],
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
