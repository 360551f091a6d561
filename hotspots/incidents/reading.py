"""Read what police export (CSV, GeoJSON, GeoPackage, XLSX) into raw text frames.

The header is read and passed through the gate first (:mod:`hotspots.incidents.gate`):
a file with a column the app does not know and the mapping does not name is refused
(:class:`PersonalDataError`) before a single row is parsed. What a reader could miss is
refused too: a blank header over data, rows longer than the header, duplicate property
names of a GeoJSON object, a GeoPackage of several layers, and in an XLSX workbook a
hidden read sheet, other sheets with data (hidden or not), hidden columns and hidden
rows. Rows come back as text with their row number in the file (``_row``); geometries of
GeoJSON/GeoPackage come back as ``_lon``/``_lat``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from hotspots.base import settings
from hotspots.base.errors import ImportFileError
from hotspots.incidents import gate
from hotspots.incidents.config import ColumnMapping
from hotspots.incidents.gate import PersonalDataError


#: Encodings tried, in order, for text files (police spreadsheets saved as CSV on Windows).
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252", "cp1250")
#: Separators recognised in CSV files.
SEPARATORS: tuple[str, ...] = (";", ",", "\t")


__all__ = ["PersonalDataError", "RawFile", "read_file", "read_upload"]


@dataclass(frozen=True)
class RawFile:
    """A file read as text: its rows, format, and (for CSV) encoding and separator."""

    rows: pd.DataFrame
    fmt: str
    encoding: str = ""
    separator: str = ""


def check_header(names: list[str], mapping: ColumnMapping | None = None) -> None:
    """Pass the header through the gate (:func:`hotspots.incidents.gate.check_header`)."""
    gate.check_header(names, mapping)


def drop_blank_columns(rows: pd.DataFrame, header: list[str]) -> pd.DataFrame:
    """Return ``rows`` (columns numbered 0…) named by ``header``, blank-headed empty columns dropped.

    Raises
    ------
    ImportFileError
        If a column with a blank header holds data (``err_inc_header_blank``).
    """
    keep = []
    for number, name in enumerate(header):
        if name.strip():
            keep.append(number)
        elif (rows[number].astype(str).str.strip() != "").any():
            raise ImportFileError("err_inc_header_blank", number=number + 1)
    out = rows[keep]
    out.columns = [header[i] for i in keep]
    return out


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


def read_csv_bytes(data: bytes, mapping: ColumnMapping | None = None) -> RawFile:
    """Read CSV bytes: the header goes through the gate before the rows are parsed.

    The header row sets the width: a longer row is refused (its extra cells would have no
    header), cells of a blank header must be empty.
    """
    text, encoding = decode(data)
    first = text.split("\n", 1)[0].rstrip("\r")
    sep = sniff_separator(first)
    header = [h.strip() for h in next(csv.reader([first], delimiter=sep), [])]
    check_header([h for h in header if h], mapping)
    try:
        with warnings.catch_warnings():  # pandas only warns when a row is longer than the header, and drops its cells
            warnings.simplefilter("error", pd.errors.ParserWarning)
            rows = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True,
                               header=None, skiprows=1, names=range(len(header)), index_col=False)
    except pd.errors.ParserWarning:
        raise ImportFileError("err_inc_csv_wide", n=len(header)) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise ImportFileError("err_inc_csv", reason=_parser_reason(exc)) from None
    rows = drop_blank_columns(rows.fillna(""), header)
    return RawFile(rows.assign(_row=range(2, len(rows) + 2)), "csv", encoding, sep)


def _parser_reason(exc: Exception) -> str:
    """Return the line and field counts of a CSV parser error (never the text of a row)."""
    found = re.search(r"Expected \d+ fields in line \d+, saw \d+", str(exc))
    return found.group(0) if found else type(exc).__name__


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a name given twice (``json`` would keep the last silently)."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise ImportFileError("err_inc_header_duplicate", first=gate.shown_header(name, 0),
                                  second=gate.shown_header(name, 0))
        out[name] = value
    return out


def read_geojson_bytes(data: bytes, mapping: ColumnMapping | None = None) -> RawFile:
    """Read a GeoJSON FeatureCollection of points (WGS84); the property names go through the gate."""
    try:
        doc = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ImportFileError("err_inc_geojson") from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ImportFileError("err_inc_geojson")
    names: dict[str, None] = {}
    for f in features:
        props = f.get("properties") if isinstance(f, dict) else None
        if props is not None and not isinstance(props, dict):
            raise ImportFileError("err_inc_geojson")
        names.update(dict.fromkeys(props or {}))
    check_header(list(names), mapping)
    if any(isinstance(v, (dict, list)) for f in features if isinstance(f, dict) for v in (f.get("properties") or {}).values()):
        raise ImportFileError("err_inc_geojson_nested")
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


def read_gpkg(path: Path, mapping: ColumnMapping | None = None) -> RawFile:
    """Read the one layer of a GeoPackage (any CRS, points); a GeoPackage of several layers is refused."""
    import geopandas as gpd
    import pyogrio

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception:  # noqa: BLE001 - any driver error means "cannot be read"
        raise ImportFileError("err_inc_gpkg") from None
    if len(layers) > 1:
        raise ImportFileError("err_inc_gpkg_layers", n=len(layers), layers=", ".join(gate.shown_header(n, i)
                                                                                      for i, n in enumerate(layers, 1)))
    try:
        info = pyogrio.read_info(path)
    except Exception:  # noqa: BLE001 - any driver error means "cannot be read"
        raise ImportFileError("err_inc_gpkg") from None
    check_header([str(n) for n in info["fields"]], mapping)
    gdf = gpd.read_file(path, engine="pyogrio")
    if gdf.crs is not None and not gdf.empty:
        gdf = gdf.to_crs(settings.CRS_STORE)
    is_point = gdf.geometry.geom_type == "Point"
    rows = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).astype(object)
    rows = rows.where(pd.notna(rows), "").astype(str)
    rows["_lon"] = gdf.geometry.x.where(is_point).map(lambda v: "" if pd.isna(v) else repr(float(v))).to_numpy()
    rows["_lat"] = gdf.geometry.y.where(is_point).map(lambda v: "" if pd.isna(v) else repr(float(v))).to_numpy()
    return RawFile(rows.assign(_row=range(1, len(rows) + 1)), "gpkg")


def read_xlsx_bytes(data: bytes, mapping: ColumnMapping | None = None) -> RawFile:
    """Read the one sheet of an XLSX workbook: first row = header (through the gate first).

    The workbook is opened in full (not read-only) so that what a spreadsheet hides can be
    seen: the read sheet (the first) must be visible and the only sheet with data, and no
    column or row holding data may be hidden (a filter hides rows: those would be imported
    unseen). A blank header over data is refused.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ImportFileError("err_inc_xlsx") from None
    try:
        sheet = _the_sheet(book)
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = [str(h).strip() if h is not None else "" for h in (table[0] if table else [])]
        check_header([h for h in header if h], mapping)
        _check_hidden(sheet, header)
    finally:
        book.close()
    body = [[_cell(v) for v in row] for row in table[1:]]
    numbers = [i + 2 for i, row in enumerate(table[1:]) if any(v is not None for v in row)]
    width = len(header)
    if any(any(v is not None for v in row[width:]) for row in table[1:]):
        raise ImportFileError("err_inc_header_blank", number=width + 1)
    rows = pd.DataFrame([body[n - 2][:width] for n in numbers], columns=range(width), dtype=object)
    rows = drop_blank_columns(rows, header)
    return RawFile(rows.assign(_row=numbers), "xlsx")


