"""Staff amend the plan in the browser: an activity added at a council meeting, in force from the next period."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from hotspots.plan import versions
from hotspots.plan.store import Store

from .conftest import ARTIFACTS, Server, wait_idle
from .test_staff_browser import login

pytestmark = pytest.mark.browser
TEXT = "Ndriçimi i rrugëve <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("amend") / "amend.sqlite"
    srv = Server(db, env={"HOTSPOTS_ADMIN_PASSWORD": "admin-password-1", "HOTSPOTS_TODAY": "2023-02-01"})
    done = srv.cli("users", "add", "staff1", "--role", "staff", input="staff1-password\n")
    assert done.returncode == 0, done.stderr
    yield srv
    srv.stop()


def _choose(page: Page, label: str, option: str) -> None:
    """Choose ``option`` of a select box as a user does: open it, type to filter, take the one shown."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_role("option")).to_have_count(0)  # closed


def test_staff_add_an_activity_for_the_next_period_and_the_plan_shows_it_there(
        server: Server, page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, server, "staff1")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Plani", exact=True).click()
    page.get_by_role("heading", name="Plani", exact=True).wait_for(timeout=30_000)
    page.get_by_text("Ndrysho planin (vendim i këshillit)").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Regjistro ndryshimin")
    _choose(page, "Ndryshimi", "Shtohet aktiviteti")
    form.get_by_label("Numri i problemit ose i aktivitetit").fill("1.7")
    form.get_by_label("Teksti (shqip)").fill(TEXT)
    _choose(page, "Në fuqi nga periudha", "2023-H2")
    form.get_by_label("Mbledhja e këshillit").fill("KVSP, mbledhja e 20 janarit 2023")
    form.get_by_role("button", name="Regjistro ndryshimin").click()
    expect(page.get_by_text("Ndryshimi i 1.7 u regjistrua, në fuqi nga 2023-H2.")).to_be_visible(timeout=30_000)
    wait_idle(page)

    header = page.locator('[role="row"]', has_text="Mbledhja e këshillit")
    grid = page.locator('[data-testid="stDataFrame"]').filter(has=header)
    row = grid.last.locator('[role="row"]', has_text="Shtohet aktiviteti")
    row.wait_for(state="attached", timeout=30_000)
    assert "KVSP, mbledhja e 20 janarit 2023" in str(row.text_content())  # the grid draws the columns in view

    monkeypatch.setenv("HOTSPOTS_TODAY", "2023-02-01")  # this process reads the store with the server's today
    [change] = versions.changes(Store(server.db))
    assert (change.action, change.target, change.effective_period, change.created_by, change.payload["sq"]) == (
        "add_activity", "1.7", "2023-H2", "staff1", TEXT)
    assert [a.id for a in versions.plan_for(Store(server.db), "2023-H2").problem("1.7").activities][-1] == "1.7.6"

    _choose(page, "Periudha e rishikimit", "2023-H2")
    expect(page.get_by_text("ndryshime në fuqi: 1", exact=False)).to_be_visible(timeout=30_000)
    page.get_by_text("1.7 · ", exact=False).first.click()
    expect(page.get_by_text("Ndryshuar nga: KVSP, mbledhja e 20 janarit 2023 (2023-02-01)")).to_be_visible()
    activity = page.locator('[data-testid="stDataFrame"] [role="row"]', has_text="1.7.6")
    activity.first.wait_for(state="attached", timeout=30_000)
    assert "Ndriçimi i rrugëve" in str(activity.first.text_content())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan_amend.png"), full_page=True)
    assert dialogs == []  # the text stayed text: no script ran
