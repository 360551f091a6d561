"""Emerging hot-spot analysis (activities 1.7.1 and 1.7.5): how each cell's heat changes.

A space-time cube holds the incidents per cell of the Gi* grid (:mod:`hotspots.evidence.hotspot_detection`)
and per time step (:data:`settings.EHSA_STEP`: month or quarter; every step from the first to the
last incident, empty ones included). Each time slice gets its own Gi* z-scores (same weights),
two-sided p-values and a Benjamini-Hochberg correction within the slice; a bin is **hot** (cold)
when z > 0 (z < 0) and it is significant at :data:`settings.EHSA_BIN_LEVEL` % (90 %). Each cell's
z-scores then get a Mann-Kendall trend test (:func:`hotspots.plan.trends.mann_kendall`, exact and
tie-aware); the trend is **up** / **down** when p < :data:`settings.EHSA_TREND_ALPHA`.

Labels: Esri's published definitions ("How Emerging Hot Spot Analysis works", ArcGIS Pro 2.8,
the page sfdep's ``R/emerging-hostpot-classifications.R`` implements and quotes), with sfdep's
choices where Esri's sentences overlap or say nothing. "90 %" is :data:`settings.EHSA_SHARE` of
the time steps; F is the final step; "hot" is a significant bin with z > 0:

===============  ===================================================================================
new              hot at F, no significant bin (hot or cold) before
consecutive      one unbroken run of ≥ 2 hot steps ending at F, no significant bin before it, < 90 % hot
intensifying     hot in ≥ 90 % of steps including F, z trend up
persistent       hot in ≥ 90 % of steps including F, no z trend
diminishing      hot in ≥ 90 % of steps including F, z trend down
oscillating      hot at F, < 90 % hot, cold in at least one earlier step
sporadic         hot at least once, < 90 % hot, never cold, and not one of the above (F hot or not)
historical       not hot at F, hot in ≥ 90 % of steps
===============  ===================================================================================

The cold labels mirror them with "cold" for "hot" and the trend reversed: ``cold_intensifying``
is a cold spot getting colder (z trend down), ``cold_diminishing`` one warming up (z trend up).
The final step decides the family: a location significant at F is labelled from that side (hot
at F: the hot rules; cold at F: the cold rules); one significant at neither takes ``historical``,
then ``sporadic``, from the side that was significant, else ``no_pattern`` (also when it was
both hot and cold before, neither at F: both texts need F significant for oscillating).

Where Esri's sentences and sfdep differ, which is followed:

- **new** / **consecutive** with a cold past: Esri's "never a hot spot before" also fits
  *oscillating*; as sfdep, a significant cold bin before makes it ``oscillating``.
- **persistent**: sfdep does not ask for F; Esri's *historical* ("the most recent time period
  is not hot") claims that case, so persistent needs F hot here (Esri).
- **historical**: sfdep asks z < 0 at F; here (Esri) F is simply not a hot bin.
- **sporadic**: Esri's sentence and sfdep do not require F to be hot ("an on-again then
  off-again hot spot"): a cell hot in 4 of 12 steps, not the last, is sporadic (sfdep, Esri).
- the trend: sfdep uses Kendall's normal approximation; here the exact, tie-aware
  Mann-Kendall p (:func:`hotspots.plan.trends.mann_kendall`) at :data:`settings.EHSA_TREND_ALPHA`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.evidence import hotspot_detection as gi
from hotspots.incidents import periods
from hotspots.plan import trends


#: Steps of the cube.
STEPS: tuple[str, ...] = ("month", "quarter")
#: Hot labels, in the order they are checked.
HOT: tuple[str, ...] = ("new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic", "oscillating",
                        "historical")
#: Every label, hot first, then cold, then none.
LABELS: tuple[str, ...] = (*HOT, *(f"cold_{h}" for h in HOT), "no_pattern")
#: Colour of each label on the map.
COLOURS: dict[str, str] = {
    "new": "#fcbba1", "consecutive": "#fc9272", "intensifying": "#b30000", "persistent": "#e34a33",
    "diminishing": "#fdae6b", "sporadic": "#fdd49e", "oscillating": "#c994c7", "historical": "#969696",
    "cold_new": "#c6dbef", "cold_consecutive": "#9ecae1", "cold_intensifying": "#08519c", "cold_persistent": "#3182bd",
    "cold_diminishing": "#6baed6", "cold_sporadic": "#deebf7", "cold_oscillating": "#bcbddc", "cold_historical": "#bdbdbd",
    "no_pattern": "#ffffff",
}


@dataclass(frozen=True)
class Cube:
    """A space-time cube: counts per cell (rows) and time step (columns), with the step labels."""

    grid: gi.Grid
    counts: np.ndarray
    steps: list[str]
    step: str


def _check_step(step: str) -> str:
    if step not in STEPS:
        raise ValidationError("err_ehsa_step", value=step, allowed=", ".join(STEPS))
    return step


def build_cube(incidents: gpd.GeoDataFrame, *, step: str | None = None, offence: str | None = None,
               size_m: float | None = None, area: BaseGeometry | None = None) -> Cube:
    """Return the incidents counted per cell and per time step (every step from the first to the last)."""
    step = _check_step(settings.EHSA_STEP if step is None else step)
    grid = gi.make_grid(area, size_m=size_m)
    chosen = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
    if offence is not None:
        chosen = chosen[chosen["offence"] == offence]
    if chosen.empty:
        return Cube(grid, np.zeros((grid.n, 0)), [], step)
    code, _half = periods.period_codes(chosen["occurred_on"], step)
    first, last = int(code.min()), int(code.max())
    metric = chosen.geometry.to_crs(settings.CRS_METRIC)
    cell = grid.index_of(metric.x.to_numpy(), metric.y.to_numpy())
    keep = cell >= 0
    t = code[keep] - first
    n_t = last - first + 1
    flat = np.bincount(cell[keep] * n_t + t, minlength=grid.n * n_t).astype(float)
    steps = [periods.code_label(c, step) for c in range(first, last + 1)]
    return Cube(grid, flat.reshape(grid.n, n_t), steps, step)


def space_time_z(cube: Cube, *, lag: int | None = None) -> np.ndarray:
    """Return the space-time Gi* z-score of every bin (cells × steps).

    The neighbourhood of bin (i, t) is every cell within the distance band of i (i included)
    at steps t, t-1 … t-``lag`` (:data:`settings.EHSA_TIME_LAG`; fewer at the first steps),
    binary weights; the mean and standard deviation are those of all bins of the cube, as
    Esri's space-time Gi* does. With ``lag`` 0 each slice is analysed on its own (cube moments).
    """
    lag = settings.EHSA_TIME_LAG if lag is None else lag
    x = cube.counts
    n_cells, n_t = x.shape
    lagged = x.copy()
    for k in range(1, lag + 1):
        lagged[:, k:] += x[:, :-k]
    w = gi.weights(cube.grid)
    wi = np.asarray(w.sum(axis=1)).ravel()[:, None] * np.minimum(np.arange(n_t) + 1, lag + 1)[None, :]
    n = x.size
    mean, sd = x.mean(), x.std()
    if sd == 0:
        return np.zeros_like(x)
    z: np.ndarray = (w @ lagged - mean * wi) / (sd * np.sqrt((n * wi - wi ** 2) / (n - 1)))
    return z


def hot_cold(z: np.ndarray, *, level: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return the hot and the cold bins: significant at ``level`` % after FDR within each time slice."""
    level = settings.EHSA_BIN_LEVEL if level is None else level
    q = gi.fdr_adjust(gi.p_values(z))
    sig = q <= 1 - level / 100
    return sig & (z > 0), sig & (z < 0)