def _has_data(sheet: Any) -> bool:
    return any(v is not None and str(v).strip() != "" for row in sheet.iter_rows(values_only=True) for v in row)


def _the_sheet(book: Any) -> Any:
    """Return the sheet to read: the first, visible, and the only one holding data."""
    first = book.worksheets[0]
    if first.sheet_state != "visible":
        raise ImportFileError("err_inc_xlsx_hidden_sheet", sheet=gate.shown_header(first.title, 1))
    others = [s for s in book.worksheets[1:] if _has_data(s)]
    hidden = [s for s in others if s.sheet_state != "visible"]
    if hidden:
        raise ImportFileError("err_inc_xlsx_hidden_sheet", sheet=gate.shown_header(hidden[0].title, 0))
    if others:
        raise ImportFileError("err_inc_xlsx_sheets", sheets=", ".join(gate.shown_header(s.title, 0) for s in [first, *others]))
    return first


def _check_hidden(sheet: Any, header: list[str]) -> None:
    """Refuse hidden columns and hidden rows (with data) of the read sheet."""
    from openpyxl.utils import column_index_from_string

    for letter, dim in sheet.column_dimensions.items():
        if not dim.hidden:
            continue
        first = column_index_from_string(letter)
        last = max(first, dim.max or first)  # a <col> element may cover a range
        for number in range(max(first, dim.min or first), last + 1):
            if number <= sheet.max_column and _column_has_data(sheet, number):
                name = header[number - 1] if number <= len(header) else ""
                raise ImportFileError("err_inc_xlsx_hidden_column", number=number,
                                      column=gate.shown_header(name, number) if name else "—")
    hidden_rows = [r for r, dim in sheet.row_dimensions.items() if dim.hidden and r <= sheet.max_row
                   and any(c.value is not None for c in sheet[r])]
    if hidden_rows:
        raise ImportFileError("err_inc_xlsx_hidden_rows", n=len(hidden_rows),
                              rows=", ".join(map(str, sorted(hidden_rows)[:10])))


