"""Offence classes, column names, the reference shape and personal-data names, from ``geodata/incidents.yaml``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hotspots.base import settings
from hotspots.base.errors import ImportFileError
from hotspots.plan.geocode import normalise


#: The data file of this module.
CONFIG_FILE: Path = settings.INCIDENTS_CONFIG_FILE
#: Fields of an incident a file column can map to.
FIELDS: tuple[str, ...] = ("date", "time", "offence", "lat", "lon", "address", "landmark", "reference")
#: Fields that hold the incident's place.
PLACE_FIELDS: tuple[str, ...] = ("lat", "lon", "address", "landmark")


def key(text: object) -> str:
    """Return a column name or value normalised for comparison.

    Examples
    --------
    >>> key("Nr. i Çështjes"), key("Dhunë në familje")
    ('nr_i_ceshtjes', 'dhune_ne_familje')
    """
    return normalise(str(text)).replace(" ", "_")


#: A numbered prefix or suffix spreadsheets and pandas add to a header ("3. Data", "Data.1", "emri_2").
_NUMBERING = re.compile(r"^(?:\d+_+)+|(?:_+\d+)+$")
#: pandas' name of a column whose header cell is blank ("Unnamed: 3", "Unnamed: 3_level_0").
_UNNAMED = re.compile(r"^unnamed_\d+(?:_level_\d+)?$")


def header_key(text: object) -> str:
    """Return a column header normalised for the gate: :func:`key`, camelCase split, numbering dropped.

    A blank header (or pandas' ``Unnamed: N`` for one) gives ``""``.

    Examples
    --------
    >>> [header_key(h) for h in ["NrPersonal", "Data e Lindjes.1", "3. Vepra", "emri_2", "Unnamed: 3", " "]]
    ['nr_personal', 'data_e_lindjes', 'vepra', 'emri', '', '']
    """
    split = re.sub(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])", "_", str(text))
    k = re.sub(r"_+", "_", key(split)).strip("_")
    if _UNNAMED.match(k):
        return ""
    return _NUMBERING.sub("", k)


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
    reference_pattern
        The regular expression a whole case reference must match.
    text_patterns
        Kind -> regular expression of personal data in free text (case ignored).
    text_words
        Words (normalised; ``*`` at the end: the word may go on) of personal data in free text.
    text_except
        Place names (normalised) that hold such a word and are not about a person.
    """

    offences: Mapping[str, Mapping[str, Any]]
    columns: Mapping[str, tuple[str, ...]]
    personal: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]
    reference_pattern: str = r"[0-9]+"
    text_patterns: Mapping[str, str] = field(default_factory=dict)
    text_words: tuple[str, ...] = ()
    text_except: tuple[str, ...] = ()

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
    text = raw.get("personal_text") or {}
    return Config(offences=raw["offence_classes"], columns=columns, personal=personal,
                  reference_pattern=str(raw.get("reference_pattern") or r"[0-9]+"),
                  text_patterns={str(k): str(v) for k, v in (text.get("patterns") or {}).items()},
                  text_words=tuple(_word_key(w) for w in text.get("words") or []),
                  text_except=tuple(normalise(str(w)) for w in text.get("except") or []))


def _word_key(word: object) -> str:
    """Return a word of the screen normalised, keeping its trailing ``*``."""
    text = str(word)
    return normalise(text) + ("*" if text.endswith("*") else "")


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
        k = header_key(name)
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


def column_field(name: str, mapping: ColumnMapping, config: Config | None = None) -> str | None:
    """Return the field a file column is read as (the mapping file first, then the known names), or None.

    Examples
    --------
    >>> column_field("Data.1", ColumnMapping({}, {})), column_field("Kodi", ColumnMapping({"kodi": "reference"}, {}))
    ('date', 'reference')
    >>> column_field("Emri", ColumnMapping({}, {})) is None
    True
    """
    config = config or load_config()
    k = header_key(name)
    mapped = {header_key(c): f for c, f in mapping.columns.items()}
    if name in mapping.columns:
        return mapping.columns[name]
    if k in mapped:
        return mapped[k]
    return next((f for f, aliases in config.columns.items() if k in aliases), None)


def resolve_columns(names: Iterable[str], mapping: ColumnMapping, config: Config | None = None) -> dict[str, str]:
    """Return field -> file column: the mapping file first, then the default names.

    Raises
    ------
    ImportFileError
        If two columns are read as one field, the date or offence column is missing, or no
        place column (lat/lon, address or landmark).
    """
    config = config or load_config()
    names = list(names)
    out: dict[str, str] = {}
    for name in names:
        found = column_field(name, mapping, config)
        if found is None:
            continue
        if found in out:
            raise ImportFileError("err_inc_columns_same_field", field=found, first=out[found], second=name)
        out[found] = name
    missing = [f for f in ("date", "offence") if f not in out]
    if not ({"lat", "lon"} <= set(out) or "address" in out or "landmark" in out):
        missing.append("lat+lon / address / landmark")
    if missing:
        raise ImportFileError("err_inc_columns", missing=", ".join(missing), found=", ".join(names))
    return out
