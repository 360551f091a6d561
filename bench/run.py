"""Benchmarks measured as ratios against a named baseline in the same run; ``all`` runs every one.

``map``: build the map HTML for N synthetic hotspots with :func:`hotspots.maps.builders.hotspot_map`
(one vectorised layer, payload included), with the naive per-row ``folium.Marker`` loop
(:func:`naive_marker_map`), and with the floor: folium's ``FastMarkerCluster``
given bare ``[lat, lon]`` pairs (no ids, tooltips or popups); report build time and HTML
bytes per point.

``matching``: period matching against KD-tree queries and brute force (``bench/matching.py``).

``all`` (what ``make bench`` runs): ``map``, ``matching`` and every other script of ``bench/``
(:data:`SCRIPTS`), one after another; ``--quick`` runs each at small sizes (a check that they
all still run, not figures to quote).

``gistar``: Gi* hot spots against the analytical numpy floor and esda, and the emerging hot-spot
analysis of 2,000 cells × 36 months (``bench/gistar.py``, issue 14).
"""

from __future__ import annotations

import argparse
import html
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium.plugins import FastMarkerCluster


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hotspots.maps import builders as maps
from hotspots.maps import payloads as map_payloads
from hotspots.maps import styles as map_styles
from hotspots.base import settings
from hotspots.plan import units  # noqa: E402
from hotspots.plan.plan import load_plan  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
#: The other benchmarks of ``bench/``, each with its arguments for a full and a quick run.
SCRIPTS: dict[str, tuple[list[str], list[str]]] = {
    "backends.py": (["10000"], ["1000"]),
    "siting.py": ([], []),
    "incidents.py": (["all"], ["all", "--n", "10000"]),
    "import_28k.py": ([], ["2000"]),
    "gistar.py": ([], ["--incidents", "10000", "--cells", "500", "--months", "12"]),
    "pack.py": ([], ["--repeat", "1", "--only", "14"]),
}

BBOX = (20.050, 41.090, 20.115, 41.130)  # Elbasan city, lon/lat
SOURCES = ["field team report", "police patrol", "landmark: stadium", "community liaison"]


