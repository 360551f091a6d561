"""Page tests of issue 9: hotspots outside units 1-6 on every page, editing, the example series."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hotspots.plan import editing
from hotspots.plan.records import point_record
from hotspots.plan.store import Store

from .apptest import login
from .conftest import initialised_copy

ROOT = Path(__file__).resolve().parent.parent
#: Inside the municipality of Elbasan, outside the city's units 1-6 (its rural part).
RURAL = (41.10, 20.00)
PAGES = ["pages/map.py", "pages/review.py", "pages/plan.py", "pages/overview.py", "pages/login.py"]
STAFF_PAGES = ["pages/add.py", "pages/update.py"]


@pytest.fixture()
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, initialised_template: Path) -> Store:
    path = tmp_path / "everyday.sqlite"
    monkeypatch.setenv("HOTSPOTS_DB", str(path))
    monkeypatch.setenv("HOTSPOTS_LANG", "en")
    return initialised_copy(initialised_template, path)  # Store(path).init(author="test"), made once


def _rural(store: Store) -> None:
    """Add a rural hotspot (no unit) in the first two periods, as staff would."""
    for period in ("2022-H1", "2022-H2"):
        store.write_records([point_record(name="Fshati", category="crime", lat=RURAL[0], lon=RURAL[1],
                                          period=period, location_quality="approximate")], author="test")


def _app(lang: str = "en") -> AppTest:
    os.environ["HOTSPOTS_LANG"] = lang
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


@pytest.mark.parametrize("page", PAGES + STAFF_PAGES)
def test_every_page_runs_with_hotspots_outside_the_units(db: Store, page: str) -> None:
    _rural(db)
    at = _app()
    if page in STAFF_PAGES:
        at = login(at, "staff9", "staff", db)
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
    """Return what the page's map elements carry: the map, and on the map page its overlay (an element of its own)."""
    components = [e for e in at.main if type(e).__name__ == "UnknownElement"]
    return "\n".join(str(c.proto) for c in components)


def test_map_opens_on_the_latest_period_with_records(db: Store) -> None:
    editing.record_review(db, "H-1.7-04", "2023-H1", outcome="persists", version=None, author="test")
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


def _staff_on(page: str, store: Store, lang: str = "en") -> AppTest:
    at = login(_app(lang), "staff9", "staff", store)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_add_page_refuses_a_save_without_a_point_and_changes_nothing(db: Store) -> None:
    at = _staff_on("pages/add.py", db)
    before = db.count("hotspots")
    at.text_input(key="add_name").input("Pa pikë")
    at.button[-1].click().run()
    assert [e.value for e in at.error] == ["Choose a point first: click the map, search a place or type coordinates."]
    assert db.count("hotspots") == before


def test_add_page_accepts_decimal_commas_clears_the_form_and_shows_the_new_hotspot(db: Store) -> None:
    at = _staff_on("pages/add.py", db)
    at.text_input(key="add_lat").input("41,1125")
    at.text_input(key="add_lon").input("20,0822")
    at.button(key="add_set_coords").click().run()
    assert not at.error and any("Unit no. 4" in s.value for s in at.success)
    at.text_input(key="add_name").input("Te shkolla e re")
    at.button[-1].click().run()
    assert not at.exception and not at.error
    assert any("Hotspot H-1.7-10 saved in unit 4" in s.value for s in at.success)
    assert at.text_input(key="add_name").value == "" and at.text_input(key="add_lat").value == ""
    assert any("No point yet" in i.value for i in at.info)  # the point is cleared too
    assert "Te shkolla e re" in _map_args(at)  # the map already shows it: no stale state
    saved = db.hotspots(ids=["H-1.7-10"])
    assert saved.iloc[0]["name"] == "Te shkolla e re" and saved.iloc[0]["updated_by"] == "staff9"


def test_update_page_keeps_the_grade_on_a_move_and_tells_the_history_in_words(db: Store) -> None:
    at = _staff_on("pages/update.py", db)
    at.selectbox(key="upd_id").set_value("H-1.7-04").run()  # the train station: exact
    at.radio(key="upd_outcome").set_value("moved").run()
    assert at.selectbox(key="upd_quality_H-1.7-04").value == "exact"
    at.session_state["upd_point"] = (41.1052, 20.0750)  # as a click on the map sets it
    at.button(key="upd_save_review").click().run()
    assert not at.exception and not at.error
    assert any("Saved: H-1.7-04 — recorded for the period." == s.value for s in at.success), [s.value for s in at.success]
    moved = db.hotspots(ids=["H-1.7-04"], period="2022-H2").iloc[0]
    assert moved["location_quality"] == "exact" and moved["location_source"] == "moved at review 2022-H2 by staff9"
    history = at.dataframe[-1].value
    text = history.to_string()
    assert "review: moved" in text and "Moved from: 2022-H1" in text and "Location: exact" in text
    assert "{" not in text and "None" not in text and "nan" not in text


def test_staff_saves_go_to_the_real_data_while_the_example_is_loaded(db: Store) -> None:
    editing.load_example(db, author="test")
    at = _staff_on("pages/add.py", db)
    assert any("goes to the real data" in w.value for w in at.warning)
    at.text_input(key="add_lat").input("41.1125")
    at.text_input(key="add_lon").input("20.0822")
    at.button(key="add_set_coords").click().run()
    at.text_input(key="add_name").input("Real, not an example")
    at.button[-1].click().run()
    assert not at.error
    real = db.hotspots(dataset="real")
    assert "Real, not an example" in set(real["name"])
    assert "Real, not an example" not in set(db.hotspots(dataset="example")["name"])
    assert "Real, not an example" in _map_args(at)  # the staff page's map shows the real data


def test_update_page_refuses_a_stale_save_shows_the_other_change_and_keeps_the_input(db: Store) -> None:
    at = _staff_on("pages/update.py", db)
    at.selectbox(key="upd_id").set_value("H-1.7-04").run()  # staff A opens the train station
    at.radio(key="upd_outcome").set_value("persists").run()
    at.text_area(key="upd_notes").input("A: still there at night").run()
    # meanwhile staff B, in another session, records it resolved with a note
    editing.record_review(db, "H-1.7-04", "2022-H2", outcome="resolved", notes="B: closed by the police",
                          author="staff_b", version=editing.hotspot_version(db, "H-1.7-04"))
    at.button(key="upd_save_review").click().run()
    assert not at.exception
    errors = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # Markdown escapes read as the text shown
    assert any("changed meanwhile by staff_b" in e and "version" in e for e in errors), errors
    assert not at.success
    assert at.text_area(key="upd_notes").value == "A: still there at night"  # A's input is kept
    changes = [d.value.to_string() for d in at.dataframe]
    assert "staff_b" in changes[0] and "Status: resolved" in changes[0]  # the other's change, under the message
    assert any("B: closed by the police" in e for e in errors)  # and its note, in the message
    stored = db.hotspots(ids=["H-1.7-04"], period="2022-H2").iloc[0]
    assert stored["status"] == "resolved" and stored["notes"] == "B: closed by the police"
    # A looks at the change and saves on purpose from the stored version
    at.button(key="upd_take_stored").click().run()
    at.button(key="upd_save_review").click().run()
    assert not at.error and at.success
    stored = db.hotspots(ids=["H-1.7-04"], period="2022-H2").iloc[0]
    assert stored["status"] == "active" and stored["notes"] == "A: still there at night"
