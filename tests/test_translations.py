"""The catalogs (hotspots/locale/*/LC_MESSAGES/messages.po) against the code, and a third language.

Fails on: an id the code uses that a catalog lacks, an empty or fuzzy translation, a placeholder a
translation drops or invents, an id no code uses, a key built at run time, a call that does not pass
the placeholders its message needs, a code of the model without a label, a stale messages.pot.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po, write_po

from hotspots.base import i18n
from hotspots.base import labels
from hotspots.plan import model
from hotspots.base import settings
from hotspots.accounts.auth import Role
from hotspots.evidence.emerging import LABELS as EHSA_LABELS
from hotspots.evidence.hotspot_detection import LABELS as GI_LABELS
from hotspots.plan.movement import CLASSES

ROOT = settings.ROOT
CODE = [ROOT / "hotspots", ROOT / "pages", ROOT / "app.py"]
PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")
#: The functions whose first argument is a message id (t, tr, tn, trn) or a label map (label …).
ID_CALLS = {"t", "tr", "tn", "trn", "N_", "Nn_"}


def extracted() -> dict[str, bool]:
    """Return the message ids the code uses (id -> has plural forms), as `make translations` finds them."""
    keywords = parse_keywords(list(i18n.KEYWORDS))
    found: dict[str, bool] = {}
    for folder in CODE:
        directory, only = (folder.parent, folder.name) if folder.is_file() else (folder, None)
        for path, _line, message, _comments, _context in extract_from_dir(
            directory, method_map=[(only or "**.py", "hotspots.base.i18n.extract_ids")], keywords=keywords,
        ):
            if only is None or path == only:
                key = message if isinstance(message, str) else message[0]
                found[key] = found.get(key, False) or not isinstance(message, str)
    return found


def read(lang: str, directory: Path = i18n.LOCALE_DIR) -> Catalog:
    """Return the catalog of ``lang``."""
    with i18n.catalog_path(lang, directory).open("rb") as f:
        return read_po(f)


def forms(message) -> list[str]:
    """Return the translations of a message: one, or one per plural form."""
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def names(text: str) -> set[str]:
    """Return the placeholder names of ``text``."""
    return set(PLACEHOLDER.findall(text))


def problems(lang: str, directory: Path = i18n.LOCALE_DIR) -> list[str]:
    """Return what is wrong with the catalog of ``lang`` against the code and the Albanian source."""
    ids = extracted()
    catalog = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read(lang, directory) if m.id}
    source = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read(i18n.SOURCE_LANGUAGE, directory) if m.id}
    found = [f"{lang}: missing {k}" for k in sorted(set(ids) - set(catalog))]
    found += [f"{lang}: unused {k}" for k in sorted(set(catalog) - set(ids))]
    for key, message in catalog.items():
        if key not in ids:
            continue
        if ids[key] != isinstance(message.id, tuple):
            found.append(f"{lang}: {key} should {'' if ids[key] else 'not '}have plural forms")
        if message.fuzzy or not all(s.strip() for s in forms(message)):
            found.append(f"{lang}: {key} is not translated")
            continue
        want = set().union(*(names(s) for s in forms(source[key]))) if key in source else set()
        for text in forms(message):
            have = names(text)
            # a singular form may say "1" instead of "{n}"; nothing else may be left out or invented
            if have - want or (want - have) - ({"n"} if ids[key] else set()):
                found.append(f"{lang}: {key} has placeholders {sorted(have)}, the source {sorted(want)}")
    return found


@pytest.mark.parametrize("lang", i18n.languages())
def test_every_catalog_is_complete_and_matches_the_code(lang):
    assert problems(lang) == []


def test_the_check_finds_a_missing_translation_and_a_wrong_placeholder(tmp_path):
    directory = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, directory, ignore=shutil.ignore_patterns("*.mo"))
    catalog = read("en", directory)
    del catalog["err_name_missing"]
    catalog["err_user_unknown"].string = "Account “{user}” does not exist."
    catalog["sent_resolved"].string = ("1 resolved", "")
    with i18n.catalog_path("en", directory).open("wb") as f:
        write_po(f, catalog)
    assert problems("en", directory) == [
        "en: missing err_name_missing",
        "en: err_user_unknown has placeholders ['user'], the source ['name']",
        "en: sent_resolved is not translated",
    ]


def test_the_shipped_template_is_current():
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as f:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert template == set(extracted()), "run `make translations`"


def test_albanian_and_english_have_two_plural_forms():
    for lang in ("sq", "en"):
        catalog = read(lang)
        assert (catalog.num_plurals, catalog.plural_expr) == (2, "(n != 1)")
    assert i18n.tn("pl_linked", 1, "sq") == "1 hotspot i lidhur në këtë periudhë"
    assert i18n.tn("pl_linked", 0, "sq") == "0 hotspote të lidhura në këtë periudhë"
    assert i18n.tn("rv_incomplete", 1, "en").startswith("The review is not complete: 1 hotspot not yet reviewed.")
    assert i18n.tn("inc_summary_done", 1, "en", added=1, rows=1, unplaced=0, already=0).startswith("Imported 1 new incident from")


def _calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            yield name, node


def _code_files():
    return [p for folder in CODE for p in ([folder] if folder.is_file() else sorted(folder.rglob("*.py")))]


def test_no_message_id_is_built_at_run_time():
    built = [f"{p.relative_to(ROOT)}:{node.lineno}" for p in _code_files() for name, node in _calls(p)
             if name in ID_CALLS | {"label", "code_label", "counted"}
             and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))]
    assert built == []


#: Filled by :func:`hotspots.base.i18n.place_params` from the municipality's folder, never by a caller.
PLACE_PARAMS = set(i18n.place_params("en"))


def test_each_call_passes_the_placeholders_of_its_message():
    source = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read("sq") if m.id}
    short = []
    keywords = {k.split(":")[0] for k in i18n.KEYWORDS} - {"N_", "Nn_"}
    for path in _code_files():
        for name, node in _calls(path):
            first = node.args[0]
            if name not in keywords or not (isinstance(first, ast.Constant) and first.value in source):
                continue
            if any(k.arg is None for k in node.keywords):  # **params: checked where they are built
                continue
            given = {k.arg for k in node.keywords} | ({"n"} if name in ("tn", "trn") else set()) | PLACE_PARAMS
            needed = set().union(*(names(s) for s in forms(source[first.value])))
            if needed - given:
                short.append(f"{path.relative_to(ROOT)}:{node.lineno} {first.value} lacks {sorted(needed - given)}")
    assert short == []


def test_every_code_of_the_model_has_a_label():
    expected = {
        "CATEGORY": [str(c) for c in model.Category], "PRIORITY": [str(p) for p in model.Priority],
        "QUALITY": [str(q) for q in model.LocationQuality], "STATUS": [str(s) for s in model.Status],
        "ROLE": [str(r) for r in Role], "REVIEW_CLASS": list(CLASSES),
        "SENTENCE": [c for c in CLASSES if c != "moved"], "GI_CLASS": list(GI_LABELS), "EHSA_CLASS": list(EHSA_LABELS),
    }
    for name, codes in expected.items():
        table = getattr(labels, name)
        assert set(codes) <= set(table), f"{name} lacks {sorted(set(codes) - set(table))}"
        for code in codes:
            for lang in ("sq", "en"):
                assert labels.label(table, code, lang) if name != "SENTENCE" else labels.counted(table, code, 2, lang)


def test_a_missing_parameter_stays_visible_and_an_unknown_id_comes_back_as_itself(caplog):
    assert i18n.t("err_user_unknown", "en") == "Account “{name}” does not exist."
    assert "has no value" in caplog.text
    assert i18n.t("no_such_key", "sq") == "no_such_key"


def pseudo(text: str) -> str:
    """Return a pseudo-translation of ``text``: marked, placeholders kept."""
    return f"⟦xx⟧ {text}" if text else text


def test_a_third_language_is_a_copied_catalog_and_one_command(tmp_path, monkeypatch):
    """What README's "Adding a language" says: copy a catalog, translate it, `make mo`; the app shows it."""
    directory = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, directory, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copytree(directory / "en", directory / "xx")
    catalog = read("xx", directory)
    for message in catalog:
        if message.id:
            message.string = tuple(pseudo(s) for s in message.string) if isinstance(message.id, tuple) \
                else pseudo(message.string)
    catalog["language_name"].string = "Xx-test"
    with i18n.catalog_path("xx", directory).open("wb") as f:
        write_po(f, catalog)
    # the one command
    subprocess.run(["make", "-s", "-C", str(ROOT), "mo", f"LOCALE={directory}"], check=True, timeout=120)
    assert (directory / "xx" / "LC_MESSAGES" / "messages.mo").is_file()
    assert problems("xx", directory) == []

    monkeypatch.setenv("HOTSPOTS_LOCALE_DIR", str(directory))
    assert i18n.languages() == ("sq", "en", "xx")
    assert i18n.t("err_name_missing", "xx") == "⟦xx⟧ The name is missing."
    assert i18n.tn("shown_on_map", 1, "xx", located=1) == "⟦xx⟧ 1 hotspot in view, 1 on the map"

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "xx"
    at.run()
    assert not at.exception
    assert "Xx-test" in at.sidebar.radio[0].options
    shown = " ".join(str(c.value) for c in at.caption) + " ".join(str(m.value) for m in at.markdown)
    assert "⟦xx⟧" in shown


def test_a_locale_folder_without_the_albanian_catalog_is_refused_and_texts_still_show(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTSPOTS_LOCALE_DIR", str(tmp_path))
    found = settings.problems()
    assert [e.params["name"] for e in found] == ["HOTSPOTS_LOCALE_DIR"]
    assert "HOTSPOTS_LOCALE_DIR" in found[0].message("sq")
    assert i18n.t("err_name_missing", "sq") == "Emri mungon."  # the shipped catalogs, to say what is wrong
