"""The incidents page (AppTest): analysts see counts and points; council and visitors only "<5" aggregates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from hotspots.incidents import example

from .apptest import example_database, logged_in, map_scripts


@pytest.fixture(autouse=True)
def _db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return example_database(monkeypatch, tmp_path)


def _page(role: str | None, lang: str = "en") -> AppTest:
    at = logged_in(role, lang)
    at.switch_page("pages/incidents.py").run()
    assert not at.exception, at.exception
    return at


def _cells(script: str) -> list[dict[str, object]]:
    """Return the features of the cell layer, parsed from the map's own script."""
    match = re.search(r"var data = (\{.*?\}), title = ", script, flags=re.S)
    assert match, "a cell layer is drawn"
    return list(json.loads(match.group(1))["features"])


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_analyst_sees_the_import_form_counts_and_points(lang: str) -> None:
    at = _page("analyst", lang)
    assert at.button(key="inc_do_import")
    counts = at.dataframe[0].value
    period, drugs = ("Periudha", "Drogë") if lang == "sq" else ("Period", "Drugs")
    fading = counts[counts["ID"] == "EX-1.7-05"].set_index(period)
    assert fading.loc["2022-H1", drugs] >= example.PLANTED["fading"].counts[0]
    assert "CellLayers.incidentPoints(" in map_scripts(at)


@pytest.mark.parametrize("role", ["council", None])
def test_council_and_visitors_never_get_a_point_or_a_small_count(role: str | None) -> None:
    at = _page(role)
    assert not [b for b in at.button if b.key == "inc_do_import"] and not at.get("file_uploader")
    for frame in (at.dataframe[0].value, at.dataframe[1].value):
        # the number of designated hotspots (per problem in the PAI table) is not an incident count
        values = frame.drop(columns=[c for c in ("ID", "Name", "Unit", "Period", "Active hotspots") if c in frame]).astype(str)
        assert not values.isin(["1", "2", "3", "4"]).any().any()
    script = map_scripts(at)
    assert "CellLayers.incidentCells(" in script and "CellLayers.incidentPoints(" not in script and "SHEMBULL" not in script
    assert '"Point"' not in script
    cells = _cells(script)
    counts = [f["properties"]["count"] for f in cells]  # type: ignore[index]
    assert {f["geometry"]["type"] for f in cells} == {"Polygon"}  # type: ignore[index]
    assert "<5" in counts and not {"1", "2", "3", "4", 1, 2, 3, 4} & set(counts)
    by_unit = at.radio(key="inc_by").set_value("unit").run().dataframe[0].value
    assert isinstance(by_unit, pd.DataFrame) and "<5" in set(by_unit.drop(columns=["Unit", "Period"]).astype(str).stack())


@pytest.mark.parametrize(("role", "small"), [("analyst", False), ("council", True)])
def test_review_details_carry_incident_counts(role: str, small: bool) -> None:
    at = logged_in(role)
    at.switch_page("pages/review.py").run()
    assert not at.exception, at.exception
    details = next(d.value for d in at.dataframe if any(str(c).startswith("Incidents ") for c in d.value.columns))
    shown = details[[c for c in details.columns if str(c).startswith("Incidents ")]].astype(str).stack()
    assert len(shown) and (("<5" in set(shown)) == small)
    assert not set(shown) & ({"1", "2", "3", "4"} if small else set())


def test_council_chooses_a_half_year_and_one_class_never_a_date_range() -> None:
    """Protected roles: a half-year (latest first) and "all offences" or one class; the map follows the choice."""
    at = _page("council")
    assert not at.get("date_input")
    half = at.selectbox(key="inc_period")
    assert half.options[0] == "2024-H2" and all(len(o) == 7 and o[4:6] == "-H" for o in half.options)
    latest = {f["properties"]["cell"]: f["properties"]["count"] for f in _cells(map_scripts(at))}  # type: ignore[index]
    at = half.set_value("2022-H1").run()
    assert not at.exception, at.exception
    first = {f["properties"]["cell"]: f["properties"]["count"] for f in _cells(map_scripts(at))}  # type: ignore[index]
    assert first and first != latest
    at = at.selectbox(key="inc_offence").set_value("theft").run()
    theft = {f["properties"]["cell"]: f["properties"]["count"] for f in _cells(map_scripts(at))}  # type: ignore[index]
    assert theft and set(theft) <= set(first) and not {"1", "2", "3", "4"} & set(theft.values())
    assert "[c]" in " ".join(str(v) for frame in at.dataframe for v in frame.value.astype(str).to_numpy().ravel())
