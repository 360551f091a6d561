"""Several staff saving at the same moment lose nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hotspots.plan.store import Store

ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import sys
from hotspots.plan import editing
from hotspots.plan.store import Store
store = Store(sys.argv[1])
k = int(sys.argv[2])
for i in range(250):
    editing.add_point_hotspot(store, name=f"proc {k} hotspot {i}", category="crime" if i % 2 else "street_children",
                              lat=41.100 + (i % 50) * 0.0004, lon=20.070 + k * 0.005 + (i // 50) * 0.0006,
                              period="2022-H2", author=f"staff{k}")
"""


def test_processes_adding_250_hotspots_each(backend_url: str) -> None:
    """4 processes on SQLite (one office), 8 on PostGIS (many users): every add kept, ids unique."""
    store = Store(backend_url)
    store.init(author="test")
    workers = 8 if "postgresql" in backend_url else 4
    before_hotspots, before_history = store.count("hotspots"), store.count("history")
    store.dispose()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, backend_url, str(k)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for k in range(workers)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    total = 250 * workers
    assert store.count("hotspots") - before_hotspots == total
    assert store.count("history") - before_history == total
    assert store.count("observations") == 14 + total
    ids = store.hotspots(period="2022-H2")["id"]
    assert ids.is_unique and len(ids) == total
    authors = store.history().iloc[:total]["author"].value_counts().to_dict()
    assert authors == {f"staff{k}": 250 for k in range(workers)}
