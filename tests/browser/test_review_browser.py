"""The review page in a real browser: the example series, and a review staff have only begun."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from .conftest import ARTIFACTS, Server, download, map_frame, wait_idle
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from hotspots.plan import editing
from hotspots.plan.editing import point
from hotspots.plan.store import Store
from hotspots.review import maps as review_maps
from hotspots.review import review


pytestmark = pytest.mark.browser

#: Review features drawn in the map, by class (read from the Leaflet layers).
CLASSES_DRAWN = """() => { const n = {}; Object.values(map_div._layers).forEach(l => {
    if (l.feature && l.feature.properties && l.feature.properties.cls && map_div.hasLayer(l)) {
        const c = l.feature.properties.cls; n[c] = (n[c] || 0) + 1; } }); return n; }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("review") / "review.sqlite"
    srv = Server(db)
    assert srv.cli("demo", "load").returncode == 0
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Real data: staff recorded 2022-H2 for 2 of the 14 hotspots (one moved, one resolved)."""
    db = tmp_path_factory.mktemp("partial") / "partial.sqlite"
    store = Store(db)
    store.init(author="test")
    editing.record_review(store, "H-1.7-04", "2022-H2", outcome="moved", version=None, author="staff",
                          geometry=point(41.1080, 20.0815))
    editing.record_review(store, "H-1.7-01", "2022-H2", outcome="resolved", version=None, author="staff")
    store.dispose()
    srv = Server(db)
    yield srv
    srv.stop()


def test_review_page_shows_arrows_and_the_unit_tables(server: Server, page: Page) -> None:
    page.goto(server.url + "/review?from=2022-H1&to=2022-H2&lang=en")
    frame = map_frame(page)
    count = """(cls) => Object.values(map_div._layers).filter(l => l.options && l.options.className === cls
                                                            && map_div.hasLayer(l) && l._parts && l._parts.length).length"""
    frame.wait_for_function(f"() => ({count})('hs-move-arrow') === 1", timeout=30_000)
    assert frame.evaluate(f"({count})('hs-move-head')") == 1  # drawn on the canvas: projected parts exist
    expect(frame.get_by_text("EXAMPLE DATA — not real hotspots")).to_be_visible()
    expect(page.get_by_text("Crime / drugs (1.7): changes by unit")).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0  # a direct link to a page works
    expect(page.get_by_text("Review 2022-H2: 7 of 7 hotspots reviewed. The review is complete.")).to_be_visible()
    expect(page.get_by_text("Crime / drugs (1.7) · Unit no. 1: 1 hotspot moved 350 m to the north-east")).to_be_visible()
    expect(page.get_by_text("Street children (1.10) · Unit no. 6: 1 resolved")).to_be_visible()
    legend = frame.locator(".hs-review-legend")
    for word in ("New", "Persistent", "Moved", "Reappeared", "Resolved", "Not yet reviewed"):
        expect(legend.get_by_text(word, exact=True)).to_be_visible()
    swatches = [legend.locator("i").nth(k).bounding_box() for k in range(legend.locator("i").count())]
    assert swatches and all(b is not None and b["width"] >= 10 and b["height"] >= 10 for b in swatches)  # drawn, not 0 px
    drawn = frame.evaluate(CLASSES_DRAWN)
    assert drawn.get("moved") == 1 and drawn.get("persistent", 0) >= 4
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review_page.png"), full_page=True)


def test_a_review_begun_says_what_is_left_and_resolves_nothing_unrecorded(partial: Server, page: Page) -> None:
    page.goto(partial.url + "/review?lang=en")  # the default: the review under way, 2022-H1 -> 2022-H2
    frame = map_frame(page)
    wait_idle(page)
    expect(page.get_by_text("Review 2022-H2: 2 of 14 hotspots reviewed.", exact=False)).to_be_visible()
    expect(page.get_by_text("12 hotspots not yet reviewed", exact=False)).to_be_visible()
    body = page.locator("body").inner_text()
    resolved = sum(int(n) for n in re.findall(r"(\d+) resolved", body))
    left = sum(int(n) for n in re.findall(r"(\d+) not yet reviewed", body))
    assert (resolved, left) == (1, 12), body
    # the map draws every located hotspot with its class: not one of them as resolved
    store = Store(partial.db)
    rv = review.build_review(store.hotspots(), "2022-H1", "2022-H2")
    expected = sum(1 for h in rv.completeness.not_reviewed if h not in review_maps.not_drawn(rv))
    frame.wait_for_function(f"() => ({CLASSES_DRAWN})()['not_reviewed'] === {expected}", timeout=30_000)
    drawn = frame.evaluate(CLASSES_DRAWN)
    assert drawn == {"not_reviewed": expected, "moved": 1}  # H-1.7-01 (resolved) has no location: named, not drawn
    expect(page.get_by_text("No location, not drawn on the map", exact=False)).to_be_visible()
    style = frame.evaluate("""() => { const l = Object.values(map_div._layers).find(l => l.feature
        && l.feature.properties.cls === 'not_reviewed'); return [l.options.color, l.options.fillColor]; }""")
    assert style == [review_maps.CLASS_STYLE["not_reviewed"]["color"], review_maps.CLASS_STYLE["not_reviewed"]["fill"]]
    pdf = PdfReader(str(download(page, "Download the review pack (PDF)")))
    texts = [p.extract_text() for p in pdf.pages]
    assert all("DRAFT: the review of 2022-H2 is not closed" in tx for tx in texts)
    assert "2 of 14 hotspots reviewed" in texts[0]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review_partial.png"), full_page=True)
