"""How hotspots change between two review periods (activity 1.7.5), and how complete a review is.

Every class is a recorded fact or a measurement of recorded places, never a guess:

- ``persistent``: recorded active in both periods at the same place (representative
  points within ``persist_m``, or streets/zones overlapping);
- ``moved``: recorded active in both, at another place beyond the old location's
  uncertainty, with the distance in metres (EPSG:32634) and the compass direction;
- ``refined`` ("located more precisely"): recorded active in both, the new place lying
  within the old location's uncertainty (its grade's radius around its shape, see
  :data:`hotspots.base.settings.GRADE_UNCERTAINTY_M`, or inside the old zone);
- ``reappeared``: resolved before, recorded active again (identity kept across any gap);
- ``new``: recorded active in B with no earlier record (or only a removed one);
- ``resolved``: recorded resolved in B (or between A and B);
- ``removed``: recorded removed in B (a data correction, not a success);
- ``not_reviewed``: active in A and nothing recorded yet for B. Never read as resolved.

Identity is the one staff record. Spatial relations between hotspots of the **same
category** that identity leaves unlinked are reported as events, never as a change of
class: an optimal one-to-one assignment (minimum total distance within ``max_match_m``,
solved exactly on the sparse graph of every pair within reach, per connected component) pairs resolved hotspots of A with
new ones of B (``shift``: a possible displacement); of the hotspots the assignment left
unmatched, a new one whose nearest hotspot of A continues is a ``split`` from it, and a
resolved one whose nearest hotspot of B continues is a ``merge`` into it. An event
never involves a hotspot that identity already links, so it cannot contradict a class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from hotspots.base import settings
from hotspots.base.i18n import direction_words, t
from hotspots.base.labels import SENTENCE, counted, unit_words


#: Representative points closer than this (metres) mean "the same place".
PERSIST_M: float = 150.0
#: Largest distance (metres) at which two hotspots without identity may be matched.
MAX_MATCH_M: float = 500.0
#: Buffer (metres) given to lines before their overlap is measured.
LINE_BUFFER_M: float = 25.0
#: Overlap (intersection over union) above which two shapes are "the same place".
OVERLAP_SAME: float = 0.3

COMPASS: tuple[str, ...] = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
#: Classes of a hotspot between two periods, in the order tables show them.
CLASSES: tuple[str, ...] = (
    "new", "persistent", "moved", "refined", "reappeared", "resolved", "removed", "not_reviewed",
)
#: Classes of a hotspot that is present in both periods under its recorded identity.
CONTINUED: tuple[str, ...] = ("persistent", "moved", "refined")
#: Classes of a hotspot active in period A (the "before" count).
ACTIVE_BEFORE: tuple[str, ...] = (*CONTINUED, "resolved", "removed", "not_reviewed")
#: Classes of a hotspot recorded active in period B (the "after" count).
ACTIVE_AFTER: tuple[str, ...] = (*CONTINUED, "new", "reappeared")
#: Kinds of event between hotspots that identity leaves unlinked.
EVENTS: tuple[str, ...] = ("shift", "split", "merge")
MOVEMENT_COLUMNS: tuple[str, ...] = (
    "id", "class", "category", "distance_m", "direction", "bearing_deg", "overlap",
    "unit_before", "unit_after", "recorded_in", "event", "related", "related_distance_m", "related_direction",
)


def compass(bearing: float) -> str:
    """Return the 8-point compass name of a bearing in degrees (0 = north, clockwise).

    Examples
    --------
    >>> compass(44.0), compass(350.0), compass(180.0)
    ('NE', 'N', 'S')
    """
    return COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]


def bearing_deg(dx: float, dy: float) -> float:
    """Return the bearing of a displacement (metres east, metres north), 0-360°."""
    return math.degrees(math.atan2(dx, dy)) % 360


def _metric(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    if gdf.crs is None:
        raise ValueError("hotspots have no CRS")
    return gdf.geometry.to_crs(settings.CRS_METRIC)


def overlap(a: BaseGeometry, b: BaseGeometry) -> float:
    """Return the intersection over union of two metric shapes (lines buffered; points 0)."""
    if a.geom_type == "Point" or b.geom_type == "Point":
        return 0.0
    a2 = a if a.area > 0 else a.buffer(LINE_BUFFER_M)
    b2 = b if b.area > 0 else b.buffer(LINE_BUFFER_M)
    union = a2.union(b2).area
    return float(a2.intersection(b2).area / union) if union > 0 else 0.0


def candidate_pairs(xy_a: np.ndarray, xy_b: np.ndarray, *, max_distance: float) -> sp.coo_matrix:
    """Return the sparse matrix of every pair (A, B) within ``max_distance`` (KD-tree, no truncation).

    A pair at distance exactly 0 is stored as a tiny positive distance, so that it is not lost as
    an implicit zero of the sparse matrix.
    """
    if len(xy_a) == 0 or len(xy_b) == 0:
        return sp.coo_matrix((len(xy_a), len(xy_b)))
    found = cKDTree(xy_a).sparse_distance_matrix(cKDTree(xy_b), max_distance, output_type="ndarray")
    dist = np.maximum(found["v"], 1e-12)
    return sp.coo_matrix((dist, (found["i"], found["j"])), shape=(len(xy_a), len(xy_b)))


def _match_component(pi: np.ndarray, pj: np.ndarray, d: np.ndarray, n_a: int, n_b: int,
                     penalty: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the optimal pairs (local A index, local B index) of one connected component.

    ``pi``, ``pj``, ``d``: the component's candidate pairs in local indices (A 0…n_a-1, B 0…n_b-1).
    Each point gets an "unmatched" option costing ``penalty``; a B point's dummy may take an A
    point's dummy only where the pair itself is a candidate (cost ~0), so the graph always has a
    full matching and stays sparse.
    """
    eps = 1e-6
    r = np.concatenate([pi, np.arange(n_a), n_a + np.arange(n_b), n_a + pj])
    c = np.concatenate([pj, n_b + np.arange(n_a), np.arange(n_b), n_b + pi])
    v = np.concatenate([d + eps, np.full(n_a, penalty), np.full(n_b, penalty), np.full(len(pi), eps)])
    graph = sp.csr_matrix((v, (r, c)), shape=(n_a + n_b, n_b + n_a))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = (row_ind < n_a) & (col_ind < n_b)
    return row_ind[real], col_ind[real]