def _column_has_data(sheet: Any, number: int) -> bool:
    return any(v is not None for (v,) in sheet.iter_rows(min_col=number, max_col=number, values_only=True))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat()).replace("T00:00:00", "").replace("T", " ")
    return str(value)


#: Readers of bytes by file extension; GeoPackage needs a path.
BYTE_READERS: dict[str, Callable[[bytes, ColumnMapping | None], RawFile]] = {
    ".csv": read_csv_bytes, ".txt": read_csv_bytes, ".geojson": read_geojson_bytes, ".json": read_geojson_bytes,
    ".xlsx": read_xlsx_bytes,
}


def read_file(path: Path, mapping: ColumnMapping | None = None) -> RawFile:
    """Read an incident file by its extension (``.csv``, ``.geojson``, ``.gpkg``, ``.xlsx``).

    Parameters
    ----------
    mapping
        The user's mapping file: the columns it names pass the gate.

    Raises
    ------
    PersonalDataError
        If the header holds a column neither known nor named by the mapping.
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
        return read_gpkg(path, mapping)
    if suffix not in BYTE_READERS:
        raise ImportFileError("err_inc_format", value=suffix, allowed=".csv, .geojson, .gpkg, .xlsx")
    return BYTE_READERS[suffix](path.read_bytes(), mapping)


def read_upload(name: str, data: bytes, mapping: ColumnMapping | None = None) -> RawFile:
    """Read an uploaded file (the page): GeoPackage goes through a temporary file."""
    suffix = Path(name).suffix.lower()
    if len(data) > settings.INCIDENT_IMPORT_MAX_BYTES:
        raise ImportFileError("err_file_too_big", size=len(data), limit=settings.INCIDENT_IMPORT_MAX_BYTES)
    if suffix == ".gpkg":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "upload.gpkg"
            target.write_bytes(data)
            return read_gpkg(target, mapping)
    if suffix not in BYTE_READERS:
        raise ImportFileError("err_inc_format", value=suffix, allowed=".csv, .geojson, .gpkg, .xlsx")
    return BYTE_READERS[suffix](data, mapping)
