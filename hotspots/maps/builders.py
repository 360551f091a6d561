"""Pure folium builders: each returns or changes a :class:`folium.Map`, never calls ``st.*``.

Hotspots are drawn as ONE vectorised layer (:class:`HotspotLayer`): a compact JSON
payload and a small script that styles and binds popups in the browser, instead of one
Python object per row. Every text from the database travels as JSON data (safe inside
``<script>``) and is escaped by the browser-side ``esc`` function before it becomes HTML.
Leaflet and its plugins are served by the app itself (``/app/static/vendor``), as are the
map's own scripts (``/app/static/js``, see :mod:`hotspots.maps.scripts`), so the map works
with no internet.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.i18n import N_, t
from hotspots.base.labels import CATEGORY, LANDMARK, PRIORITY, hotspot_names, label
from hotspots.maps.basemap import tile_source
from hotspots.maps.scripts import script
from hotspots.plan.plan import Plan
from hotspots.plan.units import load_landmarks


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

#: Centre of the city of Elbasan and the default zoom.
CENTER: tuple[float, float] = (41.1125, 20.0822)
ZOOM: int = 14

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


def plot_hotspots(ax: Any, frame: gpd.GeoDataFrame, *, markersize: float = 40.0) -> None:
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


def js_json(value: Any) -> str:
    r"""Return ``value`` as JSON that is safe to embed inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\u003c`` etc., so no text can close the
    script or open a tag; U+2028/2029 are escaped for old JavaScript parsers. The ``{`` of
    ``{{``, ``{%`` and ``{#`` is written as ``\u007b``: folium wraps each element's script
    in a new Jinja template when the map is rendered, so a name such as
    ``{{ constructor… }}`` would otherwise be evaluated on the server (issue 10). In
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


class Raw(Element):
    """Text put into the page verbatim, never compiled as a Jinja template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text as it is."""
        return self.text


class RawMacroElement(MacroElement):
    """A :class:`MacroElement` whose rendered header and script are added verbatim.

    branca compiles every rendered script again as a Jinja template: slow for a large
    payload (it is lexed once more), and data holding ``{{`` would be evaluated.
    """

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca 0.8: MacroElement.__init__ is unannotated

    def map_name(self) -> str:
        """Return the JavaScript name of the map this element is on (through any feature group)."""
        element: Any = self._parent
        while element is not None and not isinstance(element, folium.Map):
            element = getattr(element, "_parent", None)
        return str((element if element is not None else self._parent).get_name())  # type: ignore[union-attr]

    def render(self, **kwargs: Any) -> str:
        """Render the macros once and add their text to the figure as :class:`Raw` elements."""
        figure = self.get_root()
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Raw(str(macro(self, kwargs))), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
        return ""


def new_map(*, basemap: str = "none", center: Sequence[float] = CENTER, zoom: int = ZOOM) -> folium.Map:
    """Return an empty map whose scripts and styles are all served by the app.

    Parameters
    ----------
    basemap
        The basemap setting (:mod:`hotspots.maps.basemap`): ``none`` (no tiles: works offline;
        our own layers keep the map readable), ``osm``, a tile URL template, or an MBTiles path.
    """
    m = folium.Map(location=list(center), zoom_start=zoom, tiles=None, prefer_canvas=True,
                   control_scale=True, max_zoom=19, zoom_snap=0.25, zoom_delta=1)
    source = tile_source(basemap)
    if source is not None:
        folium.TileLayer(source.url, attr=html.escape(source.attribution) or " ", max_zoom=19,
                         max_native_zoom=source.max_zoom, name="basemap").add_to(m)
    m.default_js = list(LEAFLET_JS)
    m.default_css = list(LEAFLET_CSS)
    # branca types get_root() as an Element; a Map's root is always a Figure, which has the header
    m.get_root().header.add_child(Raw(f"<style>{MAP_CSS}</style>"))  # type: ignore[attr-defined]
    IconPath().add_to(m)
    return m


class IconPath(RawMacroElement):
    """Point Leaflet's default marker images at the app's own copy (added first)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "IconPath"
        self.path = f"{VENDOR_URL}/leaflet/images/"


def unit_colour(count: int) -> str:
    """Return the shading colour of a unit holding ``count`` active hotspots."""
    colour = UNIT_CLASSES[0][1]
    for lowest, value in UNIT_CLASSES:
        if count >= lowest:
            colour = value
    return colour


def add_boundary(m: folium.Map, municipality: BaseGeometry, city: BaseGeometry, lang: str) -> None:
    """Draw the municipality and city-unit outlines (OSM-derived: attribution added)."""
    features = [
        {"type": "Feature", "properties": {"kind": "municipality"}, "geometry": shapely.geometry.mapping(municipality)},
        {"type": "Feature", "properties": {"kind": "city"}, "geometry": shapely.geometry.mapping(city)},
    ]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=t("layer_boundary", lang),
        style_function=lambda f: {"color": "#444", "weight": 2 if f["properties"]["kind"] == "city" else 1,
                                  "dashArray": "6 4", "fill": False},
        interactive=False,
    ).add_to(m)


def add_units(m: folium.Map, units: gpd.GeoDataFrame, counts: Mapping[int, int], lang: str) -> None:
    """Draw units 1-6 shaded by their count of active hotspots, with their numbers.

    The outlines and labels are drawn unshaded; :class:`UnitShading` (added here too) sets
    each unit's colour and label from ``counts``. A map page whose filters change only the
    counts sends a new :class:`UnitShading`, not the units.
    """
    add_unit_outlines(m, units, lang)
    UnitShading(unit_shading(units, counts, lang)).add_to(m)


def add_unit_outlines(m: folium.Map, units: gpd.GeoDataFrame, lang: str) -> None:
    """Draw units 1-6 (outlines, the lightest fill) and their number labels, keyed by unit."""
    data = json.loads(units[["unit", "geometry"]].to_json())
    folium.GeoJson(
        data,
        name=t("layer_units", lang),
        style_function=lambda f: {"fillColor": UNIT_CLASSES[0][1], "fillOpacity": UNIT_FILL_OPACITY,
                                  "color": "#555", "weight": 1.5},
        interactive=False,
    ).add_to(m)
    points = shapely.point_on_surface(np.asarray(units.geometry.values, dtype=object))
    labels = [[round(pt.y, 6), round(pt.x, 6), t("unit_label", lang, n=int(u), count=0), str(int(u))]
              for pt, u in zip(points, units["unit"], strict=True)]
    Labels(labels, css_class="hs-unit-label", anchor=(20, 10)).add_to(m)


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
            "labels": {str(u): t("unit_label", lang, n=u, count=counts.get(u, 0)) for u in numbers}}


class UnitShading(JSCSSMixin, RawMacroElement):
    """Shade the units drawn by :func:`add_unit_outlines` and set their labels (``MapControls.shadeUnits``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.shadeUnits({{ this.map_name() }}, {{ this.shading_json }});
        {% endmacro %}
    """)

    def __init__(self, shading: dict[str, dict[str, str]]) -> None:
        super().__init__()
        self._name = "UnitShading"
        self.shading_json = js_json(shading)
        self.default_js = [script("hs_map_controls")]


class Labels(JSCSSMixin, RawMacroElement):
    """Text labels at points (unit numbers, landmark names), drawn in the browser from data.

    ``labels`` is a list of ``[lat, lon, text]``; the browser sets the text as text, never
    as HTML (``MapControls.labels`` in ``static/js/map-controls.js``). With ``dots`` each
    label also gets a small grey dot; with ``min_zoom`` the layer shows only from that zoom
    on (so the city view stays readable).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.labels({{ this._parent.get_name() }}, {{ this.labels_json }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, labels: list[list[Any]], *, css_class: str, anchor: tuple[int, int] = (0, 0),
                 min_zoom: int = 0, dots: bool = False) -> None:
        super().__init__()
        self._name = "Labels"
        self.labels_json = js_json(labels)
        self.options_json = js_json({"cssClass": css_class, "anchor": list(anchor), "minZoom": min_zoom, "dots": dots})
        self.default_js = [script("hs_map_controls")]


#: Zoom from which landmarks are shown (the whole city is about zoom 14).
LANDMARK_MIN_ZOOM = 15


def landmark_labels(landmarks: pd.DataFrame, lang: str) -> list[list[Any]]:
    """Return ``[lat, lon, label]`` per landmark: its name in ``lang`` where known, else its kind."""
    labels = []
    for lat, lon, kind, name, name_en in zip(landmarks["lat"], landmarks["lon"], landmarks["kind"],
                                            landmarks["name"], landmarks["name_en"], strict=True):
        text = (str(name_en) if lang == "en" and name_en else str(name)) or label(LANDMARK, kind, lang)
        labels.append([round(float(lat), 6), round(float(lon), 6), text])
    return labels


def add_landmarks(m: folium.Map, lang: str, landmarks: pd.DataFrame | None = None) -> None:
    """Draw the landmarks (OSM points of interest; attribution added) from zoom 15 on."""
    frame = load_landmarks() if landmarks is None else landmarks
    Labels(landmark_labels(frame, lang), css_class="hs-landmark-label", anchor=(-5, 7),
           min_zoom=LANDMARK_MIN_ZOOM, dots=True).add_to(m)


class MapControl(JSCSSMixin, RawMacroElement):
    """A static HTML box (legend, note) placed in a corner of the map.

    The HTML is built by this module from escaped text only (``MapControls.box`` in
    ``static/js/map-controls.js`` puts it in place).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.box({{ this._parent.get_name() }}, {{ this.html_json }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str, *, position: str = "bottomright", css_class: str = "") -> None:
        super().__init__()
        self._name = "MapControl"
        self.html_json = js_json(html_text)
        self.options_json = js_json({"position": position, "cssClass": css_class})
        self.default_js = [script("hs_map_controls")]


class Attribution(RawMacroElement):
    """Add text to the map's attribution control (e.g. © OpenStreetMap contributors)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text_json }});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text_json = js_json(html.escape(text))


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


def add_notes(m: folium.Map, lang: str, *, approximate_units: bool, example_data: bool, show_units: bool) -> None:
    """Add the legend, the data attribution and the notes every map must carry.

    The legend sits bottom right and the notes bottom left, clear of the zoom control
    (top left) and of popups (which open upwards, auto-panned below the top corners);
    the legend folds away on a narrow map and whenever a popup opens there.
    """
    MapControl(legend_html(lang, show_units=show_units), position="bottomright", css_class="hs-legend").add_to(m)
    notes = []
    if approximate_units and show_units:
        notes.append(f"⚠ {html.escape(t('note_approx_units', lang))}")
    if example_data:
        notes.append(f"<b style='color:#b00'>{html.escape(t('note_example', lang))}</b>")
    if notes:
        MapControl("<br>".join(notes), position="bottomleft", css_class="hs-warning").add_to(m)
    Attribution(f"{t('plan_source', lang)} | {settings.OSM_ATTRIBUTION}").add_to(m)
    NarrowLayout().add_to(m)


class NarrowLayout(JSCSSMixin, RawMacroElement):
    """Fold the legend on a small map (a picker beside its form, a phone), and again when a popup opens.

    The map is marked ``hs-small`` (and ``hs-narrow`` under 560 px) for smaller notes (``MapControls.narrowLayout``).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.narrowLayout({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "NarrowLayout"
        self.default_js = [script("hs_map_controls")]


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


class HotspotLayer(JSCSSMixin, RawMacroElement):
    """All hotspots as one layer built in the browser from a compact payload.

    Points are canvas markers (a circle for crime, a diamond for street children);
    streets are lines and zones polygons; every geometry takes its style from
    :func:`style_table` (category colour, dashed and hollow when approximate, faded when
    resolved), as the legend does. The tooltip starts with the hotspot's stable id.
    Optional: a heat map of the same data, and clustering of the points. The browser side
    is ``HotspotLayer.add`` in ``static/js/hotspot-layer.js`` (it escapes every text with
    its ``esc``); this element only hands it the JSON data.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var D = {{ this.payload_json }}, P = {{ this.problems_json }}, L10N = {{ this.labels_json }};
            HotspotLayer.add({{ this._parent.get_name() }}, D, {problems: P, labels: L10N, map: {{ this.map_name() }},
                             styles: {{ this.styles_json }}, show: {{ this.show_json }}});
        })();
        {% endmacro %}
    """)

    def __init__(
        self, payload: dict[str, Any], problems: dict[str, Any], labels: dict[str, Any], *,
        show_hotspots: bool = True, heat: bool = False, cluster: bool = False,
    ) -> None:
        super().__init__()
        self._name = "HotspotLayer"
        self.payload_json = js_json(payload)
        self.problems_json = js_json(problems)
        self.labels_json = js_json(labels)
        self.styles_json = js_json(style_table())
        self.show_json = js_json({"hotspots": show_hotspots, "heat": heat, "cluster": cluster})
        self.default_js = [*(HEAT_JS if heat else []), *(CLUSTER_JS if cluster else []),
                           script("hs_html_text"), script("hs_hotspot_layer")]
        self.default_css = list(CLUSTER_CSS) if cluster else []


def hotspot_map(
    payload: dict[str, Any], *, plan: Plan, priorities: Mapping[str, str], lang: str,
    units: gpd.GeoDataFrame | None, unit_counts: Mapping[int, int], approximate_units: bool,
    municipality: BaseGeometry | None = None, city: BaseGeometry | None = None,
    layers: Sequence[str] = ("hotspots", "units"), basemap: str = "none", example_data: bool = False,
    focus: Sequence[float] | None = None, place: tuple[float, float, str] | None = None,
) -> folium.Map:
    """Build the hotspot map: :func:`hotspot_base` with :func:`hotspot_overlay` on it, as one map.

    Parameters
    ----------
    payload
        :func:`hotspot_payload` of the filtered view.
    units
        The unit layer, drawn when ``"units"`` is in ``layers``.
    layers
        Any of ``hotspots``, ``units``, ``heat``, ``cluster``, ``landmarks``.
    focus
        Bounds ``(minx, miny, maxx, maxy)`` to open on (e.g. the filtered units); default the city.
    place
        ``(lat, lon, name)`` of a place found by the search: marked, and the map opens on it.
    """
    m = hotspot_base(lang=lang, units=units, approximate_units=approximate_units, municipality=municipality,
                     city=city, layers=layers, basemap=basemap, example_data=example_data)
    hotspot_overlay(payload, plan=plan, priorities=priorities, lang=lang, units=units, unit_counts=unit_counts,
                    layers=layers, focus=focus, place=place).add_to(m)
    return m


def hotspot_base(
    *, lang: str, units: gpd.GeoDataFrame | None, approximate_units: bool,
    municipality: BaseGeometry | None = None, city: BaseGeometry | None = None,
    layers: Sequence[str] = ("hotspots", "units"), basemap: str = "none", example_data: bool = False,
) -> folium.Map:
    """Build what the map page's filters of category, unit and priority leave unchanged.

    The boundaries, the city view, landmarks, the unit outlines (unshaded), the legend and
    notes, and every script the hotspots need (heat and cluster plugins when ``layers`` asks).
    The same inputs give the same script, so the browser keeps the map (and everything on
    it) while only the overlay (:func:`hotspot_overlay`) changes.
    """
    m = new_map(basemap=basemap)
    if municipality is not None and city is not None:
        add_boundary(m, municipality, city, lang)
    if city is not None:
        minx, miny, maxx, maxy = city.bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    if "landmarks" in layers:
        add_landmarks(m, lang)
    show_units = "units" in layers and units is not None
    if show_units and units is not None:
        add_unit_outlines(m, units, lang)
    add_notes(m, lang, approximate_units=approximate_units, example_data=example_data, show_units=show_units)
    return m


def hotspot_overlay(
    payload: dict[str, Any], *, plan: Plan, priorities: Mapping[str, str], lang: str,
    units: gpd.GeoDataFrame | None, unit_counts: Mapping[int, int], layers: Sequence[str] = ("hotspots", "units"),
    focus: Sequence[float] | None = None, place: tuple[float, float, str] | None = None,
) -> folium.FeatureGroup:
    """Return what the filters change, as one feature group: hotspots, unit shading, focus, found place.

    On the map page it travels as streamlit-folium's ``feature_group_to_add``: a filter
    change replaces this group in the browser and leaves the map of :func:`hotspot_base`.
    """
    group = folium.FeatureGroup(name="hotspots", control=False)
    if "units" in layers and units is not None:
        UnitShading(unit_shading(units, unit_counts, lang)).add_to(group)
    problems = problem_payload(plan, priorities, lang, payload["problems"])
    HotspotLayer(payload, problems, popup_labels(lang), show_hotspots="hotspots" in layers,
                 heat="heat" in layers, cluster="cluster" in layers).add_to(group)
    if place is not None:
        folium.CircleMarker([place[0], place[1]], radius=11, color="#000", weight=2, fill=True, fill_color="#ffeb3b",
                            fill_opacity=0.5, tooltip=html.escape(place[2]), class_name="hs-found-place").add_to(group)
        FitView(center=(place[0], place[1]), zoom=17).add_to(group)
    elif focus is not None:
        FitView(bounds=focus).add_to(group)
    return group


class FitView(RawMacroElement):
    """Open the map on bounds ``(minx, miny, maxx, maxy)``, or on ``center`` at ``zoom``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {% if this.bounds %}{{ this.map_name() }}.fitBounds({{ this.bounds }});
        {% else %}{{ this.map_name() }}.setView({{ this.center }}, {{ this.zoom }});{% endif %}
        {% endmacro %}
    """)

    def __init__(self, *, bounds: Sequence[float] | None = None, center: Sequence[float] = CENTER,
                 zoom: int = ZOOM) -> None:
        super().__init__()
        self._name = "FitView"
        corners = [[float(bounds[1]), float(bounds[0])], [float(bounds[3]), float(bounds[2])]] if bounds is not None else None
        self.bounds = json.dumps(corners) if corners is not None else ""  # numbers only
        self.center = js_json([float(v) for v in center])
        self.zoom = int(zoom)


def picker_map(
    payload: dict[str, Any], *, plan: Plan, priorities: Mapping[str, str], lang: str,
    units: gpd.GeoDataFrame, approximate_units: bool, municipality: BaseGeometry, city: BaseGeometry,
    chosen: tuple[float, float] | None = None, previous: tuple[float, float] | None = None, basemap: str = "none",
    unit_counts: Mapping[int, int] | None = None,
) -> folium.Map:
    """Build the map staff click on: units, existing hotspots, and the chosen point.

    ``chosen`` is drawn as a preview marker; ``previous`` (a hotspot's old place when it
    moves) is drawn hollow, with an arrow-less line to the new place.
    """
    m = hotspot_map(payload, plan=plan, priorities=priorities, lang=lang, units=units, unit_counts=unit_counts or {},
                    approximate_units=approximate_units, municipality=municipality, city=city,
                    layers=("hotspots", "units", "landmarks"), basemap=basemap)
    if previous is not None:
        folium.CircleMarker(list(previous), radius=9, color="#333", fill=False, dash_array="3 3",
                            interactive=False).add_to(m)
    if chosen is not None:
        folium.CircleMarker(list(chosen), radius=10, color="#000", weight=3, fill=True, fill_color="#ffeb3b",
                            fill_opacity=0.9, interactive=False).add_to(m)
        if previous is not None:
            folium.PolyLine([list(previous), list(chosen)], color="#000", weight=2, dash_array="4 4",
                            interactive=False).add_to(m)
    return m
