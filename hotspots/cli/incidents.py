"""The incident commands: import, export, counts and trends, with council and public outputs through the disclosure rules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.base.i18n import t
from hotspots.cli.common import author_of, dataset_of, print_table
from hotspots.incidents import count_views, counts, disclosure, importing, periods, table
from hotspots.incidents import service as incident_service
from hotspots.incidents import table as incident_table
from hotspots.incidents.cleaning import report_frame
from hotspots.plan.store import Store


if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


# -- incidents ---------------------------------------------------------------
def cmd_incidents_import(args: argparse.Namespace) -> int:
    """Import a police export of incidents: all or nothing, refused rows listed (exit 2)."""
    lang = args.lang or settings.default_language()
    store = Store(args.db)
    store.init(author=author_of(args))
    rep = importing.import_file(store, Path(args.file), author=author_of(args),
                                mapping=Path(args.mapping) if args.mapping else None,
                                dataset=dataset_of(args), dry_run=args.dry_run)
    if args.report:
        Path(args.report).write_bytes(rep.report_csv(lang))

    for row in report_frame(rep.cleaned.refused, rep.cleaned.unplaced, lang).itertuples(index=False):
        print(f"{t('inc_row', lang)} {row.row}: {row.outcome}: {row.reason} ({row.value})", file=sys.stderr)
    print(rep.summary(lang))
    return 0 if rep.accepted else 2


def _incidents_frame(args: argparse.Namespace) -> "gpd.GeoDataFrame":
    return table.read(Store(args.db), dataset=dataset_of(args), start=args.start, end=args.end,
                      offences=args.offence or None)


def _protected_half(args: argparse.Namespace) -> str | None:
    """Return the one half-year of a protected output (``--period`` or an exact ``--from``/``--to``), None for the latest.

    Refuses other windows and ``--offence`` (a protected table holds every class; unions of
    classes could be set against each other).
    """
    if getattr(args, "offence", None):
        raise ValidationError("err_disclosure_offence")
    period = getattr(args, "period", None)
    period = None if period in (None, "half") else period
    if period is None and args.start is None and args.end is None:
        return None
    return disclosure.window(args.start, args.end, period)


def cmd_incidents_export(args: argparse.Namespace) -> int:
    """Export incidents: points (internal, for analysts) or, with --aggregate/--role council, protected cells of one half-year."""
    if disclosure.protected(args.role, aggregate=args.aggregate):
        half = _protected_half(args)
        data = disclosure.export_bytes(table.read(Store(args.db), dataset=dataset_of(args)), args.format, role=args.role,
                                       aggregate=True, period=half)
    else:
        data = disclosure.export_bytes(_incidents_frame(args), args.format, role=args.role)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8") + "\n")
    return 0


def cmd_incidents_counts(args: argparse.Namespace) -> int:
    """Print incident counts per hotspot or unit and period (``--aggregate``: counts below 5 as "<5")."""
    kind, label = periods.parse_period(args.period)
    if args.aggregate:
        return _protected_counts(args, kind)
    incidents = _incidents_frame(args)
    if args.by == "hotspot":
        table = incident_service.hotspot_counts(Store(args.db), dataset=dataset_of(args), kind=kind,
                                                radius_m=args.radius, incidents=incidents)
    elif args.by == "unit":
        table = counts.counts_by_unit(incidents, kind=kind)
    else:
        table = counts.prediction_accuracy(incidents, Store(args.db).hotspots(dataset=dataset_of(args)), kind=kind,
                                           radius_m=args.radius)
    if label is not None:
        table = table[table["period"] == label]
    print_table(table.reset_index(drop=True), args.format)
    return 0


def _protected_counts(args: argparse.Namespace, kind: str) -> int:
    """Print the counts as council and the public see them: half-years, protected (disclosure rules)."""
    if kind != disclosure.PROTECTED_KIND:
        raise ValidationError("err_disclosure_kind", kind=args.period)
    half = _protected_half(args)
    store = Store(args.db)
    incidents = incident_table.read(store, dataset=dataset_of(args))
    if args.by == "hotspot":
        table = disclosure.hotspot_table(incidents, store.hotspots(dataset=dataset_of(args)), radius_m=args.radius)
    elif args.by == "unit":
        table = disclosure.unit_table(incidents)
    else:
        table = count_views.pai_for_role(counts.prediction_accuracy(incidents, store.hotspots(dataset=dataset_of(args)),
                                                               kind=kind, radius_m=args.radius), False)
    if half is not None:
        table = table[table["period"] == half]
    print_table(table.reset_index(drop=True), args.format)
    return 0


def cmd_incidents_trends(args: argparse.Namespace) -> int:
    """Print the exact Mann-Kendall trend of each hotspot's or unit's incident counts (quarterly by default)."""
    kind, _label = periods.parse_period(args.period)
    incidents = _incidents_frame(args)
    if args.by == "hotspot":
        table = incident_service.hotspot_counts(Store(args.db), dataset=dataset_of(args), kind=kind,
                                                incidents=incidents)
        result = counts.count_trends(table, "id")
    else:
        result = counts.count_trends(counts.counts_by_unit(incidents, kind=kind), "unit")
    if args.format == "csv":
        result = result.assign(series=[" ".join(map(str, s)) for s in result["series"]])
    print_table(result, args.format)
    return 0




def with_incident_pair(args: argparse.Namespace, rows: "pd.DataFrame", a: str, b: str) -> "pd.DataFrame":
    """Return ``movement`` rows with ``incidents_from``/``incidents_to`` (when incidents of the dataset exist)."""
    store = Store(args.db)
    data, observations = incident_service.read_with_hotspots(store, dataset=dataset_of(args))
    if data.empty:
        return rows
    table = incident_service.hotspot_counts(store, dataset=dataset_of(args), incidents=data, observations=observations)
    return rows.join(count_views.pair_counts(rows["id"].astype(str), table, a, b, suppress=args.aggregate))


def with_incident_trends(args: argparse.Namespace, table: "pd.DataFrame") -> "pd.DataFrame":
    """Return ``trends`` rows with the Mann-Kendall test of the same hotspot's or unit's incident counts.

    The exact test on quarterly counts (``incident_periods``, ``incident_series``, ``incident_s``,
    ``incident_p_value``, ``incident_label``), when incidents of the dataset exist.
    """
    data, observations = incident_service.read_with_hotspots(Store(args.db), dataset=dataset_of(args))
    if data.empty:
        return table
    if args.by == "hotspot":
        found = disclosure.hotspot_trends(data, observations) if args.aggregate else counts.count_trends(
            incident_service.hotspot_counts(Store(args.db), dataset=dataset_of(args), kind="quarter",
                                            incidents=data, observations=observations))
        keys = ["id"]
    else:
        found = disclosure.unit_trends(data) if args.aggregate else counts.unit_category_trends(data)
        keys = ["unit", "category"]
        table = table.assign(unit=table["unit"].astype(object).where(table["unit"].notna(), "none"))
    found = found.drop(columns="min_p").rename(columns={c: f"incident_{c}" for c in found.columns if c not in keys})
    merged = table.merge(found, on=keys, how="left")
    if "unit" in keys:  # "no unit" back to empty, as without incidents
        merged["unit"] = merged["unit"].where(merged["unit"] != "none", None)
    return merged


def add_incident_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``incidents import|export|counts`` to the command line."""
    p = sub.add_parser("incidents", help="police incident records (places, never people)")
    isub = p.add_subparsers(dest="incidents_command", required=True)
    q = isub.add_parser("import", help="import a CSV/GeoJSON/GeoPackage/XLSX export (all or nothing)")
    q.add_argument("file")
    q.add_argument("--mapping", help="YAML file: columns {file column: field}, offences {value: class}")
    q.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    q.add_argument("--report", help="write the refused/unplaced rows to this CSV")
    q.set_defaults(func=cmd_incidents_import)
    for name, func, text in (("export", cmd_incidents_export, "export incidents (points or aggregated cells)"),
                             ("counts", cmd_incidents_counts, "counts per hotspot/unit and period, or the PAI")):
        q = isub.add_parser(name, help=text)
        if name == "export":
            q.add_argument("--format", choices=["geojson", "csv"], default="geojson")
            q.add_argument("--role", choices=["analyst", "staff", "admin", "council", "public"], default="analyst",
                           help="who the export is for: council and public always get cells")
            q.add_argument("--period", default=None, help="the half-year of a protected export (2023-H2; default the latest)")
            q.add_argument("-o", "--output")
        else:
            q.add_argument("--by", choices=["hotspot", "unit", "pai"], default="hotspot")
            q.add_argument("--period", default="half", help="half|quarter|month, or one period (2023-H2, 2023-Q3, 2023-05)")
            q.add_argument("--format", choices=["csv", "json"], default="csv")
            q.add_argument("--radius", type=float, default=None, help="metres around a point hotspot (default 150)")
        q.add_argument("--aggregate", action="store_true", help="aggregated output for council/public (\"<5\")")
        q.add_argument("--from", dest="start", help="first date (YYYY-MM-DD)")
        q.add_argument("--to", dest="end", help="last date (YYYY-MM-DD)")
        q.add_argument("--offence", action="append", help="offence class (repeatable)")
        q.set_defaults(func=func)
    q = isub.add_parser("trends", help="exact Mann-Kendall trend of incident counts per hotspot or unit")
    q.add_argument("--by", choices=["hotspot", "unit"], default="hotspot")
    q.add_argument("--period", default="quarter", help="half|quarter|month (the series' step)")
    q.add_argument("--format", choices=["csv", "json"], default="csv")
    q.add_argument("--from", dest="start", help="first date (YYYY-MM-DD)")
    q.add_argument("--to", dest="end", help="last date (YYYY-MM-DD)")
    q.add_argument("--offence", action="append", help="offence class (repeatable)")
    q.set_defaults(func=cmd_incidents_trends)
    for q in isub.choices.values():
        q.add_argument("--example", action="store_true", help="the example incidents instead of real data")
