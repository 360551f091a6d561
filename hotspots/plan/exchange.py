"""Import and export: GeoJSON, CSV and GeoPackage files of hotspot observations.

Reading is all-or-nothing: :func:`read_features` validates every feature and raises on
the first problem, before anything reaches the store. Writing produces exactly the
rows it is given (the filtered view of a page, or a command-line query).
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import HotspotError, ImportFileError
from hotspots.base.i18n import languages, t
from hotspots.base.labels import CSV_HEADER, label
from hotspots.base.missing import is_missing
from hotspots.plan.records import Record, make_record


#: Properties every exported feature carries, in order.
EXPORT_FIELDS: tuple[str, ...] = (
    "id", "name", "name_en", "category", "problem", "unit", "unit_source", "plan_unit", "period", "status",
    "location_quality", "location_source", "description", "notes", "activities", "dataset",
)
#: Fields left out of exports for readers who may not see internal notes.
INTERNAL_FIELDS: tuple[str, ...] = ("notes",)
FORMATS: tuple[str, ...] = ("geojson", "csv", "gpkg")


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise ImportFileError("err_file_missing", path=str(path))
    size = path.stat().st_size
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError("err_file_too_big", size=size, limit=settings.IMPORT_MAX_BYTES)
    return path.read_bytes()


def parse_geojson(data: bytes) -> list[dict[str, Any]]:
    """Return the features of a GeoJSON FeatureCollection, checking its structure.

    Raises
    ------
    ImportFileError
        If the bytes are not UTF-8 JSON holding a FeatureCollection.
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise ImportFileError("err_file_encoding") from None
    except json.JSONDecodeError as exc:
        raise ImportFileError("err_file_json", line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise ImportFileError("err_file_deep") from None
    except ValueError as exc:  # NaN/Infinity (below), an integer past Python's digit limit
        raise ImportFileError("err_file_number", reason=str(exc)[:80]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ImportFileError("err_file_structure")
    check_crs(doc.get("crs"))
    features: list[dict[str, Any]] = doc["features"]  # each one checked by _feature_geometry
    return features


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


#: GeoJSON ``crs`` names that mean WGS84 longitude/latitude.
_WGS84_NAMES: frozenset[str] = frozenset({
    "EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84", "OGC:CRS84", "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "http://www.opengis.net/def/crs/EPSG/0/4326",
})


def check_crs(crs: Any) -> None:
    """Accept a GeoJSON ``crs`` member only if it names WGS84 (EPSG:4326 / CRS84), else raise.

    The member is parsed, not searched: ``{"type": "name", "properties": {"name": N}}``
    with N one of :data:`_WGS84_NAMES`; EPSG:3857 does not pass because its text holds 4326.
    """
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) and isinstance(crs.get("properties"), dict) else None
    if not (isinstance(crs, dict) and crs.get("type") == "name" and isinstance(name, str) and name.strip() in _WGS84_NAMES):
        raise ImportFileError("err_file_crs", crs=safe_text(json.dumps(crs, ensure_ascii=True)[:80]))


def safe_text(text: str) -> str:
    """Return ``text`` with control characters and lone surrogates replaced by ``?`` (for messages)."""
    return "".join("?" if (ord(c) < 32 or 127 <= ord(c) < 160 or 0xD800 <= ord(c) <= 0xDFFF) else c for c in text)


def _feature_geometry(feature: Any) -> BaseGeometry | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ImportFileError("err_file_structure")
    check_crs(feature.get("crs"))  # a crs member on a feature or a geometry is read as the file's would be
    raw = feature.get("geometry")
    if raw is None:
        return None
    if isinstance(raw, dict):
        check_crs(raw.get("crs"))
    check_geojson_geometry(raw)
    try:
        return shapely.geometry.shape(raw)
    except Exception as exc:  # shapely raises several types for malformed geometry
        raise ImportFileError("err_geometry_malformed", reason=str(exc)[:120]) from None


#: GeoJSON geometry types (RFC 7946, exact case) and the depth of their ``coordinates`` above a position.
GEOJSON_DEPTH: dict[str, int] = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
                                 "MultiPolygon": 3}


