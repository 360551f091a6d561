"""Hot spots found in the incidents (activity 1.7.1): Getis-Ord Gi* on a grid of cells.

Method (also in the README):

- **Grid**: square cells of :data:`settings.GI_CELL_M` metres (150 m) in EPSG:32634, aligned on
  multiples of the side (cell ``"ix:iy"`` is ``[ix·s, (ix+1)·s) × [iy·s, (iy+1)·s)``), every
  cell that meets the city unit. A cell's value is the number of placed incidents in it.
- **Weights**: binary distance band of √2 cell sides between cell centres (the 8 cells around
  a cell, the queen neighbours), with the cell itself weighted 1 (Gi*, ``star=True``,
  ``transform="B"``). Every cell of the grid has at least one neighbour, since the grid covers
  a connected unit; the self-weight alone would still give it a defined z.
- **Gi*** (Getis & Ord 1992; Ord & Getis 1995), analytical, for cell *i* with weights w_ij::

      z_i = (Σ_j w_ij x_j − x̄ W_i) / (s √((n S_i − W_i²) / (n − 1)))

  with W_i = Σ_j w_ij, S_i = Σ_j w_ij² (= W_i for binary weights), x̄ and s the mean and the
  population standard deviation of all n cells. It equals ``esda.G_Local(star=True,
  transform="B").Zs`` (tested to 1e-6).
- **p-values**: two-sided, on the side of z. While the cells average fewer than
  :data:`settings.GI_EXACT_BELOW` incidents (sparse counts, where the normal tails are far too
  thin), exact: the local sum is binomial under "incidents spread evenly over the study area"
  (:func:`exact_p`, each cell weighted by its area inside the area); else from the normal
  distribution (:func:`p_values`).
- **False discovery rate**: Benjamini-Hochberg over the cells of the run; a cell is hot (cold)
  at 99 / 95 / 90 % when z > 0 (z < 0) and its BH-adjusted p is at most 0.01 / 0.05 / 0.10,
  as Esri's ``Gi_Bin`` with the FDR option.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import shapely
from scipy import sparse, special
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.incidents import periods
from hotspots.plan import units


#: Labels of a cell, strongest hot first.
LABELS: tuple[str, ...] = ("hot_99", "hot_95", "hot_90", "not_significant", "cold_90", "cold_95", "cold_99")
#: Colour of each label on the map (Esri's hot/cold ramp).
COLOURS: dict[str, str] = {"hot_99": "#d62f27", "hot_95": "#ed7551", "hot_90": "#fab984", "not_significant": "#f7f7f7",
                           "cold_90": "#c0ccbe", "cold_95": "#849eba", "cold_99": "#4575b5"}


@dataclass(frozen=True)
class Grid:
    """Square cells over an area: integer column/row ``ix``/``iy``, the side in metres (EPSG:32634), area shares."""

    ix: np.ndarray
    iy: np.ndarray
    size: float
    #: Share (0–1) of each cell's area inside the study area (None: all of it).
    share: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Return the number of cells."""
        return len(self.ix)

    def ids(self) -> np.ndarray:
        """Return the cell ids ``"ix:iy"``."""
        return np.char.add(np.char.add(self.ix.astype(str), ":"), self.iy.astype(str))

    def centres(self) -> np.ndarray:
        """Return the cell centres as an (n, 2) array of metres."""
        return np.column_stack([(self.ix + 0.5) * self.size, (self.iy + 0.5) * self.size])

    def boxes(self, crs: str = settings.CRS_STORE) -> gpd.GeoSeries:
        """Return the cells as polygons in ``crs``."""
        s = self.size
        boxes = shapely.box(self.ix * s, self.iy * s, (self.ix + 1) * s, (self.iy + 1) * s)
        series = gpd.GeoSeries(boxes, crs=settings.CRS_METRIC)
        return series if crs == settings.CRS_METRIC else series.to_crs(crs)

    @cached_property
    def _lookup(self) -> tuple[int, int, np.ndarray]:
        """Return (first column, first row, raster of cell indices over the grid's box, -1 outside)."""
        if not self.n:
            return 0, 0, np.full((1, 1), -1, dtype=np.int64)
        x0, y0 = int(self.ix.min()), int(self.iy.min())
        raster = np.full((int(self.iy.max()) - y0 + 1, int(self.ix.max()) - x0 + 1), -1, dtype=np.int64)
        raster[self.iy - y0, self.ix - x0] = np.arange(self.n)
        return x0, y0, raster

    def index_of(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return the cell index of metric points (-1 outside the grid)."""
        x0, y0, raster = self._lookup
        ny, nx = raster.shape
        cx = np.floor(np.asarray(x, dtype=float) / self.size).astype(np.int64) - x0
        cy = np.floor(np.asarray(y, dtype=float) / self.size).astype(np.int64) - y0
        ok = (cx >= 0) & (cx < nx) & (cy >= 0) & (cy < ny)
        return np.where(ok, raster.ravel()[np.where(ok, cy * nx + cx, 0)], -1)

    def count_points(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return the number of metric points in each cell (points outside the grid are left out).

        One ``bincount`` over the raster of the grid's box, then the grid's cells picked from it.
        """
        x0, y0, raster = self._lookup
        ny, nx = raster.shape
        cx = np.floor(np.asarray(x, dtype=float) / self.size).astype(np.int64) - x0
        cy = np.floor(np.asarray(y, dtype=float) / self.size).astype(np.int64) - y0
        ok = (cx >= 0) & (cx < nx) & (cy >= 0) & (cy < ny)
        counts = np.bincount(cy[ok] * nx + cx[ok], minlength=nx * ny)
        per_cell: np.ndarray = counts[(self.iy - y0) * nx + (self.ix - x0)].astype(float)
        return per_cell

    @cached_property
    def band_weights(self) -> sparse.csr_matrix:
        """Return the Gi* weights of the default band (:func:`weights`), built once per grid."""
        return _band_weights(self, band_m(self))


def make_grid(area: BaseGeometry | None = None, *, size_m: float | None = None) -> Grid:
    """Return the square cells of side ``size_m`` that meet ``area`` (EPSG:4326; the city unit by default).

    Raises
    ------
    ValidationError
        If the side is not a positive number of metres (10 to 5,000).

    Examples
    --------
    >>> make_grid(size_m=150).n > 500
    True
    """
    size = settings.GI_CELL_M if size_m is None else float(size_m)
    if not 10 <= size <= 5000:
        raise ValidationError("err_gi_cell", value=size)
    area = units.city_unit() if area is None else area
    metric = gpd.GeoSeries([area], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    minx, miny, maxx, maxy = metric.bounds
    xs = np.arange(np.floor(minx / size), np.ceil(maxx / size), dtype=np.int64)
    ys = np.arange(np.floor(miny / size), np.ceil(maxy / size), dtype=np.int64)
    ix, iy = (a.ravel() for a in np.meshgrid(xs, ys))
    boxes = shapely.box(ix * size, iy * size, (ix + 1) * size, (iy + 1) * size)
    keep = shapely.intersects(boxes, metric)
    share = shapely.area(shapely.intersection(boxes[keep], metric)) / size ** 2
    return Grid(ix[keep], iy[keep], size, np.clip(share, 0.0, 1.0))


def band_m(grid: Grid) -> float:
    """Return the distance band of the weights in metres (√2 cell sides, a hair more for rounding)."""
    return settings.GI_BAND_CELLS * grid.size * (1 + 1e-9)


def weights(grid: Grid, band: float | None = None) -> sparse.csr_matrix:
    """Return the binary distance-band weights with the self-weight 1 (Gi*), as a sparse matrix.

    Cells whose centres are within ``band`` metres (default :func:`band_m`) are neighbours.
    """
    return grid.band_weights if band is None else _band_weights(grid, band)


def _band_weights(grid: Grid, band: float) -> sparse.csr_matrix:
    from scipy.spatial import cKDTree

    tree = cKDTree(grid.centres())
    pairs = tree.query_pairs(band, output_type="ndarray")
    i = np.r_[pairs[:, 0], pairs[:, 1], np.arange(grid.n)]
    j = np.r_[pairs[:, 1], pairs[:, 0], np.arange(grid.n)]
    return sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(grid.n, grid.n))


def gi_star(x: np.ndarray, w: sparse.csr_matrix) -> np.ndarray:
    """Return the Gi* z-score of every cell (columns of ``x`` are analysed one by one when 2-D).

    Binary weights are assumed (S_i = W_i). A column with no variation gives z = 0 everywhere.

    Examples
    --------
    >>> from scipy import sparse
    >>> w = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]], dtype=float))
    >>> np.round(gi_star(np.array([4.0, 1.0, 0.0]), w), 3).tolist()
    [0.981, 0.0, -1.373]
    """
    values = np.asarray(x, dtype=float)
    flat = values.ndim == 1
    cube = values[:, None] if flat else values
    n = cube.shape[0]
    wi = np.asarray(w.sum(axis=1)).ravel()[:, None]
    mean = cube.mean(axis=0)
    sd = np.sqrt(np.maximum((cube ** 2).mean(axis=0) - mean ** 2, 0.0))
    spread = np.sqrt((n * wi - wi ** 2) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (w @ cube - mean * wi) / (sd * spread)
    z[:, sd == 0] = 0.0
    z = np.where(np.isfinite(z), z, 0.0)
    out: np.ndarray = z[:, 0] if flat else z
    return out


def p_values(z: np.ndarray) -> np.ndarray:
    """Return two-sided normal p-values of z-scores."""
    p: np.ndarray = 2.0 * special.ndtr(-np.abs(z))
    return p


def exact_p(x: np.ndarray, w: sparse.csr_matrix, share: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return the exact one-sided p-values (high, low) of every cell's Gi* local sum under an even spread.

    The null: each of the N incidents fell anywhere in the study area with equal chance, so a
    cell's expected share is its area inside the study area (``share``, 0–1 per cell; default 1).
    The Gi* local sum ``S_i = Σ_j w_ij x_j`` (binary weights, the cell included) is then binomial
    with N trials and probability ``π_i = Σ_j w_ij share_j / Σ_j share_j`` (the conditional, exact
    form of a Poisson test): ``high = P(S ≥ observed)``, ``low = P(S ≤ observed)``. Counts must be
    non-negative integers.

    Examples
    --------
    >>> from scipy import sparse
    >>> w = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]], dtype=float))
    >>> high, low = exact_p(np.array([4.0, 1.0, 0.0]), w)  # cell 0: S = 5 of N = 5, π = 2/3
    >>> round(float(high[0]), 4), round(float(low[2]), 4)  # (2/3)^5; P(S <= 1), S ~ Bin(5, 2/3)
    (0.1317, 0.0453)
    """
    from scipy import stats

    counts = np.asarray(x, dtype=float)
    if (counts < 0).any() or not np.allclose(counts, np.round(counts)):
        raise ValueError("exact Gi* p-values need non-negative integer counts")
    area = np.ones(len(counts)) if share is None else np.asarray(share, dtype=float)
    total = int(round(counts.sum()))
    if total == 0 or area.sum() <= 0:
        return np.ones(len(counts)), np.ones(len(counts))
    binary = sparse.csr_matrix(w, dtype=float, copy=True)
    binary.data = (binary.data != 0).astype(float)
    local = np.round(np.asarray(binary @ counts).ravel())
    chance = np.clip(np.asarray(binary @ area).ravel() / area.sum(), 0.0, 1.0)
    high = np.asarray(stats.binom.sf(local - 1, total, chance), dtype=float)
    low = np.asarray(stats.binom.cdf(local, total, chance), dtype=float)
    return np.clip(high, 0.0, 1.0), np.clip(low, 0.0, 1.0)


def cell_p_values(x: np.ndarray, w: sparse.csr_matrix, z: np.ndarray, share: np.ndarray | None = None) -> np.ndarray:
    """Return the two-sided p of every cell's Gi*, on the side of its z: exact when the counts are sparse.

    With counts averaging fewer than :data:`settings.GI_EXACT_BELOW` incidents per cell, the
    normal curve's tails are far too thin for the small p the false-discovery rate needs; there
    the p is exact (:func:`exact_p`: twice the one-sided p on the side of z, at most 1). From that
    mean on, the normal p of ``z`` (:func:`p_values`). A cell with z = 0 gets p = 1.
    """
    values = np.asarray(x, dtype=float)
    is_count = bool(len(values) and (values >= 0).all() and np.allclose(values, np.round(values)))
    if not (is_count and values.mean() < settings.GI_EXACT_BELOW):
        return p_values(z)
    high, low = exact_p(values, w, share)
    p: np.ndarray = np.where(z > 0, np.minimum(1.0, 2.0 * high), np.where(z < 0, np.minimum(1.0, 2.0 * low), 1.0))
    return p


def fdr_adjust(p: np.ndarray) -> np.ndarray:
    """Return Benjamini-Hochberg adjusted p-values (along the first axis when 2-D).

    A test is rejected at false-discovery rate q exactly when its adjusted p is at most q.

    Examples
    --------
    >>> fdr_adjust(np.array([0.01, 0.04, 0.03, 0.5])).round(3).tolist()
    [0.04, 0.053, 0.053, 0.5]
    """
    values = np.asarray(p, dtype=float)
    flat = values.ndim == 1
    cube = values[:, None] if flat else values
    m = cube.shape[0]
    order = np.argsort(cube, axis=0, kind="stable")
    ranked = np.take_along_axis(cube, order, axis=0) * m / np.arange(1, m + 1)[:, None]
    ranked = np.minimum.accumulate(ranked[::-1], axis=0)[::-1]
    out = np.empty_like(cube)
    np.put_along_axis(out, order, np.minimum(ranked, 1.0), axis=0)
    return out[:, 0] if flat else out


def classify(z: np.ndarray, p_adjusted: np.ndarray) -> np.ndarray:
    """Return the label of each cell: ``hot_99`` … ``not_significant`` … ``cold_99``."""
    levels = sorted(settings.GI_LEVELS, key=lambda lq: lq[1])  # strongest first: 99, 95, 90
    names = np.array(["not_significant", *(f"hot_{lv}" for lv, _ in levels), *(f"cold_{lv}" for lv, _ in levels)],
                     dtype=object)
    strength = np.zeros(np.shape(z), dtype=np.int64)  # 0: none, 1: the strongest level met …
    for rank, (_level, q) in enumerate(reversed(levels)):  # weakest first, stronger overwrite
        strength[p_adjusted <= q] = len(levels) - rank
    code = np.where(strength == 0, 0, np.where(z > 0, strength, strength + len(levels)))
    code[(strength > 0) & (z == 0)] = 0
    return names[code]


def confidence(label: str) -> int:
    """Return the confidence in percent of a label (0 when not significant).

    Examples
    --------
    >>> confidence("hot_95"), confidence("not_significant")
    (95, 0)
    """
    head, _, tail = label.partition("_")
    return int(tail) if head in ("hot", "cold") else 0


def in_period(incidents: gpd.GeoDataFrame, period: str | None) -> gpd.GeoDataFrame:
    """Return the incidents of one period (``2023-H2``, ``2023-Q3``, ``2023-05``); all when None."""
    if period is None:
        return incidents
    kind, label = periods.parse_period(period)
    if label is None:
        raise ValidationError("err_inc_period", value=period)
    if incidents.empty:
        return incidents
    return incidents[(periods.labels(incidents["occurred_on"], kind) == label).to_numpy()]


def cell_values(grid: Grid, incidents: gpd.GeoDataFrame) -> np.ndarray:
    """Return the number of placed incidents in each cell of ``grid`` (those outside it are left out)."""
    placed = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
    if placed.empty:
        return np.zeros(grid.n)
    metric = placed.geometry.to_crs(settings.CRS_METRIC)
    return grid.count_points(metric.x.to_numpy(), metric.y.to_numpy())


@dataclass(frozen=True)
class Detection:
    """A Gi* run: the grid, each cell's count, z, p, FDR-adjusted p and label, and what was analysed."""

    grid: Grid
    count: np.ndarray
    z: np.ndarray
    p: np.ndarray
    p_fdr: np.ndarray
    label: np.ndarray
    period: str | None
    offence: str | None

    def frame(self, crs: str = settings.CRS_STORE) -> gpd.GeoDataFrame:
        """Return one row per cell: ``cell``, ``count``, ``z``, ``p``, ``p_fdr``, ``label``, ``geometry``."""
        return gpd.GeoDataFrame({"cell": self.grid.ids(), "count": self.count.astype(int), "z": self.z.round(6),
                                 "p": self.p, "p_fdr": self.p_fdr, "label": self.label},
                                geometry=self.grid.boxes(crs).to_numpy(), crs=crs)


