"""The command line: ``python -m hotspots COMMAND …`` (for administrators and tests).

Errors go to stderr in plain words, in the chosen language, with exit code 2; nothing
is half-written, because every write is one transaction and files are validated first.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from hotspots.accounts import auth
from hotspots.base import settings
from hotspots.base.errors import HotspotError, UnitLayerError
from hotspots.base.i18n import languages, t, tn
from hotspots.cli import evidence as evidence_cli
from hotspots.cli import municipality as municipality_cli
from hotspots.cli.admin import cmd_db_backup, cmd_db_check, cmd_db_copy, cmd_db_upgrade, cmd_users_add, cmd_users_list
from hotspots.cli.admin import cmd_users_passwd, cmd_users_remove
from hotspots.cli.common import author_of, dataset_of, print_table, terminal_safe
from hotspots.cli.gi import add_gi_parsers
from hotspots.cli.incidents import add_incident_commands, with_incident_pair, with_incident_trends
from hotspots.cli.places import add_places_parsers
from hotspots.db import database
from hotspots.incidents import example as example_incidents
from hotspots.incidents import table as incident_table
from hotspots.plan import editing, exchange, geocode, model, trends, units
from hotspots.plan.store import Store
from hotspots.review import pdf as review_pdf
from hotspots.review import review


def cmd_init(args: argparse.Namespace) -> int:
    """Create the schema and load the baseline if the store is empty."""
    store = Store(args.db)
    loaded = store.init(author=author_of(args))
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


def cmd_import(args: argparse.Namespace) -> int:
    """Import a file, validated, all or nothing."""
    notes: list[exchange.ReadNote] = []
    records = exchange.read_features(Path(args.file), default_period=args.period, notes=notes)
    store = Store(args.db)
    try:
        store.create_schema()
        results = store.write_records(records, author=author_of(args), action="import")
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
        changed = editing.recompute_units(store, author=author_of(args), layer=layer)
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
    store.init(author=author_of(args))
    if args.action == "load":
        n = editing.load_example(store, author=author_of(args))
        print(f"example series loaded: {n} observations (EXAMPLE DATA, not real)")

        print(f"example incidents loaded: {example_incidents.load(store, author=author_of(args))} (EXAMPLE DATA, not real)")
    else:
        n = editing.unload_example(store, author=author_of(args))
        print(f"example series removed: {n} hotspots")

        print(f"example incidents removed: {incident_table.remove_dataset(store, 'example', author=author_of(args))}")
    return 0


def cmd_movement(args: argparse.Namespace) -> int:
    """Print each hotspot's class between two periods, with the review's completeness.

    CSV: one row per hotspot, the completeness line on stderr. JSON: an object with
    ``from``, ``to``, ``completeness`` and ``rows``.
    """
    model.check_period_pair(args.from_period, args.to_period)  # before any read: a plain refusal
    store = Store(args.db, must_exist=True)
    rv = review.build_review(store.hotspots(dataset=dataset_of(args)), args.from_period, args.to_period)
    state = editing.review_state(store, rv.b, dataset=dataset_of(args))
    rows = with_incident_pair(args, rv.result[list(MOVEMENT_OUTPUT)], rv.a, rv.b)
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
    dataset = dataset_of(args)
    if args.action == "close":
        editing.close_review(store, args.period, author=author_of(args), reason=args.reason or "", dataset=dataset)
    elif args.action == "reopen":
        editing.reopen_review(store, args.period, author=author_of(args), reason=args.reason or "", dataset=dataset)
    state = editing.review_state(store, args.period, dataset=dataset)
    lang = args.lang or settings.default_language()
    print(tn("rv_completeness", len(state["due"]), lang, period=args.period, reviewed=len(state["reviewed"])))
    print(t("rv_closed_by", lang, who=state["updated_by"], at=state["updated_at"]) if state["closed"] else t("rv_open", lang))
    for hid in state["not_reviewed"]:
        print(f"  {t('rv_not_reviewed', lang)}: {hid}")
    return 0


def cmd_trends(args: argparse.Namespace) -> int:
    """Print each hotspot's or unit's trend label with its per-period series."""
    gdf = Store(args.db, must_exist=True).hotspots(dataset=dataset_of(args))
    table = trends.hotspot_trends(gdf) if args.by == "hotspot" else trends.unit_trends(gdf)
    table = with_incident_trends(args, table)  # the same places' trends on incident counts
    if args.format == "csv":
        table = table.assign(series=[" ".join(map(str, s)) for s in table["series"]],
                             periods=[" ".join(p) for p in table["periods"]])
        if "incident_series" in table:
            table["incident_series"] = [" ".join(map(str, s)) if isinstance(s, list) else "" for s in table["incident_series"]]
    print_table(table, args.format)
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    """Write the review pack (PDF) for two periods."""
    store = Store(args.db, must_exist=True)
    data = review_pdf.review_pack(store, args.from_period, args.to_period, lang=args.lang or settings.default_language(),
                              dataset=dataset_of(args))
    Path(args.output).write_bytes(data)
    print(f"review pack written to {args.output} ({len(data)} bytes)")
    return 0







def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(prog="python -m hotspots",
                                     description=f"{settings.MUNICIPALITY.short_name} hotspot map: administration")
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

    p = sub.add_parser("units", help="the unit layer of the municipality's folder")
    usub = p.add_subparsers(dest="units_command", required=True)
    q = usub.add_parser("import", help="replace the unit layer with an official file")
    q.add_argument("file")
    q.add_argument("--unit-field", required=True, help="field naming each unit (its number or its name in the folder)")
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
        if extra in ("m", "t"):
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
    add_incident_commands(sub)
    add_places_parsers(sub)
    add_gi_parsers(sub)

    evidence_cli.add_parsers(sub)
    municipality_cli.add_parsers(sub)
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
    except database.FAULTS as exc:  # a full disk, a place that cannot be written …
        print(terminal_safe(t("cli_error", lang) + " " + database.fault(exc).message(lang)), file=sys.stderr)
        return 2
