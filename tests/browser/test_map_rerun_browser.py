"""A filter change on the map page, in a real browser: the map stays, only its hotspots change, few bytes travel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from .conftest import Server, map_frame, wait_idle

pytestmark = pytest.mark.browser
EXTRA = 400  # synthetic point hotspots beside the baseline: a payload worth keeping
#: Most bytes a filter change may bring over the websocket (the whole page's load brings more).
RERUN_MAX_BYTES = 400_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from hotspots.plan.records import point_record
    from hotspots.plan.store import Store

    db = tmp_path_factory.mktemp("rerun") / "map.sqlite"
    store = Store(db)
    store.init(author="test")
    records = [point_record(name=f"Pika {i}", category="crime" if i % 3 else "street_children",
                            lat=41.098 + (i % 20) * 0.001, lon=20.065 + (i // 20) * 0.002, period="2022-H1",
                            location_quality="approximate", location_source="test").with_id(f"T-{i:04d}")
               for i in range(EXTRA)]
    store.write_records(records, author="test", reject_duplicates=False)
    store.dispose()
    srv = Server(db)
    yield srv
    srv.stop()


def received(page: Page) -> list[int]:
    """Return a list that grows by the size of every websocket frame the page receives from now on."""
    sizes: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: sizes.append(len(p))))
    return sizes


def frames(page: Page) -> list[bytes]:
    """Return a list that grows by every websocket frame the page receives from now on."""
    got: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: got.append(p if isinstance(p, bytes) else p.encode())))
    return got


def test_a_filter_change_keeps_the_map_and_sends_little(server: Server, page: Page) -> None:
    sizes = received(page)
    page.goto(server.url + "/?period=2022-H1&lang=en")
    frame = map_frame(page)
    wait_idle(page)
    loaded = sum(sizes)
    before = frame.evaluate("""() => { window.keptMark = 'kept'; map_div._keptMark = 'kept';
        const n = window.hotspotLayer.count; window.hotspotLayer.stale = true; return n; }""")
    sizes.clear()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Category", exact=True).click()
    page.get_by_role("option", name="Crime / drugs (1.7)", exact=True).click()
    page.keyboard.press("Escape")
    frame.wait_for_function("() => window.hotspotLayer && !window.hotspotLayer.stale", timeout=60_000)
    wait_idle(page)
    after = frame.evaluate("""() => ({mark: window.keptMark, map: map_div._keptMark, count: window.hotspotLayer.count,
        maps: document.querySelectorAll('.leaflet-container').length})""")
    assert after == {"mark": "kept", "map": "kept", "count": after["count"], "maps": 1}  # same document, same L.map
    assert 0 < after["count"] < before  # only the crime hotspots are drawn now
    rerun = sum(sizes)
    assert 0 < rerun <= RERUN_MAX_BYTES and rerun <= loaded, (rerun, loaded)


def test_a_filter_change_sends_the_overlay_and_only_a_reference_to_the_map(server: Server, page: Page) -> None:
    got = frames(page)
    page.goto(server.url + "/?period=2022-H1&lang=en")
    frame = map_frame(page)
    wait_idle(page)
    base_marker = b"window.hsOverlayHost = "  # in the map's own script only
    overlay_marker = b"feature_group_overlay_0"  # in the overlay's script only
    assert any(base_marker in f for f in got) and any(overlay_marker in f for f in got)
    map_bytes = max(len(f) for f in got if base_marker in f)
    frame.evaluate("() => { window.hotspotLayer.stale = true; }")
    got.clear()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Units (lagje)", exact=True).click()
    page.get_by_role("option", name="Unit no. 4", exact=True).click()
    page.keyboard.press("Escape")
    frame.wait_for_function("() => window.hotspotLayer && !window.hotspotLayer.stale", timeout=60_000)
    wait_idle(page)
    assert any(overlay_marker in f for f in got)  # the new overlay came
    assert not any(base_marker in f for f in got)  # the map did not come again
    assert sum(len(f) for f in got) < map_bytes  # the whole rerun is smaller than the map alone
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-container').length") == 1
