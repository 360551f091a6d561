"""Counts per hotspot/unit/period, the PAI and the suppression rule, on tiny known data."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots.base import settings
from hotspots.plan import units
from hotspots.incidents import counts, disclosure
from hotspots.incidents import count_views
from hotspots.incidents import periods

# A 200 m x 200 m zone in the city (EPSG:32634 metres), its corner at (X0, Y0).
CENTRE = gpd.GeoSeries([shapely.Point(20.0800, 41.1130)], crs="EPSG:4326").to_crs(settings.CRS_METRIC).iloc[0]
X0, Y0 = round(CENTRE.x), round(CENTRE.y)


def metric_points(xy: list[tuple[float, float]]) -> gpd.GeoSeries:
    return gpd.GeoSeries([shapely.Point(x, y) for x, y in xy], crs=settings.CRS_METRIC).to_crs("EPSG:4326")


def incidents(xy: list[tuple[float, float]], dates: list[str], offences: list[str]) -> gpd.GeoDataFrame:
    pts = metric_points(xy)
    frame = pd.DataFrame({"occurred_on": dates, "offence": offences})
    gdf = gpd.GeoDataFrame(frame, geometry=pts.to_numpy(), crs="EPSG:4326")
    return gdf.assign(unit=units.assign_units(gdf))


def observations() -> gpd.GeoDataFrame:
    zone = gpd.GeoSeries([shapely.box(X0, Y0, X0 + 200, Y0 + 200)], crs=settings.CRS_METRIC).to_crs("EPSG:4326").iloc[0]
    street = gpd.GeoSeries([shapely.LineString([(X0 + 1000, Y0), (X0 + 1000, Y0 + 500)])],
                           crs=settings.CRS_METRIC).to_crs("EPSG:4326").iloc[0]
    point = metric_points([(X0 - 1000, Y0)]).iloc[0]
    return gpd.GeoDataFrame({
        "id": ["Z", "S", "P"], "category": ["crime"] * 3, "period": ["2023-H1"] * 3, "status": ["active"] * 3,
    }, geometry=[zone, street, point], crs="EPSG:4326")


def tiny() -> gpd.GeoDataFrame:
    xy = [(X0 + 50, Y0 + 50), (X0 + 100, Y0 + 150), (X0 + 150, Y0 + 20),  # 3 inside the zone
          (X0 + 200, Y0 + 100),  # on its east edge
          (X0 + 260, Y0 + 100),  # 60 m outside
          (X0 + 1040, Y0 + 250), (X0 + 1060, Y0 + 250),  # 40 m and 60 m from the street
          (X0 - 1000, Y0 + 140), (X0 - 1000, Y0 + 160)]  # 140 m and 160 m from the point
    dates = ["2023-02-01", "2023-05-01", "2023-08-01", "2023-03-01", "2023-03-01", "2023-03-01", "2023-03-01",
             "2023-03-01", "2023-03-01"]
    offences = ["drugs", "drugs", "theft", "theft", "drugs", "drugs", "drugs", "violence", "violence"]
    return incidents(xy, dates, offences)


def test_counts_per_hotspot_known_answers() -> None:
    table = counts.counts_by_hotspot(tiny(), observations(), offences=["drugs", "theft", "violence"]).set_index(["id", "period"])
    # H1: 2 inside + the edge one; H2: 1 inside (the zone carried forward from its 2023-H1 record)
    assert table.loc[("Z", "2023-H1"), ["total", "drugs", "theft"]].tolist() == [3, 2, 1]
    assert table.loc[("Z", "2023-H2"), ["total", "drugs", "theft"]].tolist() == [1, 0, 1]
    assert table.loc[("S", "2023-H1"), "total"] == 1 and table.loc[("P", "2023-H1"), "violence"] == 1
    assert table.loc[("S", "2023-H2"), "total"] == 0  # zeros are there too
    wider = counts.counts_by_hotspot(tiny(), observations(), radius_m=200, street_m=100).set_index(["id", "period"])
    assert wider.loc[("S", "2023-H1"), "total"] == 2 and wider.loc[("P", "2023-H1"), "total"] == 2


def test_quarters_months_and_period_option() -> None:
    table = counts.counts_by_hotspot(tiny(), observations(), kind="quarter").set_index(["id", "period"])
    assert table.loc[("Z", "2023-Q1"), "total"] == 2 and table.loc[("Z", "2023-Q2"), "total"] == 1
    assert table.loc[("Z", "2023-Q3"), "total"] == 1
    assert periods.parse_period("2023-Q3") == ("quarter", "2023-Q3")
    with pytest.raises(ValueError, match="not understood"):
        periods.parse_period("2023-H3")


def _study_m2() -> float:
    return float(gpd.GeoSeries([units.city_unit()], crs="EPSG:4326").to_crs(settings.CRS_METRIC).area.iloc[0])


def test_prediction_accuracy_index() -> None:
    inc = tiny()
    pai = counts.prediction_accuracy(inc, observations()).set_index(["period", "problem"])
    zones = counts.catchments(observations(), ["2023-H1"])
    share = shapely.union_all(zones.geometry.to_numpy()).area / _study_m2()
    assert pai.loc[("2023-H1", "1.7"), "inside"] == 5 and pai.loc[("2023-H1", "1.7"), "incidents"] == 8
    assert pai.loc[("2023-H1", "1.7"), "pai"] == pytest.approx(5 / 8 / share, rel=1e-2)
    # nothing recorded for 2023-H2: no designated hotspot, no index
    assert pai.loc[("2023-H2", "1.7"), "hotspots"] == 0 and pd.isna(pai.loc[("2023-H2", "1.7"), "pai"])
    assert set(pai.index.get_level_values("problem")) == {"1.7"}  # no street-children incident: no 1.10 row


def test_pai_is_per_problem_and_never_adds_problems() -> None:
    # a street-children zone K (200 m square, 2 km east) with 2 street-children incidents inside and 1 outside,
    # and 2 thefts inside it: thefts are problem 1.7, so K's area and those 2 thefts belong to no 1.7 hit
    k_zone = gpd.GeoSeries([shapely.box(X0 + 2000, Y0, X0 + 2200, Y0 + 200)], crs=settings.CRS_METRIC).to_crs(4326).iloc[0]
    obs = pd.concat([observations(), gpd.GeoDataFrame({"id": ["K"], "category": ["street_children"], "period": ["2023-H1"],
                                                       "status": ["active"]}, geometry=[k_zone], crs="EPSG:4326")])
    extra = incidents([(X0 + 2050, Y0 + 50), (X0 + 2150, Y0 + 150), (X0 + 2600, Y0 + 100), (X0 + 2100, Y0 + 60),
                       (X0 + 2120, Y0 + 120)], ["2023-03-01"] * 5,
                      ["street_children", "street_children", "street_children", "theft", "theft"])
    inc = pd.concat([tiny(), extra], ignore_index=True)
    pai = counts.prediction_accuracy(inc, obs).set_index(["period", "problem"])
    crime_zones = counts.catchments(observations(), ["2023-H1"])
    share_17 = shapely.union_all(crime_zones.geometry.to_numpy()).area / _study_m2()
    share_110 = (200 + 2 * settings.INCIDENT_EDGE_TOLERANCE_M) ** 2 / _study_m2()  # a zone and its edge tolerance
    crime, kids = pai.loc[("2023-H1", "1.7")], pai.loc[("2023-H1", "1.10")]
    assert (crime["hotspots"], crime["incidents"], crime["inside"]) == (3, 10, 5)
    assert crime["pai"] == pytest.approx(5 / 10 / share_17, rel=1e-2)
    assert (kids["hotspots"], kids["incidents"], kids["inside"]) == (1, 3, 2)
    assert kids["pai"] == pytest.approx(2 / 3 / share_110, rel=1e-2)
    # mixing the problems (every incident against every zone) would have read the thefts in K as hits
    mixed = (5 + 2 + 2) / 13 / (share_17 + share_110)
    assert abs(crime["pai"] - mixed) > 0.1 * mixed
    # roles without points get the ratios per problem, never the raw counts
    assert list(count_views.pai_for_role(pai.reset_index(), False).columns) == ["period", "problem", "hotspots", "hit_rate",
                                                                          "area_share", "pai"]
    assert "Problem" in count_views.display(pai.reset_index(), "en").columns


def test_counts_per_unit() -> None:
    inc = tiny()
    table = counts.counts_by_unit(inc)
    assert table["total"].sum() == len(inc)
    assert set(table["unit"]) <= {"1", "2", "3", "4", "5", "6", "none"}


def test_council_sees_cells_with_small_counts_suppressed() -> None:
    inc = tiny()
    cells = disclosure.public_cells(inc)
    raw = disclosure.cell_counts(inc)
    assert raw["count"].sum() == len(inc) and (raw["count"] < 5).all()
    assert set(cells["count"]) == {"<5"}
    assert set(cells.geometry.geom_type) == {"Polygon"}
    for fmt in disclosure.FORMATS:
        for role in ("council", None):
            data = disclosure.export_bytes(inc, fmt, role=role).decode()
            assert "Point" not in data and "occurred_on" not in data
            if fmt == "geojson":
                values = [f["properties"]["total"] for f in json.loads(data)["features"]]
                assert "<5" in values and set(values) <= {"<5", "[c]"}
            else:
                table = pd.read_csv(__import__("io").StringIO(data), dtype=str)
                assert "<5" in set(table["total"]) and set(table["total"]) <= {"<5", "[c]"}
    analyst = json.loads(disclosure.export_bytes(inc, "geojson", role="analyst"))
    assert len(analyst["features"]) == len(inc) and analyst["features"][0]["geometry"]["type"] == "Point"
    assert "Point" not in disclosure.export_bytes(inc, "geojson", role="analyst", aggregate=True).decode()


def test_counts_per_hotspot_agree_with_the_incident_hotspot_pairs_in_overlapping_catchments() -> None:
    rng = np.random.default_rng(3)
    xy = [(float(x), float(y)) for x, y in zip(rng.uniform(X0 - 1200, X0 + 1200, 400),
                                               rng.uniform(Y0 - 300, Y0 + 700, 400), strict=True)]
    dates = [f"2023-{m:02d}-10" for m in rng.integers(1, 13, 400)]
    inc = incidents(xy, dates, list(rng.choice(["drugs", "theft"], 400)))
    centres = metric_points([(X0 + dx, Y0 + 100) for dx in (-150, -100, 0, 80)])  # overlapping discs
    obs = pd.concat([observations(), gpd.GeoDataFrame({"id": ["A", "B", "C", "D"], "category": ["crime"] * 4,
                                                       "period": ["2023-H2"] * 4, "status": ["active"] * 4},
                                                      geometry=centres.to_numpy(), crs="EPSG:4326")], ignore_index=True)
    for kind in ("half", "quarter"):
        table = counts.counts_by_hotspot(inc, obs, kind=kind, offences=["drugs", "theft"])
        pairs = counts.hotspot_pairs(inc, obs, kind=kind)
        expected = pairs.groupby(["id", "period", "offence"]).size()
        assert {"A", "B", "C"} <= set(pairs["id"])  # the overlapping discs are hit
        got = table.set_index(["id", "period"])[["drugs", "theft"]].stack()
        assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict()
        assert (table["total"] == table["drugs"] + table["theft"]).all()
