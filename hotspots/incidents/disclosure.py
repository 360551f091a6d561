"""Who sees what: analysts and staff see points; council and the public only aggregates.

Aggregates are square cells of :data:`settings.INCIDENT_CELL_M` metres (EPSG:32634) or units,
and every count below :data:`settings.INCIDENT_SUPPRESS_BELOW` is shown as ``"<5"``. They
never carry a point, a date finer than the period, a case reference or an address. Exports
follow the same rule per role.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots import settings
from hotspots.incidents.table import INTERNAL

#: Export formats of incidents.
FORMATS: tuple[str, ...] = ("geojson", "csv")


def sees_points(role: str | None) -> bool:
    """Return whether ``role`` may see incident points (analyst, staff, admin).

    Examples
    --------
    >>> sees_points("analyst"), sees_points("council"), sees_points(None)
    (True, False, False)
    """
    from hotspots import auth

    return auth.can(role, "view_incident_points")


def suppressed(values: pd.Series, *, below: int | None = None) -> pd.Series:
    """Return counts as text, with every count from 1 to ``below``-1 shown as ``"<below>"``.

    Examples
    --------
    >>> list(suppressed(pd.Series([0, 3, 4, 5, 12])))
    ['0', '<5', '<5', '5', '12']
    """
    limit = settings.INCIDENT_SUPPRESS_BELOW if below is None else below
    ints = values.astype(int)
    return ints.astype(str).where((ints == 0) | (ints >= limit), f"<{limit}").astype(object)


def suppress_table(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return ``table`` with the count ``columns`` suppressed (see :func:`suppressed`)."""
    return table.assign(**{c: suppressed(table[c]) for c in columns})


def cell_counts(incidents: gpd.GeoDataFrame, *, size_m: float | None = None) -> gpd.GeoDataFrame:
    """Return the number of placed incidents per square cell, cells in EPSG:4326.

    Columns: ``cell`` (``"ix:iy"`` of the EPSG:32634 grid), ``count``, ``geometry``. Only
    cells holding an incident are returned.
    """
    size = settings.INCIDENT_CELL_M if size_m is None else size_m
    placed = incidents[incidents.geometry.notna()]
    if placed.empty:
        return gpd.GeoDataFrame({"cell": [], "count": []}, geometry=[], crs=settings.CRS_STORE)
    m = placed.geometry.to_crs(settings.CRS_METRIC)
    ix = np.floor(m.x.to_numpy() / size).astype(np.int64)
    iy = np.floor(m.y.to_numpy() / size).astype(np.int64)
    grouped = pd.DataFrame({"ix": ix, "iy": iy}).value_counts().rename("count").reset_index()
    boxes = shapely.box(grouped["ix"] * size, grouped["iy"] * size, (grouped["ix"] + 1) * size, (grouped["iy"] + 1) * size)
    cells = gpd.GeoSeries(boxes, crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)
    cell_id = grouped["ix"].astype(str) + ":" + grouped["iy"].astype(str)
    return gpd.GeoDataFrame({"cell": cell_id, "count": grouped["count"].astype(int)}, geometry=cells.to_numpy(),
                            crs=settings.CRS_STORE).sort_values("cell").reset_index(drop=True)


def public_cells(incidents: gpd.GeoDataFrame, *, size_m: float | None = None) -> gpd.GeoDataFrame:
    """Return the cells council and the public see: ``cell``, ``count`` as text (``"<5"``), ``geometry``."""
    cells = cell_counts(incidents, size_m=size_m)
    return cells.assign(count=suppressed(cells["count"]) if len(cells) else cells["count"])


def point_table(incidents: gpd.GeoDataFrame, *, internal: bool = True) -> pd.DataFrame:
    """Return incidents as a table for analysts (reference and address only when ``internal``)."""
    table = pd.DataFrame(incidents.drop(columns=incidents.geometry.name))
    return table if internal else table.drop(columns=[c for c in INTERNAL if c in table])


def export_bytes(incidents: gpd.GeoDataFrame, fmt: str, *, role: str | None, aggregate: bool = False) -> bytes:
    """Return incidents exported for ``role``: points for analysts/staff unless ``aggregate``; cells for all others.

    Raises
    ------
    ValueError
        If ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} not in {FORMATS}")
    if aggregate or not sees_points(role):
        cells = public_cells(incidents)
        if "dataset" in incidents and (incidents["dataset"] == "example").any():
            cells = cells.assign(dataset="example")  # marked as example data everywhere
        if fmt == "csv":
            return pd.DataFrame({"cell": cells["cell"], "count": cells["count"],
                                 "wkt": cells.geometry.to_wkt(rounding_precision=6)}).to_csv(index=False).encode("utf-8")
        return cells.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")
    if fmt == "csv":
        return point_table(incidents).to_csv(index=False).encode("utf-8")
    props = point_table(incidents)
    features = [{"type": "Feature", "properties": {k: (None if pd.isna(v) else v) for k, v in row.items()},
                 "geometry": None if g is None else shapely.geometry.mapping(g)}
                for row, g in zip(props.astype(object).to_dict("records"), incidents.geometry, strict=True)]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, default=str).encode("utf-8")


def for_role(table: pd.DataFrame, role: str | None, *, keys: Sequence[str] = ("id", "name", "unit", "period")) -> pd.DataFrame:
    """Return a count table as ``role`` may see it: unchanged for analysts/staff, suppressed for others."""
    if sees_points(role):
        return table
    return suppress_table(table, [c for c in table.columns if c not in keys])
