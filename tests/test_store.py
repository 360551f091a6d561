"""The store: schema, baseline, history, transactions, reads as GeoDataFrames."""

from __future__ import annotations

import json

import pytest
import shapely

from hotspots.plan import editing
from hotspots.base.errors import ConflictError, ValidationError
from hotspots.plan.records import make_record, point_record
from hotspots.plan.store import Store

STATION = (41.1050, 20.0747)


@pytest.fixture()
def store(backend_store: Store) -> Store:
    """Every test of this module runs on SQLite and on PostGIS."""
    return backend_store


def test_init_loads_the_baseline_once(store: Store) -> None:
    assert store.count("hotspots") == 14
    assert store.count("observations") == 14
    assert store.init(author="test") == 0  # idempotent
    assert store.count("hotspots") == 14


def test_reads_are_geodataframes_in_wgs84(store: Store) -> None:
    gdf = store.hotspots(period="2022-H1")
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == 14
    assert gdf.geometry.isna().sum() == 8
    crime = store.hotspots(period="2022-H1", category="crime")
    assert crime["unit"].astype(int).value_counts().to_dict() == {1: 3, 3: 1, 4: 2, 6: 3}
    assert len(store.hotspots(period="2022-H1", units_in=[6], category="crime")) == 3
    assert len(store.hotspots(period="2022-H1", units_in=[6])) == 4  # + the zone near the university


def test_every_write_has_history_with_its_author(store: Store) -> None:
    before = store.count("history")
    record = point_record(name="Te ura e re", category="crime", lat=41.108, lon=20.085, period="2022-H2")
    result = store.write_records([record], author="staff1")
    assert result == [{"id": "H-1.7-10", "result": "added"}]
    rows = store.history(entity_id="H-1.7-10")
    assert store.count("history") == before + 1  # one row: the hotspot and its first observation
    assert set(rows["author"]) == {"staff1"}
    assert json.loads(rows.iloc[0]["after"])["observation"]["status"] == "active"


def test_a_failing_write_rolls_everything_back(store: Store) -> None:
    good = point_record(name="A", category="crime", lat=41.108, lon=20.085, period="2022-H2")
    dup = point_record(name="A", category="crime", lat=41.108, lon=20.085, period="2022-H2")
    counts = (store.count("hotspots"), store.count("observations"), store.count("history"))
    with pytest.raises(ConflictError):
        store.write_records([good, dup], author="staff1")
    assert (store.count("hotspots"), store.count("observations"), store.count("history")) == counts


def test_write_without_author_is_refused(store: Store) -> None:
    record = point_record(name="B", category="crime", lat=41.108, lon=20.085, period="2022-H2")
    with pytest.raises(ValidationError):
        store.write_records([record], author="")
    assert store.count("hotspots") == 14


def test_hostile_text_is_stored_verbatim(store: Store) -> None:
    name = "<img src=x onerror=alert(1)> `x` \\ \"q\" 'q'"
    store.write_records([point_record(name=name, category="street_children", lat=41.11, lon=20.08, period="2022-H1")], author="t")
    assert name in store.hotspots(period="2022-H1")["name"].tolist()


def test_review_moved_keeps_identity_and_is_not_stored_as_a_status(store: Store) -> None:
    editing.record_review(store, "H-1.7-04", "2022-H2", outcome="moved", version=None, author="staff1",
                        geometry=shapely.Point(20.0780, 41.1070), location_quality="landmark")
    editing.record_review(store, "H-1.7-02", "2022-H2", outcome="resolved", version=None, author="staff1")
    h2 = store.hotspots(period="2022-H2").set_index("id")
    assert h2.loc["H-1.7-04", "status"] == "active"
    assert h2.loc["H-1.7-04", "moved_from"] == "2022-H1"
    assert h2.loc["H-1.7-02", "status"] == "resolved"
    assert store.history(entity_id="H-1.7-04").iloc[0]["action"] == "review:moved"


def test_placing_an_unlocated_hotspot(store: Store) -> None:
    editing.place_hotspot(store, "H-1.7-09", "2022-H1", shapely.Point(20.083, 41.118), location_quality="approximate",
                        location_source="staff knowledge", version=None, author="staff1")
    row = store.hotspots(period="2022-H1", ids=["H-1.7-09"]).iloc[0]
    assert row.geometry is not None and row["location_quality"] == "approximate"
    with pytest.raises(ValidationError):
        editing.place_hotspot(store, "H-1.7-08", "2022-H1", shapely.Point(19.82, 41.33), location_quality="exact",
                            location_source="x", version=None, author="staff1")


def test_activity_status_and_priority_per_period(store: Store) -> None:
    editing.set_activity_status(store, "1.7.5", "2022-H2", "in_progress", author="staff1")
    editing.set_activity_status(store, "1.7.5", "2022-H2", "done", author="staff2")
    editing.set_priority(store, "1.6", "2023-H1", "moderate", author="admin")
    status = store.activity_status("2022-H2")
    assert status.set_index("activity_id").loc["1.7.5", "status"] == "done"
    assert len(store.history(entity_id="1.7.5")) == 2
    with pytest.raises(ValidationError):
        editing.set_activity_status(store, "1.7.5", "2022-H2", "maybe", author="staff1")


def test_import_record_validation_defaults_never_claim_exact() -> None:
    record = make_record({"name": "x", "category": "crime", "period": "2022-H1"}, shapely.Point(20.08, 41.11))
    assert record.location_quality == "approximate"
    record = make_record({"name": "x", "category": "crime", "period": "2022-H1"}, None)
    assert record.location_quality == "unlocated"
