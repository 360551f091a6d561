"""Pages of issue 14 (AppTest): the Gi* layer on the map, the evidence section of the review page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hotspots import editing, found_hotspots
from hotspots.incidents import example
from hotspots.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    db = tmp_path / "pages.sqlite"
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    monkeypatch.setenv("HOTSPOTS_LANG", "en")
    store = Store(db)
    store.init(author="t")
    editing.load_example(store, author="t")
    example.load(store, author="t")
    return db


def _logged_in(role: str) -> AppTest:
    from hotspots import auth

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    name = f"{role}1"
    auth.add_user(Store(os.environ["HOTSPOTS_DB"]), name, role, f"{name}-password-long", author="test")
    at.switch_page("pages/login.py").run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(f"{name}-password-long")
    at.button[0].click().run()
    assert at.session_state["auth_role"] == role
    return at


def _scripts(at: AppTest) -> str:
    found = [json.loads(el.proto.json_args) for el in at.get("component_instance") if "json_args" in dir(el.proto)]
    return "\n".join(str(v) for args in found for v in args.values())


def test_council_sees_the_gi_layer_with_its_legend_and_no_counts() -> None:
    at = _logged_in("council")
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    at.checkbox(key="gi_show").check().run()
    assert not at.exception, at.exception
    script = _scripts(at)
    assert "giLayer" in script and "Hot spot, 99 %" in script and "hs-gi-legend" in script
    before = script.split('"giLayer"')[0]
    cells = before[before.rindex("var data = "):]  # the Gi* layer's own data
    assert '"label": "hot_99"' in cells and '"z"' in cells
    assert '"count"' not in cells  # the Gi* cells carry labels and z, never counts
    assert any("far more incidents than chance" in c.value for c in at.caption)


def test_staff_review_page_shows_evidence_and_dismisses_a_proposal() -> None:
    at = _logged_in("staff")
    at.switch_page("pages/review.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="rv_a").select("2023-H1").run()
    at.selectbox(key="rv_b").select("2023-H2").run()
    assert not at.exception, at.exception
    headers = [s.value for s in at.subheader]
    assert any("Hot zones in the evidence" in h for h in headers)
    frames = [d.value for d in at.dataframe]
    designated = next(f for f in frames if "Status" in f.columns and "Confidence" in f.columns)
    assert "Confirmed" in set(designated["Status"])
    assert "ehsaLayer" in _scripts(at)
    assert len(next(f for f in frames if "Source" in f.columns)) >= 1
    displacement = next(f for f in frames if "WDQ" in f.columns)  # resolved up to 2023-H2, not EX-1.7-05 (2024-H1)
    assert set(displacement["ID"] if "ID" in displacement else displacement.iloc[:, 0]) == {"EX-1.10-03", "EX-1.7-02", "EX-1.7-11"}
    assert all(len(str(v)) > 20 for v in displacement["What it means"])
    buttons = [b for b in at.button if b.key and b.key.startswith("gi_dismiss_")]
    at.text_input(key=buttons[0].key.replace("gi_dismiss_", "gi_reason_")).input("Known market, not a problem").run()
    buttons = [b for b in at.button if b.key and b.key.startswith("gi_dismiss_")]
    buttons[0].click().run()
    assert not at.exception, at.exception
    assert found_hotspots.dismissed_keys(Store(os.environ["HOTSPOTS_DB"]))
