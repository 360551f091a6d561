"""The plan's other places read together with the hotspots of a period.

Thin functions taking a :class:`~hotspots.plan.store.Store`: coverage of a period's hot zones,
the siting question, the starting data. The pure work is in :mod:`hotspots.places.cameras`,
:mod:`hotspots.places.siting`, :mod:`hotspots.places.cannabis` and :mod:`hotspots.places.schools`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from hotspots.base import settings
from hotspots.base.i18n import t
from hotspots.maps.builders import FoliumMap
from hotspots.places import cameras, cannabis, coverage, schools, siting
from hotspots.places import maps as places_maps
from hotspots.places import store as places_store
from hotspots.plan import model, units
from hotspots.plan.store import Store


def coverage_for(store: Store, period: str, *, dataset: str = "real") -> pd.DataFrame:
    """Return :func:`hotspots.places.coverage.coverage` of ``period`` with the stored cameras.

    The hot zones are each hotspot's latest record up to ``period``, if active.
    """
    model.check_period(period)
    return coverage.coverage(store.hotspots(dataset=dataset), cameras.read_cameras(store), period=period)


def siting_for(
    store: Store, period: str, n: int, *, weights: Mapping[str, float] | None = None,
    radius_m: float = siting.NEW_CAMERA_RADIUS_M, spacing_m: float = siting.GRID_SPACING_M, dataset: str = "real",
) -> siting.SitingResult:
    """Answer "where do ``n`` new cameras cover the most hot-zone weight in ``period``?".

    ``weights`` maps hotspot ids to weights (incident counts when they exist); without
    it every active hotspot not yet covered weighs one.
    """
    table = coverage_for(store, period, dataset=dataset)
    zones = coverage.hot_zones_as_of(store.hotspots(dataset=dataset), period)
    demand = siting.demand_weights(table, zones, weights)
    return siting.site_cameras(demand, units.city_unit(), n, radius_m=radius_m, spacing_m=spacing_m)


def answer_sites(answer: siting.SitingAnswer | None) -> pd.DataFrame | None:
    """Return the optimum's sites of a siting answer kept by the page (None before any question)."""
    return None if answer is None else answer.best


def ensure_seed(store: Store, *, author: str = "system") -> dict[str, int]:
    """Load the starting data (the folder's OSM cameras and schools) into registers that never held a row.

    A register that ever held a row (retired rows are kept) is left alone, so staff's
    removals are never undone. Returns the number of rows loaded per entity.
    """
    loaded = {}
    for entity, path in settings.SEED_FILES.items():
        if not path.is_file() or places_store.count(store, entity):  # a folder may have no starting rows
            continue
        done = (cameras.import_cameras(store, path, author=author) if entity == "camera"
                else schools.import_schools(store, path, author=author))
        loaded[entity] = len(done)
    return loaded


def add_map_layers(m: FoliumMap, store: Store, lang: str, *, period: str, internal: bool,
                   dataset: str = "real", coverage: dict[str, Any] | None = None) -> None:
    """Add the switchable layers of the plan's other places to the map page's map, each with its legend.

    Everyone: schools, and the public view of the cannabis-risk zones (off at first).
    Logged-in roles (``internal``): also the cameras and the coverage of the hot zones
    (``coverage``: its :func:`hotspots.places.maps.coverage_payload`, when the caller keeps
    one per data version; else computed here).
    """
    if internal:
        register = cameras.read_cameras(store)
        payload = coverage if coverage is not None else coverage_payload(store, period=period, dataset=dataset)
        places_maps.add_coverage_layer(m, None, None, lang, show=False, payload=payload)
        places_maps.add_cameras_layer(m, register, lang, show=False)
    public = cannabis.public_view(cannabis.read_zones(store))
    places_maps.add_zones_layer(m, public.zones, lang, show=False)
    places_maps.add_schools_layer(m, schools.read_schools(store), lang, show=False)
    places_maps.add_layer_control(m)


def coverage_payload(store: Store, *, period: str, dataset: str = "real",
                     hotspots: gpd.GeoDataFrame | None = None) -> dict[str, Any]:
    """Return the coverage layer's data of ``period`` (:func:`hotspots.places.maps.coverage_payload`)."""
    frame = store.hotspots(dataset=dataset) if hotspots is None else hotspots
    return places_maps.coverage_payload(frame, coverage.coverage(frame, cameras.read_cameras(store), period=period))


@dataclass(frozen=True)
class PlanPlaces:
    """The plan page's figures of the places of one period (cameras, schools, cannabis zones)."""

    register: gpd.GeoDataFrame
    coverage: pd.DataFrame
    nearest: pd.DataFrame
    zones_per_unit: pd.DataFrame


def plan_places(store: Store, hotspots: gpd.GeoDataFrame, period: str) -> PlanPlaces:
    """Return the places' figures of ``period`` for the plan page (``hotspots``: the dataset shown)."""
    register = cameras.read_cameras(store)
    return PlanPlaces(register, coverage.coverage(hotspots, register, period=period),
                      schools.nearest_hotspots(schools.read_schools(store), hotspots, period=period),
                      cannabis.public_view(cannabis.read_zones(store)).per_unit)


def plan_notes(found: PlanPlaces, lang: str) -> dict[str, list[str]]:
    """Return per plan problem the lines on its places that its activities work through.

    1.3 (cameras 1.3.1–1.3.3, schools), 1.4 (schools), 1.7 (coverage of hot zones, 1.7.2),
    1.9 (zones where cannabis cultivation was found, 1.9.1–1.9.3); public figures only.
    """
    figures = coverage.summary(found.coverage, found.register)
    schools_line = t("pn_schools", lang, n=len(found.nearest), near=int(found.nearest["near"].sum()) if len(found.nearest) else 0)
    return {
        "1.3": [t("pn_cameras", lang, working=figures["working"], total=len(found.register)), schools_line],
        "1.4": [schools_line],
        "1.7": [t("pl_places_figures", lang, **figures)],
        "1.9": [t("pn_zones", lang, zones=int(found.zones_per_unit["zones"].sum()), units=len(found.zones_per_unit))],
    }
