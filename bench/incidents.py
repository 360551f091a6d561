"""Incident benchmarks (issue 13), each a ratio against a named baseline in the same run.

``import``: import a 100,000-row CSV (10 % addresses to geocode) with
:func:`hotspots.incidents.importing.import_file` (header check, cleaning, geocoding, units,
idempotency keys, one SQLite transaction) vs a plain ``pandas.read_csv`` +
``geopandas.points_from_xy`` of the same file.

``counts``: :func:`hotspots.incidents.counts.counts_by_hotspot` of 100,000 incidents ×
1,000 hotspot zones × 6 half-years vs ONE ``geopandas.sjoin`` (spatial index) of the same
incidents with the 1,000 zones.

``map``: the map with 100,000 incidents: council's cells vs the map with none; analysts'
canvas points vs the hotspot map's current 10,000-point build.

    .venv/bin/python bench/incidents.py [import|counts|map|all] [--n 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hotspots.plan import geocode
from hotspots.base import settings  # noqa: E402
from hotspots.incidents import counts, importing, table  # noqa: E402
from hotspots.plan.store import Store  # noqa: E402

BBOX = (20.050, 41.090, 20.115, 41.130)  # Elbasan city, lon/lat
HALVES = ("2022-H1", "2022-H2", "2023-H1", "2023-H2", "2024-H1", "2024-H2")
OFFENCES = ["droge", "vjedhje", "dhune", "dhune_ne_familje", "femije_rruge", "tjeter"]


#: Median CPU time (this process) of the last :func:`median_time` call, in seconds.
LAST_CPU: list[float] = [0.0]


def median_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Return the median wall time of ``fn`` in seconds (its median CPU time goes to :data:`LAST_CPU`).

    The machine is shared: wall time grows with the others' load, CPU time much less, so
    both are printed.
    """
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    LAST_CPU[0] = statistics.median(cpu)
    return statistics.median(times)


