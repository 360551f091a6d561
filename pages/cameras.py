"""Cameras page (1.3.1–1.3.3, 1.7.2): the register, coverage of hot zones, next sites (UI only).

Logged-in roles see the cameras; staff add (click, search, lat/lon), change, retire, import them.
"""

from __future__ import annotations

import streamlit as st

from hotspots.app import camera_parts, loaders, login, session, widgets
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.places import cameras, coverage, siting
from hotspots.places import maps as places_maps
from hotspots.places import service as places
from hotspots.places.tables import for_people
from hotspots.plan import editing, model, units, views


login.require("see_cameras")  # every logged-in role; the public sees coverage figures on the plan page
lang = session.lang()
editor = login.user() if login.can("edit_places") else None
store = session.store()
K_POINT, K_LAST, K_ANSWER = camera_parts.K_POINT, "cam_last_click", "cam_site_answer"
st.title(session.tr("page_cameras"))
st.caption(session.tr("cam_intro"))
session.show_flash()  # after a save the page reruns, so the map and the tables show it
dataset = loaders.current_dataset()
all_hotspots = loaders.hotspots(dataset)
periods = model.review_periods()
default = views.latest_period_with_data(all_hotspots, model.current_period())
period = st.selectbox(session.tr("f_period"), periods, index=periods.index(default), key="cam_period")
register = cameras.read_cameras(store)
table = coverage.coverage(all_hotspots, register, period=period)
summary = coverage.summary_labels(table, register, lang)
for col, (heading, value) in zip(st.columns(len(coverage.CLASSES) + 1), summary, strict=True):
    col.metric(heading, value)
st.caption(session.tr("cam_period_note", period=period))

fmap = places_maps.camera_map(all_hotspots, table, register, lang, municipality=units.municipality(),
                              city=units.city_unit(), basemap=settings.basemap(), chosen=st.session_state.get(K_POINT),
                              sites=places.answer_sites(st.session_state.get(K_ANSWER)))
click = editing.clicked_point(widgets.show_map(fmap, key="cam_map", height=520,
                                              returned_objects=["last_clicked"] if editor else []))
if editor and click is not None and click != st.session_state.get(K_LAST):
    st.session_state[K_LAST] = click
    st.session_state[K_POINT] = click
    st.rerun()

st.subheader(session.tr("cam_coverage_title"))
st.dataframe(coverage.display_coverage(table, lang), hide_index=True, width="stretch", key="cam_coverage_table")
st.dataframe(for_people(coverage.coverage_by_unit(table), lang), hide_index=True, width="stretch", key="cam_unit_table")
st.caption(session.tr("cam_over_periods"))
st.dataframe(for_people(loaders.coverage_over_periods(dataset, periods), lang), hide_index=True,
             width="stretch", key="cam_periods_table")

st.subheader(session.tr("cam_register"))
st.dataframe(for_people(cameras.register_table(register, internal=login.can("view_notes")), lang), hide_index=True,
             width="stretch",
             key="cam_register_table")
st.download_button(session.tr("cam_export"), cameras.export_cameras(register), "cameras.geojson", "application/geo+json",
                   key="cam_dl")

if editor:
    camera_parts.camera_forms(store, register, editor)

st.subheader(session.tr("site_title"))
st.caption(session.tr("site_intro", spacing=int(siting.GRID_SPACING_M), radius=int(siting.NEW_CAMERA_RADIUS_M),
                 share=int(coverage.COVERED_MIN * 100)))
n = st.number_input(session.tr("site_n_cameras"), 1, siting.MAX_NEW, 3, key="cam_site_n")
if st.button(session.tr("site_run"), key="cam_site_go"):
    try:  # the optimum and the greedy choice on the same data
        st.session_state[K_ANSWER] = siting.answer(places.siting_for(store, period, int(n), dataset=dataset))
        st.rerun()
    except HotspotError as exc:
        st.error(session.message(exc))
if (answer := st.session_state.get(K_ANSWER)) is not None:
    st.success(siting.answer_text(answer, lang))
    st.dataframe(for_people(answer.best, lang), hide_index=True, width="stretch", key="cam_site_best")
    st.caption(session.tr("site_greedy"))
    st.dataframe(for_people(answer.quick, lang), hide_index=True, width="stretch", key="cam_site_greedy")
