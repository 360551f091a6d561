"""Incident counts where hotspots are read: popups, review pack, movement/trends, trends on counts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from .apptest import example_database, example_store, logged_in, map_scripts

from hotspots.incidents import count_views, counts, example, periods, table
from hotspots.review import pdf as review_pdf
from hotspots.review import review


@pytest.fixture()
def page_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Return the pages' database: the example series and the example incidents loaded."""
    return example_database(monkeypatch, tmp_path)


def test_popup_texts_latest_periods_first_and_suppressed() -> None:
    tab = pd.DataFrame({"id": ["A", "A", "A", "B", "B"], "period": ["2023-H1", "2023-H2", "2024-H1", "2023-H1", "2023-H2"],
                        "total": [8, 12, 30, 0, 3]})
    assert count_views.popup_texts(tab, ["A", "B", "C"], "en", upto="2023-H2") == ["12 in 2023-H2, 8 in 2023-H1",
                                                                              "3 in 2023-H2, 0 in 2023-H1", ""]
    assert count_views.popup_texts(tab, ["B"], "sq", upto="2023-H2", suppress=True) == ["<5 në 2023-H2, 0 në 2023-H1"]
    assert count_views.popup_texts(tab, ["A"], "en", upto="2021-H1") == [""]


def test_pair_counts_raw_and_suppressed() -> None:
    tab = pd.DataFrame({"id": ["A", "A", "B"], "period": ["2023-H1", "2023-H2", "2023-H2"], "total": [4, 5, 1]})
    ids = pd.Series(["A", "B", "unlocated"])
    raw = count_views.pair_counts(ids, tab, "2023-H1", "2023-H2")
    assert raw["incidents_from"].tolist()[:1] == [4] and pd.isna(raw["incidents_from"].iloc[1])
    assert raw["incidents_to"].tolist()[:2] == [5, 1] and pd.isna(raw["incidents_to"].iloc[2])
    shown = count_views.pair_counts(ids, tab, "2023-H1", "2023-H2", suppress=True)
    assert shown.to_numpy().tolist() == [["<5", "5"], ["", "<5"], ["", ""]]


def test_count_series_fills_gaps_and_leaves_out_the_period_under_way() -> None:
    tab = pd.DataFrame({"id": ["A", "A", "A"], "period": ["2023-Q1", "2023-Q3", "2023-Q4"], "total": [1, 2, 9]})
    wide = counts.count_series(tab, ["id"], today="2023-11-15")
    assert list(wide.columns) == ["2023-Q1", "2023-Q2", "2023-Q3"] and wide.loc["A"].tolist() == [1, 0, 2]
    got = counts.count_trends(pd.DataFrame({"id": "A", "period": periods.period_range("2022-Q1", "2023-Q2"),
                                            "total": [1, 2, 3, 4, 5, 6]}), today="2024-01-01")
    assert got.loc[0, "label"] == "rising" and got.loc[0, "periods"] == "2022-Q1…2023-Q2"


def test_unit_trends_on_counts_keep_the_categories_apart() -> None:
    n = 6
    days = [f"{2022 + q // 4}-{(q % 4) * 3 + 1:02d}-15" for q in range(n)]
    rising = [d for q, d in enumerate(days) for _ in range(q + 1)]  # 1, 2, ... 6 drug cases in unit 2
    frame = pd.DataFrame({"occurred_on": rising + days, "problem": ["1.7"] * len(rising) + ["1.10"] * n,
                          "unit": [2] * len(rising) + [2] * n})
    got = counts.unit_category_trends(frame, today="2024-01-01").set_index(["unit", "category"])
    assert got.loc[(2, "crime"), "series"] == [1, 2, 3, 4, 5, 6] and got.loc[(2, "crime"), "label"] == "rising"
    assert got.loc[(2, "street_children"), "series"] == [1] * n and got.loc[(2, "street_children"), "label"] == "not_testable"
    assert got.loc[(1, "crime"), "series"] == [0] * n and len(got) == 12


