"""The commands of municipality folders: check one, create one from official files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.cli.common import terminal_safe
from hotspots.plan import folders
from hotspots.plan.store import Store
from hotspots.review import rollup


def _lang(args: argparse.Namespace) -> str:
    return str(getattr(args, "lang", None) or settings.default_language())


def cmd_municipality_check(args: argparse.Namespace) -> int:
    """Check a municipality folder: print every problem (exit 1), or that it is usable (exit 0)."""
    lang = _lang(args)
    report = folders.check_folder(Path(args.folder))
    for problem in report.problems:
        print(terminal_safe(problem.message(lang)), file=sys.stderr)
    if not report.ok or report.municipality is None:
        return 1
    place = report.municipality
    print(terminal_safe(t("muni_checked_ok", lang, folder=str(place.folder), name=place.name.get(lang, place.key),
                          units=len(place.units), crs=place.crs)))
    return 0


def cmd_municipality_create(args: argparse.Namespace) -> int:
    """Write a municipality folder from a boundary and a unit file; name what is still missing."""
    lang = _lang(args)
    missing = folders.create_folder(
        Path(args.folder), boundary=Path(args.boundary), units=Path(args.units), unit_field=args.unit_field,
        name=args.name, key=args.key, crs=args.crs, gazetteer=Path(args.gazetteer) if args.gazetteer else None,
        plan=Path(args.plan) if args.plan else None)
    report = folders.check_folder(Path(args.folder))
    place = report.municipality
    units = len(place.units) if place is not None else "?"
    crs = place.crs if place is not None else (args.crs or "?")
    print(terminal_safe(t("muni_created", lang, folder=str(args.folder), units=units, crs=crs)))
    if missing:
        print(terminal_safe(t("muni_still_missing", lang, parts=", ".join(missing))), file=sys.stderr)
    for problem in report.problems:
        print(terminal_safe(problem.message(lang)), file=sys.stderr)
    return 0 if report.ok else 1


def cmd_qark(args: argparse.Namespace) -> int:
    """Print the counts the councils of a qark published (CSV): per unit, or summed (``--totals``)."""
    rows = rollup.qark_rollup(Store(args.db, must_exist=True), args.qark or settings.MUNICIPALITY.qark or None)
    print((rollup.qark_totals(rows) if args.totals else rows).to_csv(index=False), end="")
    return 0


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``municipality check|create`` to the command line."""
    p = sub.add_parser("municipality", help="municipality folders (HOTSPOTS_MUNICIPALITY): check, create")
    msub = p.add_subparsers(dest="municipality_command", required=True)
    q = msub.add_parser("check", help="check a municipality folder (units inside the boundary, no overlaps, plan)")
    q.add_argument("folder")
    q.set_defaults(func=cmd_municipality_check)
    q = msub.add_parser("create", help="write a municipality folder from a boundary and a unit file")
    q.add_argument("folder")
    q.add_argument("--boundary", required=True, help="the municipality's boundary (GeoJSON, GeoPackage, Shapefile)")
    q.add_argument("--units", required=True, help="the units' polygons (any CRS)")
    q.add_argument("--unit-field", required=True, help="the field naming or numbering each unit")
    q.add_argument("--name", required=True, help="the municipality's name")
    q.add_argument("--key", required=True, help="a short lowercase name for the municipality")
    q.add_argument("--crs", help="projected CRS in metres (default: the UTM zone of the boundary)")
    q.add_argument("--gazetteer", help="places.csv of the same columns, or an OSM extract of named points")
    q.add_argument("--plan", help="the plan (YAML in the shape of geodata/plan.yaml)")
    q.set_defaults(func=cmd_municipality_create)
    p = sub.add_parser("qark", help="the prefecture's roll-up: counts its councils published (read only)")
    p.add_argument("--qark", help="the qark (default: the folder's)")
    p.add_argument("--totals", action="store_true", help="summed over units")
    p.set_defaults(func=cmd_qark)
