"""The review: example series, movement and trends from the command line, the pack, the plan views."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from hotspots import review, units, views
from hotspots.errors import HotspotError
from hotspots.plan import load_plan
from hotspots.store import Store


@pytest.fixture()
def example(store: Store) -> Store:
    store.load_example(author="trainer")
    return store


def test_example_series_is_kept_apart_and_marked(example: Store) -> None:
    assert len(example.hotspots(dataset="real")) == 14  # real data untouched
    ex = example.hotspots(dataset="example")
    assert ex["id"].str.startswith("EX-").all() and len(set(ex["period"])) == 6
    assert (ex["location_source"].str.contains("EXAMPLE")).all()
    with pytest.raises(HotspotError):
        example.load_example(author="trainer")
    from hotspots.exchange import to_geojson

    assert "EXAMPLE DATA" in json.loads(to_geojson(ex))["note"]
    assert example.unload_example(author="trainer") == len(set(ex["id"]))
    assert example.hotspots(dataset="example").empty and len(example.hotspots()) == 14
    assert example.history(entity_id="example").iloc[0]["action"] == "demo unload"


def test_cli_movement_and_trends(cli) -> None:
    assert cli("demo", "load").returncode == 0
    done = cli("movement", "--from", "2022-H1", "--to", "2022-H2", "--example", "--format", "json")
    rows = {r["id"]: r for r in json.loads(done.stdout)}
    assert rows["EX-1.7-02"]["class"] == "moved" and rows["EX-1.7-02"]["direction"] == "NE"
    assert abs(rows["EX-1.7-02"]["distance_m"] - 350) < 5
    assert rows["EX-1.10-03"]["class"] == "resolved" and rows["EX-1.7-10"]["class"] == "new"
    assert set(rows["EX-1.7-02"]) >= {"id", "class", "distance_m", "direction", "unit_before", "unit_after"}
    csv_text = cli("movement", "--from", "2022-H2", "--to", "2023-H1", "--example").stdout
    assert csv_text.splitlines()[0] == "id,class,matched_from,distance_m,direction,unit_before,unit_after,event"
    assert "split:EX-1.7-04->EX-1.7-04+EX-1.7-11" in csv_text
    units = json.loads(cli("trends", "--by", "unit", "--example", "--format", "json").stdout)
    assert {u["unit"]: u["label"] for u in units}[5] == "consecutive"
    assert all(len(u["series"]) == 6 for u in units)
    spots = cli("trends", "--by", "hotspot", "--example").stdout.splitlines()
    assert spots[0] == "id,label,series,periods" and any(s.startswith("EX-1.10-06,new,0 0 0 0 0 1") for s in spots)
    real = json.loads(cli("trends", "--by", "hotspot", "--format", "json").stdout)
    assert len(real) == 14 and {r["label"] for r in real} == {"new"}  # one period of real data


def test_review_pack_has_a_section_per_unit(example: Store, tmp_path: Path) -> None:
    for lang, word in (("sq", "Lagjja nr."), ("en", "Unit no.")):
        pdf = review.review_pack(example, "2022-H1", "2022-H2", lang=lang, dataset="example")
        reader = PdfReader(io.BytesIO(pdf))
        texts = [page.extract_text() for page in reader.pages]
        assert len(texts) == 7  # summary + one page per unit
        for unit in range(1, 7):
            assert texts[unit].startswith(f"{word} {unit}"), texts[unit][:60]
        assert "350 m" in texts[1] and ("NE" in texts[1] or "VL" in texts[1])
        assert ("EXAMPLE DATA" in texts[0]) or ("TË DHËNA SHEMBULL" in texts[0])
        assert "OpenStreetMap" in texts[0]
        assert len(reader.pages[1].images) == 1  # the static map


def test_review_map_draws_arrows_and_fades_resolved(example: Store) -> None:
    rv = review.build_review(example.hotspots(dataset="example"), "2022-H1", "2022-H2")
    mv = review.moves(rv)
    assert [m["id"] for m in mv] == ["EX-1.7-02"]
    html = review.review_map(rv, plan=load_plan(), lang="en", units_layer=units.load_units()).get_root().render()
    assert "hs-move-arrow" in html and "hs-move-head" in html and "350 m NE" in html
    assert "EXAMPLE DATA" in html


def test_plan_views(example: Store) -> None:
    plan = load_plan()
    example.set_priority("1.6", "2023-H1", "moderate", author="staff")
    table = views.priority_table(plan, example.priorities(), ["2022-H2", "2023-H1", "2023-H2"], "en").set_index("Problem")
    row = table.loc["1.6 Countering violent extremism"]
    assert list(row) == ["Low priority", "Moderate priority", "Moderate priority"]
    gdf = example.hotspots()
    idle = views.without_activity_in_progress(gdf, plan, example.activity_status(), "2022-H1")
    assert len(idle) == 14
    example.set_activity_status("1.7.3", "2022-H1", "in_progress", author="staff")
    idle = views.without_activity_in_progress(gdf, plan, example.activity_status(), "2022-H1")
    assert set(idle["category"]) == {"street_children"} and len(idle) == 5


def test_a_period_without_data_is_not_read_as_everything_resolved(store: Store, cli) -> None:
    with pytest.raises(HotspotError, match="no review data yet"):
        review.build_review(store.hotspots(), "2022-H1", "2022-H2")
    cli("init")
    done = cli("--lang", "en", "movement", "--from", "2022-H1", "--to", "2022-H2")
    assert done.returncode == 2 and "no review data yet" in done.stderr
    assert review.default_periods(store.hotspots()) == ("2022-H1", "2022-H2")
