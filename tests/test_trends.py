"""Trend labels on hand-made series, one per label."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from hotspots import trends


@pytest.mark.parametrize("series,label", [
    ([0, 0, 0, 0, 0, 1], "new"),
    ([0, 0, 1, 1, 1, 1], "consecutive"),
    ([1, 1, 1, 1, 1, 1], "persistent"),
    ([1, 0, 1, 0, 0, 1], "sporadic"),
    ([1, 1, 1, 0, 0, 0], "historical"),
    ([0, 0, 0, 0, 0, 0], "none"),
])
def test_presence_labels(series: list[int], label: str) -> None:
    assert trends.presence_label(series) == label


@pytest.mark.parametrize("series,label", [
    ([1, 2, 3, 4, 5, 6], "intensifying"),
    ([6, 5, 4, 3, 2, 1], "diminishing"),
    ([2, 3, 2, 3, 2, 3], "persistent"),
    ([0, 0, 0, 0, 0, 2], "new"),
    ([0, 0, 2, 1, 2, 1], "consecutive"),
    ([2, 0, 1, 0, 0, 1], "sporadic"),
    ([3, 2, 0, 0, 0, 0], "historical"),
    ([6, 5, 4, 3, 2, 0], "historical"),  # gone in the last period: not "diminishing"
])
def test_count_labels(series: list[int], label: str) -> None:
    assert trends.count_label(series) == label


def test_short_series_never_claim_a_trend() -> None:
    assert trends.trend([1, 2, 3]) == (0.0, 1.0)
    assert trends.count_label([1, 2, 3]) == "persistent"


def test_tables_from_observations() -> None:
    p = shapely.Point(20.08, 41.11)
    rows = [("A", "2022-H1", "active", 4), ("A", "2022-H2", "active", 4), ("A", "2023-H1", "active", 4),
            ("B", "2022-H1", "active", 1), ("B", "2022-H2", "resolved", 1), ("C", "2023-H1", "active", 4)]
    gdf = gpd.GeoDataFrame({"id": [r[0] for r in rows], "period": [r[1] for r in rows], "status": [r[2] for r in rows],
                            "unit": [r[3] for r in rows]}, geometry=[p] * len(rows), crs="EPSG:4326")
    by_id = trends.hotspot_trends(gdf).set_index("id")
    assert by_id.loc["A", "label"] == "persistent" and by_id.loc["A", "series"] == [1, 1, 1]
    assert by_id.loc["B", "label"] == "historical" and by_id.loc["C", "label"] == "new"
    units = trends.unit_trends(gdf).set_index("unit")
    assert units.loc[4, "series"] == [1, 1, 2] and units.loc[4, "label"] == "persistent"
    assert units.loc[1, "label"] == "historical" and units.loc[2, "label"] == "none"
