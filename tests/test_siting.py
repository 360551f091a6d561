"""Camera siting (issue 15): the MCLP optimum against the greedy choice, with known answers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots import settings, siting

X0, Y0 = 423_500.0, 4_551_700.0


def _wgs(points: list[tuple[float, float]]) -> gpd.GeoSeries:
    return gpd.GeoSeries([shapely.Point(X0 + x, Y0 + y) for x, y in points], crs=settings.CRS_METRIC).to_crs(4326)


def _greedy_trap() -> tuple[pd.DataFrame, gpd.GeoSeries]:
    """Four hotspots 100 m apart on a line (weight 1) and a fifth (0.5) above the middle.

    Site M (x = 150) covers the two middle ones and the fifth: 2.5, the best single site;
    sites L (x = 50) and R (x = 250) cover two each. With two cameras greedy takes M, then
    L or R (+1): 3.5; the optimum is L + R: 4.
    """
    demand = pd.DataFrame({
        "id": ["a", "b", "c", "d", "e"], "name": list("abcde"), "class": ["not"] * 5,
        "point": list(_wgs([(0, 0), (100, 0), (200, 0), (300, 0), (150, 50)])),
        "weight": [1.0, 1.0, 1.0, 1.0, 0.5],
    })
    sites = _wgs([(50, 0), (150, 0), (250, 0)]).to_crs(settings.CRS_METRIC)
    return demand, sites


def test_the_mclp_optimum_beats_greedy_where_greedy_is_known_to_be_worse() -> None:
    demand, sites = _greedy_trap()
    result = siting.site_cameras(demand, shapely.Point(0, 0), 2, radius_m=60, sites=sites)
    assert result.greedy.sites == (0, 1) and result.greedy.weight == pytest.approx(3.5)
    assert result.mclp.sites == (0, 2) and result.mclp.weight == pytest.approx(4.0)
    assert result.mclp.optimal
    table = siting.sites_table(result, result.mclp)
    assert table["hotspots"].tolist() == ["a, b", "c, d"]


def test_with_one_camera_both_take_the_best_single_site() -> None:
    demand, sites = _greedy_trap()
    result = siting.site_cameras(demand, shapely.Point(0, 0), 1, radius_m=60, sites=sites)
    assert result.mclp.sites == result.greedy.sites == (1,)
    assert result.mclp.weight == result.greedy.weight == pytest.approx(2.5)


def test_covered_hotspots_and_zero_weights_attract_no_camera() -> None:
    demand, sites = _greedy_trap()
    demand.loc[demand["id"].isin(["a", "b"]), "class"] = "covered"
    demand.loc[demand["id"].isin(["a", "b"]), "weight"] = 0.0
    result = siting.site_cameras(demand, shapely.Point(0, 0), 2, radius_m=60, sites=sites)
    assert result.mclp.weight == pytest.approx(2.5)  # c + d (R) … and e with M? M covers b, c, e
    assert set(result.mclp.covered) == {2, 3, 4}


def test_mclp_is_never_worse_than_greedy_on_random_instances() -> None:
    rng = np.random.default_rng(7)
    for _ in range(5):
        matrix = rng.random((30, 25)) < 0.12
        weights = rng.integers(1, 6, 30).astype(float)
        best, quick = siting.solve_mclp(matrix, weights, 4), siting.greedy(matrix, weights, 4)
        assert best.optimal and best.weight >= quick.weight


def test_the_grid_lies_inside_the_city_unit() -> None:
    from hotspots import units

    grid = siting.candidate_grid(units.city_unit(), spacing_m=200)
    city = gpd.GeoSeries([units.city_unit()], crs=4326).to_crs(settings.CRS_METRIC).iloc[0]
    assert 300 < len(grid) < 600  # ~17.4 km² / 0.04 km²
    assert bool(grid.within(city).all())
