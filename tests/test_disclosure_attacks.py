"""Attacks on what council and the public receive: the three the disclosure rules are built against.

1. **Total minus parts**: an independent attacker (an integer program solved by CBC through
   PuLP, not the module's own closed form or HiGHS linear programs) takes every protected
   table — per unit, per hotspot, per cell of every half-year — with what each mark says
   ("<5": 1-4; "[c]": at least 5, or anything in a wholly withheld row) and the sums a reader
   knows, and bounds every "<5". Before (every count 1-4 as "<5", nothing more, as the app
   did) it pins many; after, none, and most keep all of 1-4.
2. **Solve from z**: every statistic shown to protected roles (Gi* z, p and class, emerging
   labels) must be the same whatever a "<5" is; changing 1-4 counts within 1-4 changes
   nothing they receive. Before (z from the raw counts) every change showed.
3. **Two windows**: only whole half-years are served; any other window, a quarter or a set
   of classes is refused with a message.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pulp
import pytest

from hotspots.cli import commands as cli
from hotspots.evidence import gi_views
from hotspots.base import settings
from hotspots.evidence import hotspot_detection as gi
from hotspots.incidents import counts, disclosure
from hotspots.incidents import count_views
from hotspots.incidents import periods as incident_periods
from hotspots.incidents import table as incident_table
from hotspots.plan.store import Store

from .apptest import example_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulp")

BELOW = settings.INCIDENT_SUPPRESS_BELOW
BIG = 10_000


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return example_store(tmp_path_factory.mktemp("attacks"))


@pytest.fixture(scope="module")
def incidents(store: Store) -> gpd.GeoDataFrame:
    return incident_table.read(store, dataset="example")


def attack_row(shown: dict[str, str], sums: list[tuple[str, list[str]]]) -> dict[str, tuple[int, int]]:
    """Return, for every "<5" of one row, the least and most it can be (integer program, CBC)."""
    withheld_row = all(v == "[c]" for v in shown.values())
    unknown = {c for c, v in shown.items() if not v.isdigit()}
    out: dict[str, tuple[int, int]] = {}
    for target in [c for c, v in shown.items() if v.startswith("<")]:
        ends = []
        for sense in (pulp.LpMinimize, pulp.LpMaximize):
            prob = pulp.LpProblem("attack", sense)
            x = {}
            for c in unknown:
                lo, hi = (1, BELOW - 1) if shown[c].startswith("<") else ((0, BIG) if withheld_row else (BELOW, BIG))
                x[c] = pulp.LpVariable(c, lo, hi, cat="Integer")
            prob += x[target]
            terms = {c: (x[c] if c in unknown else int(shown[c])) for c in shown}
            for total, parts in sums:
                prob += terms[total] == pulp.lpSum(terms[p] for p in parts)
            prob.solve(pulp.PULP_CBC_CMD(msg=False))
            assert pulp.LpStatus[prob.status] == "Optimal"
            ends.append(int(round(pulp.value(x[target]))))
        out[target] = (ends[0], ends[1])
    return out


def attack_table(table: pd.DataFrame, *, categories: bool = False) -> dict[str, int]:
    """Return how many "<5" of ``table`` the attacker pins (one value), narrows, or leaves at 1-4."""
    classes = disclosure.offence_classes()
    sums = [("total", classes)]
    if categories:
        sums += [(cat, members) for cat, members in disclosure.category_classes().items() if members != [cat]]
    columns = ["total", *classes, *[c for c, _ in sums[1:]]]
    found = {"pinned": 0, "narrowed": 0, "whole": 0, "cells": 0}
    for row in table[columns].astype(str).to_dict("records"):
        if not any(v.startswith("<") for v in row.values()):
            continue
        for lo, hi in attack_row(row, sums).values():
            found["cells"] += 1
            found["pinned" if lo == hi else "whole" if (lo, hi) == (1, BELOW - 1) else "narrowed"] += 1
    return found


def primary_only(raw: pd.DataFrame, keys: list[str], *, categories: bool = False) -> pd.DataFrame:
    """Return what the app showed before: every column with "<5" for 1-4, nothing more."""
    out = raw.copy()
    if categories:
        for cat, members in disclosure.category_classes().items():
            if members != [cat]:
                out[cat] = raw[members].sum(axis=1)
    for c in out.columns:
        if c not in keys:
            out[c] = disclosure.suppressed(out[c])
    return out


def test_the_attacker_solves_a_known_case() -> None:
    """The attacker itself: 9 = 6 + "<5" gives 3; 9 = "[c]" + "<5" gives nothing."""
    assert attack_row({"total": "9", "a": "6", "b": "<5"}, [("total", ["a", "b"])]) == {"b": (3, 3)}
    assert attack_row({"total": "9", "a": "[c]", "b": "<5"}, [("total", ["a", "b"])]) == {"b": (1, 4)}


def test_no_unit_table_count_can_be_worked_out(incidents: gpd.GeoDataFrame) -> None:
    raw = counts.counts_by_unit(incidents, kind="half", offences=disclosure.offence_classes())
    before = attack_table(primary_only(raw, ["unit", "period"], categories=True), categories=True)
    after = attack_table(disclosure.unit_table(incidents, categories=True), categories=True)
    # the incidents page's unit table (no category columns) and the trends' category series are one protection
    page = disclosure.unit_table(incidents).set_index(["unit", "period"])
    both = disclosure.unit_table(incidents, categories=True).set_index(["unit", "period"])
    assert page.equals(both[page.columns])
    trends = disclosure.unit_trends(incidents).set_index(["unit", "category"])
    periods = incident_periods.period_range(*str(trends["periods"].iloc[0]).split("…"))
    for (unit, period), row in both.iterrows():
        series = trends.loc[(int(unit) if unit != "none" else "none", "crime"), "series"]
        assert series[periods.index(period)] == row["crime"]
    print("units before", before, "after", after)
    assert before["pinned"] > 0
    assert after["pinned"] == 0 and after["cells"] > 0


def test_no_hotspot_table_count_can_be_worked_out(store: Store, incidents: gpd.GeoDataFrame) -> None:
    observations = store.hotspots(dataset="example")
    raw = counts.counts_by_hotspot(incidents, observations, kind="half", offences=disclosure.offence_classes())
    before = attack_table(primary_only(raw, ["id", "period"]))
    after = attack_table(disclosure.hotspot_table(incidents, observations))
    print("hotspots before", before, "after", after)
    assert before["pinned"] > 0
    assert after["pinned"] == 0 and after["cells"] > 0


def test_no_cell_count_can_be_worked_out_in_any_half_year(incidents: gpd.GeoDataFrame) -> None:
    before = {"pinned": 0, "narrowed": 0, "whole": 0, "cells": 0}
    after = dict(before)
    for half in disclosure.halves(incidents):
        table = disclosure.cell_table(incidents, half)
        raw = pd.DataFrame(table[["cell", "period"]])
        cells = _raw_cells(incidents, half)
        raw = raw.join(cells.set_index("cell"), on="cell")
        for key, value in attack_table(primary_only(raw, ["cell", "period"])).items():
            before[key] += value
        for key, value in attack_table(table).items():
            after[key] += value
    print("cells before", before, "after", after)
    assert before["pinned"] > 0
    assert after["pinned"] == 0 and after["cells"] > 0


def _raw_cells(incidents: gpd.GeoDataFrame, half: str) -> pd.DataFrame:
    chosen = disclosure.in_half(incidents, half)
    chosen = chosen[chosen.geometry.notna()]
    m = chosen.geometry.to_crs(settings.CRS_METRIC)
    size = settings.INCIDENT_CELL_M
    cell = (np.floor(m.x / size).astype(int).astype(str) + ":" + np.floor(m.y / size).astype(int).astype(str)).to_numpy()
    frame = pd.DataFrame({"cell": cell, "offence": chosen["offence"].to_numpy()})
    wide = frame.groupby(["cell", "offence"]).size().unstack("offence", fill_value=0)
    wide = wide.reindex(columns=disclosure.offence_classes(), fill_value=0)
    wide.insert(0, "total", wide.sum(axis=1))
    return wide.reset_index()


def test_every_output_shows_the_same_protected_totals(store: Store, incidents: gpd.GeoDataFrame) -> None:
    """Popups, the review's pair columns and the map cells take the protected tables' figures: none undoes another."""
    observations = store.hotspots(dataset="example")
    raw = counts.counts_by_hotspot(incidents, observations)
    protected = disclosure.hotspot_table(incidents, observations).set_index(["id", "period"])["total"]
    assert (protected == "[c]").any(), "the example data has secondary suppressions to carry through"
    ids = sorted(raw["id"].unique())
    popups = dict(zip(ids, count_views.popup_texts(raw, ids, "en", suppress=True, last=20), strict=True))
    for (hid, period), text in protected.items():
        assert f"{text} in {period}" in popups[hid]
    pair = count_views.pair_counts(pd.Series(ids), raw, "2023-H1", "2023-H2", suppress=True)
    assert pair["incidents_from"].tolist() == [protected.get((i, "2023-H1"), "") for i in ids]
    cells = disclosure.cell_table(incidents, "2023-H2").set_index("cell")
    for offence in (None, "theft"):
        shown = disclosure.public_cells(incidents, period="2023-H2", offence=offence).set_index("cell")["count"]
        assert shown.to_dict() == {c: v for c, v in cells["total" if offence is None else offence].items() if v != "0"}


def _bumped(incidents: gpd.GeoDataFrame, half: str, *, size_m: float) -> gpd.GeoDataFrame:
    """Return the incidents with one more incident in every cell holding 1-3 of the half-year (still "<5")."""
    grid = gi.make_grid(size_m=size_m)
    chosen = disclosure.in_half(incidents, half)
    chosen = chosen[chosen.geometry.notna()]
    m = chosen.geometry.to_crs(settings.CRS_METRIC)
    cell = grid.index_of(m.x.to_numpy(), m.y.to_numpy())
    n = np.bincount(cell[cell >= 0], minlength=grid.n)
    first = pd.Series(np.arange(len(chosen)))[cell >= 0].groupby(cell[cell >= 0]).first()
    pick = [int(first[c]) for c in np.flatnonzero((n >= 1) & (n <= BELOW - 2))]
    extra = chosen.iloc[pick]
    return pd.concat([incidents, extra], ignore_index=True)


def test_gi_and_emerging_tell_nothing_about_a_small_count(store: Store, incidents: gpd.GeoDataFrame) -> None:
    half = "2023-H2"
    bumped = _bumped(incidents, half, size_m=settings.GI_CELL_M)
    assert len(bumped) > len(incidents) + 10
    raw_a, raw_b = gi.detect(incidents, period=half), gi.detect(bumped, period=half)
    changed_before = int((np.abs(raw_a.z - raw_b.z) > 1e-12).sum())
    shown_a = gi.detect(incidents, period=half, transform=disclosure.floored)
    shown_b = gi.detect(bumped, period=half, transform=disclosure.floored)
    print("Gi* cells whose z changed with the small counts: before", changed_before, "after",
          int((shown_a.z != shown_b.z).sum()))
    assert changed_before > 100
    assert np.array_equal(shown_a.z, shown_b.z) and np.array_equal(shown_a.p, shown_b.p)
    assert list(shown_a.label) == list(shown_b.label)
    observations = store.hotspots(dataset="example")
    ev_a = gi_views.build(incidents, observations, half, protect=True)
    ev_b = gi_views.build(bumped, observations, half, protect=True)
    assert ev_a.designated.equals(ev_b.designated) and ev_a.proposals.equals(ev_b.proposals)


def test_cli_detect_for_council_is_the_protected_detection(store: Store, incidents: gpd.GeoDataFrame,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``detect --aggregate`` prints the floored detection (the one shown above to ignore small counts), counts "<5"."""
    db = store.url.removeprefix("sqlite:///")
    capsys.readouterr()
    assert cli.main(["--db", db, "detect", "--period", "2023-H2", "--aggregate", "--example", "--format", "csv"]) == 0
    printed = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out), dtype={"count": str})
    expected = gi.detect(incidents, period="2023-H2", transform=disclosure.floored)
    assert "<5" in set(printed["count"]) and not set(printed["count"]) & {"1", "2", "3", "4"}
    assert np.allclose(printed["z"].to_numpy(), expected.z, atol=1e-6)
    assert printed["label"].tolist() == list(expected.label)


