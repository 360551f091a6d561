"""Staff add a camera by clicking the map; the coverage of the station hotspot changes on the plan page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Frame, Page, expect

from .conftest import ARTIFACTS, Server, wait_idle

pytestmark = pytest.mark.browser
#: 30 m east of the train station (hotspot H-1.7-04, an exact point: its 50 m disc is measured).
TARGET = (41.1050, 20.07506)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("cameras") / "cameras.sqlite"
    srv = Server(db, env={"HOTSPOTS_ADMIN_PASSWORD": "admin-password-1"})
    done = srv.cli("users", "add", "staff1", "--role", "staff", input="staff1-password\n")
    assert done.returncode == 0, done.stderr
    yield srv
    srv.stop()


def _camera_frame(page: Page) -> Frame:
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(".leaflet-container").wait_for(timeout=60_000)
    frame = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
    assert frame is not None
    frame.wait_for_function("() => window.map_div !== undefined && map_div._loaded", timeout=60_000)
    return frame


def _coverage_grids(page: Page):  # type: ignore[no-untyped-def]
    """Return the plan page's coverage tables (dataframes whose header has the share covered), in page order."""
    from hotspots.base.i18n import t

    header = page.locator('[role="row"]', has_text=t("col_share", "sq"))
    return page.locator('[data-testid="stDataFrame"]').filter(has=header)


def _station_row(page: Page) -> str:
    """Return the text of the station's row in the plan page's coverage table (in the expander)."""
    page.get_by_text("Mbulimi i çdo zone të nxehtë dhe sipas lagjes").click()
    row = _coverage_grids(page).last.locator('[role="row"]', has_text="H-1.7-04")  # the grid's accessible rows
    row.wait_for(state="attached", timeout=30_000)
    return str(row.text_content())


def test_staff_add_a_camera_by_clicking_and_the_plan_page_coverage_changes(server: Server, page: Page) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Emri i llogarisë").fill("staff1")
    page.get_by_label("Fjalëkalimi").fill("staff1-password")
    page.get_by_role("button", name="Hyr").click()
    expect(page.get_by_text("Llogaria: staff1", exact=False).first).to_be_visible(timeout=30_000)
    nav = page.locator('[data-testid="stSidebarNav"]')

    nav.get_by_text("Plani", exact=True).click()
    page.get_by_role("heading", name="Plani", exact=True).wait_for(timeout=30_000)
    without = _coverage_grids(page).first
    expect(without).to_contain_text("H-1.7-04", timeout=30_000)  # no working camera yet
    assert "e pambuluar" in _station_row(page)

    nav.get_by_text("Kamerat", exact=True).click()
    page.get_by_role("heading", name="Kamerat", exact=True).wait_for(timeout=30_000)
    frame = _camera_frame(page)
    xy = frame.evaluate("([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
                        list(TARGET))
    frame.locator("#map_div").click(position={"x": xy[0], "y": xy[1]})
    expect(page.get_by_text("Pika e zgjedhur:", exact=False)).to_be_visible(timeout=30_000)
    wait_idle(page)
    lat = float(page.get_by_label("Gjerësia", exact=False).first.input_value())
    assert abs(lat - TARGET[0]) < 2e-4
    page.locator('[data-testid="stForm"]').first.get_by_role("button", name="Ruaj").click()
    expect(page.get_by_text("U ruajt kamera C-01.")).to_be_visible(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cameras_page.png"), full_page=True)

    nav.get_by_text("Plani", exact=True).click()
    page.get_by_role("heading", name="Plani", exact=True).wait_for(timeout=30_000)
    wait_idle(page)
    after = _station_row(page)
    assert "e pambuluar" not in after and ("pjesërisht" in after or "e mbuluar" in after)
    exported = server.cli("cameras", "export")
    assert '"C-01"' in exported.stdout and '"working"' in exported.stdout