def check_geojson_geometry(raw: Any) -> None:
    """Refuse what shapely would read leniently: RFC 7946 is followed to the letter.

    The type in its exact case; every position two numbers (not text, not booleans: a third
    one, a height, is refused by the grade check as 3-D); no empty coordinates (an unlocated
    hotspot has ``null`` geometry); every polygon ring closed (first position = last).
    ``GeometryCollection`` is left to the type check of :func:`hotspots.plan.model.check_geometry`.

    Raises
    ------
    ImportFileError
        ``err_geometry_malformed`` naming the first problem.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise ImportFileError("err_geometry_malformed", reason="no geometry type")
    kind = raw["type"]
    if kind == "GeometryCollection":
        return
    if kind not in GEOJSON_DEPTH:
        raise ImportFileError("err_geometry_malformed", reason=f"unknown geometry type {safe_text(kind[:40])!r}")
    _check_coordinates(raw.get("coordinates"), GEOJSON_DEPTH[kind], ring=kind in ("Polygon", "MultiPolygon"))


def _check_coordinates(value: Any, depth: int, *, ring: bool) -> None:
    if isinstance(value, (list, tuple)) and not value:
        raise ImportFileError("err_geometry_empty")
    if depth == 0:
        if not isinstance(value, (list, tuple)) or len(value) < 2:
            raise ImportFileError("err_geometry_position")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            raise ImportFileError("err_geometry_position")
        return
    if not isinstance(value, (list, tuple)):
        raise ImportFileError("err_geometry_position")
    for part in value:
        _check_coordinates(part, depth - 1, ring=ring)
    if ring and depth == 1 and (len(value) < 4 or list(value[0]) != list(value[-1])):
        raise ImportFileError("err_geometry_ring_open")


def records_from_features(features: list[Any], *, default_period: str | None = None) -> list[Record]:
    """Validate GeoJSON-like features into records (all or nothing).

    Two features with the same id and period are refused (they would merge into one row).
    """
    if not features:
        raise ImportFileError("err_file_empty")
    records = []
    seen: dict[tuple[str, str], int] = {}
    for number, feature in enumerate(features, start=1):
        try:
            geometry = _feature_geometry(feature)
            props = feature.get("properties") or {}
            if not isinstance(props, dict):
                raise ImportFileError("err_file_structure")
            record = make_record(props, geometry, default_period=default_period)
        except HotspotError as exc:
            raise ImportFileError("err_feature", number=number, cause=exc) from None
        except (RecursionError, OverflowError, ValueError, TypeError) as exc:  # a value no validator foresaw
            raise ImportFileError("err_feature", number=number,
                                  cause=ImportFileError("err_value_strange", reason=type(exc).__name__)) from None
        if record.hotspot_id is not None:
            key = (record.hotspot_id, record.period)
            if key in seen:
                raise ImportFileError("err_file_duplicate_id", id=record.hotspot_id, period=record.period,
                                      first=seen[key], number=number)
            seen[key] = number
        records.append(record)
    return records


def _features_from_frame(gdf: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    gdf = gdf.to_crs(settings.CRS_STORE) if gdf.crs is not None else gdf
    out = []
    for (_, row), shape in zip(gdf.iterrows(), gdf.geometry, strict=True):
        props = {k: (None if is_missing(v) else v) for k, v in row.items() if k != gdf.geometry.name}
        geom = located(shape)
        out.append({"type": "Feature", "properties": props,
                    "geometry": None if geom is None else shapely.geometry.mapping(geom)})
    return out


def _read_csv(data: bytes) -> list[dict[str, Any]]:
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        raise ImportFileError("err_file_csv") from None
    headers = _header_fields()
    frame.columns = [headers.get(c, c) for c in frame.columns]  # translated headers read back
    if "wkt" not in frame.columns or "name" not in frame.columns:
        raise ImportFileError("err_file_csv")
    frame = frame.map(restore_formula)
    try:
        geoms = [shapely.from_wkt(w) if w else None for w in frame.pop("wkt")]
    except shapely.errors.GEOSException as exc:
        raise ImportFileError("err_geometry_malformed", reason=str(exc)[:120]) from None
    for col in ("lat", "lon"):
        frame.pop(col) if col in frame.columns else None
    # types-geopandas: a geometry list may hold None (missing), the stub says Sequence[Geometry]
    shapes = cast("list[BaseGeometry]", geoms)
    return _features_from_frame(gpd.GeoDataFrame(frame, geometry=shapes, crs=settings.CRS_STORE))


#: The layer an import GeoPackage must hold (the one :func:`to_gpkg` writes).
GPKG_LAYER = "hotspots"


class ReadNote:
    """Something an import did on purpose that its reader should be told (a translatable message)."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params

    def message(self, lang: str) -> str:
        """Return the note in ``lang``."""
        return t(self.key, lang, **self.params)


