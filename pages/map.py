"""Map page: hotspots per unit and review period, filters, layers, place search, counts, exports."""

from __future__ import annotations

import streamlit as st

from hotspots.app import evidence_parts, incident_parts, loaders, login, session, widgets
from hotspots.base import settings
from hotspots.base.labels import CATEGORY
from hotspots.maps import builders as maps
from hotspots.maps import payloads as map_payloads
from hotspots.plan import model, units, views


st.title(session.tr("page_map"))
session.page_style()  # the map carries the approximate-boundaries note itself (and into a print)
everything = loaders.hotspots(loaders.current_dataset())
filters = widgets.filter_widgets(views.latest_period_with_data(everything, model.baseline_period()))
lang = session.lang()
plan = loaders.plan()
priorities = loaders.priorities(filters.period)
view = loaders.filtered_view(filters)
payload = incident_parts.with_incident_popups(loaders.map_payload(filters), filters.period, loaders.current_dataset())
unit_layer = loaders.units_layer()
widgets.period_notice(everything, filters, shown=len(view))

left, right = st.columns([4, 1])
with right:
    place = widgets.place_search_apart("map")  # a search reruns itself, not the map, until a place is chosen
with left:
    fmap = maps.hotspot_base(  # unchanged by the category, unit and priority filters: the browser keeps it
        lang=lang, units=unit_layer, approximate_units=units.units_are_approximate(unit_layer),
        municipality=units.municipality(), city=units.city_unit(), layers=filters.layers,
        basemap=settings.basemap(), example_data=loaders.current_dataset() == "example",
    )
    overlay = maps.hotspot_overlay(  # what those filters change: its own element, after the map
        payload, plan=plan, priorities=priorities, lang=lang, units=unit_layer, layers=filters.layers,
        unit_counts=views.active_counts_per_unit(view, category=views.shading_category(filters)),
        focus=views.focus_bounds(unit_layer, filters.units),
        place=(place.lat, place.lon, place.name) if place is not None and place.located else None,
    )
    incident_parts.add_incident_layer(fmap, incident_parts.incident_filters())  # points or cells, by role
    evidence_parts.add_gi_layer(fmap, filters.period)  # Gi* hot spots (aggregates), logged-in roles
    widgets.add_place_layers(fmap, filters.period)  # cameras, coverage, cannabis zones, schools
    widgets.show_map(fmap, key="hotspot_map", overlay=overlay)
    incident_parts.incident_map_notes()
    shading = session.code_label(CATEGORY, views.shading_category(filters))
    st.caption(session.tr("shading_note", category=shading) + " " + session.tr("link_note"))
with right:
    st.metric(session.tr("layer_hotspots"), len(view))
    st.caption(session.trn("shown_on_map", len(view), located=map_payloads.payload_size(payload)))
    st.markdown(f"**{session.tr('export')}**")
    notes = login.can("view_notes")
    name = views.export_name(filters, lang=lang)
    st.download_button(session.tr("export_geojson"), loaders.export_later(filters, "geojson", include_internal=notes),
                       f"{name}.geojson", "application/geo+json", key="dl_geojson", width="stretch",
                       on_click="ignore")  # a download needs no rerun of the map
    st.download_button(session.tr("export_csv"), loaders.export_later(filters, "csv", include_internal=notes),
                       f"{name}.csv", "text/csv", key="dl_csv", width="stretch", on_click="ignore")

counts_col, missing_col = st.columns([2, 3])
counts, missing = loaders.view_tables(filters)
with counts_col:
    st.subheader(session.tr("counts_title"))
    st.dataframe(counts, width="stretch", key="counts_table")
with missing_col:
    st.subheader(session.tr("needs_location"))
    if view.empty:
        st.caption(session.tr("needs_location_empty"))
    elif missing.empty:
        st.caption(session.tr("needs_location_none"))
    else:
        st.dataframe(missing, width="stretch", hide_index=True)
