"""The commands of the hot spots found in the incidents: Gi* cells, emerging hot spots, displacement."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.cli.common import dataset_of, print_table
from hotspots.evidence import displacement, emerging, hotspot_detection, service
from hotspots.incidents import disclosure, table
from hotspots.plan import exchange
from hotspots.plan.store import Store


if TYPE_CHECKING:
    import geopandas as gpd


# --- Gi* hot spots, emerging hot spots, displacement ----------------------------------
def _gi_incidents(args: argparse.Namespace) -> "gpd.GeoDataFrame":
    return table.read(Store(args.db), dataset=dataset_of(args))


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
    check = displacement.check_hotspot(_gi_incidents(args), store.hotspots(dataset=dataset_of(args)), args.hotspot,
                                       before=args.before, after=args.after, offence=args.offence)
    row = {"hotspot": args.hotspot, "before": args.before, "after": args.after,
           "target_before": check.target[0], "target_after": check.target[1], "buffer_before": check.buffer[0],
           "buffer_after": check.buffer[1], "control_before": check.control[0], "control_after": check.control[1],
           "success_measure": check.success, "buffer_measure": check.buffer_measure, "wdq": check.wdq,
           "net_effect": check.net_effect, "p_target": check.p_target, "p_buffer": check.p_buffer,
           "reading": check.reading, "in_words": check.sentence(lang)}
    print_table(pd.DataFrame([row]), args.format)
    return 0


def add_gi_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``detect``, ``emerging`` and ``displacement``."""
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
