"""Add a hotspot (staff): place it by a map click, a place search or typed lat/lon."""

from __future__ import annotations

import streamlit as st

from hotspots import editing, geocode, model, settings, ui, units, views
from hotspots.errors import HotspotError

author = ui.require("edit")
lang = ui.lang()
st.title(ui.tr("page_add"))
st.caption(ui.tr("add_intro"))
K_POINT, K_SOURCE, K_LAST_CLICK = "add_point", "add_source_text", "add_last_click"
plan = ui.plan()
unit_layer = ui.units_layer()
# the map shows the latest recorded period, so staff see the hotspots already known
period_filter = views.Filters(period=views.latest_period_with_data(ui.hotspots(ui.current_dataset()), model.current_period()))

col_map, col_place = st.columns([3, 2])
with col_place:
    query = st.text_input(ui.tr("place_search"), key="add_query")
    if st.button(ui.tr("place_search_button"), key="add_search") and query.strip():
        st.session_state["add_candidates"], refused = geocode.geocode(query)
        for c in refused:
            st.warning(ui.tr("err_geocode_outside", query=c.name))
        if not st.session_state["add_candidates"]:
            st.warning(ui.tr("err_geocode_none", query=query))
    candidates = st.session_state.get("add_candidates") or []
    if candidates:
        pick = st.radio(ui.tr("place_candidates"), range(len(candidates)), key="add_pick",
                        format_func=lambda i: f"{candidates[i].name} ({candidates[i].score:.0f})")
        chosen = candidates[pick]
        if st.button(ui.tr("place_use"), key="add_use_place"):
            if chosen.located:
                st.session_state[K_POINT] = (chosen.lat, chosen.lon)
                st.session_state[K_SOURCE] = ui.tr("source_geocoded", name=chosen.name, source=chosen.source)
            else:
                st.warning(ui.tr("place_unlocated", name=chosen.name))
    c1, c2 = st.columns(2)
    lat_text = c1.text_input(ui.tr("lat"), key="add_lat", placeholder="41.1125")
    lon_text = c2.text_input(ui.tr("lon"), key="add_lon", placeholder="20.0822")
    if st.button(ui.tr("set_coords"), key="add_set_coords"):
        try:
            st.session_state[K_POINT] = editing.checked_point(lat_text, lon_text)
            st.session_state[K_SOURCE] = ui.tr("source_typed", user=author)
        except HotspotError as exc:
            st.error(exc.message(lang))

with col_map:
    fmap = ui.picker_map(period_filter, chosen=st.session_state.get(K_POINT))
    result = ui.show_map(fmap, key="add_map", height=480, returned_objects=["last_clicked"])
    click = editing.clicked_point(result)
    if click is not None and click != st.session_state.get(K_LAST_CLICK):
        st.session_state[K_LAST_CLICK] = click
        st.session_state[K_POINT] = click
        st.session_state[K_SOURCE] = ui.tr("source_click", user=author)
        st.rerun()

point = st.session_state.get(K_POINT)
if point is None:
    st.info(ui.tr("no_point"))
else:
    unit = units.unit_of_point(point[0], point[1], unit_layer)
    where = ui.tr("unit_n", n=unit) if unit else ui.tr("outside_units")
    st.success(ui.tr("chosen_point", lat=f"{point[0]:.6f}", lon=f"{point[1]:.6f}", unit=where))
    if units.units_are_approximate(unit_layer):
        st.caption(ui.tr("approx_unit_note"))

category = st.radio(ui.tr("f_category_one"), [str(c) for c in model.Category], key="add_category",
                    format_func=lambda c: ui.tr(f"cat_{c}"), horizontal=True)
problem = plan.problem(model.CATEGORY_PROBLEM[model.Category(category)])
with st.form("add_form"):
    name = st.text_input(ui.tr("f_name"), key="add_name", max_chars=settings.NAME_MAX_LEN)
    activities = st.multiselect(ui.tr("f_activities"), [a.id for a in problem.activities], key="add_activities",
                                placeholder=ui.tr("f_choose"),
                                format_func=lambda a: f"{a} {plan.activity(a).text(lang)[:80]}")
    periods = model.review_periods()
    period = st.selectbox(ui.tr("f_period"), periods, index=periods.index(model.current_period()), key="add_period")
    quality = st.selectbox(ui.tr("f_quality"), ["exact", "landmark", "approximate"], index=2, key="add_quality",
                           format_func=lambda q: ui.tr(f"q_{q}"))
    source = st.text_input(ui.tr("f_source"), key=K_SOURCE)  # filled when a point is chosen
    description = st.text_area(ui.tr("f_description"), key="add_description")
    notes = st.text_area(ui.tr("f_notes"), key="add_notes")
    submitted = st.form_submit_button(ui.tr("save"))
if submitted:
    try:
        lat, lon = point if point is not None else (None, None)
        saved = editing.add_point_hotspot(
            ui.store(), name=name, category=category, lat=lat, lon=lon, period=period, author=author,
            location_quality=quality, location_source=source, description=description, notes=notes,
            activities=activities)
        unit = units.unit_of_point(lat, lon, unit_layer)  # type: ignore[arg-type]
        st.success(ui.tr("saved_new", id=saved["id"], unit=unit if unit else "—"))
        st.session_state.pop(K_POINT, None)
    except HotspotError as exc:
        st.error(exc.message(lang))
