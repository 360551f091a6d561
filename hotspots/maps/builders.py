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
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.base.labels import unit_short
from hotspots.maps.basemap import tile_source
from hotspots.maps.elements import Attribution, FitView, HotspotLayer, IconPath, Labels, MapControl, NarrowLayout, Raw
from hotspots.maps.elements import UnitShading
from hotspots.maps.payloads import landmark_labels, popup_labels, problem_payload, unit_shading
from hotspots.maps.styles import CENTER, LANDMARK_MIN_ZOOM, LEAFLET_CSS, LEAFLET_JS, MAP_CSS, UNIT_CLASSES, UNIT_FILL_OPACITY
from hotspots.maps.styles import ZOOM, folium_text, legend_html
from hotspots.plan.plan import Plan
from hotspots.plan.units import load_landmarks


#: The map the app's glue passes from a builder to streamlit-folium (it never imports folium itself).
FoliumMap: TypeAlias = folium.Map
#: The layer :func:`hotspot_overlay` returns, sent apart from the map.
FeatureGroup: TypeAlias = folium.FeatureGroup


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
    labels = [[round(pt.y, 6), round(pt.x, 6), t("unit_label", lang, name=unit_short(int(u), lang), count=0), str(int(u))]
              for pt, u in zip(points, units["unit"], strict=True)]
    Labels(labels, css_class="hs-unit-label", anchor=(20, 10)).add_to(m)


def add_landmarks(m: folium.Map, lang: str, landmarks: pd.DataFrame | None = None) -> None:
    """Draw the landmarks (OSM points of interest; attribution added) from zoom 15 on."""
    frame = load_landmarks() if landmarks is None else landmarks
    Labels(landmark_labels(frame, lang), css_class="hs-landmark-label", anchor=(-5, 7),
           min_zoom=LANDMARK_MIN_ZOOM, dots=True).add_to(m)


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
    notes. The same inputs give the same script, so the browser keeps the map (and everything
    on it) while only the overlay (:func:`hotspot_overlay`) changes;
    :func:`hotspots.maps.overlay.attach_overlay` adds the scripts the overlay needs.
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

    On the map page it travels apart from the map (:mod:`hotspots.maps.overlay`): a filter
    change sends and replaces this group in the browser and leaves the map of :func:`hotspot_base`.
    """
    group = folium.FeatureGroup(name="hotspots", control=False)
    if "units" in layers and units is not None:
        UnitShading(unit_shading(units, unit_counts, lang)).add_to(group)
    problems = problem_payload(plan, priorities, lang, payload["problems"])
    HotspotLayer(payload, problems, popup_labels(lang), show_hotspots="hotspots" in layers,
                 heat="heat" in layers, cluster="cluster" in layers).add_to(group)
    if place is not None:
        folium.CircleMarker([place[0], place[1]], radius=11, color="#000", weight=2, fill=True, fill_color="#ffeb3b",
                            fill_opacity=0.5, tooltip=folium_text(place[2]), class_name="hs-found-place").add_to(group)
        FitView(center=(place[0], place[1]), zoom=17).add_to(group)
    elif focus is not None:
        FitView(bounds=focus).add_to(group)
    return group


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
