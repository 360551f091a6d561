"""Emerging hot-spot analysis (issue 14): the planted clusters' labels, and the written rules re-implemented."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from scipy import stats

from hotspots.evidence import emerging as em
from hotspots.evidence import hotspot_detection as hd
from hotspots.base import settings
from hotspots.incidents import example, table

from .apptest import example_store


@pytest.fixture(scope="module")
def incidents(tmp_path_factory: pytest.TempPathFactory) -> gpd.GeoDataFrame:
    return table.read(example_store(tmp_path_factory.mktemp("ehsa")), dataset="example")


def label_at(result: em.Emerging, name: str) -> tuple[str, int]:
    lat, lon = example.PLANTED[name].centres[0]
    pt = gpd.GeoSeries([shapely.Point(lon, lat)], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    i = int(result.cube.grid.index_of(np.array([pt.x]), np.array([pt.y]))[0])
    return str(result.label[i]), int(result.mk_s[i])


def test_planted_clusters_get_their_labels(incidents: gpd.GeoDataFrame) -> None:
    result = em.emerging(incidents, step="quarter")
    assert len(result.cube.steps) == 12 and result.cube.steps[0] == "2022-Q1"
    assert label_at(result, "steady")[0] == "persistent"
    # hot in an unbroken run of quarters up to the last one, never before: Esri calls it consecutive
    assert label_at(result, "emerging")[0] in ("new", "consecutive", "intensifying")
    # over three years the fading cluster is gone by the end (1 incident in 2024-H2): no longer a hot spot,
    # with a falling z trend; hot in fewer than 90 % of the quarters, never cold: sporadic (Esri, sfdep)
    label, s = label_at(result, "fading")
    assert label in ("historical", "sporadic") and s < 0


def test_the_fading_cluster_is_diminishing_while_its_hotspot_is_open(incidents: gpd.GeoDataFrame) -> None:
    until_resolved = incidents[incidents["occurred_on"] <= "2024-06-30"]  # the castle hotspot is resolved in 2024-H1
    result = em.emerging(until_resolved, step="quarter")
    assert label_at(result, "fading")[0] == "diminishing"
    assert label_at(result, "steady")[0] == "persistent"


def reference_z(counts: np.ndarray, neighbours: list[set[int]], lag: int) -> np.ndarray:
    """Space-time Gi* from its textbook definition, one bin at a time (dense loops)."""
    n_cells, n_t = counts.shape
    values = counts.ravel()
    n, mean, sd = values.size, values.mean(), values.std()
    z = np.zeros_like(counts)
    for i in range(n_cells):
        for t in range(n_t):
            bins = [(j, s) for j in neighbours[i] for s in range(max(0, t - lag), t + 1)]
            w = len(bins)
            local = sum(counts[j, s] for j, s in bins)
            z[i, t] = (local - mean * w) / (sd * np.sqrt((n * w - w * w) / (n - 1)))
    return z


def reference_label(hot: list[bool], cold: list[bool], z: list[float], share: float, alpha: float) -> str:
    """Classify as the module's table does, written out once more without the library's helpers."""
    def trend() -> int:
        from hotspots.plan.trends import mann_kendall

        test = mann_kendall([round(float(v), 9) for v in z])
        return 0 if test.p_value >= alpha or test.s == 0 else (1 if test.s > 0 else -1)

    def final(a: list[bool], b: list[bool], sign: int) -> str:
        n, k = len(a), sum(a)
        if k == 1 and not any(b):
            return "new"
        if k / n >= share:
            direction = trend() * sign
            return "intensifying" if direction > 0 else "diminishing" if direction < 0 else "persistent"
        if any(b):
            return "oscillating"
        run = 0
        while run < n and a[n - 1 - run]:
            run += 1
        return "consecutive" if not any(a[: n - run]) else "sporadic"

    if hot[-1]:
        return final(hot, cold, 1)
    if cold[-1]:
        return "cold_" + final(cold, hot, -1)
    if sum(hot) / len(hot) >= share:
        return "historical"
    if sum(cold) / len(cold) >= share:
        return "cold_historical"
    if any(hot) != any(cold):
        return "sporadic" if any(hot) else "cold_sporadic"
    return "no_pattern"


def test_an_independent_implementation_agrees_on_every_cell_of_a_random_cube() -> None:
    area = shapely.box(20.070, 41.100, 20.085, 41.112)  # ~1.3 x 1.3 km: 81 cells of 150 m
    grid = hd.make_grid(area, size_m=150)
    rng = np.random.default_rng(14)
    n_t = 10
    rate = rng.gamma(0.6, 1.5, size=(grid.n, 1)) * np.linspace(0.3, 2.0, n_t)[None, :] ** rng.choice([-1, 0, 1], (grid.n, 1))
    counts = rng.poisson(rate).astype(float)
    cube = em.Cube(grid, counts, [f"2024-{m:02d}" for m in range(1, n_t + 1)], "month")
    result = em.analyse(cube)

    centres = grid.centres()
    band = settings.GI_BAND_CELLS * grid.size * (1 + 1e-9)
    neighbours = [{j for j in range(grid.n) if np.hypot(*(centres[i] - centres[j])) <= band} for i in range(grid.n)]
    z = reference_z(counts, neighbours, settings.EHSA_TIME_LAG)
    assert np.abs(z - result.z).max() < 1e-9
    level = 1 - settings.EHSA_BIN_LEVEL / 100
    hot = np.zeros_like(z, dtype=bool)
    cold = np.zeros_like(z, dtype=bool)
    for t in range(n_t):  # BH within each slice, from scipy's implementation
        q = stats.false_discovery_control(2 * stats.norm.sf(np.abs(z[:, t])), method="bh")
        hot[:, t], cold[:, t] = (q <= level) & (z[:, t] > 0), (q <= level) & (z[:, t] < 0)
    assert (hot == result.hot).all() and (cold == result.cold).all()
    expected = [reference_label(list(hot[i]), list(cold[i]), list(z[i]), settings.EHSA_SHARE, settings.EHSA_TREND_ALPHA)
                for i in range(grid.n)]
    assert expected == list(result.label)
    assert len(set(expected)) >= 4, set(expected)  # the cube exercises several rules, not only "no pattern"


def test_rules_on_hand_made_series() -> None:
    f, t_ = False, True
    assert em.label_one([f, f, t_, t_], [f] * 4, 0) == "consecutive"
    assert em.label_one([t_, f, f, t_], [f] * 4, 0) == "sporadic"
    assert em.label_one([f, f, f, t_], [f, t_, f, f], 0) == "oscillating"  # a cold past: oscillating (sfdep)
    assert em.label_one([t_, f, f, t_], [f, t_, f, f], 0) == "oscillating"
    assert em.label_one([t_] * 10, [f] * 10, 1) == "intensifying"
    assert em.label_one([t_] * 9 + [f], [f] * 10, 0) == "historical"
    assert em.label_one([f] * 10, [t_] * 10, -1) == "cold_intensifying"  # colder and colder
    assert em.label_one([f] * 4, [f] * 4, 0) == "no_pattern"
    assert em.label_one([t_, f, f, f], [f, f, t_, f], 0) == "no_pattern"  # hot and cold before, neither at the end
    with pytest.raises(ValueError):
        em.build_cube(gpd.GeoDataFrame(geometry=[], crs=settings.CRS_STORE), step="week")


def _series(hot: str, cold: str, z: list[float] | None = None) -> tuple[list[float], list[bool]]:
    """Return z-scores and significance from two 12-letter strings ("x" = significant hot / cold)."""
    sig = [a == "x" or b == "x" for a, b in zip(hot, cold, strict=True)]
    if z is None:
        z = [3.0 if a == "x" else -3.0 if b == "x" else 0.5 for a, b in zip(hot, cold, strict=True)]
    return z, sig


_UP = [2.0 + 0.3 * k for k in range(12)]  # z rising steadily
_FLAT = [3.0, 3.6, 3.2, 3.4, 3.1, 3.5, 3.3, 3.0, 3.6, 3.2, 3.4, 3.3]  # no trend (exact MK p > 0.05)

#: One planted series per label (12 steps; 90 % of 12 is 11): z-scores and significant bins.
PLANTED: dict[str, tuple[list[float], list[bool]]] = {
    "new": _series("...........x", "............"),
    "consecutive": _series(".........xxx", "............"),
    "intensifying": _series("xxxxxxxxxxxx", "............", _UP),
    "persistent": _series("xxxxxxxxxxxx", "............", _FLAT),
    "diminishing": _series("xxxxxxxxxxxx", "............", _UP[::-1]),
    "sporadic": _series("x..x..x..x..", "............"),  # hot in 4 of 12, not the last
    "oscillating": _series("x....x.....x", "..x........."),
    "historical": _series("xxxxxxxxxxx.", "............"),
    "cold_new": _series("............", "...........x"),
    "cold_consecutive": _series("............", "........xxxx"),
    "cold_intensifying": _series("............", "xxxxxxxxxxxx", [-v for v in _UP]),  # colder and colder
    "cold_persistent": _series("............", "xxxxxxxxxxxx", [-v for v in _FLAT]),
    "cold_diminishing": _series("............", "xxxxxxxxxxxx", [-v for v in _UP[::-1]]),  # warming up
    "cold_sporadic": _series("............", ".x...x....x."),
    "cold_oscillating": _series("...x........", "x..........x"),
    "cold_historical": _series("............", "xxxxxxxxxxx."),
    "no_pattern": _series("............", "............"),
}


@pytest.mark.parametrize("expected", list(PLANTED))
def test_one_planted_series_per_label(expected: str) -> None:
    z, sig = PLANTED[expected]
    assert em.classify_series(z, sig) == expected
    hot = [s and v > 0 for v, s in zip(z, sig, strict=True)]
    cold = [s and v < 0 for v, s in zip(z, sig, strict=True)]
    assert reference_label(hot, cold, z, settings.EHSA_SHARE, settings.EHSA_TREND_ALPHA) == expected


def test_every_label_is_planted() -> None:
    assert set(PLANTED) == set(em.LABELS)
