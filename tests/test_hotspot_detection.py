"""Gi* hot spots (issue 14): agreement with esda, the planted steady cluster, FDR on uniform noise."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots.evidence import hotspot_detection as hd
from hotspots.base import settings
from hotspots.plan import units
from hotspots.incidents import example, table

from .apptest import example_store


@pytest.fixture(scope="module")
def incidents(tmp_path_factory: pytest.TempPathFactory) -> gpd.GeoDataFrame:
    return table.read(example_store(tmp_path_factory.mktemp("gi")), dataset="example")


@pytest.fixture(scope="module")
def grid() -> hd.Grid:
    return hd.make_grid(size_m=settings.GI_CELL_M)


def cell_of(grid: hd.Grid, lat: float, lon: float) -> int:
    pt = gpd.GeoSeries([shapely.Point(lon, lat)], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    return int(grid.index_of(np.array([pt.x]), np.array([pt.y]))[0])


def test_z_scores_agree_with_esda_on_the_same_grid(incidents: gpd.GeoDataFrame, grid: hd.Grid) -> None:
    esda = pytest.importorskip("esda")
    from libpysal.weights import WSP

    det = hd.detect(incidents, period="2023-H2")
    w = hd.weights(grid)
    neighbours_only = (w - w.multiply(np.eye(grid.n) > 0)).tocsr()  # libpysal W without the diagonal
    lib = esda.G_Local(det.count, WSP(neighbours_only).to_W(silence_warnings=True), star=True, transform="B",
                       permutations=0)
    assert np.abs(det.z - lib.Zs).max() < 1e-6
    assert (np.asarray(w.sum(axis=1)).ravel() >= 2).all()  # the band gives every cell a neighbour besides itself


def test_the_planted_steady_cluster_is_hot_at_99(incidents: gpd.GeoDataFrame, grid: hd.Grid) -> None:
    lat, lon = example.PLANTED["steady"].centres[0]
    for half in example.HALVES:
        det = hd.detect(incidents, period=half)
        assert det.label[cell_of(grid, lat, lon)] == "hot_99", half
    frame = hd.detect(incidents, period="2023-H2", offence="drugs").frame()
    assert frame.loc[cell_of(grid, lat, lon), "label"] == "hot_99"
    assert set(frame["label"]) <= set(hd.LABELS) and frame.crs == settings.CRS_STORE


def _clopper_pearson_upper(k: int, n: int, confidence: float = 0.95) -> float:
    """Return the one-sided upper confidence bound of a binomial rate (k events in n runs)."""
    from scipy import stats

    return 1.0 if k >= n else float(stats.beta.ppf(confidence, k + 1, n - k))


def test_the_false_positive_rate_under_the_null_is_at_most_the_level() -> None:
    # 300 seeded runs of 600 incidents spread evenly over the city unit, on the 150 m grid (885 cells): a run is a
    # false positive at a level when any cell is hot or cold at it after FDR. Under this global null
    # Benjamini-Hochberg at q allows at most q of the runs; the 95 % upper bound of the observed rate must be below it.
    grid = hd.make_grid(size_m=150)
    assert 850 < grid.n < 920
    city = gpd.GeoSeries([units.city_unit()], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    w = hd.weights(grid)
    minx, miny, maxx, maxy = city.bounds
    runs = 300
    exact, normal = np.zeros(3, dtype=int), np.zeros(3, dtype=int)
    for seed in range(runs):
        rng = np.random.default_rng(seed)
        x, y = rng.uniform(minx, maxx, 3000), rng.uniform(miny, maxy, 3000)
        inside = shapely.contains_xy(city, x, y)
        counts = grid.count_points(x[inside][:600], y[inside][:600])
        assert counts.sum() == 600
        z = hd.gi_star(counts, w)
        for found, p in ((exact, hd.cell_p_values(counts, w, z, grid.share)), (normal, hd.p_values(z))):
            strength = np.array([hd.confidence(lab) for lab in hd.classify(z, hd.fdr_adjust(p))])
            found += [(strength >= level).any() for level in (99, 95, 90)]
    for k, level in zip(exact, (0.01, 0.05, 0.10), strict=True):
        assert _clopper_pearson_upper(int(k), runs) <= level, (exact.tolist(), level)
    # the normal approximation on these sparse counts: well above the level even at its 95 % lower bound
    assert normal[0] / runs > 0.05 and normal[2] / runs > 0.3, normal.tolist()


def test_exact_p_values_agree_with_a_simulation_of_the_null() -> None:
    area = shapely.box(20.070, 41.100, 20.085, 41.112)
    grid = hd.make_grid(area, size_m=150)
    w = hd.weights(grid)
    assert grid.share is not None and (grid.share < 1).any() and (grid.share > 0).all()  # partial cells at the edge
    rng = np.random.default_rng(5)
    n = 60
    counts = rng.multinomial(n, grid.share / grid.share.sum()).astype(float)
    counts[:3] += [6, 4, 3]
    high, low = hd.exact_p(counts, w, grid.share)
    local = w @ counts
    sims = rng.multinomial(int(counts.sum()), grid.share / grid.share.sum(), size=20_000).astype(float) @ w.T.toarray()
    assert np.abs((sims >= local).mean(axis=0) - high).max() < 0.015
    assert np.abs((sims <= local).mean(axis=0) - low).max() < 0.015


def test_the_label_follows_the_p_it_shows(incidents: gpd.GeoDataFrame) -> None:
    det = hd.detect(incidents, period="2023-H2")
    assert det.count.mean() < settings.GI_EXACT_BELOW  # sparse: exact p-values
    levels = sorted(settings.GI_LEVELS, key=lambda lq: lq[1])
    for z, q, lab in zip(det.z, det.p_fdr, det.label, strict=True):
        met = [lv for lv, cut in levels if q <= cut]
        expected = "not_significant" if not met or z == 0 else f"{'hot' if z > 0 else 'cold'}_{met[0]}"
        assert lab == expected, (z, q, lab)
    assert (det.p <= det.p_fdr + 1e-12).all() and set(det.label) >= {"hot_99"}
    # what the map shows beside the label is this adjusted p
    import folium

    from hotspots.evidence import gi_maps

    m = folium.Map(tiles=None)
    gi_maps.add_gi_layer(m, det, "en")
    page = m.get_root().render()
    for k in np.flatnonzero(det.label != "not_significant"):
        shown = "\\u003c 0.001" if det.p_fdr[k] < 0.001 else f"{det.p_fdr[k]:.3f}"  # "<" escaped in the page
        assert f'"label": "{det.label[k]}", "z": {round(float(det.z[k]), 2)}, "p": "{shown}"' in page
    assert "p after FDR" in page


def test_fdr_is_benjamini_hochberg() -> None:
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    adjusted = hd.fdr_adjust(p)
    for q in (0.01, 0.05, 0.1):  # reject the k smallest, k the largest rank with p_(k) <= k q / m
        k = max((i + 1 for i, v in enumerate(np.sort(p)) if v <= (i + 1) * q / len(p)), default=0)
        assert (adjusted <= q).sum() == k


def test_bad_cell_size_and_period_are_refused(incidents: gpd.GeoDataFrame) -> None:
    from hotspots.base.errors import ValidationError

    with pytest.raises(ValidationError):
        hd.detect(incidents, period="2023-H2", size_m=0)
    with pytest.raises(ValidationError):
        hd.detect(incidents, period="next year")
    empty = hd.detect(incidents.iloc[:0], period="2023-H2")
    assert (empty.label == "not_significant").all() and pd.Series(empty.z).eq(0).all()
