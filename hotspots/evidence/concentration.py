"""The law of crime concentration (Weisburd 2015): how much of a period's crime lies on how little of the city.

The city is cut into the square cells of the Gi* grid (:func:`hotspots.evidence.hotspot_detection.make_grid`,
empty cells included). Cells are ranked by their count (or harm), and the curve gives, for the
top share of cells, the share of incidents they hold; between the ranked cells it is read
linearly.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.base import settings
from hotspots.evidence import hotspot_detection


#: Shares of cells (per cent) the concentration table reports.
TOP_PERCENTS: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0)


def curve(values: np.ndarray) -> pd.DataFrame:
    """Return the concentration curve of per-cell ``values``: ``cells_share`` and ``incidents_share`` (0–1).

    One row per cell in decreasing order of its value, after a first row (0, 0).

    Examples
    --------
    >>> curve(np.array([1, 0, 3, 2, 4])).round(2).values.tolist()
    [[0.0, 0.0], [0.2, 0.4], [0.4, 0.7], [0.6, 0.9], [0.8, 1.0], [1.0, 1.0]]
    """
    ranked = np.sort(np.asarray(values, dtype=float))[::-1]
    total = ranked.sum()
    held = np.concatenate([[0.0], np.cumsum(ranked) / total]) if total > 0 else np.zeros(len(ranked) + 1)
    return pd.DataFrame({"cells_share": np.arange(len(ranked) + 1) / max(len(ranked), 1), "incidents_share": held})


def share_in_top(values: np.ndarray, percent: float) -> float:
    """Return the share (0–1) of the total held by the top ``percent`` of cells (read linearly between cells).

    Examples
    --------
    >>> share_in_top(np.array([4, 3, 2, 1]), 25), round(share_in_top(np.array([4, 3, 2, 1]), 10), 2)
    (0.4, 0.16)
    """
    c = curve(values)
    return float(np.interp(percent / 100.0, c["cells_share"], c["incidents_share"]))


def area_holding(values: np.ndarray, share: float = 0.5) -> float | None:
    """Return the smallest share of cells (0–1) holding ``share`` of the total; None when there is nothing.

    Examples
    --------
    >>> round(area_holding(np.array([4, 3, 2, 1])), 4)
    0.3333
    """
    c = curve(values)
    if c["incidents_share"].iloc[-1] <= 0:
        return None
    y, x = c["incidents_share"].to_numpy(), c["cells_share"].to_numpy()
    k = int(np.searchsorted(y, share, side="left"))
    if y[k] == share or k == 0:
        return float(x[k])
    return float(x[k - 1] + (x[k] - x[k - 1]) * (share - y[k - 1]) / (y[k] - y[k - 1]))


def cell_totals(grid: hotspot_detection.Grid, incidents: gpd.GeoDataFrame, weights: pd.Series | None = None) -> np.ndarray:
    """Return each cell's number of placed incidents, or sum of ``weights`` (aligned to ``incidents``) when given."""
    placed = incidents.geometry.notna() & ~incidents.geometry.is_empty
    chosen = incidents[placed.to_numpy()]
    if chosen.empty:
        return np.zeros(grid.n)
    metric = chosen.geometry.to_crs(settings.CRS_METRIC)
    index = grid.index_of(metric.x.to_numpy(), metric.y.to_numpy())
    w = np.ones(len(chosen)) if weights is None else weights[placed.to_numpy()].to_numpy(dtype=float)
    inside = index >= 0
    return np.bincount(index[inside], weights=w[inside], minlength=grid.n).astype(float)


def summary(values: np.ndarray, *, percents: tuple[float, ...] = TOP_PERCENTS) -> dict[str, float | int | None]:
    """Return the figures of one curve: ``cells``, ``total``, ``cells_with``, ``top_<p>`` shares, ``area_for_half``.

    Examples
    --------
    >>> summary(np.array([5, 3, 2, 0, 0, 0, 0, 0, 0, 0]), percents=(10.0, 20.0))
    {'cells': 10, 'total': 10.0, 'cells_with': 3, 'top_10': 0.5, 'top_20': 0.8, 'area_for_half': 0.1}
    """
    out: dict[str, float | int | None] = {"cells": len(values), "total": round(float(np.sum(values)), 4),
                                           "cells_with": int(np.count_nonzero(values))}
    for p in percents:
        out[f"top_{p:g}"] = round(share_in_top(values, p), 4) if np.sum(values) > 0 else None
    found = area_holding(values)
    out["area_for_half"] = None if found is None else round(found, 4)
    return out
