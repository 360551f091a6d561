"""Camera siting (issue 15): the MCLP optimum against the greedy choice, with known answers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots.base import settings
from hotspots.places import siting


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
    from hotspots.plan import units

    grid = siting.candidate_grid(units.city_unit(), spacing_m=200)
    city = gpd.GeoSeries([units.city_unit()], crs=4326).to_crs(settings.CRS_METRIC).iloc[0]
    assert 300 < len(grid) < 600  # ~17.4 km² / 0.04 km²
    assert bool(grid.within(city).all())


def _hotspots() -> gpd.GeoDataFrame:
    """Four active hot zones around (X0, Y0): an exact point, a landmark point, a 60 m square zone, a 60 m street."""
    shapes = [shapely.Point(X0, Y0), shapely.Point(X0 + 1000, Y0), shapely.box(X0, Y0 + 1000, X0 + 60, Y0 + 1060),
              shapely.LineString([(X0 + 1000, Y0 + 1000), (X0 + 1060, Y0 + 1000)])]
    return gpd.GeoDataFrame({
        "id": ["EXACT", "LANDMARK", "ZONE", "STREET"], "name": ["e", "l", "z", "s"], "category": ["crime"] * 4,
        "unit": [6] * 4, "period": ["2024-H1"] * 4, "status": ["active"] * 4,
        "location_quality": ["exact", "landmark", "exact", "exact"],
    }, geometry=gpd.GeoSeries(shapes, crs=settings.CRS_METRIC).to_crs(4326).to_numpy(), crs="EPSG:4326")


def _register(points: gpd.GeoSeries, radius: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"status": ["working"] * len(points), "radius_m": [radius] * len(points),
                             "direction": [None] * len(points), "angle": [None] * len(points)},
                            geometry=points.to_crs(4326).to_numpy(), crs="EPSG:4326")


@pytest.mark.parametrize("radius", [50.0, 160.0])
def test_a_site_said_to_cover_a_hotspot_makes_it_covered_once_a_camera_stands_there(radius: float) -> None:
    from hotspots.places import coverage

    hotspots = _hotspots()
    empty = _register(gpd.GeoSeries([], crs=settings.CRS_METRIC), radius)
    demand = siting.demand_weights(coverage.coverage(hotspots, empty, period="2024-H1"), hotspots)
    area = gpd.GeoSeries([shapely.box(X0 - 300, Y0 - 300, X0 + 1300, Y0 + 1300)], crs=settings.CRS_METRIC).to_crs(4326)[0]
    result = siting.site_cameras(demand, area, 4, radius_m=radius)
    for choice in (result.mclp, result.greedy):
        placed = _register(result.sites.iloc[list(choice.sites)], radius)
        after = coverage.coverage(hotspots, placed, period="2024-H1").set_index("id")["class"]
        claimed = {str(demand["id"].iloc[i]) for i in choice.covered}
        assert all(after[i] == "covered" for i in claimed), (radius, claimed, after.to_dict())
        assert set(after[after == "covered"].index) == claimed  # and no other
    out = {str(demand["id"].iloc[i]) for i in result.unreachable}
    if radius == 50:  # a 50 m camera sees 11 % of a 150 m landmark disc: out of reach, and said so
        assert out == {"LANDMARK"} and result.mclp.weight == 3.0
        words = siting.answer_text(siting.answer(result), "en")
        assert "1 hot zone cannot be covered by one 50 m camera" in words and "LANDMARK l" in words
        assert "LANDMARK" in siting.answer(result).unreachable["id"].tolist()
    else:  # 160 m: a camera at the landmark itself covers its disc
        assert out == set() and result.mclp.weight == 4.0


def test_points_no_site_of_the_grid_can_reach_are_listed() -> None:
    # a 100 m grid and a 50 m camera: a point in the middle of a grid square is 70.7 m from every site
    grid = _wgs([(x, y) for x in (0, 100, 200) for y in (0, 100, 200)]).to_crs(settings.CRS_METRIC)
    demand = pd.DataFrame({"id": ["mid", "on"], "name": ["", ""], "class": ["not", "not"],
                           "point": list(_wgs([(50, 50), (100, 110)])), "weight": [1.0, 1.0]})
    result = siting.site_cameras(demand, shapely.Point(0, 0), 2, radius_m=50, sites=grid)
    assert result.unreachable == (0,) and result.mclp.weight == 1.0
    assert "1 hot zone cannot be covered" in siting.answer_text(siting.answer(result), "en")
    assert "1 zonë e nxehtë nuk mund të mbulohet" in siting.answer_text(siting.answer(result), "sq")
    # with the hotspots' own points among the candidates (the default), both are reachable
    area = _wgs([(-100, -100)]).iloc[0].buffer(0.01)
    assert siting.site_cameras(demand, area, 2, radius_m=50).unreachable == ()
