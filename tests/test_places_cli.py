"""The command line of issue 15: cameras import/export/site, coverage, zones, schools."""

from __future__ import annotations

import json
from pathlib import Path

from hotspots.base import settings

#: A working police camera 40 m from the train station (exact point hotspot H-1.7-04, disc 50 m).
STATION_CAMERA = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "geometry": {"type": "Point", "coordinates": [20.0747, 41.10536]},
    "properties": {"id": "C-T1", "owner": "police", "status": "working", "radius_m": 60}}]}


def test_cameras_import_coverage_and_export(cli, tmp_path: Path) -> None:
    assert cli("places", "seed").returncode == 0  # baseline + OSM cameras (unverified: cover nothing)
    bad = json.loads(json.dumps(STATION_CAMERA))
    bad["features"][0]["properties"]["radius_m"] = -5
    (tmp_path / "bad.geojson").write_text(json.dumps(bad))
    done = cli("--lang", "en", "cameras", "import", str(tmp_path / "bad.geojson"))
    assert done.returncode == 2 and "radius_m" in done.stderr and "Nothing was stored" in done.stderr

    (tmp_path / "cam.geojson").write_text(json.dumps(STATION_CAMERA))
    assert cli("cameras", "import", str(tmp_path / "cam.geojson")).stdout.strip() == "C-T1 added"
    after = {r["id"]: r for r in json.loads(cli("coverage", "--period", "2022-H1", "--format", "json").stdout)}
    assert after["H-1.7-04"]["class"] in ("covered", "partly") and after["H-1.7-04"]["share"] > 0.5
    exported = json.loads(cli("cameras", "export").stdout)
    assert [f["properties"]["id"] for f in exported["features"]] == ["C-OSM-1", "C-OSM-2", "C-T1"]


def test_cameras_site_reports_mclp_and_greedy_with_weights(cli, tmp_path: Path) -> None:
    assert cli("places", "seed").returncode == 0
    (tmp_path / "w.csv").write_text("id,weight\nH-1.7-04,5\nH-1.7-05,2\n")
    done = cli("cameras", "site", "--n", "1", "--period", "2022-H1", "--weights", str(tmp_path / "w.csv"),
               "--spacing", "150", "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["mclp"]["optimal"] and out["mclp"]["weight"] == 5.0 >= out["greedy"]["weight"]
    assert out["mclp"]["sites"][0]["hotspots"] == "H-1.7-04"
    assert out["demand_weight"] == 7.0
    assert all({"id", "name", "weight"} == set(row) for row in out["out_of_reach"])  # hot zones no site can cover
    schools = cli("schools", "import", str(settings.GEODATA_DIR / "schools_osm.geojson"))
    assert schools.stdout.strip() == "S-OSM-1 unchanged, S-OSM-2 unchanged"
    trends = cli("zones", "trends")
    assert trends.returncode == 0 and trends.stdout.startswith("admin_unit,years,series")