def timed(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Return ``(median wall s, median CPU s)`` of ``fn``."""
    wall = median_time(fn, repeat)
    return wall, LAST_CPU[0]


def load() -> str:
    """Return the 1-minute load average (2 cores shared by several engineers)."""
    import os

    return f"load average {os.getloadavg()[0]:.1f}"


def incident_frame(n: int, seed: int = 1) -> pd.DataFrame:
    """Return ``n`` synthetic incident rows (Albanian columns): 10 % by address, dates in both forms."""
    rng = np.random.default_rng(seed)
    day = np.datetime64("2022-01-01") + rng.integers(0, 3 * 365, n).astype("timedelta64[D]")
    iso = pd.Series(day).dt.strftime("%Y-%m-%d")
    alb = pd.Series(day).dt.strftime("%d.%m.%Y")
    lon, lat = rng.uniform(BBOX[0], BBOX[2], n), rng.uniform(BBOX[1], BBOX[3], n)
    by_address = rng.random(n) < 0.10
    names = [p.name for p in geocode.load_places() if p.lat is not None]
    return pd.DataFrame({
        "data": np.where(rng.random(n) < 0.5, iso, alb), "vepra": rng.choice(OFFENCES, n),
        "gjeresia": np.where(by_address, "", np.round(lat, 6).astype(str)),
        "gjatesia": np.where(by_address, "", np.round(lon, 6).astype(str)),
        "adresa": np.where(by_address, rng.choice(names, n), ""), "nr_ceshtjes": [f"B-{i}" for i in range(n)],
    })


def bench_import(n: int) -> None:
    """Print the import comparison."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.csv"
        incident_frame(n).to_csv(path, sep=";", index=False)

        def baseline() -> object:
            frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
            return gpd.points_from_xy(pd.to_numeric(frame["gjatesia"], errors="coerce"),
                                      pd.to_numeric(frame["gjeresia"], errors="coerce"), crs="EPSG:4326")

        runs = iter(range(100))

        def ours() -> object:
            store = Store(Path(tmp) / f"db{next(runs)}.sqlite")
            store.create_schema()
            rep = importing.import_file(store, path, author="bench")
            assert rep.added == n, rep.summary("en")
            return rep

        (t_base, c_base), (t_ours, c_ours) = timed(baseline), timed(ours)
        print(f"import of {n:,} rows (10 % addresses), median of 3 runs ({load()})")
        print(f"  pandas.read_csv + points_from_xy : {t_base:7.3f} s  {n / t_base:>10,.0f} rows/s  (CPU {c_base:.3f} s)")
        print(f"  incidents import (full, SQLite)  : {t_ours:7.3f} s  {n / t_ours:>10,.0f} rows/s  ratio {t_ours / t_base:.1f}x"
              f"  (CPU {c_ours:.3f} s, ratio {c_ours / c_base:.1f}x)")


def zones(k: int, seed: int = 2) -> gpd.GeoDataFrame:
    """Return ``k`` hotspot zones (squares 60-200 m) recorded active in every half-year."""
    rng = np.random.default_rng(seed)
    centre = gpd.GeoSeries(gpd.points_from_xy(rng.uniform(BBOX[0], BBOX[2], k), rng.uniform(BBOX[1], BBOX[3], k)),
                           crs="EPSG:4326").to_crs(settings.CRS_METRIC)
    half = rng.uniform(30, 100, k)
    boxes = gpd.GeoSeries(shapely.box(centre.x - half, centre.y - half, centre.x + half, centre.y + half),
                          crs=settings.CRS_METRIC).to_crs("EPSG:4326")
    ids = [f"Z{i}" for i in range(k)]
    return gpd.GeoDataFrame({"id": np.repeat(ids, len(HALVES)), "category": "crime",
                             "period": np.tile(HALVES, k), "status": "active"},
                            geometry=np.repeat(boxes.to_numpy(), len(HALVES)), crs="EPSG:4326")


def incidents_gdf(n: int, seed: int = 3) -> gpd.GeoDataFrame:
    """Return ``n`` placed incidents over the six half-years."""
    rng = np.random.default_rng(seed)
    day = np.datetime64("2022-01-01") + rng.integers(0, 3 * 365, n).astype("timedelta64[D]")
    frame = pd.DataFrame({"occurred_on": pd.Series(day).dt.strftime("%Y-%m-%d"),
                          "offence": rng.choice(["drugs", "theft", "violence"], n),
                          "lon": rng.uniform(BBOX[0], BBOX[2], n), "lat": rng.uniform(BBOX[1], BBOX[3], n), "unit": pd.NA})
    return table.to_points(frame)


def bench_counts(n: int, k: int = 1000) -> None:
    """Print the counts comparison."""
    inc, obs = incidents_gdf(n), zones(k)
    one_period = obs[obs["period"] == HALVES[0]]

    def baseline() -> object:  # the stricter baseline: one period's 1,000 zones only
        return gpd.sjoin(inc, one_period[["id", "geometry"]], how="inner", predicate="intersects")

    def same_data() -> object:  # the baseline: one sjoin of the same data (zones x periods),
        return gpd.sjoin(inc, obs[["id", "period", "geometry"]], how="inner", predicate="intersects")  # unfiltered

    def ours() -> object:
        return counts.counts_by_hotspot(inc, obs)

    (t_base, c_base), (t_same, c_same), (t_ours, c_ours) = timed(baseline, 7), timed(same_data, 7), timed(ours, 7)
    pairs = len(baseline())
    print(f"counts of {n:,} incidents x {k:,} zones x {len(HALVES)} half-years ({pairs:,} incident-zone pairs), "
          f"median of 7 ({load()})")
    print(f"  one geopandas.sjoin, {len(obs):,} zone-periods (the same data, no period filter): {t_same:7.3f} s"
          f"  (CPU {c_same:.3f} s)")
    print(f"  one geopandas.sjoin, one period's {len(one_period):,} zones (4326, no buffers)        : {t_base:7.3f} s"
          f"  (CPU {c_base:.3f} s)")
    print(f"  counts_by_hotspot (catchments + join, every period): {t_ours:7.3f} s  ratio {t_ours / t_same:.2f}x the"
          f" same-data sjoin, {t_ours / t_base:.2f}x the one-period sjoin (CPU {c_ours / c_same:.2f}x, {c_ours / c_base:.2f}x)")


def bench_map(n: int) -> None:
    """Print the map comparison (build + render to HTML)."""
    from bench.run import synthetic
    from hotspots.incidents import maps as incident_maps
    from hotspots.maps import builders as maps
    from hotspots.maps import payloads as map_payloads
    from hotspots.plan.plan import load_plan

    inc = incidents_gdf(n)
    plan = load_plan()
    prios = {p.id: str(p.priority) for p in plan.problems}
    hs = synthetic(10_000)

    from hotspots.incidents import disclosure

    cached = disclosure.public_cells(inc)

    def base_map(role: str | None, with_incidents: bool, gdf: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None = None) -> str:
        m = maps.hotspot_map(map_payloads.hotspot_payload(gdf), plan=plan, priorities=prios, lang="sq", units=None,
                             unit_counts={}, approximate_units=True)
        if with_incidents:
            incident_maps.add_incident_layer(m, None if cells is not None else inc, role=role, lang="sq", cells=cells)
        return m.get_root().render()

    small = hs.head(14)
    t_none, c_none = timed(lambda: base_map("council", False, small), 7)
    t_cold, c_cold = timed(lambda: base_map("council", True, small), 7)
    t_cells, c_cells = timed(lambda: base_map("council", True, small, cached), 7)
    t_10k, c_10k = timed(lambda: base_map("analyst", False, hs))
    t_points, c_points = timed(lambda: base_map("analyst", True, small))
    print(f"map build + render with {n:,} incidents, median of 7 (3 for the big maps) ({load()})")
    print(f"  council, no incidents                                 : {t_none:7.3f} s  (CPU {c_none:.3f} s)")
    print(f"  council, {n:,} incidents as cells, cells computed   : {t_cold:7.3f} s  +{t_cold - t_none:.3f} s"
          f"  (CPU +{c_cold - c_none:.3f} s)")
    print(f"  council, {n:,} incidents as cells, cached (the app) : {t_cells:7.3f} s  +{t_cells - t_none:.3f} s"
          f"  (CPU +{c_cells - c_none:.3f} s)")
    print(f"  hotspot map, 10,000 hotspots                          : {t_10k:7.3f} s  (CPU {c_10k:.3f} s)")
    print(f"  analyst, {n:,} canvas points                      : {t_points:7.3f} s  ratio {t_points / t_10k:.2f}x"
          f"  (CPU ratio {c_points / c_10k:.2f}x)")


def main() -> None:
    """Parse arguments and run the chosen benchmark(s)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=["import", "counts", "map", "all"], nargs="?", default="all")
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    for name, fn in (("import", bench_import), ("counts", bench_counts), ("map", bench_map)):
        if args.which in (name, "all"):
            fn(args.n)


if __name__ == "__main__":
    main()
