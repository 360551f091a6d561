"""Folium layers of the plan's other places: cameras, hot-zone coverage, cannabis zones, schools.

Pure builders (no Streamlit): each ``add_*`` function takes a :class:`folium.Map`, adds one
switchable layer (a named :class:`folium.FeatureGroup`) and its legend, which shows only
while the layer is on. :func:`add_layer_control` adds the switch. Every name shown is
HTML-escaped.
"""

from __future__ import annotations

import json
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.base.labels import CAMERA_STATUS, COVERAGE, RISK, label
from hotspots.maps.builders import add_boundary, new_map
from hotspots.maps.elements import Attribution, RawMacroElement
from hotspots.maps.scripts import script
from hotspots.maps.styles import folium_text, js_json
from hotspots.places import cameras as cam
from hotspots.places import coverage as camera_coverage
from hotspots.places.siting import NEW_CAMERA_RADIUS_M


#: Colour per camera status.
STATUS_COLOURS: dict[str, str] = {"working": "#2e7d32", "broken": "#757575", "planned": "#6a1b9a",
                                  "unverified": "#f9a825"}
#: Colour per coverage class of a hot zone.
CLASS_COLOURS: dict[str, str] = {"covered": "#2e7d32", "partly": "#ef6c00", "not": "#c62828"}
#: Colour per cannabis risk level.
RISK_COLOURS: dict[str, str] = {"high": "#b71c1c", "medium": "#e65100", "low": "#f9a825"}
SCHOOL_COLOUR: str = "#0d47a1"
SITE_COLOUR: str = "#00838f"
#: Largest share of the map's height the layers' legends take (scrolled inside beyond it).
LEGEND_MAX_SHARE: float = 0.35


def _js(value: Any) -> str:
    return js_json(value)


class LayerLegend(JSCSSMixin, MacroElement):
    """A legend shown while its layer (a FeatureGroup) is on the map.

    The legends of all such layers share ONE box at the bottom left, at most
    :data:`LEGEND_MAX_SHARE` of the map's height and scrolled inside: stacked one box per
    layer, three legends covered the layer switch and the last layers could not be switched.
    Drawn by ``MapControls.layerLegend`` (``static/js/map-controls.js``).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        MapControls.layerLegend({{ this._parent.get_name() }}, {{ this.group }}, {{ this.html_json }}, {{ this.max_share }});
        {% endmacro %}
    """)

    def __init__(self, group: folium.FeatureGroup, html_text: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca 0.8: MacroElement.__init__ is unannotated
        self._name = "LayerLegend"
        self.group = group.get_name()
        self.html_json = _js(html_text)
        self.max_share = LEGEND_MAX_SHARE
        self.default_js = [script("hs_map_controls")]


def _legend(title: str, items: list[tuple[str, str]], *, round_: bool = True, note: str = "") -> str:
    e = folium_text
    radius = "border-radius:50%;" if round_ else ""
    rows = [f"<b>{e(title)}</b>"]
    # an empty <i> is an inline box of no width: the swatch needs a size and a block display
    box = "display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:middle;border:1px solid #555;"
    rows += [f'<div><i class="hs-swatch" style="{box}background:{c};{radius}"></i>{e(label)}</div>'
             for c, label in items]
    if note:
        rows.append(f"<div style='max-width:260px;white-space:normal'><small>{e(note)}</small></div>")
    return "".join(rows)


def _group(m: folium.Map, name: str, *, show: bool) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=folium_text(name), show=show)
    group.add_to(m)
    return group


