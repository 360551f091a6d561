"""The incidents on a folium map: points, aggregated cells, a density surface.

Pure builders that add one layer to a ``folium.Map`` (made by :mod:`hotspots.maps.builders`) and
return nothing; they never call Streamlit. Who sees what is decided by
:func:`hotspots.incidents.disclosure.sees_points`: analysts and staff get canvas points
(and may add the density surface), everyone else gets ~250 m cells with counts below 5
shown as "<5" — the page never sends them a point.

Density: a Gaussian kernel density estimate on a 50 m grid, bandwidth by Silverman's rule
of thumb ``h = 1.06 · σ · n^(-1/5)`` with ``σ`` the root mean of the x and y variances in
metres (EPSG:32634), never below 100 m; drawn as a semi-transparent image overlay.
"""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.elements import JSCSSMixin
from jinja2 import Template

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.incidents import disclosure
from hotspots.incidents.config import load_config
from hotspots.maps.elements import RawMacroElement
from hotspots.maps.scripts import script
from hotspots.maps.styles import js_json


#: Colour of each offence class on the map.
OFFENCE_COLOURS: dict[str, str] = {"drugs": "#7b3294", "theft": "#e66101", "violence": "#d7191c",
                                   "domestic_violence": "#c51b7d", "street_children": "#0571b0", "other": "#666666"}
#: Grid step of the density surface, in metres.
KDE_CELL_M: float = 50.0
#: Smallest bandwidth of the density surface, in metres.
KDE_MIN_BANDWIDTH_M: float = 100.0


class IncidentPoints(JSCSSMixin, RawMacroElement):
    """Incidents as canvas circle markers from compact binary columns (see :func:`point_rows`).

    Drawn by ``CellLayers.incidentPoints`` (``static/js/cell-layers.js``).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var D = {{ this.rows_json }}, O = {{ this.offences_json }}, C = {{ this.colours_json }};
            CellLayers.incidentPoints({{ this._parent.get_name() }}, D, O, C);
        })();
        {% endmacro %}
    """)

    def __init__(self, rows: dict[str, Any], offences: list[str], colours: list[str]) -> None:
        super().__init__()
        self._name = "IncidentPoints"
        self.rows_json = js_json(rows)  # base64, numbers and ISO dates
        self.offences_json = js_json(offences)
        self.colours_json = js_json(colours)
        self.default_js = [script("hs_html_text"), script("hs_cell_layers")]


class IncidentCells(JSCSSMixin, RawMacroElement):
    """Aggregated cells (GeoJSON polygons with a text count, ``"<5"`` for small ones).

    Drawn by ``CellLayers.incidentCells`` (``static/js/cell-layers.js``).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var data = {{ this.geojson }}, title = {{ this.title_json }};
            CellLayers.incidentCells({{ this._parent.get_name() }}, data, title);
        })();
        {% endmacro %}
    """)

    def __init__(self, geojson: str, title: str) -> None:
        super().__init__()
        self._name = "IncidentCells"
        self.geojson = geojson.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        self.title_json = js_json(title)
        self.default_js = [script("hs_html_text"), script("hs_cell_layers")]


#: Coordinates of points sent to the browser are integers of 1e-5 degrees (about 1 m).
POINT_SCALE: int = 100_000