def trend_of(series: Sequence[float], *, alpha: float | None = None) -> tuple[int, int, float]:
    """Return (direction +1/-1/0, Mann-Kendall S, p) of one cell's z-scores (exact, tie-aware)."""
    alpha = settings.EHSA_TREND_ALPHA if alpha is None else alpha
    test = trends.mann_kendall([round(float(v), 9) for v in series])  # rounding: equal z-scores tie
    direction = (1 if test.s > 0 else -1) if test.p_value < alpha and test.s != 0 else 0
    return direction, test.s, test.p_value


def label_one(hot: Sequence[bool], cold: Sequence[bool], trend: int, *, share: float | None = None) -> str:
    """Return the label of one location from its hot/cold bins (oldest first) and z trend (+1/-1/0).

    The rules are the module's table (Esri's definitions, sfdep's choices where they overlap).

    Examples
    --------
    >>> label_one([0, 0, 0, 1], [0, 0, 0, 0], 0), label_one([1, 1, 1, 1], [0, 0, 0, 0], -1)
    ('new', 'diminishing')
    >>> label_one([1, 1, 1, 0], [0, 0, 0, 1], 0), label_one([1, 1, 1, 1], [0] * 4, 0, share=0.9)
    ('cold_oscillating', 'persistent')
    >>> label_one([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0], [0] * 12, 0)
    'sporadic'
    """
    share = settings.EHSA_SHARE if share is None else share
    h, c = np.asarray(hot, dtype=bool), np.asarray(cold, dtype=bool)
    if not len(h):
        return "no_pattern"
    if h[-1]:
        return _side_label(h, c, trend, share)
    if c[-1]:
        return "cold_" + _side_label(c, h, -trend, share)
    for mine, prefix in ((h, ""), (c, "cold_")):
        if mine.mean() >= share:
            return prefix + "historical"
    for mine, other, prefix in ((h, c, ""), (c, h, "cold_")):
        if mine.any() and not other.any():
            return prefix + "sporadic"
    return "no_pattern"


