"""The review: example series, movement and trends from the command line, the pack, the plan views."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from hotspots.base.errors import HotspotError
from hotspots.plan import editing, units, views
from hotspots.plan.plan import load_plan
from hotspots.plan.store import Store
from hotspots.review import maps as review_maps
from hotspots.review import pdf as review_pdf
from hotspots.review import review


@pytest.fixture()
def store(backend_store: Store) -> Store:
    """Every test of this module runs on SQLite and on PostGIS."""
    return backend_store


@pytest.fixture()
def example(store: Store) -> Store:
    editing.load_example(store, author="trainer")
    return store


def test_example_series_is_kept_apart_and_marked(example: Store) -> None:
    assert len(example.hotspots(dataset="real")) == 14  # real data untouched
    ex = example.hotspots(dataset="example")
    assert ex["id"].str.startswith("EX-").all() and len(set(ex["period"])) == 6
    assert (ex["location_source"].str.contains("EXAMPLE")).all()
    with pytest.raises(HotspotError):
        editing.load_example(example, author="trainer")
    from hotspots.plan.exchange import to_geojson

    assert "EXAMPLE DATA" in json.loads(to_geojson(ex))["note"]
    assert editing.unload_example(example, author="trainer") == len(set(ex["id"]))
    assert example.hotspots(dataset="example").empty and len(example.hotspots()) == 14
    assert example.history(entity_id="example").iloc[0]["action"] == "demo unload"


def test_cli_movement_and_trends(cli) -> None:
    assert cli("demo", "load").returncode == 0
    done = cli("movement", "--from", "2022-H1", "--to", "2022-H2", "--example", "--format", "json")
    out = json.loads(done.stdout)
    assert (out["from"], out["to"]) == ("2022-H1", "2022-H2")
    assert out["completeness"] == {"period": "2022-H2", "due": 7, "reviewed": 7, "not_reviewed": [], "complete": True,
                                   "closed": False}
    rows = {r["id"]: r for r in out["rows"]}
    assert rows["EX-1.7-02"]["class"] == "moved" and rows["EX-1.7-02"]["direction"] == "NE"
    assert abs(rows["EX-1.7-02"]["distance_m"] - 350) < 5 and rows["EX-1.7-02"]["category"] == "crime"
    assert rows["EX-1.10-03"]["class"] == "resolved" and rows["EX-1.7-10"]["class"] == "new"
    csv_text = cli("movement", "--from", "2022-H2", "--to", "2023-H1", "--example").stdout
    assert csv_text.splitlines()[0] == ("id,category,class,distance_m,direction,unit_before,unit_after,recorded_in,"
                                        "event,related,related_distance_m,related_direction,"
                                        "incidents_from,incidents_to")  # demo load brings the example incidents
    assert "EX-1.7-11,crime,new,,,,3,2023-H1,split,EX-1.7-04,200.0,E" in csv_text
    later = json.loads(cli("movement", "--from", "2023-H2", "--to", "2024-H1", "--example", "--format", "json").stdout)
    assert {r["id"]: r["class"] for r in later["rows"]}["EX-1.10-03"] == "reappeared"  # resolved 2022-H2, back
    units = json.loads(cli("trends", "--by", "unit", "--example", "--format", "json").stdout)
    assert all(len(u["series"]) == 6 for u in units) and {u["category"] for u in units} == {"crime", "street_children"}
    by_key = {(u["unit"], u["category"]): u for u in units}
    assert by_key[(4, "crime")]["series"] == [1, 1, 1, 1, 0, 0] and by_key[(4, "street_children")]["series"][0] == 2
    assert {u["label"] for u in units} <= {"rising", "falling", "no_trend", "not_testable"}
    spots = cli("trends", "--by", "hotspot", "--example").stdout.splitlines()
    assert spots[0] == ("id,category,label,series,periods,incomplete_from,"
                        "incident_periods,incident_series,incident_s,incident_p_value,incident_label")
    assert any(s.startswith("EX-1.10-06,street_children,only_latest,0 0 0 0 0 1") for s in spots)


@pytest.mark.parametrize("a,b", [("2022-H2", "2022-H2"), ("2023-H1", "2022-H2")])
def test_cli_refuses_same_or_reversed_periods(cli, a: str, b: str) -> None:
    assert cli("init").returncode == 0
    done = cli("--lang", "en", "movement", "--from", a, "--to", b)
    assert done.returncode == 2 and ("different periods" in done.stderr or "must come before" in done.stderr)
    assert "Traceback" not in done.stderr


def _pdf_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_review_pack_has_a_section_per_unit_with_tables_and_legends(example: Store) -> None:
    packs: dict[str, bytes] = {}
    for lang, word in (("sq", "Lagjja nr."), ("en", "Unit no.")):
        pdf = packs[lang] = review_pdf.review_pack(example, "2022-H1", "2022-H2", lang=lang, dataset="example")
        reader = PdfReader(io.BytesIO(pdf))
        texts = _pdf_texts(pdf)
        assert len(texts) >= 7  # summary + one section per unit
        starts = [i for i, tx in enumerate(texts) for u in range(1, 7) if f"{word} {u}\n" in tx[:80] or
                  tx.split("\n")[1:2] == [f"{word} {u}"]]
        assert len(starts) >= 6, [tx[:80] for tx in texts]
        assert ("EXAMPLE DATA" in texts[0]) or ("TË DHËNA SHEMBULL" in texts[0])
        assert "OpenStreetMap" in texts[0]
        assert ("7 of 7" in texts[0]) or ("7 nga 7" in texts[0])
        assert all(("DRAFT" in tx) or ("PROJEKT" in tx) for tx in texts)  # not closed: every page says so
        assert sum(len(p.images) for p in reader.pages) == 6  # one static map per unit
    en = "\n".join(_pdf_texts(packs["en"]))  # the English pack checked above (built once, not twice)
    assert "350 m to the north-east" in en and "|" not in en  # words, real tables (no "|"-joined text)
    assert "Crime / drugs (1.7): changes by unit" in en and "Not yet" in en


def test_closed_review_pack_is_not_a_draft(example: Store) -> None:
    editing.close_review(example, "2022-H2", author="council-secretary", dataset="example")
    texts = _pdf_texts(review_pdf.review_pack(example, "2022-H1", "2022-H2", lang="en", dataset="example"))
    assert not any("DRAFT" in tx for tx in texts) and "Closed by council-secretary" in texts[0]


def test_partial_review_says_what_is_left_and_resolves_nothing_unrecorded(store: Store) -> None:
    from hotspots.plan.editing import point

    editing.record_review(store, "H-1.7-04", "2022-H2", outcome="moved", version=None, author="staff",
                          geometry=point(41.1080, 20.0815))
    editing.record_review(store, "H-1.7-01", "2022-H2", outcome="resolved", version=None, author="staff")
    rv = review.build_review(store.hotspots(), "2022-H1", "2022-H2")
    assert (len(rv.completeness.reviewed), len(rv.completeness.due)) == (2, 14)
    assert (rv.result["class"] == "not_reviewed").sum() == 12 and (rv.result["class"] == "resolved").sum() == 1
    assert review.completeness_line(rv, "en").startswith("Review 2022-H2: 2 of 14 hotspots reviewed. The review is not complete")
    tables = review.unit_tables(rv, "en")
    crime = tables["crime"].set_index("Unit")
    assert int(crime["Resolved"].sum()) == 1 and int(crime["Not yet reviewed"].sum()) == 7
    assert crime.loc["Unit no. 4", "Before"] == 2 and crime.loc["Unit no. 6", "Before"] == 3  # the plan's 2 and 3
    sentences = " ".join(rv.sentences("en"))
    assert sentences.count("resolved") == 1 and "not yet reviewed" in sentences
    assert "H-1.7-02" in set(review.todo(rv)["id"])
    texts = _pdf_texts(review_pdf.review_pack(store, "2022-H1", "2022-H2", lang="en"))
    assert all("DRAFT" in tx for tx in texts) and "2 of 14 hotspots reviewed" in texts[0]


def test_a_review_closes_only_complete_or_with_a_reason_and_then_refuses_changes(store: Store) -> None:
    with pytest.raises(HotspotError, match="give a reason"):
        editing.close_review(store, "2022-H2", author="staff")
    editing.close_review(store, "2022-H2", author="staff", reason="the police directorate sends the rest in January")
    state = editing.review_state(store, "2022-H2")
    assert state["closed"] and not state["complete"] and "January" in state["reason"]
    before = store.count("observations")
    with pytest.raises(HotspotError, match="closed"):
        editing.record_review(store, "H-1.7-02", "2022-H2", outcome="persists", version=None, author="staff")
    assert store.count("observations") == before
    with pytest.raises(HotspotError, match="reason"):
        editing.reopen_review(store, "2022-H2", author="staff", reason=" ")
    editing.reopen_review(store, "2022-H2", author="staff", reason="late data")
    editing.record_review(store, "H-1.7-02", "2022-H2", outcome="persists", version=None, author="staff")
    actions = list(store.history(entity_id="real:2022-H2")["action"])
    assert actions == ["review reopen", "review close"]


def test_review_map_styles_every_class_and_escapes_names(example: Store) -> None:
    editing.update_hotspot_text(example, "EX-1.7-02", version=None, author="t", name='<img src=x onerror="alert(1)">')
    rv = review.build_review(example.hotspots(dataset="example"), "2022-H1", "2022-H2")
    mv = review_maps.moves(rv)
    assert [m["id"] for m in mv] == ["EX-1.7-02"]
    html = review_maps.review_map(rv, plan=load_plan(), lang="en", units_layer=units.load_units()).get_root().render()
    assert "hs-move-arrow" in html and "hs-move-head" in html and "hs-review-legend" in html
    assert "moved 350 m to the north-east" in html.replace("Moved", "moved")
    assert "<img src=x" not in html and "&lt;img src=x" in html.replace("\\u0026", "&")
    assert "EXAMPLE DATA" in html
    features = review_maps.review_features(rv, "en")["features"]
    styles = {f["properties"]["cls"]: review_maps.class_style(f["properties"]["cls"], f["properties"]["category"],
                                                          f["properties"]["quality"]) for f in features}
    kinds = {f["geometry"]["type"] for f in features}
    assert {"Point", "LineString", "Polygon"} <= kinds  # zones and streets go through the same styling
    assert styles["resolved"]["fillOpacity"] < styles["persistent"]["fillOpacity"]


def test_plan_views(example: Store) -> None:
    plan = load_plan()
    editing.set_priority(example, "1.6", "2023-H1", "moderate", author="staff")
    table = views.priority_table(plan, example.priorities(), ["2022-H2", "2023-H1", "2023-H2"], "en").set_index("Problem")
    row = table.loc["1.6 Countering violent extremism"]
    assert list(row) == ["Low priority", "Moderate priority", "Moderate priority"]
    gdf = example.hotspots()
    idle = views.without_activity_in_progress(gdf, plan, example.activity_status(), "2022-H1")
    assert len(idle) == 14
    editing.set_activity_status(example, "1.7.3", "2022-H1", "in_progress", author="staff")
    idle = views.without_activity_in_progress(gdf, plan, example.activity_status(), "2022-H1")
    assert set(idle["category"]) == {"street_children"} and len(idle) == 5


def test_a_period_without_any_record_is_all_not_reviewed_and_the_default(backend_url: str, cli) -> None:
    store = Store(backend_url)
    store.init(author="test")
    rv = review.build_review(store.hotspots(), "2022-H1", "2022-H2")
    assert set(rv.result["class"]) == {"not_reviewed"} and len(rv.result) == 14
    done = cli("--lang", "en", "movement", "--from", "2022-H1", "--to", "2022-H2")
    assert done.returncode == 0 and "0 of 14 hotspots reviewed" in done.stderr
    assert review.default_periods(store.hotspots()) == ("2022-H1", "2022-H2")
    editing.load_example(store, author="t")
    assert review.default_periods(store.hotspots(dataset="example")) == ("2024-H1", "2024-H2")


def test_cli_review_status_close_and_reopen(cli) -> None:
    assert cli("init").returncode == 0
    status = cli("--lang", "en", "review", "status", "--period", "2022-H2")
    assert status.returncode == 0 and "Review 2022-H2: 0 of 14 hotspots reviewed" in status.stdout
    assert status.stdout.count("Not yet reviewed: ") == 14
    refused = cli("--lang", "en", "review", "close", "--period", "2022-H2")
    assert refused.returncode == 2 and "give a reason" in refused.stderr
    closed = cli("--lang", "en", "review", "close", "--period", "2022-H2", "--reason", "field work in January")
    assert closed.returncode == 0 and "Closed by" in closed.stdout
    assert cli("--lang", "en", "review", "reopen", "--period", "2022-H2", "--reason", "late data").returncode == 0