def camera_features(cameras: gpd.GeoDataFrame) -> list[tuple[BaseGeometry, dict[str, Any]]]:
    """Return (view area in EPSG:4326, properties) per camera, for drawing."""
    if cameras.empty:
        return []
    metric = cameras.geometry.to_crs(settings.CRS_METRIC)
    areas = [camera_coverage.view_area(x, y, float(r), cam._opt(d), cam._opt(a))
             for x, y, r, d, a in zip(metric.x, metric.y, cameras["radius_m"], cameras["direction"], cameras["angle"],
                                      strict=True)]
    wgs = gpd.GeoSeries(areas, crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)
    return [(area, {"id": str(row["id"]), "name": str(row["name"]), "status": str(row["status"]),
                    "owner": str(row["owner"]), "radius": float(row["radius_m"]), "point": (lat, lon)})
            for area, (_, row), lat, lon in zip(wgs, cameras.iterrows(), cameras.geometry.y, cameras.geometry.x, strict=True)]


def add_cameras_layer(m: folium.Map, cameras: gpd.GeoDataFrame, lang: str, *, show: bool = True) -> folium.FeatureGroup:
    """Add the cameras (a dot and its view area, coloured by status) and their legend."""
    group = _group(m, t("layer_cameras", lang), show=show)
    for area, p in camera_features(cameras):
        colour = STATUS_COLOURS.get(p["status"], "#000")
        tip = folium_text(f"{p['id']} · {p['name']} · {label(CAMERA_STATUS, p['status'], lang)} · {p['radius']:.0f} m")
        folium.GeoJson(shapely.geometry.mapping(area), style_function=lambda _f, c=colour: {
            "color": c, "weight": 1, "fillColor": c, "fillOpacity": 0.15}, interactive=False).add_to(group)
        folium.CircleMarker(list(p["point"]), radius=5, color="#000", weight=1, fill=True, fill_color=colour,
                            fill_opacity=1, tooltip=tip).add_to(group)
    items = [(c, label(CAMERA_STATUS, s, lang)) for s, c in STATUS_COLOURS.items()]
    LayerLegend(group, _legend(t("layer_cameras", lang), items, note=t("cam_legend_note", lang))).add_to(m)
    return group


def add_coverage_layer(m: folium.Map, hotspots: gpd.GeoDataFrame | None, coverage: pd.DataFrame | None, lang: str, *,
                       show: bool = True, payload: dict[str, Any] | None = None) -> folium.FeatureGroup:
    """Add the hot zones coloured by camera coverage (the measured zone: disc, street or area).

    One :class:`CoverageLayer` (a compact payload drawn in the browser), not one GeoJSON
    element per hot zone. ``payload`` (a kept :func:`coverage_payload`) stands for
    ``hotspots`` and ``coverage``.
    """
    if payload is None:
        if hotspots is None or coverage is None:
            raise ValueError("add_coverage_layer needs hotspots and coverage, or their payload")
        payload = coverage_payload(hotspots, coverage)
    group = _group(m, t("layer_coverage", lang), show=show)
    CoverageLayer(payload, [label(COVERAGE, k, lang) for k in CLASS_COLOURS],
                  list(CLASS_COLOURS.values())).add_to(group)
    items = [(c, label(COVERAGE, k, lang)) for k, c in CLASS_COLOURS.items()]
    note = t("cov_legend_note", lang, covered=int(camera_coverage.COVERED_MIN * 100),
             partly=int(camera_coverage.PARTLY_MIN * 100))
    LayerLegend(group, _legend(t("layer_coverage", lang), items, round_=False, note=note)).add_to(m)
    return group


