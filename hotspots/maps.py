"""Pure folium builders: each returns or changes a :class:`folium.Map`, never calls ``st.*``.

Hotspots are drawn as ONE vectorised layer (:class:`HotspotLayer`): a compact JSON
payload and a small script that styles and binds popups in the browser, instead of one
Python object per row. Every text from the database travels as JSON data (safe inside
``<script>``) and is escaped by the browser-side ``esc`` function before it becomes HTML.
Leaflet and its plugins are served by the app itself (``/app/static/vendor``), so the
map works with no internet.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from hotspots import settings
from hotspots.i18n import t
from hotspots.missing import int_or_none
from hotspots.plan import Plan

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


def js_json(value: Any) -> str:
    """Return ``value`` as JSON that is safe to embed inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so no text can close the
    script or open a tag; U+2028/2029 are escaped for old JavaScript parsers.

    Examples
    --------
    >>> js_json("</script>")
    '"\\\\u003c/script\\\\u003e"'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, safe)
    return text


def new_map(*, basemap: str = "none", center: Sequence[float] = CENTER, zoom: int = ZOOM) -> folium.Map:
    """Return an empty map whose scripts and styles are all served by the app.

    Parameters
    ----------
    basemap
        ``none`` (no tiles: works offline; our own layers keep the map readable) or
        ``osm`` (OpenStreetMap tiles, needs the internet).
    """
    tiles = "OpenStreetMap" if basemap == "osm" else None
    m = folium.Map(location=list(center), zoom_start=zoom, tiles=tiles, prefer_canvas=True,
                   control_scale=True, max_zoom=19)
    m.default_js = list(LEAFLET_JS)
    m.default_css = list(LEAFLET_CSS)
    m.get_root().header.add_child(Element(  # type: ignore[attr-defined]
        "<style>.leaflet-container{background:#e9eef2;font-family:sans-serif}"
        ".hs-note{background:rgba(255,255,255,.92);padding:4px 8px;border-radius:4px;"
        "font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:360px}"
        ".hs-legend i{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;"
        "border:1px solid #555}.hs-unit-label{font:bold 15px sans-serif;color:#333;"
        "text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap}</style>"
    ))
    IconPath().add_to(m)
    return m


class IconPath(MacroElement):
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


def add_boundary(m: folium.Map, municipality: shapely.Geometry, city: shapely.Geometry, lang: str) -> None:
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
    """Draw units 1-6 shaded by their count of active hotspots, with their numbers."""
    data = json.loads(units[["unit", "geometry"]].to_json())
    for feature in data["features"]:
        unit = int(feature["properties"]["unit"])
        feature["properties"]["fill"] = unit_colour(counts.get(unit, 0))
    folium.GeoJson(
        data,
        name=t("layer_units", lang),
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.55,
                                  "color": "#555", "weight": 1.5},
        interactive=False,
    ).add_to(m)
    for _, row in units.iterrows():
        point = row.geometry.representative_point()
        label = html.escape(t("unit_label", lang, n=int(row["unit"]), count=counts.get(int(row["unit"]), 0)))
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f'<div class="hs-unit-label">{label}</div>', icon_size=(90, 20), icon_anchor=(20, 10)),
            interactive=False,
        ).add_to(m)


class MapControl(MacroElement):
    """A static HTML box (legend, note) placed in a corner of the map.

    The HTML is built by this module from escaped text only.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var box = L.control({position: {{ this.position|tojson }}});
            box.onAdd = function() {
                var div = L.DomUtil.create('div', 'hs-note ' + {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            box.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html_text: str, *, position: str = "bottomright", css_class: str = "") -> None:
        super().__init__()
        self._name = "MapControl"
        self.html_json = js_json(html_text)
        self.position = position
        self.css_class = css_class


class Attribution(MacroElement):
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


def legend_html(lang: str, *, show_units: bool, categories: Iterable[str] = CATEGORY_COLOURS) -> str:
    """Return the legend's HTML: categories (colour and symbol), location grades, unit classes."""
    e = html.escape
    rows = [f"<b>{e(t('legend', lang))}</b>"]
    shapes = {"crime": "border-radius:50%", "street_children": "transform:rotate(45deg) scale(.8)"}
    for cat in categories:
        rows.append(f'<div><i style="background:{CATEGORY_COLOURS[cat]};{shapes[cat]}"></i>{e(t(f"cat_{cat}", lang))}</div>')
    rows.append(f'<div><i style="background:#888;border-radius:50%"></i>{e(t("q_exact", lang))} / {e(t("q_landmark", lang))}</div>')
    rows.append(f'<div><i style="background:transparent;border:2px dashed #888;border-radius:50%"></i>{e(t("q_approximate", lang))}</div>')
    if show_units:
        rows.append(f"<b>{e(t('legend_units', lang))}</b>")
        for i, (lowest, colour) in enumerate(UNIT_CLASSES):
            label = f"{lowest}+" if i == len(UNIT_CLASSES) - 1 else str(lowest)
            rows.append(f'<div><i style="background:{colour}"></i>{e(label)}</div>')
    return "".join(rows)


