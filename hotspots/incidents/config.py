"""Offence classes, column names and personal-data columns, read from ``geodata/incidents.yaml``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hotspots import settings
from hotspots.errors import ImportFileError
from hotspots.geocode import normalise

#: The data file of this module.
CONFIG_FILE: Path = settings.GEODATA_DIR / "incidents.yaml"
#: Fields of an incident a file column can map to.
FIELDS: tuple[str, ...] = ("date", "time", "offence", "lat", "lon", "address", "reference")


def key(text: object) -> str:
    """Return a column name or value normalised for comparison.

    Examples
    --------
    >>> key("Nr. i Çështjes"), key("Dhunë në familje")
    ('nr_i_ceshtjes', 'dhune_ne_familje')
    """
    return normalise(str(text)).replace(" ", "_")


@dataclass(frozen=True)
class Config:
    """The incident configuration.

    Attributes
    ----------
    offences
        Offence class id -> its entry (``problem``, ``sq``, ``en``, ``aliases``).
    columns
        Field -> normalised column names understood for it.
    personal
        Reason -> (exact names, name parts), normalised.
    """

    offences: Mapping[str, Mapping[str, Any]]
    columns: Mapping[str, tuple[str, ...]]
    personal: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]

    def offence_lookup(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """Return normalised value -> offence class id (class ids, aliases, ``extra``)."""
        out = {key(c): c for c in self.offences}
        for cls, entry in self.offences.items():
            out.update({key(a): cls for a in entry.get("aliases", [])})
        for value, cls in (extra or {}).items():
            if cls not in self.offences:
                raise ImportFileError("err_inc_mapping_offence", value=cls, allowed=", ".join(self.offences))
            out[key(value)] = cls
        return out

    def problem(self, offence: str) -> str | None:
        """Return the plan problem of an offence class (None for ``other``)."""
        value = self.offences[offence].get("problem")
        return None if value is None else str(value)

    def label(self, offence: str, lang: str) -> str:
        """Return the offence class name in ``lang``."""
        return str(self.offences.get(offence, {}).get(lang, offence))


@lru_cache(maxsize=4)
def load_config(path: Path = CONFIG_FILE) -> Config:
    """Read the incident configuration (cached)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    columns = {f: tuple(key(c) for c in raw["columns"].get(f, [])) for f in FIELDS}
    personal = {
        str(e["reason"]): (tuple(key(x) for x in e.get("exact", [])), tuple(key(x) for x in e.get("contains", [])))
        for e in raw["personal_columns"]
    }
    return Config(offences=raw["offence_classes"], columns=columns, personal=personal)


def personal_columns(names: Iterable[str], config: Config | None = None) -> dict[str, str]:
    """Return the columns that hold data about people, each with its reason.

    Examples
    --------
    >>> personal_columns(["data", "Mbiemri", "Atësia", "gjatësia", "street_name"])
    {'Mbiemri': 'name', 'Atësia': 'father'}
    """
    config = config or load_config()
    found: dict[str, str] = {}
    for name in names:
        k = key(name)
        for reason, (exact, parts) in config.personal.items():
            if k in exact or any(p and re.search(rf"(^|_){re.escape(p)}", k) for p in parts):
                found[str(name)] = reason
                break
    return found


@dataclass(frozen=True)
class ColumnMapping:
    """A user's mapping file: file column -> field, and extra offence values -> class."""

    columns: Mapping[str, str]
    offences: Mapping[str, str]


def read_mapping(path: Path | None) -> ColumnMapping:
    """Read a mapping file (YAML or JSON): ``columns: {file column: field}``, ``offences: {value: class}``.

    Raises
    ------
    ImportFileError
        If it cannot be read or maps to an unknown field.
    """
    if path is None:
        return ColumnMapping({}, {})
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ImportFileError("err_inc_mapping_read", path=str(path)) from None
    return parse_mapping(text, name=str(path))


def parse_mapping(text: str, *, name: str = "mapping") -> ColumnMapping:
    r"""Parse the text of a mapping file (see :func:`read_mapping`).

    Examples
    --------
    >>> parse_mapping("columns: {Data: date, Neni: offence}\noffences: {'Neni 283': drugs}").columns
    {'Data': 'date', 'Neni': 'offence'}
    """
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        raise ImportFileError("err_inc_mapping_read", path=name) from None
    if not isinstance(raw, dict):
        raise ImportFileError("err_inc_mapping_read", path=name)
    columns = {str(k): str(v) for k, v in (raw.get("columns") or {}).items()}
    bad = sorted(set(columns.values()) - set(FIELDS))
    if bad:
        raise ImportFileError("err_inc_mapping_field", value=", ".join(bad), allowed=", ".join(FIELDS))
    return ColumnMapping(columns, {str(k): str(v) for k, v in (raw.get("offences") or {}).items()})


def resolve_columns(names: Iterable[str], mapping: ColumnMapping, config: Config | None = None) -> dict[str, str]:
    """Return field -> file column: the mapping file first, then the default names.

    Raises
    ------
    ImportFileError
        If the date or offence column is missing, or no place column (lat/lon or address).
    """
    config = config or load_config()
    names = list(names)
    by_key = {key(n): n for n in names}
    out: dict[str, str] = {}
    for column, field in mapping.columns.items():
        if column in names:
            out[field] = column
        elif key(column) in by_key:
            out[field] = by_key[key(column)]
    for field, aliases in config.columns.items():
        if field not in out:
            hit = next((by_key[a] for a in aliases if a in by_key), None)
            if hit is not None:
                out[field] = hit
    missing = [f for f in ("date", "offence") if f not in out]
    if not ({"lat", "lon"} <= set(out) or "address" in out):
        missing.append("lat+lon / address")
    if missing:
        raise ImportFileError("err_inc_columns", missing=", ".join(missing), found=", ".join(names))
    return out
