"""An analyst imports the example incidents on the page and sees points; a council member sees cells only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from hotspots.incidents import example

from .conftest import ARTIFACTS, Server, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("incidents") / "incidents.sqlite"
    srv = Server(db, env={"HOTSPOTS_ADMIN_PASSWORD": "admin-password-1"})
    for name, role in (("analyst1", "analyst"), ("council1", "council")):
        done = srv.cli("users", "add", name, "--role", role, input=f"{name}-password\n")
        assert done.returncode == 0, done.stderr
    yield srv
    srv.stop()


def open_incidents(page: Page, server: Server, name: str) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Emri i llogarisë").fill(name)
    page.get_by_label("Fjalëkalimi").fill(f"{name}-password")
    page.get_by_role("button", name="Hyr").click()
    expect(page.get_by_text(f"Llogaria: {name}", exact=False).first).to_be_visible(timeout=30_000)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Ngjarjet").click()
    page.get_by_role("heading", name="Ngjarjet").wait_for(timeout=30_000)


def incident_layer(page: Page) -> dict[str, Any]:
    """Return the incident layer the map's own script registered (polled, no sleep)."""
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(".leaflet-container").wait_for(timeout=60_000)
    frame = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    assert frame is not None
    frame.wait_for_function("() => window.incidentLayer !== undefined", timeout=60_000)
    info = frame.evaluate("""() => ({kind: window.incidentLayer.kind, count: window.incidentLayer.count,
        circles: Object.values(map_div._layers).filter(l => l instanceof L.CircleMarker).length,
        canvas: document.querySelectorAll('canvas.hs-incident-canvas').length,
        tip: window.incidentLayer.tooltip ? window.incidentLayer.tooltip(0) : '',
        polygons: Object.values(map_div._layers).filter(l => l instanceof L.Polygon).length,
        html: document.documentElement.outerHTML})""")
    return dict(info)


def test_analyst_imports_the_example_and_sees_points_council_sees_cells(server: Server, page: Page) -> None:
    open_incidents(page, server, "analyst1")
    page.locator('input[type="file"]').first.set_input_files(str(example.EXAMPLE_FILE))
    page.get_by_text("Të dhëna shembull (trajnim)").click()
    wait_idle(page)
    page.get_by_role("button", name="Importo").click()
    expect(page.get_by_text("U importuan 974 ngjarje të reja", exact=False)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("SHEMBULL: ngjarje të shpikura", exact=False).first).to_be_visible(timeout=30_000)
    frame = example.generate()
    placed = int(((frame["gjeresia"] != "") | ((frame["adresa"] != "") & ~frame["adresa"].str.startswith("Rruga pa emër"))).sum())
    analyst = incident_layer(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "incidents_analyst.png"), full_page=True)
    assert analyst["kind"] == "points" and analyst["count"] == placed and analyst["canvas"] == 1 and " · 20" in analyst["tip"]
    map_frame = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    assert map_frame is not None
    hovered = map_frame.evaluate("""() => {  // the mouse over the first incident drawn on screen: its tooltip, built then
        const l = window.incidentLayer.layer, size = map_div.getSize();
        let i = 0;
        while (i < l._x.length && !(l._x[i] > 0 && l._y[i] > 0 && l._x[i] < size.x && l._y[i] < size.y)) { i++; }
        const at = L.point(l._x[i], l._y[i]);
        map_div.fire('mousemove', {containerPoint: at, latlng: map_div.containerPointToLatLng(at)});
        const tip = document.querySelector('.leaflet-tooltip');
        return {expected: window.incidentLayer.tooltip(i), shown: tip ? tip.textContent : null};
    }""")
    assert hovered["shown"] and hovered["shown"] == hovered["expected"]

    council_page = page.context.browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()  # type: ignore[union-attr]
    try:
        open_incidents(council_page, server, "council1")
        assert council_page.locator('input[type="file"]').count() == 0
        council = incident_layer(council_page)
        council_page.screenshot(path=str(ARTIFACTS / "incidents_council.png"), full_page=True)
        assert council["kind"] == "cells" and council["count"] > 0 and council["circles"] == 0 and council["canvas"] == 0
        assert council["polygons"] >= council["count"] and "SHEMBULL" not in council["html"]
        expect(council_page.get_by_text("Numrat nën 5 shfaqen si", exact=False).first).to_be_visible()
    finally:
        council_page.context.close()
