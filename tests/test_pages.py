"""Page tests with streamlit.testing.v1.AppTest: every page, both languages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/map.py", "pages/overview.py"]


@pytest.fixture(autouse=True)
def _db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOTSPOTS_DB", str(tmp_path / "pages.sqlite"))
    monkeypatch.setenv("HOTSPOTS_LANG", "sq")


def _app(lang: str = "sq") -> AppTest:
    """Return the app, run once, starting in ``lang`` (HOTSPOTS_LANG, the installation default)."""
    os.environ["HOTSPOTS_LANG"] = lang  # restored by the autouse fixture
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


@pytest.mark.parametrize("lang", ["sq", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_both_languages(page: str, lang: str) -> None:
    at = _app(lang)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, "every page has a title"
    texts = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert ("OpenStreetMap" in texts), "attribution is shown"


def _metric(at: AppTest) -> int:
    return int(at.metric[0].value)


def test_map_page_filters_change_the_counts() -> None:
    at = _app("en")
    assert not at.exception
    assert _metric(at) == 14
    at.multiselect(key="f_units").set_value([6])
    at.multiselect(key="f_category").set_value(["crime"])
    at.run()
    assert _metric(at) == 3
    counts = at.dataframe[0].value  # the counts table comes first
    assert counts.loc["Unit no. 6"].iloc[0] == 3
    assert at.query_params["unit"] == "6" and at.query_params["category"] == "crime"


def test_map_page_reads_its_view_from_the_url() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["unit"] = "1"
    at.query_params["category"] = "crime"
    at.run()
    assert not at.exception
    assert _metric(at) == 3
    assert at.multiselect(key="f_units").value == [1]


def test_language_switch_changes_labels() -> None:
    at = _app("sq")
    assert at.title[0].value == "Harta"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Map"
    assert any("Needs a location" in s.value for s in at.subheader)


def test_map_component_gets_local_assets_only() -> None:
    at = _app()
    components = [e for e in at.main if type(e).__name__ == "UnknownElement"]
    assert components, "the st_folium component is rendered"
    args = str(components[0].proto)
    assert "/app/static/vendor/leaflet/leaflet.js" in args
    assert "cdn.jsdelivr" not in args and "cdnjs" not in args
