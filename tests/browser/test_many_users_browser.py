"""Many users: two app processes on one PostGIS database behind nginx (deploy/nginx.conf as written).

A staff member's browser is bound to one process, an analyst's to the other; what the staff
member saves shows in the analyst's page at its next rerun.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import ARTIFACTS, ROOT, Server, free_port, wait_idle

pytestmark = pytest.mark.browser
PASSWORD = "staff-many-users-1"
SECRET = "a-test-secret-shared-by-both-processes"


class Proxy:
    """nginx with deploy/nginx.conf copied byte for byte, and the two port files beside it."""

    def __init__(self, base: Path, upstreams: list[int]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (base / "tmp").mkdir(parents=True)
        shutil.copyfile(ROOT / "deploy" / "nginx.conf", base / "nginx.conf")
        self.url6 = f"http://[::1]:{self.port}"  # the same proxy, reached by a second client address
        (base / "hotspots-listen.conf").write_text(f"listen 127.0.0.1:{self.port};\nlisten [::1]:{self.port};\n")
        (base / "hotspots-upstreams.conf").write_text("".join(f"server 127.0.0.1:{p};\n" for p in upstreams))
        self.log = open(base / "nginx.log", "wb")
        self.proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(base),
                                      "-c", str(base / "nginx.conf")],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.node("probe")
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("nginx did not answer")

    def node(self, route: str) -> str:
        """Return the app process (host:port) that serves a browser with cookie ``hs_route=route``."""
        request = urllib.request.Request(self.url + "/_stcore/health", headers={"Cookie": f"hs_route={route}"})
        with urllib.request.urlopen(request, timeout=5) as resp:
            return str(resp.headers["X-Hotspots-Node"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()


@pytest.fixture(scope="module")
def deployment(pg_cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Proxy, list[Server]]]:
    base = tmp_path_factory.mktemp("many")
    url = pg_cluster.new_database()
    env = {"HOTSPOTS_SECRET_KEY": SECRET, "HOTSPOTS_ADMIN_PASSWORD": "admin-many-users-1", "HOTSPOTS_DB": url}
    cli = [sys.executable, "-m", "hotspots", "--db", url]
    for args, stdin in ((["db", "upgrade"], None), (["init"], None),
                        (["users", "add", "staffm", "--role", "staff"], PASSWORD + "\n")):
        done = subprocess.run([*cli, *args], cwd=ROOT, env={**__import__("os").environ, **env}, input=stdin,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    servers = [Server(url, env, log=base / f"app{k}.log") for k in range(2)]
    proxy = Proxy(base / "proxy", [s.port for s in servers])
    yield proxy, servers
    proxy.stop()
    for s in servers:
        s.stop()


def _route_to(proxy: Proxy, port: int) -> str:
    """Return a cookie value that nginx binds to the app process on ``port``."""
    for k in range(200):
        if proxy.node(f"r{k}").endswith(f":{port}"):
            return f"r{k}"
    raise AssertionError(f"no route reaches port {port}")


def _page_on(browser: Browser, proxy: Proxy, route: str, *, url: str | None = None) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([{"name": "hs_route", "value": route, "url": url or proxy.url}])
    return context.new_page()


def test_a_save_through_one_process_shows_in_the_other(deployment, browser: Browser) -> None:
    proxy, (one, other) = deployment
    staff = _page_on(browser, proxy, _route_to(proxy, one.port))
    analyst = _page_on(browser, proxy, _route_to(proxy, other.port))
    analyst.goto(proxy.url + "/review?lang=en")
    expect(analyst.get_by_text("Review 2022-H2: 0 of 14 hotspots reviewed", exact=False)).to_be_visible(timeout=60_000)

    staff.goto(proxy.url + "/login?lang=en")
    staff.get_by_label("Account name").fill("staffm")
    staff.get_by_label("Password", exact=True).fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    expect(staff.get_by_text("staffm", exact=False).first).to_be_visible(timeout=30_000)
    staff.wait_for_function("() => document.cookie.includes('hotspots_session=')", timeout=30_000)  # set by a component
    staff.goto(proxy.url + "/review?lang=en")  # a new page load: the signed cookie carries the login
    button = staff.get_by_role("button", name="Persists, no change").first
    expect(button).to_be_visible(timeout=60_000)
    wait_idle(staff)
    button.click()
    expect(staff.get_by_text("Review 2022-H2: 1 of 14 hotspots reviewed", exact=False)).to_be_visible(timeout=60_000)

    analyst.get_by_text("Shqip", exact=True).click()  # one rerun of the analyst's page, on the other process
    expect(analyst.get_by_text("Rishikimi 2022-H2: 1 nga 14 hotspote të rishikuar", exact=False)).to_be_visible(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    analyst.screenshot(path=str(ARTIFACTS / "many_users_analyst.png"))
    for page in (staff, analyst):
        page.context.close()


def _throttle(db: str) -> dict[str, int]:
    """Return the stored failure counts by throttle key (the app processes' shared table)."""
    import sqlalchemy as sa

    engine = sa.create_engine(db)
    try:
        with engine.connect() as conn:
            return {str(k): int(n) for k, n in conn.execute(sa.text("SELECT key, failures FROM login_throttle")).all()}
    finally:
        engine.dispose()


def _try_login(page: Page, name: str, password: str, expected: str, *, db: str, clients: int) -> None:
    """Submit the login form once; wait until the store counted it (``clients``: the clients' failures after it)."""
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    wait_idle(page)
    page.get_by_role("button", name="Log in").click()
    deadline = time.monotonic() + 30
    while sum(n for k, n in _throttle(db).items() if k.startswith("client:")) < clients:
        assert time.monotonic() < deadline, _throttle(db)
        time.sleep(0.2)
    expect(page.get_by_text(expected, exact=False).first).to_be_visible(timeout=30_000)
    wait_idle(page)


def test_failures_on_random_names_from_one_client_lock_that_client_not_the_admin(deployment, browser: Browser) -> None:
    """Behind nginx (deploy/nginx.conf as written) each browser is its own client.

    An anonymous visitor's 20 failures on random names throttle that visitor; the admin, in
    another browser, still logs in with the right password.
    """
    import secrets

    proxy, (one, _other) = deployment
    db = str(one.db)
    route = _route_to(proxy, one.port)
    visitor = _page_on(browser, proxy, route)  # comes to nginx from 127.0.0.1
    visitor.goto(proxy.url + "/login?lang=en")
    expect(visitor.get_by_label("Account name")).to_be_visible(timeout=60_000)
    for n in range(20):
        expected = "Too many wrong attempts" if n == 19 else "Wrong account name or password"
        _try_login(visitor, f"guess-{secrets.token_hex(4)}", "wrong-password-123", expected, db=db, clients=n + 1)
    # the visitor is throttled: even the admin's right password is refused from there, before any check
    visitor.get_by_label("Account name").fill("admin")
    visitor.get_by_label("Password", exact=True).fill("admin-many-users-1")
    wait_idle(visitor)
    visitor.get_by_role("button", name="Log in").click()
    expect(visitor.get_by_text("Try again in", exact=False).first).to_be_visible(timeout=30_000)
    wait_idle(visitor)
    expect(visitor.get_by_role("button", name="Log out")).to_have_count(0)

    admin = _page_on(browser, proxy, route, url=proxy.url6)  # another browser: comes to nginx from ::1
    admin.goto(proxy.url6 + "/login?lang=en")
    expect(admin.get_by_label("Account name")).to_be_visible(timeout=60_000)
    admin.get_by_label("Account name").fill("admin")
    admin.get_by_label("Password", exact=True).fill("admin-many-users-1")
    wait_idle(admin)
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_role("button", name="Log out")).to_be_visible(timeout=30_000)
    expect(admin.get_by_text("Too many wrong attempts")).to_have_count(0)

    keys = _throttle(db)
    assert keys.get("client:127.0.0.1") == 20 and "client:local" not in keys, keys
    assert "user:admin" not in keys, keys  # the admin's own count was never touched
    ARTIFACTS.mkdir(exist_ok=True)
    admin.screenshot(path=str(ARTIFACTS / "lockout_admin.png"))
    for page in (visitor, admin):
        page.context.close()
