"""Incidents page: import police exports (analysts/staff), counts per hotspot/unit/period, PAI, map.

Council members and the public see aggregates only: cells of ~250 m and counts with "<5".
"""

from __future__ import annotations

import streamlit as st

from hotspots.app import incident_parts, loaders, login, session, widgets
from hotspots.base import settings
from hotspots.base.labels import INCIDENT_BY, INCIDENT_COLUMN, INCIDENT_EVERY
from hotspots.incidents import count_views, counts, disclosure, periods
from hotspots.incidents import service as incident_service
from hotspots.maps import builders as maps
from hotspots.plan import units


st.title(session.tr("page_incidents"))
st.caption(session.tr("inc_intro"))
points = login.sees_incident_points()
lang = session.lang()

if points:
    with st.expander(session.tr("inc_import"), expanded=True):
        upload = st.file_uploader(session.tr("inc_file"), type=["csv", "txt", "geojson", "json", "gpkg", "xlsx"],
                                  key="inc_upload")
        mapping = st.file_uploader(session.tr("inc_mapping"), type=["yaml", "yml", "json"], key="inc_mapping_file")
        dry = st.checkbox(session.tr("inc_dry"), key="inc_dry")
        as_example = st.checkbox(session.tr("inc_as_example"), key="inc_as_example")
        if st.button(session.tr("inc_do_import"), key="inc_do_import", disabled=upload is None) and upload is not None:
            incident_parts.run_incident_import(upload.name, upload.getvalue(), mapping.getvalue() if mapping else None,
                                   dry_run=dry, example=as_example)
        incident_parts.show_incident_import()

data = loaders.incidents()
if loaders.incident_dataset() == "example":
    st.warning(session.tr("inc_example_banner"))
if data.empty:
    st.info(session.tr("inc_none"))
    st.stop()
if points:
    st.caption(session.tr("inc_total", n=len(data), unplaced=int(data.geometry.isna().sum())))
else:  # no city-wide total beside the protected tables: it would undo their secondary suppression
    st.caption(session.tr("inc_protected_intro", n=settings.INCIDENT_SUPPRESS_BELOW))
filters = None if points else incident_parts.incident_filters()  # analysts' map: every incident

left, right = st.columns([3, 2])
with left:
    fmap = maps.new_map(basemap=settings.basemap())
    maps.add_boundary(fmap, units.municipality(), units.city_unit(), lang)
    incident_parts.add_incident_layer(fmap, filters)
    widgets.show_map(fmap, key="incident_map", height=520)
    incident_parts.incident_map_notes()
with right:
    st.subheader(session.tr("inc_counts"))
    by = st.radio(session.tr("inc_by"), ["hotspot", "unit"], key="inc_by", horizontal=True,
                  format_func=lambda v: session.code_label(INCIDENT_BY, v))
    observations = loaders.hotspots(loaders.incident_dataset())
    if points:
        kind = st.radio(session.tr("inc_every"), list(periods.KINDS), key="inc_kind", horizontal=True,
                        format_func=lambda v: session.code_label(INCIDENT_EVERY, v))
        if by == "hotspot":
            by_hotspot = incident_service.hotspot_counts(session.store(), dataset=loaders.incident_dataset(), kind=kind,
                                                         incidents=data, observations=observations)
            table = count_views.named(by_hotspot, observations, lang)
        else:
            table = counts.counts_by_unit(data, kind=kind)
    else:  # one grain for protected roles: the half-year, every table protected by the disclosure rules
        kind = disclosure.PROTECTED_KIND
        table = loaders.protected_counts(by)
        if filters and filters["period"]:  # the half-year of the map beside it
            table = table[table["period"] == filters["period"]]
    narrow = {session.code_label(INCIDENT_COLUMN, "name"): st.column_config.TextColumn(width="small")}  # the counts in view
    st.dataframe(count_views.display(table, lang), hide_index=True, width="stretch", key="inc_counts_table", column_config=narrow)

st.subheader(session.tr("inc_pai"))
pai = counts.prediction_accuracy(data, observations, kind=kind)
st.dataframe(count_views.display(count_views.pai_for_role(pai, points), lang), hide_index=True, width="stretch",
             key="inc_pai_table")
st.caption(session.tr("inc_pai_note"))

st.markdown(f"**{session.tr('inc_export')}**")
st.download_button(session.tr("inc_export_cells"),
                   disclosure.export_bytes(data, "geojson", role=login.role(), aggregate=True,
                                           period=filters["period"] if filters else None),
                   "incident_cells.geojson", "application/geo+json", key="inc_dl_cells")
if points:
    st.download_button(session.tr("inc_export_points"), disclosure.export_bytes(data, "csv", role=login.role()),
                       "incidents.csv", "text/csv", key="inc_dl_points")
