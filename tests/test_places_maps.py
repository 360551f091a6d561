"""Map layers of issue 15: each layer switchable with its legend; every name escaped."""

from __future__ import annotations

import geopandas as gpd
import shapely

from hotspots.maps import builders as maps
from hotspots.places import coverage
from hotspots.places import maps as places_maps


HOSTILE = '<script>alert("x")</script>'


def _register() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "id": ["C-01", "C-02"], "name": [HOSTILE, "Sheshi"], "owner": ["police", "private"],
        "status": ["working", "broken"], "radius_m": [60.0, 40.0], "direction": [None, 90.0], "angle": [None, 60.0],
    }, geometry=[shapely.Point(20.0823, 41.1152), shapely.Point(20.0819, 41.1154)], crs=4326)


def test_camera_and_coverage_layers_escape_names_and_carry_their_legends() -> None:
    hotspots = gpd.GeoDataFrame({
        "id": ["H-1"], "name": [HOSTILE], "category": ["crime"], "unit": [3], "period": ["2022-H1"],
        "status": ["active"], "location_quality": ["landmark"],
    }, geometry=[shapely.Point(20.0823, 41.1150)], crs=4326)
    table = coverage.coverage(hotspots, _register(), period="2022-H1")
    m = maps.new_map()
    places_maps.add_coverage_layer(m, hotspots, table, "en")
    places_maps.add_cameras_layer(m, _register(), "en", show=False)
    places_maps.add_layer_control(m)
    page = m.get_root().render()
    assert HOSTILE not in page and "&lt;script&gt;" in page
    assert "https://" not in page.split("<body>")[0]
    assert page.count("MapControls.layerLegend(") == 2  # one legend per layer, shown while the layer is on
    assert "Cameras" in page and "Coverage of hot zones" in page and "L.control.layers" in page


def test_zones_and_schools_layers_render_with_legends() -> None:
    zones = gpd.GeoDataFrame({"admin_unit": ["Shirgjan"], "risk": ["high"], "years": ["2021"], "area_ha": [16.0]},
                             geometry=[shapely.box(20.0, 41.1, 20.01, 41.11)], crs=4326)
    schools = gpd.GeoDataFrame({"id": ["S-1"], "name": [HOSTILE], "activities": ["1.3.4"]},
                               geometry=[shapely.Point(20.089, 41.114)], crs=4326)
    m = maps.new_map()
    places_maps.add_zones_layer(m, zones, "sq")
    places_maps.add_schools_layer(m, schools, "sq")
    page = m.get_root().render()
    assert HOSTILE not in page
    assert "rrezik i lartë" in page and "Shkollat" in page
    assert "https://" not in page.split("<body>")[0]  # no plugin script or style from a CDN: the map works offline
    features = places_maps.camera_features(_register())
    assert [p["status"] for _, p in features] == ["working", "broken"]
    assert features[1][0].area < features[0][0].area / 4  # a 60° sector of 40 m vs a 60 m circle
