"""Municipality folders: check one before the app uses it, and build a new one from official files.

A folder (:mod:`hotspots.base.municipality`) is usable when its manifest reads, its boundary and
units are valid polygons, every unit of the manifest is in the unit file once (and no other),
the units do not overlap and lie inside the boundary, the plan loads and names the problem of
each hotspot category, and the gazetteer has the columns the place search reads.
:func:`check_folder` says all that is wrong at once; :func:`create_folder` writes a folder from
a boundary file and a unit file (any CRS, units named or numbered by one field) and names
plainly the parts it could not make (a plan, a gazetteer).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import yaml
from shapely.geometry.base import BaseGeometry

from hotspots.base import municipality as folder_manifest
from hotspots.base.errors import HotspotError, UnitLayerError
from hotspots.base.municipality import MANIFEST, Municipality, MunicipalityError
from hotspots.plan.plan import load_plan
from hotspots.plan.units import read_layer, validate_units


#: Columns the gazetteer (``places.csv``) must have.
PLACES_COLUMNS: tuple[str, ...] = ("name", "kind", "lat", "lon", "aliases", "confidence", "source", "licence")


@dataclass(frozen=True)
class FolderReport:
    """What :func:`check_folder` found: the folder read (None if its manifest did not) and every problem."""

    municipality: Municipality | None
    problems: tuple[HotspotError, ...]

    @property
    def ok(self) -> bool:
        """Return whether the folder can be used."""
        return self.municipality is not None and not self.problems


def _fault(place: Municipality, what: str, allowed: HotspotError) -> MunicipalityError:
    return MunicipalityError("err_municipality", folder=str(place.folder), what=what, allowed=allowed)


def _area(place: Municipality, part: str, problems: list[HotspotError]) -> BaseGeometry | None:
    try:
        layer = read_layer(place.file(part))
    except Exception:  # noqa: BLE001  # pyogrio raises several types for unreadable files
        problems.append(_fault(place, f"files.{part}", HotspotError("muni_need_polygons")))
        return None
    if layer.empty or not layer.geom_type.isin(["Polygon", "MultiPolygon"]).all() or not layer.is_valid.all():
        problems.append(_fault(place, f"files.{part}", HotspotError("muni_need_polygons")))
        return None
    return shapely.union_all(layer.geometry.values)


def check_folder(folder: Path) -> FolderReport:
    """Check the municipality folder ``folder``; return every problem found (none: usable)."""
    try:
        place = folder_manifest.load(folder)
    except MunicipalityError as exc:
        return FolderReport(None, (exc,))
    problems: list[HotspotError] = []
    boundary = _area(place, "boundary", problems)
    city = _area(place, "city", problems)
    if boundary is not None and city is not None and not boundary.buffer(0.001).contains(city):
        problems.append(_fault(place, "files.city", HotspotError("muni_need_inside")))
    try:
        units = read_layer(place.file("units"))
        validate_units(units, boundary, numbers=place.unit_numbers, crs=place.crs)
    except UnitLayerError as exc:
        problems.append(exc)
    except Exception:  # noqa: BLE001  # an unreadable file, a missing "unit" field
        problems.append(_fault(place, "files.units", HotspotError("muni_need_units_file")))
    try:
        plan = load_plan(place.file("plan"))
        known = {p.id for p in plan.problems}
        for category, problem in place.categories.items():
            if problem not in known:
                problems.append(_fault(place, f"categories.{category} ({problem})", HotspotError("muni_need_problem")))
    except Exception:  # noqa: BLE001  # YAML, a missing key, an unknown institution
        problems.append(_fault(place, "files.plan", HotspotError("muni_need_plan")))
    if "baseline" in place.files:  # every unit the plan names for its hotspots is a unit of the folder
        try:
            named = {f.get("properties", {}).get("plan_unit") for f in
                     json.loads(place.file("baseline").read_text(encoding="utf-8")).get("features", [])}
        except (ValueError, AttributeError):
            named = {"?"}
        if unknown := sorted(str(u) for u in named - {None, *place.unit_numbers}):
            problems.append(_fault(place, f"files.baseline (plan_unit {', '.join(unknown)})",
                                   HotspotError("muni_need_plan_units", units=", ".join(map(str, place.unit_numbers)))))
    with open(place.file("places"), encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    if missing := [c for c in PLACES_COLUMNS if c not in header]:
        problems.append(_fault(place, f"files.places ({', '.join(missing)})",
                               HotspotError("muni_need_columns", columns=", ".join(PLACES_COLUMNS))))
    return FolderReport(place, tuple(problems))


def utm_crs(area: BaseGeometry) -> str:
    """Return the UTM zone (WGS84) of the centre of ``area`` (EPSG:4326), as ``EPSG:326NN`` / ``EPSG:327NN``.

    Examples
    --------
    >>> utm_crs(shapely.box(20.0, 41.0, 20.2, 41.2))
    'EPSG:32634'
    """
    centre = area.centroid
    zone = min(60, int((centre.x + 180) // 6) + 1)
    return f"EPSG:{(32600 if centre.y >= 0 else 32700) + zone}"


def _read_any(path: Path, what: str) -> gpd.GeoDataFrame:
    try:
        raw = gpd.read_file(path)
    except Exception as exc:  # noqa: BLE001  # pyogrio raises several types for unreadable files
        raise UnitLayerError("err_units_unreadable", path=str(path), reason=str(exc)[:200]) from None
    if raw.crs is None:
        raise UnitLayerError("err_units_no_crs", path=str(path))
    if raw.empty:
        raise UnitLayerError("err_units_unreadable", path=str(path), reason=f"no {what}")
    return raw.to_crs("EPSG:4326")


def _gazetteer(source: Path | None) -> str | None:
    """Return ``places.csv`` from a CSV of the same columns, or from OSM points with a ``name``; None without."""
    if source is None:
        return None
    if source.suffix.lower() == ".csv":
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    else:  # an OSM extract: points with their name
        points = _read_any(source, "places")
        points = points[points.geom_type == "Point"]
        named = points[points.get("name", pd.Series(dtype=str)).fillna("").astype(str).str.strip() != ""]
        frame = pd.DataFrame({
            "name": named["name"].astype(str).str.strip(), "kind": "landmark",
            "lat": named.geometry.y.round(6).astype(str), "lon": named.geometry.x.round(6).astype(str),
            "aliases": "", "confidence": "medium", "source": f"OpenStreetMap extract {source.name}",
            "licence": "ODbL (© OpenStreetMap contributors)",
        })
    if missing := [c for c in PLACES_COLUMNS if c not in frame.columns]:
        raise MunicipalityError("err_municipality", folder=str(source), what=", ".join(missing),
                                allowed=HotspotError("muni_need_columns", columns=", ".join(PLACES_COLUMNS)))
    out = io.StringIO()
    frame[list(PLACES_COLUMNS)].to_csv(out, index=False)
    return out.getvalue()


def create_folder(
    folder: Path, *, boundary: Path, units: Path, unit_field: str, name: str, key: str,
    crs: str | None = None, gazetteer: Path | None = None, plan: Path | None = None,
) -> list[str]:
    """Write a municipality folder from official files; return the parts still missing (by manifest key).

    ``units`` holds one feature (or several, merged) per unit; ``unit_field`` names each unit by
    a number or a name. Numbered units keep their numbers; named ones are numbered 1, 2, … in
    the order of their names. The city area is the whole boundary until an official one is
    put in its place. The folder is refused if it already holds a manifest.

    Raises
    ------
    MunicipalityError, UnitLayerError
        For a folder already made, or a file that cannot be read.
    """
    folder = Path(folder)
    if (folder / MANIFEST).exists():
        raise MunicipalityError("err_municipality", folder=str(folder), what=MANIFEST,
                                allowed=HotspotError("muni_need_new_folder"))
    area_frame = _read_any(boundary, "boundary")
    area = shapely.union_all(area_frame.geometry.values)
    raw = _read_any(units, "units")
    if unit_field not in raw.columns:
        raise UnitLayerError("err_units_field", field=unit_field, columns=", ".join(map(str, raw.columns)))
    labels = raw[unit_field].astype(str).str.strip()
    numeric = labels.str.fullmatch(r"\d{1,3}").all()
    order = sorted(set(labels), key=(lambda v: int(v)) if numeric else (lambda v: v.casefold()))
    number = {label: int(label) if numeric else i for i, label in enumerate(order, start=1)}
    raw["unit"] = labels.map(number)
    merged = raw.dissolve(by="unit", as_index=False)[["unit", "geometry"]]
    merged["name"] = [next(label for label, n in number.items() if n == u) for u in merged["unit"]]
    merged["approximate"] = False
    merged["source"] = f"official file {units.name}"
    crs = crs or utm_crs(area)
    folder.mkdir(parents=True, exist_ok=True)
    gpd.GeoDataFrame({"name": [name]}, geometry=[area], crs="EPSG:4326").to_file(folder / "boundary.geojson",
                                                                                   driver="GeoJSON")
    shutil.copyfile(folder / "boundary.geojson", folder / "city.geojson")
    merged[["unit", "name", "approximate", "source", "geometry"]].to_file(folder / "units.geojson", driver="GeoJSON")
    missing: list[str] = []
    places = _gazetteer(gazetteer)
    if places is not None:
        (folder / "places.csv").write_text(places, encoding="utf-8")
    else:
        missing.append("places")
    if plan is not None:
        shutil.copyfile(plan, folder / "plan.yaml")
    else:
        missing.append("plan")
    categories = {"crime": "", "street_children": ""}
    if plan is not None:
        for problem in load_plan(folder / "plan.yaml").problems:
            if problem.category in categories and not categories[problem.category]:
                categories[problem.category] = problem.id
    centre = area.representative_point()
    manifest = {
        "key": key, "name": name, "short_name": name, "crs": crs,
        "centre": [round(centre.y, 5), round(centre.x, 5)], "zoom": 13,
        "units": [{"number": int(u), "name": str(n)} for u, n in zip(merged["unit"], merged["name"], strict=True)],
        "categories": categories,
        "files": {"boundary": "boundary.geojson", "city": "city.geojson", "units": "units.geojson",
                  "plan": "plan.yaml", "places": "places.csv"},
    }
    (folder / MANIFEST).write_text(
        "# Written by `python -m hotspots municipality create`; check with `municipality check`.\n"
        + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return missing