def coverage_payload(hotspots: gpd.GeoDataFrame, coverage: pd.DataFrame) -> dict[str, Any]:
    """Return the compact data of :class:`CoverageLayer`: the located rows of ``coverage``.

    Column by column: ``id``, ``name``, ``cls`` (index into :data:`CLASS_COLOURS`),
    ``share`` (whole per cent); a point's zone as its centre in ``xy`` (``[lon, lat, ...]``)
    and its disc's radius in metres in ``r``; streets and areas (and multi-points, whose
    zone is the union of discs) as ``[row, type, coordinates]`` in ``shapes``, rounded to
    6 decimals. Texts are left raw: the browser escapes them.

    Examples
    --------
    >>> h = gpd.GeoDataFrame({"id": ["H-1"], "period": ["2022-H1"], "location_quality": ["exact"]},
    ...                      geometry=[shapely.Point(20.08, 41.11)], crs=4326)
    >>> table = pd.DataFrame({"id": ["H-1"], "name": ["A"], "share": [0.5], "class": ["partly"]})
    >>> d = coverage_payload(h, table)
    >>> d["xy"], d["r"], d["cls"], d["share"]
    ([20.08, 41.11], [50.0], [1], [50])
    """
    located = coverage[coverage["share"].notna()]
    latest = hotspots.sort_values("period", kind="stable").drop_duplicates("id", keep="last").set_index("id")
    rows = latest.loc[pd.Index(located["id"].astype(str))]
    geoms = np.asarray(rows.geometry.values, dtype=object)
    is_point = shapely.get_type_id(geoms) == 0
    xy = np.zeros((len(geoms), 2))
    xy[is_point] = shapely.get_coordinates(geoms[is_point])
    zone_m = camera_coverage.POINT_ZONE_M
    radius = rows["location_quality"].astype(str).map(zone_m).fillna(zone_m["approximate"])
    others = np.flatnonzero(~is_point)
    zones = [_zone_4326(g, str(q)) for g, q in zip(geoms[others], rows["location_quality"].iloc[others], strict=True)]
    shapes = [[int(i), g["type"], g["coordinates"]] for i, g in zip(
        others, (json.loads(text) for text in shapely.to_geojson(shapely.transform(np.asarray(zones, dtype=object),
                                                                                    _round6))), strict=True)]
    codes = {k: i for i, k in enumerate(CLASS_COLOURS)}
    return {
        "id": located["id"].astype(str).tolist(), "name": located["name"].astype(str).tolist(),
        "cls": [codes.get(str(c), codes["not"]) for c in located["class"]],
        "share": np.round(located["share"].astype(float).to_numpy() * 100).astype(int).tolist(),
        "xy": np.round(xy, 6).ravel().tolist(), "r": np.where(is_point, radius.to_numpy(float), 0.0).tolist(),
        "shapes": shapes,
    }


def _round6(coords: np.ndarray) -> np.ndarray:
    return np.round(coords, 6)


def _zone_4326(geom: BaseGeometry, quality: str) -> BaseGeometry:
    """Return a street's or area's zone (itself), or a multi-point's discs, in EPSG:4326."""
    if geom.geom_type != "MultiPoint":
        return geom
    metric = gpd.GeoSeries([geom], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    return gpd.GeoSeries([camera_coverage.hot_zone(metric, quality)], crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE).iloc[0]


class CoverageLayer(JSCSSMixin, RawMacroElement):
    """The hot zones of a coverage table as one layer of its feature group, built in the browser.

    ``CoverageLayer.add`` in ``static/js/coverage-layer.js`` draws the payload of
    :func:`coverage_payload` the first time the group is switched on; this element only
    hands it the JSON data (safe inside ``<script>``: :func:`hotspots.maps.styles.js_json`).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        CoverageLayer.add({{ this._parent.get_name() }}, {{ this.payload_json }},
                          {classes: {{ this.classes_json }}, colours: {{ this.colours_json }}});
        {% endmacro %}
    """)

    def __init__(self, payload: dict[str, Any], classes: list[str], colours: list[str]) -> None:
        super().__init__()
        self._name = "CoverageLayer"
        self.payload_json = _js(payload)
        self.classes_json = _js(classes)
        self.colours_json = _js(colours)
        self.default_js = [script("hs_html_text"), script("hs_coverage_layer")]


def add_sites_layer(m: folium.Map, sites: pd.DataFrame, lang: str, *, radius_m: float) -> folium.FeatureGroup:
    """Add the proposed sites of new cameras (``lat``, ``lon``, ``site``) with their radius."""
    group = _group(m, t("layer_sites", lang), show=True)
    for _, row in sites.iterrows():
        folium.Circle([row["lat"], row["lon"]], radius=radius_m, color=SITE_COLOUR, weight=2, fill=True,
                      fill_opacity=0.2, tooltip=folium_text(t("site_n", lang, n=int(row["site"])))).add_to(group)
    LayerLegend(group, _legend(t("layer_sites", lang), [(SITE_COLOUR, t("site_legend", lang, r=int(radius_m)))])).add_to(m)
    return group


