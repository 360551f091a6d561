"""The municipality as data: one folder holds every fact about the place the app maps.

A municipality folder has a ``municipality.yaml`` (its name, projected CRS, map centre, units
with their names, the plan problem of each hotspot category, and the names of its files) beside
those files: boundary, city area, units, plan, gazetteer, landmarks, baseline hotspots. The
shipped folder is ``geodata/`` (Elbasan); ``HOTSPOTS_MUNICIPALITY=DIR`` names another one
(:data:`hotspots.base.settings.MUNICIPALITY`). The folder is chosen when a process starts: an
app process or a command serves one municipality.

:func:`load` reads and validates the manifest; every fault is a :class:`MunicipalityError`
naming the folder, the field or file and what is accepted, never a silent default.
"""

from __future__ import annotations

import re
from datetime import date
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hotspots.base.errors import HotspotError


#: The manifest's name inside a municipality folder.
MANIFEST = "municipality.yaml"
#: Files a folder must have, by their key in the manifest's ``files``.
REQUIRED_FILES: tuple[str, ...] = ("boundary", "city", "units", "plan", "places")
#: Files a folder may have (the app does without them: no landmarks, no baseline, …).
OPTIONAL_FILES: tuple[str, ...] = ("landmarks", "baseline", "admin_units", "unit_anchors", "example_series",
                                   "incidents", "harm_weights", "example_incidents", "cameras", "schools")
#: The hotspot categories whose plan problem a folder names.
CATEGORIES: tuple[str, ...] = ("crime", "street_children")
#: The plan activities a folder may cite beside the app's other registers (``references``).
REFERENCES: tuple[str, ...] = ("cameras", "camera_coverage", "schools", "cannabis", "cannabis_public", "cannabis_all")
#: The languages every name of a folder is given in.
LANGUAGES: tuple[str, ...] = ("sq", "en")


class MunicipalityError(HotspotError):
    """A municipality folder the app cannot use (the folder, the part and what is wrong)."""


@dataclass(frozen=True)
class Unit:
    """A unit of the municipality: the number stored with each hotspot, and its name per language."""

    number: int
    name: dict[str, str]
    #: The short label on the map ("No. 3"; default: the name).
    short: dict[str, str]

    def name_in(self, lang: str) -> str:
        """Return the unit's name in ``lang`` (Albanian when the language has none)."""
        return self.name.get(lang) or self.name["sq"]

    def short_in(self, lang: str) -> str:
        """Return the unit's map label in ``lang``."""
        return self.short.get(lang) or self.name_in(lang)


@dataclass(frozen=True)
class Municipality:
    """One municipality folder, read and validated (:func:`load`)."""

    folder: Path
    key: str
    name: dict[str, str]
    short_name: str
    crs: str
    centre: tuple[float, float]
    zoom: int
    units: tuple[Unit, ...]
    categories: dict[str, str]
    files: dict[str, Path] = field(default_factory=dict)
    #: How maps and pages cite the plan in force ("KVSP, 3 Feb 2022"), per language.
    plan_citation: dict[str, str] = field(default_factory=dict)
    #: The units named together ("Units (lagje)"), per language.
    units_label: dict[str, str] = field(default_factory=dict)
    #: The units as a sentence gives them ("1–6"), per language (default: their short names).
    units_range: dict[str, str] = field(default_factory=dict)
    #: The plan activity each of the app's other registers serves (:data:`REFERENCES`: "1.7.2").
    references: dict[str, str] = field(default_factory=dict)
    #: The PostgreSQL schema holding this municipality's tables (``public`` alone in its database;
    #: one schema per municipality when several share one database). SQLite ignores it.
    db_schema: str = "public"
    #: The prefecture (qark) the municipality belongs to: its roll-up reads the counts published here.
    qark: str = ""

    @property
    def unit_numbers(self) -> tuple[int, ...]:
        """Return the numbers of the units, in the manifest's order."""
        return tuple(u.number for u in self.units)

    def unit(self, number: int) -> Unit | None:
        """Return the unit ``number``, or None when there is none."""
        return next((u for u in self.units if u.number == number), None)

    def adopted_period(self) -> str:
        """Return the half-year its plan was adopted in (the plan's ``updated_at``; Elbasan: 2022-H1)."""
        path = self.file("plan")
        return _adopted_period(str(path), path.stat().st_mtime)

    def file(self, part: str) -> Path:
        """Return the path of the folder's file ``part`` (for an optional part missing: where it would be)."""
        return self.files.get(part, self.folder / f"{part}.missing")


@lru_cache(maxsize=4)
def _adopted_period(path: str, _mtime: float) -> str:
    """Return the half-year of the plan file's ``updated_at`` (read once per version of the file)."""
    adopted = date.fromisoformat(str(yaml.safe_load(Path(path).read_text(encoding="utf-8"))["updated_at"]))
    return f"{adopted.year}-H{1 if adopted.month <= 6 else 2}"


def _fail(folder: Path, what: str, allowed: HotspotError) -> MunicipalityError:
    return MunicipalityError("err_municipality", folder=str(folder), what=what, allowed=allowed)


