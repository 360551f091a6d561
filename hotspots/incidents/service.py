"""The incident use cases the command line, the pages and the review pack share, each written once.

"Read a dataset's incidents and the hotspots they are counted against, then count them per hotspot"
is one function here; callers that already hold the frames (the pages' cached loaders, the pack)
hand them in, so the counting rule is never assembled anywhere else.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from hotspots.incidents import counts, table
from hotspots.plan.store import Store


def read_with_hotspots(store: Store, *, dataset: str, start: str | None = None, end: str | None = None,
                       offences: list[str] | None = None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the incidents of ``dataset`` (between ``start`` and ``end``, of ``offences``) and its hotspots.

    The hotspots are every observation of the same dataset (:meth:`~hotspots.plan.store.Store.hotspots`):
    the example incidents are counted against the example hotspots, the real ones against the real.
    """
    return (table.read(store, dataset=dataset, start=start, end=end, offences=offences),
            store.hotspots(dataset=dataset))


def hotspot_counts(store: Store, *, dataset: str, kind: str = "half", radius_m: float | None = None,
                   incidents: gpd.GeoDataFrame | None = None,
                   observations: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Return the incidents per hotspot and period (:func:`~hotspots.incidents.counts.counts_by_hotspot`).

    ``incidents`` and ``observations`` are read from ``store`` unless given (a page passes its
    cached frames, a command its filtered incidents).
    """
    if incidents is None:
        incidents = table.read(store, dataset=dataset)
    if observations is None:
        observations = store.hotspots(dataset=dataset)
    return counts.counts_by_hotspot(incidents, observations, kind=kind, radius_m=radius_m)
