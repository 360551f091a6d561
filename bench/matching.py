"""Period matching: :func:`hotspots.plan.movement.match_points` against KD-tree queries and a brute-force loop.

Baselines, measured in the same run: ``kd radius``, the KD-tree query of every pair within the
radius (what an exact matching within a maximum distance needs at least); ``kd 1-NN``, a plain
nearest-neighbour query; ``brute``, :func:`brute_force_match`, a Python double loop.

    .venv/bin/python bench/matching.py [--sizes 100,1000,2000,3000] [--max-n 3000]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hotspots.plan.movement import MAX_MATCH_M, match_points  # noqa: E402


def brute_force_match(xy_a: np.ndarray, xy_b: np.ndarray, *, max_distance: float = MAX_MATCH_M) -> list[tuple[int, int, float]]:
    """Match by the naive baseline: a Python double loop over all pairs, then greedy shortest-first.

    Used only here, to show what the KD-tree and sparse assignment save.
    """
    pairs = []
    for i, (xa, ya) in enumerate(xy_a.tolist()):
        for j, (xb, yb) in enumerate(xy_b.tolist()):
            d = math.hypot(xa - xb, ya - yb)
            if d <= max_distance:
                pairs.append((d, i, j))
    pairs.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for d, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, d))
    return out


def bench_matching(sizes: list[int], *, brute_max: int = 2000, max_n: int = 3000, seed: int = 7) -> None:
    """Print matching times against the KD-tree queries and the brute-force loop (same run).

    Baselines: ``kd radius``, the KD-tree query of every pair within the radius (what an
    exact matching within a maximum distance needs at least); ``kd 1-NN``, a plain
    nearest-neighbour query; ``brute``, :func:`brute_force_match` (run up to ``brute_max``,
    beyond that extrapolated as N² from the largest run, and marked so). Sizes above ``max_n``
    are skipped and said so: the exact matching solves every pair within 500 m, and in this
    fixed box the pairs grow as N² (about 270 per point at 10,000; 24–85 s measured there).
    """
    rng = np.random.default_rng(seed)
    print("matching N hotspots of period A against N of period B (500 m radius; B = A moved by N(0, 100 m); "
          "6.5 x 4.5 km box)")
    print(f"{'N':>7} {'ours s':>8} {'kd radius s':>12} {'ours/kdrad':>11} {'kd 1-NN s':>10} {'brute s':>10} "
          f"{'brute/ours':>11} {'matched':>8}")
    brute_ref: tuple[int, float] | None = None
    for n in sizes:
        if n > max_n:
            print(f"{n:>7} skipped: above --max-n {max_n} (every pair within 500 m is solved exactly)", flush=True)
            continue
        a = rng.uniform((0, 0), (6500.0, 4500.0), (n, 2))
        b = a + rng.normal(0, 100, (n, 2))
        timings = {}
        for name, fn in (("ours", lambda a=a, b=b: match_points(a, b)),
                         ("radius", lambda a=a, b=b: cKDTree(a).sparse_distance_matrix(cKDTree(b), MAX_MATCH_M)),
                         ("nn", lambda a=a, b=b: cKDTree(b).query(a, distance_upper_bound=MAX_MATCH_M))):
            start = time.perf_counter()
            out = fn()
            timings[name] = time.perf_counter() - start
            if name == "ours":
                matched = len(out)
        if n <= brute_max:
            start = time.perf_counter()
            brute_force_match(a, b)
            t_brute, mark = time.perf_counter() - start, ""
            brute_ref = (n, t_brute)
        elif brute_ref is not None:
            t_brute, mark = brute_ref[1] * (n / brute_ref[0]) ** 2, "*"
        else:
            t_brute, mark = float("nan"), ""
        print(f"{n:>7} {timings['ours']:>8.3f} {timings['radius']:>12.3f} {timings['ours'] / timings['radius']:>11.2f} "
              f"{timings['nn']:>10.4f} {t_brute:>9.1f}{mark or ' '} {t_brute / timings['ours']:>11.0f} {matched:>8}", flush=True)
    print("* extrapolated as N^2 from the largest brute-force run")


def main(argv: list[str] | None = None) -> None:
    """Parse the sizes and run the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,2000,3000")
    parser.add_argument("--max-n", type=int, default=3000, help="largest N run (larger ones are skipped)")
    args = parser.parse_args(argv)
    bench_matching([int(s) for s in args.sizes.split(",")], max_n=args.max_n)


if __name__ == "__main__":
    main()
