"""Stored text shows as text: a hotspot named in Markdown is never a link, an image or bold (issue 23)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hotspots.base.plain import markdown_text
from hotspots.plan.records import point_record

from .conftest import initialised_copy

ROOT = Path(__file__).resolve().parent.parent
#: A name a careless table would render as a link, an image and bold text.
MARKDOWN_NAME = "[x](http://evil.example) ![i](data:image/png;base64,iVBORw0KGgo=) **b** :red[r] $x$ www.evil.example"


def unescaped(text: str) -> str:
    """Return what a Markdown renderer shows of an escaped text (each backslash escape read as its character)."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def markup_left(text: str) -> list[str]:
    """Return the Markdown constructs left unescaped in ``text`` (links, images, emphasis, directives, math)."""
    found = []
    for name, pattern in {"link": r"(?<!\\)\[[^\]]*(?<!\\)\]\(", "image": r"(?<!\\)!(?<!\\)\[", "bold": r"(?<!\\)\*(?<!\\)\*",
                          "directive": r"(?<!\\):red(?<!\\)\[", "math": r"(?<!\\)\$x(?<!\\)\$",
                          "autolink": r"www(?<!\\)\.evil|http://|\w@\w"}.items():
        if re.search(pattern, text):
            found.append(name)
    return found


@pytest.mark.parametrize("text", [MARKDOWN_NAME, "a_b_ `c` <b>d</b> # e | f", "line\nbreak", "mail x@evil.example"])
def test_markdown_text_escapes_every_construct_and_reads_back_as_typed(text: str) -> None:
    escaped = markdown_text(text)
    assert markup_left(escaped) == []
    assert unescaped(escaped) == " ".join(text.splitlines())


def test_plan_page_tables_show_a_markdown_name_as_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        initialised_template: Path) -> None:
    path = tmp_path / "plain.sqlite"
    store = initialised_copy(initialised_template, path)
    store.write_records([point_record(name=MARKDOWN_NAME, category="crime", lat=41.1125, lon=20.0822,
                                      period="2022-H1", location_quality="exact")], author="test")
    monkeypatch.setenv("HOTSPOTS_DB", str(path))
    monkeypatch.setenv("HOTSPOTS_LANG", "en")
    os.environ["HOTSPOTS_LANG"] = "en"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/plan.py").run()
    assert not at.exception, at.exception
    assert not [t for t in at.table if "evil" in t.value.to_string()]  # st.table renders Markdown: never for names
    cells = [str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()]
    assert cells.count(MARKDOWN_NAME) >= 2, cells  # as typed, in the hot zones without a camera and every coverage
    markdown = [m.value for m in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success]]
    assert not [m for m in markdown if "evil" in m and markup_left(m)], markdown  # nor anywhere else on the page
