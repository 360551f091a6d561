"""Designated hotspots against the hot spots found by Gi*: confirmed, not supported, proposals.

- Incidents of the street-children class are compared with street-children hotspots, every
  other class (and all classes together) with crime hotspots.
- A designated hotspot active in the half-year of the analysed period is **confirmed** when its
  catchment (the area its incidents are counted in: zone, street + 50 m, point + 150 m) meets a
  cell that is hot at 90 % or more after FDR, and **not supported** when it meets none.
- A **cluster** is a set of hot cells at :data:`settings.GI_PROPOSAL_LEVEL` % or more that touch
  (the same queen neighbourhood as the Gi* weights); its confidence is that of its strongest cell.
  A cluster no active catchment meets is a **proposed hotspot**: staff accept it (a point hotspot
  at the incident-weighted centre of the cluster, through the ordinary add flow, with the source
  "Gi* 2023-H2, 99 %" and the grade the cell size allows) or dismiss it with a reason, kept in
  the history (action ``gi proposal dismissed``) so the same proposal is not offered again.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import connected_components

from hotspots.base import settings
from hotspots.base.errors import ValidationError
from hotspots.db import database
from hotspots.evidence import hotspot_detection as gi
from hotspots.incidents import counts as incident_counts
from hotspots.incidents import periods
from hotspots.plan import editing, model
from hotspots.plan.store import Store


#: History action of a dismissed proposal.
DISMISS_ACTION: str = "gi proposal dismissed"
#: History entity of proposals.
ENTITY: str = "gi_proposal"


def clusters(det: gi.Detection, *, level: int | None = None) -> gpd.GeoDataFrame:
    """Return the clusters of touching hot cells at ``level`` % or more (EPSG:4326).

    Columns: ``key`` (period|offence|strongest cell), ``cells``, ``incidents``, ``confidence``,
    ``lat``, ``lon`` (incident-weighted centre of the cells), ``geometry`` (their union).
    """
    level = settings.GI_PROPOSAL_LEVEL if level is None else level
    hot = np.flatnonzero(np.array([lab.startswith("hot_") and gi.confidence(lab) >= level for lab in det.label]))
    columns = ["key", "cells", "incidents", "confidence", "lat", "lon"]
    if not len(hot):
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=settings.CRS_STORE)
    w = gi.weights(det.grid)[hot][:, hot]
    _n, comp = connected_components(w, directed=False)
    boxes = det.grid.boxes(settings.CRS_METRIC).to_numpy()
    centres = det.grid.centres()
    ids = det.grid.ids()
    rows, shapes = [], []
    for c in np.unique(comp):
        cells = hot[comp == c]
        weight = det.count[cells] + 1e-9
        x, y = (centres[cells] * weight[:, None]).sum(axis=0) / weight.sum()
        peak = cells[np.argmax(det.z[cells])]
        rows.append({"key": f"{det.period or 'all'}|{det.offence or 'all'}|{ids[peak]}", "cells": len(cells),
                     "incidents": int(det.count[cells].sum()), "confidence": max(gi.confidence(det.label[i]) for i in cells),
                     "x": x, "y": y})
        shapes.append(shapely.union_all(boxes[cells]))
    frame = pd.DataFrame(rows)
    centre = gpd.GeoSeries(gpd.points_from_xy(frame["x"], frame["y"]), crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE)
    out = gpd.GeoDataFrame(frame.drop(columns=["x", "y"]).assign(lat=centre.y.round(6).to_numpy(),
                                                                  lon=centre.x.round(6).to_numpy()),
                           geometry=gpd.GeoSeries(shapes, crs=settings.CRS_METRIC).to_crs(settings.CRS_STORE).to_numpy(),
                           crs=settings.CRS_STORE)
    return out.sort_values(["confidence", "incidents"], ascending=False).reset_index(drop=True)


def category_of(offence: str | None) -> str:
    """Return the hotspot category incidents of an offence class are compared with (street children or crime).

    Examples
    --------
    >>> category_of("street_children"), category_of("drugs"), category_of(None)
    ('street_children', 'crime', 'crime')
    """
    return "street_children" if offence == "street_children" else "crime"


def _active_catchments(det: gi.Detection, observations: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the catchments (EPSG:32634) of the hotspots of the matching category active in the analysed half-year."""
    half = _half(det.period)
    zones = incident_counts.catchments(observations, [half])
    keep = (zones["status"] == "active") & (zones["place_from"] <= half) & (zones["category"] == category_of(det.offence))
    return zones[keep].reset_index(drop=True)