def add_notes(m: folium.Map, lang: str, *, approximate_units: bool, example_data: bool, show_units: bool) -> None:
    """Add the legend, the data attribution and the notes every map must carry."""
    MapControl(legend_html(lang, show_units=show_units), position="bottomright", css_class="hs-legend").add_to(m)
    notes = []
    if approximate_units and show_units:
        notes.append(f"⚠ {html.escape(t('note_approx_units', lang))}")
    if example_data:
        notes.append(f"<b style='color:#b00'>{html.escape(t('note_example', lang))}</b>")
    if notes:
        MapControl("<br>".join(notes), position="topright", css_class="hs-warning").add_to(m)
    Attribution(f"{t('plan_source', lang)} | {settings.OSM_ATTRIBUTION}").add_to(m)


def _round(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), 6) for c in coords]
    return [_round(c) for c in coords]


def hotspot_payload(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the compact, JSON-ready data of :class:`HotspotLayer` (located rows only).

    Each row is ``[id, name, category, quality, status, unit, problem, source, period,
    geometry]`` with codes for the categorical fields, sources deduplicated, and
    coordinates rounded to 6 decimals (about 10 cm). Texts are left raw: the browser
    escapes them.
    """
    sources: dict[str, int] = {}
    rows = []
    for rec, geom in zip(
        gdf[["id", "name", "category", "location_quality", "status", "unit", "problem", "location_source", "period"]].itertuples(index=False),
        gdf.geometry,
    ):
        if geom is None or not isinstance(geom, shapely.Geometry) or geom.is_empty:
            continue
        mapping = shapely.geometry.mapping(geom)
        unit = int_or_none(rec.unit)
        rows.append([
            str(rec.id), str(rec.name), CATEGORY_CODES.get(rec.category, 0), QUALITY_CODES.get(rec.location_quality, 2),
            STATUS_CODES.get(rec.status, 0), unit, str(rec.problem),
            sources.setdefault(str(rec.location_source), len(sources)), str(rec.period),
            [mapping["type"], _round(mapping["coordinates"])],
        ])
    return {"rows": rows, "sources": list(sources)}


def problem_payload(plan: Plan, priorities: Mapping[str, str], lang: str, problem_ids: Iterable[str]) -> dict[str, Any]:
    """Return, per problem id, the text the popups show: title, priority, activities, institutions."""
    out = {}
    for pid in sorted(set(problem_ids)):
        problem = plan.problem(pid)
        out[pid] = {
            "title": problem.title(lang),
            "priority": t(f"prio_{priorities.get(pid, str(problem.priority))}", lang),
            "activities": [f"{a.id} {a.text(lang)}" for a in problem.activities],
            "institutions": plan.institution_names(problem, lang),
        }
    return out


POPUP_LABELS = ("pp_id", "pp_unit", "pp_period", "pp_status", "pp_quality", "pp_source", "pp_problem",
                "pp_priority", "pp_activities", "pp_institutions")


def popup_labels(lang: str) -> dict[str, Any]:
    """Return the translated labels and code names the popups and tooltips use."""
    return {
        **{k: t(k, lang) for k in POPUP_LABELS},
        "cat": [t("cat_crime", lang), t("cat_street_children", lang)],
        "quality": [t("q_exact", lang), t("q_landmark", lang), t("q_approximate", lang)],
        "status": [t("st_active", lang), t("st_resolved", lang), t("st_removed", lang)],
    }


class HotspotLayer(JSCSSMixin, MacroElement):
    """All hotspots as one layer built in the browser from a compact payload.

    Points are canvas markers (a circle for crime, a diamond for street children);
    streets are lines and zones polygons; approximate locations are dashed and hollow;
    resolved hotspots are faded. The tooltip starts with the hotspot's stable id.
    Optional: a heat map of the same data, and clustering of the points.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var D = {{ this.payload_json }}, P = {{ this.problems_json }}, L10N = {{ this.labels_json }};
            var COLOURS = {{ this.colours_json }}, SHOW = {{ this.show_json }};
            function esc(s) {
                return String(s == null ? '' : s).replace(/[&<>"'`\\\\]/g, function(c) {
                    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '\\\\': '&#92;'}[c];
                });
            }
            var Diamond = L.CircleMarker.extend({
                _updatePath: function() {
                    var r = this._renderer;
                    if (!r._ctx || !r._drawing || this._empty()) { return L.CircleMarker.prototype._updatePath.call(this); }
                    var p = this._point, s = this._radius * 1.25, ctx = r._ctx;
                    ctx.beginPath();
                    ctx.moveTo(p.x, p.y - s); ctx.lineTo(p.x + s, p.y); ctx.lineTo(p.x, p.y + s); ctx.lineTo(p.x - s, p.y);
                    ctx.closePath();
                    r._fillStroke(ctx, this);
                }
            });
            function style(row) {
                var colour = COLOURS[row[2]], approx = row[3] === 2, faded = row[4] !== 0;
                return {color: colour, fillColor: colour, weight: approx ? 2 : 3,
                        opacity: faded ? 0.35 : 0.95, fillOpacity: faded ? 0.1 : (approx ? 0.12 : 0.6),
                        dashArray: approx ? '5 4' : null, radius: 7};
            }
            function popup(row) {
                var p = P[row[6]] || {title: '', priority: '', activities: [], institutions: []};
                var acts = p.activities.map(function(a) { return '<li>' + esc(a) + '</li>'; }).join('');
                var inst = p.institutions.map(esc).join('; ');
                return '<div style="max-width:320px;font:13px sans-serif">'
                    + '<b>' + esc(row[1]) + '</b><br>'
                    + esc(L10N.pp_id) + ': ' + esc(row[0]) + '<br>'
                    + esc(L10N.pp_unit) + ': ' + esc(row[5] == null ? '—' : row[5]) + '<br>'
                    + esc(L10N.pp_period) + ': ' + esc(row[8]) + '<br>'
                    + esc(L10N.pp_status) + ': ' + esc(L10N.status[row[4]]) + '<br>'
                    + esc(L10N.pp_quality) + ': ' + esc(L10N.quality[row[3]]) + '<br>'
                    + esc(L10N.pp_source) + ': <i>' + esc(D.sources[row[7]]) + '</i><br>'
                    + esc(L10N.pp_problem) + ': ' + esc(row[6]) + ' ' + esc(p.title) + '<br>'
                    + esc(L10N.pp_priority) + ': ' + esc(p.priority) + '<br>'
                    + esc(L10N.pp_activities) + ':<ol style="margin:2px 0 2px 18px;padding:0">' + acts + '</ol>'
                    + esc(L10N.pp_institutions) + ': ' + inst + '</div>';
            }
            var points = L.featureGroup(), shapes = L.featureGroup(), heat = [];
            D.rows.forEach(function(row) {
                var g = row[9], layer, st = style(row);
                if (g[0] === 'Point') {
                    var ll = [g[1][1], g[1][0]];
                    layer = row[2] === 1 ? new Diamond(ll, st) : L.circleMarker(ll, st);
                    heat.push([ll[0], ll[1], 1]);
                } else {
                    layer = L.GeoJSON.geometryToLayer({type: 'Feature', properties: {}, geometry: {type: g[0], coordinates: g[1]}}, {style: function() { return st; }});
                    var c = layer.getBounds().getCenter();
                    heat.push([c.lat, c.lng, 1]);
                }
                layer.bindTooltip(esc(row[0]) + ' · ' + esc(row[1]));
                layer.bindPopup(function() { return popup(row); }, {maxWidth: 340});
                (g[0] === 'Point' ? points : shapes).addLayer(layer);
            });
            if (SHOW.heat && L.heatLayer) { L.heatLayer(heat, {radius: 30, blur: 20, maxZoom: 17}).addTo(map); }
            if (SHOW.hotspots) {
                shapes.addTo(map);
                if (SHOW.cluster && L.markerClusterGroup) {
                    var cluster = L.markerClusterGroup({disableClusteringAtZoom: 17, chunkedLoading: true});
                    cluster.addLayers(points.getLayers());
                    cluster.addTo(map);
                } else {
                    points.addTo(map);
                }
            }
            window.hotspotLayer = {points: points, shapes: shapes, count: D.rows.length};
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
        self.colours_json = js_json([CATEGORY_COLOURS["crime"], CATEGORY_COLOURS["street_children"]])
        self.show_json = js_json({"hotspots": show_hotspots, "heat": heat, "cluster": cluster})
        self.default_js = [*(HEAT_JS if heat else []), *(CLUSTER_JS if cluster else [])]
        self.default_css = list(CLUSTER_CSS) if cluster else []