def _side_label(h: np.ndarray, c: np.ndarray, trend: int, share: float) -> str:
    """Return the label of a location significant on side ``h`` at the final step (``c``: the other side)."""
    if h.sum() == 1 and not c.any():
        return "new"
    if h.mean() >= share:
        return {1: "intensifying", -1: "diminishing"}.get(trend, "persistent")
    if c.any():
        return "oscillating"
    before = np.flatnonzero(~h)
    start = int(before[-1]) + 1 if len(before) else 0  # the final run of significant steps
    if not h[:start].any():
        return "new" if len(h) - start == 1 else "consecutive"
    return "sporadic"


def classify_series(z: Sequence[float], significant: Sequence[bool], *, share: float | None = None,
                    alpha: float | None = None) -> str:
    """Return the label of one location from its Gi* z-scores and which bins are significant (oldest first).

    Hot bins are the significant ones with z > 0, cold bins those with z < 0; the trend is the
    exact Mann-Kendall test of the z-scores (:func:`trend_of`).

    Examples
    --------
    >>> classify_series([-6, -5.5, -5, -4.5, -4, -3.5, -3, -2.5], [True] * 8)
    'cold_diminishing'
    """
    zs, sig = np.asarray(z, dtype=float), np.asarray(significant, dtype=bool)
    direction = trend_of(zs.tolist(), alpha=alpha)[0] if len(zs) > 1 else 0
    return label_one((sig & (zs > 0)).tolist(), (sig & (zs < 0)).tolist(), direction, share=share)


@dataclass(frozen=True)
class Emerging:
    """The result: the cube, the z-scores, the hot/cold bins and one label and trend per cell."""

    cube: Cube
    z: np.ndarray
    hot: np.ndarray
    cold: np.ndarray
    label: np.ndarray
    trend: np.ndarray
    mk_s: np.ndarray
    mk_p: np.ndarray

    def frame(self, crs: str = settings.CRS_STORE) -> gpd.GeoDataFrame:
        """Return one row per cell: ``cell``, ``label``, ``hot_steps``, ``cold_steps``, ``steps``, ``trend``, ``mk_s``, ``mk_p``.

        ``mk_p`` (the exact Mann-Kendall p of the z-scores) is given where the label depends on it
        (hot or cold at the end and in at least 90 % of the steps), else empty; ``mk_s`` always.
        """
        n = len(self.cube.steps)
        return gpd.GeoDataFrame({
            "cell": self.cube.grid.ids(), "label": self.label, "hot_steps": self.hot.sum(axis=1).astype(int),
            "cold_steps": self.cold.sum(axis=1).astype(int), "steps": n, "trend": self.trend.astype(int),
            "mk_s": self.mk_s.astype(int), "mk_p": self.mk_p.round(6),
        }, geometry=self.cube.grid.boxes(crs).to_numpy(), crs=crs)