def match_points(xy_a: np.ndarray, xy_b: np.ndarray, *, max_distance: float = MAX_MATCH_M) -> list[tuple[int, int, float]]:
    """Optimal one-to-one matching of two point sets within ``max_distance``.

    Minimises the total distance of the matched pairs plus a penalty of ``max_distance + 1`` m per
    point left unmatched (so a pair within reach is always worth making). Every pair within
    ``max_distance`` is a candidate (KD-tree ``sparse_distance_matrix``, no truncation to the
    nearest few); the graph is split into its connected components and each is solved exactly
    (``min_weight_full_bipartite_matching`` on the sparse graph with one "unmatched" option per
    point). The result is the exact optimum, checked against a dense solver in the tests.

    Returns
    -------
    list of (index in A, index in B, distance), sorted by the index in A

    Examples
    --------
    >>> match_points(np.array([[0.0, 0], [100, 0]]), np.array([[60.0, 0], [170, 0]]), max_distance=100)
    [(0, 0, 60.0), (1, 1, 70.0)]
    """
    n_a = len(xy_a)
    pairs = candidate_pairs(np.asarray(xy_a, dtype=float), np.asarray(xy_b, dtype=float), max_distance=max_distance)
    if pairs.nnz == 0:
        return []
    links = sp.bmat([[None, pairs], [pairs.T, None]]).tocsr()
    _, component = connected_components(links, directed=False)
    comp_a, comp_b = component[:n_a], component[n_a:]
    local_a, local_b = _local_index(comp_a), _local_index(comp_b)
    pair_comp = comp_a[pairs.row]
    order = np.argsort(pair_comp, kind="stable")
    bounds = np.flatnonzero(np.diff(pair_comp[order])) + 1
    sizes_a, sizes_b = np.bincount(comp_a, minlength=len(component)), np.bincount(comp_b, minlength=len(component))
    ids_a, ids_b = _members(comp_a), _members(comp_b)
    out: list[tuple[int, int]] = []
    for chunk in np.split(order, bounds):
        k = int(pair_comp[chunk[0]])
        pi, pj, d = local_a[pairs.row[chunk]], local_b[pairs.col[chunk]], pairs.data[chunk]
        li, lj = _match_component(pi, pj, d, int(sizes_a[k]), int(sizes_b[k]), max_distance + 1.0)
        out.extend(zip(ids_a[k][li].tolist(), ids_b[k][lj].tolist(), strict=True))
    i, j = np.array([p[0] for p in out], dtype=np.int64), np.array([p[1] for p in out], dtype=np.int64)
    dist = np.hypot(*(np.asarray(xy_a, dtype=float)[i] - np.asarray(xy_b, dtype=float)[j]).T)
    return sorted(zip(i.tolist(), j.tolist(), dist.tolist(), strict=True))


