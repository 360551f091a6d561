"""How hotspots change between two review periods, and their trend over all periods.

Classes between periods A and B (activity 1.7.5, "follow the dynamics of movement"):

- ``persistent``: the same hotspot (recorded identity, or matched) at the same place,
  i.e. its representative points within ``persist_m`` or, for streets and zones, its
  shapes overlapping;
- ``moved``: the same hotspot at another place, with the distance in metres (EPSG:32634)
  and the compass direction, e.g. "350 m NE";
- ``new``: in B only; ``resolved``: in A only, or recorded as resolved/removed in B.

Identity recorded by staff comes first. Hotspots without a recorded continuation are
matched by an optimal one-to-one assignment (minimum total distance, each pair within
``max_match_m``), solved on the sparse graph of candidate pairs from a KD-tree, never
greedily. Splits (one hotspot of A nearest to two or more of B) and merges (two or more
of A nearest to one of B) are reported as events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from hotspots import settings

#: Representative points closer than this (metres) mean "the same place".
PERSIST_M: float = 150.0
#: Largest distance (metres) at which two hotspots without identity may be matched.
MAX_MATCH_M: float = 500.0
#: Buffer (metres) given to lines before their overlap is measured.
LINE_BUFFER_M: float = 25.0
#: Overlap (intersection over union) above which two shapes are "the same place".
OVERLAP_SAME: float = 0.3

COMPASS: tuple[str, ...] = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
CLASSES: tuple[str, ...] = ("new", "persistent", "moved", "resolved")
MOVEMENT_COLUMNS: tuple[str, ...] = (
    "id", "class", "matched_from", "distance_m", "direction", "bearing_deg", "overlap",
    "unit_before", "unit_after", "category", "event",
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


#: Candidate partners per hotspot (nearest first) offered to the assignment.
CANDIDATES: int = 8


def candidate_pairs(xy_a: np.ndarray, xy_b: np.ndarray, *, max_distance: float, k: int = CANDIDATES) -> sp.coo_matrix:
    """Return the sparse matrix of candidate pairs: each point's ``k`` nearest partners on
    the other side (both directions), within ``max_distance``."""
    n_a, n_b = len(xy_a), len(xy_b)
    rows, cols, dist = [], [], []
    for src, dst, flip in ((xy_a, xy_b, False), (xy_b, xy_a, True)):
        kk = min(k, len(dst))
        d, j = cKDTree(dst).query(src, k=kk, distance_upper_bound=max_distance)
        d, j = d.reshape(len(src), kk), j.reshape(len(src), kk)
        ok = np.isfinite(d)
        i = np.repeat(np.arange(len(src)), kk).reshape(len(src), kk)
        r, c = (j[ok], i[ok]) if flip else (i[ok], j[ok])
        rows.append(r)
        cols.append(c)
        dist.append(d[ok])
    matrix = sp.coo_matrix((np.concatenate(dist), (np.concatenate(rows), np.concatenate(cols))), shape=(n_a, n_b))
    matrix.sum_duplicates()  # a pair found from both sides counts once (its distance twice: halve)
    found_twice = sp.coo_matrix((np.ones(len(np.concatenate(dist))), (np.concatenate(rows), np.concatenate(cols))), shape=(n_a, n_b))
    found_twice.sum_duplicates()
    matrix.data = matrix.data / found_twice.data
    return matrix


def match_points(
    xy_a: np.ndarray, xy_b: np.ndarray, *, max_distance: float = MAX_MATCH_M, k: int = CANDIDATES
) -> list[tuple[int, int, float]]:
    """Optimal one-to-one matching of two point sets within ``max_distance``.

    Minimises the total distance of the matched pairs, leaving a point unmatched when
    no partner lies within ``max_distance``. The candidate pairs come from a KD-tree
    (each point's ``k`` nearest partners, both ways); the assignment is solved exactly
    on that sparse graph (``min_weight_full_bipartite_matching``), extended with one
    "unmatched" option per point, so the cost grows with N·k, not with N². The optimum
    is exact whenever no optimal partner lies beyond the ``k`` nearest ones, which holds
    for any realistic hotspot density (and is checked against the dense solver in tests).

    Returns
    -------
    list of (index in A, index in B, distance)
    """
    n_a, n_b = len(xy_a), len(xy_b)
    if n_a == 0 or n_b == 0:
        return []
    pairs = candidate_pairs(xy_a, xy_b, max_distance=max_distance, k=k)
    if pairs.nnz == 0:
        return []
    eps = 1e-6
    d = pairs.data + eps
    penalty = max_distance + 1.0  # leaving both unmatched (2 x penalty) always costs more
    rows = np.concatenate([pairs.row, np.arange(n_a), n_a + np.arange(n_b), n_a + pairs.col])
    cols = np.concatenate([pairs.col, n_b + np.arange(n_a), np.arange(n_b), n_b + pairs.row])
    vals = np.concatenate([d, np.full(n_a, penalty), np.full(n_b, penalty), np.full(pairs.nnz, eps)])
    graph = sp.csr_matrix((vals, (rows, cols)), shape=(n_a + n_b, n_b + n_a))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    distances = dict(zip(zip(pairs.row.tolist(), pairs.col.tolist()), pairs.data.tolist()))
    return [
        (int(i), int(j), float(distances[(int(i), int(j))]))
        for i, j in zip(row_ind, col_ind) if i < n_a and j < n_b
    ]


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


def anchor(geom: BaseGeometry) -> BaseGeometry:
    """Return the representative point of a shape: itself for a point, the middle of a
    street, the centroid of a zone (or a point inside it when the centroid falls outside)."""
    if geom.geom_type == "Point":
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


def _active(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf[gdf["status"] == "active"]


def classify(
    before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, *,
    persist_m: float = PERSIST_M, max_match_m: float = MAX_MATCH_M,
) -> pd.DataFrame:
    """Classify every hotspot between two periods.

    Parameters
    ----------
    before, after
        Observations of periods A and B (columns ``id``, ``status``, ``unit``,
        ``category`` and a geometry, any CRS).

    Returns
    -------
    DataFrame
        One row per hotspot with :data:`MOVEMENT_COLUMNS`; ``matched_from`` names the
        hotspot of A a new id was matched to; ``event`` names splits and merges.
    """
    a, b = _active(before).set_index("id"), after.set_index("id")
    b_active = _active(after).set_index("id")
    a_geom, b_geom = _metric(before).set_axis(before["id"]), _metric(after).set_axis(after["id"])
    rows: dict[str, dict[str, object]] = {}

    def row(hid: str, cls: str, src: pd.Series | None, dst: pd.Series | None, ch: Change | None = None,
            matched: str | None = None) -> None:
        rows[hid] = {
            "id": hid, "class": cls, "matched_from": matched,
            "distance_m": None if ch is None else round(ch.distance_m, 1),
            "direction": None if ch is None or cls != "moved" else ch.direction,
            "bearing_deg": None if ch is None else round(ch.bearing, 1),
            "overlap": None if ch is None else round(ch.overlap, 3),
            "unit_before": None if src is None else src["unit"], "unit_after": None if dst is None else dst["unit"],
            "category": _category(src, dst),
            "event": None,
        }

    # 1. recorded identity
    for hid in a.index:
        src = a.loc[hid]
        if hid not in b.index or b.loc[hid, "status"] != "active":
            continue
        dst = b.loc[hid]
        ga, gb = a_geom.get(hid), b_geom.get(hid)
        if ga is None or gb is None or ga.is_empty or gb.is_empty:
            row(hid, "persistent", src, dst)  # cannot be measured: the recorded identity stands
            continue
        ch = change(ga, gb)
        row(hid, "persistent" if _is_same_place(ch, persist_m) else "moved", src, dst, ch)

    # 2. optimal matching of what identity left open (located only)
    open_a = [h for h in a.index if h not in rows and h not in b.index and _located(a_geom.get(h))]
    open_b = [h for h in b_active.index if h not in rows and h not in a.index and _located(b_geom.get(h))]
    xy_a = np.array([_xy(a_geom[h]) for h in open_a]).reshape(-1, 2)
    xy_b = np.array([_xy(b_geom[h]) for h in open_b]).reshape(-1, 2)
    for i, j, _dist in match_points(xy_a, xy_b, max_distance=max_match_m):
        ha, hb = open_a[i], open_b[j]
        ch = change(a_geom[ha], b_geom[hb])
        row(hb, "persistent" if _is_same_place(ch, persist_m) else "moved", a.loc[ha], b_active.loc[hb], ch, matched=ha)
        rows[hb]["_consumed"] = ha

    consumed = {r.get("_consumed") for r in rows.values()}
    # 3. the rest: resolved (A only, or recorded resolved) and new (B only)
    for hid in a.index:
        if hid not in rows and hid not in consumed:
            dst = b.loc[hid] if hid in b.index else None
            row(hid, "resolved", a.loc[hid], dst)
    for hid in b_active.index:
        if hid not in rows:
            row(hid, "new", None, b_active.loc[hid])

    result = pd.DataFrame([{k: v for k, v in r.items() if k != "_consumed"} for r in rows.values()],
                          columns=list(MOVEMENT_COLUMNS))
    for col in ("unit_before", "unit_after"):
        result[col] = pd.to_numeric(result[col]).astype("Int64")
    return _mark_events(result, a_geom[a_geom.index.isin(a.index)], b_geom[b_geom.index.isin(b_active.index)], max_match_m)


def _category(src: pd.Series | None, dst: pd.Series | None) -> object:
    """Return the category of a hotspot from its later observation, else its earlier one."""
    row = dst if dst is not None else src
    return None if row is None else row["category"]


def _located(geom: BaseGeometry | None) -> bool:
    return geom is not None and isinstance(geom, BaseGeometry) and not geom.is_empty


def _xy(geom: BaseGeometry) -> tuple[float, float]:
    p = anchor(geom)
    return p.x, p.y


def _nearest(src: gpd.GeoSeries, dst: gpd.GeoSeries, max_m: float) -> dict[str, str]:
    """Map each located shape of ``src`` to its nearest of ``dst`` within ``max_m``."""
    src = src[[_located(g) for g in src]]
    dst = dst[[_located(g) for g in dst]]
    if src.empty or dst.empty:
        return {}
    tree = cKDTree(np.array([_xy(g) for g in dst]))
    dist, idx = tree.query(np.array([_xy(g) for g in src]), distance_upper_bound=max_m)
    return {str(s): str(dst.index[i]) for s, d, i in zip(src.index, dist, idx) if np.isfinite(d)}


def _mark_events(result: pd.DataFrame, a_geom: gpd.GeoSeries, b_geom: gpd.GeoSeries, max_m: float) -> pd.DataFrame:
    """Name splits (one A nearest to 2+ of B) and merges (2+ of A nearest to one B)."""
    b_to_a = _nearest(b_geom, a_geom, max_m)
    a_to_b = _nearest(a_geom, b_geom, max_m)
    children: dict[str, list[str]] = {}
    for hb, ha in b_to_a.items():
        children.setdefault(ha, []).append(hb)
    parents: dict[str, list[str]] = {}
    for ha, hb in a_to_b.items():
        parents.setdefault(hb, []).append(ha)
    events = {}
    for ha, kids in children.items():
        if len(kids) >= 2:
            for hb in kids:
                events[hb] = f"split:{ha}->{'+'.join(sorted(kids))}"
    for hb, olds in parents.items():
        if len(olds) >= 2:
            for ha in [*olds, hb]:
                events[ha] = f"merge:{'+'.join(sorted(olds))}->{hb}"
    result["event"] = [events.get(h) for h in result["id"]]
    return result


def events(result: pd.DataFrame) -> list[str]:
    """Return the distinct split and merge events of a classification."""
    return sorted({e for e in result["event"].dropna()})


def summarise_units(result: pd.DataFrame, before: gpd.GeoDataFrame, after: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return per unit (1-6): hotspots before, after, new, persistent, moved, resolved."""
    rows = []
    unit_of = result.assign(unit=result["unit_after"].fillna(result["unit_before"]))
    for u in settings.UNIT_NUMBERS:
        mine = unit_of[unit_of["unit"] == u]
        rows.append({
            "unit": u,
            "before": int(((before["unit"] == u) & (before["status"] == "active")).sum()),
            "after": int(((after["unit"] == u) & (after["status"] == "active")).sum()),
            **{c: int((mine["class"] == c).sum()) for c in CLASSES},
        })
    return pd.DataFrame(rows)


def unit_sentence(unit: int, result: pd.DataFrame, lang: str) -> str:
    """Return one plain sentence on what changed in ``unit``, e.g. "Unit 6: 1 hotspot moved 350 m NE, 1 resolved"."""
    from hotspots.i18n import t

    unit_of = result.assign(unit=result["unit_after"].fillna(result["unit_before"]))
    mine = unit_of[unit_of["unit"] == unit]
    parts = []
    for _, r in mine[mine["class"] == "moved"].iterrows():
        parts.append(t("sent_moved", lang, m=int(round(float(r["distance_m"]), -1)), dir=t(f"dir_{r['direction']}", lang)))
    for cls in ("new", "resolved", "persistent"):
        n = int((mine["class"] == cls).sum())
        if n:
            parts.append(t(f"sent_{cls}_{'one' if n == 1 else 'many'}", lang, n=n))
    body = ", ".join(parts) if parts else t("sent_nothing", lang)
    return f"{t('unit_n', lang, n=unit)}: {body}"


def brute_force_match(xy_a: np.ndarray, xy_b: np.ndarray, *, max_distance: float = MAX_MATCH_M) -> list[tuple[int, int, float]]:
    """The naive baseline: a Python double loop over all pairs, then greedy shortest-first.

    Used only by the benchmark, to show what the KD-tree and sparse assignment save.
    """
    pairs = []
    for i, (xa, ya) in enumerate(xy_a.tolist()):
        for j, (xb, yb) in enumerate(xy_b.tolist()):
            d = math.hypot(xa - xb, ya - yb)
            if d <= max_distance:
                pairs.append((d, i, j))
    pairs.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for d, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, d))
    return out


