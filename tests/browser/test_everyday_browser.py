"""Issue 9 in a real browser: styles true to the legend, and the map on a 390×844 phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from .conftest import ARTIFACTS, Server, map_frame, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("everyday") / "everyday.sqlite"
    srv = Server(db)
    yield srv
    srv.stop()


def test_a_zone_is_drawn_as_the_legend_says(server: Server, page: Page) -> None:
    page.goto(server.url + "/?period=2022-H1&lang=en")
    frame = map_frame(page)
    got = frame.evaluate("""() => {
        const zone = window.hotspotLayer.byId['H-1.7-05'];      // an approximate crime zone
        const street = window.hotspotLayer.byId['H-1.10-02'];   // an approximate street-children street
        const exactZone = window.hotspotLayer.byId['H-1.10-03']; // a street-children zone at a landmark
        const rect = name => document.querySelector('svg[data-legend="' + name + '"] rect');
        return {
            zone: [zone.options.color, zone.options.dashArray, map_div.hasLayer(zone)],
            street: [street.options.color, street.options.dashArray],
            exactZone: [exactZone.options.color, exactZone.options.dashArray],
            crime: rect('cat-crime').getAttribute('stroke'),
            children: rect('cat-street_children').getAttribute('stroke'),
            approxDash: rect('approximate').getAttribute('stroke-dasharray'),
            exactDash: rect('exact').getAttribute('stroke-dasharray'),
        };
    }""")
    assert got["zone"] == [got["crime"], got["approxDash"], True]
    assert got["street"] == [got["children"], got["approxDash"]]
    assert got["exactZone"] == [got["children"], got["exactDash"]] and got["exactDash"] is None
    assert got["crime"] != got["children"] and got["approxDash"]


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    yield context.new_page()
    context.close()


def _topmost_in_page(page: Page, frame_box: dict[str, float], inner: dict[str, float]) -> bool:
    """Return whether the page's topmost element at an iframe point is the map's iframe itself."""
    x, y = frame_box["x"] + inner["x"] + inner["width"] / 2, frame_box["y"] + inner["y"] + inner["height"] / 2
    return bool(page.evaluate("""([x, y]) => {
        const hit = document.elementFromPoint(x, y);
        return hit !== null && hit.tagName === 'IFRAME' && hit.title === 'streamlit_folium.st_folium';
    }""", [x, y]))


def test_phone_zoom_legend_and_popup_work(server: Server, phone: Page) -> None:
    phone.goto(server.url + "/?period=2022-H1")
    wait_idle(phone)
    frame = map_frame(phone)
    frame.wait_for_function("() => map_div._loaded")
    iframe = phone.locator('iframe[title="streamlit_folium.st_folium"]')
    iframe.evaluate("e => e.scrollIntoView({block: 'center'})")  # as a user scrolls to the map
    box = iframe.bounding_box()
    assert box is not None
    zoom = frame.evaluate("""() => {
        const r = document.querySelector('.leaflet-control-zoom-in').getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return {x: r.x, y: r.y, width: r.width, height: r.height,
                onTop: hit !== null && hit.closest('.leaflet-control-zoom-in') !== null,
                legendOpen: document.querySelector('.hs-legend-box').open};
    }""")
    assert zoom["onTop"] and _topmost_in_page(phone, box, zoom)  # nothing of the map or the page covers it
    assert zoom["legendOpen"] is False  # the legend starts folded on a phone
    frame.locator(".hs-legend-box summary").click()
    assert frame.evaluate("() => document.querySelector('.hs-legend-box').open")
    before = frame.evaluate("() => map_div.getZoom()")
    # a person's second tap comes a moment after the first: two taps inside Leaflet's touch
    # double-tap window (200 ms) are one gesture, and the test must not tap faster than a hand
    phone.wait_for_timeout(600)
    phone.mouse.click(box["x"] + zoom["x"] + zoom["width"] / 2, box["y"] + zoom["y"] + zoom["height"] / 2)
    frame.wait_for_function(f"() => map_div.getZoom() > {before} && !map_div._animatingZoom")
    # a popup opens; its close button is the topmost element at its place, and a click there closes it
    frame.evaluate("() => window.hotspotLayer.byId['H-1.7-04'].openPopup()")
    frame.wait_for_function("""() => {
        const r = document.querySelector('.leaflet-popup-close-button').getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return hit !== null && hit.closest('.leaflet-popup-close-button') !== null;
    }""", timeout=10_000)  # polled: the map pans the popup into view
    close = frame.evaluate("""() => {
        const r = document.querySelector('.leaflet-popup-close-button').getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return {x: r.x, y: r.y, width: r.width, height: r.height,
                onTop: hit !== null && hit.closest('.leaflet-popup-close-button') !== null};
    }""")
    assert close["onTop"] and _topmost_in_page(phone, box, close), close
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "phone_map_popup.png"))
    phone.mouse.click(box["x"] + close["x"] + close["width"] / 2, box["y"] + close["y"] + close["height"] / 2)
    frame.wait_for_function("() => document.querySelector('.leaflet-popup') === null")


def test_export_names_carry_the_filters_and_print_hides_the_sidebar(server: Server, page: Page) -> None:
    page.goto(server.url + "/?period=2022-H1&unit=6&category=crime&lang=en")
    map_frame(page)
    wait_idle(page)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="CSV", exact=True).click()
    assert info.value.suggested_filename == "hotspots_2022-H1_crime_units-6.csv"
    page.emulate_media(media="print")
    assert page.locator('[data-testid="stSidebar"]').evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator('iframe[title="streamlit_folium.st_folium"]').is_visible()


def test_an_mbtiles_basemap_is_served_by_the_app(tmp_path_factory: pytest.TempPathFactory, page: Page) -> None:
    import urllib.request

    from hotspots.maps import basemap

    from ..test_basemap import PNG, make_mbtiles

    folder = tmp_path_factory.mktemp("tiles")
    path = make_mbtiles(folder / "elbasan.mbtiles")
    srv = Server(folder / "tiles.sqlite", env={"HOTSPOTS_BASEMAP": str(path)})
    try:
        source = basemap.tile_source(str(path))
        assert source is not None
        url = srv.url + source.url.replace("{z}/{x}/{y}", f"14/9105/{2**14 - 1 - 10130}")
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.read() == PNG and resp.headers["Content-Type"] == "image/png"
        page.goto(srv.url + "/?period=2022-H1")
        frame = map_frame(page)
        assert source.url in frame.evaluate(
            "() => Object.values(map_div._layers).filter(l => l._url).map(l => l._url).join(' ')")
    finally:
        srv.stop()
        import shutil

        shutil.rmtree(basemap.local_folder(path), ignore_errors=True)
