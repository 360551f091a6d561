"""The command line of the evidence: ``python -m hotspots evidence concentration|forecast|compstat|near-repeat``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from hotspots.base import settings
from hotspots.cli.common import dataset_of, print_table, terminal_safe
from hotspots.evidence import harm, near_repeat, service
from hotspots.incidents import table as incident_table
from hotspots.plan.store import Store


if TYPE_CHECKING:
    import pandas as pd

#: Roles an evidence table can be printed for (council and public: counts 1–4 as "<5").
ROLES: tuple[str, ...] = ("analyst", "staff", "admin", "council", "public")


def _role(args: argparse.Namespace) -> str:
    return "council" if args.aggregate else str(args.role)


def run(args: argparse.Namespace) -> int:
    """Print the evidence table named by ``args.measure`` for ``--period`` as CSV or JSON (with its sentences on stderr)."""
    import sys

    store = Store(args.db)
    incidents = incident_table.read(store, dataset=dataset_of(args))
    lang, role = args.lang or settings.default_language(), _role(args)
    out: pd.DataFrame
    if args.measure == "concentration":
        out = service.concentration_table(incidents, args.period, role=role, measure=args.by)
        lines = service.concentration_sentences(out, lang)
    elif args.measure == "forecast":
        out = service.forecast_table(incidents, store.hotspots(dataset=dataset_of(args)), args.period, role=role)
        lines = service.forecast_sentences(out, lang)
    elif args.measure == "compstat":
        out = service.compstat_table(incidents, args.period, role=role, offence=args.offence)
        lines = service.compstat_sentences(out, lang)
    else:
        out = service.near_repeat_table(incidents, args.period, role=role, offence=args.offence,
                                        permutations=args.permutations, seed=args.seed)
        lines = [service.near_repeat_sentence(out, lang)]
    print_table(out.reset_index(drop=True), args.format)
    for text in lines:
        print(terminal_safe(text), file=sys.stderr)
    return 0


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``evidence concentration|forecast|compstat|near-repeat`` to the command line."""
    p = sub.add_parser("evidence", help="evidence for the council: concentration, forecast scores, CompStat, near repeats")
    esub = p.add_subparsers(dest="measure", required=True)
    texts = {"concentration": "share of incidents on the top cells, share of area holding half (Weisburd)",
             "forecast": "zones in force at P scored on P+1: hit rate, PAI, RRI, Gi* hot-cell stability",
             "compstat": "per unit: this period vs the last, a year ago, the 3-period average, exact test",
             "near-repeat": "Knox test in space-time bands, seeded Monte Carlo"}
    for name, text in texts.items():
        q = esub.add_parser(name, help=text)
        q.add_argument("--period", required=True, help="one whole period: 2023-H2, 2023-Q3 or 2023-05")
        q.add_argument("--format", choices=["csv", "json"], default="csv")
        q.add_argument("--role", choices=list(ROLES), default="analyst", help='council and public: counts 1-4 as "<5"')
        q.add_argument("--aggregate", action="store_true", help='as council sees it (counts 1-4 as "<5")')
        q.add_argument("--example", action="store_true", help="the example incidents and hotspots")
        if name == "concentration":
            q.add_argument("--by", choices=list(harm.MEASURES), default="count",
                           help="count incidents, or weigh them by harm (geodata/harm_weights.yaml)")
        if name in ("compstat", "near-repeat"):
            q.add_argument("--class", dest="offence", default=None, help="one offence class (default: all)")
        if name == "near-repeat":
            q.add_argument("--permutations", type=int, default=near_repeat.PERMUTATIONS, help="Monte Carlo shuffles")
            q.add_argument("--seed", type=int, default=0, help="seed of the shuffles (same seed, same answer)")
        q.set_defaults(func=run)