def bench_matching(sizes: list[int], *, brute_max: int = 2000, seed: int = 7) -> None:
    """Print matching times against the KD-tree queries and the brute-force loop (same run).

    Baselines: ``kd radius``, the KD-tree query of every pair within the radius (what an
    exact matching within a maximum distance needs at least); ``kd 1-NN``, a plain
    nearest-neighbour query; ``brute``, :func:`brute_force_match` (run up to ``brute_max``,
    beyond that extrapolated as N² from the largest run, and marked so).
    """
    import time

    rng = np.random.default_rng(seed)
    print("matching N hotspots of period A against N of period B (500 m radius; B = A moved by N(0, 100 m); "
          "6.5 x 4.5 km box)")
    print(f"{'N':>7} {'ours s':>8} {'kd radius s':>12} {'ours/kdrad':>11} {'kd 1-NN s':>10} {'brute s':>10} "
          f"{'brute/ours':>11} {'matched':>8}")
    brute_ref: tuple[int, float] | None = None
    for n in sizes:
        a = rng.uniform((0, 0), (6500.0, 4500.0), (n, 2))
        b = a + rng.normal(0, 100, (n, 2))
        timings = {}
        for name, fn in (("ours", lambda: match_points(a, b)),
                         ("radius", lambda: cKDTree(a).sparse_distance_matrix(cKDTree(b), MAX_MATCH_M)),
                         ("nn", lambda: cKDTree(b).query(a, distance_upper_bound=MAX_MATCH_M))):
            start = time.perf_counter()
            out = fn()
            timings[name] = time.perf_counter() - start
            if name == "ours":
                matched = len(out)
        if n <= brute_max:
            start = time.perf_counter()
            brute_force_match(a, b)
            t_brute, mark = time.perf_counter() - start, ""
            brute_ref = (n, t_brute)
        elif brute_ref is not None:
            t_brute, mark = brute_ref[1] * (n / brute_ref[0]) ** 2, "*"
        else:
            t_brute, mark = float("nan"), ""
        print(f"{n:>7} {timings['ours']:>8.3f} {timings['radius']:>12.3f} {timings['ours'] / timings['radius']:>11.2f} "
              f"{timings['nn']:>10.4f} {t_brute:>9.1f}{mark or ' '} {t_brute / timings['ours']:>11.0f} {matched:>8}", flush=True)
    print("* extrapolated as N^2 from the largest brute-force run")
