"""Time a 28,000-point import (issue 10) against reading and validating the same file.

Usage: ``.venv/bin/python bench/import_28k.py [N]`` — writes a GeoJSON of N points inside
the city (default 28,000), imports it into a fresh database with ``python -m hotspots
import`` (a new process, as an administrator runs it) and prints the wall time beside the
baseline of the same run: ``exchange.read_features`` of the file in this process (parse
and validate, no store). Before issue 10 the import took 507 s for 28,000 points.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def write_points(path: Path, n: int, *, seed: int = 10) -> None:
    """Write ``n`` new crime hotspots at random points of the city centre (inside unit polygons or not)."""
    rng = np.random.default_rng(seed)
    lons = rng.uniform(20.070, 20.100, n)
    lats = rng.uniform(41.105, 41.120, n)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
                 "properties": {"name": f"P{i}", "category": "crime", "period": "2023-H1"}}
                for i, (x, y) in enumerate(zip(lons, lats, strict=True))]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


def main(n: int = 28_000) -> None:
    """Time the command-line import of ``n`` points into a fresh database against reading and validating them."""
    with tempfile.TemporaryDirectory() as tmp:
        src, db = Path(tmp) / "points.geojson", Path(tmp) / "bench.sqlite"
        write_points(src, n)
        subprocess.run([sys.executable, "-m", "hotspots", "--db", str(db), "init"], cwd=ROOT, check=True, capture_output=True)
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "hotspots", "--db", str(db), "import", str(src)], cwd=ROOT,
                              capture_output=True, text=True)
        took = time.perf_counter() - t0
        sys.path.insert(0, str(ROOT))
        from hotspots.plan import exchange

        t0 = time.perf_counter()
        exchange.read_features(src)
        base = time.perf_counter() - t0
        print(f"baseline read+validate {base:.1f} s; import / baseline = {took / base:.1f}x")
        print(f"{n} points, {src.stat().st_size / 1e6:.1f} MB: import {took:.1f} s (exit {done.returncode}) "
              f"{done.stdout.strip()} {done.stderr.strip()[:200]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 28_000)
