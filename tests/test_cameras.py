"""Cameras (issue 15): view areas, coverage of hot zones with known answers, the register."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import ConflictError, ImportFileError, ValidationError
from hotspots.places import cameras, coverage
from hotspots.places import store as places_store
from hotspots.plan.store import Store


#: A metric origin in the centre of Elbasan (EPSG:32634), near the OSM cameras.
X0, Y0 = 423_500.0, 4_551_700.0


def _to_wgs(geoms: list[BaseGeometry]) -> gpd.GeoSeries:
    return gpd.GeoSeries(geoms, crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)


def _hotspots(geoms: list[BaseGeometry], quality: str = "approximate") -> gpd.GeoDataFrame:
    n = len(geoms)
    return gpd.GeoDataFrame({
        "id": [f"H-{i}" for i in range(n)], "name": [f"<b>zone {i}</b>" for i in range(n)],
        "category": ["crime"] * n, "unit": [3] * n, "period": ["2022-H1"] * n, "status": ["active"] * n,
        "location_quality": [quality] * n,
    }, geometry=_to_wgs(geoms))


def _cameras(points: list[tuple[float, float]], status: str = "working", radius: float = 100.0,
             direction: float | None = None, angle: float | None = None) -> gpd.GeoDataFrame:
    n = len(points)
    return gpd.GeoDataFrame({
        "id": [f"C-{i}" for i in range(n)], "status": [status] * n, "radius_m": [radius] * n,
        "direction": [direction] * n, "angle": [angle] * n,
    }, geometry=_to_wgs([shapely.Point(x, y) for x, y in points]))


#: A 200 m × 200 m hot zone with its west edge on x = X0.
ZONE = shapely.box(X0, Y0 - 100, X0 + 200, Y0 + 100)


def test_a_100m_camera_on_the_edge_of_a_200m_zone_covers_its_half_disc_partly() -> None:
    # the circle's east half (π·100²/2) lies inside the 40 000 m² zone: share π/8
    table = coverage.coverage(_hotspots([ZONE]), _cameras([(X0, Y0)]), period="2022-H1")
    row = table.iloc[0]
    assert row["share"] == pytest.approx(math.pi / 8, abs=2e-3)
    assert row["class"] == "partly"
    assert row["measured_on"] == "area"


def test_a_100m_camera_at_the_end_of_a_200m_street_covers_half_of_it() -> None:
    street = shapely.LineString([(X0, Y0), (X0 + 200, Y0)])
    row = coverage.coverage(_hotspots([street]), _cameras([(X0, Y0)]), period="2022-H1").iloc[0]
    assert row["share"] == pytest.approx(0.5, abs=1e-3)
    assert (row["class"], row["measured_on"]) == ("partly", "length")


@pytest.mark.parametrize("status", ["broken", "planned", "unverified"])
def test_a_camera_that_does_not_work_covers_nothing(status: str) -> None:
    row = coverage.coverage(_hotspots([ZONE]), _cameras([(X0 + 100, Y0)], status=status), period="2022-H1").iloc[0]
    assert row["share"] == 0.0
    assert row["class"] == "not"


def test_a_sector_covers_only_where_it_looks() -> None:
    east = coverage.coverage(_hotspots([ZONE]), _cameras([(X0, Y0)], direction=90, angle=180), period="2022-H1")
    west = coverage.coverage(_hotspots([ZONE]), _cameras([(X0, Y0)], direction=270, angle=180), period="2022-H1")
    assert east.iloc[0]["share"] == pytest.approx(math.pi / 8, abs=2e-3)
    assert west.iloc[0]["share"] == pytest.approx(0.0, abs=1e-3)
    assert west.iloc[0]["class"] == "not"


def test_a_point_hotspot_is_measured_on_the_disc_of_its_grade() -> None:
    point = shapely.Point(X0, Y0)
    row = coverage.coverage(_hotspots([point], quality="landmark"), _cameras([(X0, Y0)]), period="2022-H1").iloc[0]
    assert row["measured_on"] == "disc 150 m"
    assert row["share"] == pytest.approx((100 / 150) ** 2, abs=2e-3)


def test_a_zone_inside_two_cameras_is_covered_and_unlocated_hotspots_have_no_figure() -> None:
    hs = _hotspots([shapely.box(X0, Y0, X0 + 50, Y0 + 50), None])  # type: ignore[list-item]
    table = coverage.coverage(hs, _cameras([(X0, Y0), (X0 + 50, Y0 + 50)]), period="2022-H1")
    assert table["class"].tolist() == ["covered", "unlocated"]
    assert table.iloc[0]["share"] == 1.0
    assert pd.isna(table.iloc[1]["share"])
    by_unit = coverage.coverage_by_unit(table)
    assert by_unit[["unit", "covered", "unlocated", "total"]].values.tolist() == [[3, 1, 1, 2]]


def test_bad_cameras_are_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError) as err:
        cameras.make_camera(lat=41.115, lon=20.082, owner="police", status="working", direction=90)
    assert err.value.key == "err_cam_direction_pair"
    with pytest.raises(ValidationError) as err:
        cameras.make_camera(lat=41.115, lon=20.082, owner="police", status="on", radius_m=50)
    assert err.value.key == "err_choice"
    with pytest.raises(ValidationError) as err:
        cameras.make_camera(lat=41.115, lon=20.082, owner="police", status="working", radius_m=0)
    assert err.value.key == "err_cam_number"
    with pytest.raises(ValidationError) as err:
        cameras.make_camera(lat=20.082, lon=41.115, owner="police", status="working")
    assert err.value.key == "err_outside_area"


def test_init_creates_the_place_tables(store: Store) -> None:
    with store.read() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert {"cameras", "cannabis_zones", "schools"} <= tables


def test_the_register_keeps_history_and_retires_without_deleting(store: Store) -> None:
    cam = cameras.make_camera(lat=41.1152, lon=20.0823, owner="municipality", status="working", radius_m=60,
                              name="Sheshi <Skënderbej>")
    cid = cameras.add_camera(store, cam, author="staff1")
    assert cid == "C-01"
    moved = cameras.make_camera(lat=41.1153, lon=20.0823, owner="municipality", status="broken", radius_m=60,
                                name="Sheshi <Skënderbej>", id=cid)
    assert cameras.update_camera(store, moved, author="staff2") == "updated"
    cameras.retire_camera(store, cid, author="staff1", reason="removed from the square")
    assert cameras.read_cameras(store).empty
    kept = cameras.read_cameras(store, include_retired=True)
    assert kept.iloc[0]["status"] == "broken"
    history = store.history(entity_id=cid)
    assert history["action"].tolist() == ["retire", "update", "add"]
    assert history["author"].tolist() == ["staff1", "staff2", "staff1"]
    with pytest.raises(ConflictError):
        cameras.update_camera(store, moved, author="staff2")
    with pytest.raises(ValidationError):
        cameras.add_camera(store, cam, author=" ")


def test_import_is_all_or_nothing_and_export_reads_back(store: Store, tmp_path: Path) -> None:
    good = json.loads((settings.GEODATA_DIR / "cameras_osm.geojson").read_text())
    bad = json.loads(json.dumps(good))
    bad["features"][1]["properties"]["status"] = "on fire"
    (tmp_path / "bad.geojson").write_text(json.dumps(bad))
    with pytest.raises(ImportFileError) as err:
        cameras.import_cameras(store, tmp_path / "bad.geojson", author="staff1")
    assert "2" in err.value.message("en")
    assert places_store.count(store, "camera") == 0
    results = cameras.import_cameras(store, settings.GEODATA_DIR / "cameras_osm.geojson", author="staff1")
    assert [r["result"] for r in results] == ["added", "added"]
    exported = tmp_path / "out.geojson"
    exported.write_bytes(cameras.export_cameras(cameras.read_cameras(store)))
    again = cameras.import_cameras(store, exported, author="staff1")
    assert [r["result"] for r in again] == ["unchanged", "unchanged"]
    assert "notes" not in json.loads(exported.read_text())["features"][0]["properties"]


def test_hot_zones_carry_forward_until_resolved_and_count_per_period() -> None:
    hs = _hotspots([ZONE, ZONE])
    hs["id"] = ["H-1", "H-1"]
    hs["period"] = ["2022-H1", "2023-H1"]
    hs["status"] = ["active", "resolved"]
    cams = _cameras([(X0, Y0)])
    table = coverage.coverage_over_periods(hs, cams, ["2021-H2", "2022-H1", "2022-H2", "2023-H1"])
    assert table[["period", "partly", "not"]].values.tolist() == [["2022-H1", 1, 0], ["2022-H2", 1, 0],
                                                                  ["2023-H1", 0, 0]]
    row = coverage.coverage(hs, cams, period="2022-H2").iloc[0]
    assert row["recorded_in"] == "2022-H1"  # not reviewed since: still the place to watch


def test_the_register_table_says_a_missing_direction_or_angle_with_a_dash() -> None:
    register = gpd.GeoDataFrame({"id": ["C-01", "C-02"], "direction": [90.0, None], "angle": [None, 60.5],
                                 "notes": ["pas murit", ""]},
                                geometry=[shapely.Point(20.0823, 41.1152), shapely.Point(20.08, 41.11)], crs="EPSG:4326")
    table = cameras.register_table(register, internal=False)
    assert table[["id", "direction", "angle"]].to_dict("records") == [
        {"id": "C-01", "direction": "90", "angle": "—"}, {"id": "C-02", "direction": "—", "angle": "60.5"}]
    assert "notes" not in table and table["lat"].tolist() == [41.1152, 41.11]


def test_the_coverage_of_many_zones_at_once_is_the_share_of_each_alone() -> None:
    view = coverage.view_area(0, 0, 100)
    zones = np.array([shapely.Point(50, 0).buffer(100), shapely.LineString([(0, 0), (200, 0)]),
                      shapely.Point(1000, 1000).buffer(10), shapely.Point(30, 0), shapely.Point(500, 0)], dtype=object)
    assert coverage._covered_shares(zones, view).tolist() == pytest.approx([coverage.covered_share(z, view) for z in zones])
    points = np.array([shapely.Point(0, 0), shapely.LineString([(0, 0), (1, 1)])], dtype=object)
    made = coverage._hot_zones(points, np.array(["exact", "approximate"]))
    assert made[0].equals(coverage.hot_zone(points[0], "exact")) and made[1].equals(points[1])
