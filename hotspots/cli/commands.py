"""The command line: ``python -m hotspots COMMAND …`` (for administrators and tests).

Errors go to stderr in plain words, in the chosen language, with exit code 2; nothing
is half-written, because every write is one transaction and files are validated first.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from hotspots.accounts import auth
from hotspots.base import settings
from hotspots.base.errors import HotspotError, UnitLayerError, ValidationError
from hotspots.base.i18n import languages, t, tn
from hotspots.cli import evidence as evidence_cli
from hotspots.db import database
from hotspots.db import migrate as db
from hotspots.evidence import displacement, emerging, hotspot_detection, service
from hotspots.incidents import count_views, counts, disclosure, importing, periods, table
from hotspots.incidents import example as example_incidents
from hotspots.incidents import table as incident_table
from hotspots.incidents.cleaning import report_frame
from hotspots.places import cameras, cannabis, schools, siting
from hotspots.places import service as places
from hotspots.places import store as places_store
from hotspots.plan import editing, exchange, geocode, model, trends, units
from hotspots.plan.store import Store
from hotspots.review import review


if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

def _author(args: argparse.Namespace) -> str:
    return args.author or settings.author() or f"cli:{getpass.getuser()}"


def cmd_init(args: argparse.Namespace) -> int:
    """Create the schema and load the baseline if the store is empty."""
    store = Store(args.db)
    loaded = store.init(author=_author(args))
    print(f"{store.url}: {loaded} baseline hotspots loaded" if loaded else f"{store.url}: already initialised")

    password = auth.ensure_first_admin(store)
    if password:
        print(f"First admin account 'admin' created. One-time password: {password}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export hotspots (filtered) as GeoJSON, CSV or GeoPackage."""
    store = Store(args.db, must_exist=True)
    period = model.check_period(args.period) if args.period else None
    category = model.check_choice(args.category, model.Category, "category") if args.category else None
    gdf = store.hotspots(period=period, category=category, units_in=args.unit or None,
                         dataset=None if args.include_example else "real")
    data = exchange.export_bytes(gdf, args.format)
    if args.output:
        Path(args.output).write_bytes(data)
    elif args.format == "gpkg":
        sys.stdout.buffer.write(data)
    else:
        text = data.decode("utf-8")
        sys.stdout.write((terminal_safe(text) if sys.stdout.isatty() else text) + "\n")
    return 0


