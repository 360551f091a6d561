"""Read what police export (CSV, GeoJSON, GeoPackage, XLSX) into raw text frames.

The header is read and checked for personal-data columns first; a file with any is
refused (:class:`PersonalDataError`) before a single row is parsed. Rows come back as
text with their row number in the file (``_row``); geometries of GeoJSON/GeoPackage
come back as ``_lon``/``_lat``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from hotspots import settings
from hotspots.errors import ImportFileError
from hotspots.incidents.config import personal_columns

#: Encodings tried, in order, for text files (police spreadsheets saved as CSV on Windows).
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252", "cp1250")
#: Separators recognised in CSV files.
SEPARATORS: tuple[str, ...] = (";", ",", "\t")


class PersonalDataError(ImportFileError):
    """The file holds columns about people: refused before any row is read."""


@dataclass(frozen=True)
class RawFile:
    """A file read as text: its rows, format, and (for CSV) encoding and separator."""

    rows: pd.DataFrame
    fmt: str
    encoding: str = ""
    separator: str = ""


def check_header(names: list[str]) -> None:
    """Raise :class:`PersonalDataError` naming every personal-data column of ``names``."""
    found = personal_columns(names)
    if found:
        raise PersonalDataError("err_inc_personal", columns=", ".join(f"“{c}”" for c in found),
                                reasons=", ".join(sorted(set(found.values()))))


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``: UTF-8 (with or without BOM), else Windows-1252/1250.

    Examples
    --------
    >>> decode("Rruga e Kalasë".encode("cp1250"))
    ('Rruga e Kalasë', 'cp1252')
    """
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    raise ImportFileError("err_inc_encoding")


def sniff_separator(header: str) -> str:
    """Return the separator of a CSV header line: the most frequent of ``; , tab``."""
    return max(SEPARATORS, key=header.count)


def read_csv_bytes(data: bytes) -> RawFile:
    """Read CSV bytes: the header is checked before the rows are parsed."""
    text, encoding = decode(data)
    first = text.split("\n", 1)[0].rstrip("\r")
    sep = sniff_separator(first)
    header = next(csv.reader([first], delimiter=sep), [])
    check_header(header)
    try:
        rows = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ImportFileError("err_inc_csv", reason=str(exc).splitlines()[0]) from None
    rows.columns = [str(c).strip() for c in rows.columns]
    return RawFile(rows.assign(_row=range(2, len(rows) + 2)), "csv", encoding, sep)


def read_geojson_bytes(data: bytes) -> RawFile:
    """Read a GeoJSON FeatureCollection of points (WGS84)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportFileError("err_inc_geojson") from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ImportFileError("err_inc_geojson")
    names: dict[str, None] = {}
    for f in features:
        names.update(dict.fromkeys((f.get("properties") or {}) if isinstance(f, dict) else {}))
    check_header(list(names))
    props = [dict((f.get("properties") or {})) if isinstance(f, dict) else {} for f in features]
    coords = [_point_coords(f.get("geometry") if isinstance(f, dict) else None) for f in features]
    rows = pd.DataFrame(props, columns=list(names)).astype(object)
    rows = rows.where(pd.notna(rows), "").astype(str)
    rows["_lon"] = [c[0] for c in coords]
    rows["_lat"] = [c[1] for c in coords]
    return RawFile(rows.assign(_row=range(1, len(rows) + 1)), "geojson")


def _point_coords(geometry: Any) -> tuple[str, str]:
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        c = geometry.get("coordinates") or []
        if len(c) >= 2:
            return str(c[0]), str(c[1])
    return "", ""


def read_gpkg(path: Path) -> RawFile:
    """Read the first layer of a GeoPackage (any CRS, points)."""
    import geopandas as gpd
    import pyogrio

    try:
        info = pyogrio.read_info(path)
    except Exception:  # noqa: BLE001 - any driver error means "cannot be read"
        raise ImportFileError("err_inc_gpkg") from None
    check_header([str(n) for n in info["fields"]])
    gdf = gpd.read_file(path, engine="pyogrio")
    if gdf.crs is not None and not gdf.empty:
        gdf = gdf.to_crs(settings.CRS_STORE)
    is_point = gdf.geometry.geom_type == "Point"
    rows = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).astype(object)
    rows = rows.where(pd.notna(rows), "").astype(str)
    rows["_lon"] = gdf.geometry.x.where(is_point).map(lambda v: "" if pd.isna(v) else repr(float(v))).to_numpy()
    rows["_lat"] = gdf.geometry.y.where(is_point).map(lambda v: "" if pd.isna(v) else repr(float(v))).to_numpy()
    return RawFile(rows.assign(_row=range(1, len(rows) + 1)), "gpkg")


def read_xlsx_bytes(data: bytes) -> RawFile:
    """Read the first sheet of an XLSX workbook: first row = header (checked first)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ImportFileError("err_inc_xlsx") from None
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(it, ())]
    check_header(header)
    body = [[_cell(v) for v in row[: len(header)]] for row in it if any(v is not None for v in row)]
    book.close()
    rows = pd.DataFrame(body, columns=header)
    return RawFile(rows.assign(_row=range(2, len(rows) + 2)), "xlsx")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat()).replace("T00:00:00", "").replace("T", " ")
    return str(value)


#: Readers of bytes by file extension; GeoPackage needs a path.
BYTE_READERS: dict[str, Callable[[bytes], RawFile]] = {
    ".csv": read_csv_bytes, ".txt": read_csv_bytes, ".geojson": read_geojson_bytes, ".json": read_geojson_bytes,
    ".xlsx": read_xlsx_bytes,
}


def read_file(path: Path) -> RawFile:
    """Read an incident file by its extension (``.csv``, ``.geojson``, ``.gpkg``, ``.xlsx``).

    Raises
    ------
    PersonalDataError
        If the header names columns about people.
    ImportFileError
        If the file is missing, too big, of another kind, or cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError("err_file_missing", path=str(path))
    size = path.stat().st_size
    if size > settings.INCIDENT_IMPORT_MAX_BYTES:
        raise ImportFileError("err_file_too_big", size=size, limit=settings.INCIDENT_IMPORT_MAX_BYTES)
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        return read_gpkg(path)
    if suffix not in BYTE_READERS:
        raise ImportFileError("err_inc_format", value=suffix, allowed=".csv, .geojson, .gpkg, .xlsx")
    return BYTE_READERS[suffix](path.read_bytes())


def read_upload(name: str, data: bytes) -> RawFile:
    """Read an uploaded file (the page): GeoPackage goes through a temporary file."""
    suffix = Path(name).suffix.lower()
    if len(data) > settings.INCIDENT_IMPORT_MAX_BYTES:
        raise ImportFileError("err_file_too_big", size=len(data), limit=settings.INCIDENT_IMPORT_MAX_BYTES)
    if suffix == ".gpkg":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "upload.gpkg"
            target.write_bytes(data)
            return read_gpkg(target)
    if suffix not in BYTE_READERS:
        raise ImportFileError("err_inc_format", value=suffix, allowed=".csv, .geojson, .gpkg, .xlsx")
    return BYTE_READERS[suffix](data)
