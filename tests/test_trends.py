"""Trends: presence descriptions and the exact Mann-Kendall test, on hand-made series."""

from __future__ import annotations

import itertools
import random

import geopandas as gpd
import pytest
import shapely
from scipy.stats import kendalltau

from hotspots.plan import trends


@pytest.mark.parametrize("series,label", [
    ([0, 0, 0, 0, 0, 1], "only_latest"),
    ([0, 0, 1, 1, 1, 1], "unbroken_recent"),
    ([1, 1, 1, 1, 1, 1], "all_periods"),
    ([1, 0, 1, 0, 0, 1], "on_and_off"),
    ([1, 1, 1, 0, 0, 0], "not_in_latest"),
    ([0, 0, 0, 0, 0, 0], "never"),
])
def test_presence_descriptions(series: list[int], label: str) -> None:
    assert trends.presence_label(series) == label


def test_exact_p_with_ties_is_what_the_normal_approximation_overstates() -> None:
    test = trends.mann_kendall([1, 1, 1, 2, 2, 2])
    assert test.s == 9 and test.p_value == pytest.approx(0.1) and test.exact  # 2 of the 20 arrangements
    assert kendalltau(range(6), [1, 1, 1, 2, 2, 2]).pvalue < 0.05  # what the app used to claim
    assert trends.trend_label([1, 1, 1, 2, 2, 2]) == "not_testable"  # p < 0.05 cannot happen at all


@pytest.mark.parametrize("n,min_p", [(4, 2 / 24), (5, 2 / 120), (6, 2 / 720)])
def test_smallest_possible_p_for_n_periods(n: int, min_p: float) -> None:
    test = trends.mann_kendall(list(range(n)))  # the most extreme series of n distinct values
    assert test.p_value == pytest.approx(min_p) and test.min_p == pytest.approx(min_p)
    assert test.testable is (min_p < 0.05)
    assert trends.trend_label(list(range(n))) == ("not_testable" if n == 4 else "rising")
    assert trends.trend_label(list(range(n))[::-1]) == ("not_testable" if n == 4 else "falling")


def test_exact_p_equals_full_enumeration_on_random_series() -> None:
    rng = random.Random(3)
    for _ in range(40):
        x = [rng.randint(0, 3) for _ in range(rng.randint(2, 8))]
        s = trends.mk_statistic(x)
        arrangements = set(itertools.permutations(x))
        expected = sum(abs(trends.mk_statistic(p)) >= abs(s) for p in arrangements) / len(arrangements)
        assert trends.mann_kendall(x).p_value == pytest.approx(expected, abs=1e-12)


def test_long_series_fall_back_to_a_seeded_permutation_test(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trends, "EXACT_MAX_N", 5)
    monkeypatch.setattr(trends, "PERMUTATIONS", 2000)
    test = trends.mann_kendall([0, 1, 0, 2, 1, 3, 2, 4])
    assert not test.exact and test.p_value == trends.mann_kendall([0, 1, 0, 2, 1, 3, 2, 4]).p_value  # seeded
    monkeypatch.setattr(trends, "EXACT_MAX_N", 400)
    exact_p = trends.mann_kendall([0, 1, 0, 2, 1, 3, 2, 4]).p_value
    assert abs(test.p_value - exact_p) < 0.03


def test_long_series_are_exact_with_ties(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: 36 monthly z-scores get the exact p (q-multinomial), the same as the permutation count."""
    import math

    assert trends.mann_kendall(list(range(36))).p_value == pytest.approx(2 / math.factorial(36), rel=1e-12)
    series = [0, 1, 0, 2, 1, 3, 2, 4, 4, 1, 0, 5]
    exact = trends.mann_kendall(series)
    monkeypatch.setattr(trends, "EXACT_MAX_N", 5)
    monkeypatch.setattr(trends, "PERMUTATIONS", 20_000)
    sampled = trends.mann_kendall(series)
    assert exact.exact and not sampled.exact and abs(exact.p_value - sampled.p_value) < 0.01


def _obs(rows: list[tuple]) -> gpd.GeoDataFrame:
    p = shapely.Point(20.08, 41.11)
    return gpd.GeoDataFrame({"id": [r[0] for r in rows], "period": [r[1] for r in rows], "status": [r[2] for r in rows],
                             "unit": [r[3] for r in rows], "category": [r[4] if len(r) > 4 else "crime" for r in rows]},
                            geometry=[p] * len(rows), crs="EPSG:4326")


def test_tables_per_unit_and_category_from_observations() -> None:
    rows = [("A", "2022-H1", "active", 4), ("A", "2022-H2", "active", 4), ("A", "2023-H1", "active", 4),
            ("B", "2022-H1", "active", 1), ("B", "2022-H2", "resolved", 1), ("C", "2023-H1", "active", 4),
            ("K", "2022-H1", "active", 4, "street_children"), ("K", "2022-H2", "active", 4, "street_children"),
            ("K", "2023-H1", "active", 4, "street_children")]
    by_id = trends.hotspot_trends(_obs(rows)).set_index("id")
    assert by_id.loc["A", "label"] == "all_periods" and by_id.loc["A", "series"] == [1, 1, 1]
    assert by_id.loc["B", "label"] == "not_in_latest" and by_id.loc["C", "label"] == "only_latest"
    units = trends.unit_trends(_obs(rows)).set_index(["unit", "category"])
    assert units.loc[(4, "crime"), "series"] == [1, 1, 2]  # never added to the street-children count
    assert units.loc[(4, "street_children"), "series"] == [1, 1, 1]
    assert set(units["label"]) == {"not_testable"}  # three periods cannot reach p < 0.05


def test_periods_of_an_incomplete_review_are_not_counted() -> None:
    # 2022-H2 reviewed for A only: B not reviewed is not "absent", so 2022-H2 is left out
    rows = [("A", "2022-H1", "active", 4), ("B", "2022-H1", "active", 4), ("A", "2022-H2", "resolved", 4)]
    table = trends.unit_trends(_obs(rows))
    assert table["periods"].iloc[0] == ["2022-H1"] and table["incomplete_from"].iloc[0] == "2022-H2"
    spots = trends.hotspot_trends(_obs(rows)).set_index("id")
    assert spots.loc["A", "series"] == [1] and spots.loc["B", "label"] == "only_latest"
