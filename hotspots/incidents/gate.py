"""The import gate: an incident file keeps only the columns the app knows and the mapping names.

An allow-list, not a deny-list. Every header of the file is normalised
(:func:`hotspots.incidents.config.header_key`: case, diacritics, spaces, punctuation,
camelCase, numbered prefixes and suffixes) and must be one of the known column names
(``geodata/incidents.yaml``) or a column the mapping file names. A file with any other
column is **refused whole**, before a row is read, with every such column listed; the
names of personal-data columns (the old deny-list) only say which of them look like data
about people. So the police re-export only what is needed, and nothing that was not asked
for is ever held. Blank headers over data, and two headers that normalise to the same
name, are refused too; so is a mapping file that routes a personal-looking column (a name,
a birth date, a home address) to a field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from hotspots.base.errors import ImportFileError
from hotspots.base.i18n import t
from hotspots.base.labels import PERSONAL_REASON, label
from hotspots.incidents.config import (
    PLACE_FIELDS, ColumnMapping, Config, column_field, header_key, load_config, personal_columns,
)
from hotspots.incidents.screening import pattern_kind


class GateError(ImportFileError):
    """A file refused at its header; ``reasons`` (personal-data reason codes) are named in the reader's language."""

    def message(self, lang: str = "en", *, escape: Callable[[str], str] | None = None) -> str:
        """Return the message in ``lang``, with the reasons translated (``escape`` as the base class)."""
        codes = self.params.get("reasons", ())
        reasons = ", ".join(label(PERSONAL_REASON, c, lang) for c in codes)
        params = {**self.params, "reasons": reasons}
        if escape is not None:
            params = {k: escape(v) if isinstance(v, str) else v for k, v in params.items()}
        return t(self.key, lang, **params)


class PersonalDataError(GateError):
    """The file holds columns outside the allow-list (data about people, or not asked for)."""


#: Longest header text shown in a message.
SHOWN_HEADER_CHARS: int = 40


def shown_header(name: str, number: int) -> str:
    """Return a header as a message may show it: quoted, shortened, never personal text.

    A header that itself looks like personal data (a file whose first row is a record, not a
    header) is shown by its column number only.

    Examples
    --------
    >>> shown_header("Emri", 3), shown_header("Arta Hoxha 0691234567", 3)
    ('“Emri”', 'column 3')
    """
    if pattern_kind(name) is not None:
        return f"column {number}"
    text = name if len(name) <= SHOWN_HEADER_CHARS else name[:SHOWN_HEADER_CHARS] + "…"
    return f"“{text}”"


def check_header(names: Iterable[str], mapping: ColumnMapping | None = None, config: Config | None = None) -> None:
    """Refuse a header that is not made of known and mapped columns only.

    Parameters
    ----------
    names
        The header cells as in the file (blank cells already left out by the reader when
        nothing is under them).
    mapping
        The user's mapping file; its columns count as known.

    Raises
    ------
    ImportFileError
        ``err_inc_header_blank`` for a blank header, ``err_inc_header_duplicate`` for two
        headers with the same normalised name, ``err_inc_mapping_personal`` for a mapping
        routing a personal-looking column to a field.
    PersonalDataError
        For columns outside the allow-list (the message lists them and says which look personal).
    """
    config = config or load_config()
    mapping = mapping or ColumnMapping({}, {})
    names = [str(n) for n in names]
    _check_blank_and_duplicates(names)
    _check_mapping(names, mapping, config)
    unknown = [(i, n) for i, n in enumerate(names, start=1) if column_field(n, mapping, config) is None]
    if not unknown:
        return
    personal = personal_columns([n for _, n in unknown], config)
    listed = ", ".join(shown_header(n, i) for i, n in unknown)
    if personal:
        looks = ", ".join(shown_header(n, i) for i, n in unknown if n in personal)
        raise PersonalDataError("err_inc_personal", columns=listed, personal=looks,
                                reasons=sorted(set(personal.values())))
    raise PersonalDataError("err_inc_columns_unknown", columns=listed)


def _check_blank_and_duplicates(names: list[str]) -> None:
    seen: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        k = header_key(name)
        if not k:
            raise ImportFileError("err_inc_header_blank", number=number)
        if k in seen:
            raise ImportFileError("err_inc_header_duplicate", first=shown_header(names[seen[k] - 1], seen[k]),
                                  second=shown_header(name, number))
        seen[k] = number


def _check_mapping(names: list[str], mapping: ColumnMapping, config: Config) -> None:
    """Refuse a mapping that routes a personal-looking column (of the file or not) to a field."""
    personal = personal_columns(list(mapping.columns), config)
    if not personal:
        return
    column, reason = next(iter(personal.items()))
    field = mapping.columns[column]
    number = next((i for i, n in enumerate(names, start=1) if header_key(n) == header_key(column)), 0)
    if field in PLACE_FIELDS and reason == "home_address":
        raise GateError("err_inc_mapping_home", column=shown_header(column, number), field=field, reasons=[reason])
    raise GateError("err_inc_mapping_personal", column=shown_header(column, number), field=field, reasons=[reason])
