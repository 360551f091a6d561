"""The review pack at scale: wall and CPU seconds against the pack of the plan's 14 hotspots, same run.

The stores are those of ``bench/browser.py`` (the plan's 14 hotspots; + 10,000 synthetic
hotspots; + 10,000 hotspots and 100,000 incidents), written once into ``--data``. One process
builds every pack (imports and fonts loaded by a first, unmeasured pack, as in the app's
server, which builds the pack in a process already running); medians of ``--repeat`` packs
of the review ``--from`` → ``--to``:

    .venv/bin/python bench/pack.py [--repeat 3] [--data /tmp/hs-bench] [--only 14,10k,"10k+100k inc"]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import STORES, build_store  # noqa: E402

DEFAULT_ONLY = "14,10k,10k+100k inc"


def time_pack(db: Path, a: str, b: str, repeat: int) -> dict[str, float]:
    """Return the median wall and CPU seconds of the pack of ``db`` and its size in MB."""
    from hotspots.review import pdf as review_pdf
    from hotspots.plan.store import Store

    store = Store(db)
    walls, cpus, size = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(review_pdf.review_pack(store, a, b, lang="en"))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    store.dispose()
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "mb": size / 1e6}


def main(argv: list[str] | None = None) -> None:
    """Build the stores (once), warm the process up, and time each store's pack."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None, help="folder for the stores (reused); default a temp folder")
    parser.add_argument("--only", default=DEFAULT_ONLY, help="comma-separated store names of bench/browser.py")
    parser.add_argument("--from", dest="a", default="2022-H1")
    parser.add_argument("--to", dest="b", default="2022-H2")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        dbs = {}
        for name in ["14", *names]:
            extra, incidents = STORES[name]
            dbs[name] = folder / f"store-{extra}-{incidents}.sqlite"
            if not dbs[name].exists():
                build_store(dbs[name], extra, incidents)
        time_pack(dbs["14"], args.a, args.b, 1)  # imports, fonts, plan: paid once by a running server
        results = {}
        for name in names:
            results[name] = time_pack(dbs[name], args.a, args.b, args.repeat)
            print(name, {k: round(v, 3) for k, v in results[name].items()}, f"load {os.getloadavg()[0]:.1f}", flush=True)
    base = results.get("14")
    print(f"{'store':>13} {'wall s':>7} {'cpu s':>7} {'MB':>6}" + ("  wall / 14-hotspot pack" if base else ""))
    for name, row in results.items():
        ratio = f"  {row['wall'] / base['wall']:.2f}x" if base else ""
        print(f"{name:>13} {row['wall']:>7.2f} {row['cpu']:>7.2f} {row['mb']:>6.2f}{ratio}")


if __name__ == "__main__":
    main()
