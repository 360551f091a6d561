"""Unit assignment and unit-layer validation on tiny inline geometries."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.plan import units
from hotspots.base.errors import UnitLayerError


def _grid_units() -> gpd.GeoDataFrame:
    """Six 1 km x 1 km squares in UTM 34N near Elbasan, 3 columns x 2 rows."""
    x0, y0 = 423000.0, 4551000.0
    boxes = [shapely.box(x0 + 1000 * (i % 3), y0 + 1000 * (i // 3), x0 + 1000 * (i % 3 + 1), y0 + 1000 * (i // 3 + 1))
             for i in range(6)]
    gdf = gpd.GeoDataFrame({"unit": [1, 2, 3, 4, 5, 6], "approximate": False}, geometry=boxes, crs=settings.CRS_METRIC)
    return gdf.to_crs(settings.CRS_STORE)


def _to4326(*geoms: BaseGeometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=list(geoms), crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)


def test_point_line_polygon_take_the_unit_holding_most_of_them() -> None:
    grid = _grid_units()
    x0, y0 = 423000.0, 4551000.0
    point = shapely.Point(x0 + 1500, y0 + 500)                          # in unit 2
    line = shapely.LineString([(x0 + 800, y0 + 500), (x0 + 1900, y0 + 500)])  # 200 m in 1, 900 m in 2
    zone = shapely.box(x0 + 2100, y0 + 700, x0 + 2900, y0 + 1600)      # 300 m in 3, 600 m in 6
    outside = shapely.Point(x0 - 5000, y0)
    got = units.assign_units(_to4326(point, line, zone, outside), grid)
    assert got.tolist()[:3] == [2, 2, 6]
    assert got.isna().tolist() == [False, False, False, True]


def test_missing_geometry_gets_no_unit() -> None:
    gdf = gpd.GeoDataFrame(geometry=[None], crs=settings.CRS_STORE)
    assert units.assign_units(gdf, _grid_units()).isna().all()


def test_missing_crs_is_refused() -> None:
    with pytest.raises(ValueError):
        units.assign_units(gpd.GeoDataFrame(geometry=[shapely.Point(20.08, 41.11)]), _grid_units())


@pytest.mark.parametrize("value,expected", [(3, 3), ("3", 3), ("nr. 4", 4), ("Lagjja nr. 6", 6)])
def test_parse_unit_number(value: object, expected: int) -> None:
    assert units.parse_unit_number(value) == expected


def test_validation_refuses_overlaps_missing_units_and_outside() -> None:
    grid = _grid_units()
    area = shapely.union_all(grid.geometry.values).buffer(0.001)
    units.validate_units(grid, area)
    with pytest.raises(UnitLayerError):
        units.validate_units(grid.iloc[:5], area)
    overlapping = grid.copy()
    overlapping.loc[0, "geometry"] = overlapping.geometry[0].buffer(0.003)
    with pytest.raises(UnitLayerError, match="overlap"):
        units.validate_units(overlapping, area)
    with pytest.raises(UnitLayerError, match="outside"):
        units.validate_units(grid, shapely.box(0, 0, 1, 1))


def _official_file(tmp_path: Path, crs: str) -> Path:
    layer = units.load_units().to_crs(crs)
    layer["NAME"] = [f"Lagjja nr. {u}" for u in layer["unit"]]
    path = tmp_path / "official.gpkg"
    layer[["NAME", "geometry"]].to_file(path, driver="GPKG")
    return path


def test_import_official_file_in_another_crs(tmp_path: Path) -> None:
    target = tmp_path / "units.geojson"
    imported = units.import_units(_official_file(tmp_path, settings.CRS_METRIC), "NAME", target)
    assert sorted(imported["unit"]) == [1, 2, 3, 4, 5, 6]
    again = units.load_units(target)
    assert not again["approximate"].any()
    assert not units.units_are_approximate(again)


def test_import_refuses_a_bad_file_and_keeps_the_layer(tmp_path: Path) -> None:
    target = tmp_path / "units.geojson"
    units.write_units(units.load_units(), target)
    before = target.read_bytes()
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    with pytest.raises(UnitLayerError):
        units.import_units(broken, "NAME", target)
    with pytest.raises(UnitLayerError, match="Field"):
        units.import_units(_official_file(tmp_path, settings.CRS_STORE), "NOPE", target)
    assert target.read_bytes() == before


def test_the_data_directory_is_validated_and_the_shipped_layer_is_the_fallback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOTS_DATA_DIR", "relative/data")
    with pytest.raises(ValueError, match="HOTSPOTS_DATA_DIR"):
        settings.runtime_dir()
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    monkeypatch.setenv("HOTSPOTS_DATA_DIR", str(a_file))
    with pytest.raises(ValueError, match="absolute path of a folder"):
        settings.runtime_dir()
    monkeypatch.delenv("HOTSPOTS_DATA_DIR")
    assert settings.runtime_dir() == settings.DATA_DIR
    monkeypatch.setenv("HOTSPOTS_DATA_DIR", str(tmp_path / "data"))
    assert settings.units_file() == settings.UNITS_FILE  # nothing replaced: the shipped layer
    written = units.write_units(units.load_units())
    assert written == settings.replaced_units_file() == settings.units_file() == tmp_path / "data" / "units.geojson"


def test_units_of_points_agrees_with_assign_units_and_follows_a_replaced_layer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """units_of places lone points with the prepared shapes (fast path): same answers as assign_units."""
    layer = units.load_units()
    minx, miny, maxx, maxy = layer.total_bounds
    grid = [shapely.Point(minx + (maxx - minx) * i / 23, miny + (maxy - miny) * j / 17) for i in range(24) for j in range(18)]
    corner = shapely.Point(layer.geometry.iloc[0].exterior.coords[0])  # a vertex: on unit 1's boundary
    points = [*grid, corner, shapely.Point(0.0, 0.0)]
    expected = units.assign_units(gpd.GeoDataFrame(geometry=points, crs=settings.CRS_STORE), layer)
    assert units.units_of(points) == [None if pd.isna(v) else int(v) for v in expected]
    assert {u for u in units.units_of(grid) if u is not None} == {1, 2, 3, 4, 5, 6}  # the grid meets every unit
    line = shapely.LineString([points[0], points[-3]])
    mixed = [points[5], None, line]  # not only points: assign_units decides
    assert units.units_of(mixed) == [None if pd.isna(v) else int(v) for v in units.assign_units(
        gpd.GeoDataFrame(geometry=mixed, crs=settings.CRS_STORE), layer)]
    monkeypatch.setenv("HOTSPOTS_DATA_DIR", str(tmp_path / "data"))
    replaced = settings.replaced_units_file()  # a replaced layer: the next call reads it, not the cached shipped one
    replaced.parent.mkdir(parents=True)
    _grid_units().to_file(replaced, driver="GeoJSON")
    assert settings.units_file() == replaced
    x0, y0 = 423000.0, 4551000.0
    inside = _to4326(shapely.Point(x0 + 2500, y0 + 1500)).geometry.tolist()  # in the grid's unit 6
    assert units.units_of(inside) == [6]
