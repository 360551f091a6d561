"""The command line, run in-process on both backends (``cli`` fixture), and once as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pytest

from hotspots.plan import editing
from hotspots.base import settings
from hotspots.plan import units
from hotspots.plan.store import Store

from .conftest import ROOT, db_digest


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
            {"type": "Feature", "properties": {"category": "crime"},
             "geometry": {"type": "Point", "coordinates": [20.08, 41.11]}}]}),
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


def test_broken_imports_fail_clearly_and_leave_the_database_unchanged(cli, backend_url: str, tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    digest = db_digest(backend_url)
    expected = {
        "bad_json": "not valid JSON", "tirana": "outside the municipality", "no_name": "name is missing",
        "second_bad": "Feature no. 2", "hostile_id": "is not allowed", "garbage_10mb": "bytes", "missing": "does not exist",
    }
    for name, path in _broken_files(tmp_path).items():
        done = cli("--lang", "en", "import", str(path))
        assert done.returncode != 0, name
        assert expected[name] in done.stderr, (name, done.stderr)
        assert "Traceback" not in done.stderr
        assert db_digest(backend_url) == digest, name
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


def _swapped_official_file(tmp_path: Path) -> Path:
    """Write an "official" unit file: the shipped polygons with units 1 and 6 swapped, in UTM, field NAME."""
    layer = units.load_units().to_crs(settings.CRS_METRIC)
    layer["NAME"] = [f"Lagjja nr. {({1: 6, 6: 1}).get(u, u)}" for u in layer["unit"]]
    path = tmp_path / "official.gpkg"
    layer[["NAME", "geometry"]].to_file(path, driver="GPKG")
    return path


def test_units_import_replaces_the_layer_in_the_data_dir_recomputes_units_and_check_agrees(
        cli, backend_url: str, tmp_path: Path) -> None:
    shipped = settings.UNITS_FILE.read_bytes()
    cli("init")
    bad = tmp_path / "bad.geojson"
    bad.write_text("nonsense")
    done = cli("--lang", "en", "units", "import", str(bad), "--unit-field", "NAME")
    assert done.returncode == 2 and "cannot be read" in done.stderr
    assert cli("units", "check").stdout.strip() == "no disagreement"
    assert settings.units_file() == settings.UNITS_FILE  # nothing replaced yet: the shipped layer
    before = Store(backend_url).hotspots()
    swapped = before[before["unit_computed"].isin([1, 6])]  # located in unit 1 or 6 (unlocated: the plan's unit)
    assert dict(zip(swapped["id"], swapped["unit"], strict=True)) == {"H-1.10-03": 6, "H-1.7-02": 1}

    official = _swapped_official_file(tmp_path)
    done = cli("--author", "gis-office", "units", "import", str(official), "--unit-field", "NAME")
    assert done.returncode == 0, done.stderr
    assert f"{len(swapped)} observations changed unit" in done.stdout
    assert settings.UNITS_FILE.read_bytes() == shipped  # the tracked file is never written
    assert settings.units_file() == settings.replaced_units_file() and settings.units_file().is_file()
    in_use = units.load_units()
    assert not units.units_are_approximate(in_use)
    after = Store(backend_url).hotspots().set_index("id")
    for hid, unit in zip(swapped["id"], swapped["unit"], strict=True):
        assert after.loc[hid, "unit"] == {1: 6, 6: 1}[unit]
    history = Store(backend_url).history()
    logged = history[history["action"] == "units"]
    assert len(logged) == len(swapped) and set(logged["author"]) == {"gis-office"}
    assert after.loc["H-1.7-01", "unit"] == 1 and after.loc["H-1.7-01", "unit_source"] == "plan"  # unlocated: kept
    check = cli("units", "check")  # the located hotspot of the plan's unit 1 now lies in polygon "6"
    assert check.returncode == 1
    assert check.stdout.split()[3:] == ["H-1.7-02", "1", "6"]
    again = cli("units", "import", str(official), "--unit-field", "NAME")  # the same file again: nothing moves
    assert "; 0 observations changed unit" in again.stdout


def test_recompute_units_with_the_layer_in_use_changes_nothing(backend_url: str) -> None:
    store = Store(backend_url)
    store.init(author="test")
    before = store.count("history")
    assert editing.recompute_units(store, author="test") == 0
    assert store.count("history") == before


def test_units_build_approx_writes_the_data_dir_or_out_and_keeps_an_official_layer(
        sqlite_cli, tmp_path: Path) -> None:
    shipped = settings.UNITS_FILE.read_bytes()
    done = sqlite_cli("units", "build-approx")
    assert done.returncode == 0, done.stderr
    assert str(settings.replaced_units_file()) in done.stdout
    built = units.load_units()
    assert sorted(built["unit"]) == list(settings.UNIT_NUMBERS) and units.units_are_approximate(built)
    assert settings.UNITS_FILE.read_bytes() == shipped
    sqlite_cli("init")
    assert sqlite_cli("units", "import", str(_swapped_official_file(tmp_path)), "--unit-field", "NAME").returncode == 0
    official = settings.replaced_units_file().read_bytes()
    refused = sqlite_cli("--lang", "en", "units", "build-approx")
    assert refused.returncode == 2 and "official unit layer is in use" in refused.stderr
    assert settings.replaced_units_file().read_bytes() == official
    out = tmp_path / "approx.geojson"
    assert sqlite_cli("units", "build-approx", "--out", str(out)).returncode == 0
    assert units.units_are_approximate(units.load_units(out))
    assert settings.replaced_units_file().read_bytes() == official


def test_pack_writes_the_review_pdf(cli, tmp_path: Path) -> None:
    assert cli("demo", "load").returncode == 0
    out = tmp_path / "pack.pdf"
    done = cli("pack", "--from", "2022-H1", "--to", "2022-H2", "--example", "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and f"({len(data)} bytes)" in done.stdout
    bad = cli("--lang", "en", "pack", "--from", "2022-H2", "--to", "2022-H1", "-o", str(tmp_path / "no.pdf"))
    assert bad.returncode == 2 and not (tmp_path / "no.pdf").exists()
    assert cli("pack", "--from", "2022-H1").returncode == 2  # argparse: -o and --to are required


def test_a_real_process_runs_help_init_import_and_export(tmp_path: Path) -> None:
    """The one smoke test through ``python -m hotspots`` (the others call ``cli.main`` in-process)."""
    db = tmp_path / "smoke.sqlite"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "hotspots", "--db", str(db), *args], cwd=ROOT, text=True,
                              capture_output=True, timeout=120, env={**os.environ, "HOTSPOTS_ADMIN_PASSWORD": "x" * 16})

    assert "export" in run("--help").stdout
    assert run("init").returncode == 0
    outside = tmp_path / "tirana.geojson"
    outside.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"name": "x", "category": "crime", "period": "2022-H1"},
        "geometry": {"type": "Point", "coordinates": [19.8187, 41.3275]}}]}))
    refused = run("--lang", "en", "import", str(outside))
    assert refused.returncode == 2 and "outside the municipality" in refused.stderr and "Traceback" not in refused.stderr
    done = run("export", "--period", "2022-H1")
    assert done.returncode == 0 and len(_features(done.stdout)) == 14
