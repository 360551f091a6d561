"""The app's texts: gettext catalogs, one per language, Albanian the source and the default.

Each language has ``hotspots/locale/<code>/LC_MESSAGES/messages.po`` (open it in Poedit or
Weblate); ``make translations`` extracts the message ids from the code into
``hotspots/locale/messages.pot``, merges them into every catalog and compiles the ``.mo``
files the app reads. A language is every folder with a catalog: copy ``en``'s to a new code,
translate it, run ``make translations``, and the language switch offers it (README,
"Adding a language").

Message ids are keys (``err_name_missing``), not English sentences: the plan is written in
Albanian, and a key keeps a changed wording from orphaning its translations. Code never builds
a key at run time: a code (a category, a status, a column) is turned into its key by an
explicit map in :mod:`hotspots.base.labels`, whose entries are marked with :func:`N_` so the
extractor finds them. Plurals use ``ngettext`` (:func:`tn`): Albanian and English have two
forms (``nplurals=2; plural=(n != 1)``), other languages what their catalog's header says.
"""

from __future__ import annotations

import ast
import functools
import gettext
import io
import logging
import string
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

from hotspots.base import errors, settings
from hotspots.base.municipality import REFERENCES


#: Folder of the catalogs shipped with the app.
LOCALE_DIR: Path = settings.LOCALE_DIR
#: The gettext domain (``messages.po`` / ``messages.mo``).
DOMAIN: str = "messages"
#: The language the texts are written in: the default, and where a missing translation falls back.
SOURCE_LANGUAGE: str = settings.SOURCE_LANGUAGE
#: Functions (and error classes) whose arguments are message ids, in ``pybabel extract -k`` syntax:
#: ``tn:1,1`` takes argument 1 as both the singular and the plural id.
KEYWORDS: tuple[str, ...] = (
    "t", "tr", "trm", "N_", "tn:1,1", "trn:1,1", "Nn_:1,1",
    "HotspotError", "ValidationError", "ImportFileError", "UnitLayerError", "NotFoundError", "ConflictError",
    "PermissionDenied", "StoreBusyError", "StoreFaultError", "SettingError", "PersonalDataError", "StaleEditError",
    "GateError", "ReadNote", "MunicipalityError",
)

_log = logging.getLogger(__name__)