def hotspot_map(
    payload: dict[str, Any], *, plan: Plan, priorities: Mapping[str, str], lang: str,
    units: gpd.GeoDataFrame | None, unit_counts: Mapping[int, int], approximate_units: bool,
    municipality: shapely.Geometry | None = None, city: shapely.Geometry | None = None,
    layers: Sequence[str] = ("hotspots", "units"), basemap: str = "none", example_data: bool = False,
) -> folium.Map:
    """Build the hotspot map of the map page.

    Parameters
    ----------
    payload
        :func:`hotspot_payload` of the filtered view.
    units
        The unit layer, drawn when ``"units"`` is in ``layers``.
    layers
        Any of ``hotspots``, ``units``, ``heat``, ``cluster``.
    """
    m = new_map(basemap=basemap)
    if municipality is not None and city is not None:
        add_boundary(m, municipality, city, lang)
        minx, miny, maxx, maxy = city.bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    show_units = "units" in layers and units is not None
    if show_units:
        add_units(m, units, unit_counts, lang)
    problems = problem_payload(plan, priorities, lang, {row[6] for row in payload["rows"]})
    HotspotLayer(payload, problems, popup_labels(lang), show_hotspots="hotspots" in layers,
                 heat="heat" in layers, cluster="cluster" in layers).add_to(m)
    add_notes(m, lang, approximate_units=approximate_units, example_data=example_data, show_units=show_units)
    return m


