"""Where to put the next cameras (activity 1.7.2): a maximal covering location problem.

Given ``n`` new cameras of view radius ``r``, choose among candidate sites the ``n`` that
cover the most hotspot weight (Church & ReVelle's MCLP). A hotspot counts as covered by a
site when its representative point lies within ``r`` of it. Weights are incident counts
where the caller has them (the ``weights`` parameter, hotspot id → weight), else one per
active hotspot; hotspots the working cameras already cover (class ``covered``) weigh 0.

Candidate sites: street intersections are not available offline, so the sites are a
square grid of :data:`GRID_SPACING_M` metres over the city unit (EPSG:32634), clipped to
it. The MIP is solved exactly by CBC through PuLP (the solver ships inside PuLP's wheel,
so it runs offline); a greedy choice on the same data is returned beside it for the
closing note.

    maximise   Σ_i w_i y_i
    subject to Σ_j x_j = n;   y_i ≤ Σ_{j covers i} x_j;   x, y ∈ {0, 1}
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots import settings
from hotspots.errors import ValidationError

#: Spacing, in metres, of the grid of candidate sites over the city unit.
GRID_SPACING_M: float = 100.0
#: View radius, in metres, of a new camera when none is given.
NEW_CAMERA_RADIUS_M: float = 50.0
#: Most new cameras one question may ask for.
MAX_NEW: int = 50
#: Seconds the MIP solver may take before it reports its best solution (never reached here).
SOLVER_SECONDS: int = 60


@dataclass(frozen=True)
class Choice:
    """A choice of sites: their indices, the weight they cover, the demand indices covered."""

    method: str
    sites: tuple[int, ...]
    weight: float
    covered: tuple[int, ...]
    optimal: bool


def candidate_grid(area: BaseGeometry, *, spacing_m: float = GRID_SPACING_M) -> gpd.GeoSeries:
    """Return a square grid of points ``spacing_m`` apart inside ``area`` (EPSG:4326 in, EPSG:32634 out).

    Examples
    --------
    >>> square = gpd.GeoSeries([shapely.box(423000, 4551000, 423300, 4551300)], crs="EPSG:32634").to_crs(4326)[0]
    >>> len(candidate_grid(square, spacing_m=100))
    9
    """
    if spacing_m < 10:
        raise ValidationError("err_cam_number", field="spacing_m", value=spacing_m, low=10, high="∞")
    metric = gpd.GeoSeries([area], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    minx, miny, maxx, maxy = metric.bounds
    xs = np.arange(minx + spacing_m / 2, maxx, spacing_m)
    ys = np.arange(miny + spacing_m / 2, maxy, spacing_m)
    gx, gy = np.meshgrid(xs, ys)
    points = shapely.points(gx.ravel(), gy.ravel())
    inside = shapely.contains(metric, points)
    return gpd.GeoSeries(points[inside], crs=settings.CRS_METRIC)


def coverage_matrix(demand: gpd.GeoSeries, sites: gpd.GeoSeries, radius_m: float) -> npt.NDArray[np.bool_]:
    """Return the boolean matrix ``a[i, j]``: site j is within ``radius_m`` of demand point i (metric CRS)."""
    if demand.crs is None or sites.crs is None:
        raise ValidationError("err_crs_missing")
    d = demand.to_crs(settings.CRS_METRIC)
    s = sites.to_crs(settings.CRS_METRIC)
    dx = d.x.to_numpy()[:, None] - s.x.to_numpy()[None, :]
    dy = d.y.to_numpy()[:, None] - s.y.to_numpy()[None, :]
    return np.asarray(np.hypot(dx, dy) <= radius_m)


def _check(matrix: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64], n: int) -> None:
    if not 1 <= n <= MAX_NEW:
        raise ValidationError("err_cam_number", field="n", value=n, low=1, high=MAX_NEW)
    if matrix.shape[0] != len(weights):
        raise ValidationError("err_siting_shape", rows=matrix.shape[0], weights=len(weights))
    if (weights < 0).any():
        raise ValidationError("err_cam_number", field="weights", value=float(weights.min()), low=0, high="∞")


def _covered(matrix: npt.NDArray[np.bool_], sites: list[int]) -> npt.NDArray[np.bool_]:
    if not sites:
        return np.zeros(matrix.shape[0], dtype=bool)
    return np.asarray(matrix[:, sites].any(axis=1))


def solve_mclp(matrix: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64], n: int) -> Choice:
    """Return the optimal choice of ``n`` sites (an exact MIP, CBC through PuLP).

    Only sites covering some positive weight are offered to the solver (others can never
    add anything); if fewer than ``n`` remain, all are chosen.

    Examples
    --------
    >>> a = np.array([[1, 0, 1], [1, 0, 0], [0, 1, 1]], dtype=bool)
    >>> solve_mclp(a, np.array([1.0, 1.0, 1.0]), 1).weight
    2.0
    """
    import pulp

    weights = np.asarray(weights, dtype=float)
    _check(matrix, weights, n)
    useful = [j for j in range(matrix.shape[1]) if (weights[matrix[:, j]] > 0).any()]
    demand = [i for i in range(len(weights)) if weights[i] > 0 and matrix[i, useful].any()]
    if len(useful) <= n:
        return _choice("mclp", matrix, weights, useful, optimal=True)
    prob = pulp.LpProblem("mclp", pulp.LpMaximize)
    x = {j: prob.add_variable(f"x_{j}", cat="Binary") for j in useful}
    y = {i: prob.add_variable(f"y_{i}", cat="Binary") for i in demand}
    prob += pulp.lpSum(float(weights[i]) * y[i] for i in demand)
    prob += pulp.lpSum(x.values()) == n
    for i in demand:
        prob += y[i] <= pulp.lpSum(x[j] for j in useful if matrix[i, j])
    with warnings.catch_warnings():  # PuLP 3.3 warns that 4.0 will stop bundling CBC: pinned 3.3.2 bundles it
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=SOLVER_SECONDS)
    status = prob.solve(solver)
    chosen = sorted(j for j in useful if (x[j].value() or 0) > 0.5)
    return _choice("mclp", matrix, weights, chosen, optimal=pulp.LpStatus[status] == "Optimal")


def greedy(matrix: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64], n: int) -> Choice:
    """Return the greedy choice: each step takes the site adding the most uncovered weight.

    Ties go to the lowest site index. Stops early when no site adds anything.
    """
    weights = np.asarray(weights, dtype=float)
    _check(matrix, weights, n)
    chosen: list[int] = []
    for _ in range(n):
        left = np.where(_covered(matrix, chosen), 0.0, weights)
        gains = left @ matrix
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        chosen.append(best)
    return _choice("greedy", matrix, weights, sorted(chosen), optimal=False)


def _choice(method: str, matrix: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64], sites: list[int], *,
            optimal: bool) -> Choice:
    covered = _covered(matrix, sites) & (weights > 0)
    return Choice(method, tuple(sites), float(weights[covered].sum()), tuple(int(i) for i in np.flatnonzero(covered)),
                  optimal)


@dataclass(frozen=True)
class SitingResult:
    """Both choices on the same data, with the sites and the hotspots they cover."""

    mclp: Choice
    greedy: Choice
    sites: gpd.GeoSeries
    demand: pd.DataFrame
    radius_m: float
    spacing_m: float


def demand_weights(coverage: pd.DataFrame, hotspots: gpd.GeoDataFrame,
                   weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Return the demand table: located active hotspots not yet covered, their point and weight.

    ``coverage`` is :func:`hotspots.cameras.coverage` of the period; ``hotspots`` gives
    the geometries. ``weights`` (id → weight, e.g. incident counts) overrides the default
    of one per hotspot; an id missing from it weighs 0. Already covered hotspots weigh 0.
    """
    located = coverage[coverage["share"].notna()]
    geom = hotspots.sort_values("period", kind="stable").drop_duplicates("id", keep="last").set_index("id").geometry
    frame = located[["id", "name", "class"]].copy()
    frame["point"] = [geom.loc[i].representative_point() for i in frame["id"]]
    base = [1.0 if weights is None else float(weights.get(i, 0.0)) for i in frame["id"]]
    frame["weight"] = [0.0 if c == "covered" else w for c, w in zip(frame["class"], base, strict=True)]
    return frame.reset_index(drop=True)


