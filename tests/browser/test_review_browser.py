"""The review page in a real browser with the example series loaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, Server, map_frame

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("review") / "review.sqlite"
    srv = Server(db)
    assert srv.cli("demo", "load").returncode == 0
    yield srv
    srv.stop()


def test_review_page_shows_arrows_and_the_unit_table(server: Server, page: Page) -> None:
    page.goto(server.url + "/review?from=2022-H1&to=2022-H2&lang=en")
    frame = map_frame(page)
    count = """(cls) => Object.values(map_div._layers).filter(l => l.options && l.options.className === cls
                                                            && map_div.hasLayer(l) && l._parts && l._parts.length).length"""
    frame.wait_for_function(f"() => ({count})('hs-move-arrow') === 1", timeout=30_000)
    assert frame.evaluate(f"({count})('hs-move-head')") == 1  # drawn on the canvas: projected parts exist
    expect(frame.get_by_text("EXAMPLE DATA — not real hotspots")).to_be_visible()
    expect(page.get_by_text("Changes by unit")).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0  # a direct link to a page works
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    expect(page.get_by_text("Unit no. 1: 1 hotspot moved 350 m NE")).to_be_visible()
    expect(page.get_by_text("Unit no. 6: 1 resolved", exact=False)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review_page.png"), full_page=True)
