"""Municipality folders: the shipped Elbasan folder checks out; a made-up one is created and checked."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely

from hotspots.base import municipality, settings
from hotspots.base.labels import unit_short, unit_words
from hotspots.plan import folders, units

NAMES = ["Qendra", "Lindja", "Perëndimi", "Veriu"]  # four named units of a made-up municipality


def _made_up(tmp_path: Path, *, overlap: bool = False) -> tuple[Path, Path]:
    boundary = tmp_path / "boundary.geojson"
    gpd.GeoDataFrame({"n": ["x"]}, geometry=[shapely.box(19.0, 40.0, 19.04, 40.04)], crs="EPSG:4326").to_file(boundary)
    boxes = [shapely.box(19.0, 40.0, 19.02, 40.02), shapely.box(19.02, 40.0, 19.04, 40.02),
             shapely.box(19.0, 40.02, 19.02, 40.04), shapely.box(19.02 if not overlap else 19.0, 40.02, 19.04, 40.04)]
    unit_file = tmp_path / "units.gpkg"
    gpd.GeoDataFrame({"EMRI": NAMES}, geometry=boxes, crs="EPSG:4326").to_crs("EPSG:32634").to_file(unit_file)
    return boundary, unit_file


def test_the_shipped_folder_is_elbasan_and_usable() -> None:
    report = folders.check_folder(settings.GEODATA_DIR)
    assert report.ok, [p.message("en") for p in report.problems]
    assert settings.MUNICIPALITY.unit_numbers == settings.UNIT_NUMBERS == (1, 2, 3, 4, 5, 6)
    assert settings.CRS_METRIC == "EPSG:32634"
    assert unit_words(3, "sq") == "Lagjja nr. 3" and unit_short(3, "en") == "No. 3"


def test_a_made_up_municipality_is_created_from_official_files_and_checks_out(tmp_path: Path) -> None:
    boundary, unit_file = _made_up(tmp_path)
    folder = tmp_path / "qyteti"
    missing = folders.create_folder(folder, boundary=boundary, units=unit_file, unit_field="EMRI", name="Qyteti",
                                    key="qyteti", plan=settings.PLAN_FILE, gazetteer=settings.PLACES_FILE)
    assert missing == []
    report = folders.check_folder(folder)
    assert report.ok, [p.message("en") for p in report.problems]
    place = report.municipality
    assert place is not None and place.crs == "EPSG:32634"  # the UTM zone of the boundary
    assert [(u.number, u.name_in("en")) for u in place.units] == [(1, "Lindja"), (2, "Perëndimi"), (3, "Qendra"),
                                                                 (4, "Veriu")]
    assert place.categories == {"crime": "1.7", "street_children": "1.10"}
    layer = json.loads((folder / "units.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["unit"] for f in layer["features"]) == [1, 2, 3, 4]


def test_missing_parts_are_named_and_a_bad_folder_is_refused(tmp_path: Path) -> None:
    boundary, unit_file = _made_up(tmp_path, overlap=True)
    folder = tmp_path / "bad"
    missing = folders.create_folder(folder, boundary=boundary, units=unit_file, unit_field="EMRI", name="Bad", key="bad")
    assert missing == ["places", "plan"]
    report = folders.check_folder(folder)
    assert not report.ok and report.municipality is None  # no plan: its categories are unknown
    assert "categories" in report.problems[0].message("en")
    assert "municipality.yaml" in folders.check_folder(tmp_path).problems[0].message("sq")


def test_overlapping_units_are_found(tmp_path: Path) -> None:
    boundary, unit_file = _made_up(tmp_path, overlap=True)
    folder = tmp_path / "overlap"
    folders.create_folder(folder, boundary=boundary, units=unit_file, unit_field="EMRI", name="Overlap", key="overlap",
                          plan=settings.PLAN_FILE, gazetteer=settings.PLACES_FILE)
    report = folders.check_folder(folder)
    assert not report.ok
    assert any(p.key == "err_units_overlap" for p in report.problems)


def test_a_manifest_with_a_crs_in_degrees_is_refused(tmp_path: Path) -> None:
    text = (settings.GEODATA_DIR / municipality.MANIFEST).read_text(encoding="utf-8")
    (tmp_path / municipality.MANIFEST).write_text(text.replace('"EPSG:32634"', '"EPSG:4326"'), encoding="utf-8")
    try:
        municipality.load(tmp_path)
    except municipality.MunicipalityError as exc:
        assert "crs" in exc.message("en")
    else:
        raise AssertionError("a CRS in degrees was accepted")


def test_unit_names_of_the_folder_are_read_back_as_numbers() -> None:
    assert units.parse_unit_number("Lagjja nr. 4") == 4 and units.parse_unit_number("unit no. 2") == 2


def test_a_plan_hotspot_in_a_unit_the_folder_lacks_is_named(tmp_path: Path) -> None:
    from tests import madeup

    folder = madeup.build(tmp_path)
    assert folders.check_folder(folder).ok
    baseline = json.loads((folder / "baseline.geojson").read_text(encoding="utf-8"))
    baseline["features"][0]["properties"]["plan_unit"] = 9
    (folder / "baseline.geojson").write_text(json.dumps(baseline), encoding="utf-8")
    report = folders.check_folder(folder)
    assert not report.ok and "plan_unit 9" in report.problems[0].message("en")
    assert "1, 2, 3, 4" in report.problems[0].message("sq")
