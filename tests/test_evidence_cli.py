"""The evidence on the example data: the command line, what council sees, the review page and the pack."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from .apptest import example_database, example_store, logged_in
from pypdf import PdfReader

from hotspots.cli import commands as cli
from hotspots.evidence import forecast
from hotspots.incidents import counts, table
from hotspots.plan.store import Store
from hotspots.review import pdf as review_pdf


_SMALL = re.compile(r"^[1-4]$")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("evcli") / "cli.sqlite")
    assert cli.main(["--db", path, "--author", "t", "demo", "load"]) == 0
    return path


def _json(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[list[dict[str, object]], str]:
    capsys.readouterr()
    assert cli.main(["--db", db, "--lang", "en", "evidence", *args, "--format", "json", "--example"]) == 0
    out = capsys.readouterr()
    return json.loads(out.out), out.err


def _no_small_counts(rows: list[dict[str, object]], columns: tuple[str, ...]) -> None:
    for row in rows:
        for c in columns:
            value = row.get(c)
            assert not _SMALL.match(str(value)) and not (isinstance(value, float) and 1 <= value <= 4), (c, value)


def test_concentration_cli_by_count_and_by_harm(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows, err = _json(db, capsys, "concentration", "--period", "2023-H2")
    everything = next(r for r in rows if r["group"] == "all")
    assert everything["cells"] > 500 and 0 < everything["area_for_half"] < 0.1  # type: ignore[operator]
    assert everything["top_5"] > 0.5  # type: ignore[operator]  # the law of concentration holds on the example
    assert "of the incidents lie on 5 % of the city's cells" in err
    harm_rows, err = _json(db, capsys, "concentration", "--period", "2023-H2", "--by", "harm", "--aggregate")
    assert {r["measure"] for r in harm_rows} == {"harm"} and "EXAMPLE WEIGHTS" in err
    _no_small_counts(harm_rows, ("incidents",))


def test_forecast_cli_scores_the_zones_on_the_next_period(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows, err = _json(db, capsys, "forecast", "--period", "2023-H1")
    crime = next(r for r in rows if r["problem"] == "1.7" and r["offence"] == "all")
    assert crime["next"] == "2023-H2" and crime["zones"] > 0 and crime["pai"] > 1  # type: ignore[operator]
    assert crime["jaccard"] is not None and crime["hot_before"] > 0  # type: ignore[operator]
    assert "The zones named in 2023-H1 held" in err and "Gi* hot cells of 2023-H1" in err
    council, _ = _json(db, capsys, "forecast", "--period", "2023-H1", "--role", "council")
    _no_small_counts(council, ("incidents_before", "inside_before", "incidents", "inside"))
    for row in council:  # a hit rate resting on 1-4 incidents inside would give the count away
        if row["inside"] == "<5":
            assert row["hit_rate"] is None and row["pai"] is None and row["rri"] is None


def test_forecast_hit_rate_on_its_own_period_is_the_pai_tables(tmp_path: Path) -> None:
    store = example_store(tmp_path)
    incidents, observations = table.read(store, dataset="example"), store.hotspots(dataset="example")
    scored = forecast.scores(incidents, observations, "2023-H1")
    own = counts.prediction_accuracy(incidents, observations)
    mine = scored[(scored["problem"] == "1.7") & (scored["offence"] == "all")].iloc[0]
    theirs = own[(own["period"] == "2023-H1") & (own["problem"] == "1.7")].iloc[0]
    assert (mine["inside_before"], mine["incidents_before"]) == (theirs["inside"], theirs["incidents"])
    assert mine["area_share"] == pytest.approx(theirs["area_share"], abs=1e-6)


def test_compstat_cli_per_unit_and_as_council(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows, err = _json(db, capsys, "compstat", "--period", "2024-H1")
    assert {str(r["unit"]) for r in rows} >= {"1", "2", "3", "4", "5", "6"}
    assert {r["last_reading"] for r in rows} <= {"up", "down", "chance"} and "conditional binomial test" in err
    council, _ = _json(db, capsys, "compstat", "--period", "2024-H1", "--aggregate")
    _no_small_counts(council, ("now", "last_base", "year_base"))  # the average's base is a mean, its sum at least 5
    from hotspots.incidents import disclosure

    units = disclosure.unit_table(table.read(Store(db), dataset="example"))
    now = units[units["period"] == "2024-H1"].set_index("unit")["total"]
    for row in council:  # the protected unit table's figures, and no comparison resting on a withheld one
        assert row["now"] == now[str(row["unit"])]
        if not str(row["now"]).isdigit():
            assert row["last_change"] is None and row["last_p"] is None and row["last_reading"] == "withheld"
    assert any(r["now"] == "[c]" for r in council) or any(r["last_reading"] == "withheld" for r in council)


def test_near_repeat_cli_is_seeded_and_suppressed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    first, err = _json(db, capsys, "near-repeat", "--period", "2023-H2", "--class", "theft", "--permutations", "99",
                       "--seed", "7")
    again, _ = _json(db, capsys, "near-repeat", "--period", "2023-H2", "--class", "theft", "--permutations", "99",
                     "--seed", "7")
    assert first == again and len(first) == 16 and "Knox test" in err
    council, _ = _json(db, capsys, "near-repeat", "--period", "2023-H2", "--aggregate", "--permutations", "99")
    _no_small_counts(council, ("observed",))


def test_evidence_cli_refuses_a_kind_or_a_bad_period(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    for period in ("half", "soon"):
        capsys.readouterr()
        assert cli.main(["--db", db, "--lang", "en", "evidence", "compstat", "--period", period, "--example"]) == 2
        assert "is not understood" in capsys.readouterr().err


def test_review_pack_has_the_evidence_page(tmp_path: Path) -> None:
    store: Store = example_store(tmp_path)
    pdf = review_pdf.review_pack(store, "2023-H1", "2023-H2", lang="en", dataset="example")
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    page = next(t for t in texts if "Evidence for the council (2023-H2)" in t)
    for title in ("Crime concentration", "Forecast scoring", "CompStat table per unit", "Near repeats (Knox test)"):
        assert title in page
    assert "The zones named in 2023-H1 held" in page and "Method:" in page


def test_review_page_shows_the_evidence_section_as_council(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    example_database(monkeypatch, tmp_path)
    at = logged_in("council")
    at.switch_page("pages/review.py").run()
    at.selectbox(key="rv_a").select("2023-H1").run()
    at.selectbox(key="rv_b").select("2023-H2").run()
    assert not at.exception, at.exception
    assert any("Evidence for the council (2023-H2)" in s.value for s in at.subheader)
    frames = [d.value for d in at.dataframe]
    assert any("Hit rate" in f.columns and "PAI" in f.columns for f in frames)
    cs = next(f for f in frames if "Reading (last period)" in f.columns)
    assert not any(_SMALL.match(str(v)) for v in cs["This period"])
    texts = [t.value for t in at.text]
    assert any("The zones named in 2023-H1 held" in t for t in texts)
    at.radio(key="ev_measure").set_value("harm").run()
    assert not at.exception, at.exception
    assert any("EXAMPLE WEIGHTS" in x.value for x in at.text)


def test_detect_by_harm_is_labelled_and_hides_harm_on_small_cells(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.main(["--db", db, "detect", "--period", "2023-H2", "--by", "harm", "--format", "csv", "--example"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "cell,harm,incidents,z,p,p_fdr,label,measure,weights,wkt"
    assert any(",hot_99,harm,example," in line for line in lines)
    capsys.readouterr()  # for council: refused (a weighted sum per cell gives its small counts back)
    assert cli.main(["--db", db, "--lang", "en", "detect", "--period", "2023-H2", "--by", "harm", "--format", "geojson",
                     "--aggregate", "--example"]) == 2
    assert "analysts only" in capsys.readouterr().err
