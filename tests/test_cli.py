"""The command line, run as a subprocess like an administrator would."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pytest

from hotspots import settings, units

from .conftest import file_digest


def _features(text: str) -> list[dict]:
    return json.loads(text)["features"]


def test_init_then_export_prints_the_fourteen_baseline_hotspots(cli) -> None:
    assert cli("init").returncode == 0
    done = cli("export", "--format", "geojson", "--period", "2022-H1")
    assert done.returncode == 0, done.stderr
    features = _features(done.stdout)
    assert len(features) == 14
    props = [f["properties"] for f in features]
    for p in props:
        assert {"id", "name", "category", "problem", "unit", "period", "status", "location_quality"} <= set(p)
    crime = [p for p in props if p["category"] == "crime"]
    assert {p["problem"] for p in crime} == {"1.7"} and len(crime) == 9
    assert Counter(p["unit"] for p in crime) == {1: 3, 3: 1, 4: 2, 6: 3}
    children = [p for p in props if p["category"] == "street_children"]
    assert {p["problem"] for p in children} == {"1.10"} and len(children) == 5
    baseline = {f["properties"]["id"]: f["properties"]["name"] for f in _features(settings.BASELINE_FILE.read_text())}
    assert {p["id"]: p["name"] for p in props} == baseline  # names exactly as the plan writes them
    area = units.municipality()
    gdf = gpd.GeoDataFrame.from_features(features, crs=settings.CRS_STORE)
    located = gdf[gdf.geometry.notna()]
    assert located.is_valid.all() and all(area.contains(g) for g in located.geometry)


def test_init_is_idempotent_and_creates_the_first_admin_from_env(cli) -> None:
    first = cli("init")
    assert "14 baseline" in first.stdout and "test-admin-pw" not in first.stdout
    second = cli("init")
    assert "already initialised" in second.stdout


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_export_import_round_trip(cli, tmp_path: Path, fmt: str) -> None:
    cli("init")
    out = tmp_path / f"x.{fmt}"
    assert cli("export", "--format", fmt, "-o", str(out)).returncode == 0
    done = cli("import", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "14 unchanged"


def test_import_adds_an_observation_for_an_existing_id_in_another_period(cli, tmp_path: Path) -> None:
    cli("init")
    features = _features(cli("export", "--period", "2022-H1").stdout)
    station = next(f for f in features if f["properties"]["id"] == "H-1.7-04")
    station["properties"]["period"] = "2022-H2"
    new = {"type": "Feature", "properties": {"name": "Zona e re", "category": "street_children", "period": "2022-H2"},
           "geometry": {"type": "Point", "coordinates": [20.085, 41.110]}}
    path = tmp_path / "next.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [station, new]}))
    done = cli("import", str(path))
    assert done.returncode == 0, done.stderr
    h2 = _features(cli("export", "--period", "2022-H2").stdout)
    assert sorted(f["properties"]["id"] for f in h2) == ["H-1.10-06", "H-1.7-04"]


def _broken_files(tmp_path: Path) -> dict[str, Path]:
    ok_props = {"name": "x", "category": "crime", "period": "2022-H1"}
    files = {
        "bad_json": "{\"type\": \"FeatureCollection\", \"features\": [",
        "tirana": json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": ok_props, "geometry": {"type": "Point", "coordinates": [19.8187, 41.3275]}}]}),
        "hostile_id": json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {**ok_props, "id": "<img src=x onerror=alert(1)>"},
             "geometry": {"type": "Point", "coordinates": [20.08, 41.11]}}]}),
        "no_name": json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"category": "crime"}, "geometry": {"type": "Point", "coordinates": [20.08, 41.11]}}]}),
        "second_bad": json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": ok_props, "geometry": {"type": "Point", "coordinates": [20.08, 41.11]}},
            {"type": "Feature", "properties": ok_props, "geometry": {"type": "Point", "coordinates": [200, 41.11]}}]}),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / f"{name}.geojson"
        paths[name].write_text(text)
    garbage = tmp_path / "garbage.geojson"
    with open(garbage, "wb") as fh:
        fh.write(bytes(range(256)) * (10 * 1024 * 1024 // 256))
    paths["garbage_10mb"] = garbage
    paths["missing"] = tmp_path / "does-not-exist.geojson"
    return paths


def test_broken_imports_fail_clearly_and_leave_the_database_byte_for_byte(cli, db_path: Path, tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    digest = file_digest(db_path)
    expected = {
        "bad_json": "not valid JSON", "tirana": "outside the municipality", "no_name": "name is missing",
        "second_bad": "Feature no. 2", "hostile_id": "is not allowed", "garbage_10mb": "bytes", "missing": "does not exist",
    }
    for name, path in _broken_files(tmp_path).items():
        done = cli("--lang", "en", "import", str(path))
        assert done.returncode != 0, name
        assert expected[name] in done.stderr, (name, done.stderr)
        assert "Traceback" not in done.stderr
        assert file_digest(db_path) == digest, name
    albanian = cli("import", str(tmp_path / "tirana.geojson"))
    assert "jashtë bashkisë" in albanian.stderr


def test_export_filters_and_bad_period(cli) -> None:
    cli("init")
    unit6 = _features(cli("export", "--period", "2022-H1", "--unit", "6", "--category", "crime").stdout)
    assert len(unit6) == 3
    csv_text = cli("export", "--format", "csv", "--category", "street_children").stdout
    assert csv_text.splitlines()[0].startswith("id,name")
    assert len(csv_text.strip().splitlines()) == 6
    bad = cli("--lang", "en", "export", "--period", "2031-H1")
    assert bad.returncode == 2 and "not a review period" in bad.stderr


def test_units_import_replaces_the_layer_and_check_agrees(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("init")
    bad = tmp_path / "bad.geojson"
    bad.write_text("nonsense")
    done = cli("--lang", "en", "units", "import", str(bad), "--unit-field", "NAME")
    assert done.returncode == 2 and "cannot be read" in done.stderr
    assert cli("units", "check").stdout.strip() == "no disagreement"
