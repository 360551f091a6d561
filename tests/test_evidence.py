"""Known answers of the evidence: concentration, forecast scores, CompStat's test, the Knox test, harm weights, disclosure."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots.evidence import hotspot_detection
from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.evidence import compstat, concentration, forecast, harm, near_repeat, service, shown


def test_concentration_curve_matches_the_hand_computed_one() -> None:
    # cells 4, 3, 2, 1 (10 incidents): the top quarter holds 4/10; half (5) is reached a third of the way along
    values = np.array([1, 3, 0, 4, 2, 0, 0, 0, 0, 0])  # ten cells, six of them empty: 10 % holds 40 %
    c = concentration.curve(values)
    assert c["incidents_share"].round(2).tolist() == [0.0, 0.4, 0.7, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert concentration.share_in_top(values, 10) == pytest.approx(0.4)
    assert concentration.share_in_top(values, 20) == pytest.approx(0.7)
    assert concentration.share_in_top(values, 5) == pytest.approx(0.2)  # half a cell: half of its 40 %
    assert concentration.area_holding(values) == pytest.approx(0.1 + 0.1 * (0.1 / 0.3))
    assert concentration.area_holding(np.zeros(4)) is None


def test_cell_totals_count_and_weigh_points_per_cell() -> None:
    grid = hotspot_detection.Grid(np.array([0, 1, 2]), np.array([0, 0, 0]), 100.0)
    pts = gpd.GeoSeries(shapely.points([50, 60, 150, 950], [50, 50, 50, 50]), crs=settings.CRS_METRIC)
    frame = gpd.GeoDataFrame({"offence": ["drugs", "theft", "theft", "theft"]}, geometry=pts.to_crs(settings.CRS_STORE))
    assert concentration.cell_totals(grid, frame).tolist() == [2.0, 1.0, 0.0]  # the fourth lies outside the grid
    table = harm.HarmTable({"drugs": 365.0, "theft": 90.0}, "test", example=True)
    weighted = concentration.cell_totals(grid, frame, harm.weights_for(frame, "harm", table))
    assert weighted.tolist() == [455.0, 90.0, 0.0]


def test_planted_forecast_has_the_known_pai_and_rri() -> None:
    city = shapely.box(0, 0, 1000, 1000)
    zone = shapely.box(0, 0, 100, 100)  # 1 % of the city
    inside = [[10 + i, 10 + i] for i in range(4)]
    after = np.array(inside + [[500 + 10 * i, 500] for i in range(6)], dtype=float)  # 4 of 10 inside
    before = np.array(inside[:2] + [[500 + 10 * i, 600] for i in range(8)], dtype=float)  # 2 of 10 inside
    got = forecast.score(zone, city, before, after)
    assert got == {"inside_before": 2, "inside": 4, "hit_rate": 0.4, "area_share": 0.01, "pai": 40.0, "rri": 2.0}
    assert forecast.score(shapely.Polygon(), city, before, after)["pai"] is None  # no zone: no PAI


def test_gi_stability_is_the_share_kept_and_jaccard() -> None:
    assert forecast.stability({"1:1", "1:2"}, {"1:1", "1:2"})["jaccard"] == 1.0
    assert forecast.stability(set(), set()) == {"hot_before": 0, "hot_after": 0, "kept": 0, "kept_share": None,
                                                "jaccard": None}


def test_compstat_four_to_six_is_chance_forty_to_sixty_is_not() -> None:
    small, large = compstat.two_counts(6, 4), compstat.two_counts(60, 40)
    assert small.change == large.change == 50.0
    assert small.reading == "chance" and small.p_mid == pytest.approx(0.5488, abs=1e-4)
    assert large.reading == "up" and large.p_mid == pytest.approx(0.0460, abs=1e-4)
    assert large.p_exact == pytest.approx(0.0569, abs=1e-4)  # the plain exact p is named beside the mid-p
    assert compstat.two_counts(40, 60).reading == "down"
    assert compstat.two_counts(0, 0).reading == "chance" and compstat.two_counts(3, 0).change is None


def test_compstat_table_compares_last_year_and_average() -> None:
    wide = pd.DataFrame({"unit": ["1"] * 5 + ["2"] * 5, "period": ["2022-H1", "2022-H2", "2023-H1", "2023-H2", "2024-H1"] * 2,
                         "total": [40, 40, 40, 40, 60, 4, 4, 4, 4, 6]})
    rows = compstat.table(wide, "2024-H1").set_index("unit")
    assert rows.loc["1", "last_reading"] == "up" and rows.loc["2", "last_reading"] == "chance"
    assert rows.loc["1", "year_base"] == 40 and rows.loc["1", "average_base"] == 40 and rows.loc["1", "average_total"] == 120
    assert rows.loc["1", "average_reading"] == "up"  # 60 against 120 over three periods
    assert compstat.base_periods("2024-01", "average") == ["2023-10", "2023-11", "2023-12"]


def _random_incidents(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 3000, (n, 2)), rng.integers(0, 365, n)


def test_knox_finds_a_planted_near_repeat_pattern_and_not_a_random_one() -> None:
    xy, days = _random_incidents(300, 1)
    random = near_repeat.knox(xy, days, seed=3)
    assert random.extent() is None and not random.raised[0, 0]
    rng = np.random.default_rng(2)
    seeds = rng.choice(len(xy), 60, replace=False)  # 60 incidents each followed by two within 40 m and 5 days
    near = np.repeat(xy[seeds], 2, axis=0) + rng.uniform(-20, 20, (120, 2))
    later = np.repeat(days[seeds], 2) + rng.integers(1, 6, 120)
    planted = near_repeat.knox(np.vstack([xy, near]), np.r_[days, later], seed=3)
    assert planted.raised[0, 0] and planted.ratio[0, 0] > 5 and planted.p[0, 0] == pytest.approx(1 / 1000)
    assert planted.extent() == (100.0, 7)
    again = near_repeat.knox(np.vstack([xy, near]), np.r_[days, later], seed=3)
    assert np.array_equal(again.p, planted.p)  # seeded: the same answer every time


def test_knox_bands_and_sentence() -> None:
    assert near_repeat.bands(np.array([0, 100, 101, 200, 201]), 100).tolist() == [0, 0, 1, 1, 2]
    xy, days = _random_incidents(300, 1)
    rng = np.random.default_rng(2)
    seeds = rng.choice(len(xy), 60, replace=False)
    frame = near_repeat.knox(np.vstack([xy, np.repeat(xy[seeds], 2, axis=0) + rng.uniform(-20, 20, (120, 2))]),
                             np.r_[days, np.repeat(days[seeds], 2) + rng.integers(1, 6, 120)], seed=3).frame()
    frame = frame.assign(period="2023-H2", offence="theft", permutations=999, seed=3)
    text = service.near_repeat_sentence(frame, "en")
    assert text.startswith("Theft, 2023-H2: after an incident, the risk within 100 m stays raised for 7 days")


def test_harm_table_is_labelled_example_and_checked() -> None:
    table = harm.load()
    assert table.example and table.weights["drugs"] > table.weights["theft"]
    assert "EXAMPLE" in service.measure_label("harm", "en") and "SHEMBULL" in service.measure_label("harm", "sq")
    with pytest.raises(ValidationError):
        harm.parse({"classes": {"theft": {"weight": -1}}})
    with pytest.raises(ValueError, match="measure"):
        harm.weights_for(pd.DataFrame({"offence": ["theft"]}), "days")


def test_shown_withholds_small_counts_and_the_shares_that_give_them_away() -> None:
    assert list(shown.counts(pd.Series([0, 1, 4, 5]), "public")) == ["0", "<5", "<5", "5"]
    table = pd.DataFrame({"inside": [3, 12, 0], "hit_rate": [0.3, 0.12, 0.0]})
    assert shown.ratios(table, ["hit_rate"], "inside", "council")["hit_rate"].tolist() == [None, 0.12, 0.0]
    assert shown.ratios(table, ["hit_rate"], "inside", "analyst")["hit_rate"].tolist() == [0.3, 0.12, 0.0]


def test_whole_periods_only() -> None:
    assert service.whole_period("2023-Q3") == "2023-Q3"
    with pytest.raises(ValidationError):
        service.whole_period("half")
    assert forecast.next_period("2023-H2") == "2024-H1" and service.previous_period("2024-01") == "2023-12"


def test_area_holding_half_is_withheld_only_when_half_is_a_small_count() -> None:
    frame = pd.DataFrame({"incidents": [130, 8, 10], "area_for_half": [0.03, 0.01, 0.02]})
    got = shown.shares_of(frame, ["area_for_half"], "incidents", "council", held=0.5)["area_for_half"].tolist()
    assert got == [0.03, None, 0.02]  # 4 of 8 would be a count of 1-4; 5 of 10 is not


def test_compstat_sentence_reads_a_withheld_p_as_a_dash() -> None:
    row = {"unit": "1", "period": "2024-H1", "now": "37", "last_change": None, "last_p": None, "last_reading": "up",
           "year_change": 20.0, "year_p": 0.3, "year_reading": "chance", "average_change": 10.0, "average_p": 0.5,
           "average_reading": "chance"}
    assert service.compstat_sentences(pd.DataFrame([row]), "en") == [
        "Unit no. 1, 2024-H1: up – on the last period — more than chance (conditional binomial test, mid-p –)."]
