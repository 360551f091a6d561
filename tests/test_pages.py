"""Page tests with streamlit.testing.v1.AppTest: every page, both languages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hotspots.plan import editing

from .apptest import login

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/map.py", "pages/review.py", "pages/plan.py", "pages/overview.py", "pages/login.py"]
STAFF_PAGES = ["pages/add.py", "pages/update.py"]


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


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_shared_sidebar_carries_language_switch_and_attribution(lang: str) -> None:
    at = _app(lang)
    assert at.sidebar.radio(key="lang").value == lang
    assert any("© OpenStreetMap contributors, ODbL" in c.value for c in at.sidebar.caption)


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


@pytest.mark.parametrize("lang", ["sq", "en"])
@pytest.mark.parametrize("page", STAFF_PAGES + ["pages/users.py"])
def test_staff_and_admin_pages_run_in_both_languages(page: str, lang: str) -> None:
    at = login(_app(lang), "boss", "admin")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title and not at.error


@pytest.mark.parametrize("page", STAFF_PAGES + ["pages/users.py"])
def test_edit_pages_ask_visitors_to_log_in_and_refuse_council(page: str) -> None:
    # issue 9: the URL of a staff page opens it (hidden from a visitor's menu) with a
    # login form and nothing of the page; after the login the same page runs.
    visitor = _app("en")
    visitor.switch_page(page).run()
    assert not visitor.exception
    assert [i.key for i in visitor.text_input] == ["login_name", "login_password"]
    assert not visitor.title and not visitor.error
    council = login(_app("en"), "kesh", "council")
    council.switch_page(page).run()
    assert council.error and council.error[0].value == "Your role does not allow this action."
    assert not council.text_input


@pytest.mark.parametrize("role", [None, "council", "analyst"])
@pytest.mark.parametrize("page", STAFF_PAGES + ["pages/users.py"])
def test_edit_pages_refuse_a_role_set_in_the_session_without_a_login(page: str, role: str | None) -> None:
    # issue 10: a role in the session state alone is worth nothing; the store decides
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    if role:
        at.session_state["auth_user"], at.session_state["auth_role"] = "someone", "admin"
    at.run()
    assert [i.key for i in at.text_input] == ["login_name", "login_password"]
    assert not at.title and [b.label for b in at.button] == ["Hyr"]


def test_add_page_saves_typed_coordinates_and_refuses_swapped_ones() -> None:
    at = login(_app("en"), "staff1", "staff")
    at.switch_page("pages/add.py").run()
    at.text_input(key="add_lat").input("20.0822")
    at.text_input(key="add_lon").input("41.1125")
    at.button(key="add_set_coords").click().run()
    assert at.error and "swapped" in at.error[0].value
    at.text_input(key="add_lat").input("41.1125")
    at.text_input(key="add_lon").input("20.0822")
    at.button(key="add_set_coords").click().run()
    assert any("Unit no. 4" in s.value for s in at.success)
    at.text_input(key="add_name").input("Para shkollës")
    at.button[-1].click().run()
    assert any("Hotspot H-1.7-10 saved in unit 4" in s.value for s in at.success), [s.value for s in at.success]


def test_staff_sets_an_activity_status_on_the_plan_page() -> None:
    from hotspots.plan.store import Store

    at = login(_app("en"), "staff2", "staff")
    at.switch_page("pages/plan.py").run()
    assert not at.exception
    period = at.selectbox(key="plan_period").value
    at.selectbox(key=f"as_1.7.5_{period}").set_value("in_progress")
    at.button[6].click().run()  # the form of problem 1.7 (forms 1.1 … 1.10, in order)
    assert not at.exception
    store = Store(os.environ["HOTSPOTS_DB"])
    status = store.activity_status(period).set_index("activity_id")["status"]
    assert status["1.7.5"] == "in_progress"
    assert store.history(entity_id="1.7.5").iloc[0]["author"] == "staff2"


def test_review_page_defaults_to_the_review_under_way_and_says_nothing_was_recorded() -> None:
    at = _app("en")
    at.switch_page("pages/review.py").run()
    assert not at.exception
    assert (at.selectbox(key="rv_a").value, at.selectbox(key="rv_b").value) == ("2022-H1", "2022-H2")
    assert at.warning and at.warning[0].value.startswith("Review 2022-H2: 0 of 14 hotspots reviewed")
    texts = " ".join(t.value for t in at.text)
    assert "resolved" not in texts and texts.count("not yet reviewed") == 7  # crime: units 1, 3, 4, 6; children: 4, 6, no unit


def test_review_page_reads_periods_and_unit_from_the_url_and_survives_hostile_values() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/review.py")
    at.query_params.update({"from": "2022-H1", "to": "2022-H2", "unit": "6"})
    at.run()
    assert not at.exception and at.selectbox(key="rv_unit").value == 6
    assert all("Lagjja nr. 6" in t.value for t in at.text)  # sentences of unit 6 only
    for hostile in ("²", "9" * 5000, "<script>", "6,7"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.switch_page("pages/review.py")
        at.query_params.update({"unit": hostile, "from": "2099-H1", "to": hostile})
        at.run()
        assert not at.exception and at.selectbox(key="rv_unit").value is None


def test_staff_record_persists_in_one_click_and_close_the_review() -> None:
    from hotspots.plan.store import Store

    at = login(_app("en"), "staff3", "staff")
    at.switch_page("pages/review.py").run()
    assert not at.exception
    at.button(key="rv_persists_H-1.7-01").click().run()
    assert not at.exception
    assert at.warning[0].value.startswith("Review 2022-H2: 1 of 14 hotspots reviewed")
    store = Store(os.environ["HOTSPOTS_DB"])
    obs = store.hotspots(period="2022-H2")
    assert list(obs["id"]) == ["H-1.7-01"] and obs.iloc[0]["status"] == "active"
    assert store.history(entity_id="H-1.7-01").iloc[0]["author"] == "staff3"
    at.button(key="rv_close_button").click().run()
    assert at.error and "give a reason" in at.error[0].value and not editing.review_state(store, "2022-H2")["closed"]
    at.text_input(key="rv_close_reason").input("the rest is reviewed in January")
    at.button(key="rv_close_button").click().run()
    assert not at.exception and editing.review_state(store, "2022-H2")["closed"]
    assert any("Closed by staff3" in c.value for c in at.caption)


def test_a_removed_account_can_no_longer_use_an_open_page() -> None:
    # issue 10 finding 1: the role lived only in the session; now each run asks the store
    from hotspots.accounts import auth
    from hotspots.plan.store import Store

    at = login(_app("en"), "staff3", "staff")
    at.switch_page("pages/add.py").run()
    assert at.text_input(key="add_name")
    auth.remove_user(Store(os.environ["HOTSPOTS_DB"]), "staff3", author="admin")
    at.run()
    assert [i.key for i in at.text_input] == ["login_name", "login_password"]
    assert any("session ended" in w.value for w in at.warning)


@pytest.mark.parametrize("role,menu", [
    (None, ["map", "review", "plan", "overview", "incidents", "cannabis", "login"]),
    ("analyst", ["map", "review", "plan", "overview", "incidents", "cameras", "cannabis", "login"]),
    ("council", ["map", "review", "plan", "overview", "incidents", "cameras", "cannabis", "login"]),
    ("staff", ["map", "review", "plan", "overview", "incidents", "cameras", "cannabis", "add", "update", "login"]),
    ("admin", ["map", "review", "plan", "overview", "incidents", "cameras", "cannabis", "add", "update", "users", "login"]),
])
def test_each_roles_navigation_shows_its_pages_and_each_of_them_runs(role: str | None, menu: list[str]) -> None:
    from hotspots.accounts import navigation

    assert navigation.menu(role) == menu
    at = _app("en") if role is None else login(_app("en"), f"nav-{role}", role)
    for page in menu:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (role, page, at.exception)
        assert at.title, (role, page)
        assert not any("does not allow" in e.value for e in at.error), (role, page)
