"""The commands of the plan's other places: cameras and their siting, coverage, cannabis-risk zones, schools."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from hotspots.base.errors import HotspotError
from hotspots.cli.common import author_of, dataset_of, print_table
from hotspots.places import cameras, cannabis, coverage, schools, siting
from hotspots.places import service as places
from hotspots.places import store as places_store
from hotspots.plan.store import Store


# --- cameras, coverage, siting, cannabis-risk zones, schools ---------------------------
def _import_places(args: argparse.Namespace, importer: Callable[..., list[dict[str, str]]]) -> int:
    """Run one of the place registers' importers on ``args.file`` and print its results on one line."""
    store = Store(args.db)
    store.create_schema()
    print(places_store.results_text(importer(store, Path(args.file), author=author_of(args))))
    return 0


def cmd_cameras_import(args: argparse.Namespace) -> int:
    """Import cameras from GeoJSON points (all or nothing)."""
    return _import_places(args, cameras.import_cameras)


def cmd_cameras_export(args: argparse.Namespace) -> int:
    """Export the camera register as GeoJSON (internal notes left out)."""
    data = cameras.export_cameras(cameras.read_cameras(Store(args.db)))
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8") + "\n")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print the camera coverage of each active hotspot (or per unit) of a period."""
    table = places.coverage_for(Store(args.db), args.period, dataset=dataset_of(args))
    if args.by == "unit":
        table = coverage.coverage_by_unit(table)
    else:
        table = table[["id", "category", "unit", "recorded_in", "share", "class", "measured_on"]]
    print_table(table, args.format)
    return 0


def _read_weights(path: str | None) -> dict[str, float] | None:
    if not path:
        return None
    import pandas as pd

    frame = pd.read_csv(path)
    if not {"id", "weight"} <= set(frame.columns):
        raise HotspotError("err_weights_file", path=path)
    return {str(i): float(w) for i, w in zip(frame["id"], frame["weight"], strict=True)}


def cmd_cameras_site(args: argparse.Namespace) -> int:
    """Print where N new cameras cover the most hot-zone weight: the MCLP optimum and greedy."""
    result = places.siting_for(Store(args.db), args.period, args.n, weights=_read_weights(args.weights),
                               radius_m=args.radius, spacing_m=args.spacing, dataset=dataset_of(args))
    tables = {c.method: siting.sites_table(result, c) for c in (result.mclp, result.greedy)}
    if args.format == "json":
        payload = {"period": args.period, "n": args.n, "radius_m": args.radius, "spacing_m": args.spacing,
                   "candidates": len(result.sites), "demand_weight": float(result.demand["weight"].sum()),
                   "out_of_reach": json.loads(siting.unreachable_table(result).to_json(orient="records", force_ascii=False)),
                   **{c.method: {"weight": c.weight, "optimal": c.optimal,
                                 "sites": json.loads(tables[c.method].to_json(orient="records", force_ascii=False))}
                      for c in (result.mclp, result.greedy)}}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    else:
        import pandas as pd

        both = pd.concat([t.assign(method=m) for m, t in tables.items()], ignore_index=True)
        sys.stdout.write(both[["method", "site", "lat", "lon", "weight", "hotspots"]].to_csv(index=False))
        print(f"mclp {result.mclp.weight:g} (optimal: {result.mclp.optimal}), greedy {result.greedy.weight:g}, "
              f"of {result.demand['weight'].sum():g}; {len(result.sites)} candidate sites", file=sys.stderr)
    return 0


def cmd_zones_import(args: argparse.Namespace) -> int:
    """Import cannabis-risk zones from GeoJSON polygons (all or nothing)."""
    return _import_places(args, cannabis.import_zones)


def cmd_zones_trends(args: argparse.Namespace) -> int:
    """Print per administrative unit the zones found per year and the exact Mann-Kendall test."""
    table = cannabis.unit_trends(cannabis.read_zones(Store(args.db)))
    if args.format == "csv":
        table = table.assign(years=[" ".join(map(str, y)) for y in table["years"]],
                             series=[" ".join(map(str, s)) for s in table["series"]])
    print_table(table, args.format)
    return 0


def cmd_schools_import(args: argparse.Namespace) -> int:
    """Import schools from GeoJSON points (all or nothing)."""
    return _import_places(args, schools.import_schools)


def cmd_places_seed(args: argparse.Namespace) -> int:
    """Load the OSM starting data into the camera and school registers if they never held a row."""
    store = Store(args.db)
    store.init(author=author_of(args))
    loaded = places.ensure_seed(store, author=author_of(args))
    print(", ".join(f"{k}: {v} loaded" for k, v in loaded.items()) or "nothing to load")
    return 0


def add_places_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-commands of the plan's other places (cameras, coverage, zones, schools, places)."""
    p = sub.add_parser("cameras", help="the camera register and where to put new cameras")
    csub = p.add_subparsers(dest="cameras_command", required=True)
    q = csub.add_parser("import", help="import GeoJSON points (id, owner, status, radius_m, direction, angle)")
    q.add_argument("file")
    q.set_defaults(func=cmd_cameras_import)
    q = csub.add_parser("export", help="export the register as GeoJSON")
    q.add_argument("-o", "--output")
    q.set_defaults(func=cmd_cameras_export)
    q = csub.add_parser("site", help="sites for N new cameras: MCLP optimum and greedy")
    q.add_argument("--n", type=int, required=True)
    q.add_argument("--period", required=True)
    q.add_argument("--radius", type=float, default=50.0, help="view radius of a new camera, m (default 50)")
    q.add_argument("--spacing", type=float, default=100.0, help="candidate grid spacing, m (default 100)")
    q.add_argument("--weights", help="CSV with columns id,weight (e.g. incident counts); default 1 per hotspot")
    q.add_argument("--format", choices=["csv", "json"], default="csv")
    q.add_argument("--example", action="store_true", help="the example series instead of real data")
    q.set_defaults(func=cmd_cameras_site)

    p = sub.add_parser("coverage", help="camera coverage of each active hotspot of a period")
    p.add_argument("--period", required=True)
    p.add_argument("--by", choices=["hotspot", "unit"], default="hotspot")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--example", action="store_true", help="the example series instead of real data")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("zones", help="cannabis-risk zones")
    zsub = p.add_subparsers(dest="zones_command", required=True)
    q = zsub.add_parser("import", help="import GeoJSON polygons (risk, years, source)")
    q.add_argument("file")
    q.set_defaults(func=cmd_zones_import)
    q = zsub.add_parser("trends", help="zones found per year and administrative unit, exact Mann-Kendall")
    q.add_argument("--format", choices=["csv", "json"], default="csv")
    q.set_defaults(func=cmd_zones_trends)

    p = sub.add_parser("schools", help="the school layer")
    ssub = p.add_subparsers(dest="schools_command", required=True)
    q = ssub.add_parser("import", help="import GeoJSON points (name, activities)")
    q.add_argument("file")
    q.set_defaults(func=cmd_schools_import)

    p = sub.add_parser("places", help="starting data of cameras and schools")
    p.add_argument("action", choices=["seed"])
    p.set_defaults(func=cmd_places_seed)
