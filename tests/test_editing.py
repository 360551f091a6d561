"""Validation of staff input: each refusal is clear, translated, and changes nothing."""

from __future__ import annotations


import pytest

from hotspots import editing
from hotspots.errors import HotspotError
from hotspots.store import Store

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
    editing.update_hotspot_text(store, saved["id"], author="staff2", name="Emër i ri")
    editing.record_review(store, saved["id"], "2023-H1", outcome="resolved", author="staff3")
    history = store.history(entity_id=saved["id"])
    assert list(history["author"]) == ["staff3", "staff2", "staff1"]
    assert store.hotspots(ids=[saved["id"]])["activities"].iloc[0] == "1.7.5"


def test_removal_is_a_recorded_status_not_a_deletion(store: Store) -> None:
    editing.record_review(store, "H-1.7-04", "2022-H2", outcome="removed", author="staff1")
    assert store.count("hotspots") == 14
    rows = store.hotspots(ids=["H-1.7-04"])
    assert list(rows["status"]) == ["active", "removed"]


def test_tooltip_id_and_clicks() -> None:
    assert editing.tooltip_id("H-1.10-03 · Zona pranë Universitetit") == "H-1.10-03"
    assert editing.tooltip_id("Nr. 4 (2)") is None
    assert editing.clicked_point({"last_clicked": {"lat": 41.1, "lng": 20.08}}) == (41.1, 20.08)
    assert editing.clicked_point({"last_clicked": None}) is None
