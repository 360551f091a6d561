"""Near-repeat analysis: the Knox test in space–time bands, as Ratcliffe's Near Repeat Calculator.

Every pair of incidents closer than the last space band is put in a space band (metres, EPSG:32634)
and a time band (days apart). The observed number of pairs per band is compared with the same
count after the dates are shuffled among the places (Monte Carlo, seeded): the Knox ratio is
observed ÷ mean shuffled, the pseudo p-value ``(1 + shuffles with at least as many) / (1 + shuffles)``.
A band is raised when its ratio is above 1 and its p-value below :data:`ALPHA`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from hotspots.base import settings


#: Level of the Monte Carlo test of a band.
ALPHA: float = 0.05
#: Default width and number of the space bands (metres) and time bands (days).
SPACE_BAND_M: float = 100.0
SPACE_BANDS: int = 4
TIME_BAND_DAYS: int = 7
TIME_BANDS: int = 4
#: Default number of shuffles (Ratcliffe's calculator offers 20 to 999).
PERMUTATIONS: int = 999


@dataclass(frozen=True)
class Knox:
    """The Knox table: observed and mean shuffled pairs per (space band, time band), ratios and p-values."""

    observed: np.ndarray
    expected: np.ndarray
    p: np.ndarray
    space_m: float
    days: int
    permutations: int
    seed: int
    incidents: int

    @property
    def ratio(self) -> np.ndarray:
        """Return the Knox ratio of every band (NaN where nothing was expected)."""
        safe = np.where(self.expected > 0, self.expected, 1.0)
        out: np.ndarray = np.where(self.expected > 0, self.observed / safe, np.nan)
        return out

    @property
    def raised(self) -> np.ndarray:
        """Return whether each band's risk is raised beyond chance."""
        out: np.ndarray = (self.p < ALPHA) & (np.nan_to_num(self.ratio) > 1)
        return out

    def extent(self) -> tuple[float, int] | None:
        """Return (metres, days) of the raised risk around an incident; None when the nearest band is not raised.

        The run of raised bands from the nearest one outwards in space (at the first time band)
        and in time (at the first space band).
        """
        raised = self.raised
        if not raised[0, 0]:
            return None
        s = int(np.argmin(np.r_[raised[:, 0], False]))
        t = int(np.argmin(np.r_[raised[0, :], False]))
        return s * self.space_m, t * self.days

    def frame(self) -> pd.DataFrame:
        """Return one row per band: its bounds (m, days), ``observed``, ``expected``, ``ratio``, ``p``, ``raised``."""
        s, t = np.indices(self.observed.shape)
        return pd.DataFrame({"space_from": (s * self.space_m).ravel(), "space_to": ((s + 1) * self.space_m).ravel(),
                             "days_from": np.where(t == 0, 0, t * self.days + 1).ravel(),
                             "days_to": ((t + 1) * self.days).ravel(),
                             "observed": self.observed.ravel().astype(int), "expected": self.expected.ravel().round(2),
                             "ratio": np.round(self.ratio.ravel(), 2), "p": self.p.ravel().round(4),
                             "raised": self.raised.ravel()})


def bands(values: np.ndarray, width: float) -> np.ndarray:
    """Return the band of each distance: ``[0, width]`` is 0, ``(width, 2 width]`` is 1, and so on.

    Examples
    --------
    >>> bands(np.array([0, 7, 8, 14, 15]), 7).tolist()
    [0, 0, 1, 1, 2]
    """
    out: np.ndarray = np.maximum(np.ceil(np.asarray(values, dtype=float) / width) - 1, 0).astype(np.int64)
    return out


def _table(i: np.ndarray, j: np.ndarray, sband: np.ndarray, days: np.ndarray, width: int, nt: int, ns: int) -> np.ndarray:
    tband = bands(np.abs(days[i] - days[j]), width)
    keep = tband < nt
    out: np.ndarray = np.bincount(sband[keep] * nt + tband[keep], minlength=ns * nt).reshape(ns, nt)
    return out


def knox(xy: np.ndarray, days: np.ndarray, *, space_m: float = SPACE_BAND_M, space_bands: int = SPACE_BANDS,
         days_band: int = TIME_BAND_DAYS, time_bands: int = TIME_BANDS, permutations: int = PERMUTATIONS,
         seed: int = 0) -> Knox:
    """Return the Knox test of metric points ``xy`` (n, 2) with dates as day numbers ``days``.

    Examples
    --------
    >>> xy = np.array([[0, 0], [10, 0], [5000, 0], [5010, 0]]); days = np.array([0, 2, 100, 300])
    >>> int(knox(xy, days, permutations=9).observed[0, 0])
    1
    """
    days = np.asarray(days, dtype=np.int64)
    pairs = cKDTree(xy).query_pairs(space_m * space_bands, output_type="ndarray") if len(xy) > 1 else np.zeros((0, 2), int)
    i, j = pairs[:, 0], pairs[:, 1]
    sband = bands(np.hypot(*(xy[i] - xy[j]).T), space_m) if len(i) else np.zeros(0, np.int64)
    observed = _table(i, j, sband, days, days_band, time_bands, space_bands)
    rng = np.random.default_rng(seed)
    total, at_least = np.zeros(observed.shape), np.zeros(observed.shape)
    for _ in range(permutations):
        shuffled = _table(i, j, sband, rng.permutation(days), days_band, time_bands, space_bands)
        total += shuffled
        at_least += shuffled >= observed
    return Knox(observed, total / max(permutations, 1), (1 + at_least) / (1 + permutations), space_m, days_band,
                permutations, seed, len(xy))


def knox_incidents(incidents: gpd.GeoDataFrame, **options: int | float) -> Knox:
    """Return :func:`knox` of the placed incidents (``occurred_on`` ISO dates), measured in EPSG:32634."""
    placed = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
    metric = placed.geometry.to_crs(settings.CRS_METRIC)
    xy = np.column_stack([metric.x.to_numpy(), metric.y.to_numpy()]) if len(placed) else np.zeros((0, 2))
    day = (pd.to_datetime(placed["occurred_on"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    return knox(xy, day, **options)  # type: ignore[arg-type]
