"""Pages of issue 15 (AppTest): cameras, cannabis zones, the plan page's places section."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import shapely
from streamlit.testing.v1 import AppTest

from .apptest import login, map_scripts
from .test_pages import _app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOTSPOTS_DB", str(tmp_path / "places.sqlite"))
    monkeypatch.setenv("HOTSPOTS_LANG", "sq")


def _coverage_tables(at: AppTest) -> list[Any]:
    """Return the plan page's coverage tables (hot zones without a camera, then all hot zones), as DataFrames."""
    from hotspots.base.i18n import t

    heads = {t("col_coverage_class", lang) for lang in ("sq", "en")}
    return [d.value for d in at.dataframe if heads & set(d.value.columns)]


def _station_row(at: AppTest) -> list[str]:
    """Return the plan page's row of the station hotspot in the "all hot zones" table."""
    frame = _coverage_tables(at)[1]
    return [str(v) for v in frame[frame["ID"] == "H-1.7-04"].iloc[0].tolist()]


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_public_pages_of_places_run_in_both_languages(lang: str) -> None:
    at = _app(lang)
    for page in ("pages/cannabis.py", "pages/plan.py", "pages/map.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
    assert "H-1.7-04" in _coverage_tables(at.switch_page("pages/plan.py").run())[0]["ID"].tolist()


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
    at = login(_app("sq"), "staff1", "staff")
    at.switch_page("pages/cameras.py").run()
    assert not at.exception, at.exception
    at.text_input(key="cam_lat_None").input("41.10530")
    at.text_input(key="cam_lon_None").input("20.07470")
    at.button(key="FormSubmitter:cam_add_form-Ruaj").click().run()
    assert not at.exception, at.exception
    assert "C-01" in at.success[0].value
    plan = _plan_as_visitor()
    assert _station_row(plan)[-1] in ("e mbuluar", "pjesërisht")
    assert "H-1.7-04" not in _coverage_tables(plan)[0]["ID"].tolist()
    at.text_input(key="cam_query").input("stacioni i trenit")
    at.button(key="cam_search").click().run()
    at.button(key="cam_use_place").click().run()  # the first candidate, chosen
    assert "Stacioni i trenit" in at.success[0].value
    assert at.text_input(key="cam_lat_(41.105, 20.0747)").value == "41.105000"


#: A 400 m square (16 ha) in the administrative unit Shirgjan, as a GIS program copies it: a Feature.
def _pasted_feature() -> str:
    from .test_cannabis_schools import _square

    return json.dumps({"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(_square("Shirgjan", 400))})


def test_staff_paste_a_zone_and_it_is_drawn_then_a_risk_change_keeps_its_other_fields() -> None:
    from hotspots.places import cannabis
    from hotspots.plan.store import Store

    at = login(_app("en"), "staff1", "staff").switch_page("pages/cannabis.py").run()
    assert "Shirgjan" not in map_scripts(at)
    at.text_area(key="zn_geometry_").input(_pasted_feature())
    at.text_input(key="zn_years_").input("2021, 2023")
    at.text_input(key="zn_source_").input("Police report 2023")
    at.button(key="FormSubmitter:zn_form-Save").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert "Zone Z-01: added." in at.success[0].value
    script = map_scripts(at)  # drawn on the map of the run that shows the message: the staff layer and the public one
    assert "Cannabis zones, exact (staff only)" in script and script.count("Shirgjan · high risk · 2021,2023") == 2
    at.selectbox(key="zn_id").select("Z-01").run()
    assert at.text_input(key="zn_years_Z-01").value == "2021,2023"  # the form starts from the stored zone
    at.selectbox(key="zn_risk_Z-01").select("medium")
    at.button(key="FormSubmitter:zn_form-Save").click().run()
    stored = cannabis.read_zones(Store(os.environ["HOTSPOTS_DB"])).iloc[0]
    assert (stored["risk"], stored["years"], stored["source"]) == ("medium", "2021,2023", "Police report 2023")
    at.text_input(key="zn_retire_reason_Z-01").input("entered twice")
    at.button(key="FormSubmitter:zn_retire_form-Retire the zone (kept in the history)").click().run()
    assert "Zone Z-01 retired" in at.success[0].value and "Shirgjan ·" not in map_scripts(at)

