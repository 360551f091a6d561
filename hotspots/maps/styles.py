"""How the maps look: the vendored Leaflet files, colours and codes, the hotspot style, swatches and the legend."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.base.labels import CATEGORY, label


if TYPE_CHECKING:
    from matplotlib.axes import Axes


#: URL prefix of the assets installed by scripts/install_assets.sh.
VENDOR_URL = "/app/static/vendor"


LEAFLET_JS = [("leaflet", f"{VENDOR_URL}/leaflet/leaflet.js")]


LEAFLET_CSS = [("leaflet_css", f"{VENDOR_URL}/leaflet/leaflet.css")]


CLUSTER_JS = [("markercluster", f"{VENDOR_URL}/leaflet.markercluster/leaflet.markercluster.js")]


CLUSTER_CSS = [
    ("markercluster_css", f"{VENDOR_URL}/leaflet.markercluster/MarkerCluster.css"),
    ("markercluster_default_css", f"{VENDOR_URL}/leaflet.markercluster/MarkerCluster.Default.css"),
]


HEAT_JS = [("leaflet_heat", f"{VENDOR_URL}/leaflet.heat/leaflet-heat.js")]


#: Centre of the map and its default zoom, from the municipality's folder.
CENTER: tuple[float, float] = settings.MUNICIPALITY.centre


ZOOM: int = settings.MUNICIPALITY.zoom


CATEGORY_COLOURS: dict[str, str] = {"crime": "#c62828", "street_children": "#1565c0"}


CATEGORY_CODES: dict[str, int] = {"crime": 0, "street_children": 1}


QUALITY_CODES: dict[str, int] = {"exact": 0, "landmark": 1, "approximate": 2}


STATUS_CODES: dict[str, int] = {"active": 0, "resolved": 1, "removed": 2}


#: Classes of the unit shading: (lowest count, colour).
UNIT_CLASSES: tuple[tuple[int, str], ...] = ((0, "#f4f4f4"), (1, "#fdd9a0"), (2, "#f99b5b"), (3, "#d9472b"))


#: Opacity of the unit shading (light enough for the hotspots' category colours to stand out).
UNIT_FILL_OPACITY = 0.4


#: Styles of the map's own controls: notes, legend, popups, unit labels; a narrow (phone) map
#: gets smaller notes. Controls never sit over a popup's close button (see :func:`add_notes`).
MAP_CSS = (
    ".leaflet-container{background:#e9eef2;font-family:sans-serif}"
    ".hs-note{background:rgba(255,255,255,.94);padding:4px 8px;border-radius:4px;"
    "font:12px/1.35 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:340px}"
    ".hs-legend summary{cursor:pointer}.hs-legend div{white-space:nowrap;margin:1px 0}"
    ".hs-legend div>i{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:middle;"
    "box-sizing:border-box}"
    ".hs-swatch{vertical-align:middle;margin-right:2px}.hs-kinds{color:#555;font-size:11px}"
    ".hs-unit-class{margin-right:6px}.hs-unit-class i{display:inline-block;width:12px;height:12px;"
    "margin-right:3px;vertical-align:middle;border:1px solid #555}"
    ".hs-unit-label{font:bold 15px sans-serif;color:#333;text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap}"
    ".hs-landmark-label{font:11px sans-serif;color:#444;text-shadow:0 0 2px #fff,0 0 2px #fff;white-space:nowrap}"
    ".hs-popup{font:13px/1.35 sans-serif}.hs-popup ol{margin:2px 0 2px 18px;padding:0}"
    ".leaflet-popup-close-button{width:28px!important;height:28px!important;font-size:22px!important}"
    ".leaflet-control-attribution{font-size:10px;max-width:60%;white-space:normal;text-align:right}"
    ".hs-small .hs-note{max-width:45%}"
    ".hs-narrow .hs-note{max-width:55%;font-size:11px}.hs-narrow .hs-unit-label{font-size:12px}"
    ".hs-narrow .leaflet-control-attribution{font-size:9px;max-width:100%;white-space:normal}"
    "@media print{.hs-legend-box{display:block}}"
)


#: Dash pattern of an approximate location's outline (points, streets and zones alike).
APPROX_DASH = "6 4"


def hotspot_style(category: str, quality: str, status: str) -> dict[str, Any]:
    """Return the drawing style of a hotspot: the one source of the legend, the map and the pack.

    Colour by category; approximate locations dashed and nearly hollow; resolved or
    removed hotspots faded. Keys are Leaflet path options.

    Examples
    --------
    >>> hotspot_style("crime", "approximate", "active")["dashArray"]
    '6 4'
    """
    colour = CATEGORY_COLOURS.get(category, "#666666")
    approx, faded = quality == "approximate", status != "active"
    return {"color": colour, "fillColor": colour, "weight": 2 if approx else 3,
            "opacity": 0.4 if faded else 0.95, "fillOpacity": 0.05 if faded else (0.1 if approx else 0.5),
            "dashArray": APPROX_DASH if approx else None}


def style_table() -> list[list[list[dict[str, Any]]]]:
    """Return :func:`hotspot_style` for every (category, quality, status) code, for the browser."""
    def names(codes: Mapping[str, int]) -> list[str]:
        return sorted(codes, key=codes.__getitem__)
    return [[[hotspot_style(c, q, s) for s in names(STATUS_CODES)] for q in names(QUALITY_CODES)]
            for c in names(CATEGORY_CODES)]


def plot_hotspots(ax: Axes, frame: gpd.GeoDataFrame, *, markersize: float = 40.0) -> None:
    """Draw located hotspots on a matplotlib axis with the map's styles (:func:`hotspot_style`).

    ``frame`` may be in any CRS (the axis's); points get the map's symbols (circle for
    crime, diamond for street children), streets and zones their outline and fill.
    """
    from matplotlib.colors import to_rgba

    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    keys = ["category", "location_quality", "status"]
    for (cat, quality, status), group in located.groupby(keys, sort=False):
        st = hotspot_style(str(cat), str(quality), str(status))
        edge, face = to_rgba(st["color"], st["opacity"]), to_rgba(st["fillColor"], st["fillOpacity"])
        dash = "--" if st["dashArray"] else "-"
        width = st["weight"] * 0.6
        kinds = group.geometry.geom_type
        pts = group[kinds == "Point"]
        if not pts.empty:
            ax.scatter(pts.geometry.x, pts.geometry.y, s=markersize, marker="o" if cat == "crime" else "D",
                       facecolors=[face], edgecolors=[edge], linewidths=width, linestyles=dash, zorder=4)
        lines = group[kinds.str.contains("LineString")]
        if not lines.empty:
            lines.plot(ax=ax, color=edge, linewidth=width * 1.5, linestyle=dash, zorder=3)
        zones = group[kinds.str.contains("Polygon")]
        if not zones.empty:
            zones.plot(ax=ax, facecolor=face, edgecolor=edge, linewidth=width, linestyle=dash, zorder=3)


def folium_text(text: str) -> str:
    """Return ``text`` escaped for HTML, and for folium's scripts.

    Every character that folium's scripts treat specially is written as an entity too.

    folium renders the map's scripts through Jinja once more (``{{`` or ``{%`` in a name
    would be read as a template), and puts tooltips inside JavaScript template literals
    (a backtick, ``${`` or a trailing backslash would end or run code there).
    """
    out = html.escape(text)
    for raw, entity in (("{", "&#123;"), ("}", "&#125;"), ("`", "&#96;"), ("$", "&#36;"), ("\\", "&#92;")):
        out = out.replace(raw, entity)
    return out


def js_json(value: Any) -> str:
    r"""Return ``value`` as JSON that is safe to embed inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\u003c`` etc., so no text can close the
    script or open a tag; U+2028/2029 are escaped for old JavaScript parsers. The ``{`` of
    ``{{``, ``{%`` and ``{#`` is written as ``\u007b``: folium wraps each element's script
    in a new Jinja template when the map is rendered, so a name such as
    ``{{ constructor… }}`` would otherwise be evaluated on the server. In
    compact JSON those pairs only occur inside strings, where the escape is valid.

    Examples
    --------
    >>> js_json("</script>")
    '"\\u003c/script\\u003e"'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
                      # compact JSON never has these pairs outside strings: inside one they would open a
                      # Jinja tag if the text ever went through a template (folium re-compiles scripts)
                      ("{{", "{\\u007b"), ("{%", "{\\u0025"), ("{#", "{\\u0023")):
        text = text.replace(raw, safe)
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


def unit_colour(count: int) -> str:
    """Return the shading colour of a unit holding ``count`` active hotspots."""
    colour = UNIT_CLASSES[0][1]
    for lowest, value in UNIT_CLASSES:
        if count >= lowest:
            colour = value
    return colour


#: Zoom from which landmarks are shown (the whole city is about zoom 14).
LANDMARK_MIN_ZOOM = 15


def swatch(kind: str, style: Mapping[str, Any], *, name: str = "") -> str:
    """Return a small SVG sample of a point (``circle``/``diamond``), ``line`` or ``zone`` in ``style``."""
    stroke = (f'stroke="{style["color"]}" stroke-opacity="{style["opacity"]}" stroke-width="{style["weight"]}"'
              + (f' stroke-dasharray="{style["dashArray"]}"' if style["dashArray"] else ""))
    fill = f'fill="{style["fillColor"]}" fill-opacity="{style["fillOpacity"]}"'
    shape = {
        "circle": f'<circle cx="9" cy="8" r="5.5" {fill} {stroke}/>',
        "diamond": f'<path d="M9 1.5 L15.5 8 L9 14.5 L2.5 8 Z" {fill} {stroke}/>',
        "line": f'<path d="M1 12 L17 4" fill="none" {stroke}/>',
        "zone": f'<rect x="2" y="2.5" width="14" height="11" {fill} {stroke}/>',
    }[kind]
    data = f' data-legend="{html.escape(name)}"' if name else ""
    return f'<svg class="hs-swatch" width="18" height="16" viewBox="0 0 18 16"{data}>{shape}</svg>'


def legend_html(lang: str, *, show_units: bool, categories: Iterable[str] = CATEGORY_COLOURS) -> str:
    """Return the legend's HTML, drawn with :func:`hotspot_style` (so it matches the map).

    Per category: its point symbol, street and zone; then the grades (solid, or dashed and
    hollow when approximate), faded for resolved, and the unit shading. The legend is a
    ``<details>`` element: it folds away (closed at first on a narrow map).
    """
    e = html.escape
    rows = [f'<details class="hs-legend-box" open><summary><b>{e(t("legend", lang))}</b></summary>']
    rows.append(f'<div class="hs-kinds">{e(t("legend_kinds", lang))}</div>')
    for cat in categories:
        st = hotspot_style(cat, "exact", "active")
        symbol = "circle" if cat == "crime" else "diamond"
        rows.append(f"<div>{swatch(symbol, st)}{swatch('line', st)}{swatch('zone', st, name=f'cat-{cat}')}"
                    f"{e(label(CATEGORY, cat, lang))}</div>")
    grey = "#555555"
    exact = {**hotspot_style("crime", "exact", "active"), "color": grey, "fillColor": grey}
    approx = {**hotspot_style("crime", "approximate", "active"), "color": grey, "fillColor": grey}
    faded = {**hotspot_style("crime", "exact", "resolved"), "color": grey, "fillColor": grey}
    rows.append(f"<div>{swatch('circle', exact)}{swatch('line', exact)}{swatch('zone', exact, name='exact')}"
                f"{e(t('q_exact', lang))} / {e(t('q_landmark', lang))}</div>")
    rows.append(f"<div>{swatch('circle', approx)}{swatch('line', approx)}{swatch('zone', approx, name='approximate')}"
                f"{e(t('q_approximate', lang))}</div>")
    rows.append(f"<div>{swatch('circle', faded)}{swatch('line', faded)}{swatch('zone', faded, name='faded')}"
                f"{e(t('legend_faded', lang))}</div>")
    if show_units:
        rows.append(f"<b>{e(t('legend_units', lang))}</b><div>")
        for i, (lowest, colour) in enumerate(UNIT_CLASSES):
            lowest_text = f"{lowest}+" if i == len(UNIT_CLASSES) - 1 else str(lowest)
            rows.append(f'<span class="hs-unit-class"><i style="background:{colour};opacity:{UNIT_FILL_OPACITY}">'
                        f'</i>{e(lowest_text)}</span>')
        rows.append("</div>")
    rows.append("</details>")
    return "".join(rows)