def add_zones_layer(m: folium.Map, zones: gpd.GeoDataFrame, lang: str, *, show: bool = True,
                    note: str = "", name: str = "") -> folium.FeatureGroup:
    """Add cannabis-risk zones (the public view's generalised territories, or staff's zones).

    ``name`` names the layer in the switch (default: the public layer's name).
    """
    group = _group(m, name or t("layer_cannabis", lang), show=show)
    for _, row in zones.iterrows():
        colour = RISK_COLOURS.get(str(row["risk"]), "#000")
        tip = folium_text(f"{row['admin_unit']} · {label(RISK, str(row['risk']), lang)} · {row['years'] or '—'}")
        folium.GeoJson(shapely.geometry.mapping(row.geometry), tooltip=tip, style_function=lambda _f, c=colour: {
            "color": c, "weight": 1, "fillColor": c, "fillOpacity": 0.35}).add_to(group)
    items = [(c, label(RISK, k, lang)) for k, c in RISK_COLOURS.items()]
    LayerLegend(group, _legend(name or t("layer_cannabis", lang), items, round_=False, note=note)).add_to(m)
    return group


def add_schools_layer(m: folium.Map, schools: gpd.GeoDataFrame, lang: str, *, show: bool = True) -> folium.FeatureGroup:
    """Add the schools (context for activities 1.3 and 1.4)."""
    group = _group(m, t("layer_schools", lang), show=show)
    for _, row in schools.iterrows():
        tip = folium_text(f"{row['id']} · {row['name']} · {row['activities']}")
        square = f'<div style="width:12px;height:12px;background:{SCHOOL_COLOUR};border:1px solid #fff"></div>'
        folium.Marker([row.geometry.y, row.geometry.x], tooltip=tip,  # a DivIcon: no plugin script to load
                      icon=folium.DivIcon(html=square, icon_size=(12, 12), icon_anchor=(6, 6))).add_to(group)
    LayerLegend(group, _legend(t("layer_schools", lang), [(SCHOOL_COLOUR, t("school_legend", lang))],
                               round_=False)).add_to(m)
    return group


def add_layer_control(m: folium.Map) -> None:
    """Add the layer switch (expanded, top left) after every layer."""
    folium.LayerControl(position="topleft", collapsed=False).add_to(m)


def add_osm_attribution(m: folium.Map) -> None:
    """Credit OpenStreetMap for the OSM-derived cameras and schools."""
    Attribution(settings.OSM_ATTRIBUTION).add_to(m)


def camera_map(
    hotspots: gpd.GeoDataFrame, coverage: pd.DataFrame, cameras: gpd.GeoDataFrame, lang: str, *,
    municipality: BaseGeometry, city: BaseGeometry, basemap: str = "none",
    chosen: tuple[float, float] | None = None, sites: pd.DataFrame | None = None,
    sites_radius_m: float = NEW_CAMERA_RADIUS_M,
) -> folium.Map:
    """Build the cameras page's map: hot zones by coverage, cameras, proposed sites, the clicked point."""
    m = new_map(basemap=basemap)
    add_boundary(m, municipality, city, lang)
    minx, miny, maxx, maxy = city.bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    add_coverage_layer(m, hotspots, coverage, lang)
    add_cameras_layer(m, cameras, lang)
    if sites is not None and not sites.empty:
        add_sites_layer(m, sites, lang, radius_m=sites_radius_m)
    if chosen is not None:
        folium.CircleMarker(list(chosen), radius=10, color="#000", weight=3, fill=True, fill_color="#ffeb3b",
                            fill_opacity=0.9, interactive=False).add_to(m)
    add_layer_control(m)
    add_osm_attribution(m)
    return m