def _local_index(component: np.ndarray) -> np.ndarray:
    """Return each point's rank among the points of its component (in index order)."""
    order = np.argsort(component, kind="stable")
    ranks = np.empty(len(component), dtype=np.int64)
    sorted_comp = component[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_comp)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(component)]))
    ranks[order] = np.arange(len(component)) - first
    return ranks


def _members(component: np.ndarray) -> dict[int, np.ndarray]:
    """Return the point indices of each component (in index order)."""
    order = np.argsort(component, kind="stable")
    sorted_comp = component[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_comp)) + 1]
    return {int(sorted_comp[s]): chunk for s, chunk in zip(starts, np.split(order, starts[1:]), strict=True)}


@dataclass(frozen=True)
class Change:
    """The displacement between two shapes of the same hotspot."""

    distance_m: float
    bearing: float
    overlap: float

    @property
    def direction(self) -> str:
        """Return the compass direction of the move."""
        return compass(self.bearing)


def anchor(geom: BaseGeometry) -> shapely.Point:
    """Return the representative point of a shape.

    Itself for a point, the middle of a street, the centroid of a zone (or a point inside it
    when the centroid falls outside).
    """
    if isinstance(geom, shapely.Point):
        return geom
    if geom.geom_type == "LineString":
        return geom.interpolate(0.5, normalized=True)
    centroid = geom.centroid
    return centroid if geom.area > 0 and geom.contains(centroid) else geom.representative_point()


def change(a: BaseGeometry, b: BaseGeometry) -> Change:
    """Measure how a metric shape moved: representative-point distance, bearing, overlap."""
    pa, pb = anchor(a), anchor(b)
    dx, dy = pb.x - pa.x, pb.y - pa.y
    return Change(math.hypot(dx, dy), bearing_deg(dx, dy), overlap(a, b))


def _is_same_place(c: Change, persist_m: float) -> bool:
    return c.distance_m <= persist_m or c.overlap >= OVERLAP_SAME


def within_uncertainty(old: BaseGeometry, grade: str, new: BaseGeometry) -> bool:
    """Return whether the new (metric) shape's anchor lies within the old shape's uncertainty.

    The uncertainty is the old shape grown by its grade's radius
    (:data:`hotspots.base.settings.GRADE_UNCERTAINTY_M`); a zone contains its own points.
    """
    radius = settings.GRADE_UNCERTAINTY_M.get(str(grade), 0.0)
    area = old.buffer(radius) if radius > 0 else old
    return bool(area.covers(anchor(new)))


