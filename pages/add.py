"""Add a hotspot (staff): place it by a map click, a place search or typed lat/lon."""

from __future__ import annotations

import streamlit as st

from hotspots.app import loaders, login, session, widgets
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.labels import CATEGORY, unit_words
from hotspots.plan import editing, model, units, views


author = login.require("edit")
lang = session.lang()
K_POINT, K_SOURCE, K_LAST_CLICK, K_CLEAR = "add_point", "add_source_text", "add_last_click", "add_clear"
if st.session_state.pop(K_CLEAR, False):  # the last save succeeded: start a fresh form
    session.clear_keys(K_POINT, K_SOURCE, "add_name", "add_description", "add_notes", "add_activities", "add_lat",
                  "add_lon", "add_query", "add_candidates", "add_pick")
st.title(session.tr("page_add"))
session.page_style()
st.caption(session.tr("add_intro"))
session.show_flash()
widgets.example_edit_note()
plan = loaders.plan()
unit_layer = loaders.units_layer()
# the map shows the latest recorded period of the real data, so staff see the hotspots already known
period_filter = views.Filters(period=views.latest_period_with_data(loaders.hotspots("real"), model.current_period()))

col_map, col_place = st.columns([3, 2])
with col_place:
    found = widgets.place_search("add")
    if found is not None and found.located and st.button(session.tr("place_use"), key="add_use_place"):
        st.session_state[K_POINT] = (found.lat, found.lon)
        st.session_state[K_SOURCE] = session.tr("source_geocoded", name=found.name, source=found.source)
    c1, c2 = st.columns(2)
    lat_text = c1.text_input(session.tr("lat"), key="add_lat", placeholder="41,1125")
    lon_text = c2.text_input(session.tr("lon"), key="add_lon", placeholder="20,0822")
    if st.button(session.tr("set_coords"), key="add_set_coords"):
        try:
            st.session_state[K_POINT] = editing.checked_point(lat_text, lon_text)
            st.session_state[K_SOURCE] = session.tr("source_typed", user=author)
        except HotspotError as exc:
            st.error(session.message(exc))

with col_map:
    fmap = widgets.picker_map(period_filter, chosen=st.session_state.get(K_POINT))
    result = widgets.show_map(fmap, key="add_map", height=480, returned_objects=["last_clicked"])
    click = editing.clicked_point(result)
    if click is not None and click != st.session_state.get(K_LAST_CLICK):
        st.session_state[K_LAST_CLICK] = click
        st.session_state[K_POINT] = click
        st.session_state[K_SOURCE] = session.tr("source_click", user=author)
        st.rerun()

point = st.session_state.get(K_POINT)
if point is None:
    st.info(session.tr("no_point"))
else:
    unit = units.unit_of_point(point[0], point[1], unit_layer)
    where = unit_words(unit, session.lang()) if unit else session.tr("outside_units")
    st.success(session.tr("chosen_point", lat=f"{point[0]:.6f}", lon=f"{point[1]:.6f}", unit=where))
    if units.units_are_approximate(unit_layer):
        st.caption(session.tr("approx_unit_note"))

category = st.radio(session.tr("f_category_one"), [str(c) for c in model.Category], key="add_category",
                    format_func=lambda c: session.code_label(CATEGORY, c), horizontal=True)
problem = plan.problem(model.CATEGORY_PROBLEM[model.Category(category)])
with st.form("add_form"):
    name = st.text_input(session.tr("f_name"), key="add_name", max_chars=settings.NAME_MAX_LEN)
    activities = st.multiselect(session.tr("f_activities"), [a.id for a in problem.activities], key="add_activities",
                                placeholder=session.tr("f_choose"), select_all=False,
                                format_func=lambda a: f"{a} {plan.activity(a).text(lang)[:80]}")
    periods = model.review_periods()
    period = st.selectbox(session.tr("f_period"), periods, index=periods.index(model.current_period()), key="add_period")
    quality = widgets.grade_select("add_quality")
    source = st.text_input(session.tr("f_source"), key=K_SOURCE)  # filled when a point is chosen
    description = st.text_area(session.tr("f_description"), key="add_description")
    notes = st.text_area(session.tr("f_notes"), key="add_notes")
    submitted = st.form_submit_button(session.tr("save"))
if submitted and point is None:
    st.error(session.tr("err_point_missing"))
elif submitted and point is not None:
    try:
        saved = editing.add_point_hotspot(
            session.store(), name=name, category=category, lat=point[0], lon=point[1], period=period, author=author,
            location_quality=quality, location_source=source, description=description, notes=notes,
            activities=activities)
        unit = units.unit_of_point(point[0], point[1], unit_layer)
        session.flash(session.tr("saved_new", id=saved["id"], unit=unit) if unit
                      else session.tr("saved_new_no_unit", id=saved["id"]))
        st.session_state[K_CLEAR] = True
        st.rerun()  # the map and tables show the new hotspot at once
    except HotspotError as exc:
        st.error(session.message(exc))
