"""Displacement check (issue 14): Bowers & Johnson's WDQ on the planted displaced cluster and a plain fall."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
import shapely

from hotspots.evidence import displacement as dp
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.incidents import example, table
from hotspots.plan.store import Store

from .apptest import example_store


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, gpd.GeoDataFrame]:
    store = example_store(tmp_path_factory.mktemp("disp"))
    return store, table.read(store, dataset="example")


def test_the_planted_displaced_cluster_reads_as_displacement(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    lat, lon = example.PLANTED["displaced"].centres[0]  # it moves 300 m east after 2023-H2
    target = gpd.GeoSeries([shapely.Point(lon, lat)], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    check = dp.check_area(loaded[1], target.buffer(settings.INCIDENT_POINT_RADIUS_M), before="2023-H2",
                          after="2024-H1", offence="violence")
    assert check.target[0] >= 12 and check.target[1] <= 1 and check.buffer[1] >= check.buffer[0] + 10
    # Bowers & Johnson (2003): the WDQ is negative when crime moved into the buffer while the target fell
    assert check.success is not None and check.success < 0
    assert check.wdq is not None and check.wdq < 0 and check.reading == "displacement"
    assert "Displacement" in check.sentence("en") and "Zhvendosje" in check.sentence("sq")


def test_a_small_plain_fall_is_not_read_as_displacement(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    store, incidents = loaded
    observations = store.hotspots(dataset="example")
    # the castle (EX-1.7-05, the fading drugs cluster), resolved in 2024-H1: its own offence class.
    # 7 -> 3 against a steady rest of the city (23 -> 22) is within chance (exact p = 0.19): no success shown
    check = dp.check_hotspot(incidents, observations, "EX-1.7-05", before="2023-H2", after="2024-H1", offence="drugs")
    assert check.target == (7, 3) and check.buffer == (0, 0)
    assert check.reading == "no_success" and check.p_target == pytest.approx(0.1907, abs=1e-3), check
    rows = dp.resolved_checks(incidents, observations, "en")
    assert "EX-1.7-05" in {r["id"] for r in rows}


def _binom_cdf(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))


def test_wdq_known_answers() -> None:
    # displacement: zone 30 -> 10, ring 10 -> 30, control 200 -> 200: SM = -0.1, BDM = 0.1, WDQ = -1
    check = dp.weighted_displacement((30, 10), (10, 30), (200, 200))
    assert check.reading == "displacement" and check.wdq == pytest.approx(-1.0) and check.net_effect == pytest.approx(0.0)
    assert check.p_target == pytest.approx(_binom_cdf(10, 40, 0.5))  # exact: P(X <= 10), X ~ Bin(40, 1/2)
    assert check.p_buffer == pytest.approx(2 * _binom_cdf(10, 40, 0.5))  # symmetric: two-sided = twice one side
    # diffusion of benefits: the ring fell as the zone did
    diffusion = dp.weighted_displacement((30, 10), (30, 10), (200, 200))
    assert diffusion.reading == "diffusion" and diffusion.wdq == pytest.approx(1.0)
    # no effect: the ring stayed where the control stayed
    assert dp.weighted_displacement((30, 10), (20, 20), (200, 200)).reading == "no_effect"
    # too few: 3 -> 1 in the zone, 1 -> 3 in the ring was read as displacement (WDQ -1) before
    few = dp.weighted_displacement((3, 1), (1, 3), (100, 100))
    assert few.reading == "too_few" and few.wdq is None
    assert few.sentence("en").startswith("Too few incidents to read") and "3 → 1" in few.sentence("en")
    assert few.sentence("sq").startswith("Shumë pak incidente")
    # a rise in the zone is no success, whatever the ring did
    assert dp.weighted_displacement((5, 20), (10, 2), (100, 100)).reading == "no_success"
    big = dp.weighted_displacement((40, 10), (0, 40), (100, 100))
    assert big.wdq is not None and big.wdq < -1 and "More incidents moved" in big.sentence("en")


def test_the_words_are_relative_to_the_control_with_the_raw_counts() -> None:
    # 10 -> 10 while the city went 100 -> 200: better than the city (20 expected), but it did not "fall",
    # and 10 -> 10 against 13.3 expected on the zone's total is within chance (p = 0.092)
    level = dp.weighted_displacement((10, 10), (10, 20), (100, 200))
    assert level.reading == "no_success" and level.p_target == pytest.approx(_binom_cdf(10, 20, 2 / 3))
    words = level.sentence("en")
    assert "fell" not in words and "10 → 10" in words and "20 were expected" in words and "100 → 200" in words
    assert "relative to the rest of the city" in words.lower() and "p = 0.092" in words and "p = <" not in words
    # a ring that went 10 -> 20 while the city doubled changed as the city did: not "did not change", not "fell"
    ring = dp.weighted_displacement((40, 10), (10, 20), (100, 200))
    assert ring.reading == "no_effect" and ring.p_buffer == pytest.approx(1.0, abs=0.01)
    text = ring.sentence("en")
    assert "10 → 20" in text and "20 expected" in text and "changed as the city did" in text
    assert "fell" not in text and "did not change" not in text
    # a zone that went 10 -> 12 (city 100 -> 200): no "fell"
    rise = dp.weighted_displacement((10, 12), (5, 5), (100, 200))
    assert rise.reading == "no_success" and "fell" not in rise.sentence("en") and "10 → 12" in rise.sentence("en")
    for check in (level, ring, rise):
        assert "{" not in check.sentence("sq") and "qytetit" in check.sentence("sq")


def test_the_minimum_count_is_documented_and_enforced() -> None:
    n = settings.DISPLACEMENT_MIN_COUNT
    assert dp.weighted_displacement((n - 1, 0), (5, 5), (100, 100)).reading == "too_few"
    assert dp.weighted_displacement((n, 0), (5, 5), (100, 100)).reading != "too_few"
    assert str(n) in dp.weighted_displacement((1, 1), (1, 1), (100, 100)).sentence("en")


def test_unknown_hotspot_and_bad_period_are_refused(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    store, incidents = loaded
    with pytest.raises(HotspotError):
        dp.check_hotspot(incidents, store.hotspots(dataset="example"), "H-none", before="2023-H2", after="2024-H1")
    with pytest.raises(HotspotError):
        dp.check_hotspot(incidents, store.hotspots(dataset="example"), "EX-1.7-05", before="2023", after="2024-H1")
