"""Staff add a hotspot by clicking the map; council members cannot reach the add page."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from hotspots.plan import units

from .conftest import ARTIFACTS, Server, map_frame, wait_session_cookie

pytestmark = pytest.mark.browser
TARGET = (41.1185, 20.0950)  # a point in the east of the city
NAME = "Shkallët e pallatit <b>7</b> — test"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("staff") / "staff.sqlite"
    srv = Server(db, env={"HOTSPOTS_ADMIN_PASSWORD": "admin-password-1"})
    for name, role in (("staff1", "staff"), ("council1", "council")):
        done = srv.cli("users", "add", name, "--role", role, input=f"{name}-password\n")
        assert done.returncode == 0, done.stderr
    yield srv
    srv.stop()


def login(page: Page, server: Server, name: str) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Emri i llogarisë").fill(name)
    page.get_by_label("Fjalëkalimi").fill(f"{name}-password")
    page.get_by_role("button", name="Hyr").click()
    expect(page.get_by_text(f"Llogaria: {name}", exact=False).first).to_be_visible(timeout=30_000)
    wait_session_cookie(page)


def click_map_at(page: Page, lat: float, lon: float) -> None:
    frame = map_frame(page)
    frame.wait_for_function("() => map_div._loaded")
    xy = frame.evaluate("([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
                        [lat, lon])
    frame.locator("#map_div").click(position={"x": xy[0], "y": xy[1]})


def test_staff_adds_a_hotspot_by_clicking_the_map(server: Server, page: Page) -> None:
    login(page, server, "staff1")
    # navigate inside the session (a reload starts a new, logged-out session)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Shto hotspot").click()
    page.get_by_role("heading", name="Shto hotspot").wait_for(timeout=30_000)
    click_map_at(page, *TARGET)
    expected_unit = units.unit_of_point(*TARGET)
    assert expected_unit is not None
    expect(page.get_by_text(f"Lagjja nr. {expected_unit}", exact=False).first).to_be_visible(timeout=30_000)
    page.get_by_label("Emri / përshkrimi i vendit").fill(NAME)
    page.get_by_role("button", name="Ruaj").click()
    expect(page.get_by_text("U ruajt hotspot-i H-1.7-10", exact=False)).to_be_visible(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "add_page.png"), full_page=True)

    exported = server.cli("export", "--format", "geojson")
    features = {f["properties"]["id"]: f for f in json.loads(exported.stdout)["features"]}
    new = features["H-1.7-10"]
    assert new["properties"]["name"] == NAME
    assert new["properties"]["unit"] == expected_unit and new["properties"]["unit_source"] == "spatial join"
    lon, lat = new["geometry"]["coordinates"]
    assert abs(lat - TARGET[0]) < 2e-4 and abs(lon - TARGET[1]) < 2e-4  # one screen pixel at this zoom
    history = server.cli("export", "--format", "csv")
    assert history.returncode == 0

    page.goto(server.url + "/?period=" + new["properties"]["period"])
    frame = map_frame(page)
    tooltips = frame.evaluate("() => window.hotspotLayer.points.getLayers().map(l => l.getTooltip().getContent())")
    assert any(t.startswith("H-1.7-10 · ") and "&lt;b&gt;7&lt;/b&gt;" in t for t in tooltips)


def test_council_is_not_offered_the_add_page_and_its_url_refuses(server: Server, page: Page) -> None:
    login(page, server, "council1")
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav).to_be_visible()
    assert "Shto hotspot" not in nav.inner_text()
    page.goto(server.url + "/add")  # the login survives the navigation (cookie); the page refuses
    expect(page.get_by_text("Roli juaj nuk e lejon këtë veprim.")).to_be_visible(timeout=30_000)
    assert page.get_by_label("Emri / përshkrimi i vendit").count() == 0
