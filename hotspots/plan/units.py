"""Units (lagje) 1-6 of the city of Elbasan: load, build, validate, replace, assign.

No public source gives the six units' boundaries. The layer shipped in
``geodata/units.geojson`` is an approximation built from anchor points
(:func:`build_approximate_units`); every feature carries ``approximate = true`` so
the app can say so. :func:`import_units` replaces it with an official file, written to
the data directory (:func:`hotspots.base.settings.replaced_units_file`), never over the
shipped file; the layer in use is :func:`hotspots.base.settings.units_file`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd
import shapely
import yaml
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import UnitLayerError, ValidationError
from hotspots.base.missing import int_or_none


def _require_crs(gdf: gpd.GeoDataFrame, what: str) -> None:
    if gdf.crs is None:
        raise ValueError(f"{what} has no CRS")


@lru_cache(maxsize=2)
def _read_cached(path: str, mtime: float) -> gpd.GeoDataFrame:
    return gpd.read_file(path)


def read_layer(path: Path) -> gpd.GeoDataFrame:
    """Read a shipped layer (cached until the file changes), in EPSG:4326."""
    gdf = _read_cached(str(path), Path(path).stat().st_mtime)
    _require_crs(gdf, str(path))
    return gdf.to_crs(settings.CRS_STORE).copy()


def municipality() -> BaseGeometry:
    """Return the polygon of the municipality (its folder's boundary; Elbasan: the 2015 boundary)."""
    return _municipality_cached(settings.MUNICIPALITY_FILE.stat().st_mtime)


@lru_cache(maxsize=2)
def _municipality_cached(mtime: float) -> BaseGeometry:
    """Return the municipality, unioned and prepared once per file version (checks run per record)."""
    shape = shapely.union_all(read_layer(settings.MUNICIPALITY_FILE).geometry.values)
    shapely.prepare(shape)
    return shape


def city_unit() -> BaseGeometry:
    """Return the polygon of the city area (its folder's; Elbasan: the former city municipality)."""
    return shapely.union_all(read_layer(settings.CITY_UNIT_FILE).geometry.values)


def load_units(path: Path | None = None) -> gpd.GeoDataFrame:
    """Load the unit layer: columns ``unit`` (1-6), ``approximate``, ``source``, geometry.

    Examples
    --------
    >>> sorted(load_units()["unit"])
    [1, 2, 3, 4, 5, 6]
    """
    gdf = read_layer(path or settings.units_file())
    gdf["unit"] = gdf["unit"].astype(int)
    gdf["approximate"] = gdf["approximate"].astype(bool)
    return gdf.sort_values("unit").reset_index(drop=True)


def units_are_approximate(units: gpd.GeoDataFrame | None = None) -> bool:
    """Return whether the unit layer in use is the approximation (not an official file)."""
    units = load_units() if units is None else units
    return bool(units["approximate"].any())


def build_approximate_units(
    city: BaseGeometry, anchors: dict[int, list[tuple[float, float]]]
) -> gpd.GeoDataFrame:
    """Tile ``city`` into one polygon per unit from anchor points (Voronoi, merged).

    Parameters
    ----------
    city
        Polygon of the city unit, EPSG:4326.
    anchors
        For each unit number, its anchor points as ``(lat, lon)``.

    Returns
    -------
    GeoDataFrame
        One row per unit, EPSG:4326, ``approximate`` set to true.
    """
    rows = [(u, lon, lat) for u, pts in anchors.items() for lat, lon in pts]
    seeds = gpd.GeoSeries(
        [shapely.Point(x, y) for _, x, y in rows], crs=settings.CRS_STORE
    ).to_crs(settings.CRS_METRIC)
    city_m = gpd.GeoSeries([city], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    xy = list(zip(seeds.x, seeds.y, strict=True))
    cells = shapely.voronoi_polygons(shapely.MultiPoint(xy), extend_to=city_m.buffer(2000))
    seed_unit = {(round(x, 3), round(y, 3)): u for (x, y), (u, _, _) in zip(xy, rows, strict=True)}
    parts: dict[int, list[BaseGeometry]] = {u: [] for u in anchors}
    for cell in cells.geoms:
        for point, unit in seed_unit.items():
            if cell.contains(shapely.Point(point)):
                parts[unit].append(cell)
    geoms = [_drop_slivers(shapely.union_all(parts[u]).intersection(city_m)) for u in sorted(parts)]
    out = gpd.GeoDataFrame(
        {"unit": sorted(parts), "approximate": True},
        geometry=gpd.GeoSeries(geoms, crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE),
    )
    out["name"] = [unit_name(u) for u in out["unit"]]
    out["source"] = "approximation: Voronoi of documented anchors (geodata/unit_anchors.yaml)"
    return out


def _drop_slivers(geom: BaseGeometry, min_area_m2: float = 1000.0) -> BaseGeometry:
    """Remove the parts of a (metric) polygon smaller than ``min_area_m2``."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.area >= min_area_m2]
    return shapely.union_all(parts)


def read_anchors(path: Path = settings.UNIT_ANCHORS_FILE) -> dict[int, list[tuple[float, float]]]:
    """Read the anchor points of :func:`build_approximate_units` from YAML."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {
        int(u): [(float(a["lat"]), float(a["lon"])) for a in spec["anchors"]]
        for u, spec in raw["units"].items()
    }


_UNIT_NUMBER_RE = re.compile(r"(\d+)\s*$")


def unit_name(number: int) -> str:
    """Return the name of unit ``number`` as the municipality's folder writes it (in Albanian)."""
    unit = settings.MUNICIPALITY.unit(int(number))
    return unit.name_in("sq") if unit is not None else str(number)


def parse_unit_number(value: Any) -> int:
    """Return the unit number from a unit's name in the municipality's folder, ``3``, ``"3"``, ``"nr. 3"``.

    A name is matched whole, in any of its languages, case and spacing aside (Elbasan:
    ``"Lagjja nr. 3"``; a municipality of named units: ``"Qendra"``).
    """
    text = " ".join(str(value).split()).casefold()
    for unit in settings.MUNICIPALITY.units:
        if text in {" ".join(n.split()).casefold() for n in unit.name.values()}:
            return unit.number
    match = _UNIT_NUMBER_RE.search(str(value).strip())
    if not match or int(match.group(1)) not in settings.UNIT_NUMBERS:
        raise UnitLayerError("err_units_field_value", value=value)
    return int(match.group(1))


def validate_units(units: gpd.GeoDataFrame, area: BaseGeometry | None = None, *,
                   numbers: Sequence[int] | None = None, crs: str | None = None) -> None:
    """Check a unit layer: the municipality's units, each once; valid polygons, no overlaps, inside ``area``.

    ``numbers`` and ``crs`` (the metric CRS of the measures) default to this process's
    municipality; :func:`hotspots.plan.folders.check_folder` passes another folder's.

    Raises
    ------
    UnitLayerError
        Naming the first problem found.
    """
    _require_crs(units, "unit layer")
    found = sorted(int(u) for u in units["unit"])
    expected = sorted(numbers if numbers is not None else settings.UNIT_NUMBERS)
    if found != expected:
        raise UnitLayerError("err_units_numbers", found=found, expected=", ".join(map(str, expected)))
    metric_crs = crs or settings.CRS_METRIC
    if not units.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        raise UnitLayerError("err_units_not_polygons")
    if not units.is_valid.all():
        bad = units.loc[~units.is_valid, "unit"].tolist()
        raise UnitLayerError("err_units_invalid", units=bad)
    metric = units.to_crs(metric_crs).reset_index(drop=True)
    for i in range(len(metric)):
        for j in range(i + 1, len(metric)):
            overlap = metric.geometry[i].intersection(metric.geometry[j]).area
            if overlap > settings.UNIT_OVERLAP_TOLERANCE_M2:
                raise UnitLayerError(
                    "err_units_overlap", a=metric["unit"][i], b=metric["unit"][j], m2=round(overlap)
                )
    area_m = gpd.GeoSeries([area or municipality()], crs=settings.CRS_STORE).to_crs(metric_crs)
    outside = metric.geometry.difference(area_m.iloc[0].buffer(settings.UNIT_OUTSIDE_TOLERANCE_M))
    if (outside.area > settings.UNIT_OVERLAP_TOLERANCE_M2).any():
        raise UnitLayerError("err_units_outside", units=metric.loc[outside.area > 0, "unit"].tolist())


def read_unit_file(path: Path, unit_field: str) -> gpd.GeoDataFrame:
    """Read an official unit file (GeoJSON, GeoPackage, Shapefile; any CRS).

    Features of the same unit are merged. The result is in EPSG:4326 with
    ``approximate = false``.
    """
    try:
        raw = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise UnitLayerError("err_units_unreadable", path=str(path), reason=str(exc)[:200]) from None
    if raw.crs is None:
        raise UnitLayerError("err_units_no_crs", path=str(path))
    if unit_field not in raw.columns:
        raise UnitLayerError("err_units_field", field=unit_field, columns=", ".join(map(str, raw.columns)))
    raw = raw.to_crs(settings.CRS_STORE)
    raw["unit"] = [parse_unit_number(v) for v in raw[unit_field]]
    merged = raw.dissolve(by="unit", as_index=False)[["unit", "geometry"]]
    merged["approximate"] = False
    merged["name"] = [unit_name(u) for u in merged["unit"]]
    merged["source"] = f"official file {Path(path).name}"
    return merged


def write_units(units: gpd.GeoDataFrame, path: Path | None = None) -> Path:
    """Write a validated unit layer atomically (the old file stays if anything fails).

    ``path`` defaults to the replaced layer in the data directory (the layer then in use).
    """
    validate_units(units)
    target = Path(path or settings.replaced_units_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp.geojson")
    units[["unit", "name", "approximate", "source", "geometry"]].to_file(tmp, driver="GeoJSON")
    tmp.replace(target)
    _read_cached.cache_clear()
    return target


def write_units_beside(units: gpd.GeoDataFrame, path: Path | None = None) -> Path:
    """Write a validated unit layer next to its target (``units.new.geojson``), not over it.

    :func:`swap_in` then replaces the layer in one rename, once everything else (the
    store's recomputed units) has succeeded. ``path`` defaults to the replaced layer in
    the data directory.
    """
    validate_units(units)
    target = Path(path or settings.replaced_units_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    pending = target.with_name(target.stem + ".new.geojson")
    pending.unlink(missing_ok=True)
    units[["unit", "name", "approximate", "source", "geometry"]].to_file(pending, driver="GeoJSON")
    return pending


def swap_in(pending: Path, path: Path | None = None) -> Path:
    """Make ``pending`` the unit layer in use (an atomic rename into the data directory)."""
    target = Path(path or settings.replaced_units_file())
    pending.replace(target)
    _read_cached.cache_clear()
    return target


def import_units(path: Path, unit_field: str, target: Path | None = None) -> gpd.GeoDataFrame:
    """Replace the unit layer with an official file, validated first.

    Raises
    ------
    UnitLayerError
        If the file is unreadable or not six valid, non-overlapping units in the
        municipality; the current layer is then left as it was.
    """
    units = read_unit_file(path, unit_field)
    write_units(units, target)
    return units


def assign_units(gdf: gpd.GeoDataFrame, units: gpd.GeoDataFrame | None = None) -> pd.Series:
    """Return the unit (1-6, or missing) of every geometry of ``gdf``.

    Points take the unit that contains them. Lines and polygons take the unit holding
    the largest share of their length or area (measured in EPSG:32634). Empty or
    missing geometries, and geometries outside every unit, get a missing value.
    """
    units = load_units() if units is None else units
    _require_crs(gdf, "hotspots")
    result = pd.Series(pd.NA, index=gdf.index, dtype="Int64")
    located = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if located.empty:
        return result
    joined = gpd.sjoin(
        located[[located.geometry.name]].to_crs(settings.CRS_STORE),
        units[["unit", "geometry"]],
        how="inner",
        predicate="intersects",
    )
    if joined.empty:
        return result
    left_m = located.geometry.to_crs(settings.CRS_METRIC)
    units_m = units.set_index("unit").geometry.to_crs(settings.CRS_METRIC)
    shares = [_share(left_m.loc[idx], units_m.loc[unit]) for idx, unit in zip(joined.index, joined["unit"], strict=True)]
    joined = joined.assign(share=shares).sort_values("share", ascending=False)
    best = joined[~joined.index.duplicated(keep="first")]
    result.loc[best.index] = best["unit"].astype(int).to_numpy()
    return result


def units_of(geometries: Sequence[BaseGeometry | None]) -> list[int | None]:
    """Return the unit (1-6) each WGS84 geometry falls in, None where it has none or is outside.

    Points that meet at most one unit (all but those on a shared boundary) are placed
    with the prepared unit shapes alone, as :func:`assign_units` would place them; any
    other geometry goes through :func:`assign_units` (one save is then a few ms, not ~30).
    """
    if not geometries:
        return []
    path = settings.units_file()
    shapes = _prepared_units(str(path), path.stat().st_mtime)
    placed = [_unit_of_lone_point(g, shapes) for g in geometries]
    if all(done for done, _ in placed):
        return [unit for _, unit in placed]
    # types-geopandas: a geometry list may hold None (missing), the stub says Sequence[Geometry]
    gdf = gpd.GeoDataFrame(geometry=cast("list[BaseGeometry]", list(geometries)), crs=settings.CRS_STORE)
    return [int_or_none(v) for v in assign_units(gdf)]


@lru_cache(maxsize=2)
def _prepared_units(path: str, mtime: float) -> tuple[tuple[int, BaseGeometry], ...]:
    """Return the unit layer in use as (unit, prepared shape) pairs in EPSG:4326, once per file version."""
    layer = load_units(Path(path))
    pairs = tuple((int(u), g) for u, g in zip(layer["unit"], layer.geometry, strict=True))
    for _, shape in pairs:
        shapely.prepare(shape)
    return pairs


def _unit_of_lone_point(geom: BaseGeometry | None, shapes: tuple[tuple[int, BaseGeometry], ...]) -> tuple[bool, int | None]:
    """Return (True, unit or None) for a point meeting at most one unit; (False, None) for anything else."""
    if not isinstance(geom, shapely.Point) or geom.is_empty:
        return False, None
    met = [unit for unit, shape in shapes if shape.intersects(geom)]
    return (False, None) if len(met) > 1 else (True, met[0] if met else None)


def _share(geom: BaseGeometry, unit: BaseGeometry) -> float:
    """Return how much of ``geom`` lies in ``unit`` (area, length, or 1 for points)."""
    part = geom.intersection(unit)
    if geom.area > 0:
        return float(part.area)
    if geom.length > 0:
        return float(part.length)
    return 1.0 if not part.is_empty else 0.0


def unit_of_point(lat: float, lon: float, units: gpd.GeoDataFrame | None = None) -> int | None:
    """Return the unit holding a point, or None outside the six units."""
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat)], crs=settings.CRS_STORE)
    value = assign_units(gdf, units).iloc[0]
    return int_or_none(value)


