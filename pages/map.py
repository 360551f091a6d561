"""Map page: hotspots per unit and review period, filters, layers, place search, counts, exports."""

from __future__ import annotations

import streamlit as st

from hotspots.maps import builders as maps
from hotspots.plan import model
from hotspots.base import settings
from hotspots.app import ui
from hotspots.plan import units
from hotspots.plan import views
from hotspots.base.labels import CATEGORY

st.title(ui.tr("page_map"))
ui.page_style()  # the map carries the approximate-boundaries note itself (and into a print)
everything = ui.hotspots(ui.current_dataset())
filters = ui.filter_widgets(views.latest_period_with_data(everything, model.baseline_period()))
lang = ui.lang()
plan = ui.plan()
priorities = ui.priorities(filters.period)
view = ui.filtered_view(filters)
payload = ui.with_incident_popups(ui.map_payload(filters), filters.period, ui.current_dataset())  # issue 13
unit_layer = ui.units_layer()
ui.period_notice(everything, filters, shown=len(view))

left, right = st.columns([4, 1])
with right:
    place = ui.place_search_apart("map")  # a search reruns itself, not the map, until a place is chosen
with left:
    fmap = maps.hotspot_base(  # unchanged by the category, unit and priority filters: the browser keeps it
        lang=lang, units=unit_layer, approximate_units=units.units_are_approximate(unit_layer),
        municipality=units.municipality(), city=units.city_unit(), layers=filters.layers,
        basemap=settings.basemap(), example_data=ui.current_dataset() == "example",
    )
    overlay = maps.hotspot_overlay(  # what those filters change: sent alone when they change
        payload, plan=plan, priorities=priorities, lang=lang, units=unit_layer, layers=filters.layers,
        unit_counts=views.active_counts_per_unit(view, category=views.shading_category(filters)),
        focus=views.focus_bounds(unit_layer, filters.units),
        place=(place.lat, place.lon, place.name) if place is not None and place.located else None,
    )
    ui.add_incident_layer(fmap, ui.incident_filters())  # issue 13: points or cells, by role
    ui.add_gi_layer(fmap, filters.period)  # issue 14: Gi* hot spots (aggregates), logged-in roles
    ui.add_place_layers(fmap, filters.period)  # issue 15: cameras, coverage, cannabis zones, schools
    ui.show_map(fmap, key="hotspot_map", overlay=overlay)
    ui.incident_map_notes()
    shading = ui.code_label(CATEGORY, views.shading_category(filters))
    st.caption(ui.tr("shading_note", category=shading) + " " + ui.tr("link_note"))
with right:
    st.metric(ui.tr("layer_hotspots"), len(view))
    st.caption(ui.trn("shown_on_map", len(view), located=maps.payload_size(payload)))
    st.markdown(f"**{ui.tr('export')}**")
    notes = ui.can("view_notes")
    name = views.export_name(filters, lang=lang)
    st.download_button(ui.tr("export_geojson"), ui.export_later(filters, "geojson", include_internal=notes),
                       f"{name}.geojson", "application/geo+json", key="dl_geojson", width="stretch",
                       on_click="ignore")  # a download needs no rerun of the map
    st.download_button(ui.tr("export_csv"), ui.export_later(filters, "csv", include_internal=notes),
                       f"{name}.csv", "text/csv", key="dl_csv", width="stretch", on_click="ignore")

counts_col, missing_col = st.columns([2, 3])
counts, missing = ui.view_tables(filters)
with counts_col:
    st.subheader(ui.tr("counts_title"))
    st.dataframe(counts, width="stretch", key="counts_table")
with missing_col:
    st.subheader(ui.tr("needs_location"))
    if view.empty:
        st.caption(ui.tr("needs_location_empty"))
    elif missing.empty:
        st.caption(ui.tr("needs_location_none"))
    else:
        st.dataframe(missing, width="stretch", hide_index=True)