def terminal_safe(text: str) -> str:
    r"""Return ``text`` safe for a terminal, so stored data cannot drive it.

    Control characters (escape sequences, NUL, bell…) other than newline and tab are replaced by ``?``.

    Examples
    --------
    >>> terminal_safe("a\x1b[2Jb\n")
    'a?[2Jb\n'
    """
    return "".join("?" if (ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 or 0xD800 <= ord(c) <= 0xDFFF
                   else c for c in text)


def cmd_import(args: argparse.Namespace) -> int:
    """Import a file, validated, all or nothing."""
    notes: list[exchange.ReadNote] = []
    records = exchange.read_features(Path(args.file), default_period=args.period, notes=notes)
    store = Store(args.db)
    try:
        store.create_schema()
        results = store.write_records(records, author=_author(args), action="import")
    finally:
        store.dispose()  # the last connection folds the WAL back: the file is the whole store
    counts: dict[str, int] = {}
    for row in results:
        counts[row["result"]] = counts.get(row["result"], 0) + 1
    for note in notes:
        print(note.message(args.lang or settings.default_language()), file=sys.stderr)
    print(", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return 0


def cmd_units_import(args: argparse.Namespace) -> int:
    """Replace the unit layer with an official file, then recompute stored units."""
    layer = units.read_unit_file(Path(args.file), args.unit_field)
    pending = units.write_units_beside(layer)  # the installed layer stays until the store succeeded
    try:
        store = Store(args.db)
        store.create_schema()
        changed = editing.recompute_units(store, author=_author(args), layer=layer)
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    units.swap_in(pending)
    print(f"unit layer replaced from {args.file} ({len(layer)} units, official; in use from "
          f"{settings.replaced_units_file()}); {changed} observations changed unit")
    return 0


def cmd_units_build(args: argparse.Namespace) -> int:
    """Rebuild the approximate unit layer from geodata/unit_anchors.yaml.

    Written to ``--out``, or else to the data directory (the layer then in use); an
    official layer in use there is never replaced by an approximation.
    """
    target = Path(args.out) if args.out else settings.replaced_units_file()
    if not args.out and not units.units_are_approximate(units.load_units()):
        raise UnitLayerError("err_units_official_kept", path=str(target))
    layer = units.build_approximate_units(units.city_unit(), units.read_anchors())
    units.write_units(layer, target)
    print(f"approximate unit layer written to {target}")
    return 0


def cmd_units_check(args: argparse.Namespace) -> int:
    """List the hotspots whose plan unit differs from the unit computed from the polygons."""
    store = Store(args.db, must_exist=True)
    gdf = store.hotspots(period=args.period or model.baseline_period())
    diff = units.unit_disagreements(gdf)
    print("no disagreement" if diff.empty else terminal_safe(diff.to_string(index=False)))
    return 0 if diff.empty else 1


def _read_password(confirm: bool = True) -> str:
    """Read a password from stdin (piped) or a hidden prompt; never from an argument."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if confirm and getpass.getpass("Again: ") != first:
        raise SystemExit("passwords differ")
    return first


def cmd_users_add(args: argparse.Namespace) -> int:
    """Create an account; the password is read from stdin or a prompt."""
    store = Store(args.db)
    store.create_schema()
    auth.add_user(store, args.name, args.role, _read_password(), author=_author(args))
    print(f"account {args.name} ({args.role}) created")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    """List the accounts (names and roles, never hashes)."""
    store = Store(args.db, must_exist=True)
    store.create_schema()
    table = auth.list_users(store)
    print(terminal_safe(table.to_string(index=False)) if not table.empty else "no accounts")
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    """Remove an account (recorded in the history)."""
    auth.remove_user(Store(args.db, must_exist=True), args.name, author=_author(args))
    print(f"account {args.name} removed")
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    """Set an account's password (read from stdin or a prompt)."""
    auth.set_password(Store(args.db, must_exist=True), args.name, _read_password(), author=_author(args))
    print(f"password of {args.name} changed")
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    """Write a consistent copy of the database (SQLite online backup API; pg_dump for PostGIS)."""
    target = Store(args.db, must_exist=True).backup(Path(args.output))
    print(f"backup written to {target}")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    """Check the database's integrity; exit 1 and list the problems if it is not sound."""
    problems = Store(args.db, must_exist=True).integrity_problems()
    for line in problems:
        print(terminal_safe(line))
    print("ok" if not problems else f"{len(problems)} problems")
    return 0 if not problems else 1


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Bring the database's schema to this version's newest migration (nothing else changes)."""
    before, after = Store(args.db).create_schema()
    print(f"schema {before or 'new'} -> {after}")
    return 0


def cmd_db_copy(args: argparse.Namespace) -> int:
    """Copy the whole database (history and accounts included) into an empty one, verified."""
    source, target = Store(args.db, must_exist=True), Store(args.to)
    sums = db.copy(source.read_engine, target.write_engine)
    for name, (rows, digest) in sums.items():
        print(f"{name}\t{rows}\t{digest[:16]}")
    print(f"copied and verified: {sum(r for r, _ in sums.values())} rows in {len(sums)} tables")
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    """Print the geocoding candidates of a text: name, lat, lon, source, score."""
    accepted, refused = geocode.geocode(args.text, online=True if args.online else None)
    lang = args.lang or settings.default_language()
    for c in accepted:
        lat = "" if c.lat is None else f"{c.lat:.6f}"
        lon = "" if c.lon is None else f"{c.lon:.6f}"
        note = "" if c.located else "  (" + t("q_unlocated", lang) + ")"
        print(terminal_safe(f"{c.name}\t{lat}\t{lon}\t{c.source}\t{c.score:.0f}{note}"))
    for c in refused:
        print(terminal_safe(t("err_geocode_outside", lang, query=c.name)), file=sys.stderr)
    if not accepted:
        print(terminal_safe(t("err_geocode_none", lang, query=args.text)), file=sys.stderr)
        return 1
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load or unload the example series (clearly marked, never mixed with real data)."""
    store = Store(args.db)
    store.init(author=_author(args))
    if args.action == "load":
        n = editing.load_example(store, author=_author(args))
        print(f"example series loaded: {n} observations (EXAMPLE DATA, not real)")

        print(f"example incidents loaded: {example_incidents.load(store, author=_author(args))} (EXAMPLE DATA, not real)")
    else:
        n = editing.unload_example(store, author=_author(args))
        print(f"example series removed: {n} hotspots")

        print(f"example incidents removed: {incident_table.remove_dataset(store, 'example', author=_author(args))}")
    return 0


def _dataset(args: argparse.Namespace) -> str:
    return "example" if args.example else "real"


def _print_table(frame: "pd.DataFrame", fmt: str) -> None:
    if fmt == "json":
        text = frame.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    else:  # spreadsheet-safe, as every CSV export (OWASP CSV injection)
        text = frame.map(exchange.neutralise_formula).to_csv(index=False)
    sys.stdout.write(terminal_safe(text) if sys.stdout.isatty() else text)


def cmd_movement(args: argparse.Namespace) -> int:
    """Print each hotspot's class between two periods, with the review's completeness.

    CSV: one row per hotspot, the completeness line on stderr. JSON: an object with
    ``from``, ``to``, ``completeness`` and ``rows``.
    """
    model.check_period_pair(args.from_period, args.to_period)  # before any read: a plain refusal
    store = Store(args.db, must_exist=True)
    rv = review.build_review(store.hotspots(dataset=_dataset(args)), args.from_period, args.to_period)
    state = editing.review_state(store, rv.b, dataset=_dataset(args))
    rows = _with_incident_pair(args, rv.result[list(MOVEMENT_OUTPUT)], rv.a, rv.b)  # issue 13
    done = {"period": rv.b, "due": len(state["due"]), "reviewed": len(state["reviewed"]),
            "not_reviewed": state["not_reviewed"], "complete": state["complete"], "closed": state["closed"]}
    if args.format == "json":
        records = json.loads(rows.to_json(orient="records", force_ascii=False))
        payload = {"from": rv.a, "to": rv.b, "completeness": done, "rows": records}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(rows.to_csv(index=False))
        print(review.completeness_line(rv, args.lang or settings.default_language()), file=sys.stderr)
    return 0


#: Columns of ``movement`` output.
MOVEMENT_OUTPUT: tuple[str, ...] = (
    "id", "category", "class", "distance_m", "direction", "unit_before", "unit_after", "recorded_in",
    "event", "related", "related_distance_m", "related_direction",
)


def cmd_review(args: argparse.Namespace) -> int:
    """Show, close or reopen the review of a period."""
    store = Store(args.db)
    dataset = _dataset(args)
    if args.action == "close":
        editing.close_review(store, args.period, author=_author(args), reason=args.reason or "", dataset=dataset)
    elif args.action == "reopen":
        editing.reopen_review(store, args.period, author=_author(args), reason=args.reason or "", dataset=dataset)
    state = editing.review_state(store, args.period, dataset=dataset)
    lang = args.lang or settings.default_language()
    print(tn("rv_completeness", len(state["due"]), lang, period=args.period, reviewed=len(state["reviewed"])))
    print(t("rv_closed_by", lang, who=state["updated_by"], at=state["updated_at"]) if state["closed"] else t("rv_open", lang))
    for hid in state["not_reviewed"]:
        print(f"  {t('rv_not_reviewed', lang)}: {hid}")
    return 0


def cmd_trends(args: argparse.Namespace) -> int:
    """Print each hotspot's or unit's trend label with its per-period series."""
    gdf = Store(args.db, must_exist=True).hotspots(dataset=_dataset(args))
    table = trends.hotspot_trends(gdf) if args.by == "hotspot" else trends.unit_trends(gdf)
    table = _with_incident_trends(args, table)  # issue 13: the same places' trends on incident counts
    if args.format == "csv":
        table = table.assign(series=[" ".join(map(str, s)) for s in table["series"]],
                             periods=[" ".join(p) for p in table["periods"]])
        if "incident_series" in table:  # issue 13
            table["incident_series"] = [" ".join(map(str, s)) if isinstance(s, list) else "" for s in table["incident_series"]]
    _print_table(table, args.format)
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    """Write the review pack (PDF) for two periods."""
    store = Store(args.db, must_exist=True)
    data = review.review_pack(store, args.from_period, args.to_period, lang=args.lang or settings.default_language(),
                              dataset=_dataset(args))
    Path(args.output).write_bytes(data)
    print(f"review pack written to {args.output} ({len(data)} bytes)")
    return 0


# -- incidents (issue 13) ---------------------------------------------------------------
def cmd_incidents_import(args: argparse.Namespace) -> int:
    """Import a police export of incidents: all or nothing, refused rows listed (exit 2)."""
    lang = args.lang or settings.default_language()
    store = Store(args.db)
    store.init(author=_author(args))
    rep = importing.import_file(store, Path(args.file), author=_author(args),
                                mapping=Path(args.mapping) if args.mapping else None,
                                dataset=_dataset(args), dry_run=args.dry_run)
    if args.report:
        Path(args.report).write_bytes(rep.report_csv(lang))

    for row in report_frame(rep.cleaned.refused, rep.cleaned.unplaced, lang).itertuples(index=False):
        print(f"{t('inc_row', lang)} {row.row}: {row.outcome}: {row.reason} ({row.value})", file=sys.stderr)
    print(rep.summary(lang))
    return 0 if rep.accepted else 2


def _incidents_frame(args: argparse.Namespace) -> "gpd.GeoDataFrame":
    return table.read(Store(args.db), dataset=_dataset(args), start=args.start, end=args.end,
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
        data = disclosure.export_bytes(table.read(Store(args.db), dataset=_dataset(args)), args.format, role=args.role,
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
        table = counts.counts_by_hotspot(incidents, Store(args.db).hotspots(dataset=_dataset(args)), kind=kind,
                                         radius_m=args.radius)
    elif args.by == "unit":
        table = counts.counts_by_unit(incidents, kind=kind)
    else:
        table = counts.prediction_accuracy(incidents, Store(args.db).hotspots(dataset=_dataset(args)), kind=kind,
                                           radius_m=args.radius)
    if label is not None:
        table = table[table["period"] == label]
    _print_table(table.reset_index(drop=True), args.format)
    return 0


def _protected_counts(args: argparse.Namespace, kind: str) -> int:
    """Print the counts as council and the public see them: half-years, protected (disclosure rules)."""
    if kind != disclosure.PROTECTED_KIND:
        raise ValidationError("err_disclosure_kind", kind=args.period)
    half = _protected_half(args)
    store = Store(args.db)
    incidents = incident_table.read(store, dataset=_dataset(args))
    if args.by == "hotspot":
        table = disclosure.hotspot_table(incidents, store.hotspots(dataset=_dataset(args)), radius_m=args.radius)
    elif args.by == "unit":
        table = disclosure.unit_table(incidents)
    else:
        table = count_views.pai_for_role(counts.prediction_accuracy(incidents, store.hotspots(dataset=_dataset(args)),
                                                               kind=kind, radius_m=args.radius), False)
    if half is not None:
        table = table[table["period"] == half]
    _print_table(table.reset_index(drop=True), args.format)
    return 0


def cmd_incidents_trends(args: argparse.Namespace) -> int:
    """Print the exact Mann-Kendall trend of each hotspot's or unit's incident counts (quarterly by default)."""
    kind, _label = periods.parse_period(args.period)
    incidents = _incidents_frame(args)
    if args.by == "hotspot":
        table = counts.counts_by_hotspot(incidents, Store(args.db).hotspots(dataset=_dataset(args)), kind=kind)
        result = counts.count_trends(table, "id")
    else:
        result = counts.count_trends(counts.counts_by_unit(incidents, kind=kind), "unit")
    if args.format == "csv":
        result = result.assign(series=[" ".join(map(str, s)) for s in result["series"]])
    _print_table(result, args.format)
    return 0


def _incident_data(args: argparse.Namespace) -> "tuple[gpd.GeoDataFrame, Store]":
    store = Store(args.db)
    return table.read(store, dataset=_dataset(args)), store


def _with_incident_pair(args: argparse.Namespace, rows: "pd.DataFrame", a: str, b: str) -> "pd.DataFrame":
    """Return ``movement`` rows with ``incidents_from``/``incidents_to`` (when incidents of the dataset exist)."""
    data, store = _incident_data(args)
    if data.empty:
        return rows
    table = counts.counts_by_hotspot(data, store.hotspots(dataset=_dataset(args)))
    return rows.join(count_views.pair_counts(rows["id"].astype(str), table, a, b, suppress=args.aggregate))


def _with_incident_trends(args: argparse.Namespace, table: "pd.DataFrame") -> "pd.DataFrame":
    """Return ``trends`` rows with the Mann-Kendall test of the same hotspot's or unit's incident counts.

    The exact test on quarterly counts (``incident_periods``, ``incident_series``, ``incident_s``,
    ``incident_p_value``, ``incident_label``), when incidents of the dataset exist.
    """
    data, store = _incident_data(args)
    if data.empty:
        return table
    if args.by == "hotspot":
        observations = store.hotspots(dataset=_dataset(args))
        found = disclosure.hotspot_trends(data, observations) if args.aggregate else counts.count_trends(
            counts.counts_by_hotspot(data, observations, kind="quarter"))
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
# -- end incidents (issue 13) -------------------------------------------------------------



# --- issue 15: cameras, coverage, siting, cannabis-risk zones, schools ---------------------------
def _import_places(args: argparse.Namespace, importer: Callable[..., list[dict[str, str]]]) -> int:
    """Run one of the place registers' importers on ``args.file`` and print its results on one line."""
    store = Store(args.db)
    store.create_schema()
    print(places_store.results_text(importer(store, Path(args.file), author=_author(args))))
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
    table = places.coverage_for(Store(args.db), args.period, dataset=_dataset(args))
    if args.by == "unit":
        table = cameras.coverage_by_unit(table)
    else:
        table = table[["id", "category", "unit", "recorded_in", "share", "class", "measured_on"]]
    _print_table(table, args.format)
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
                               radius_m=args.radius, spacing_m=args.spacing, dataset=_dataset(args))
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
    _print_table(table, args.format)
    return 0


def cmd_schools_import(args: argparse.Namespace) -> int:
    """Import schools from GeoJSON points (all or nothing)."""
    return _import_places(args, schools.import_schools)


def cmd_places_seed(args: argparse.Namespace) -> int:
    """Load the OSM starting data into the camera and school registers if they never held a row."""
    store = Store(args.db)
    store.init(author=_author(args))
    loaded = places.ensure_seed(store, author=_author(args))
    print(", ".join(f"{k}: {v} loaded" for k, v in loaded.items()) or "nothing to load")
    return 0


def add_places_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the sub-commands of issue 15 (cameras, coverage, zones, schools, places)."""
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

    p = sub.add_parser("zones", help="cannabis-risk zones (1.9.1)")
    zsub = p.add_subparsers(dest="zones_command", required=True)
    q = zsub.add_parser("import", help="import GeoJSON polygons (risk, years, source)")
    q.add_argument("file")
    q.set_defaults(func=cmd_zones_import)
    q = zsub.add_parser("trends", help="zones found per year and administrative unit, exact Mann-Kendall")
    q.add_argument("--format", choices=["csv", "json"], default="csv")
    q.set_defaults(func=cmd_zones_trends)

    p = sub.add_parser("schools", help="the school layer (1.3, 1.4)")
    ssub = p.add_subparsers(dest="schools_command", required=True)
    q = ssub.add_parser("import", help="import GeoJSON points (name, activities)")
    q.add_argument("file")
    q.set_defaults(func=cmd_schools_import)

    p = sub.add_parser("places", help="starting data of cameras and schools")
    p.add_argument("action", choices=["seed"])
    p.set_defaults(func=cmd_places_seed)
# --- end of issue 15 ---------------------------------------------------------------------------


# --- issue 14: Gi* hot spots, emerging hot spots, displacement ----------------------------------
def _gi_incidents(args: argparse.Namespace) -> "gpd.GeoDataFrame":
    return table.read(Store(args.db), dataset=_dataset(args))


def _write_cells(frame: "gpd.GeoDataFrame", args: argparse.Namespace) -> None:
    """Write analysis cells as GeoJSON or CSV (geometry as WKT) to ``-o`` or stdout."""
    if args.format == "csv":
        table = frame.drop(columns=frame.geometry.name).assign(wkt=frame.geometry.to_wkt(rounding_precision=6))
        data = table.map(exchange.neutralise_formula).to_csv(index=False)
    else:
        data = frame.to_json(drop_id=True, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(data, encoding="utf-8")
    else:
        sys.stdout.write(data)


def cmd_detect(args: argparse.Namespace) -> int:
    """Print the Gi* hot and cold spots of a period's incidents (cells with z, p, FDR-adjusted p, label)."""
    if args.by == "harm":  # weighted by geodata/harm_weights.yaml, labelled so in every row

        if args.aggregate:  # a weighted sum per cell is a count times known weights: analysts only
            raise ValidationError("err_disclosure_harm")
        _write_cells(service.gi_by_harm_frame(_gi_incidents(args), args.period, offence=args.offence, size_m=args.cell,
                                              role="analyst"), args)
        return 0
    if args.aggregate:  # one half-year, every class, counts 1-4 counted as 1 before the analysis
        if args.offence:
            raise ValidationError("err_disclosure_offence")
        disclosure.window(None, None, args.period)
        det = hotspot_detection.detect(_gi_incidents(args), period=args.period, size_m=args.cell,
                                       transform=disclosure.floored)
        frame = det.frame()
        frame = frame.assign(count=disclosure.suppressed(frame["count"].astype(int)))
    else:
        det = hotspot_detection.detect(_gi_incidents(args), period=args.period, offence=args.offence, size_m=args.cell)
        frame = det.frame()
    _write_cells(frame, args)
    return 0


def cmd_emerging(args: argparse.Namespace) -> int:
    """Print the emerging hot-spot label of every cell (Esri's categories, space-time Gi* + Mann-Kendall)."""
    result = emerging.emerging(_gi_incidents(args), step=args.step, offence=args.offence, size_m=args.cell)
    frame = result.frame()
    _write_cells(frame if args.all_cells else frame[frame["label"] != "no_pattern"], args)
    return 0


def cmd_displacement(args: argparse.Namespace) -> int:
    """Print the displacement check (Bowers & Johnson's WDQ) of a hotspot between two periods."""
    import pandas as pd

    lang = args.lang or settings.default_language()
    store = Store(args.db)
    check = displacement.check_hotspot(_gi_incidents(args), store.hotspots(dataset=_dataset(args)), args.hotspot,
                                       before=args.before, after=args.after, offence=args.offence)
    row = {"hotspot": args.hotspot, "before": args.before, "after": args.after,
           "target_before": check.target[0], "target_after": check.target[1], "buffer_before": check.buffer[0],
           "buffer_after": check.buffer[1], "control_before": check.control[0], "control_after": check.control[1],
           "success_measure": check.success, "buffer_measure": check.buffer_measure, "wdq": check.wdq,
           "net_effect": check.net_effect, "p_target": check.p_target, "p_buffer": check.p_buffer,
           "reading": check.reading, "in_words": check.sentence(lang)}
    _print_table(pd.DataFrame([row]), args.format)
    return 0


def add_gi_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``detect``, ``emerging`` and ``displacement`` (issue 14)."""
    p = sub.add_parser("detect", help="Gi* hot and cold spots of a period's incidents on a grid (FDR-corrected)")
    p.add_argument("--period", required=True, help="one period: 2023-H2, 2023-Q3 or 2023-05")
    p.add_argument("--cell", type=float, default=None, help=f"cell side in metres (default {settings.GI_CELL_M:g})")
    p.add_argument("--aggregate", action="store_true", help='counts below 5 as "<5" (for council and the public)')
    p.add_argument("--by", choices=["count", "harm"], default="count",
                   help="Gi* of the number of incidents, or of their harm (geodata/harm_weights.yaml)")
    p.set_defaults(func=cmd_detect)
    q = sub.add_parser("emerging", help="emerging hot-spot analysis: Esri's categories per cell")
    q.add_argument("--step", choices=["month", "quarter"], default=settings.EHSA_STEP)
    q.add_argument("--cell", type=float, default=None, help=f"cell side in metres (default {settings.GI_CELL_M:g})")
    q.add_argument("--all-cells", action="store_true", help="also the cells with no pattern")
    q.set_defaults(func=cmd_emerging)
    for parser in (p, q):
        parser.add_argument("--format", choices=["geojson", "csv"], default="geojson")
        parser.add_argument("-o", "--output")
    d = sub.add_parser("displacement", help="did closing a hotspot displace crime? weighted displacement quotient")
    d.add_argument("--hotspot", required=True, help="hotspot id")
    d.add_argument("--before", required=True, help="period before (2023-H2, 2023-Q3, 2023-05)")
    d.add_argument("--after", required=True, help="period after")
    d.add_argument("--format", choices=["csv", "json"], default="csv")
    d.set_defaults(func=cmd_displacement)
    for parser in (p, q, d):
        parser.add_argument("--class", dest="offence", default=None, help="one offence class (default: all)")
        parser.add_argument("--example", action="store_true", help="the example incidents and hotspots")
# --- end of issue 14 -----------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(prog="python -m hotspots", description="Elbasan hotspot map: administration")
    parser.add_argument("--db", help="database file or SQLAlchemy URL (default: $HOTSPOTS_DB or data/hotspots.sqlite)")
    parser.add_argument("--lang", choices=languages(), default=None, help="language of messages")
    parser.add_argument("--author", help="name recorded in the history (default: cli:<login>)")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="create the schema and load the baseline if empty").set_defaults(func=cmd_init)

    p = sub.add_parser("export", help="export hotspots")
    p.add_argument("--format", choices=exchange.FORMATS, default="geojson")
    p.add_argument("--period")
    p.add_argument("--category", choices=[str(c) for c in model.Category])
    p.add_argument("--unit", type=int, action="append", choices=settings.UNIT_NUMBERS)
    p.add_argument("--include-example", action="store_true", help="also export loaded example data")
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="import a GeoJSON/CSV/GeoPackage file (all or nothing)")
    p.add_argument("file")
    p.add_argument("--period", help="period for features without one")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("units", help="the unit (lagje) layer")
    usub = p.add_subparsers(dest="units_command", required=True)
    q = usub.add_parser("import", help="replace the unit layer with an official file")
    q.add_argument("file")
    q.add_argument("--unit-field", required=True, help="field naming the unit number (1-6)")
    q.set_defaults(func=cmd_units_import)
    q = usub.add_parser("build-approx", help="rebuild the approximate layer (into the data directory)")
    q.add_argument("--out", help="write the layer to this file instead of the data directory")
    q.set_defaults(func=cmd_units_build)
    q = usub.add_parser("check", help="hotspots whose plan unit and computed unit disagree")
    q.add_argument("--period")
    q.set_defaults(func=cmd_units_check)

    p = sub.add_parser("users", help="accounts (passwords from stdin or a prompt, never an argument)")
    usub = p.add_subparsers(dest="users_command", required=True)
    q = usub.add_parser("add", help="create an account")
    q.add_argument("name")
    q.add_argument("--role", required=True, choices=["analyst", "council", "staff", "admin"])
    q.set_defaults(func=cmd_users_add)
    usub.add_parser("list", help="list the accounts").set_defaults(func=cmd_users_list)
    q = usub.add_parser("remove", help="remove an account")
    q.add_argument("name")
    q.set_defaults(func=cmd_users_remove)
    q = usub.add_parser("passwd", help="change an account's password")
    q.add_argument("name")
    q.set_defaults(func=cmd_users_passwd)

    p = sub.add_parser("db", help="the database: upgrade, copy, backup, integrity check")
    dsub = p.add_subparsers(dest="db_command", required=True)
    q = dsub.add_parser("backup", help="write a consistent copy (SQLite online backup; pg_dump for PostGIS)")
    q.add_argument("output")
    q.set_defaults(func=cmd_db_backup)
    dsub.add_parser("check", help="integrity and foreign-key check").set_defaults(func=cmd_db_check)
    dsub.add_parser("upgrade", help="bring the schema to this version (migrations)").set_defaults(func=cmd_db_upgrade)
    q = dsub.add_parser("copy", help="copy everything into an empty database (e.g. SQLite to PostGIS), verified")
    q.add_argument("--to", required=True, help="SQLAlchemy URL of the empty target, e.g. postgresql+psycopg://…")
    q.set_defaults(func=cmd_db_copy)

    p = sub.add_parser("demo", help="the example series for training (EXAMPLE DATA)")
    p.add_argument("action", choices=["load", "unload"])
    p.set_defaults(func=cmd_demo)

    for name, func, extra in (("movement", cmd_movement, "m"), ("trends", cmd_trends, "t"), ("pack", cmd_pack, "p")):
        p = sub.add_parser(name, help={"m": "classify hotspots between two periods",
                                       "t": "trend label per hotspot or unit over all periods",
                                       "p": "write the review pack (PDF)"}[extra])
        if extra in ("m", "p"):
            p.add_argument("--from", dest="from_period", required=True)
            p.add_argument("--to", dest="to_period", required=True)
        if extra == "t":
            p.add_argument("--by", choices=["hotspot", "unit"], default="hotspot")
        if extra in ("m", "t"):  # issue 13
            p.add_argument("--aggregate", action="store_true", help='incident counts from 1 to 4 as "<5" (as council sees them)')
        if extra == "p":
            p.add_argument("-o", "--output", required=True)
        else:
            p.add_argument("--format", choices=["csv", "json"], default="csv")
        p.add_argument("--example", action="store_true", help="use the example series instead of real data")
        p.set_defaults(func=func)

    p = sub.add_parser("review", help="show, close or reopen the review of a period")
    p.add_argument("action", choices=["status", "close", "reopen"])
    p.add_argument("--period", required=True)
    p.add_argument("--reason", help="required to close an incomplete review, and to reopen one")
    p.add_argument("--example", action="store_true", help="the example series instead of real data")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("geocode", help="find a place (offline gazetteer; Nominatim if enabled)")
    p.add_argument("text")
    p.add_argument("--online", action="store_true", help="allow Nominatim for this query")
    p.set_defaults(func=cmd_geocode)
    add_incident_commands(sub)  # issue 13
    add_places_parsers(sub)  # issue 15
    add_gi_parsers(sub)  # issue 14

    evidence_cli.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    bad = settings.problems()
    if bad:  # a setting the app cannot use: named before anything runs, in --lang (without it in both languages)
        for problem in bad:
            text = problem.message(args.lang) if args.lang else f"{problem.message('en')}\n{problem.message('sq')}"
            print(terminal_safe(text), file=sys.stderr)
        return 2
    lang = args.lang or settings.default_language()
    try:
        return int(args.func(args))
    except HotspotError as exc:
        print(terminal_safe(t("cli_error", lang) + " " + exc.message(lang)), file=sys.stderr)
        return 2
    except (sa.exc.SQLAlchemyError, sqlite3.Error, OSError) as exc:  # a full disk, a place that cannot be written …
        print(terminal_safe(t("cli_error", lang) + " " + database.fault(exc).message(lang)), file=sys.stderr)
        return 2