def synthetic(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """Return ``n`` random point hotspots in Elbasan's bounding box (reproducible)."""
    rng = np.random.default_rng(seed)
    xs = rng.uniform(BBOX[0], BBOX[2], n)
    ys = rng.uniform(BBOX[1], BBOX[3], n)
    cats = np.where(rng.random(n) < 0.6, "crime", "street_children")
    return gpd.GeoDataFrame({
        "id": [f"H-S-{i}" for i in range(n)], "name": [f"Hotspot sintetik nr. {i}" for i in range(n)],
        "category": cats, "problem": np.where(cats == "crime", "1.7", "1.10"),
        "location_quality": rng.choice(["exact", "landmark", "approximate"], n), "status": "active",
        "unit": rng.integers(1, 7, n), "location_source": rng.choice(SOURCES, n), "period": "2022-H1",
    }, geometry=shapely.points(xs, ys), crs=settings.CRS_STORE)


def timed(fn: Callable[[], str], repeat: int) -> tuple[float, int]:
    """Return the median seconds of ``fn`` over ``repeat`` runs and the length of its output."""
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(fn().encode("utf-8"))
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def bench_map(sizes: list[int], max_naive: int) -> None:
    """Print the map-build comparison."""
    plan = load_plan()
    prios = {p.id: str(p.priority) for p in plan.problems}
    layer = units.load_units()
    print("map build (render to HTML): vectorised HotspotLayer vs naive per-row folium.Marker + popup,")
    print("and vs the floor: folium FastMarkerCluster of bare [lat, lon] (no ids, tooltips, popups)")
    print(f"{'N':>8} {'ours s':>9} {'naive s':>9} {'speed x':>8} {'ours B/pt':>10} {'naive B/pt':>11} {'bytes ratio':>12}"
          f" {'floor s':>9} {'ours/floor':>10}")
    for n in sizes:
        gdf = synthetic(n)
        repeat = 3 if n <= 10_000 else 1

        def ours(gdf: gpd.GeoDataFrame = gdf) -> str:
            payload = map_payloads.hotspot_payload(gdf)
            m = maps.hotspot_map(payload, plan=plan, priorities=prios, lang="sq", units=layer,
                                 unit_counts={}, approximate_units=True)
            return m.get_root().render()

        def naive(gdf: gpd.GeoDataFrame = gdf) -> str:
            return naive_marker_map(gdf).get_root().render()

        def floor(gdf: gpd.GeoDataFrame = gdf) -> str:
            m = folium.Map(location=list(map_styles.CENTER), zoom_start=map_styles.ZOOM, tiles=None)
            FastMarkerCluster(np.column_stack([gdf.geometry.y, gdf.geometry.x]).tolist()).add_to(m)
            return m.get_root().render()

        t_ours, b_ours = timed(ours, repeat)
        t_floor, _ = timed(floor, repeat)
        floor_cols = f"{t_floor:>9.3f} {t_ours / t_floor:>10.2f}"
        if n <= max_naive:
            t_naive, b_naive = timed(naive, repeat)
            print(f"{n:>8} {t_ours:>9.3f} {t_naive:>9.3f} {t_naive / t_ours:>8.1f} {b_ours / n:>10.0f} "
                  f"{b_naive / n:>11.0f} {b_ours / b_naive:>12.3f} {floor_cols}", flush=True)
        else:
            print(f"{n:>8} {t_ours:>9.3f} {'skipped':>9} {'':>8} {b_ours / n:>10.0f} {'':>11} {'':>12} {floor_cols}",
                  flush=True)


def naive_marker_map(gdf: gpd.GeoDataFrame) -> folium.Map:
    """Return the naive map, one ``folium.Marker`` with a popup per row (the benchmark baseline)."""
    m = folium.Map(location=list(map_styles.CENTER), zoom_start=map_styles.ZOOM, tiles=None)
    for rec, geom in zip(gdf.itertuples(index=False), gdf.geometry, strict=True):
        point = geom.representative_point()
        popup = f"<b>{html.escape(str(rec.name))}</b><br>{html.escape(str(rec.id))}<br>{html.escape(str(rec.location_source))}"
        folium.Marker([point.y, point.x], popup=popup, tooltip=html.escape(str(rec.name))).add_to(m)
    return m


def run_all(quick: bool) -> int:
    """Run every benchmark of ``bench/``; return the number that failed."""
    sizes = [100, 1000] if quick else [100, 1000, 10_000, 100_000]
    bench_map(sizes, max_naive=100_000)
    import matching

    matching.bench_matching(sizes)
    failed = 0
    for script, (full, small) in SCRIPTS.items():
        print(f"\n== bench/{script} {' '.join(small if quick else full)}", flush=True)
        done = subprocess.run([sys.executable, str(BENCH_DIR / script), *(small if quick else full)])
        failed += done.returncode != 0
    return failed


def main() -> None:
    """Parse arguments and run the chosen benchmark (``all``: every one)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["map", "matching", "gistar", "all"], nargs="?", default="all")
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--max-naive", type=int, default=100_000, help="largest N for the naive baseline")
    parser.add_argument("--quick", action="store_true", help="with all: small sizes, to check every benchmark runs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.which == "all":
        sys.exit(1 if run_all(args.quick) else 0)
    if args.which == "gistar":  # issue 14: Gi* vs the numpy floor and esda; emerging hot spots
        import gistar

        gistar.bench_gi(100_000, 2_000)
        gistar.bench_emerging(2_000, 36)
    elif args.which == "map":
        bench_map(sizes, args.max_naive)
    else:
        import matching

        matching.bench_matching(sizes)

if __name__ == "__main__":
    main()
