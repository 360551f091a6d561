"""Known-answer tests of the movement classifier, built by hand in UTM 34N."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from hotspots import movement, settings

X0, Y0 = 424000.0, 4551000.0  # central Elbasan in EPSG:32634


def _frame(rows: list[tuple[str, shapely.Geometry | None, str]]) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(
        {"id": [r[0] for r in rows], "status": [r[2] for r in rows], "unit": 6, "category": "crime"},
        geometry=[r[1] for r in rows], crs=settings.CRS_METRIC)
    return gdf.to_crs(settings.CRS_STORE)


def _by_id(result) -> dict:
    return {r["id"]: r for _, r in result.iterrows()}


def ne(distance: float) -> tuple[float, float]:
    return X0 + distance * math.sin(math.radians(45)), Y0 + distance * math.cos(math.radians(45))


def test_moved_350_m_north_east() -> None:
    a = _frame([("H1", shapely.Point(X0, Y0), "active")])
    b = _frame([("H1", shapely.Point(*ne(350)), "active")])
    r = _by_id(movement.classify(a, b))["H1"]
    assert r["class"] == "moved" and abs(r["distance_m"] - 350) < 1 and r["direction"] == "NE"


def test_within_persistence_distance_is_persistent() -> None:
    a = _frame([("H1", shapely.Point(X0, Y0), "active")])
    b = _frame([("H1", shapely.Point(X0 + 60, Y0 - 40), "active")])
    assert _by_id(movement.classify(a, b))["H1"]["class"] == "persistent"


def test_removed_or_recorded_resolved_reads_as_resolved_and_new_as_new() -> None:
    a = _frame([("H1", shapely.Point(X0, Y0), "active"), ("H2", shapely.Point(X0 + 3000, Y0), "active")])
    b = _frame([("H2", shapely.Point(X0 + 3000, Y0), "resolved"), ("H3", shapely.Point(X0 - 3000, Y0), "active")])
    r = _by_id(movement.classify(a, b))
    assert (r["H1"]["class"], r["H2"]["class"], r["H3"]["class"]) == ("resolved", "resolved", "new")


def test_hotspots_without_identity_are_matched_one_to_one() -> None:
    a = _frame([("A1", shapely.Point(X0, Y0), "active"), ("A2", shapely.Point(X0 + 300, Y0), "active")])
    b = _frame([("B1", shapely.Point(X0 + 200, Y0), "active"), ("B2", shapely.Point(X0 - 250, Y0), "active")])
    r = _by_id(movement.classify(a, b, persist_m=50))
    assert (r["B1"]["matched_from"], r["B2"]["matched_from"]) == ("A2", "A1")
    assert r["B2"]["class"] == "moved" and r["B2"]["direction"] == "W" and abs(r["B2"]["distance_m"] - 250) < 1
    assert "A1" not in r and "A2" not in r  # consumed by the matches, not reported as resolved


def test_optimal_matching_beats_greedy_on_a_chain() -> None:
    # A: 0, 100; B: 60, 170 (max 100 m). Greedy (shortest first): A1-B0 (40) then A0 has B1 at 170 > 100 -> 1 pair.
    # Optimal: A0-B0 (60), A1-B1 (70) -> 2 pairs.
    pairs = movement.match_points(np.array([[0.0, 0], [100, 0]]), np.array([[60.0, 0], [170, 0]]), max_distance=100)
    assert sorted((i, j) for i, j, _ in pairs) == [(0, 0), (1, 1)]


def test_split_and_merge() -> None:
    a = _frame([("S", shapely.Point(X0, Y0), "active")])
    b = _frame([("S", shapely.Point(X0, Y0), "active"), ("S2", shapely.Point(X0 + 200, Y0), "active")])
    assert movement.events(movement.classify(a, b)) == ["split:S->S+S2"]
    a = _frame([("M1", shapely.Point(X0, Y0), "active"), ("M2", shapely.Point(X0 + 200, Y0), "active")])
    b = _frame([("M1", shapely.Point(X0 + 100, Y0), "active"), ("M2", shapely.Point(X0 + 200, Y0), "resolved")])
    result = movement.classify(a, b)
    assert movement.events(result) == ["merge:M1+M2->M1"]
    assert _by_id(result)["M2"]["class"] == "resolved"


def test_lines_and_zones_compare_by_representative_point_and_overlap() -> None:
    street = shapely.LineString([(X0, Y0), (X0 + 600, Y0)])
    same_street_longer = shapely.LineString([(X0 + 100, Y0), (X0 + 900, Y0)])  # midpoint 200 m away, overlapping
    other_street = shapely.LineString([(X0, Y0 + 700), (X0 + 600, Y0 + 700)])
    zone = shapely.Point(X0, Y0).buffer(150)
    zone_moved = shapely.Point(X0 - 400, Y0).buffer(150)  # 400 m west, no overlap
    a = _frame([("L1", street, "active"), ("L2", street, "active"), ("Z1", zone, "active")])
    b = _frame([("L1", same_street_longer, "active"), ("L2", other_street, "active"), ("Z1", zone_moved, "active")])
    r = _by_id(movement.classify(a, b))
    assert r["L1"]["class"] == "persistent" and r["L1"]["overlap"] > 0.3
    assert r["L2"]["class"] == "moved" and r["L2"]["direction"] == "N" and abs(r["L2"]["distance_m"] - 700) < 1
    assert r["Z1"]["class"] == "moved" and r["Z1"]["direction"] == "W" and abs(r["Z1"]["distance_m"] - 400) < 1


def test_unit_summary_and_sentence() -> None:
    a = _frame([("H1", shapely.Point(X0, Y0), "active"), ("H2", shapely.Point(X0 + 3000, Y0), "active")])
    b = _frame([("H1", shapely.Point(*ne(350)), "active"), ("H2", shapely.Point(X0 + 3000, Y0), "resolved")])
    result = movement.classify(a, b)
    table = movement.summarise_units(result, a, b).set_index("unit")
    assert table.loc[6].to_dict() == {"before": 2, "after": 1, "new": 0, "persistent": 0, "moved": 1, "resolved": 1}
    assert movement.unit_sentence(6, result, "en") == "Unit no. 6: 1 hotspot moved 350 m NE, 1 resolved"
    assert movement.unit_sentence(6, result, "sq").startswith("Lagjja nr. 6: 1 hotspot u zhvendos 350 m VL")


@pytest.mark.parametrize("bearing,name", [(0, "N"), (44, "NE"), (90, "E"), (135, "SE"), (181, "S"), (225, "SW"), (270, "W"), (315, "NW"), (359, "N")])
def test_compass(bearing: float, name: str) -> None:
    assert movement.compass(bearing) == name


@pytest.mark.parametrize("seed", range(5))
def test_sparse_matching_equals_the_dense_optimum(seed: int) -> None:
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(seed)
    a = rng.uniform(0, 1500, (40, 2))
    b = np.vstack([a[:30] + rng.normal(0, 120, (30, 2)), rng.uniform(0, 1500, (12, 2))])
    radius, penalty = 300.0, 301.0
    # dense reference: every pair, plus an "unmatched" option per point
    d = np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])
    big = 1e9
    n_a, n_b = len(a), len(b)
    cost = np.full((n_a + n_b, n_b + n_a), big)
    cost[:n_a, :n_b] = np.where(d <= radius, d, big)
    cost[:n_a, n_b:] = np.where(np.eye(n_a) == 1, penalty, big)
    cost[n_a:, :n_b] = np.where(np.eye(n_b) == 1, penalty, big)
    cost[n_a:, n_b:] = np.where(d.T <= radius, 0.0, big)
    r, c = linear_sum_assignment(cost)
    dense = sum(cost[i, j] for i, j in zip(r, c))
    pairs = movement.match_points(a, b, max_distance=radius)
    sparse = sum(x[2] for x in pairs) + penalty * ((n_a - len(pairs)) + (n_b - len(pairs)))
    assert sparse == pytest.approx(dense, abs=1e-3)
