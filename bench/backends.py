"""SQLite against PostGIS in the same run: the map page's data load, per-unit counts, a bbox filter.

Starts a throwaway PostgreSQL + PostGIS cluster (as the tests do), writes the same N synthetic
hotspots into an SQLite file and a PostGIS database, and times, median of 5:

- ``load``: ``Store.hotspots(period=P)``, the GeoDataFrame the map page is built from;
- ``counts SQL``: ``Store.unit_counts`` (GROUP BY in the database), against ``counts pandas``,
  the same counts from the loaded frame (``views.active_counts_per_unit``);
- ``bbox``: ``Store.ids_in_bbox`` (PostGIS: the GiST-indexed geometry; SQLite: shapely on the WKT).

Then the same M incident records (``bench/incidents.py``'s synthetic police export, 10 % by
address) imported into both, and timed: the import, the incident load the map page makes
(``incidents.table.read``), and per-unit counts (pandas on the loaded frame, as the pages do).

    .venv/bin/python bench/backends.py 10000 100000
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.incidents import incident_frame  # noqa: E402
from hotspots.plan import views  # noqa: E402
from hotspots.incidents import counts, importing, table  # noqa: E402
from hotspots.plan.records import point_record  # noqa: E402
from hotspots.plan.store import Store  # noqa: E402
from tests import pgcluster  # noqa: E402

PERIOD = "2022-H2"


def records(n: int, seed: int = 11) -> list:
    """Return ``n`` point records spread over the city (reproducible)."""
    rng = np.random.default_rng(seed)
    lats, lons = rng.uniform(41.095, 41.125, n), rng.uniform(20.060, 20.110, n)
    return [point_record(name=f"Hotspot sintetik {i}", category="crime" if i % 3 else "street_children",
                         lat=float(lat), lon=float(lon), period=PERIOD, location_quality="approximate",
                         location_source="bench").with_id(f"B-{i:06d}")
            for i, (lat, lon) in enumerate(zip(lats, lons, strict=True))]


def median(fn: Callable[[], object], repeat: int = 5) -> float:
    """Return the median seconds of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_incidents(stores: dict[str, Store], m: int, tmp: Path) -> None:
    """Import ``m`` incidents into each store; time the import, the map's load, per-unit counts."""
    path = tmp / "cases.csv"
    incident_frame(m).to_csv(path, sep=";", index=False)
    print(f"\n{m:,} incidents (CSV, 10 % by address); import once, then medians of 5 runs (seconds)")
    print(f"{'backend':>8} {'import':>7} {'load':>7} {'per unit':>9}")
    results = {}
    for name, store in stores.items():
        start = time.perf_counter()
        report = importing.import_file(store, path, author="bench")
        imported = time.perf_counter() - start
        assert report.added > 0.95 * m, report.summary("en")
        loaded = table.read(store)
        row = {"import": imported, "load": median(lambda s=store: table.read(s)),
               "units": median(lambda f=loaded: counts.counts_by_unit(f))}
        results[name] = row
        print(f"{name:>8} {row['import']:>7.2f} {row['load']:>7.3f} {row['units']:>9.4f}")
        store.dispose()
    ratio = {k: results["PostGIS"][k] / results["SQLite"][k] for k in results["SQLite"]}
    print("PostGIS / SQLite: " + ", ".join(f"{k} {v:.2f}x" for k, v in ratio.items()))


def main(n: int, m: int = 0) -> None:
    """Time SQLite against PostGIS with ``n`` hotspots, then ``m`` incident records (0: skipped)."""
    cluster = pgcluster.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            stores = {"SQLite": Store(Path(tmp) / "bench.sqlite"), "PostGIS": Store(cluster.new_database())}
            data = records(n)
            print(f"{n} hotspots in period {PERIOD}; medians of 5 runs (seconds)")
            print(f"{'backend':>8} {'write':>7} {'load':>7} {'counts SQL':>11} {'counts pandas':>14} {'bbox':>7} {'in bbox':>8}")
            results = {}
            for name, store in stores.items():
                store.init(author="bench")
                start = time.perf_counter()
                store.write_records(data, author="bench", reject_duplicates=False)
                write = time.perf_counter() - start
                frame = store.hotspots(period=PERIOD)
                box = (20.075, 41.105, 20.090, 41.115)
                row = {"write": write, "load": median(lambda s=store: s.hotspots(period=PERIOD)),
                       "sql": median(lambda s=store: s.unit_counts(PERIOD, category="crime")),
                       "pandas": median(lambda f=frame: views.active_counts_per_unit(f, category="crime")),
                       "bbox": median(lambda s=store, b=box: s.ids_in_bbox(PERIOD, b))}
                assert store.unit_counts(PERIOD, category="crime") == views.active_counts_per_unit(frame, category="crime")
                inside = len(store.ids_in_bbox(PERIOD, box))
                results[name] = row
                print(f"{name:>8} {row['write']:>7.2f} {row['load']:>7.3f} {row['sql']:>11.4f} {row['pandas']:>14.4f} "
                      f"{row['bbox']:>7.3f} {inside:>8}")
                store.dispose()
            ratio = {k: results["PostGIS"][k] / results["SQLite"][k] for k in results["SQLite"]}
            print("PostGIS / SQLite: " + ", ".join(f"{k} {v:.2f}x" for k, v in ratio.items()))
            if m:
                bench_incidents(stores, m, Path(tmp))
    finally:
        cluster.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
