"""The shipped geodata: municipality, units, gazetteer, baseline hotspots."""

from __future__ import annotations

import csv
import json

import geopandas as gpd
import shapely

from hotspots.base import settings
from hotspots.plan import units


def test_units_are_six_valid_approximate_polygons_tiling_the_city() -> None:
    layer = units.load_units()
    units.validate_units(layer)
    assert layer["unit"].tolist() == [1, 2, 3, 4, 5, 6]
    assert layer["approximate"].all()
    city = gpd.GeoSeries([units.city_unit()], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    union = shapely.union_all(layer.to_crs(settings.CRS_METRIC).geometry.values)
    assert city.symmetric_difference(union).area < 0.001 * city.area  # tiles the city unit


def test_baseline_has_the_plans_fourteen_hotspots() -> None:
    gdf = gpd.read_file(settings.BASELINE_FILE)
    crime = gdf[gdf["category"] == "crime"]
    children = gdf[gdf["category"] == "street_children"]
    assert len(crime) == 9 and set(crime["problem"]) == {"1.7"}
    assert len(children) == 5 and set(children["problem"]) == {"1.10"}
    assert crime["plan_unit"].astype(int).value_counts().to_dict() == {1: 3, 3: 1, 4: 2, 6: 3}
    assert children["plan_unit"].isna().all()
    names = set(gdf["name"])
    assert "Tek stacioni i trenit" in names
    assert 'Lagja "Partizani" pranë sheshit të Saraçëve' in names
    assert "Rruga Ibrahim Dinçi" in names


def test_every_located_baseline_geometry_is_valid_inside_and_of_the_right_kind() -> None:
    gdf = gpd.read_file(settings.BASELINE_FILE)
    area = units.municipality()
    located = gdf[gdf.geometry.notna()]
    assert (located["location_quality"] != "unlocated").all()
    assert located.is_valid.all()
    assert all(area.contains(g) for g in located.geometry)
    kinds = dict(zip(located["id"], located.geom_type, strict=True))
    assert kinds["H-1.7-04"] == "Point"          # the train station
    assert kinds["H-1.10-02"] == "LineString"    # the boulevard
    assert kinds["H-1.10-03"] == "Polygon"       # the zone near the university
    unlocated = gdf[gdf.geometry.isna()]
    assert (unlocated["location_quality"] == "unlocated").all()
    assert len(unlocated) == 8
    assert (gdf["location_source"].str.len() > 10).all()  # every location says where it comes from


def test_only_the_station_is_exact() -> None:
    gdf = gpd.read_file(settings.BASELINE_FILE)
    assert gdf.loc[gdf["location_quality"] == "exact", "id"].tolist() == ["H-1.7-04"]


def test_computed_unit_equals_plan_unit_for_every_located_crime_hotspot() -> None:
    gdf = gpd.read_file(settings.BASELINE_FILE)
    crime = gdf[(gdf["category"] == "crime") & gdf.geometry.notna()]
    assert len(crime) == 3
    computed = units.assign_units(crime)
    assert computed.tolist() == crime["plan_unit"].astype(int).tolist()
    assert units.unit_disagreements(gdf).empty


def test_gazetteer_rows_have_source_and_honest_coordinates() -> None:
    with open(settings.PLACES_FILE, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    area = units.municipality()
    assert len(rows) > 20
    for row in rows:
        assert row["source"], row
        if row["confidence"] == "none":
            assert row["lat"] == "" and row["lon"] == ""
        else:
            assert area.contains(shapely.Point(float(row["lon"]), float(row["lat"]))), row["name"]
    saracev = next(r for r in rows if r["name"] == "Sheshi i Saraçëve")
    assert "Saraceve" in saracev["aliases"].split("|")
    assert any("ODbL" in r["licence"] for r in rows)


def test_geodata_files_are_documented() -> None:
    readme = (settings.GEODATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in settings.GEODATA_DIR.iterdir():
        if path.suffix in (".geojson", ".csv", ".yaml"):
            assert path.name in readme, path.name
    assert "© OpenStreetMap contributors" in readme
    assert json.loads(settings.UNITS_FILE.read_text())["features"][0]["properties"]["approximate"] is True
