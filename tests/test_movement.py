"""Known-answer tests of the movement classifier, built by hand in UTM 34N."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots.plan import movement
from hotspots.base import settings

X0, Y0 = 424000.0, 4551000.0  # central Elbasan in EPSG:32634


def _obs(rows: list[tuple], *, quality: str = "exact") -> gpd.GeoDataFrame:
    """Observations from (id, period, geometry in UTM, status[, category[, quality]]) tuples."""
    full = [(*r, *("crime", quality)[len(r) - 4:]) for r in rows]
    gdf = gpd.GeoDataFrame(
        {"id": [r[0] for r in full], "period": [r[1] for r in full], "status": [r[3] for r in full], "unit": 6,
         "category": [r[4] for r in full], "location_quality": [r[5] for r in full]},
        geometry=[r[2] for r in full], crs=settings.CRS_METRIC)
    return gdf.to_crs(settings.CRS_STORE)


A, B = "2022-H1", "2022-H2"


def _classify(rows: list[tuple], a: str = A, b: str = B, **kw) -> dict:
    return _by_id(movement.classify(_obs(rows, **kw), a, b))


def _by_id(result) -> dict:
    return {r["id"]: r for _, r in result.iterrows()}


def ne(distance: float) -> tuple[float, float]:
    return X0 + distance * math.sin(math.radians(45)), Y0 + distance * math.cos(math.radians(45))


P0 = shapely.Point(X0, Y0)


def test_moved_350_m_north_east() -> None:
    r = _classify([("H1", A, P0, "active"), ("H1", B, shapely.Point(*ne(350)), "active")])["H1"]
    assert r["class"] == "moved" and abs(r["distance_m"] - 350) < 1 and r["direction"] == "NE"
    assert r["recorded_in"] == B and pd.isna(r["event"])


def test_within_persistence_distance_is_persistent() -> None:
    r = _classify([("H1", A, P0, "active"), ("H1", B, shapely.Point(X0 + 60, Y0 - 40), "active")])
    assert r["H1"]["class"] == "persistent"


def test_resolved_removed_and_new_are_each_what_was_recorded() -> None:
    r = _classify([("H1", A, P0, "active"), ("H1", B, P0, "resolved"),
                   ("H2", A, shapely.Point(X0 + 3000, Y0), "active"), ("H2", B, shapely.Point(X0 + 3000, Y0), "removed"),
                   ("H3", B, shapely.Point(X0 - 3000, Y0), "active")])
    assert (r["H1"]["class"], r["H2"]["class"], r["H3"]["class"]) == ("resolved", "removed", "new")


def test_nothing_recorded_is_not_reviewed_never_resolved() -> None:
    r = _classify([("H1", A, P0, "active"), ("H2", A, None, "active"), ("H3", A, P0, "resolved"),
                   ("H4", A, shapely.Point(X0 + 900, Y0), "active"), ("H4", B, shapely.Point(X0 + 900, Y0), "active")])
    assert (r["H1"]["class"], r["H2"]["class"]) == ("not_reviewed", "not_reviewed")  # located or not
    assert "H3" not in r  # resolved before A: not part of this review
    assert r["H4"]["class"] == "persistent"
    assert not any(row["class"] == "resolved" for row in r.values())


def test_ended_between_the_two_periods_counts_as_recorded_then() -> None:
    r = _classify([("H1", A, P0, "active"), ("H1", "2022-H2", P0, "resolved")], a=A, b="2023-H2")
    assert r["H1"]["class"] == "resolved" and r["H1"]["recorded_in"] == "2022-H2"


def test_movement_never_crosses_categories() -> None:
    # a street-children spot resolved, a crime spot new 50 m away: two facts, no event linking them
    r = _classify([("SC", A, P0, "active", "street_children"), ("SC", B, P0, "resolved", "street_children"),
                   ("CR", B, shapely.Point(X0 + 50, Y0), "active", "crime")])
    assert r["SC"]["class"] == "resolved" and r["CR"]["class"] == "new"
    assert pd.isna(r["SC"]["event"]) and pd.isna(r["CR"]["event"])


def test_resolved_then_active_again_keeps_its_identity_across_a_gap() -> None:
    near = shapely.Point(X0 + 80, Y0)
    rows = [("X", "2022-H1", P0, "active"), ("X", "2022-H2", P0, "resolved"), ("X", "2023-H2", P0, "active"),
            ("Y", "2022-H1", near, "active"), ("Y", "2022-H2", near, "resolved"), ("Y", "2023-H1", near, "resolved")]
    r = _classify(rows, a="2023-H1", b="2023-H2")
    assert r["X"]["class"] == "reappeared" and pd.isna(r["X"]["event"])
    assert "Y" not in r  # still resolved, not matched to X
    r = _classify(rows, a="2022-H2", b="2023-H2")
    assert r["X"]["class"] == "reappeared"


def test_events_only_from_what_identity_leaves_unlinked_and_never_contradict_it() -> None:
    e1, e2 = P0, shapely.Point(X0 + 300, Y0)
    f1, f2 = shapely.Point(X0 + 150, Y0), shapely.Point(X0 + 500, Y0)
    rows = [("E1", A, e1, "active"), ("E1", B, e1, "resolved"), ("E2", A, e2, "active"), ("E2", B, e2, "resolved"),
            ("F1", B, f1, "active"), ("F2", B, f2, "active"),
            # M moves by identity; N ends beside M's new place; S is new beside M's old place
            ("M", A, shapely.Point(X0, Y0 + 3000), "active"), ("M", B, shapely.Point(X0 + 400, Y0 + 3000), "active"),
            ("N", A, shapely.Point(X0 + 450, Y0 + 3000), "active"), ("N", B, shapely.Point(X0 + 450, Y0 + 3000), "resolved"),
            ("S", B, shapely.Point(X0 - 100, Y0 + 3000), "active")]
    r = _classify(rows)
    # one-to-one shifts (optimal: E1-F1 150 m + E2-F2 200 m), no merge of E1+E2 into F1
    assert {(h, r[h]["event"], r[h]["related"]) for h in ("E1", "E2", "F1", "F2")} == {
        ("E1", "shift", "F1"), ("F1", "shift", "E1"), ("E2", "shift", "F2"), ("F2", "shift", "E2")}
    assert abs(r["F2"]["related_distance_m"] - 200) < 1 and r["F2"]["related_direction"] == "E"
    assert r["M"]["class"] == "moved" and pd.isna(r["M"]["event"])  # identity rows carry no event
    assert (r["N"]["event"], r["N"]["related"]) == ("merge", "M")
    assert (r["S"]["event"], r["S"]["related"]) == ("split", "M")
    assert r["N"]["class"] == "resolved" and r["S"]["class"] == "new"  # events never change a class


def test_a_move_within_the_old_locations_uncertainty_is_located_more_precisely() -> None:
    zone = P0.buffer(200)  # an approximate 200 m zone, refined to an exact point 250 m away
    r = _classify([("Z", A, zone, "active", "crime", "approximate"), ("Z", B, shapely.Point(X0, Y0 - 250), "active")])
    assert r["Z"]["class"] == "refined" and pd.isna(r["Z"]["direction"])
    inside = _classify([("Z", A, zone, "active", "crime", "exact"), ("Z", B, shapely.Point(X0 + 180, Y0), "active")])
    assert inside["Z"]["class"] == "refined"  # a zone contains its own points, whatever its grade
    exact = _classify([("P", A, P0, "active"), ("P", B, shapely.Point(X0, Y0 - 250), "active")])
    assert exact["P"]["class"] == "moved" and exact["P"]["direction"] == "S"
    landmark = _classify([("L", A, P0, "active", "crime", "landmark"), ("L", B, shapely.Point(X0 + 350, Y0), "active")])
    assert landmark["L"]["class"] == "moved"  # beyond the landmark's 150 m


@pytest.mark.parametrize("a,b", [(B, B), (B, A)])
def test_same_or_reversed_periods_are_refused(a: str, b: str) -> None:
    with pytest.raises(ValueError, match="must come before"):
        movement.classify(_obs([("H1", A, P0, "active")]), a, b)


def test_optimal_matching_beats_greedy_on_a_chain() -> None:
    # A: 0, 100; B: 60, 170 (max 100 m). Greedy (shortest first): A1-B0 (40) then A0 has B1 at 170 > 100 -> 1 pair.
    # Optimal: A0-B0 (60), A1-B1 (70) -> 2 pairs.
    pairs = movement.match_points(np.array([[0.0, 0], [100, 0]]), np.array([[60.0, 0], [170, 0]]), max_distance=100)
    assert sorted((i, j) for i, j, _ in pairs) == [(0, 0), (1, 1)]


def test_lines_and_zones_compare_by_representative_point_and_overlap() -> None:
    street = shapely.LineString([(X0, Y0), (X0 + 600, Y0)])
    same_street_longer = shapely.LineString([(X0 + 100, Y0), (X0 + 900, Y0)])  # midpoint 200 m away, overlapping
    other_street = shapely.LineString([(X0, Y0 + 700), (X0 + 600, Y0 + 700)])
    zone = shapely.Point(X0, Y0).buffer(150)
    zone_moved = shapely.Point(X0 - 400, Y0).buffer(150)  # 400 m west, no overlap
    r = _classify([("L1", A, street, "active"), ("L2", A, street, "active"), ("Z1", A, zone, "active"),
                   ("L1", B, same_street_longer, "active"), ("L2", B, other_street, "active"), ("Z1", B, zone_moved, "active")])
    assert r["L1"]["class"] == "persistent" and r["L1"]["overlap"] > 0.3
    assert r["L2"]["class"] == "moved" and r["L2"]["direction"] == "N" and abs(r["L2"]["distance_m"] - 700) < 1
    assert r["Z1"]["class"] == "moved" and r["Z1"]["direction"] == "W" and abs(r["Z1"]["distance_m"] - 400) < 1


def test_unit_summary_per_category_and_sentence() -> None:
    rows = [("H1", A, P0, "active"), ("H1", B, shapely.Point(*ne(350)), "active"),
            ("H2", A, shapely.Point(X0 + 3000, Y0), "active"), ("H2", B, shapely.Point(X0 + 3000, Y0), "resolved"),
            ("H3", A, shapely.Point(X0 - 3000, Y0), "active"),
            ("K1", A, P0, "active", "street_children"), ("K1", B, P0, "active", "street_children")]
    result = movement.classify(_obs(rows), A, B)
    crime = movement.summarise_units(result, category="crime").set_index("unit")
    assert crime.loc[6].to_dict() == {"before": 3, "after": 1, "new": 0, "persistent": 0, "moved": 1, "refined": 0,
                                      "reappeared": 0, "resolved": 1, "removed": 0, "not_reviewed": 1}
    assert movement.summarise_units(result, category="street_children").set_index("unit").loc[6, "before"] == 1
    assert movement.unit_sentence(6, result, "en", category="crime") == (
        "Unit no. 6: 1 hotspot moved 350 m to the north-east, 1 resolved, 1 not yet reviewed")
    assert movement.unit_sentence(6, result, "sq", category="crime").startswith(
        "Lagjja nr. 6: 1 hotspot u zhvendos 350 m në verilindje, 1 u zgjidh, 1 ende pa rishikuar")


def test_completeness_names_what_is_left() -> None:
    obs = _obs([("H1", A, P0, "active"), ("H2", A, P0, "active"), ("H3", A, P0, "resolved"), ("H1", B, P0, "active")])
    done = movement.completeness(obs, B)
    assert (done.due, done.reviewed, done.not_reviewed, done.complete) == (("H1", "H2"), ("H1",), ("H2",), False)
    assert movement.completeness(obs, "2023-H1").due == ("H1", "H2")  # H2 still carried: its last record is active


@pytest.mark.parametrize("bearing,name", [(0, "N"), (44, "NE"), (90, "E"), (135, "SE"), (181, "S"), (225, "SW"), (270, "W"),
                                          (315, "NW"), (359, "N")])
def test_compass(bearing: float, name: str) -> None:
    assert movement.compass(bearing) == name


def _dense_optimum(a: np.ndarray, b: np.ndarray, radius: float) -> float:
    """Return the least total cost by a dense solver: every pair, plus an "unmatched" option per point."""
    from scipy.optimize import linear_sum_assignment

    penalty, big = radius + 1.0, 1e9
    d = np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])
    n_a, n_b = len(a), len(b)
    cost = np.full((n_a + n_b, n_b + n_a), big)
    cost[:n_a, :n_b] = np.where(d <= radius, d, big)
    cost[:n_a, n_b:] = np.where(np.eye(n_a) == 1, penalty, big)
    cost[n_a:, :n_b] = np.where(np.eye(n_b) == 1, penalty, big)
    cost[n_a:, n_b:] = np.where(d.T <= radius, 0.0, big)
    r, c = linear_sum_assignment(cost)
    return float(sum(cost[i, j] for i, j in zip(r, c, strict=True)))


def _cost(pairs: list[tuple[int, int, float]], n_a: int, n_b: int, radius: float) -> float:
    return sum(x[2] for x in pairs) + (radius + 1.0) * ((n_a - len(pairs)) + (n_b - len(pairs)))


@pytest.mark.parametrize("seed", range(5))
def test_sparse_matching_equals_the_dense_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.uniform(0, 1500, (40, 2))
    b = np.vstack([a[:30] + rng.normal(0, 120, (30, 2)), rng.uniform(0, 1500, (12, 2))])
    pairs = movement.match_points(a, b, max_distance=300.0)
    assert _cost(pairs, len(a), len(b), 300.0) == pytest.approx(_dense_optimum(a, b, 300.0), abs=1e-3)


def test_an_optimal_partner_beyond_the_eight_nearest_is_still_found() -> None:
    # A0 at the origin, B9 400 m east; eight coincident pairs 250 m from both (1 m apart). They are the
    # 8 nearest of A0 and of B9, so a matcher keeping 8 candidates never sees A0-B9 and pays 250 + 250
    # (A0 to a cluster point, its partner to B9): 500 m. The optimum: the pairs at 0 m and A0-B9, 400 m.
    cluster = np.array([[200.0 + k, 150.0] for k in range(8)])
    a = np.vstack([[[0.0, 0.0]], cluster])
    b = np.vstack([cluster, [[400.0, 0.0]]])
    pairs = movement.match_points(a, b, max_distance=500.0)
    assert (0, 8, 400.0) in pairs and len(pairs) == 9
    assert sum(p[2] for p in pairs) == pytest.approx(400.0)
    assert _cost(pairs, 9, 9, 500.0) == pytest.approx(_dense_optimum(a, b, 500.0), abs=1e-6)


def test_dense_random_sets_match_the_dense_optimum() -> None:
    rng = np.random.default_rng(22)
    for _ in range(120):
        n_a, n_b = rng.integers(5, 25, 2)
        a = rng.uniform(0, 700, (n_a, 2))  # dense: many more than 8 partners within 500 m
        b = rng.uniform(0, 700, (n_b, 2))
        pairs = movement.match_points(a, b, max_distance=500.0)
        assert len({i for i, _, _ in pairs}) == len({j for _, j, _ in pairs}) == len(pairs)
        assert all(d <= 500.0 for _, _, d in pairs)
        assert _cost(pairs, n_a, n_b, 500.0) == pytest.approx(_dense_optimum(a, b, 500.0), abs=1e-3)