def _read_gpkg(path: Path, notes: list[ReadNote]) -> list[dict[str, Any]]:
    """Read the ``hotspots`` layer of a GeoPackage (not whichever layer comes first).

    Other layers are not read, and a layer in another coordinate system is reprojected to
    WGS84: both are said in ``notes``.
    """
    import pyogrio

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception:  # pyogrio raises several types for broken files
        raise ImportFileError("err_file_gpkg") from None
    if GPKG_LAYER not in layers:
        raise ImportFileError("err_file_gpkg_layer", layer=GPKG_LAYER, found=safe_text(", ".join(layers)[:120]))
    try:
        frame = gpd.read_file(path, layer=GPKG_LAYER)
    except Exception:
        raise ImportFileError("err_file_gpkg") from None
    if frame.crs is None:
        raise ImportFileError("err_file_crs", crs="—")
    others = [name for name in layers if name != GPKG_LAYER]
    if others:
        notes.append(ReadNote("note_gpkg_other_layers", layer=GPKG_LAYER, others=safe_text(", ".join(others)[:120])))
    if not frame.crs.equals(settings.CRS_STORE):
        notes.append(ReadNote("note_gpkg_reprojected", crs=safe_text(str(frame.crs.to_string())[:60])))
    return _features_from_frame(frame)