def _half(period: str | None) -> str:
    if period is None:
        return model.current_period()
    _kind, label = periods.parse_period(period)
    return str(periods.half_of(pd.Series([label or period])).iloc[0])


def designated_status(det: gi.Detection, observations: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return each active designated hotspot as ``confirmed`` or ``not_supported`` by the Gi* cells.

    Columns: ``id``, ``status`` (``confirmed`` / ``not_supported``), ``hot_cells`` (hot cells at
    90 % or more its catchment meets), ``confidence`` (the strongest of them, 0 when none).
    """
    zones = _active_catchments(det, observations)
    hot = np.flatnonzero(np.char.startswith(det.label.astype(str), "hot_"))
    boxes = det.grid.boxes(settings.CRS_METRIC).to_numpy()[hot]
    tree = shapely.STRtree(boxes)
    rows = []
    for hid, shape in zip(zones["id"], zones.geometry, strict=True):
        met = hot[tree.query(shape, predicate="intersects")]
        best = max((gi.confidence(det.label[i]) for i in met), default=0)
        rows.append({"id": hid, "status": "confirmed" if len(met) else "not_supported", "hot_cells": len(met),
                     "confidence": best})
    return pd.DataFrame(rows, columns=["id", "status", "hot_cells", "confidence"])


def dismissed_keys(store: Store) -> set[str]:
    """Return the keys of the proposals staff dismissed (from the history)."""
    return database.logged_ids(store, action=DISMISS_ACTION, entity=ENTITY)


def proposals(det: gi.Detection, observations: gpd.GeoDataFrame, *, dismissed: set[str] | None = None) -> gpd.GeoDataFrame:
    """Return the clusters no active designated hotspot meets, less those dismissed, with their ``source`` text."""
    found = clusters(det)
    if found.empty:
        return found.assign(source=[])
    zones = _active_catchments(det, observations)
    metric = found.to_crs(settings.CRS_METRIC)
    covered = np.zeros(len(found), dtype=bool)
    if len(zones):
        hit, _ = shapely.STRtree(zones.geometry.to_numpy()).query(metric.geometry.to_numpy(), predicate="intersects")
        covered[np.unique(hit)] = True
    out = found[~covered & ~found["key"].isin(dismissed or set())].reset_index(drop=True)
    return out.assign(source=[source_text(det, int(c)) for c in out["confidence"]])


def source_text(det: gi.Detection, confidence: int) -> str:
    """Return the location source of an accepted proposal, e.g. ``Gi* 2023-H2, 99 %``.

    Examples
    --------
    >>> import numpy as np
    >>> grid = gi.Grid(np.array([0]), np.array([0]), 150.0)
    >>> det = gi.Detection(grid, *[np.zeros(1)] * 4, np.array(["hot_99"]), "2023-H2", None)
    >>> source_text(det, 99)
    'Gi* 2023-H2, 99 %'
    """
    return f"Gi* {det.period or 'all'}{', ' + det.offence if det.offence else ''}, {confidence} %"


def grade_for_cell(size_m: float) -> str:
    """Return the location grade of a point placed in a cell: the first grade whose uncertainty covers half its diagonal.

    Examples
    --------
    >>> grade_for_cell(150), grade_for_cell(250), grade_for_cell(50)
    ('landmark', 'approximate', 'landmark')
    """
    reach = size_m * 2 ** 0.5 / 2
    for grade in ("exact", "landmark", "approximate"):
        if settings.GRADE_UNCERTAINTY_M[grade] >= reach:
            return grade
    return "approximate"


def accept(store: Store, proposal: pd.Series, *, author: str, name: str, period: str, size_m: float,
           offence: str | None = None) -> dict[str, str]:
    """Add a proposal as a point hotspot through the ordinary add flow; return ``{"id", "result"}``.

    The category is street children for that offence class, crime otherwise.
    """
    return editing.add_point_hotspot(store, name=name, category=category_of(offence), lat=proposal["lat"], lon=proposal["lon"],
                                     period=period, author=author, location_quality=grade_for_cell(size_m),
                                     location_source=str(proposal["source"]), notes=str(proposal["key"]))


def dismiss(store: Store, key: str, *, reason: str, author: str) -> None:
    """Record that staff dismissed a proposal, with the reason, in the history (nothing else changes).

    Raises
    ------
    ValidationError
        If the reason is empty.
    """
    if not reason or not reason.strip():
        raise ValidationError("err_gi_reason")
    with store.transaction() as conn:
        database.log(conn, author=author, action=DISMISS_ACTION, entity=ENTITY, entity_id=key[:60],
                  after={"reason": reason.strip()})
