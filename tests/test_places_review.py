"""The plan page's and the review pack's places (issue 15): hot zones without a working camera, figures per problem."""

from __future__ import annotations

import io

from pypdf import PdfReader

from hotspots.places import cameras
from hotspots.plan.store import Store
from hotspots.review import pdf as review_pdf


def _text(pdf: bytes, page: int = -1) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[page].extract_text()


def _camera_page(store: Store, lang: str) -> str:
    """Return the text of the cameras page alone, written as the pack writes it."""
    pdf = review_pdf._pdf(None)
    review_pdf._pack_cameras(pdf, store, "2022-H2", store.hotspots(dataset="real"), lang=lang)
    return _text(bytes(pdf.output()))


def test_the_review_pack_lists_the_hot_zones_without_a_working_camera(store: Store) -> None:
    page = _text(review_pdf.review_pack(store, "2022-H1", "2022-H2", lang="en"))  # the pack's last page
    assert "Cameras and hot zones (activity 1.7.2), 2022-H2" in page
    assert "Hot zones without a working camera (1.7.2)" in page and "working cameras: 0" in page
    assert "H-1.7-04" in page  # the train station: no camera yet
    sq = _camera_page(store, "sq")
    assert "Zona të nxehta pa kamerë që funksionon (1.7.2)" in sq and "H-1.7-04" in sq

    station = cameras.make_camera(lat=41.1053, lon=20.0747, owner="police", status="working", radius_m=80)
    cameras.add_camera(store, station, author="staff1")
    after = _camera_page(store, "en")
    assert "working cameras: 1" in after and "H-1.7-04" not in after
    assert {"H-1.7-01", "H-1.7-02"} & set(after.split())  # the other hot zones are still listed


def test_the_plans_problems_get_their_places_figures(store: Store) -> None:
    from hotspots.places import service as places

    places.ensure_seed(store)  # the two OSM cameras (unverified: they cover nothing) and the two OSM schools
    station = cameras.make_camera(lat=41.1053, lon=20.0747, owner="police", status="working", radius_m=80)
    cameras.add_camera(store, station, author="staff1")
    found = places.plan_places(store, store.hotspots(), "2022-H2")
    notes = places.plan_notes(found, "en")
    assert set(notes) == {"1.3", "1.4", "1.7", "1.9"}
    assert notes["1.3"][0].startswith("Cameras (1.3.1–1.3.3): 1 working of 3 in the register")
    assert notes["1.4"][0].startswith("Schools: 2 in the register")
    assert "working cameras: 1" in notes["1.7"][0] and "covered" in notes["1.7"][0]
    assert notes["1.9"][0].startswith("Cannabis zones (1.9.1–1.9.3): zones where cultivation was found: 0,")
    assert places.plan_notes(found, "sq")["1.3"][0].startswith("Kamerat (1.3.1–1.3.3): 1 nga 3 në regjistër funksionojnë")


def test_places_tables_read_in_the_readers_language() -> None:
    import pandas as pd

    from hotspots.places.tables import for_people

    table = pd.DataFrame({"id": ["C-01"], "owner": ["police"], "status": ["broken"], "radius_m": [50.0],
                          "near": [True], "label": ["not_testable"]})
    assert for_people(table, "sq").iloc[0].to_dict() == {
        "id": "C-01", "Pronari": "policia", "Statusi": "e prishur", "Rrezja e pamjes (m)": 50.0, "Afër": "po",
        "Tendenca": "nuk testohet (p < 0,05 e pamundur me këtë seri)"}
    assert list(for_people(table, "en").columns) == ["id", "Owner", "Status", "View radius (m)", "Near", "Trend"]
    assert table.columns.tolist()[1] == "owner"  # the analysis table itself is left as it was


def test_a_camera_changes_from_its_stored_fields_and_an_upload_imports_from_bytes(store: Store) -> None:
    import json

    import pytest

    from hotspots.base.errors import ImportFileError, NotFoundError

    cid = cameras.add_camera(store, cameras.make_camera(lat=41.1053, lon=20.0747, owner="police", status="working",
                                                        name="Stacioni", notes="n1"), author="staff1")
    register = cameras.read_cameras(store)
    changed = cameras.changed_camera(register, cid, status="broken", direction="", angle="")
    assert (changed.status, changed.owner, changed.name, changed.notes, changed.direction) == (
        "broken", "police", "Stacioni", "n1", None)
    assert cameras.update_camera(store, changed, author="staff1") == "updated"
    with pytest.raises(NotFoundError):
        cameras.changed_camera(register, "C-99", status="working")
    upload = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "owner": "municipality", "status": "planned", "radius_m": 40},
        "geometry": {"type": "Point", "coordinates": [20.08, 41.112]}}]}).encode()
    assert cameras.import_cameras(store, upload, author="staff1") == [{"id": "C-02", "result": "added"}]
    with pytest.raises(ImportFileError):
        cameras.import_cameras(store, b"{not json", author="staff1")
    assert len(cameras.read_cameras(store)) == 2
