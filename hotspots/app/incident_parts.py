"""The incidents on the pages: the import form, the filters, the map layer, the counts beside the hotspots."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from hotspots.app.loaders import hotspot_incident_counts, incident_dataset, incident_halves, incident_popup_texts, incidents
from hotspots.app.loaders import public_cells
from hotspots.app.login import require, role, sees_incident_points
from hotspots.app.session import lang, store, tr
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.incidents import config, count_views, counts, disclosure, importing, reading
from hotspots.incidents import maps as incident_maps
from hotspots.incidents.cleaning import report_frame
from hotspots.incidents.config import load_config
from hotspots.incidents.count_views import display
from hotspots.maps.builders import FoliumMap
from hotspots.review import review


# -- incidents ---------------------------------------------------------------
K_INC_SHOW = "inc_show"


K_INC_FROM = "inc_from"


K_INC_TO = "inc_to"


K_INC_OFFENCES = "inc_offences"


K_INC_PERIOD = "inc_period"


K_INC_OFFENCE = "inc_offence"


K_INC_DENSITY = "inc_density"


K_INC_RESULT = "inc_result"


def run_incident_import(name: str, data: bytes, mapping: bytes | None, *, dry_run: bool, example: bool) -> None:
    """Import an uploaded file as the logged-in account; keep the outcome for :func:`show_incident_import`."""
    author = require("view_notes")
    try:
        rules = config.parse_mapping(mapping.decode("utf-8", "replace"), name="mapping") if mapping else None
        raw = reading.read_upload(name, data, rules)
        rep = importing.import_raw(store(), raw, author=author, source=name, dataset="example" if example else "real",
                                   mapping=rules, dry_run=dry_run)
    except HotspotError as exc:
        st.session_state[K_INC_RESULT] = {"ok": False, "message": exc.message(lang()), "report": None, "csv": b""}
        return

    st.session_state[K_INC_RESULT] = {
        "ok": rep.accepted, "message": rep.summary(lang()), "csv": rep.report_csv(lang()),
        "report": report_frame(rep.cleaned.refused, rep.cleaned.unplaced, lang()),
    }


def show_incident_import() -> None:
    """Show the outcome of the last import: its summary, the row report and its download."""
    result = st.session_state.get(K_INC_RESULT)
    if not result:
        return
    (st.success if result["ok"] else st.error)(result["message"])
    if result["report"] is not None and len(result["report"]):
        st.dataframe(display(result["report"], lang()), hide_index=True, width="stretch", key="inc_report_table")
        st.download_button(tr("inc_report_dl"), result["csv"], "incident_import_report.csv", "text/csv", key="inc_report_dl")


def incident_filters() -> dict[str, Any]:
    """Draw the incident filters in the sidebar: show, date range, offences, density (analysts only).

    Council and the public choose one half-year and all offences or one class: the
    disclosure rules serve no other window (:mod:`hotspots.incidents.disclosure`).
    """
    cfg, lg = load_config(), lang()
    if not sees_incident_points():
        with st.sidebar.expander(tr("inc_map_filters"), expanded=False):
            show = st.checkbox(tr("inc_show"), value=True, key=K_INC_SHOW)
            halves = incident_halves()
            period = st.selectbox(tr("inc_period"), halves[::-1], key=K_INC_PERIOD) if halves else None
            offence = st.selectbox(tr("inc_offence_one"), [None, *cfg.offences], key=K_INC_OFFENCE,
                                   format_func=lambda o: tr("f_all") if o is None else cfg.label(o, lg))
        return {"show": show, "start": None, "end": None, "period": period, "offence": offence, "offences": None,
                "density": False}
    with st.sidebar.expander(tr("inc_map_filters"), expanded=False):
        show = st.checkbox(tr("inc_show"), value=True, key=K_INC_SHOW)
        start = st.date_input(tr("inc_from"), value=None, key=K_INC_FROM, format="YYYY-MM-DD")
        end = st.date_input(tr("inc_to"), value=None, key=K_INC_TO, format="YYYY-MM-DD")
        chosen = st.multiselect(tr("inc_offences"), list(cfg.offences), key=K_INC_OFFENCES,
                                format_func=lambda o: cfg.label(o, lg), placeholder=tr("f_all"))
        density = st.checkbox(tr("inc_density"), key=K_INC_DENSITY) if sees_incident_points() else False
    return {"show": show, "start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
            "offences": tuple(chosen) or None, "density": density}


def add_incident_layer(fmap: FoliumMap, filters: dict[str, Any] | None = None) -> None:
    """Add the incidents (points or cells, by role) to a map, with a caption under it."""
    filters = filters or {"show": True, "start": None, "end": None, "offences": None, "density": False}
    if not filters["show"]:
        return
    s = store()
    if sees_incident_points():
        data, cells = incidents(filters["start"], filters["end"], filters["offences"]), None
        if data.empty:
            return
    else:  # council and the public: only the cached protected cells of one half-year, never the points
        data, cells = None, public_cells(s.url, s.version(), incident_dataset(), filters.get("period"),
                                          filters.get("offence"))
        if cells.empty:
            return
    bandwidth = incident_maps.add_incident_layer(fmap, data, role=role(), lang=lang(), density=bool(filters["density"]),
                                                 cells=cells)
    notes = [] if sees_incident_points() else [tr("inc_suppressed_note", n=settings.INCIDENT_SUPPRESS_BELOW),
                                               tr("inc_secondary_note", n=settings.INCIDENT_SUPPRESS_BELOW)]
    if bandwidth is not None:
        notes.append(tr("inc_kde_note", h=round(bandwidth)))
    if incident_dataset() == "example":
        notes.append(tr("inc_example_banner"))
    st.session_state["inc_map_notes"] = notes


def incident_map_notes() -> None:
    """Show the notes of the incident layer drawn by :func:`add_incident_layer`."""
    for note in st.session_state.pop("inc_map_notes", []):
        st.caption(note)


def with_incident_counts(details: pd.DataFrame, a: str, b: str, dataset: str,
                         observations: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the review's per-hotspot table with its incidents in ``a`` and ``b`` (when incidents of ``dataset`` exist)."""
    table = hotspot_incident_counts(dataset)
    if table is None or details.empty:
        return details
    return count_views.pair_columns(details, details.columns[0], table, a, b, lang(), suppress=not sees_incident_points())


def with_incident_popups(payload: dict[str, Any], upto: str, dataset: str) -> dict[str, Any]:
    """Return the map payload with "12 in 2023-H2, 8 in 2023-H1" per hotspot (periods up to ``upto``).

    Counts from 1 to 4 read "<5" for council and the public.
    """
    if hotspot_incident_counts(dataset) is None:
        return payload
    s = store()
    texts = incident_popup_texts(s.url, s.version(), dataset, upto, lang(), not sees_incident_points())
    return {**payload, "inc": [texts.get(i, "") for i in payload["id"]]}


def incident_trend_table(dataset: str, *, unit: int | None = None) -> tuple[pd.DataFrame, str] | None:
    """Return the per-unit, per-category quarterly incident trends for the review page and their note.

    None without incidents of ``dataset``; counts 1-4 read "<5" for council and the public.
    """
    if incident_dataset() != dataset:
        return None
    data = incidents()
    if data.empty:
        return None
    protect = not sees_incident_points()
    table = disclosure.unit_trends(data) if protect else counts.unit_category_trends(data)
    periods = str(table["periods"].iloc[0]) if len(table) else ""
    return (review.incident_trend_table(table, lang(), unit=unit, suppress=protect),
            tr("rv_inc_trends_note_protected", periods=periods) if protect else tr("rv_inc_trends_note", periods=periods))