def detect(incidents: gpd.GeoDataFrame, *, period: str | None = None, offence: str | None = None,
           size_m: float | None = None, area: BaseGeometry | None = None,
           transform: Callable[[np.ndarray], np.ndarray] | None = None) -> Detection:
    """Return the Gi* hot and cold spots of the incidents of a period (and offence class).

    Parameters
    ----------
    incidents
        Incident points in EPSG:4326 with ``occurred_on`` (ISO) and ``offence``.
    period
        One half-year, quarter or month label; None analyses every incident given.
    offence
        One offence class; None takes them all.
    size_m
        Cell side in metres (default :data:`settings.GI_CELL_M`).
    area
        Area of the grid in EPSG:4326 (default: the city unit).
    transform
        Applied to the cell counts before the analysis (what protected roles see:
        :func:`hotspots.incidents.disclosure.floored`); the result's counts are the transformed ones.
    """
    chosen = in_period(incidents, period)
    if offence is not None:
        chosen = chosen[chosen["offence"] == offence]
    grid = make_grid(area, size_m=size_m)
    x = cell_values(grid, chosen)
    if transform is not None:
        x = transform(x)
    w = weights(grid)
    z = gi_star(x, w)
    p = cell_p_values(x, w, z, grid.share)
    q = fdr_adjust(p)
    return Detection(grid, x, z, p, q, classify(z, q), period, offence)
