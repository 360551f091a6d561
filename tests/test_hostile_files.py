"""The hostile-file corpus through ``import``: each refused (exit 2), the store byte-identical (issue 10)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hotspots import cli
from hotspots.store import Store

from .hostile import HOSTILE_FILES, gpkg_in_3857, write_hostile_files


def _digest(db: Path) -> str:
    """SHA-256 of the database file, once no connection is open (no WAL left beside it)."""
    assert not db.with_name(db.name + "-wal").exists()
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_hostile_files(tmp_path_factory.mktemp("hostile"))


def test_the_corpus_is_big_enough() -> None:
    assert len(HOSTILE_FILES) >= 20


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

    from hotspots import exchange

    path = tmp_path / "two.gpkg"
    gpd.GeoDataFrame({"name": ["wrong layer"], "category": ["crime"]}, geometry=[shapely.Point(20.0822, 41.1125)],
                     crs="EPSG:4326").to_file(path, layer="aaa", driver="GPKG")
    gpd.GeoDataFrame({"name": ["right layer"], "category": ["crime"], "period": ["2022-H2"]},
                     geometry=[shapely.Point(20.0822, 41.1125)], crs="EPSG:4326").to_file(path, layer="hotspots", driver="GPKG")
    assert [r.name for r in exchange.read_features(path)] == ["right layer"]


def test_a_wgs84_crs_member_is_accepted(tmp_path: Path) -> None:
    from hotspots import exchange

    for name in ("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"):
        exchange.check_crs({"type": "name", "properties": {"name": name}})


def test_a_geopackage_in_another_crs_is_reprojected_not_misread(tmp_path: Path) -> None:
    from hotspots import exchange

    path = tmp_path / "mercator.gpkg"
    gpkg_in_3857(path)
    (record,) = exchange.read_features(path)
    assert record.geometry is not None and 19.9 < record.geometry.x < 20.2 and 41.0 < record.geometry.y < 41.2