def geometry_class(old: BaseGeometry, old_grade: str, new: BaseGeometry, *, persist_m: float = PERSIST_M) -> tuple[str, Change]:
    """Return ``persistent``, ``refined`` or ``moved`` for two metric shapes of one hotspot.

    Examples
    --------
    >>> import shapely
    >>> geometry_class(shapely.Point(0, 0), "approximate", shapely.Point(0, 250))[0]
    'refined'
    >>> geometry_class(shapely.Point(0, 0), "exact", shapely.Point(0, 250))[0]
    'moved'
    """
    ch = change(old, new)
    if _is_same_place(ch, persist_m):
        return "persistent", ch
    return ("refined" if within_uncertainty(old, old_grade, new) else "moved"), ch


@dataclass(frozen=True)
class Completeness:
    """How far the review of a period has come.

    ``due`` are the hotspots whose latest record before the period is active: each needs an
    outcome in the period. ``reviewed`` have one; ``not_reviewed`` do not (yet).
    """

    period: str
    due: tuple[str, ...]
    reviewed: tuple[str, ...]
    not_reviewed: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Return whether every hotspot due has an outcome."""
        return not self.not_reviewed


def completeness(observations: pd.DataFrame, period: str) -> Completeness:
    """Return which hotspots are due, reviewed and not reviewed in ``period``.

    Parameters
    ----------
    observations
        Every observation of one dataset (columns ``id``, ``period``, ``status``).

    Examples
    --------
    >>> obs = pd.DataFrame({"id": ["A", "B", "A"], "period": ["2022-H1", "2022-H1", "2022-H2"],
    ...                     "status": ["active", "active", "active"]})
    >>> completeness(obs, "2022-H2").not_reviewed
    ('B',)
    """
    earlier = observations[observations["period"] < period].sort_values("period")
    latest = earlier.groupby("id")["status"].last()
    due = tuple(sorted(latest.index[latest == "active"]))
    recorded = set(observations.loc[observations["period"] == period, "id"])
    return Completeness(period, due, tuple(h for h in due if h in recorded), tuple(h for h in due if h not in recorded))


def _state(obs: pd.DataFrame, a: str, b: str) -> dict[str, dict[str, Any]]:
    """Per hotspot: its latest record up to A, its record in B, its latest record between."""
    out: dict[str, dict[str, Any]] = {}
    for rec in obs.sort_values("period").to_dict("records"):
        slot = "a" if rec["period"] <= a else ("b" if rec["period"] == b else ("mid" if rec["period"] < b else None))
        if slot is not None:
            out.setdefault(str(rec["id"]), {})[slot] = rec
    return out


def classify(
    observations: gpd.GeoDataFrame, a: str, b: str, *,
    persist_m: float = PERSIST_M, max_match_m: float = MAX_MATCH_M,
) -> pd.DataFrame:
    """Classify every hotspot between periods ``a`` and ``b`` (``a`` before ``b``).

    Parameters
    ----------
    observations
        Observations of one dataset in any periods (columns ``id``, ``period``, ``status``,
        ``unit``, ``category``, ``location_quality`` and a geometry, any CRS). Records
        before ``a`` give identity across gaps; records between ``a`` and ``b`` tell a
        hotspot that ended in between.

    Returns
    -------
    DataFrame
        One row per hotspot active in ``a`` or recorded active in ``b``, with
        :data:`MOVEMENT_COLUMNS`: ``class`` (:data:`CLASSES`), ``recorded_in`` (the period
        whose record gives the class), and ``event``/``related`` for the events.

    Raises
    ------
    ValueError
        If ``a`` is not before ``b``, or the observations have no CRS.
    """
    if not a < b:
        raise ValueError(f"period {a!r} must come before {b!r}")
    metric = observations.assign(geometry=_metric(observations))
    rows = []
    for hid, st in _state(metric, a, b).items():
        row = _classify_one(hid, st, persist_m)
        if row is not None:
            rows.append(row)
    result = pd.DataFrame(rows, columns=[*MOVEMENT_COLUMNS, "_geom_a", "_geom_b"])
    for col in ("unit_before", "unit_after"):
        result[col] = pd.to_numeric(result[col]).astype("Int64")
    result = _mark_events(result, max_match_m)
    order = {c: i for i, c in enumerate(CLASSES)}
    result = result.sort_values(["category", "class", "id"], key=lambda s: s.map(order) if s.name == "class" else s)
    return result.drop(columns=["_geom_a", "_geom_b"]).reset_index(drop=True)


def _classify_one(hid: str, st: dict[str, Any], persist_m: float) -> dict[str, Any] | None:
    sa, sb, mid = st.get("a"), st.get("b"), st.get("mid")
    row: dict[str, Any] = dict.fromkeys(MOVEMENT_COLUMNS)
    row.update(id=hid, _geom_a=None, _geom_b=None, category=(sb or mid or sa or {}).get("category"))
    if sa is not None and sa["status"] == "active":
        row.update(unit_before=sa["unit"], _geom_a=sa["geometry"])
        if sb is not None and sb["status"] == "active":
            row.update(_continued(sa, sb, persist_m), unit_after=sb["unit"], _geom_b=sb["geometry"], recorded_in=sb["period"])
        elif sb is not None:
            row.update({"class": str(sb["status"]), "recorded_in": sb["period"]})
        elif mid is not None and mid["status"] != "active":
            row.update({"class": str(mid["status"]), "recorded_in": mid["period"]})
        else:
            row["class"] = "not_reviewed"
        return row
    if sb is None or sb["status"] != "active":
        return None
    reappeared = sa is not None and sa["status"] == "resolved"
    row.update({"class": "reappeared" if reappeared else "new", "unit_after": sb["unit"], "_geom_b": sb["geometry"],
                "recorded_in": sb["period"]})
    return row


def _continued(sa: dict[str, Any], sb: dict[str, Any], persist_m: float) -> dict[str, Any]:
    ga, gb = sa["geometry"], sb["geometry"]
    if not (_located(ga) and _located(gb)):  # cannot be measured: the recorded identity stands
        return {"class": "persistent"}
    cls, ch = geometry_class(ga, str(sa["location_quality"]), gb, persist_m=persist_m)
    return {"class": cls, "distance_m": round(ch.distance_m, 1), "bearing_deg": round(ch.bearing, 1),
            "direction": ch.direction if cls == "moved" else None, "overlap": round(ch.overlap, 3)}


def _located(geom: object) -> bool:
    return isinstance(geom, BaseGeometry) and not geom.is_empty


def _xy(geom: BaseGeometry) -> tuple[float, float]:
    p = anchor(geom)
    return p.x, p.y


def _relate(marks: dict[Any, list[Any]], ids: pd.Series, i: Any, j: Any, kind: str, src: BaseGeometry,
            dst: BaseGeometry, *, both: bool) -> None:
    """Mark event ``kind`` on row ``i`` (and on ``j`` if ``both``), measured from ``src`` to ``dst``.

    A hotspot that identity links is only ever named as ``related``: its own row is left alone.
    """
    ch = change(src, dst)
    for me, other in ((i, j), (j, i)) if both else ((i, j),):
        marks.setdefault(me, [kind, ids[other], round(ch.distance_m, 1), ch.direction])


def _nearest(points: list[tuple[Any, BaseGeometry]], targets: list[tuple[Any, BaseGeometry]], max_m: float) -> dict[Any, Any]:
    """Map each labelled shape to the label of its nearest target within ``max_m``."""
    if not points or not targets:
        return {}
    tree = cKDTree(np.array([_xy(g) for _, g in targets]))
    dist, idx = tree.query(np.array([_xy(g) for _, g in points]), distance_upper_bound=max_m)
    return {p[0]: targets[k][0] for p, d, k in zip(points, np.asarray(dist), np.asarray(idx), strict=True) if np.isfinite(d)}


def _mark_events(result: pd.DataFrame, max_m: float) -> pd.DataFrame:
    """Add shift, split and merge events per category (see the module docstring)."""
    marks: dict[Any, list[Any]] = {}
    ids = result["id"]
    for _category, mine in result.groupby("category", dropna=False):
        cls, ga, gb = mine["class"], mine["_geom_a"], mine["_geom_b"]
        ended = [(i, ga[i]) for i in mine.index if cls[i] == "resolved" and _located(ga[i])]
        fresh = [(i, gb[i]) for i in mine.index if cls[i] == "new" and _located(gb[i])]
        xy_e = np.array([_xy(g) for _, g in ended]).reshape(-1, 2)
        xy_f = np.array([_xy(g) for _, g in fresh]).reshape(-1, 2)
        for k, m, _d in match_points(xy_e, xy_f, max_distance=max_m):
            _relate(marks, ids, fresh[m][0], ended[k][0], "shift", ended[k][1], fresh[m][1], both=True)
        go_on = [i for i in mine.index if cls[i] in CONTINUED]
        before = [(i, ga[i]) for i in go_on if _located(ga[i])]
        after = [(i, gb[i]) for i in go_on if _located(gb[i])]
        for f, parent in _nearest([x for x in fresh if x[0] not in marks], before, max_m).items():
            _relate(marks, ids, f, parent, "split", ga[parent], gb[f], both=False)
        for e, heir in _nearest([x for x in ended if x[0] not in marks], after, max_m).items():
            _relate(marks, ids, e, heir, "merge", ga[e], gb[heir], both=False)
    columns = ["event", "related", "related_distance_m", "related_direction"]
    for n, col in enumerate(columns):
        result[col] = pd.Series({i: mark[n] for i, mark in marks.items()}, index=result.index, dtype=object)
    return result


def events(result: pd.DataFrame) -> pd.DataFrame:
    """Return the rows that carry an event (``id``, ``class``, ``event``, ``related``, distance, direction)."""
    cols = ["id", "class", "category", "event", "related", "related_distance_m", "related_direction"]
    return result.loc[result["event"].notna(), cols].reset_index(drop=True)


def unit_of(result: pd.DataFrame) -> pd.Series:
    """Return each row's unit: the unit in period B where it has one, else in period A."""
    return result["unit_after"].fillna(result["unit_before"])