def _b64(values: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")


def _offsets(values: np.ndarray) -> tuple[int, str, str]:
    """Return the smallest value, and ``values`` less it as base64 uint16 (``u2``) when they fit, else int32 (``i4``)."""
    low = int(values.min()) if len(values) else 0
    kind = "u2" if not len(values) or int(values.max()) - low < 2**16 else "i4"
    return low, kind, _b64(values - low, "<u2" if kind == "u2" else "<i4")


def point_rows(incidents: gpd.GeoDataFrame) -> tuple[dict[str, Any], list[str]]:
    """Return compact columns of the placed incidents and the offence classes they index (no reference, no address).

    ``lat``/``lon`` are integers of :data:`POINT_SCALE` (1e-5 degrees, about 1 m) less their
    smallest value (``lat0``/``lon0``): little-endian uint16 when they span under 65,536 of
    them (0.65 degrees: a city), else int32 (``kind``); ``o`` uint8 offence indexes and ``d``
    uint16 indexes into ``dates`` (int32 past 65,536 days), each base64: 7 bytes a point
    before base64 for a city, where a JSON list of floats takes 40 and half a second for 100,000.

    Examples
    --------
    >>> import shapely
    >>> inc = gpd.GeoDataFrame({"offence": ["theft", "drugs"], "occurred_on": ["2023-05-01", "2023-04-30"]},
    ...                        geometry=[shapely.Point(20.08, 41.1), None], crs="EPSG:4326")
    >>> rows, offences = point_rows(inc)
    >>> lat = np.frombuffer(base64.b64decode(rows["lat"]), "<u2").astype(int)
    >>> offences, rows["kind"], (rows["lat0"] + lat).tolist(), rows["dates"]
    (['theft'], 'u2', [4110000], ['2023-05-01'])
    """
    geoms = incidents.geometry.to_numpy()
    placed = ~shapely.is_missing(geoms)
    xy = np.round(shapely.get_coordinates(geoms[placed]) * POINT_SCALE).astype(np.int64)
    codes, offences = pd.factorize(np.asarray(incidents["offence"], dtype=object)[placed], sort=True)
    day_codes, days = pd.factorize(np.asarray(incidents["occurred_on"], dtype=object)[placed], sort=True)
    lat0, lat_kind, lat = _offsets(xy[:, 1])
    lon0, lon_kind, lon = _offsets(xy[:, 0])
    wide = lat_kind == "i4" or lon_kind == "i4"
    if wide and lat_kind != lon_kind:  # one kind for both columns
        lat, lon = _b64(xy[:, 1] - lat0, "<i4"), _b64(xy[:, 0] - lon0, "<i4")
    rows = {"scale": POINT_SCALE, "kind": "i4" if wide else "u2", "lat0": lat0, "lon0": lon0, "lat": lat, "lon": lon,
            "o": _b64(codes, "u1"), "dk": "u2" if len(days) < 2**16 else "i4",
            "d": _b64(day_codes, "<u2" if len(days) < 2**16 else "<i4"), "dates": [str(d) for d in days]}
    return rows, [str(o) for o in offences]


def add_points(m: folium.Map, incidents: gpd.GeoDataFrame, lang: str) -> None:
    """Add the incidents as canvas points (analysts and staff only: call through :func:`add_incident_layer`)."""
    rows, offences = point_rows(incidents)
    config = load_config()
    IncidentPoints(rows, [config.label(o, lang) for o in offences],
                   [OFFENCE_COLOURS.get(o, "#666666") for o in offences]).add_to(m)


def cells_geojson(cells: gpd.GeoDataFrame) -> str:
    """Return the cells (``cell``, ``count`` as text, polygons) as a GeoJSON FeatureCollection, vectorised.

    Each geometry is written by GEOS in one call for all (coordinates to 6 decimals), the
    properties by one ``json.dumps`` each: a few milliseconds for a city's cells, where
    ``GeoDataFrame.to_json`` builds a Python dict per coordinate.

    Examples
    --------
    >>> import shapely
    >>> cells = gpd.GeoDataFrame({"cell": ["1:2"], "count": ["<5"]}, geometry=[shapely.box(0, 0, 1, 1)])
    >>> json.loads(cells_geojson(cells))["features"][0]["properties"]
    {'cell': '1:2', 'count': '<5'}
    """
    geoms = shapely.to_geojson(shapely.transform(cells.geometry.to_numpy(), lambda xy: np.round(xy, 6)))
    props = [f'{{"cell":{json.dumps(str(c))},"count":{json.dumps(str(n))}}}'
             for c, n in zip(cells["cell"], cells["count"], strict=True)]
    features = ",".join(f'{{"type":"Feature","properties":{p},"geometry":{g}}}' for p, g in zip(props, geoms, strict=True))
    return f'{{"type":"FeatureCollection","features":[{features}]}}'


def add_cells(m: folium.Map, incidents: gpd.GeoDataFrame | None, lang: str, *, cells: gpd.GeoDataFrame | None = None) -> None:
    """Add ~250 m cells with suppressed counts (what council and the public see); ``cells`` if already computed.

    Raises
    ------
    ValueError
        If neither ``incidents`` nor ``cells`` is given.
    """
    if cells is None:
        if incidents is None:
            raise ValueError("add_cells needs the incidents or their cells")
        cells = disclosure.public_cells(incidents)
    IncidentCells(cells_geojson(cells), t("inc_layer_cells", lang)).add_to(m)


def silverman_bandwidth(x: np.ndarray, y: np.ndarray) -> float:
    """Return Silverman's rule-of-thumb bandwidth in metres (never below 100 m).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(silverman_bandwidth(rng.normal(0, 500, 1000), rng.normal(0, 500, 1000)) / 10) * 10
    130
    """
    n = len(x)
    if n < 2:
        return KDE_MIN_BANDWIDTH_M
    sigma = float(np.sqrt((np.var(x, ddof=1) + np.var(y, ddof=1)) / 2))
    return max(1.06 * sigma * float(n ** (-1 / 5)), KDE_MIN_BANDWIDTH_M)


def density_grid(incidents: gpd.GeoDataFrame) -> tuple[np.ndarray, tuple[float, float, float, float], float]:
    """Return the KDE grid (rows north to south), its bounds (south, west, north, east) and the bandwidth (m)."""
    from scipy.ndimage import gaussian_filter

    placed = incidents[incidents.geometry.notna()]
    metric = placed.geometry.to_crs(settings.CRS_METRIC)
    h = silverman_bandwidth(metric.x.to_numpy(), metric.y.to_numpy())
    lat0 = float(placed.geometry.y.mean())
    dy, dx = KDE_CELL_M / 111_320.0, KDE_CELL_M / (111_320.0 * np.cos(np.radians(lat0)))
    pad = 3 * h / KDE_CELL_M
    west, south, east, north = placed.total_bounds
    west, east, south, north = west - pad * dx, east + pad * dx, south - pad * dy, north + pad * dy
    nx, ny = min(int((east - west) / dx) + 1, 600), min(int((north - south) / dy) + 1, 600)
    counts, _, _ = np.histogram2d(placed.geometry.y, placed.geometry.x, bins=[ny, nx], range=[[south, north], [west, east]])
    cell = max((east - west) / nx / dx, (north - south) / ny / dy) * KDE_CELL_M
    grid = gaussian_filter(counts, sigma=h / cell, mode="constant")
    return grid[::-1], (float(south), float(west), float(north), float(east)), h


def add_density(m: folium.Map, incidents: gpd.GeoDataFrame, lang: str) -> float:
    """Add the kernel density surface as an image overlay; return the bandwidth in metres."""
    from matplotlib import colormaps
    from matplotlib.image import imsave

    if incidents.geometry.notna().sum() < 2:
        return KDE_MIN_BANDWIDTH_M
    grid, (south, west, north, east), h = density_grid(incidents)
    scaled = grid / grid.max() if grid.max() > 0 else grid
    rgba = colormaps["inferno_r"](scaled)
    rgba[..., 3] = np.clip(scaled * 1.5, 0, 0.75)
    buffer = io.BytesIO()
    imsave(buffer, rgba, format="png")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    folium.raster_layers.ImageOverlay(url, bounds=[[south, west], [north, east]], name=t("inc_layer_kde", lang),
                                      interactive=False, zindex=2).add_to(m)
    return h


def add_incident_layer(m: folium.Map, incidents: gpd.GeoDataFrame | None, *, role: str | None, lang: str,
                       density: bool = False, cells: gpd.GeoDataFrame | None = None) -> float | None:
    """Add the incidents layer for ``role``: points (and the density surface if asked) or cells.

    ``cells`` are the public cells when already computed (the app caches them per data version;
    then ``incidents`` may be None for council and the public: their page never loads a point).
    Returns the density bandwidth in metres when the surface was drawn, else None.

    Raises
    ------
    ValueError
        If a role that sees points gets no incidents.
    """
    if not disclosure.sees_points(role):
        add_cells(m, incidents, lang, cells=cells)
        return None
    if incidents is None:
        raise ValueError("points need the incidents")
    bandwidth = add_density(m, incidents, lang) if density else None
    add_points(m, incidents, lang)
    return bandwidth
