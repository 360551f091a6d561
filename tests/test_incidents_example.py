"""The example incidents: the planted clusters are found by the counts, trends and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from hotspots.plan import trends
from hotspots.incidents import counts, example, importing, table
from hotspots.plan.store import Store


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, gpd.GeoDataFrame]:
    store = Store(tmp_path_factory.mktemp("ex") / "ex.sqlite")
    store.init(author="t")
    assert example.load(store, author="t") == len(example.generate())
    return store, table.read(store, dataset="example")


def centre_counts(incidents: gpd.GeoDataFrame, name: str) -> pd.DataFrame:
    """Count per half within 100 m of each centre the cluster ever had (the library's own counting)."""
    cl = example.PLANTED[name]
    centres = sorted(set(cl.centres))
    obs = gpd.GeoDataFrame({"id": [f"c{i}" for i in range(len(centres))], "category": "crime", "period": example.HALVES[0],
                            "status": "active"}, geometry=[shapely.Point(lon, lat) for lat, lon in centres], crs="EPSG:4326")
    mine = incidents[incidents["offence"] == cl.offence]
    return counts.counts_by_hotspot(mine, obs, radius_m=100).pivot(index="period", columns="id", values="total")


def test_the_shipped_file_is_the_seeded_generator() -> None:
    shipped = pd.read_csv(example.EXAMPLE_FILE, sep=";", dtype=str, keep_default_na=False)
    assert shipped.equals(example.generate().drop(columns=list(example.ANSWER_COLUMNS)).astype(str))
    assert example.generate(seed=1)["gjeresia"].tolist() != shipped["gjeresia"].tolist()


@pytest.mark.parametrize("name", ["steady", "emerging", "fading"])
def test_planted_counts_are_found(loaded: tuple[Store, gpd.GeoDataFrame], name: str) -> None:
    got = centre_counts(loaded[1], name)["c0"].tolist()
    planted = list(example.PLANTED[name].counts)
    assert all(p <= g <= p + 3 for p, g in zip(planted, got, strict=True)), (planted, got)
    label = trends.trend_label(got)
    # a steady series (all equal here) has no trend to claim: the exact test says "not testable"
    assert label in {"steady": ("no_trend", "not_testable"), "emerging": ("rising",), "fading": ("falling",)}[name]


def test_the_displaced_cluster_moves_300_m_after_2023_h2(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    got = centre_counts(loaded[1], "displaced")
    a, b = sorted(set(example.PLANTED["displaced"].centres))  # a: west (old), b: east (new)
    old, new = ("c0", "c1") if a == example.PLANTED["displaced"].centres[0] else ("c1", "c0")
    assert got[old].tolist()[:4] == [12] * 4 and max(got[old].tolist()[4:]) <= 1
    assert max(got[new].tolist()[:4]) <= 1 and got[new].tolist()[4:] == [12, 12]
    shift = gpd.GeoSeries([shapely.Point(a[1], a[0]), shapely.Point(b[1], b[0])], crs="EPSG:4326").to_crs("EPSG:32634")
    assert shift.iloc[0].distance(shift.iloc[1]) == pytest.approx(300, abs=1)


def test_example_rows_without_a_place_are_listed_and_kept(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    frame = example.generate()
    unplaceable = frame["adresa"].str.startswith("Rruga pa emër")
    assert int(loaded[1].geometry.isna().sum()) == int(unplaceable.sum()) > 0
    geocoded = (frame["adresa"] != "") & ~unplaceable
    assert int(loaded[1]["location_quality"].isin(["landmark", "approximate"]).sum()) == int(geocoded.sum())
    assert set(loaded[1]["dataset"]) == {"example"} and table.count(loaded[0], "real") == 0


def test_cli_import_counts_export_and_demo(cli: Callable[..., object], tmp_path: Path) -> None:
    done = cli("demo", "load")
    assert done.returncode == 0 and "example incidents loaded: 974" in done.stdout, done.stderr  # type: ignore[attr-defined]
    done = cli("incidents", "counts", "--by", "hotspot", "--period", "2022-H1", "--format", "json", "--example")
    rows = {r["id"]: r for r in json.loads(done.stdout)}  # type: ignore[attr-defined]
    assert rows["EX-1.7-05"]["drugs"] >= example.PLANTED["fading"].counts[0]  # the castle zone
    done = cli("incidents", "counts", "--by", "unit", "--period", "half", "--format", "csv", "--example", "--aggregate")
    assert "<5" in done.stdout and done.returncode == 0  # type: ignore[attr-defined]
    done = cli("incidents", "counts", "--by", "unit", "--period", "quarter", "--format", "csv", "--example", "--aggregate")
    assert done.returncode == 2 and not done.stdout  # type: ignore[attr-defined]  # protected: half-years only
    out = tmp_path / "cells.geojson"
    done = cli("incidents", "export", "--format", "geojson", "--role", "council", "--example", "-o", str(out))
    cells = json.loads(out.read_text())["features"]
    assert cells and all(isinstance(f["properties"]["total"], str) for f in cells)
    assert {f["properties"]["dataset"] for f in cells} == {"example"}
    assert {f["geometry"]["type"] for f in cells} == {"Polygon"} and "SHEMBULL" not in out.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("data;vepra;gjeresia;gjatesia;emri\n17.05.2023;droge;41.11;20.08;X\n", encoding="utf-8")
    done = cli("--lang", "en", "incidents", "import", str(bad))
    assert done.returncode == 2 and "“emri”" in done.stderr  # type: ignore[attr-defined]
    done = cli("demo", "unload")
    assert "example incidents removed: 974" in done.stdout  # type: ignore[attr-defined]


def test_import_of_the_example_is_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.sqlite")
    store.init(author="t")
    first = importing.import_file(store, example.EXAMPLE_FILE, author="t")
    again = importing.import_file(store, example.EXAMPLE_FILE, author="t")
    assert first.added == 974 and again.added == 0 and table.count(store) == 974


def test_count_trends_find_the_emerging_and_fading_places(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    inc = loaded[1]
    names = ["emerging", "fading"]
    centres = [example.PLANTED[n].centres[0] for n in names]
    obs = gpd.GeoDataFrame({"id": names, "category": "crime", "period": example.HALVES[0], "status": "active"},
                           geometry=[shapely.Point(lon, lat) for lat, lon in centres], crs="EPSG:4326")
    table = counts.counts_by_hotspot(inc, obs, kind="quarter", radius_m=100)
    got = counts.count_trends(table).set_index("id")
    assert got.loc["emerging", "label"] == "rising" and got.loc["fading", "label"] == "falling"
    assert len(got.loc["emerging", "series"]) == 12 and got.loc["fading", "p_value"] < 0.05