def N_(key: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    """Return ``key`` unchanged: marks a message id that is translated later (gettext_noop)."""
    return key


def Nn_(key: str) -> str:  # noqa: N802
    """Return ``key`` unchanged: marks the id of a message with plural forms, used with :func:`tn`."""
    return key


def locale_dir() -> Path:
    """Return the folder of the catalogs: ``HOTSPOTS_LOCALE_DIR`` or the one shipped with the app."""
    return settings.catalogs_dir()


def catalog_path(lang: str, directory: Path | None = None) -> Path:
    """Return the ``.po`` file of ``lang``."""
    return (directory or locale_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(directory: Path | None = None) -> tuple[str, ...]:
    """Return the codes of the languages with a catalog: Albanian, English, then the rest by code."""
    return settings.catalog_languages(directory)


def compile_catalog(po: Path) -> bytes:
    """Return the compiled (``.mo``) form of the catalog ``po``; fuzzy and empty entries are left out."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@functools.cache
def _translations(directory: str, lang: str) -> gettext.NullTranslations:
    """Return the translations of ``lang`` from ``directory``, falling back to the source language.

    Read once per process (a changed catalog is read by the next start, as a changed module
    is): the ``.mo`` built by ``make mo`` when it is at least as new as the ``.po``,
    otherwise the ``.po`` compiled in memory.
    """
    po = catalog_path(lang, Path(directory))
    mo = po.with_suffix(".mo")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        data = mo.read_bytes()
    elif po.is_file():
        data = compile_catalog(po)
    else:
        return gettext.NullTranslations()
    found = gettext.GNUTranslations(io.BytesIO(data))
    if lang != SOURCE_LANGUAGE:
        found.add_fallback(_for(SOURCE_LANGUAGE, Path(directory)))
    return found


def _for(lang: str, directory: Path | None = None) -> gettext.NullTranslations:
    """Return the (cached) translations of ``lang``."""
    return _translations(str(directory or locale_dir()), lang)


class _Params(dict[str, Any]):
    """Parameters of a message: a placeholder without a value stays visible, and is logged."""

    def __missing__(self, name: str) -> str:
        _log.warning("message parameter {%s} has no value", name)
        return "{" + name + "}"


@functools.lru_cache(maxsize=8)
def _place_params(lang: str) -> dict[str, str]:
    place = settings.MUNICIPALITY

    def named(texts: dict[str, str], default: str) -> str:
        return texts.get(lang) or texts.get(SOURCE_LANGUAGE) or default

    unit_names = ", ".join(u.short_in(lang) for u in place.units)
    default_label = {"sq": "Njësitë", "en": "Units"}
    params = {"municipality": place.short_name, "plan_citation": named(place.plan_citation, ""),
              "units_label": named(place.units_label, default_label.get(lang, default_label["en"])),
              "units_range": named(place.units_range, unit_names)}
    params |= {f"ref_{category}": problem for category, problem in place.categories.items()}
    params |= {f"ref_{part}": place.references.get(part, "—") for part in REFERENCES}
    return params


def place_params(lang: str) -> dict[str, str]:
    """Return what every message may name of the municipality, all from its folder.

    ``{municipality}``, ``{plan_citation}``, ``{units_label}`` and ``{units_range}`` ("units
    1–6"), ``{ref_crime}`` / ``{ref_street_children}`` (the plan problem of each category) and
    ``{ref_cameras}``, ``{ref_camera_coverage}``, … (the plan activity each register serves, "—"
    when the folder names none). They come from :data:`hotspots.base.settings.MUNICIPALITY`, so
    no catalog names a place or a plan number.

    Examples
    --------
    >>> place_params("en")["municipality"], place_params("en")["ref_camera_coverage"]
    ('Elbasan', '1.7.2')
    """
    return dict(_place_params(lang))


def _fill(text: str, params: dict[str, Any], lang: str = "") -> str:
    """Return ``text`` with its ``{name}`` placeholders filled (a missing one left as it is)."""
    if "{" in text:
        params = {**_place_params(lang or SOURCE_LANGUAGE), **params}
    try:
        return string.Formatter().vformat(text, (), _Params(params))
    except (ValueError, IndexError) as exc:  # a format spec applied to a missing value, "{0}"
        _log.warning("message %r cannot be filled: %s", text[:60], exc)
        return text


def t(key: str, lang: str = SOURCE_LANGUAGE, /, **params: Any) -> str:
    """Return the message ``key`` in ``lang`` with ``params`` filled in.

    A key no catalog has comes back as the key itself, visible rather than fatal
    (``tests/test_translations.py`` fails on one).

    Examples
    --------
    >>> t("err_name_missing", "en")
    'The name is missing.'
    >>> t("err_user_unknown", "sq", name="ana")
    'Llogaria “ana” nuk ekziston.'
    """
    return _fill(_for(lang).gettext(key), params, lang)


def tn(key: str, n: int, lang: str = SOURCE_LANGUAGE, /, **params: Any) -> str:
    """Return the message ``key`` in the plural form ``lang`` uses for the number ``n`` (``{n}`` filled in).

    Examples
    --------
    >>> tn("shown_on_map", 1, "sq", located=1), tn("shown_on_map", 2, "en", located=0)
    ('1 hotspot në pamje, 1 në hartë', '2 hotspots in view, 0 on the map')
    >>> tn("sent_resolved", 1, "en"), tn("sent_resolved", 3, "sq")
    ('1 resolved', '3 u zgjidhën')
    """
    return _fill(_for(lang).ngettext(key, key, n), {"n": n, **params}, lang)


def language_name(lang: str) -> str:
    """Return the name of the language ``lang`` in that language (``Shqip``, ``English``)."""
    return t("language_name", lang)


#: Compass direction -> its words.
DIRECTIONS: dict[str, str] = {
    "N": N_("dir_N"), "NE": N_("dir_NE"), "E": N_("dir_E"), "SE": N_("dir_SE"),
    "S": N_("dir_S"), "SW": N_("dir_SW"), "W": N_("dir_W"), "NW": N_("dir_NW"),
}


def direction_words(compass_name: str, lang: str = SOURCE_LANGUAGE) -> str:
    """Return a compass direction (``NE`` …) in words of ``lang``, e.g. "to the north-east"."""
    key = DIRECTIONS.get(compass_name)
    return compass_name if key is None else t(key, lang)


def extract_ids(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: dict[str, Any],
) -> Iterator[tuple[int, str, list[str | None], list[str]]]:
    """Yield the calls of ``keywords`` in a Python file, for ``pybabel extract`` (``babel.cfg``).

    Babel's own Python extractor reads tokens, and on Python 3.11 an f-string is one token:
    ``f"{t('legend', lang)}"`` would be missed. This one reads the syntax tree, so calls inside
    f-strings count; a call's positional arguments are given as Babel expects (a string
    constant, or None for anything else), and Babel picks the ids the keyword's spec names.
    """
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in keywords:
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            yield node.lineno, name, args, []


def _render_error(key: str, lang: str, params: dict[str, Any]) -> str:
    return t(key, lang, **params)


errors.install_renderer(_render_error)
