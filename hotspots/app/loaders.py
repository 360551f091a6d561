"""Cached reads of the store for the pages: one copy per data version, shared by every session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st

from hotspots.app.login import role, sees_incident_points
from hotspots.app.session import get_store, lang, store
from hotspots.base import settings
from hotspots.evidence import gi_views
from hotspots.evidence import service as evidence_service
from hotspots.evidence import views as evidence_views
from hotspots.incidents import count_views, disclosure, table
from hotspots.incidents import service as incident_service
from hotspots.maps import payloads as map_payloads
from hotspots.places import cameras, coverage
from hotspots.places import service as places
from hotspots.plan import exchange, model, trends, units, versions, views
from hotspots.plan.plan import Plan
from hotspots.review import pdf as review_pdf


_Frame = TypeVar("_Frame", pd.DataFrame, gpd.GeoDataFrame)


def _own(frame: _Frame) -> _Frame:
    """Return a caller's own view of a frame every session shares (``st.cache_resource``).

    A shallow copy: no data is copied, and pandas' copy-on-write keeps any change the
    caller makes to it (a new column, a cell set) out of the shared frame. So one copy of a
    store's data serves every session of the process, where ``st.cache_data`` unpickled a
    new copy for each call (0.3 s and ~30 MB per call at 100,000 incidents).
    """
    return frame.copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=8)
def _shared_hotspots(url: str, version: int, dataset: str | None) -> gpd.GeoDataFrame:
    return get_store(url).hotspots(dataset=dataset)


def _hotspots(url: str, version: int, dataset: str | None) -> gpd.GeoDataFrame:
    return _own(_shared_hotspots(url, version, dataset))


def hotspots(dataset: str | None = "real") -> gpd.GeoDataFrame:
    """Return every hotspot observation; cached until the store changes."""
    s = store()
    return _hotspots(s.url, s.version(), dataset)


@st.cache_data(show_spinner=False)
def _example_loaded(url: str, version: int) -> bool:
    return get_store(url).example_loaded()


@st.cache_data(show_spinner=False)
def _unit_trends(url: str, version: int, dataset: str) -> pd.DataFrame:
    return trends.unit_trends(get_store(url).hotspots(dataset=dataset))


def unit_trends(dataset: str) -> pd.DataFrame:
    """Return the trend label of every unit and category over all periods (:func:`hotspots.plan.trends.unit_trends`), cached."""
    s = store()
    return _unit_trends(s.url, s.version(), dataset)


@st.cache_data(show_spinner=False)
def _coverage_over_periods(url: str, version: int, dataset: str, periods: tuple[str, ...]) -> pd.DataFrame:
    s = get_store(url)
    return coverage.coverage_over_periods(s.hotspots(dataset=dataset), cameras.read_cameras(s), list(periods))


def coverage_over_periods(dataset: str, periods: list[str]) -> pd.DataFrame:
    """Return the camera coverage of the hot zones in each period (see :mod:`hotspots.places.coverage`), cached."""
    s = store()
    return _coverage_over_periods(s.url, s.version(), dataset, tuple(periods))


def current_dataset() -> str:
    """Return the dataset the pages show: ``example`` while it is loaded, else ``real``."""
    return "example" if _example_loaded(store().url, store().version()) else "real"


@st.cache_data(show_spinner=False)
def _priorities(url: str, version: int, period: str) -> dict[str, str]:
    return views.priorities_in_period(_plan(url, version, period), get_store(url).priorities(), period)


def priorities(period: str) -> dict[str, str]:
    """Return each problem's priority in ``period``; cached until the store changes."""
    s = store()
    return _priorities(s.url, s.version(), period)


@st.cache_data(show_spinner=False, max_entries=64)  # one per filter set: kept pickled (compact), not live
def _view(url: str, version: int, dataset: str, filters: views.Filters) -> gpd.GeoDataFrame:
    return views.apply_filters(_hotspots(url, version, dataset), filters, _priorities(url, version, filters.period))


def filtered_view(filters: views.Filters, dataset: str | None = None) -> gpd.GeoDataFrame:
    """Return the observations that pass ``filters``; cached until the store changes.

    ``dataset`` defaults to the one the pages show (:func:`current_dataset`); the editing
    pages always ask for ``real``.
    """
    s = store()
    return _view(s.url, s.version(), dataset or current_dataset(), filters)