def test_protected_windows_are_whole_half_years(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    db = store.url.removeprefix("sqlite:///")
    before = Path(db).read_bytes()
    capsys.readouterr()
    ok = cli.main(["--db", db, "incidents", "export", "--role", "council", "--format", "csv", "--example",
                   "--from", "2023-07-01", "--to", "2023-12-31"])
    assert ok == 0 and capsys.readouterr().out.startswith("cell,period,total,")
    for extra in (["--from", "2023-07-02", "--to", "2023-12-31"], ["--from", "2023-07-01"], ["--period", "2023-Q3"],
                  ["--from", "2023-01-01", "--to", "2023-12-31"]):
        assert cli.main(["--db", db, "--lang", "en", "incidents", "export", "--role", "council", "--example", *extra]) == 2
        assert "exactly one half-year" in capsys.readouterr().err
    assert cli.main(["--db", db, "--lang", "en", "incidents", "export", "--aggregate", "--example", "--offence", "theft"]) == 2
    assert "every offence class" in capsys.readouterr().err
    assert cli.main(["--db", db, "--lang", "en", "incidents", "counts", "--aggregate", "--period", "quarter",
                     "--example"]) == 2
    assert "per half-year only" in capsys.readouterr().err
    assert cli.main(["--db", db, "incidents", "counts", "--by", "unit", "--aggregate", "--period", "2023-H2",
                     "--example", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["period"] for r in rows} == {"2023-H2"}
    assert not {str(r[c]) for r in rows for c in ("total", "drugs", "theft")} & {"1", "2", "3", "4"}
    assert Path(db).read_bytes() == before


def test_pai_and_displacement_resting_on_a_small_count_are_withheld() -> None:
    pai = pd.DataFrame({"period": ["2023-H1"] * 3, "problem": ["1.7", "1.10", "1.5"], "hotspots": [2, 1, 1],
                        "incidents": [40, 6, 30], "inside": [20, 2, 27], "hit_rate": [0.5, 1 / 3, 0.9],
                        "area_km2": [0.1] * 3, "area_share": [0.01] * 3, "pai": [50.0, 33.3, 90.0]})
    shown = count_views.pai_for_role(pai, False)
    assert shown["pai"].tolist() == [50.0, "[c]", "[c]"]  # inside 2; outside 3
    rows = pd.DataFrame([{"id": "H1", "before": "2023-H1", "after": "2023-H2", "target": "12 → 3", "buffer": "8 → 9",
                          "control": "40 → 38", "wdq": 0.5, "p": 0.01, "reading": "fell 12 → 3"},
                         {"id": "H2", "before": "2023-H1", "after": "2023-H2", "target": "12 → 6", "buffer": "8 → 9",
                          "control": "40 → 38", "wdq": 0.4, "p": 0.03, "reading": "fell 12 → 6"}])
    out = gi_views.withhold_small_checks(rows, "en")
    assert out.loc[0, "target"] == "12 → <5" and out.loc[0, "wdq"] is None and "below 5" in out.loc[0, "reading"]
    assert out.loc[1, "wdq"] == 0.4 and out.loc[1, "reading"] == "fell 12 → 6"
