"""Gi* hot spots (issue 14): agreement with esda, the planted steady cluster, FDR on uniform noise."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from hotspots import hotspot_detection as hd
from hotspots import settings, units
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


def test_uniform_noise_has_no_more_false_99_percent_cells_than_the_fdr_level(grid: hd.Grid) -> None:
    city = gpd.GeoSeries([units.city_unit()], crs=settings.CRS_STORE).to_crs(settings.CRS_METRIC).iloc[0]
    w = hd.weights(grid)
    minx, miny, maxx, maxy = city.bounds
    shares = []
    for seed in range(25):
        rng = np.random.default_rng(seed)
        x, y = rng.uniform(minx, maxx, 4000), rng.uniform(miny, maxy, 4000)
        inside = shapely.contains_xy(city, x, y)
        idx = grid.index_of(x[inside][:600], y[inside][:600])
        counts = np.bincount(idx[idx >= 0], minlength=grid.n).astype(float)
        z = hd.gi_star(counts, w)
        labels = hd.classify(z, hd.fdr_adjust(hd.p_values(z)))
        shares.append(float(np.isin(labels, ["hot_99", "cold_99"]).mean()))
    assert np.mean(shares) <= 0.01 and max(shares) <= 0.01, shares


def test_fdr_is_benjamini_hochberg() -> None:
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    adjusted = hd.fdr_adjust(p)
    for q in (0.01, 0.05, 0.1):  # reject the k smallest, k the largest rank with p_(k) <= k q / m
        k = max((i + 1 for i, v in enumerate(np.sort(p)) if v <= (i + 1) * q / len(p)), default=0)
        assert (adjusted <= q).sum() == k


def test_bad_cell_size_and_period_are_refused(incidents: gpd.GeoDataFrame) -> None:
    from hotspots.errors import ValidationError

    with pytest.raises(ValidationError):
        hd.detect(incidents, period="2023-H2", size_m=0)
    with pytest.raises(ValidationError):
        hd.detect(incidents, period="next year")
    empty = hd.detect(incidents.iloc[:0], period="2023-H2")
    assert (empty.label == "not_significant").all() and pd.Series(empty.z).eq(0).all()
