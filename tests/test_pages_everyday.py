"""Page tests of issue 9: hotspots outside units 1-6 on every page, editing, the example series."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hotspots import auth
from hotspots.records import point_record
from hotspots.store import Store

ROOT = Path(__file__).resolve().parent.parent
#: Inside the municipality of Elbasan, outside the city's units 1-6 (its rural part).
RURAL = (41.10, 20.00)
PAGES = ["pages/map.py", "pages/review.py", "pages/plan.py", "pages/overview.py", "pages/login.py"]
STAFF_PAGES = ["pages/add.py", "pages/update.py"]


@pytest.fixture()
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    path = tmp_path / "everyday.sqlite"
    monkeypatch.setenv("HOTSPOTS_DB", str(path))
    monkeypatch.setenv("HOTSPOTS_LANG", "en")
    store = Store(path)
    store.init(author="test")
    return store


def _rural(store: Store) -> None:
    """Add a rural hotspot (no unit) in the first two periods, as staff would."""
    for period in ("2022-H1", "2022-H2"):
        store.write_records([point_record(name="Fshati", category="crime", lat=RURAL[0], lon=RURAL[1],
                                          period=period, location_quality="approximate")], author="test")


def _app(lang: str = "en") -> AppTest:
    os.environ["HOTSPOTS_LANG"] = lang
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def _login(at: AppTest, store: Store, name: str, role: str) -> AppTest:
    auth.add_user(store, name, role, f"{name}-password", author="test")
    at.switch_page("pages/login.py").run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(f"{name}-password")
    at.button[0].click().run()
    assert at.session_state["auth_role"] == role
    return at


@pytest.mark.parametrize("page", PAGES + STAFF_PAGES)
def test_every_page_runs_with_hotspots_outside_the_units(db: Store, page: str) -> None:
    _rural(db)
    at = _app()
    if page in STAFF_PAGES:
        at = _login(at, db, "staff9", "staff")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title


def test_map_counts_hotspots_outside_the_units_under_no_unit(db: Store) -> None:
    _rural(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "2022-H2"
    at.run()
    assert not at.exception, at.exception
    counts = at.dataframe[0].value
    assert counts.loc["No unit"].iloc[0] == 1  # crime column
    assert counts.loc["No unit", "Total"] == 1


def _map_args(at: AppTest) -> str:
    components = [e for e in at.main if type(e).__name__ == "UnknownElement"]
    return str(components[0].proto)


def test_map_opens_on_the_latest_period_with_records(db: Store) -> None:
    db.record_review("H-1.7-04", "2023-H1", outcome="persists", author="test")
    at = _app()
    assert not at.exception
    assert at.selectbox(key="f_period").value == "2023-H1"
    assert int(at.metric[0].value) == 1


def test_a_period_with_no_records_says_so(db: Store) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = "2024-H1"
    at.run()
    assert not at.exception
    assert any("No hotspot was recorded for period 2024-H1" in w.value and "2022-H1" in w.value for w in at.warning)
    assert not any("Every hotspot in view has a location" in c.value for c in at.caption)


def test_place_search_on_the_map_page_marks_the_place(db: Store) -> None:
    at = _app()
    at.text_input(key="map_query").input("stacioni i trenit")
    at.button(key="map_search").click().run()
    assert not at.exception
    assert at.radio(key="map_pick").options[0].startswith("Stacioni i trenit")
    args = _map_args(at)
    assert "hs-found-place" in args and "41.105" in args

