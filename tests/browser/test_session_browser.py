"""A login that lasts (issue 9 item 2) and ends when the store says so (issue 10), in Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server, wait_idle

pytestmark = pytest.mark.browser
PASSWORD = "staff9-password"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("session") / "session.sqlite"
    srv = Server(db, env={"HOTSPOTS_ADMIN_PASSWORD": "admin-password-1"})
    done = srv.cli("users", "add", "staff9", "--role", "staff", input=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    yield srv
    srv.stop()


def _on_update_page(page: Page) -> None:
    expect(page.get_by_role("heading", name="Përditëso hotspot")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Llogaria: staff9", exact=False).first).to_be_visible()


def test_login_survives_reload_and_new_tab_and_ends_with_the_account(server: Server, page: Page) -> None:
    # a copied link to a staff page: the login form appears there, and the page follows
    page.goto(server.url + "/update")
    page.get_by_label("Emri i llogarisë").fill("staff9")
    page.get_by_label("Fjalëkalimi").fill(PASSWORD)
    page.get_by_role("button", name="Hyr").click()
    _on_update_page(page)
    assert page.url.startswith(server.url + "/update")
    page.wait_for_function("() => document.cookie.includes('hotspots_session=')", timeout=30_000)  # set by a component
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert PASSWORD not in cookies["hotspots_session"]["value"] and "staff9" not in cookies["hotspots_session"]["value"]

    page.reload()  # a reload is a new Streamlit session: the signed cookie carries the login
    _on_update_page(page)

    tab = page.context.new_page()  # a new tab with the copied link
    tab.goto(server.url + "/update")
    _on_update_page(tab)
    tab.close()

    # the account is removed while the tab is open: its next save is refused, nothing written
    page.get_by_text("Ndrysho tekstin").click()
    expect(page.get_by_label("Emri / përshkrimi i vendit")).to_be_visible(timeout=30_000)
    wait_idle(page)
    before = server.cli("export", "--format", "geojson").stdout
    assert server.cli("users", "remove", "staff9").returncode == 0
    page.get_by_role("button", name="Ruaj").click()
    expect(page.get_by_text("Seanca mbaroi", exact=False)).to_be_visible(timeout=30_000)
    expect(page.get_by_label("Fjalëkalimi")).to_be_visible()
    assert server.cli("export", "--format", "geojson").stdout == before
    page.reload()
    expect(page.get_by_label("Fjalëkalimi")).to_be_visible(timeout=30_000)  # the cookie is worthless now
