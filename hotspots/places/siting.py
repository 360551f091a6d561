"""Where to put the next cameras (activity 1.7.2): a maximal covering location problem.

Given ``n`` new cameras of view radius ``r``, choose among candidate sites the ``n`` that
cover the most hotspot weight (Church & ReVelle's MCLP). A site covers a hotspot by the same
test the coverage page uses (:func:`hotspots.places.coverage.covers`): the camera's view area (a disc
of ``r``) holds at least :data:`hotspots.places.coverage.COVERED_MIN` of the hotspot's **hot zone** —
its zone's area, its street's length, or the disc a point stands for by its grade (50 m exact,
150 m landmark, 300 m approximate). So a site said to cover a hotspot makes it ``covered`` once
a camera is put there; a hot zone no single camera of radius ``r`` can cover (a 150 m landmark
disc for a 50 m camera) is listed as **out of reach**, never counted. Weights are incident counts
where the caller has them (the ``weights`` parameter, hotspot id → weight), else one per
active hotspot; hotspots the working cameras already cover (class ``covered``) weigh 0.

Candidate sites: street intersections are not available offline, so the sites are a
square grid of :data:`GRID_SPACING_M` metres over the city unit (EPSG:32634), clipped to
it, and the centre of every hot zone with weight (a camera may stand at the hotspot itself;
without it a point hotspot 70 m from every grid site could never be covered by a 50 m
camera). The MIP is solved exactly by CBC through PuLP (the solver ships inside PuLP's wheel,
so it runs offline); a greedy choice on the same data is returned beside it for the
closing note.

    maximise   Σ_i w_i y_i
    subject to Σ_j x_j = n;   y_i ≤ Σ_{j covers i} x_j;   x, y ∈ {0, 1}
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.base.i18n import t, tn
from hotspots.places import coverage as camera_coverage


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
    """Return the boolean matrix ``a[i, j]``: a camera of ``radius_m`` at site j covers hot zone i.

    ``demand`` holds the hot zones (points, zones or streets, any CRS); the test is
    :func:`hotspots.places.coverage.covers` on the camera's view area (:func:`hotspots.places.coverage.view_area`),
    the one the coverage page uses. Only the pairs whose shapes meet are measured (STRtree).
    """
    if demand.crs is None or sites.crs is None:
        raise ValidationError("err_crs_missing")
    zones = demand.to_crs(settings.CRS_METRIC).to_numpy()
    s = sites.to_crs(settings.CRS_METRIC)
    views = np.array([camera_coverage.view_area(x, y, radius_m) for x, y in zip(s.x, s.y, strict=True)], dtype=object)
    matrix = np.zeros((len(zones), len(views)), dtype=bool)
    if not len(zones) or not len(views):
        return matrix
    zone_i, view_j = shapely.STRtree(views).query(zones, predicate="intersects")
    points = shapely.get_type_id(zones[zone_i]) == 0  # a point meeting the view is inside it: covered
    matrix[zone_i[points], view_j[points]] = True
    for i, j in zip(zone_i[~points].tolist(), view_j[~points].tolist(), strict=True):
        matrix[i, j] = camera_coverage.covers(zones[i], views[j])
    return matrix


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
    """Both choices on the same data, the sites, the hotspots they cover and those no site can reach."""

    mclp: Choice
    greedy: Choice
    sites: gpd.GeoSeries
    demand: pd.DataFrame
    radius_m: float
    spacing_m: float
    matrix: npt.NDArray[np.bool_] | None = None
    #: Demand rows with weight that no candidate site covers (out of reach of one camera of this radius).
    unreachable: tuple[int, ...] = ()


def demand_weights(coverage: pd.DataFrame, hotspots: gpd.GeoDataFrame,
                   weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Return the demand table: located active hotspots not yet covered, their point, hot zone and weight.

    ``coverage`` is :func:`hotspots.places.coverage.coverage` of the period; ``hotspots`` gives
    the geometries and grades. ``zone`` is the hot zone coverage is measured on
    (:func:`hotspots.places.coverage.hot_zone`, EPSG:32634), ``point`` its representative point
    (EPSG:4326). ``weights`` (id → weight, e.g. incident counts) overrides the default of one
    per hotspot; an id missing from it weighs 0. Already covered hotspots weigh 0.
    """
    located = coverage[coverage["share"].notna()]
    latest = hotspots.sort_values("period", kind="stable").drop_duplicates("id", keep="last").set_index("id")
    geom, metric = latest.geometry, latest.geometry.to_crs(settings.CRS_METRIC)
    frame = located[["id", "name", "class"]].copy()
    frame["point"] = [geom.loc[i].representative_point() for i in frame["id"]]
    frame["zone"] = pd.Series([camera_coverage.hot_zone(metric.loc[i], str(latest.loc[i, "location_quality"]))
                               for i in frame["id"]], index=frame.index, dtype=object)
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
        :func:`demand_weights` (``point`` in EPSG:4326, ``weight``; ``zone`` in EPSG:32634, the hot
        zone to cover — without it, the point itself).
    area
        Where the candidate grid is laid (EPSG:4326), normally the city unit.
    sites
        Candidate sites to use instead of the grid and the hotspots' own points (any CRS).
    """
    points = gpd.GeoSeries(list(demand["point"]), crs=settings.CRS_STORE)
    zones = (gpd.GeoSeries(list(demand["zone"]), crs=settings.CRS_METRIC) if "zone" in demand.columns else points)
    if sites is None:  # the grid, and the centre of every hot zone with weight (a camera at the hotspot itself)
        own = zones.to_crs(settings.CRS_METRIC).centroid[demand["weight"].to_numpy(dtype=float) > 0]
        grid = candidate_grid(area, spacing_m=spacing_m)
        candidates = gpd.GeoSeries(pd.concat([grid, own], ignore_index=True), crs=settings.CRS_METRIC)
    else:
        candidates = sites.to_crs(settings.CRS_METRIC)
    matrix = coverage_matrix(zones, candidates, radius_m)
    w = demand["weight"].to_numpy(dtype=float)
    unreachable = tuple(int(i) for i in np.flatnonzero((w > 0) & ~matrix.any(axis=1))) if len(w) else ()
    return SitingResult(solve_mclp(matrix, w, n), greedy(matrix, w, n), candidates, demand, radius_m, spacing_m,
                        matrix, unreachable)


def sites_table(result: SitingResult, choice: Choice) -> pd.DataFrame:
    """Return one row per chosen site: ``site``, ``lat``, ``lon``, ``weight`` it alone covers, ``hotspots``."""
    wgs = result.sites.to_crs(settings.CRS_STORE)
    matrix = result.matrix
    if matrix is None:
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
    """What the cameras page shows of a :class:`SitingResult`: both choices as tables, their weights, what is out of reach."""

    best: pd.DataFrame
    quick: pd.DataFrame
    best_weight: float
    quick_weight: float
    total_weight: float
    n_sites: int
    #: The hotspots (``id``, ``name``, ``weight``) no candidate site can cover with one camera of the radius.
    unreachable: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["id", "name", "weight"]))
    radius_m: float = NEW_CAMERA_RADIUS_M


def unreachable_table(result: SitingResult) -> pd.DataFrame:
    """Return the demand no candidate site can cover: ``id``, ``name``, ``weight`` (see :class:`SitingResult`)."""
    rows = result.demand.iloc[list(result.unreachable)]
    return pd.DataFrame({"id": rows["id"].to_numpy(), "name": rows["name"].to_numpy(),
                         "weight": rows["weight"].to_numpy(dtype=float)}, columns=["id", "name", "weight"])


def answer(result: SitingResult) -> SitingAnswer:
    """Return the optimum's and the greedy choice's site tables and weights, the total weight, what is out of reach."""
    return SitingAnswer(sites_table(result, result.mclp), sites_table(result, result.greedy), result.mclp.weight,
                        result.greedy.weight, float(result.demand["weight"].sum()), len(result.sites),
                        unreachable_table(result), result.radius_m)


def answer_text(found: SitingAnswer, lang: str) -> str:
    """Return the sentence comparing the optimum with the greedy choice, and naming what no site can reach, in ``lang``."""
    text = t("site_result", lang, best=f"{found.best_weight:g}", quick=f"{found.quick_weight:g}",
             total=f"{found.total_weight:g}", sites=found.n_sites)
    if len(found.unreachable):
        names = ", ".join(f"{i} {name}".strip() for i, name in zip(found.unreachable["id"], found.unreachable["name"],
                                                                  strict=True))
        text += " " + tn("site_unreachable", len(found.unreachable), lang, radius=f"{found.radius_m:g}", names=names,
                         weight=f"{found.unreachable['weight'].sum():g}")
    return text
