"""The review pack's page on cameras (issue 15, activity 1.7.2): hot zones without a working camera."""

from __future__ import annotations

import io

from pypdf import PdfReader

from hotspots import cameras, review
from hotspots.store import Store


def _text(pdf: bytes, page: int = -1) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[page].extract_text()


def _camera_page(store: Store, lang: str) -> str:
    """Return the text of the cameras page alone, written as the pack writes it."""
    pdf = review._pdf(None)
    review._pack_cameras(pdf, store, "2022-H2", lang=lang, dataset="real")
    return _text(bytes(pdf.output()))


def test_the_review_pack_lists_the_hot_zones_without_a_working_camera(store: Store) -> None:
    page = _text(review.review_pack(store, "2022-H1", "2022-H2", lang="en"))  # the pack's last page
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
