"""The incident map layer: points only for analysts, cells for others, a KDE peaking on a cluster."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.incidents import maps as incident_maps
from hotspots.maps import builders as maps
from hotspots.base import settings


def cluster(n: int = 60, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    centre = gpd.GeoSeries([shapely.Point(20.0800, 41.1130)], crs="EPSG:4326").to_crs(settings.CRS_METRIC).iloc[0]
    pts = gpd.GeoSeries(gpd.points_from_xy(centre.x + rng.normal(0, 40, n), centre.y + rng.normal(0, 40, n)),
                        crs=settings.CRS_METRIC).to_crs("EPSG:4326")
    frame = pd.DataFrame({"occurred_on": "2023-05-17", "offence": "drugs", "reference": "SECRET-REF"}, index=range(n))
    return gpd.GeoDataFrame(frame, geometry=pts.to_numpy(), crs="EPSG:4326")


def test_silverman_bandwidth_rule() -> None:
    x, y = np.array([0.0, 100.0, 200.0, 300.0]), np.array([0.0, 0.0, 0.0, 0.0])
    sigma = np.sqrt((np.var(x, ddof=1) + 0.0) / 2)
    assert incident_maps.silverman_bandwidth(x * 100, y) == 1.06 * sigma * 100 * 4 ** (-1 / 5)
    assert incident_maps.silverman_bandwidth(x, y) == incident_maps.KDE_MIN_BANDWIDTH_M


def test_density_peaks_on_the_cluster_and_roles_get_their_layer() -> None:
    inc = cluster()
    grid, (south, west, north, east), h = incident_maps.density_grid(inc)
    row, col = np.unravel_index(np.argmax(grid), grid.shape)
    lat = north - (row + 0.5) * (north - south) / grid.shape[0]
    lon = west + (col + 0.5) * (east - west) / grid.shape[1]
    assert abs(lat - 41.1130) * 111_320 < 60 and abs(lon - 20.0800) * 84_000 < 60
    analyst = maps.new_map()
    assert incident_maps.add_incident_layer(analyst, inc, role="analyst", lang="en", density=True) == h
    html = analyst.get_root().render()
    assert "CellLayers.incidentPoints(" in html and "data:image/png;base64" in html and "SECRET-REF" not in html
    council = maps.new_map()
    assert incident_maps.add_incident_layer(council, inc, role="council", lang="en", density=True) is None
    html = council.get_root().render()
    assert "CellLayers.incidentCells(" in html and "CellLayers.incidentPoints(" not in html and "data:image/png" not in html
    assert '"Point"' not in html and "SECRET-REF" not in html
