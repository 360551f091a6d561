"""A hotspot named in Markdown on the public Plan page, in a real browser: text, never a link or an image."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from hotspots.plan.records import point_record
from hotspots.plan.store import Store
from tests.test_plain_text import MARKDOWN_NAME

from .conftest import ARTIFACTS, Server, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    path = tmp_path_factory.mktemp("plain") / "plain.sqlite"
    store = Store(path)
    store.init(author="test")
    store.write_records([point_record(name=MARKDOWN_NAME, category="crime", lat=41.1125, lon=20.0822,
                                      period="2022-H1", location_quality="exact")], author="test")
    store.dispose()
    srv = Server(path)
    yield srv
    srv.stop()


def test_plan_page_shows_a_markdown_name_as_typed(server: Server, page: Page) -> None:
    page.goto(server.url + "/plan?lang=en")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Hot zones without a working camera", exact=False)).to_be_visible(timeout=60_000)
    wait_idle(page)
    frames = main.locator('[data-testid="stDataFrame"]')
    expect(frames.first).to_be_visible(timeout=30_000)
    assert main.locator('[data-testid="stTable"]').count() == 0  # st.table renders its cells as Markdown
    # the name is in the grids' data (drawn on a canvas, as text), and nowhere on the page a link or an image
    assert main.locator('a[href*="evil"]').count() == 0
    assert main.locator('img[src^="data:"]').count() == 0
    assert main.locator('[data-testid="stMarkdownContainer"] strong', has_text="b").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan_markdown_name.png"), full_page=True)
