"""Pages of issue 15 (AppTest): cameras, cannabis zones, the plan page's places section."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from .test_pages import _app, _login

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOTSPOTS_DB", str(tmp_path / "places.sqlite"))
    monkeypatch.setenv("HOTSPOTS_LANG", "sq")


def _station_row(at: AppTest) -> list[str]:
    """Return the plan page's row of the station hotspot in the "all hot zones" table."""
    frame = at.table[1].value
    return [str(v) for v in frame[frame["id"] == "H-1.7-04"].iloc[0].tolist()]


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_public_pages_of_places_run_in_both_languages(lang: str) -> None:
    at = _app(lang)
    for page in ("pages/cannabis.py", "pages/plan.py", "pages/map.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
    assert "H-1.7-04" in at.switch_page("pages/plan.py").run().table[0].value["id"].tolist()


def test_visitors_cannot_open_the_cameras_page() -> None:
    at = AppTest.from_file(str(ROOT / "pages/cameras.py"), default_timeout=60).run()
    assert [i.key for i in at.text_input] == ["login_name", "login_password"]  # a login form, nothing of the page
    assert not any(k.startswith("cam_") for k in (i.key for i in at.text_input))


def _plan_as_visitor() -> AppTest:
    return _app("sq").switch_page("pages/plan.py").run()


def test_staff_add_a_camera_and_the_plan_page_coverage_changes() -> None:
    # the plan page is read as a visitor: staff's activity forms are another test's subject
    before = _station_row(_plan_as_visitor())
    assert before[-2:] == ["0%", "e pambuluar"]
    at = _login(_app("sq"), "staff1", "staff")
    at.switch_page("pages/cameras.py").run()
    assert not at.exception, at.exception
    at.text_input(key="cam_lat_None").input("41.10530")
    at.text_input(key="cam_lon_None").input("20.07470")
    at.button(key="FormSubmitter:cam_add_form-Ruaj").click().run()
    assert not at.exception, at.exception
    assert "C-01" in at.success[0].value
    plan = _plan_as_visitor()
    assert _station_row(plan)[-1] in ("e mbuluar", "pjesërisht")
    assert "H-1.7-04" not in plan.table[0].value["id"].tolist()
    at.text_input(key="cam_query").input("stacioni i trenit")
    at.button(key="cam_search").click().run()
    assert "Stacioni i trenit" in at.success[0].value
    assert at.text_input(key="cam_lat_(41.105, 20.0747)").value == "41.105000"
