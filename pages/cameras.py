"""Cameras page (1.3.1–1.3.3, 1.7.2): the register, coverage of hot zones, next sites (UI only).

Logged-in roles see the cameras; staff add (click, search, lat/lon), change, retire, import them.
"""

from __future__ import annotations

import streamlit as st

from hotspots.places import cameras
from hotspots.plan import editing
from hotspots.plan import model
from hotspots.places import service as places
from hotspots.places import maps as places_maps
from hotspots.places import store as places_store
from hotspots.base import settings
from hotspots.places import siting
from hotspots.app import ui
from hotspots.plan import units
from hotspots.plan import views
from hotspots.places.tables import for_people
from hotspots.base.errors import HotspotError
from hotspots.base.labels import CAMERA_STATUS, OWNER, QUALITY, label

ui.require("see_cameras")  # every logged-in role; the public sees coverage figures on the plan page
lang = ui.lang()
editor = ui.user() if ui.can("edit_places") else None
store = ui.store()
K_POINT, K_LAST, K_ANSWER = "cam_point", "cam_last_click", "cam_site_answer"
OWNERS, STATUSES = [str(o) for o in cameras.Owner], [str(s) for s in cameras.CameraStatus]
st.title(ui.tr("page_cameras"))
st.caption(ui.tr("cam_intro"))
ui.show_flash()  # after a save the page reruns, so the map and the tables show it
dataset = ui.current_dataset()
all_hotspots = ui.hotspots(dataset)
periods = model.review_periods()
default = views.latest_period_with_data(all_hotspots, model.current_period())
period = st.selectbox(ui.tr("f_period"), periods, index=periods.index(default), key="cam_period")
register = cameras.read_cameras(store)
table = cameras.coverage(all_hotspots, register, period=period)
summary = cameras.summary_labels(table, register, lang)
for col, (heading, value) in zip(st.columns(len(cameras.CLASSES) + 1), summary, strict=True):
    col.metric(heading, value)
st.caption(ui.tr("cam_period_note", period=period))

fmap = places_maps.camera_map(all_hotspots, table, register, lang, municipality=units.municipality(),
                              city=units.city_unit(), basemap=settings.basemap(), chosen=st.session_state.get(K_POINT),
                              sites=places.answer_sites(st.session_state.get(K_ANSWER)))
click = editing.clicked_point(ui.show_map(fmap, key="cam_map", height=520, returned_objects=["last_clicked"] if editor else []))
if editor and click is not None and click != st.session_state.get(K_LAST):
    st.session_state[K_LAST] = click
    st.session_state[K_POINT] = click
    st.rerun()

st.subheader(ui.tr("cam_coverage_title"))
st.dataframe(cameras.display_coverage(table, lang), hide_index=True, width="stretch", key="cam_coverage_table")
st.dataframe(for_people(cameras.coverage_by_unit(table), lang), hide_index=True, width="stretch", key="cam_unit_table")
st.caption(ui.tr("cam_over_periods"))
st.dataframe(for_people(cameras.coverage_over_periods(all_hotspots, register, periods), lang), hide_index=True,
             width="stretch", key="cam_periods_table")

st.subheader(ui.tr("cam_register"))
st.dataframe(for_people(cameras.register_table(register, internal=ui.can("view_notes")), lang), hide_index=True, width="stretch",
             key="cam_register_table")
st.download_button(ui.tr("cam_export"), cameras.export_cameras(register), "cameras.geojson", "application/geo+json",
                   key="cam_dl")

