"""Incidents page: import police exports (analysts/staff), counts per hotspot/unit/period, PAI, map.

Council members and the public see aggregates only: cells of ~250 m and counts with "<5".
"""

from __future__ import annotations

import streamlit as st

from hotspots.maps import builders as maps
from hotspots.base import settings
from hotspots.app import ui
from hotspots.plan import units
from hotspots.incidents import counts, disclosure
from hotspots.incidents import count_views
from hotspots.incidents import periods
from hotspots.base.labels import INCIDENT_BY, INCIDENT_COLUMN, INCIDENT_EVERY

st.title(ui.tr("page_incidents"))
st.caption(ui.tr("inc_intro"))
points = ui.sees_incident_points()
lang = ui.lang()

if points:
    with st.expander(ui.tr("inc_import"), expanded=True):
        upload = st.file_uploader(ui.tr("inc_file"), type=["csv", "txt", "geojson", "json", "gpkg", "xlsx"], key="inc_upload")
        mapping = st.file_uploader(ui.tr("inc_mapping"), type=["yaml", "yml", "json"], key="inc_mapping_file")
        dry = st.checkbox(ui.tr("inc_dry"), key="inc_dry")
        as_example = st.checkbox(ui.tr("inc_as_example"), key="inc_as_example")
        if st.button(ui.tr("inc_do_import"), key="inc_do_import", disabled=upload is None) and upload is not None:
            ui.run_incident_import(upload.name, upload.getvalue(), mapping.getvalue() if mapping else None,
                                   dry_run=dry, example=as_example)
        ui.show_incident_import()

data = ui.incidents()
if ui.incident_dataset() == "example":
    st.warning(ui.tr("inc_example_banner"))
if data.empty:
    st.info(ui.tr("inc_none"))
    st.stop()
if points:
    st.caption(ui.tr("inc_total", n=len(data), unplaced=int(data.geometry.isna().sum())))
else:  # no city-wide total beside the protected tables: it would undo their secondary suppression
    st.caption(ui.tr("inc_protected_intro", n=settings.INCIDENT_SUPPRESS_BELOW))
filters = None if points else ui.incident_filters()  # analysts' map: every incident

left, right = st.columns([3, 2])
with left:
    fmap = maps.new_map(basemap=settings.basemap())
    maps.add_boundary(fmap, units.municipality(), units.city_unit(), lang)
    ui.add_incident_layer(fmap, filters)
    ui.show_map(fmap, key="incident_map", height=520)
    ui.incident_map_notes()
with right:
    st.subheader(ui.tr("inc_counts"))
    by = st.radio(ui.tr("inc_by"), ["hotspot", "unit"], key="inc_by", horizontal=True,
                  format_func=lambda v: ui.code_label(INCIDENT_BY, v))
    observations = ui.hotspots(ui.incident_dataset())
    if points:
        kind = st.radio(ui.tr("inc_every"), list(periods.KINDS), key="inc_kind", horizontal=True,
                        format_func=lambda v: ui.code_label(INCIDENT_EVERY, v))
        if by == "hotspot":
            table = count_views.named(counts.counts_by_hotspot(data, observations, kind=kind), observations, lang)
        else:
            table = counts.counts_by_unit(data, kind=kind)
    else:  # one grain for protected roles: the half-year, every table protected by the disclosure rules
        kind = disclosure.PROTECTED_KIND
        table = ui.protected_counts(by)
        if filters and filters["period"]:  # the half-year of the map beside it
            table = table[table["period"] == filters["period"]]
    narrow = {ui.code_label(INCIDENT_COLUMN, "name"): st.column_config.TextColumn(width="small")}  # the counts in view
    st.dataframe(count_views.display(table, lang), hide_index=True, width="stretch", key="inc_counts_table", column_config=narrow)

st.subheader(ui.tr("inc_pai"))
pai = counts.prediction_accuracy(data, observations, kind=kind)
st.dataframe(count_views.display(count_views.pai_for_role(pai, points), lang), hide_index=True, width="stretch",
             key="inc_pai_table")
st.caption(ui.tr("inc_pai_note"))

st.markdown(f"**{ui.tr('inc_export')}**")
st.download_button(ui.tr("inc_export_cells"),
                   disclosure.export_bytes(data, "geojson", role=ui.role(), aggregate=True,
                                           period=filters["period"] if filters else None),
                   "incident_cells.geojson", "application/geo+json", key="inc_dl_cells")
if points:
    st.download_button(ui.tr("inc_export_points"), disclosure.export_bytes(data, "csv", role=ui.role()),
                       "incidents.csv", "text/csv", key="inc_dl_points")