def read_features(path: Path, *, default_period: str | None = None, notes: list[ReadNote] | None = None) -> list[Record]:
    """Read and validate an import file (GeoJSON, CSV with ``wkt``, or GeoPackage).

    Parameters
    ----------
    notes
        Gets what was done on purpose and should be said (a GeoPackage reprojected, its
        other layers not read).

    Raises
    ------
    ImportFileError
        With a message naming what is wrong (and the feature number).
    """
    path = Path(path)
    data = _read_bytes(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        features = _read_csv(data)
    elif suffix == ".gpkg":
        features = _read_gpkg(path, notes if notes is not None else [])
    else:
        features = parse_geojson(data)
    return records_from_features(features, default_period=default_period)


def export_frame(gdf: gpd.GeoDataFrame, *, include_internal: bool = True) -> gpd.GeoDataFrame:
    """Return the export columns of ``gdf`` (EPSG:4326), optionally without internal notes."""
    fields = [f for f in EXPORT_FIELDS if include_internal or f not in INTERNAL_FIELDS]
    out = gdf[[*fields, gdf.geometry.name]].copy()
    for col in ("unit", "plan_unit"):
        out[col] = out[col].astype("Int64")
    return out.to_crs(settings.CRS_STORE)


def located(geom: Any) -> BaseGeometry | None:
    """Return ``geom`` if it is a non-empty geometry, else None (missing, NaN, empty)."""
    if isinstance(geom, BaseGeometry) and not geom.is_empty:
        return geom
    return None


def _clean(value: Any) -> Any:
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def to_geojson(gdf: gpd.GeoDataFrame, *, include_internal: bool = True) -> str:
    """Return ``gdf`` as a GeoJSON FeatureCollection (unlocated hotspots: null geometry)."""
    frame = export_frame(gdf, include_internal=include_internal)
    features = []
    for (_, row), shape in zip(frame.iterrows(), frame.geometry, strict=True):
        geom = located(shape)
        props = {k: _clean(row[k]) for k in frame.columns if k != frame.geometry.name}
        features.append({"type": "Feature", "properties": props,
                         "geometry": None if geom is None else shapely.geometry.mapping(geom)})
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if (frame["dataset"] == "example").any():
        doc["note"] = "EXAMPLE DATA (training/demonstration), not real hotspots"
    return json.dumps(doc, ensure_ascii=False, indent=1)


#: CSV columns whose header is translated on request (the keys stay the GeoJSON's).
CSV_COLUMNS: tuple[str, ...] = (*EXPORT_FIELDS, "lat", "lon", "wkt")


def csv_header(field: str, lang: str) -> str:
    """Return the CSV header of ``field`` in ``lang`` (``csv_<field>`` in the texts)."""
    return label(CSV_HEADER, field, lang)


def _header_fields() -> dict[str, str]:
    """Return every translated CSV header (both languages) mapped back to its field."""
    return {csv_header(f, lang): f for f in CSV_COLUMNS for lang in languages()}


def to_csv(gdf: gpd.GeoDataFrame, *, include_internal: bool = True, lang: str | None = None) -> str:
    """Return ``gdf`` as CSV with ``wkt``, and ``lat``/``lon`` of a representative point.

    With ``lang`` the headers are in that language (for people opening the file in a
    spreadsheet); :func:`read_features` reads either form back. Values keep their codes.
    """
    frame = export_frame(gdf, include_internal=include_internal)
    geoms = [located(g) for g in frame.geometry]
    points = [None if g is None else g.representative_point() for g in geoms]
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    table["lat"] = [None if p is None else round(p.y, 7) for p in points]
    table["lon"] = [None if p is None else round(p.x, 7) for p in points]
    table["wkt"] = [None if g is None else g.wkt for g in geoms]
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(neutralise_formula)
    if lang is not None:
        table.columns = [csv_header(c, lang) for c in table.columns]
    # CRLF rows (RFC 4180): a cell holding a bare CR is then quoted, not split into a new row
    return table.to_csv(index=False, lineterminator="\r\n")


#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """Return a text cell prefixed with ``'`` if a spreadsheet would run it as a formula.

    Examples
    --------
    >>> print(neutralise_formula("=1+1"), neutralise_formula("Rruga 5"))
    '=1+1 Rruga 5
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_formula(value: str) -> str:
    """Undo :func:`neutralise_formula` on a cell read back from our own CSV."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def to_gpkg(gdf: gpd.GeoDataFrame, *, include_internal: bool = True) -> bytes:
    """Return ``gdf`` as the bytes of a GeoPackage (layer ``hotspots``)."""
    frame = export_frame(gdf, include_internal=include_internal)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "hotspots.gpkg"
        frame.to_file(target, driver="GPKG", layer="hotspots")
        return target.read_bytes()


def export_bytes(gdf: gpd.GeoDataFrame, fmt: str, *, include_internal: bool = True, lang: str | None = None) -> bytes:
    """Return ``gdf`` exported in ``fmt`` (``geojson``, ``csv`` or ``gpkg``).

    ``lang`` translates the CSV headers (written with a BOM, so spreadsheets read the
    letters ë and ç right); GeoJSON and GeoPackage keep their stable keys.
    """
    writers = {
        "geojson": lambda: to_geojson(gdf, include_internal=include_internal).encode("utf-8"),
        "csv": lambda: to_csv(gdf, include_internal=include_internal, lang=lang).encode("utf-8-sig" if lang else "utf-8"),
        "gpkg": lambda: to_gpkg(gdf, include_internal=include_internal),
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    return writers[fmt]()
