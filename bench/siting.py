"""Camera siting: the exact MCLP (CBC through PuLP) against the greedy choice, same data, same run.

Demand: N random hot-zone points in the city unit (seeded), weights 1–5 (like incident
counts); candidate sites: the grid of ``hotspots.places.siting`` over the city unit. For each N,
prints both times (median of 3), both covered weights, and the ratios.

    .venv/bin/python bench/siting.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402

from hotspots.base import settings
from hotspots.places import siting
from hotspots.plan import units  # noqa: E402


def _demand(n: int, seed: int = 1) -> gpd.GeoSeries:
    city = gpd.GeoSeries([units.city_unit()], crs=4326).to_crs(settings.CRS_METRIC).iloc[0]
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = city.bounds
    points: list[shapely.Point] = []
    while len(points) < n:
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if city.contains(p):
            points.append(p)
    return gpd.GeoSeries(points, crs=settings.CRS_METRIC)


def main() -> None:
    """Time the exact MCLP against the greedy choice for several demand sizes and print both."""
    sites = siting.candidate_grid(units.city_unit(), spacing_m=siting.GRID_SPACING_M)
    radius = 150.0  # wider than the default 50 m, so that sites compete for the same hot zones
    print(f"candidate sites: {len(sites)} (grid {siting.GRID_SPACING_M:.0f} m), coverage radius "
          f"{radius:.0f} m, 10 new cameras")
    print(f"{'N':>6} {'mclp s':>8} {'greedy s':>9} {'time x':>7} {'mclp w':>7} {'greedy w':>9} {'gain %':>7}")
    for n in (50, 200, 1000, 3000):
        matrix = siting.coverage_matrix(_demand(n), sites, radius)
        weights = np.random.default_rng(2).integers(1, 6, n).astype(float)
        times: dict[str, list[float]] = {"mclp": [], "greedy": []}
        for _ in range(3):
            for name, func in (("mclp", siting.solve_mclp), ("greedy", siting.greedy)):
                start = time.perf_counter()
                choice = func(matrix, weights, 10)
                times[name].append(time.perf_counter() - start)
                if name == "mclp":
                    best = choice
                else:
                    quick = choice
        tm, tg = statistics.median(times["mclp"]), statistics.median(times["greedy"])
        gain = 100 * (best.weight - quick.weight) / quick.weight
        print(f"{n:>6} {tm:>8.3f} {tg:>9.4f} {tm / tg:>7.0f} {best.weight:>7.0f} {quick.weight:>9.0f} {gain:>7.1f}")


if __name__ == "__main__":
    main()