def summarise_units(result: pd.DataFrame, *, category: str) -> pd.DataFrame:
    """Return per unit (1-6, then None for "no unit") the counts of one category.

    Columns: ``unit``, ``before`` (active in A), ``after`` (recorded active in B), then one
    column per class of :data:`CLASSES`. Categories are never added together.
    """
    mine = result[result["category"] == category]
    rows = []
    for u in (*settings.UNIT_NUMBERS, None):
        here = mine[unit_of(mine).isna()] if u is None else mine[unit_of(mine) == u]
        before = mine[(mine["unit_before"].isna() if u is None else mine["unit_before"] == u) & mine["class"].isin(ACTIVE_BEFORE)]
        after = mine[(mine["unit_after"].isna() if u is None else mine["unit_after"] == u) & mine["class"].isin(ACTIVE_AFTER)]
        rows.append({"unit": u, "before": len(before), "after": len(after),
                     **{c: int((here["class"] == c).sum()) for c in CLASSES}})
    table = pd.DataFrame(rows)
    return table if table.loc[table["unit"].isna()].iloc[0, 1:].sum() else table[table["unit"].notna()]


def unit_sentence(unit: int | None, result: pd.DataFrame, lang: str, *, category: str) -> str:
    """Return one plain sentence on what changed in ``unit`` for one category.

    Examples: "Unit no. 6: 1 hotspot moved 350 m to the north-east, 1 resolved, 2 not yet reviewed".
    """
    mine = result[(result["category"] == category) & (unit_of(result).isna() if unit is None else unit_of(result) == unit)]
    parts = []
    for _, r in mine[mine["class"] == "moved"].iterrows():
        parts.append(t("sent_moved", lang, m=int(round(float(r["distance_m"]), -1)),
                       dir=direction_words(str(r["direction"]), lang)))
    for cls in CLASSES:
        n = int((mine["class"] == cls).sum())
        if n and cls != "moved":
            parts.append(counted(SENTENCE, cls, n, lang))
    body = ", ".join(parts) if parts else t("sent_nothing", lang)
    name = t("no_unit", lang) if unit is None else unit_words(unit, lang)
    return f"{name}: {body}"