def analyse(cube: Cube) -> Emerging:
    """Return the emerging hot-spot labels of every cell of ``cube``."""
    z = space_time_z(cube) if cube.counts.shape[1] else np.zeros_like(cube.counts)
    hot, cold = hot_cold(z)
    n, n_t = cube.grid.n, len(cube.steps)
    direction, s, p = np.zeros(n, dtype=int), np.zeros(n, dtype=int), np.full(n, np.nan)
    if n_t > 1:  # S for every cell, vectorised: sum over i < j of sign(z_j - z_i)
        zr = np.round(z, 9)
        i, j = np.triu_indices(n_t, k=1)
        s = np.sign(zr[:, j] - zr[:, i]).sum(axis=1).astype(int)
    share = settings.EHSA_SHARE
    # the exact p only where the label depends on it: hot (cold) at the end and in >= 90 % of steps
    needs = (hot[:, -1] & (hot.mean(axis=1) >= share)) | (cold[:, -1] & (cold.mean(axis=1) >= share)) if n_t else \
        np.zeros(n, dtype=bool)
    for k in np.flatnonzero(needs):
        direction[k], s[k], p[k] = trend_of(z[k])
    labels = np.array([label_one(hot[i], cold[i], int(direction[i])) for i in range(n)], dtype=object)
    return Emerging(cube, z, hot, cold, labels, direction, s, p)


def emerging(incidents: gpd.GeoDataFrame, *, step: str | None = None, offence: str | None = None,
             size_m: float | None = None, transform: Callable[[np.ndarray], np.ndarray] | None = None) -> Emerging:
    """Return the emerging hot-spot analysis of the incidents over the city unit (see the module notes).

    ``transform`` is applied to the counts of the cube first (for protected roles:
    :func:`hotspots.incidents.disclosure.floored`).
    """
    cube = build_cube(incidents, step=step, offence=offence, size_m=size_m)
    if transform is not None:
        cube = dataclasses.replace(cube, counts=transform(cube.counts))
    return analyse(cube)


def summary_for(result: Emerging, areas: gpd.GeoDataFrame, key: str) -> pd.DataFrame:
    """Return per area (a unit, a hotspot's catchment) the labels of the cells it meets.

    ``areas`` holds ``key`` and polygons in EPSG:4326. Columns: ``key``, ``label`` (the first of
    :data:`LABELS` among its cells other than ``no_pattern``, else ``no_pattern``), ``cells``
    (the labels met with their numbers of cells, e.g. ``"persistent 3, new 1"``).
    """
    cells = result.frame(settings.CRS_METRIC)
    shapes = areas.to_crs(settings.CRS_METRIC)
    tree = shapely.STRtree(cells.geometry.to_numpy())
    rows = []
    for name, shape in zip(shapes[key], shapes.geometry, strict=True):
        hit = (tree.query(shape, predicate="intersects") if shape is not None and not shape.is_empty
               else np.array([], dtype=np.intp))
        found = pd.Series(cells["label"].to_numpy()[hit]).value_counts()
        found = found[found.index != "no_pattern"]
        order = [lab for lab in LABELS if lab in found.index]
        rows.append({key: name, "label": order[0] if order else "no_pattern",
                     "cells": ", ".join(f"{lab} {int(found[lab])}" for lab in order)})
    return pd.DataFrame(rows, columns=[key, "label", "cells"])
