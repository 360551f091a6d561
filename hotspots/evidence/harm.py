"""Harm weighting (the Cambridge Crime Harm Index idea): a weight per offence class from a table.

The table is ``geodata/harm_weights.yaml``: per offence class a weight (days of custody of the
offence's starting-point sentence) and the article it comes from. A table whose ``status`` is
``example`` is labelled so wherever a figure is weighted by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import yaml

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.evidence import hotspot_detection as gi
from hotspots.evidence.concentration import cell_totals


if TYPE_CHECKING:
    import geopandas as gpd

#: The shipped table of weights.
HARM_FILE: Path = settings.HARM_WEIGHTS_FILE
#: What a figure can be measured in.
MEASURES: tuple[str, ...] = ("count", "harm")


@dataclass(frozen=True)
class HarmTable:
    """Weights per offence class, where they come from, and whether they are only an example."""

    weights: dict[str, float]
    source: str
    example: bool

    def of(self, offences: pd.Series) -> pd.Series:
        """Return the weight of each offence class (a class missing from the table weighs 1).

        Examples
        --------
        >>> HarmTable({"drugs": 365.0}, "s", True).of(pd.Series(["drugs", "x"])).tolist()
        [365.0, 1.0]
        """
        return offences.map(self.weights).fillna(1.0).astype(float)


def parse(data: object) -> HarmTable:
    """Return the table read from parsed YAML ``data``.

    Raises
    ------
    ValidationError
        If ``classes`` is missing or a weight is not a positive number.

    Examples
    --------
    >>> parse({"status": "example", "source": "s", "classes": {"theft": {"weight": 90}}}).weights
    {'theft': 90.0}
    """
    if not isinstance(data, dict) or not isinstance(data.get("classes"), dict):
        raise ValidationError("err_harm_table", value="classes")
    weights: dict[str, float] = {}
    for name, entry in data["classes"].items():
        value = entry.get("weight") if isinstance(entry, dict) else entry
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValidationError("err_harm_table", value=str(name))
        weights[str(name)] = float(value)
    return HarmTable(weights, str(data.get("source", "")), str(data.get("status", "example")) == "example")


def load(path: Path | None = None) -> HarmTable:
    """Return the harm table of ``path`` (default :data:`HARM_FILE`)."""
    return parse(yaml.safe_load((path or HARM_FILE).read_text(encoding="utf-8")))


def weights_for(incidents: pd.DataFrame, measure: str, table: HarmTable | None = None) -> pd.Series | None:
    """Return each incident's weight for ``measure`` (None for ``count``: every incident counts 1).

    Raises
    ------
    ValueError
        If ``measure`` is not one of :data:`MEASURES`.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure {measure!r} not in {MEASURES}")
    if measure == "count":
        return None
    return (table or load()).of(incidents["offence"].reset_index(drop=True)).set_axis(incidents.index)


def detect_by_harm(incidents: gpd.GeoDataFrame, *, period: str | None, offence: str | None = None,
                   size_m: float | None = None, table: HarmTable | None = None) -> gi.Detection:
    """Return the Gi* hot and cold spots of the harm per cell (the sum of the weights of its incidents).

    The z-scores are those of :func:`hotspots.evidence.hotspot_detection.gi_star` on the harm sums; the
    p-values are the normal ones, FDR-adjusted (the exact Poisson test of small counts does not
    apply to sums of weights). ``count`` of the result holds the harm, not the number of incidents.
    """
    chosen = gi.in_period(incidents, period)
    if offence is not None:
        chosen = chosen[chosen["offence"] == offence]
    grid = gi.make_grid(size_m=size_m)
    x = cell_totals(grid, chosen, (table or load()).of(chosen["offence"]) if len(chosen) else None)
    z = gi.gi_star(x, gi.weights(grid))
    p = gi.p_values(z)
    q = gi.fdr_adjust(p)
    return gi.Detection(grid, x, z, p, q, gi.classify(z, q), period, offence)
