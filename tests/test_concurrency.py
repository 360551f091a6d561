"""Several staff saving at the same moment lose nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hotspots.store import Store

ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import sys
from hotspots import editing
from hotspots.store import Store
store = Store(sys.argv[1])
k = int(sys.argv[2])
for i in range(250):
    editing.add_point_hotspot(store, name=f"proc {k} hotspot {i}", category="crime" if i % 2 else "street_children",
                              lat=41.100 + (i % 50) * 0.0004, lon=20.070 + k * 0.005 + (i // 50) * 0.0006,
                              period="2022-H2", author=f"staff{k}")
"""


def test_four_processes_adding_250_hotspots_each(store: Store, db_path: Path) -> None:
    before_hotspots, before_history = store.count("hotspots"), store.count("history")
    store.dispose()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(db_path), str(k)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for k in range(4)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert store.count("hotspots") - before_hotspots == 1000
    assert store.count("history") - before_history == 1000
    assert store.count("observations") == 14 + 1000
    ids = store.hotspots(period="2022-H2")["id"]
    assert ids.is_unique and len(ids) == 1000
    authors = store.history().iloc[:1000]["author"].value_counts().to_dict()
    assert authors == {"staff0": 250, "staff1": 250, "staff2": 250, "staff3": 250}
