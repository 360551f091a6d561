"""Displacement check (issue 14): Bowers & Johnson's WDQ on the planted displaced cluster and a plain fall."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from hotspots import displacement as dp
from hotspots import settings
from hotspots.errors import HotspotError
from hotspots.incidents import example, table
from hotspots.store import Store

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


def test_a_plain_fall_reads_as_no_effect_or_diffusion(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    store, incidents = loaded
    observations = store.hotspots(dataset="example")
    # the castle (EX-1.7-05, the fading drugs cluster), resolved in 2024-H1: its own offence class
    check = dp.check_hotspot(incidents, observations, "EX-1.7-05", before="2023-H2", after="2024-H1", offence="drugs")
    assert check.target[1] < check.target[0]
    assert check.reading in ("no_effect", "diffusion"), check
    rows = dp.resolved_checks(incidents, observations, "en")
    assert "EX-1.7-05" in {r["id"] for r in rows}


def test_wdq_known_answers() -> None:
    # target 20 -> 5, buffer 10 -> 20, control 100 -> 100: SM = -0.15, BDM = 0.10, WDQ = -0.667
    check = dp.weighted_displacement((20, 5), (10, 20), (100, 100))
    assert check.wdq == pytest.approx(-2 / 3) and check.net_effect == pytest.approx(5.0)
    assert dp.weighted_displacement((20, 5), (10, 10), (100, 100)).reading == "no_effect"
    assert dp.weighted_displacement((20, 5), (10, 2), (100, 100)).reading == "diffusion"
    assert dp.weighted_displacement((5, 20), (10, 2), (100, 100)).reading == "no_success"
    big = dp.weighted_displacement((20, 10), (0, 30), (100, 100))
    assert big.wdq is not None and big.wdq < -1 and "More incidents moved" in big.sentence("en")


def test_unknown_hotspot_and_bad_period_are_refused(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    store, incidents = loaded
    with pytest.raises(HotspotError):
        dp.check_hotspot(incidents, store.hotspots(dataset="example"), "H-none", before="2023-H2", after="2024-H1")
    with pytest.raises(HotspotError):
        dp.check_hotspot(incidents, store.hotspots(dataset="example"), "EX-1.7-05", before="2023", after="2024-H1")
