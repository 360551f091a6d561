"""Pages of issue 14 (AppTest): the Gi* layer on the map, the evidence section of the review page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hotspots.evidence import found_hotspots
from hotspots.plan.store import Store

from .apptest import example_database, logged_in, map_scripts


@pytest.fixture(autouse=True)
def _db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return example_database(monkeypatch, tmp_path)


def test_council_sees_the_gi_layer_with_its_legend_and_no_counts() -> None:
    at = logged_in("council")
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    at.checkbox(key="gi_show").check().run()
    assert not at.exception, at.exception
    script = map_scripts(at)
    assert "giLayer" in script and "Hot spot, 99 %" in script and "hs-gi-legend" in script
    before = script.split('"giLayer"')[0]
    cells = before[before.rindex("var data = "):]  # the Gi* layer's own data
    assert '"label": "hot_99"' in cells and '"z"' in cells and '"p": "' in cells  # the p (FDR) the label follows
    assert '"count"' not in cells  # the Gi* cells carry labels and z, never counts
    assert any("far more incidents than chance" in c.value for c in at.caption)


def test_staff_review_page_shows_evidence_and_dismisses_a_proposal() -> None:
    at = logged_in("staff")
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
    assert "ehsaLayer" in map_scripts(at)
    assert len(next(f for f in frames if "Source" in f.columns)) >= 1
    displacement = next(f for f in frames if "WDQ" in f.columns)  # resolved up to 2023-H2, not EX-1.7-05 (2024-H1)
    ids = displacement["ID"] if "ID" in displacement else displacement.iloc[:, 0]
    assert set(ids) == {"EX-1.10-03", "EX-1.7-02", "EX-1.7-11"}
    assert all(len(str(v)) > 20 for v in displacement["What it means"])
    buttons = [b for b in at.button if b.key and b.key.startswith("gi_dismiss_")]
    at.text_input(key=buttons[0].key.replace("gi_dismiss_", "gi_reason_")).input("Known market, not a problem").run()
    buttons = [b for b in at.button if b.key and b.key.startswith("gi_dismiss_")]
    buttons[0].click().run()
    assert not at.exception, at.exception
    assert found_hotspots.dismissed_keys(Store(os.environ["HOTSPOTS_DB"]))