def _names(folder: Path, value: Any, what: str) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return dict.fromkeys(LANGUAGES, value.strip())
    if not isinstance(value, dict) or not all(isinstance(value.get(lg), str) and value[lg].strip() for lg in LANGUAGES):
        raise _fail(folder, what, HotspotError("muni_need_names"))
    return {str(k): str(v).strip() for k, v in value.items()}


def _crs(folder: Path, value: Any) -> str:
    text = str(value or "").strip().upper()
    if not re.fullmatch(r"EPSG:\d{4,5}", text):
        raise _fail(folder, "crs", HotspotError("muni_need_crs"))
    from pyproj import CRS  # late import: pyproj is heavy and needed only to check the code

    try:
        crs = CRS.from_user_input(text)
    except Exception:  # noqa: BLE001  # pyproj raises its own CRSError and others for unknown codes
        raise _fail(folder, "crs", HotspotError("muni_need_crs")) from None
    if not crs.is_projected or crs.axis_info[0].unit_name not in ("metre", "meter"):
        raise _fail(folder, "crs", HotspotError("muni_need_crs"))
    return text


def _units(folder: Path, value: Any) -> tuple[Unit, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(folder, "units", HotspotError("muni_need_units"))
    out: list[Unit] = []
    for item in value:
        number = item.get("number") if isinstance(item, dict) else None
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 999:
            raise _fail(folder, "units", HotspotError("muni_need_units"))
        name = _names(folder, item.get("name"), f"units[{number}].name")
        short = _names(folder, item["short"], f"units[{number}].short") if item.get("short") else name
        out.append(Unit(number, name, short))
    numbers = [u.number for u in out]
    if len(set(numbers)) != len(numbers):
        raise _fail(folder, "units", HotspotError("muni_need_units"))
    return tuple(out)


def load(folder: Path) -> Municipality:
    """Read and validate the municipality folder ``folder``.

    Raises
    ------
    MunicipalityError
        If the folder, its manifest, a field or a required file is missing or invalid.
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise _fail(folder, MANIFEST, HotspotError("muni_need_manifest"))
    try:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        raise _fail(folder, MANIFEST, HotspotError("muni_need_yaml")) from None
    if not isinstance(data, dict):
        raise _fail(folder, MANIFEST, HotspotError("muni_need_yaml"))
    key = str(data.get("key") or "")
    if not re.fullmatch(r"[a-z][a-z0-9_-]{1,39}", key):
        raise _fail(folder, "key", HotspotError("muni_need_key"))
    centre = data.get("centre")
    if (not isinstance(centre, list) or len(centre) != 2 or not all(isinstance(v, (int, float)) for v in centre)
            or not (-90 <= centre[0] <= 90 and -180 <= centre[1] <= 180)):
        raise _fail(folder, "centre", HotspotError("muni_need_centre"))
    zoom = data.get("zoom", 13)
    if not isinstance(zoom, int) or not 5 <= zoom <= 19:
        raise _fail(folder, "zoom", HotspotError("muni_need_zoom"))
    categories = data.get("categories")
    if not isinstance(categories, dict) or set(categories) != set(CATEGORIES) or not all(
            re.fullmatch(r"\d+(\.\d+)*", str(v)) for v in categories.values()):
        raise _fail(folder, "categories", HotspotError("muni_need_categories"))
    files_in = data.get("files")
    if not isinstance(files_in, dict):
        raise _fail(folder, "files", HotspotError("muni_need_file"))
    files: dict[str, Path] = {}
    for part in (*REQUIRED_FILES, *OPTIONAL_FILES):
        name = files_in.get(part)
        if name is None:
            if part in REQUIRED_FILES:
                raise _fail(folder, f"files.{part}", HotspotError("muni_need_file"))
            continue
        path = (folder / str(name)).resolve()
        if folder.resolve() not in path.parents or not path.is_file():
            raise _fail(folder, f"files.{part} ({name})", HotspotError("muni_need_file"))
        files[part] = path
    return Municipality(
        folder=folder, key=key, name=_names(folder, data.get("name"), "name"),
        short_name=str(data.get("short_name") or "").strip() or key, crs=_crs(folder, data.get("crs")),
        centre=(float(centre[0]), float(centre[1])), zoom=zoom, units=_units(folder, data.get("units")),
        categories={str(k): str(v) for k, v in categories.items()}, files=files,
        plan_citation=_names(folder, data["plan_citation"], "plan_citation") if data.get("plan_citation") else {},
        units_label=_names(folder, data["units_label"], "units_label") if data.get("units_label") else {},
        units_range=_names(folder, data["units_range"], "units_range") if data.get("units_range") else {},
        references=_references(folder, data.get("references")),
        db_schema=_schema(folder, data.get("db_schema", "public")),
        qark=str(data.get("qark") or "").strip()[:80],
    )


def _schema(folder: Path, value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", value) or value.startswith("pg_"):
        raise _fail(folder, "db_schema", HotspotError("muni_need_schema"))
    return value


def _references(folder: Path, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not set(value) <= set(REFERENCES) or not all(
            isinstance(v, str) and v.strip() for v in value.values()):
        raise _fail(folder, "references", HotspotError("muni_need_references", allowed=", ".join(REFERENCES)))
    return {str(k): v.strip() for k, v in value.items()}