@st.cache_data(show_spinner=False, max_entries=64)
def _unit_tables(url: str, version: int, dataset: str, filters: views.Filters, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    view = _view(url, version, dataset, filters)
    missing = views.needs_location(view)
    shown = missing if missing.empty else views.display_table(missing, lang, columns=["id", "name", "category", "unit",
                                                                                     "location_source"])
    return views.counts_by_unit(view, lang), shown


def view_tables(filters: views.Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the filtered view's counts per unit and its hotspots needing a location (display tables).

    Built once per data version, filters and language: a rerun that changes nothing of
    them (a download, another widget) does not count again.
    """
    s = store()
    return _unit_tables(s.url, s.version(), current_dataset(), filters, lang())


@st.cache_data(show_spinner=False, max_entries=16)
def _export(url: str, version: int, dataset: str, filters: views.Filters, fmt: str, include_internal: bool,
            lang: str) -> bytes:
    return exchange.export_bytes(_view(url, version, dataset, filters), fmt, include_internal=include_internal,
                                 lang=lang)


def export_view(filters: views.Filters, fmt: str, *, include_internal: bool) -> bytes:
    """Return the filtered view exported as ``fmt`` (CSV headers in the page's language); cached."""
    s = store()
    return _export(s.url, s.version(), current_dataset(), filters, fmt, include_internal, lang())


def export_later(filters: views.Filters, fmt: str, *, include_internal: bool) -> Callable[[], bytes]:
    """Return a function that exports the filtered view when called (a download button's deferred data).

    The store, data version, dataset and language are read now, in the page's run: the button
    calls the function on its own thread, where there is no session. A run that only shows
    the button builds no export.
    """
    s = store()
    args = (s.url, s.version(), current_dataset(), filters, fmt, include_internal, lang())
    return lambda: _export(*args)


@st.cache_data(show_spinner=False, max_entries=64)  # one per filter set and language: kept pickled, not live
def _payload(url: str, version: int, dataset: str, filters: views.Filters, lang: str) -> dict[str, Any]:
    return map_payloads.hotspot_payload(_view(url, version, dataset, filters), lang=lang)


def map_payload(filters: views.Filters, dataset: str | None = None) -> dict[str, Any]:
    """Return the compact map payload of the filtered view (cached per data version and language)."""
    s = store()
    return _payload(s.url, s.version(), dataset or current_dataset(), filters, lang())


@st.cache_data(show_spinner=False, max_entries=8)
def _review_pack(url: str, version: int, a: str, b: str, lang: str, dataset: str, suppress_counts: bool = True) -> bytes:
    return review_pdf.review_pack(get_store(url), a, b, lang=lang, dataset=dataset, suppress_counts=suppress_counts)


def review_pack(a: str, b: str, *, lang: str, dataset: str) -> bytes:
    """Return the review pack PDF, built once per data version, periods, language and dataset.

    Every visitor's click used to rebuild it (~1.7 s of CPU); now only a write does.
    """
    s = store()
    return _review_pack(s.url, s.version(), a, b, lang, dataset, not sees_incident_points())  # "<5" by role


@st.cache_data(show_spinner=False)
def _plan(url: str, version: int, period: str) -> Plan:
    return versions.plan_for(get_store(url), period)


def plan(period: str | None = None) -> Plan:
    """Return the plan in force in ``period`` (default today's half-year); cached until the store changes."""
    s = store()
    return _plan(s.url, s.version(), period or model.current_period())


@st.cache_data(show_spinner=False)
def _units_layer(path: str, mtime: float) -> gpd.GeoDataFrame:
    return units.load_units(Path(path))


def units_layer() -> gpd.GeoDataFrame:
    """Return the unit layer in use, reloaded when it is replaced or its file changes."""
    path = settings.units_file()
    return _units_layer(str(path), path.stat().st_mtime)


@st.cache_data(show_spinner=False, max_entries=4)
def coverage_payload(url: str, version: int, dataset: str, period: str) -> dict[str, Any]:
    """Return the coverage layer's payload of ``period`` (cameras and the hotspots they see), per data version."""
    return places.coverage_payload(get_store(url), period=period, dataset=dataset,
                                   hotspots=_hotspots(url, version, dataset))


@st.cache_resource(show_spinner=False, max_entries=8)
def _shared_incidents(url: str, version: int, dataset: str, start: str | None, end: str | None,
                      offences: tuple[str, ...] | None) -> gpd.GeoDataFrame:
    return table.read(get_store(url), dataset=dataset, start=start, end=end,
                      offences=None if offences is None else list(offences))


def _incidents(url: str, version: int, dataset: str, start: str | None, end: str | None,
               offences: tuple[str, ...] | None) -> gpd.GeoDataFrame:
    return _own(_shared_incidents(url, version, dataset, start, end, offences))


@st.cache_data(show_spinner=False)
def _incident_counts(url: str, version: int) -> dict[str, int]:
    return {d: table.count(get_store(url), d) for d in ("real", "example")}


@st.cache_data(show_spinner=False, max_entries=8)
def public_cells(url: str, version: int, dataset: str, period: str | None, offence: str | None) -> gpd.GeoDataFrame:
    """Return the public's incident cells of ``period`` (one version of the store, shared by every session)."""
    return disclosure.public_cells(_incidents(url, version, dataset, None, None, None), period=period, offence=offence)


@st.cache_data(show_spinner=False, max_entries=4)
def _halves(url: str, version: int, dataset: str) -> list[str]:
    return disclosure.halves(_incidents(url, version, dataset, None, None, None))


@st.cache_data(show_spinner=False, max_entries=8)
def _protected_counts(url: str, version: int, dataset: str, by: str, lang: str) -> pd.DataFrame:
    data = _incidents(url, version, dataset, None, None, None)
    if by == "hotspot":
        observations = get_store(url).hotspots(dataset=dataset)
        return count_views.named(disclosure.hotspot_table(data, observations), observations, lang)
    return disclosure.unit_table(data)


def protected_counts(by: str) -> pd.DataFrame:
    """Return the half-year counts per ``hotspot`` or ``unit`` as council and the public see them (cached per data version)."""
    s = store()
    return _protected_counts(s.url, s.version(), incident_dataset(), by, lang())


def incident_halves() -> list[str]:
    """Return the half-years of the incidents shown, latest last (the only windows council and the public choose)."""
    s = store()
    return _halves(s.url, s.version(), incident_dataset())


def incident_dataset() -> str:
    """Return the incidents shown: ``example`` in training mode or when only example incidents exist."""
    s = store()
    n = _incident_counts(s.url, s.version())
    return "example" if current_dataset() == "example" or (n["real"] == 0 and n["example"] > 0) else "real"


def incidents(start: str | None = None, end: str | None = None, offences: tuple[str, ...] | None = None) -> gpd.GeoDataFrame:
    """Return the incidents shown (filtered); cached until the store changes."""
    s = store()
    return _incidents(s.url, s.version(), incident_dataset(), start, end, offences)


@st.cache_resource(show_spinner=False, max_entries=4)
def _shared_incident_counts(url: str, version: int, dataset: str) -> pd.DataFrame:
    data = _incidents(url, version, dataset, None, None, None)  # the frame the map's incident layer shares
    if data.empty:
        return pd.DataFrame(columns=["id", "period", "total"])
    return incident_service.hotspot_counts(get_store(url), dataset=dataset, incidents=data,
                                           observations=_hotspots(url, version, dataset))


def _hotspot_incident_counts(url: str, version: int, dataset: str) -> pd.DataFrame:
    """Return :func:`hotspots.incidents.counts.counts_by_hotspot` (half-years) of ``dataset``, once per data version."""
    return _own(_shared_incident_counts(url, version, dataset))


def hotspot_incident_counts(dataset: str) -> pd.DataFrame | None:
    """Return the per-hotspot half-year incident counts of ``dataset``, or None when it has no incidents.

    None too when the incidents shown are of another dataset: example and real are never mixed.
    """
    s = store()
    if incident_dataset() != dataset or _incident_counts(s.url, s.version())[dataset] == 0:
        return None
    return _hotspot_incident_counts(s.url, s.version(), dataset)


@st.cache_data(show_spinner=False, max_entries=8)
def incident_popup_texts(url: str, version: int, dataset: str, upto: str, lang: str, suppress: bool) -> dict[str, str]:
    """Return the popup text of every hotspot with incidents, by id (once per data version, not per rerun)."""
    table = _hotspot_incident_counts(url, version, dataset)
    ids = [str(i) for i in table["id"].unique()]
    return {i: text for i, text in zip(ids, count_views.popup_texts(table, ids, lang, upto=upto, suppress=suppress),
                                       strict=True) if text}


@st.cache_data(show_spinner=False, max_entries=4)
def _gi_evidence(url: str, version: int, dataset: str, period: str, protect: bool) -> gi_views.Evidence:
    return evidence_service.gi_evidence(get_store(url), period, dataset=dataset, protect=protect,
                                        incidents=_incidents(url, version, dataset, None, None, None),
                                        observations=_hotspots(url, version, dataset))


def gi_evidence(period: str) -> gi_views.Evidence:
    """Return the Gi* results of ``period`` for the incidents shown (:class:`hotspots.evidence.gi_views.Evidence`), cached.

    For council and the public, computed under the disclosure rules (counts 1-4 as 1).
    """
    s = store()
    return _gi_evidence(s.url, s.version(), incident_dataset(), period, not sees_incident_points())


@st.cache_data(show_spinner=False, max_entries=4)
def _council_evidence(url: str, version: int, dataset: str, period: str, role: str | None, lang: str,
                      measure: str) -> evidence_views.Evidence:
    s = get_store(url)
    return evidence_views.build(_incidents(url, version, dataset, None, None, None), s.hotspots(dataset=dataset), period,
                                role=role, lang=lang, measure=measure)


def council_evidence(period: str, measure: str = "count") -> evidence_views.Evidence:
    """Return the evidence of the review ending in ``period`` as this session's role sees it, cached.

    See :class:`hotspots.evidence.views.Evidence`.
    """
    s = store()
    return _council_evidence(s.url, s.version(), incident_dataset(), period, role(), lang(), measure)
