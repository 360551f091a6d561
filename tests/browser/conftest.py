"""Real-browser fixtures: `streamlit run` on a free port, Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok`` (no fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout} s")


class Server:
    """A running `streamlit run app.py` (through hotspots.serve, as `make run`) with its own database."""

    def __init__(self, db: Path | str, env: dict[str, str] | None = None, *, log: Path | None = None) -> None:
        self.db = db  # a file, or a server database's URL (then ``log`` names the log file)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "HOTSPOTS_DB": str(db), "HOTSPOTS_BASEMAP": "none", **(env or {})}
        self.log = open(log or Path(db).with_suffix(".log"), "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hotspots.serve", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        wait_healthy(self.url, self.proc)

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "hotspots", "--db", str(self.db), *args], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, input=input, timeout=120)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        pg.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def map_frame(page: Page):  # type: ignore[no-untyped-def]
    """Return the st_folium iframe once its Leaflet map is there (polled)."""
    locator = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    locator.locator(".leaflet-container").wait_for(timeout=60_000)
    handle = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]')
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_function("() => window.hotspotLayer !== undefined && window.map_div !== undefined", timeout=60_000)
    return frame


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (its status widget is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def download(page: Page, button: str, attempts: int = 3) -> Path:
    """Click a download button once the app is idle and return the downloaded file.

    A click that lands while the script is still rerunning can be dropped by the
    frontend, so the click is retried a bounded number of times.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        wait_idle(page)
        try:
            with page.expect_download(timeout=15_000) as info:
                page.get_by_role("button", name=button).click()
            return Path(info.value.path())
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def wait_session_cookie(page: Page, timeout: float = 30.0) -> None:
    """Wait until the app has written its signed session cookie in the browser (polled)."""
    deadline = time.monotonic() + timeout
    while not any(c["name"] == "hotspots_session" and c["value"] for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise TimeoutError("no session cookie")
        page.wait_for_timeout(100)