def picker_map(
    payload: dict[str, Any], *, plan: Plan, priorities: Mapping[str, str], lang: str,
    units: gpd.GeoDataFrame, approximate_units: bool, municipality: shapely.Geometry, city: shapely.Geometry,
    chosen: tuple[float, float] | None = None, previous: tuple[float, float] | None = None, basemap: str = "none",
    unit_counts: Mapping[int, int] | None = None,
) -> folium.Map:
    """Build the map staff click on: units, existing hotspots, and the chosen point.

    ``chosen`` is drawn as a preview marker; ``previous`` (a hotspot's old place when it
    moves) is drawn hollow, with an arrow-less line to the new place.
    """
    m = hotspot_map(payload, plan=plan, priorities=priorities, lang=lang, units=units, unit_counts=unit_counts or {},
                    approximate_units=approximate_units, municipality=municipality, city=city,
                    layers=("hotspots", "units"), basemap=basemap)
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


def naive_marker_map(gdf: gpd.GeoDataFrame) -> folium.Map:
    """Return the naive map, one ``folium.Marker`` with a popup per row (the benchmark baseline)."""
    m = folium.Map(location=list(CENTER), zoom_start=ZOOM, tiles=None)
    for rec, geom in zip(gdf.itertuples(index=False), gdf.geometry):
        point = geom.representative_point()
        popup = f"<b>{html.escape(str(rec.name))}</b><br>{html.escape(str(rec.id))}<br>{html.escape(str(rec.location_source))}"
        folium.Marker([point.y, point.x], popup=popup, tooltip=html.escape(str(rec.name))).add_to(m)
    return m
