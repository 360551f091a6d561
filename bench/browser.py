"""The map page in Chromium through the real app: what a user waits for, not what the server builds.

For each store (the plan's 14 hotspots; + 1,000; + 10,000; + 100,000 incidents; + 10,000
hotspots and 100,000 incidents) a fresh ``python -m hotspots.serve`` on a free port, an
analyst logged in (incident points shown), and, medians of ``--repeat`` loads:

- ``ready``: navigation to the hotspots drawn in the ``st_folium`` iframe (its
  ``window.hotspotLayer``; with incidents also ``window.incidentLayer``);
- ``ws MB``: bytes over the websocket per load (frames both ways, ``page.on("websocket")``),
  and ``http MB``: the bodies of the app's other responses (vendor scripts excluded: cached);
- ``rerun``: one filter change in the sidebar (the category "crime" chosen, then units 1, 2, …
  added: each a new view) until the new hotspots are drawn, with its websocket bytes;
- ``RSS 1`` / ``RSS 5``: the server's resident memory after the first session's load, and
  with five sessions open at once.

Every figure is also given as a ratio against the 14-hotspot store of the same run.

The stores are written once into ``--data`` (a temporary folder by default, never the
repository; give a folder to reuse them between runs):

    .venv/bin/python bench/browser.py [--repeat 3] [--data /tmp/hs-bench] [--only 14,10k]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench.backends as synthetic  # noqa: E402
from bench.incidents import incident_frame  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server, wait_session_cookie  # noqa: E402

ANALYST, PASSWORD = "bench-analyst", "bench-analyst-password"
ENV = {"HOTSPOTS_ADMIN_PASSWORD": "bench-admin-password", "HOTSPOTS_SECRET_KEY": "b" * 48,
       "HOTSPOTS_TODAY": "2024-06-30"}
PERIOD = "2022-H1"
MAP_URL = f"/?period={PERIOD}&lang=en"
#: name: (extra hotspots, incidents)
STORES: dict[str, tuple[int, int]] = {"14": (0, 0), "1k": (1_000, 0), "10k": (10_000, 0),
                                      "14+100k inc": (0, 100_000), "10k+100k inc": (10_000, 100_000)}
FRAME = 'document.querySelector(\'iframe[title="streamlit_folium.st_folium"]\')'
READY_JS = f"""(needIncidents) => {{
    const f = {FRAME};
    const w = f && f.contentWindow;
    if (!w || !w.hotspotLayer || w.hotspotLayer.stale) return false;
    if (needIncidents && !w.incidentLayer) return false;
    return !document.querySelector('[data-testid="stStatusWidget"]');
}}"""


def build_store(path: Path, extra: int, incidents: int) -> None:
    """Write one store: the baseline, ``extra`` synthetic hotspots, ``incidents`` police records, an analyst."""
    from hotspots.incidents import importing
    from hotspots.plan.store import Store

    store = Store(path)
    store.init(author="bench")
    if extra:
        synthetic.PERIOD = PERIOD  # the baseline's period: all hotspots are drawn together
        store.write_records(synthetic.records(extra), author="bench", reject_duplicates=False)
    if incidents:
        csv = path.with_suffix(".csv")
        incident_frame(incidents).to_csv(csv, sep=";", index=False)
        importing.import_file(store, csv, author="bench")
        csv.unlink()
    store.dispose()
    done = subprocess.run([sys.executable, "-m", "hotspots", "--db", str(path), "users", "add", ANALYST,
                           "--role", "analyst"], input=f"{PASSWORD}\n", text=True, capture_output=True,
                          cwd=ROOT, env={**os.environ, **ENV}, timeout=300)
    assert done.returncode == 0, done.stderr


def rss_mb(pid: int) -> float:
    """Return the resident memory of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class Traffic:
    """Bytes over the page's websockets (both ways) and in the app's own HTTP responses."""

    def __init__(self, page: Any) -> None:
        self.ws = 0
        self.http = 0
        page.on("websocket", self._socket)
        page.on("requestfinished", self._request)

    def _socket(self, ws: Any) -> None:
        ws.on("framereceived", self._frame)
        ws.on("framesent", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        self.ws += len(payload.encode() if isinstance(payload, str) else payload)

    def _request(self, request: Any) -> None:
        if "/static/vendor/" not in request.url:
            try:
                self.http += max(0, int(request.sizes()["responseBodySize"]))
            except Exception:  # a request of a closed page
                pass

    def reset(self) -> tuple[float, float]:
        """Return the MB counted since the last reset (websocket, HTTP) and start again."""
        out = (self.ws / 1e6, self.http / 1e6)
        self.ws = self.http = 0
        return out


def login(context: Any, url: str) -> None:
    """Log the analyst in once in ``context`` (the cookie keeps it for every later page)."""
    page = context.new_page()
    page.goto(url + "/login")
    page.get_by_label("Emri i llogarisë").fill(ANALYST)
    page.get_by_label("Fjalëkalimi").fill(PASSWORD)
    page.get_by_role("button", name="Hyr").click()
    page.get_by_text(f"Llogaria: {ANALYST}", exact=False).first.wait_for(timeout=60_000)
    wait_session_cookie(page, timeout=60)  # written by a script of the page: closing before it ran logs nobody in
    page.close()


def load(page: Any, url: str, incidents: bool, timeout: float) -> tuple[float, int]:
    """Open the map page; return the seconds to the hotspots drawn and how many were drawn."""
    start = time.perf_counter()
    page.goto(url + MAP_URL)
    page.wait_for_function(READY_JS, arg=incidents, timeout=timeout * 1000, polling=50)
    took = time.perf_counter() - start
    page.get_by_text(f"Account: {ANALYST}", exact=False).first.wait_for(timeout=5_000)  # measured as the analyst
    return took, int(page.evaluate(f"() => {FRAME}.contentWindow.hotspotLayer.count"))


def choose(page: Any, label: str, option: str) -> None:
    """Choose ``option`` in the sidebar's multiselect ``label`` (one rerun)."""
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def rerun(page: Any, step: int, incidents: bool, timeout: float) -> float:
    """Change one filter and return the seconds until the new hotspots are drawn.

    Step 0 chooses the category "crime", step k adds unit k: every step is a view not seen
    before (going back to an earlier one could be served from what the browser kept).
    """
    page.evaluate(f"() => {{ {FRAME}.contentWindow.hotspotLayer.stale = true; }}")
    start = time.perf_counter()
    if step == 0:
        choose(page, "Category", "Crime / drugs (1.7)")
    else:
        choose(page, "Units (lagje)", f"Unit no. {step}")
    page.wait_for_function(READY_JS, arg=incidents, timeout=timeout * 1000, polling=50)
    return time.perf_counter() - start


@contextmanager
def server_for(db: Path) -> Iterator[Server]:
    """Run a fresh app server on ``db`` (stopped on exit)."""
    srv = Server(db, env=ENV, log=db.with_suffix(".serve.log"))
    try:
        yield srv
    finally:
        srv.stop()


def measure(browser: Any, db: Path, incidents: bool, repeat: int, timeout: float) -> dict[str, Any]:
    """Return the medians of one store (a fresh server)."""
    with server_for(db) as srv:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        login(context, srv.url)
        page = context.new_page()
        traffic = Traffic(page)
        first, count = load(page, srv.url, incidents, timeout)  # cold caches: reported apart
        first_ws = traffic.reset()
        rss1 = rss_mb(srv.proc.pid)
        loads, ws, http = [], [], []
        for _ in range(repeat):
            took, count = load(page, srv.url, incidents, timeout)
            loads.append(took)
            w, h = traffic.reset()
            ws.append(w)
            http.append(h)
        reruns, rerun_ws = [], []
        for i in range(min(repeat * 2, 7)):
            reruns.append(rerun(page, i, incidents, timeout))
            rerun_ws.append(traffic.reset()[0])
        others = []
        for _ in range(4):
            other = context.new_page()
            other.goto(srv.url + MAP_URL)
            others.append(other)
        for other in others:
            other.wait_for_function(READY_JS, arg=incidents, timeout=timeout * 1000 * 5, polling=200)
        rss5 = rss_mb(srv.proc.pid)
        context.close()
    med = statistics.median
    return {"count": count, "first": first, "first_ws": first_ws[0], "ready": med(loads), "ws": med(ws),
            "http": med(http), "rerun": med(reruns), "rerun_ws": med(rerun_ws), "rss1": rss1, "rss5": rss5}


def table(results: dict[str, dict[str, Any]]) -> None:
    """Print the figures and their ratios against the 14-hotspot store."""
    keys = [("ready", "ready s"), ("ws", "ws MB"), ("http", "http MB"), ("rerun", "rerun s"),
            ("rerun_ws", "rerun ws MB"), ("rss1", "RSS 1 MB"), ("rss5", "RSS 5 MB")]
    print(f"{'store':>13} {'drawn':>6} {'1st s':>6} " + " ".join(f"{h:>11}" for _, h in keys))
    for name, row in results.items():
        print(f"{name:>13} {row['count']:>6} {row['first']:>6.2f} " + " ".join(f"{row[k]:>11.3f}" for k, _ in keys))
    base = results.get("14")
    if base:
        print("ratios against the 14-hotspot store (same run):")
        for name, row in results.items():
            print(f"{name:>13} " + " ".join(f"{k} {row[k] / base[k]:.2f}x" for k, _ in keys if base[k]))


def main(argv: list[str] | None = None) -> None:
    """Build the stores (once) and measure each."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None, help="folder for the stores (reused); default a temp folder")
    parser.add_argument("--only", default=",".join(STORES), help="comma-separated store names")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds a load may take")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        dbs = {}
        for name in names:
            extra, incidents = STORES[name]
            dbs[name] = folder / f"store-{extra}-{incidents}.sqlite"
            if not dbs[name].exists():
                started = time.perf_counter()
                build_store(dbs[name], extra, incidents)
                print(f"built {name} in {time.perf_counter() - started:.1f} s", flush=True)
        results = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name in names:
                try:
                    results[name] = measure(browser, dbs[name], STORES[name][1] > 0, args.repeat, args.timeout)
                except PlaywrightTimeout:
                    print(f"{name}: a load or rerun took longer than {args.timeout:.0f} s; not measured", flush=True)
                    continue
                print(name, {k: round(v, 3) for k, v in results[name].items()}, f"load {os.getloadavg()[0]:.1f}",
                      flush=True)
            browser.close()
        table(results)


if __name__ == "__main__":
    main()
