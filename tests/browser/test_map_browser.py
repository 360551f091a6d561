"""The map page in a real browser, with no internet: Leaflet, layers, escaping."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from .conftest import ARTIFACTS, Server, download, map_frame

pytestmark = pytest.mark.browser
HOSTILE = "<img src=x onerror=alert(1)>\"'`\\ Zona"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("browser") / "map.sqlite"
    from hotspots.plan.records import point_record
    from hotspots.plan.store import Store

    store = Store(db)
    store.init(author="test")
    store.write_records([point_record(name=HOSTILE, category="crime", lat=41.1100, lon=20.0860,
                                      period="2022-H1", notes=HOSTILE)], author="test")
    store.dispose()
    srv = Server(db)
    yield srv
    srv.stop()


def test_map_page_offline_draws_hotspots_units_and_stays_inert(server: Server, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    page.goto(server.url + "/?period=2022-H1")
    frame = map_frame(page)
    drawn = frame.evaluate("""() => ({
        hotspots: window.hotspotLayer.points.getLayers().length + window.hotspotLayer.shapes.getLayers().length,
        onMap: window.hotspotLayer.points.getLayers().filter(l => map_div.hasLayer(l)).length,
        units: Object.values(map_div._layers).filter(l => l.feature && l.feature.properties
                                                       && l.feature.properties.unit !== undefined).length,
        leaflet: typeof L.version === 'string' ? L.version : null,
    })""")
    assert drawn == {"hotspots": 7, "onMap": 4, "units": 6, "leaflet": "1.9.4"}  # 6 baseline + 1 hostile
    # open every popup and tooltip: the hostile name must show as text and run nothing
    texts = frame.evaluate("""() => {
        const out = [];
        window.hotspotLayer.points.eachLayer(l => {
            l.openTooltip(); out.push(l.getTooltip().getElement().textContent);
            l.openPopup(); out.push(l.getPopup().getElement().textContent);
        });
        return out;
    }""")
    assert any("<img src=x onerror=alert(1)>" in t for t in texts)
    assert frame.locator(".leaflet-popup-content img").count() == 0
    page.wait_for_timeout(500)  # give a would-be onerror handler its chance to fire (not a readiness wait)
    assert dialogs == []
    assert external == [], external
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map_page.png"), full_page=True)


def test_filters_in_the_url_give_the_same_view(server: Server, page: Page) -> None:
    page.goto(server.url + "/?period=2022-H1&unit=6&category=crime&lang=en")
    frame = map_frame(page)
    page.get_by_text("3 hotspots in view", exact=False).wait_for(timeout=30_000)
    assert frame.evaluate("() => window.hotspotLayer.count") == 0  # the three unit-6 crime hotspots are unlocated
    page.get_by_text("Needs a location").wait_for()
    features = json.loads(download(page, "GeoJSON").read_text(encoding="utf-8"))["features"]
    assert sorted(f["properties"]["id"] for f in features) == ["H-1.7-07", "H-1.7-08", "H-1.7-09"]  # exactly the view
    assert all("notes" not in f["properties"] for f in features)  # a visitor's export has no internal notes