def check_inside_municipality(geom: BaseGeometry) -> BaseGeometry:
    """Return ``geom`` if it lies inside the municipality, else raise ValidationError."""
    if not municipality().contains(geom):
        point = geom.representative_point()
        raise ValidationError("err_outside_area", lat=round(point.y, 5), lon=round(point.x, 5))
    return geom


def unit_disagreements(
    hotspots: gpd.GeoDataFrame, units: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """Return the located hotspots whose plan unit differs from the computed unit.

    ``hotspots`` needs ``id``, ``plan_unit`` and a geometry. Hotspots without a plan unit
    (e.g. problem 1.10) or without a location are not compared.
    """
    computed = assign_units(hotspots, units)  # recomputed: the stored unit may be stale
    frame = pd.DataFrame(
        {"id": hotspots["id"], "plan_unit": hotspots["plan_unit"].astype("Int64"), "computed_unit": computed}
    )
    compared = frame.dropna(subset=["plan_unit"])
    compared = compared[hotspots.loc[compared.index].geometry.notna()]
    return compared[compared["plan_unit"] != compared["computed_unit"].fillna(-1)].reset_index(drop=True)


@lru_cache(maxsize=1)
def load_landmarks(path: Path | None = None) -> pd.DataFrame:
    """Return the landmarks (``kind, name, name_en, lat, lon``) of ``geodata/landmarks.csv``.

    OSM points of interest (© OpenStreetMap contributors, ODbL): street context for maps
    drawn without tiles. Missing names are empty strings.
    """
    path = path or settings.LANDMARKS_FILE
    if not path.is_file():  # a municipality folder without landmarks: maps draw no street context
        return pd.DataFrame({"osm_node_id": [], "kind": [], "name": [], "name_en": [], "lat": [], "lon": []})
    frame = pd.read_csv(path, dtype={"osm_node_id": str, "name": str, "name_en": str})
    return frame.fillna({"name": "", "name_en": ""})
