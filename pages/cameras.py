"""Cameras page (1.3.1–1.3.3, 1.7.2): the register, coverage of hot zones, next sites (UI only).

Logged-in roles see the cameras; staff add (click, search, lat/lon), change, retire, import them.
"""

from __future__ import annotations

import streamlit as st

from hotspots.app import loaders, login, session, widgets
from hotspots.base import settings
from hotspots.base.errors import HotspotError
from hotspots.base.labels import CAMERA_STATUS, OWNER, QUALITY, label
from hotspots.places import cameras, coverage, siting
from hotspots.places import maps as places_maps
from hotspots.places import service as places
from hotspots.places import store as places_store
from hotspots.places.tables import for_people
from hotspots.plan import editing, model, units, views


login.require("see_cameras")  # every logged-in role; the public sees coverage figures on the plan page
lang = session.lang()
editor = login.user() if login.can("edit_places") else None
store = session.store()
K_POINT, K_LAST, K_ANSWER = "cam_point", "cam_last_click", "cam_site_answer"
OWNERS, STATUSES = [str(o) for o in cameras.Owner], [str(s) for s in cameras.CameraStatus]
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
st.dataframe(for_people(coverage.coverage_over_periods(all_hotspots, register, periods), lang), hide_index=True,
             width="stretch", key="cam_periods_table")

st.subheader(session.tr("cam_register"))
st.dataframe(for_people(cameras.register_table(register, internal=login.can("view_notes")), lang), hide_index=True,
             width="stretch",
             key="cam_register_table")
st.download_button(session.tr("cam_export"), cameras.export_cameras(register), "cameras.geojson", "application/geo+json",
                   key="cam_dl")

if editor:
    st.subheader(session.tr("cam_add"))
    found = widgets.place_search("cam")  # the add page's search: candidates to choose from, outside ones refused
    if found is not None and found.located and st.button(session.tr("place_use"), key="cam_use_place"):
        st.session_state[K_POINT] = (found.lat, found.lon)
        session.flash(session.trm("cam_found", name=found.name))
        st.rerun()
    point = st.session_state.get(K_POINT)
    st.info(session.tr("cam_click_hint") if point is None
            else session.tr("cam_point", lat=f"{point[0]:.6f}", lon=f"{point[1]:.6f}"))
    with st.form("cam_add_form"):
        c1, c2 = st.columns(2)
        lat = c1.text_input(session.tr("lat"), value="" if point is None else f"{point[0]:.6f}", key=f"cam_lat_{point}")
        lon = c2.text_input(session.tr("lon"), value="" if point is None else f"{point[1]:.6f}", key=f"cam_lon_{point}")
        name = st.text_input(session.tr("f_name"), key="cam_name")
        owner = st.selectbox(session.tr("cam_owner"), OWNERS, key="cam_owner", format_func=lambda o: label(OWNER, o, lang))
        status = st.selectbox(session.tr("cam_status"), STATUSES, key="cam_status",
                              format_func=lambda s: label(CAMERA_STATUS, s, lang))
        radius = st.number_input(session.tr("cam_radius"), 1.0, cameras.MAX_RADIUS_M, cameras.DEFAULT_RADIUS_M, key="cam_radius")
        d1, d2 = st.columns(2)
        direction = d1.text_input(session.tr("cam_direction"), key="cam_direction")
        angle = d2.text_input(session.tr("cam_angle"), key="cam_angle")
        quality = st.selectbox(session.tr("f_quality"), list(cameras.CAMERA_GRADES), index=0, key="cam_quality",
                               format_func=lambda q: label(QUALITY, q, lang))
        source = st.text_input(session.tr("f_source"), value=session.tr("cam_source_staff", user=editor), key="cam_source")
        notes = st.text_area(session.tr("f_notes"), key="cam_notes")
        if st.form_submit_button(session.tr("save")):
            try:
                cid = cameras.add_camera(store, cameras.make_camera(
                    lat=lat, lon=lon, owner=owner, status=status, radius_m=radius, direction=direction, angle=angle,
                    name=name, location_quality=quality, source=source, notes=notes), author=editor)
                st.session_state.pop(K_POINT, None)
                session.flash(session.tr("cam_saved", id=cid))
                st.rerun()
            except HotspotError as exc:
                st.error(session.message(exc))

    if not register.empty:
        st.subheader(session.tr("cam_change"))
        cid = st.selectbox(session.tr("cam_which"), list(register["id"]), key="cam_change_id")
        row = register.set_index("id").loc[cid]
        with st.form("cam_change_form"):
            move = st.checkbox(session.tr("cam_move_here"), key="cam_move", disabled=st.session_state.get(K_POINT) is None)
            status = st.selectbox(session.tr("cam_status"), STATUSES, index=STATUSES.index(str(row["status"])),
                                  format_func=lambda s: label(CAMERA_STATUS, s, lang), key=f"cam_ch_status_{cid}")
            radius = st.number_input(session.tr("cam_radius"), 1.0, cameras.MAX_RADIUS_M, float(row["radius_m"]),
                                     key=f"cam_ch_radius_{cid}")
            owner = st.selectbox(session.tr("cam_owner"), OWNERS, index=OWNERS.index(str(row["owner"])),
                                 format_func=lambda o: label(OWNER, o, lang), key=f"cam_ch_owner_{cid}")
            e1, e2 = st.columns(2)
            direction = e1.text_input(session.tr("cam_direction"), value=cameras.number_text(row["direction"]),
                                      key=f"cam_ch_dir_{cid}")
            angle = e2.text_input(session.tr("cam_angle"), value=cameras.number_text(row["angle"]), key=f"cam_ch_angle_{cid}")
            if st.form_submit_button(session.tr("save")):
                try:
                    changed = cameras.changed_camera(register, cid, point=st.session_state.get(K_POINT) if move else None,
                                                     owner=owner, status=status, radius_m=radius, direction=direction,
                                                     angle=angle)
                    session.flash(session.tr("cam_changed", id=cid, result=cameras.update_camera(store, changed, author=editor)))
                    st.rerun()
                except HotspotError as exc:
                    st.error(session.message(exc))
        with st.form("cam_retire_form"):
            reason = st.text_input(session.tr("cam_retire_reason"), key="cam_retire_reason")
            if st.form_submit_button(session.tr("cam_retire")):
                try:
                    cameras.retire_camera(store, cid, author=editor, reason=reason)
                    st.rerun()
                except HotspotError as exc:
                    st.error(session.message(exc))

    upload = st.file_uploader(session.tr("cam_import"), type=["geojson", "json"], key="cam_upload",
                              max_upload_size=session.upload_mb(settings.IMPORT_MAX_BYTES))
    if upload is not None and st.button(session.tr("cam_import_button"), key="cam_import_go"):
        try:
            session.flash(places_store.results_text(cameras.import_cameras(store, upload.getvalue(), author=editor)))
            st.rerun()
        except HotspotError as exc:
            st.error(session.message(exc))

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