if editor:
    st.subheader(ui.tr("cam_add"))
    found = ui.place_search("cam")  # the add page's search: candidates to choose from, outside ones refused
    if found is not None and found.located and st.button(ui.tr("place_use"), key="cam_use_place"):
        st.session_state[K_POINT] = (found.lat, found.lon)
        ui.flash(ui.trm("cam_found", name=found.name))
        st.rerun()
    point = st.session_state.get(K_POINT)
    st.info(ui.tr("cam_click_hint") if point is None else ui.tr("cam_point", lat=f"{point[0]:.6f}", lon=f"{point[1]:.6f}"))
    with st.form("cam_add_form"):
        c1, c2 = st.columns(2)
        lat = c1.text_input(ui.tr("lat"), value="" if point is None else f"{point[0]:.6f}", key=f"cam_lat_{point}")
        lon = c2.text_input(ui.tr("lon"), value="" if point is None else f"{point[1]:.6f}", key=f"cam_lon_{point}")
        name = st.text_input(ui.tr("f_name"), key="cam_name")
        owner = st.selectbox(ui.tr("cam_owner"), OWNERS, key="cam_owner", format_func=lambda o: label(OWNER, o, lang))
        status = st.selectbox(ui.tr("cam_status"), STATUSES, key="cam_status",
                              format_func=lambda s: label(CAMERA_STATUS, s, lang))
        radius = st.number_input(ui.tr("cam_radius"), 1.0, cameras.MAX_RADIUS_M, cameras.DEFAULT_RADIUS_M, key="cam_radius")
        d1, d2 = st.columns(2)
        direction = d1.text_input(ui.tr("cam_direction"), key="cam_direction")
        angle = d2.text_input(ui.tr("cam_angle"), key="cam_angle")
        quality = st.selectbox(ui.tr("f_quality"), list(cameras.CAMERA_GRADES), index=0, key="cam_quality",
                               format_func=lambda q: label(QUALITY, q, lang))
        source = st.text_input(ui.tr("f_source"), value=ui.tr("cam_source_staff", user=editor), key="cam_source")
        notes = st.text_area(ui.tr("f_notes"), key="cam_notes")
        if st.form_submit_button(ui.tr("save")):
            try:
                cid = cameras.add_camera(store, cameras.make_camera(
                    lat=lat, lon=lon, owner=owner, status=status, radius_m=radius, direction=direction, angle=angle,
                    name=name, location_quality=quality, source=source, notes=notes), author=editor)
                st.session_state.pop(K_POINT, None)
                ui.flash(ui.tr("cam_saved", id=cid))
                st.rerun()
            except HotspotError as exc:
                st.error(ui.message(exc))

    if not register.empty:
        st.subheader(ui.tr("cam_change"))
        cid = st.selectbox(ui.tr("cam_which"), list(register["id"]), key="cam_change_id")
        row = register.set_index("id").loc[cid]
        with st.form("cam_change_form"):
            move = st.checkbox(ui.tr("cam_move_here"), key="cam_move", disabled=st.session_state.get(K_POINT) is None)
            status = st.selectbox(ui.tr("cam_status"), STATUSES, index=STATUSES.index(str(row["status"])),
                                  format_func=lambda s: label(CAMERA_STATUS, s, lang), key=f"cam_ch_status_{cid}")
            radius = st.number_input(ui.tr("cam_radius"), 1.0, cameras.MAX_RADIUS_M, float(row["radius_m"]),
                                     key=f"cam_ch_radius_{cid}")
            owner = st.selectbox(ui.tr("cam_owner"), OWNERS, index=OWNERS.index(str(row["owner"])),
                                 format_func=lambda o: label(OWNER, o, lang), key=f"cam_ch_owner_{cid}")
            e1, e2 = st.columns(2)
            direction = e1.text_input(ui.tr("cam_direction"), value=cameras.number_text(row["direction"]),
                                      key=f"cam_ch_dir_{cid}")
            angle = e2.text_input(ui.tr("cam_angle"), value=cameras.number_text(row["angle"]), key=f"cam_ch_angle_{cid}")
            if st.form_submit_button(ui.tr("save")):
                try:
                    changed = cameras.changed_camera(register, cid, point=st.session_state.get(K_POINT) if move else None,
                                                     owner=owner, status=status, radius_m=radius, direction=direction,
                                                     angle=angle)
                    ui.flash(ui.tr("cam_changed", id=cid, result=cameras.update_camera(store, changed, author=editor)))
                    st.rerun()
                except HotspotError as exc:
                    st.error(ui.message(exc))
        with st.form("cam_retire_form"):
            reason = st.text_input(ui.tr("cam_retire_reason"), key="cam_retire_reason")
            if st.form_submit_button(ui.tr("cam_retire")):
                try:
                    cameras.retire_camera(store, cid, author=editor, reason=reason)
                    st.rerun()
                except HotspotError as exc:
                    st.error(ui.message(exc))

    upload = st.file_uploader(ui.tr("cam_import"), type=["geojson", "json"], key="cam_upload",
                              max_upload_size=ui.upload_mb(settings.IMPORT_MAX_BYTES))
    if upload is not None and st.button(ui.tr("cam_import_button"), key="cam_import_go"):
        try:
            ui.flash(places_store.results_text(cameras.import_cameras(store, upload.getvalue(), author=editor)))
            st.rerun()
        except HotspotError as exc:
            st.error(ui.message(exc))

st.subheader(ui.tr("site_title"))
st.caption(ui.tr("site_intro", spacing=int(siting.GRID_SPACING_M), radius=int(siting.NEW_CAMERA_RADIUS_M),
                 share=int(cameras.COVERED_MIN * 100)))
n = st.number_input(ui.tr("site_n_cameras"), 1, siting.MAX_NEW, 3, key="cam_site_n")
if st.button(ui.tr("site_run"), key="cam_site_go"):
    try:  # the optimum and the greedy choice on the same data
        st.session_state[K_ANSWER] = siting.answer(places.siting_for(store, period, int(n), dataset=dataset))
        st.rerun()
    except HotspotError as exc:
        st.error(ui.message(exc))
if (answer := st.session_state.get(K_ANSWER)) is not None:
    st.success(siting.answer_text(answer, lang))
    st.dataframe(for_people(answer.best, lang), hide_index=True, width="stretch", key="cam_site_best")
    st.caption(ui.tr("site_greedy"))
    st.dataframe(for_people(answer.quick, lang), hide_index=True, width="stretch", key="cam_site_greedy")