def test_movement_and_trends_carry_incident_counts(cli: Callable[..., object]) -> None:
    assert cli("demo", "load").returncode == 0  # type: ignore[attr-defined]
    done = cli("movement", "--from", "2023-H1", "--to", "2023-H2", "--format", "json", "--example")
    rows = {r["id"]: r for r in json.loads(done.stdout)["rows"]}  # type: ignore[attr-defined]
    fading = rows["EX-1.7-05"]  # the castle zone of the fading cluster: 12 then 7 planted, plus background
    assert fading["incidents_from"] >= example.PLANTED["fading"].counts[2] and fading["incidents_to"] >= 7
    done = cli("movement", "--from", "2023-H1", "--to", "2023-H2", "--format", "csv", "--example", "--aggregate")
    frame = pd.read_csv(__import__("io").StringIO(done.stdout), dtype=str)  # type: ignore[attr-defined]
    shown = set(frame["incidents_from"].dropna()) | set(frame["incidents_to"].dropna())
    assert "<5" in shown and not shown & {"1", "2", "3", "4"}
    done = cli("trends", "--by", "unit", "--format", "json", "--example")
    units = {(r["unit"], r["category"]): r for r in json.loads(done.stdout)}  # type: ignore[attr-defined]
    assert units[(1, "crime")]["incident_label"] == "rising"  # the emerging cluster is in unit 1
    assert units[(4, "crime")]["incident_label"] == "falling"  # the fading one at the castle, unit 4
    assert len(units[(4, "crime")]["incident_series"]) == 12  # 2022-Q1 ... 2024-Q4


def _pack_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(__import__("io").BytesIO(data)).pages)


def test_the_pack_gives_incidents_per_hotspot_and_suppresses_small_counts(tmp_path: Path) -> None:
    store = example_store(tmp_path)
    text = _pack_text(review_pdf.review_pack(store, "2023-H1", "2023-H2", lang="en", dataset="example"))
    section = text[text.index("Incidents recorded by the police"):]
    section = section[: section.index("Incident trends per unit")]
    assert "<5" in section and not re.search(r"\s[1-4]\s", section.split("Incidents 2023-H2", 1)[1])
    rv = review.build_review(store.hotspots(dataset="example"), "2023-H1", "2023-H2")
    by_hotspot = counts.counts_by_hotspot(table.read(store, dataset="example"), store.hotspots(dataset="example"))
    raw = review.incident_hotspot_table(rv, by_hotspot, "en", suppress=False).set_index("ID")
    assert raw.loc["EX-1.7-09", "Incidents 2023-H1"] in range(1, 5)  # the analysts' copy: the exact small count


def _payload_inc(script: str) -> list[str]:
    match = re.search(r'"inc":\s*(\[.*?\])', script)
    assert match, "the popups carry incident counts"
    return list(json.loads(match.group(1)))


@pytest.mark.parametrize(("role", "small"), [("analyst", False), ("council", True), (None, True)])
def test_map_popups_carry_counts_by_role(page_db: Path, role: str | None, small: bool) -> None:
    at = logged_in(role)
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    script = map_scripts(at)
    texts = [x for x in _payload_inc(script) if x]
    numbers = {n for x in texts for n in re.findall(r"(<?\d+) in \d{4}-H[12]", x)}
    assert texts and ("<5" in numbers) == small
    if small:
        assert not numbers & {"1", "2", "3", "4"}


@pytest.mark.parametrize(("role", "small"), [("analyst", False), ("council", True)])
def test_review_page_shows_incident_trends_on_counts(page_db: Path, role: str, small: bool) -> None:
    at = logged_in(role)
    at.switch_page("pages/review.py").run()
    assert not at.exception, at.exception
    first = "2022-H1" if small else "2022-Q1"  # protected roles: half-years only, the analysts' quarters
    frame = next(d.value for d in at.dataframe if first in d.value.columns and "No unit" in set(d.value["Unit"]))
    from hotspots.base.i18n import t

    assert len(frame) == 14 and "No unit" in set(frame["Unit"])  # units 1-6 and "no unit", per category
    assert {t("tr_rising", "en"), t("tr_falling", "en")} <= set(frame["Trend"])  # units 1 and 4
    counts_shown = frame.drop(columns=["Unit", "Category", "Trend", "p"]).astype(str).stack()
    assert ("<5" in set(counts_shown)) == small
    if small:
        assert not set(counts_shown) & {"1", "2", "3", "4"}
