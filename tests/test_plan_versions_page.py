"""The plan page: staff amend the plan with a council decision; the change shows in the history and its period."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hotspots.plan import versions
from hotspots.plan.store import Store

from .apptest import login

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOTSPOTS_DB", str(tmp_path / "pages.sqlite"))
    monkeypatch.setenv("HOTSPOTS_LANG", "en")
    monkeypatch.setenv("HOTSPOTS_TODAY", "2023-02-01")


def _plan_page(role: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if role:
        login(at, f"{role}9", role)
    return at.switch_page("pages/plan.py").run()


def test_staff_add_an_activity_from_the_next_period_and_see_it_there() -> None:
    at = _plan_page("staff")
    assert not at.exception and any("No change recorded" in c.value for c in at.caption)
    at.selectbox(key="pv_action").set_value("add_activity")
    at.text_input(key="pv_target").input("1.7")
    at.text_input(key="pv_text_sq").input("Ndriçimi i rrugëve <b>të errëta</b>")
    at.selectbox(key="pv_effective").set_value("2023-H2")
    at.text_input(key="pv_meeting").input("KVSP, 20 janar 2023")
    next(b for b in at.button if b.label == "Record the change").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["The change of 1.7 is recorded, in force from 2023-H2."]
    changes = next(df.value for df in at.dataframe if "Council meeting" in df.value.columns and "Text" in df.value.columns)
    assert changes.iloc[0].to_dict() == {
        "Version": 1, "Period": "2023-H2", "Change": "Activity added", "Problem / activity": "1.7",
        "Text": "Ndriçimi i rrugëve <b>të errëta</b>", "Council meeting": "KVSP, 20 janar 2023",
        "Decided on": "2023-02-01", "Who": "staff9", "Reason": ""}
    [change] = versions.changes(Store(os.environ["HOTSPOTS_DB"]))
    assert change.created_by == "staff9"
    at.selectbox(key="plan_period").set_value("2023-H1").run()
    assert not any("1.7.6" in str(df.value.to_dict()) for df in at.dataframe)
    at.selectbox(key="plan_period").set_value("2023-H2").run()
    assert any("1.7.6" in str(df.value.to_dict()) for df in at.dataframe)  # the activity table of 1.7


def test_a_refused_change_says_why_and_stores_nothing() -> None:
    at = _plan_page("staff")
    at.selectbox(key="pv_action").set_value("retire_activity")
    at.text_input(key="pv_target").input("1.7.9")
    at.text_input(key="pv_meeting").input("KVSP")
    next(b for b in at.button if b.label == "Record the change").click().run()
    assert [e.value for e in at.error] == ["Activity “1\\.7\\.9” is not in the plan."]  # as typed (Markdown escaped)
    assert versions.changes(Store(os.environ["HOTSPOTS_DB"])) == []


@pytest.mark.parametrize("role", [None, "council", "analyst"])
def test_only_staff_and_admins_amend_the_plan(role: str | None) -> None:
    at = _plan_page(role)
    assert not at.exception
    assert not any(b.label == "Record the change" for b in at.button)
    assert any(c.value.startswith("Plan version 1, adopted on 2022-02-03") for c in at.caption)


def test_staff_start_a_new_plan_from_the_old_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOTS_TODAY", "2024-11-15")
    at = _plan_page("admin")
    at.selectbox(key="pv_first").set_value("2025-H1")
    at.text_input(key="pv_renew_meeting").input("KVSP, mbledhja e 10 dhjetorit 2024")
    next(b for b in at.button if b.label == "Adopt the new plan").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Plan version 2, in force 2025-H1–2027-H2."]
    table = next(df.value for df in at.dataframe if "Based on version" in df.value.columns)
    assert table[["Version", "In force", "Based on version"]].values.tolist() == [
        [1, "2022-H1 – 2024-H2", "—"], [2, "2025-H1 – 2027-H2", "1"]]
    store = Store(os.environ["HOTSPOTS_DB"])
    assert versions.plan_for(store, "2025-H1").version == 2 and versions.plan_for(store, "2024-H2").version == 1
