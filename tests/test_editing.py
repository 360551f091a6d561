"""Validation of staff input: each refusal is clear, translated, and changes nothing."""

from __future__ import annotations


import pytest
import shapely

from hotspots.plan import editing
from hotspots.base.errors import HotspotError, StaleEditError
from hotspots.plan.store import Store

from .conftest import db_digest


@pytest.fixture()
def store(backend_store: Store) -> Store:
    """Every test of this module runs on SQLite and on PostGIS."""
    return backend_store

GOOD = {"name": "Te shkallët e pallatit", "category": "crime", "period": "2022-H2", "author": "staff1"}

BAD_INPUTS = {
    "out_of_area (Tirana)": {"lat": 41.3275, "lon": 19.8187},
    "swapped": {"lat": 20.0822, "lon": 41.1125},
    "nan": {"lat": float("nan"), "lon": 20.08},
    "text": {"lat": "abc", "lon": "20.08"},
    "missing": {"lat": None, "lon": None},
    "empty_name": {"lat": 41.11, "lon": 20.08, "name": "   "},
    "long_name": {"lat": 41.11, "lon": 20.08, "name": "x" * 10_000},
    "bad_period": {"lat": 41.11, "lon": 20.08, "period": "2030-H1"},
    "bad_category": {"lat": 41.11, "lon": 20.08, "category": "graffiti"},
    "activity_of_another_problem": {"lat": 41.11, "lon": 20.08, "activities": ["1.10.1"]},
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_refused_and_the_database_is_unchanged(store: Store, case: str) -> None:
    digest = db_digest(store.url)
    with pytest.raises(HotspotError) as err:
        editing.add_point_hotspot(store, **{**GOOD, **BAD_INPUTS[case]})
    assert err.value.message("en") and err.value.message("sq") != err.value.message("en")
    assert db_digest(store.url) == digest
    assert store.count("hotspots") == 14


def test_swapped_coordinates_message_says_so(store: Store) -> None:
    with pytest.raises(HotspotError) as err:
        editing.add_point_hotspot(store, **GOOD, lat=20.0822, lon=41.1125)
    assert "swapped" in err.value.message("en") and "ngatërruar" in err.value.message("sq")


def test_exact_duplicate_in_the_same_period_is_refused(store: Store) -> None:
    editing.add_point_hotspot(store, **GOOD, lat=41.11, lon=20.08)
    with pytest.raises(HotspotError, match="already exists"):
        editing.add_point_hotspot(store, **GOOD, lat=41.11, lon=20.08)
    editing.add_point_hotspot(store, **{**GOOD, "period": "2023-H1"}, lat=41.11, lon=20.08)  # another period is fine
    assert store.count("hotspots") == 16


def test_hostile_html_is_stored_verbatim(store: Store) -> None:
    name = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
    saved = editing.add_point_hotspot(store, **{**GOOD, "name": name}, lat=41.11, lon=20.08, notes=name)
    row = store.hotspots(ids=[saved["id"]]).iloc[0]
    assert row["name"] == name and row["notes"] == name


def test_history_names_the_author_of_every_change(store: Store) -> None:
    saved = editing.add_point_hotspot(store, **GOOD, lat=41.11, lon=20.08, activities=["1.7.5"])
    editing.update_hotspot_text(store, saved["id"], version=None, author="staff2", name="Emër i ri")
    editing.record_review(store, saved["id"], "2023-H1", outcome="resolved", version=None, author="staff3")
    history = store.history(entity_id=saved["id"])
    assert list(history["author"]) == ["staff3", "staff2", "staff1"]
    assert store.hotspots(ids=[saved["id"]])["activities"].iloc[0] == "1.7.5"


def test_removal_is_a_recorded_status_not_a_deletion(store: Store) -> None:
    editing.record_review(store, "H-1.7-04", "2022-H2", outcome="removed", version=None, author="staff1")
    assert store.count("hotspots") == 14
    rows = store.hotspots(ids=["H-1.7-04"])
    assert list(rows["status"]) == ["active", "removed"]


def test_tooltip_id_and_clicks() -> None:
    assert editing.tooltip_id("H-1.10-03 · Zona pranë Universitetit") == "H-1.10-03"
    assert editing.tooltip_id("Nr. 4 (2)") is None
    assert editing.clicked_point({"last_clicked": {"lat": 41.1, "lng": 20.08}}) == (41.1, 20.08)
    assert editing.clicked_point({"last_clicked": None}) is None


# -- stale edits: two staff members, one hotspot --------------------------------------------
def test_a_stale_save_is_refused_and_the_store_keeps_the_newer_outcome(store: Store) -> None:
    """Two sessions read H-1.7-04; B records resolved with a note; A's older saves are all refused."""
    hid, period = "H-1.7-04", "2022-H2"
    seen_by_a = editing.hotspot_version(store, hid)
    seen_by_b = editing.hotspot_version(store, hid)
    assert seen_by_a == seen_by_b > 0
    editing.record_review(store, hid, period, outcome="resolved", notes="closed by the police", author="staff_b",
                          version=seen_by_b)
    stored = editing.hotspot_version(store, hid)
    assert stored > seen_by_a
    before = db_digest(store.url)
    place = shapely.Point(20.0815, 41.1080)
    attempts = {
        "place": lambda: editing.place_hotspot(store, hid, period, place, location_quality="exact",
                                               location_source="clicked", author="staff_a", version=seen_by_a),
        "review": lambda: editing.record_review(store, hid, period, outcome="persists", author="staff_a",
                                                version=seen_by_a),
        "moved": lambda: editing.record_review(store, hid, period, outcome="moved", geometry=place, author="staff_a",
                                               version=seen_by_a),
        "text": lambda: editing.update_hotspot_text(store, hid, author="staff_a", version=seen_by_a, name="Emër tjetër"),
    }
    for what, attempt in attempts.items():
        with pytest.raises(StaleEditError) as refused:
            attempt()
        assert refused.value.params["yours"] == seen_by_a and refused.value.params["stored"] == stored, what
        for lang in ("en", "sq"):
            text = refused.value.message(lang)
            assert f"{seen_by_a}" in text and f"{stored}" in text and "staff_b" in text and "resolved" in text, text
    assert db_digest(store.url) == before  # nothing written by A
    row = store.hotspots(period=period, ids=[hid]).iloc[0]
    assert row["status"] == "resolved" and row["notes"] == "closed by the police" and row["updated_by"] == "staff_b"
    shown = editing.changes_since(store, hid, seen_by_a)
    assert list(shown["author"]) == ["staff_b"] and "closed by the police" in shown.iloc[0]["after"]


def test_a_save_from_the_stored_version_goes_through(store: Store) -> None:
    hid, period = "H-1.7-04", "2022-H2"
    editing.record_review(store, hid, period, outcome="resolved", notes="B's note", author="staff_b",
                          version=editing.hotspot_version(store, hid))
    fresh = editing.hotspot_version(store, hid)  # A has seen B's change and saves on purpose
    editing.place_hotspot(store, hid, period, shapely.Point(20.0815, 41.1080), location_quality="exact",
                          location_source="clicked", author="staff_a", version=fresh)
    row = store.hotspots(period=period, ids=[hid]).iloc[0]
    assert row["location_quality"] == "exact"
    assert row["status"] == "resolved" and row["notes"] == "B's note"  # placing keeps what is stored now
    assert editing.hotspot_version(store, hid) > fresh
    other = editing.hotspot_version(store, "H-1.7-01")  # another hotspot's change never makes this one stale
    editing.update_hotspot_text(store, hid, author="staff_a", version=editing.hotspot_version(store, hid), name="Emër")
    editing.record_review(store, "H-1.7-01", period, outcome="persists", author="staff_a", version=other)
