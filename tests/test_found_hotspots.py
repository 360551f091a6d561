"""Designated against found (issue 14): confirmed / not supported, proposals, accept and dismiss."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from .apptest import example_store

from hotspots.base.errors import ValidationError
from hotspots.evidence import found_hotspots as fh
from hotspots.evidence import hotspot_detection as hd
from hotspots.incidents import example, table
from hotspots.plan.store import Store


@pytest.fixture()
def loaded(tmp_path: Path) -> tuple[Store, gpd.GeoDataFrame]:
    store = example_store(tmp_path)  # a copy per test: accepting and dismissing write to it
    return store, table.read(store, dataset="example")


def test_designated_hotspots_are_confirmed_or_not_supported(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    store, incidents = loaded
    status = fh.designated_status(hd.detect(incidents, period="2023-H2"), store.hotspots(dataset="example"))
    by_id = status.set_index("id")["status"].to_dict()
    assert by_id["EX-1.7-04"] == "confirmed"  # the train station: the planted steady cluster
    assert by_id["EX-1.7-05"] == "confirmed"  # the castle: the fading cluster, still strong in 2023-H2
    assert "EX-1.7-02" not in by_id  # recorded resolved in 2023-H2: not a designated active hotspot
    assert {"confirmed", "not_supported"} == set(by_id.values())
    assert (status.loc[status["status"] == "not_supported", "hot_cells"] == 0).all()


def test_uncovered_clusters_are_proposed_then_accepted_or_dismissed(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    store, incidents = loaded
    det = hd.detect(incidents, period="2023-H2")
    observations = store.hotspots(dataset="example")
    found = fh.proposals(det, observations)
    near = {name: min(abs(found["lat"] - example.PLANTED[name].centres[0][0])
                      + abs(found["lon"] - example.PLANTED[name].centres[0][1]))
            for name in ("emerging", "displaced", "steady")}
    assert near["emerging"] < 0.002 and near["displaced"] < 0.002  # no hotspot designated there
    assert near["steady"] > 0.005  # the station's cluster is covered by its hotspot
    assert set(found["source"]) == {"Gi* 2023-H2, 99 %"}

    first = found.iloc[0]
    saved = fh.accept(store, first, author="staff1", name="Propozim Gi*", period="2023-H2", size_m=det.grid.size)
    row = store.hotspots(ids=[saved["id"]], dataset=None).iloc[0]
    assert row["location_source"] == "Gi* 2023-H2, 99 %" and row["location_quality"] == "landmark"
    assert store.history(entity_id=saved["id"])["author"].iloc[0] == "staff1"

    second = found.iloc[1]
    before = store.history()
    with pytest.raises(ValidationError):
        fh.dismiss(store, str(second["key"]), reason="  ", author="staff1")
    assert len(store.history()) == len(before)  # refused: nothing written
    fh.dismiss(store, str(second["key"]), reason="Tregu i së shtunës, jo problem", author="staff1")
    assert str(second["key"]) in fh.dismissed_keys(store)
    entry = store.history(entity_id=str(second["key"])).iloc[0]
    assert entry["action"] == fh.DISMISS_ACTION and "Tregu" in entry["after"]
    again = fh.proposals(det, store.hotspots(dataset=None), dismissed=fh.dismissed_keys(store))
    assert str(second["key"]) not in set(again["key"])


def test_the_review_pack_has_a_short_evidence_section(loaded: tuple[Store, gpd.GeoDataFrame]) -> None:
    import io

    from pypdf import PdfReader

    from hotspots.review import pdf as review_pdf

    store, _incidents = loaded
    pdf = review_pdf.review_pack(store, "2023-H1", "2023-H2", lang="en", dataset="example")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Hot zones in the incidents (Gi*, 2023-H2)" in text
    assert "EX-1.7-04" in text and "Confirmed" in text and "zones proposed" in text
    assert "Emerging analysis" in text
    assert "EX-1.7-02: " in text and "EX-1.7-05: " not in text  # resolved in 2023-H2 / only in 2024-H1
