"""Free text screened for people (pure): case references, addresses and landmarks.

A case reference must have the police's case-number shape (``reference_pattern`` of
``geodata/incidents.yaml``); address and landmark text must hold no Albanian personal
number, phone number, date (of birth) or word about a person (*viktima*, *shtëpia e*,
*lindur*, *banon*, *emri* …). A row that fails is refused by its number with the kind of
pattern found; the text itself is never stored, shown or logged. Each distinct value is
screened once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from hotspots.incidents.config import Config, load_config
from hotspots.plan.geocode import normalise


#: A reference whose digits alone are an Albanian mobile number (0 / 355 / 00355, then 6[6-9] and 7 digits).
_PHONE_DIGITS = re.compile(r"(?:(?:00)?355|0)6[6-9][0-9]{7}")
#: A reference that is a whole date (DD.MM.YYYY, YYYY-MM-DD …): possibly a date of birth.
_DATE_ONLY = re.compile(r"[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4}|[0-9]{4}[./-][0-9]{1,2}[./-][0-9]{1,2}")


@dataclass(frozen=True)
class Screen:
    """The compiled screen: the reference shape, the patterns by kind, the words, the exceptions."""

    reference: re.Pattern[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    words: re.Pattern[str] | None
    exceptions: tuple[str, ...]
    clean_reference: str = ""


def compile_screen(config: Config) -> Screen:
    """Return the screen of ``config`` compiled once."""
    words = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in config.text_words if w.strip("*")]
    return Screen(
        reference=re.compile(config.reference_pattern),
        patterns=tuple((k, re.compile(p, re.IGNORECASE)) for k, p in config.text_patterns.items()),
        words=re.compile(r"\b(?:" + "|".join(words) + r")\b") if words else None,
        exceptions=tuple(sorted(config.text_except, key=len, reverse=True)),
        clean_reference=_clean_reference(config.reference_pattern),
    )


def _clean_reference(shape: str) -> str:
    """Return one pattern a surely clean reference matches whole: the shape, not a date, and a letter, a slash or < 9 digits.

    It lets a column of references be screened in one vectorised pass; a reference it does
    not match is looked at by :func:`reference_kind` (which may still find it clean).
    """
    return rf"(?!(?:{_DATE_ONLY.pattern})$)(?=.*[A-Za-z/]|(?:[^0-9]*[0-9]){{0,8}}[^0-9]*$)(?:{shape})"


@lru_cache(maxsize=1)
def _default_screen() -> Screen:
    return compile_screen(load_config())


def pattern_kind(text: str, screen: Screen | None = None) -> str | None:
    """Return the kind of the first personal pattern (``id_number``, ``date``, ``phone``) in ``text``, or None.

    The words are not looked for: a column header such as ``Emri`` may be named in a message.
    """
    screen = screen or _default_screen()
    return next((kind for kind, pattern in screen.patterns if pattern.search(text)), None)


def text_kind(text: str, screen: Screen | None = None) -> str | None:
    """Return the kind of personal data in ``text`` (``id_number``, ``phone``, ``date``, ``personal_word``) or None.

    Examples
    --------
    >>> [text_kind(t) for t in ["Rruga e Kalasë", "shtepia e viktimes tel 0691234567", "Shtëpia e Kulturës",
    ...                         "Rruga Kristoforidhi J85302123X", "banon Arta Hoxha", "lindur 02.03.1985"]]
    [None, 'phone', None, 'id_number', 'personal_word', 'date']
    """
    screen = screen or _default_screen()
    found = pattern_kind(text, screen)
    if found is not None:
        return found
    plain = normalise(text)
    for place in screen.exceptions:
        plain = plain.replace(place, " ")
    if screen.words is not None and screen.words.search(plain):
        return "personal_word"
    return None


def reference_kind(text: str, screen: Screen | None = None) -> str | None:
    """Return why a case reference is refused (``reference_shape``, ``phone``, ``date``) or None.

    Examples
    --------
    >>> [reference_kind(t) for t in ["EL-2023-0412", "SHEMBULL-00001", "1234/2023", "066912/2023", "Arta Hoxha 1985-03-02",
    ...                              "NID J85302123X", "0691234567", "069-123-4567", "02.03.1985"]]
    [None, None, None, None, 'reference_shape', 'reference_shape', 'phone', 'phone', 'date']
    """
    screen = screen or _default_screen()
    if not screen.reference.fullmatch(text):
        return "reference_shape"
    if _PHONE_DIGITS.fullmatch(re.sub(r"[^0-9]", "", text)) and not re.search(r"[A-Za-z/]", text):
        return "phone"  # (a slash is a case number's: 066912/2023)
    if _DATE_ONLY.fullmatch(text):
        return "date"
    return None


def screen_values(values: Iterable[str], *, reference: bool = False, config: Config | None = None) -> list[str | None]:
    """Return the kind found in each text (None: clean); empty texts are clean."""
    screen = _default_screen() if config is None else compile_screen(config)
    check = reference_kind if reference else text_kind
    return [check(v, screen) if v else None for v in values]


def screen_series(values: pd.Series, *, reference: bool = False, config: Config | None = None) -> pd.Series:
    """Return :func:`screen_values` of a column, each distinct value screened once (None: clean).

    Examples
    --------
    >>> screen_series(pd.Series(["Kalaja", "", "tel 069 123 4567", "Kalaja"])).tolist()
    [None, None, 'phone', None]
    """
    text = values.astype(str)
    screen = _default_screen() if config is None else compile_screen(config)
    look = text != ""
    if reference:  # the usual case-number column: one vectorised pass, only the rest one by one
        look &= ~text.str.fullmatch(screen.clean_reference).fillna(False).astype(bool)
    out = pd.Series(None, index=values.index, dtype=object)
    if look.any():
        check = reference_kind if reference else text_kind
        distinct = pd.unique(text[look])
        kinds = {v: check(v, screen) for v in distinct}
        out[look] = text[look].map(kinds).to_numpy()
    return out.where(out.notna(), None)
