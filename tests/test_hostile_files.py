"""The hostile-file corpus through ``import``: each refused (exit 2), the store byte-identical (issue 10)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hotspots.cli import commands as cli
from hotspots.plan.store import Store

from .hostile import HANDLED_FILES, HOSTILE_FILES, gpkg_in_3857, write_hostile_files


def _digest(db: Path) -> str:
    """SHA-256 of the database file, once no connection is open (no WAL left beside it)."""
    assert not db.with_name(db.name + "-wal").exists()
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_hostile_files(tmp_path_factory.mktemp("hostile"))


def test_the_corpus_is_big_enough() -> None:
    assert len(HOSTILE_FILES) >= 35


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_a_hostile_file_is_refused_and_the_store_is_unchanged(name: str, files: dict[str, Path], store: Store,
                                                               db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store.dispose()
    before = _digest(db_path)
    code = cli.main(["--db", str(db_path), "--lang", "en", "import", str(files[name])])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("Error: ") and "Traceback" not in err and "\x1b" not in err and "\x00" not in err
    assert _digest(db_path) == before


def test_one_refusal_through_the_command_line(cli, files: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    done = cli("import", str(files["5000digits.geojson"]))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_two_layer_geopackage_imports_the_hotspots_layer(store: Store, tmp_path: Path) -> None:
    import geopandas as gpd
    import shapely

    from hotspots.plan import exchange

    path = tmp_path / "two.gpkg"
    gpd.GeoDataFrame({"name": ["wrong layer"], "category": ["crime"]}, geometry=[shapely.Point(20.0822, 41.1125)],
                     crs="EPSG:4326").to_file(path, layer="aaa", driver="GPKG")
    gpd.GeoDataFrame({"name": ["right layer"], "category": ["crime"], "period": ["2022-H2"]},
                     geometry=[shapely.Point(20.0822, 41.1125)], crs="EPSG:4326").to_file(path, layer="hotspots", driver="GPKG")
    assert [r.name for r in exchange.read_features(path)] == ["right layer"]


def test_a_wgs84_crs_member_is_accepted(tmp_path: Path) -> None:
    from hotspots.plan import exchange

    for name in ("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"):
        exchange.check_crs({"type": "name", "properties": {"name": name}})


def test_a_geopackage_in_another_crs_is_reprojected_not_misread(tmp_path: Path) -> None:
    from hotspots.plan import exchange

    path = tmp_path / "mercator.gpkg"
    gpkg_in_3857(path)
    (record,) = exchange.read_features(path)
    assert record.geometry is not None and 19.9 < record.geometry.x < 20.2 and 41.0 < record.geometry.y < 41.2


#: name -> what the refusal of a lenient-reading file must say (English).
REASONS: dict[str, str] = {
    "point_3d.geojson": "3-D coordinates", "polygon_3d.geojson": "3-D coordinates", "point_3d.gpkg": "3-D coordinates",
    "csv_point_z.csv": "3-D coordinates", "coords_strings.geojson": "not two numbers", "coords_bool.geojson": "not two numbers",
    "coords_nested.geojson": "not two numbers", "type_lowercase.geojson": "unknown geometry type 'point'",
    "empty_point.geojson": "no coordinates", "unclosed_polygon.geojson": "is not closed",
    "polygon_200k.geojson": "200001 vertices; at most 10000", "polygon_200k.gpkg": "200001 vertices; at most 10000",
    "geometry_crs_3857.geojson": "EPSG:3857", "feature_crs_3857.geojson": "EPSG:3857",
}


@pytest.mark.parametrize("name", sorted(REASONS))
def test_a_lenient_reading_is_refused_with_its_reason(name: str, files: dict[str, Path], store: Store, db_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    store.dispose()
    before = _digest(db_path)
    for lang, word in (("en", REASONS[name]), ("sq", "")):
        code = cli.main(["--db", str(db_path), "--lang", lang, "import", str(files[name])])
        err = capsys.readouterr().err
        assert code == 2 and word in err, err
    assert _digest(db_path) == before


def test_a_utm_geopackage_is_reprojected_and_that_is_said(tmp_path: Path, store: Store, db_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from hotspots.plan import exchange

    path = tmp_path / "utm.gpkg"
    HANDLED_FILES["utm.gpkg"](path)
    notes: list[exchange.ReadNote] = []
    (record,) = exchange.read_features(path, notes=notes)
    assert record.geometry is not None and 20.0 < record.geometry.x < 20.2 and 41.0 < record.geometry.y < 41.2
    assert [n.key for n in notes] == ["note_gpkg_reprojected"] and "32634" in notes[0].message("en")
    store.dispose()
    assert cli.main(["--db", str(db_path), "--lang", "en", "import", str(path)]) == 0
    out = capsys.readouterr()
    assert "reprojected to WGS84 (EPSG:4326)" in out.err and "EPSG:32634" in out.err and "1 added" in out.out
    assert "u riprojektuan në WGS84" in notes[0].message("sq")


def test_a_geopackage_whose_first_layer_is_not_hotspots_reads_hotspots_and_names_the_rest(
        tmp_path: Path, store: Store, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "layers.gpkg"
    HANDLED_FILES["first_layer_not_hotspots.gpkg"](path)
    store.dispose()
    assert cli.main(["--db", str(db_path), "--lang", "en", "import", str(path)]) == 0
    out = capsys.readouterr()
    assert "only the layer “hotspots” of the GeoPackage was read; not read: aaa" in out.err and "1 added" in out.out


def test_a_polygon_at_the_vertex_limit_is_accepted(tmp_path: Path) -> None:
    import json

    from hotspots.plan import exchange
    from hotspots.base import settings

    from .hostile import _feature, _ring

    path = tmp_path / "limit.geojson"
    ring = _ring(settings.GEOMETRY_MAX_VERTICES - 1)  # closed: the limit exactly
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [_feature(
        location_quality="approximate", geometry={"type": "Polygon", "coordinates": [ring]})]}), encoding="utf-8")
    (record,) = exchange.read_features(path)  # (stored on a 1 cm grid: fewer distinct vertices)
    assert record.geometry is not None and record.geometry.geom_type == "Polygon"