def site_cameras(
    demand: pd.DataFrame, area: BaseGeometry, n: int, *, radius_m: float = NEW_CAMERA_RADIUS_M,
    spacing_m: float = GRID_SPACING_M, sites: gpd.GeoSeries | None = None,
) -> SitingResult:
    """Choose ``n`` sites for new cameras: the MCLP optimum and the greedy choice.

    Parameters
    ----------
    demand
        :func:`demand_weights` (``point`` in EPSG:4326, ``weight``).
    area
        Where the candidate grid is laid (EPSG:4326), normally the city unit.
    sites
        Candidate sites to use instead of the grid (any CRS).
    """
    candidates = candidate_grid(area, spacing_m=spacing_m) if sites is None else sites.to_crs(settings.CRS_METRIC)
    points = gpd.GeoSeries(list(demand["point"]), crs=settings.CRS_STORE)
    matrix = coverage_matrix(points, candidates, radius_m)
    w = demand["weight"].to_numpy(dtype=float)
    return SitingResult(solve_mclp(matrix, w, n), greedy(matrix, w, n), candidates, demand, radius_m, spacing_m)


def sites_table(result: SitingResult, choice: Choice) -> pd.DataFrame:
    """Return one row per chosen site: ``site``, ``lat``, ``lon``, ``weight`` it alone covers, ``hotspots``."""
    wgs = result.sites.to_crs(settings.CRS_STORE)
    points = gpd.GeoSeries(list(result.demand["point"]), crs=settings.CRS_STORE)
    matrix = coverage_matrix(points, result.sites, result.radius_m)
    rows = []
    for rank, j in enumerate(choice.sites, start=1):
        hit = [int(i) for i in np.flatnonzero(matrix[:, j]) if result.demand["weight"].iloc[i] > 0]
        rows.append({"site": rank, "lat": round(float(wgs.y.iloc[j]), 6), "lon": round(float(wgs.x.iloc[j]), 6),
                     "weight": float(result.demand["weight"].iloc[hit].sum()),
                     "hotspots": ", ".join(str(result.demand["id"].iloc[i]) for i in hit)})
    return pd.DataFrame(rows, columns=["site", "lat", "lon", "weight", "hotspots"])


@dataclass(frozen=True)
class SitingAnswer:
    """What the cameras page shows of a :class:`SitingResult`: both choices as tables, their weights."""

    best: pd.DataFrame
    quick: pd.DataFrame
    best_weight: float
    quick_weight: float
    total_weight: float
    n_sites: int


def answer(result: SitingResult) -> SitingAnswer:
    """Return the optimum's and the greedy choice's site tables and weights, and the total weight."""
    return SitingAnswer(sites_table(result, result.mclp), sites_table(result, result.greedy), result.mclp.weight,
                        result.greedy.weight, float(result.demand["weight"].sum()), len(result.sites))


def answer_text(found: SitingAnswer, lang: str) -> str:
    """Return the sentence comparing the optimum with the greedy choice, in ``lang``."""
    from hotspots.i18n import t

    return t("site_result", lang, best=f"{found.best_weight:g}", quick=f"{found.quick_weight:g}",
             total=f"{found.total_weight:g}", sites=found.n_sites)
